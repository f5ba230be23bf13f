// One sd_notify(3) datagram to the service manager's socket.  Node has no
// AF_UNIX datagram sockets, so the addon sends it (native/core/sd_notify.c);
// it lives here because only src/dataplane loads the addon.  The protocol's
// policy (what to send, when) is src/daemon/systemd.ts.
import { loadAddon } from './addon.js';

/** Sends `message` to `socket` (a path, or "@name" for an abstract socket); throws with the reason. */
export function sdNotify(socket: string, message: string): void {
  loadAddon().sdNotify(socket, message);
}
