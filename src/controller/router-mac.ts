// Our MAC on a routed or vm port.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { PortConfig } from './config.js';
import { opensInterface } from '../dataplane/index.js';

/** Our MAC on a routed/vm port: configured, else (af-packet) a locally
 *  administered MAC derived from the interface's own, else one derived from
 *  the port name.  Not the interface's own MAC: frames to that one also climb
 *  the host kernel's IP stack (ip_rcv, a route lookup, a drop) on every routed
 *  packet — in the routed benchmark that took ~18% of the sending CPU — while
 *  frames to another MAC are dropped at once as PACKET_OTHERHOST.  The port is
 *  promiscuous, so it receives them. */
export function routerMac(p: PortConfig): string {
  if (p.mac) return p.mac;
  let seed = `hvswitch:${p.name}`;
  if (opensInterface(p.backend)) {
    try {
      seed = `hvswitch-router:${readFileSync(`/sys/class/net/${p.name}/address`, 'utf8').trim()}`;
    } catch {
      /* fall through: derived from the name */
    }
  }
  const h = createHash('sha256').update(seed).digest();
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
