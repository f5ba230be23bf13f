// The host's interfaces as the dataplane sees them: whether one exists in this
// network namespace (if_nametoindex), and the kernel's link notifications
// (rtnetlink RTM_NEWLINK / RTM_DELLINK, native/core/linkmon.h) delivered in
// batches on the controller's event loop — no polling.  An `overrun` event
// means the kernel dropped notifications: the listener looks again at every
// interface it cares about.  What to do with a link event (attach a port,
// detach it) is the controller's (src/controller/port-presence.ts).
import { loadAddon, type RawLinkEvent } from './addon.js';
import { CEnum } from './constants.js';

/** `up`: administratively up (IFF_UP); `running`: operationally up (IFF_RUNNING); `carrier`: the driver signals carrier (IFF_LOWER_UP) */
export type LinkEvent = { kind: 'new' | 'del'; ifindex: number; name: string; up: boolean; running: boolean; carrier: boolean } | { kind: 'overrun' };

/** Link event kinds (enum hv_link_event_kind, linkmon.h). */
export const LINK_EVENT_KIND = new CEnum<LinkEvent['kind']>('link_event_kind', { new: 'NEW', del: 'DEL', overrun: 'OVERRUN' });

const IFF_UP = 1; // linux/if.h
const IFF_RUNNING = 0x40; // linux/if.h
const IFF_LOWER_UP = 0x10000; // linux/if.h: the driver signals carrier

function mapLinkEvent(e: RawLinkEvent): LinkEvent {
  const kind = LINK_EVENT_KIND.name(e.kind) ?? 'overrun';
  if (kind === 'overrun') return { kind };
  const f = e.flags;
  return { kind, ifindex: e.ifindex, name: e.name, up: (f & IFF_UP) !== 0, running: (f & IFF_RUNNING) !== 0, carrier: (f & IFF_LOWER_UP) !== 0 };
}

/** The index of interface `name` in this namespace, 0 when there is none. */
export function linkIndex(name: string): number {
  return loadAddon().linkIndex(name);
}

/** Watches the kernel's link notifications until closed; throws if the
 *  rtnetlink socket cannot be opened (the reason in the message). */
export class LinkWatcher {
  private readonly raw: { close(): void };

  constructor(onEvents: (events: LinkEvent[]) => void) {
    const addon = loadAddon();
    this.raw = new addon.LinkMonitor((batch: RawLinkEvent[]) => onEvents(batch.map(mapLinkEvent)));
  }

  close(): void {
    this.raw.close();
  }
}
