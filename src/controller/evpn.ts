// The controller's side of EVPN: when the EVPN manager (src/vpn/evpn.ts) and
// the local VTEP exist, and the order of a config change around them.  A
// change stops the instances that go or change (and, if the VTEP changes,
// all of them) before the reconciler removes bridges, and starts the new ones
// after it has added them; the VTEP (the underlay port) is opened or replaced
// in between, when no tunnel uses it.  Instances run only with a BGP speaker.
// Ethernet segments (bonds with `evpn-es`, src/vpn/es.ts) run beside them and
// follow their bonds' state and LACP partner (BondControl.onBondState,
// onBondPartner: an `esi: auto` is derived from the partner).
import type { BgpSpeaker } from '../bgp/index.js';
import type { Dataplane, MacEvent } from '../dataplane/index.js';
import type { Logger } from '../util/logger.js';
import { SegmentManager, type LacpPartner, type SegmentConfig } from '../vpn/es.js';
import { EvpnManager, TUNNEL_GROUP } from '../vpn/evpn.js';
import { snoop } from '../vpn/snoop.js';
import type { Config, VtepConfig } from './config.js';

function sameVtep(a: VtepConfig | null, b: VtepConfig | null): boolean {
  return a === b || (!!a && !!b && a.address === b.address && a.port === b.port && a.mtu === b.mtu);
}

/** The bonds of `c` with an Ethernet segment. */
export function segmentsOf(c: Config): SegmentConfig[] {
  return c.bonds.flatMap((b) => (b.es && b.bridge ? [{ bond: b.name, bridge: b.bridge, vlans: b.mode === 'access' ? [b.vlan] : b.allowedVlans, es: b.es }] : []));
}

export class EvpnControl {
  manager: EvpnManager | null = null;
  segments: SegmentManager | null = null;
  /** whether a bond carries traffic now (BondControl.isUp) */
  bondUp: (bond: string) => boolean = () => false;
  /** a bond's aggregated LACP partner now (BondControl.partnerOf) */
  bondPartner: (bond: string) => LacpPartner | null = () => null;
  private vtep: VtepConfig | null = null;

  constructor(
    private readonly dp: Dataplane,
    private readonly serialize: <T>(fn: () => T) => Promise<T>,
    private readonly log: Logger,
  ) {
    dp.on('punt', (frames) => {
      const m = this.manager;
      if (!m) return;
      const seen: { bridge: string; vlan: number; mac: string; ip: string }[] = [];
      for (const f of frames) {
        if (f.class !== 'arp' && f.class !== 'nd') continue;
        const s = snoop(f.frame);
        const p = s && dp.hasPort(f.port) ? dp.port(f.port) : null;
        if (s && p?.bridge && p.mode === 'access') seen.push({ bridge: p.bridge, vlan: p.vlan, ...s });
      }
      if (seen.length) void this.serialize(() => { for (const x of seen) m.onSnoop(x.bridge, x.vlan, x.mac, x.ip); });
    });
    dp.on('flushed', () => {
      const m = this.manager;
      if (m) void this.serialize(() => m.resync());
    });
  }

  /** Before the reconciler: stops what `next` drops or changes. */
  before(cur: Config, next: Config): void {
    const m = this.manager;
    if (!m) return;
    if (!sameVtep(this.vtep, next.vtep)) {
      this.stop();
      return;
    }
    // a bridge that goes, or is rebuilt (its size changes: a new, empty FDB and
    // flood lists), takes its instances down first; after() starts them again
    // and they reinstall from the RIB
    const kept = new Set(cur.bridges.filter((b) => next.bridges.some((n) => n.name === b.name && n.maxMacs === b.maxMacs)).map((b) => b.name));
    // segments whose bond goes or changes leave first (their filters name the bond's port)
    this.segments?.apply(segmentsOf(next).filter((s) => cur.bonds.some((b) => b.name === s.bond && b.bridge === s.bridge)), next.evpn);
    m.apply(next.evpn.filter((e) => kept.has(e.bridge)));
  }

  /** After the reconciler: the VTEP, then the instances of `next` (with a speaker). */
  after(next: Config, bgp: BgpSpeaker | null): void {
    if (!sameVtep(this.vtep, next.vtep)) {
      this.stop();
      try {
        this.dp.setVtep(next.vtep ? { address: next.vtep.address, port: next.vtep.port, mtu: next.vtep.mtu, floodGroup: TUNNEL_GROUP } : null);
      } catch (e) {
        // name the field: the address must be one of this host's (the sockets bind to it)
        throw new Error(`vtep.address: ${next.vtep?.address} cannot be used: ${(e as Error).message}`);
      }
      this.vtep = next.vtep;
    }
    if (!bgp || !next.vtep) return;
    this.manager ??= new EvpnManager(this.dp, bgp, next.vtep.address, this.serialize, this.log.child({ module: 'evpn' }));
    const hosts = new Map(next.ports.flatMap((p) => p.hosts.map((h) => [`${p.name}/${h.mac}`, h.ips] as const)));
    this.manager.hostIps = (port, mac) => hosts.get(`${port}/${mac}`) ?? [];
    this.manager.apply(next.evpn);
    this.manager.refreshHosts();
    const segs = segmentsOf(next);
    if (segs.length || this.segments) {
      this.segments ??= new SegmentManager(this.dp, bgp, next.vtep.address, this.serialize, this.log.child({ module: 'evpn-mh' }));
      this.manager.segments = this.segments;
      this.segments.apply(segs, next.evpn);
      for (const s of segs) {
        this.segments.setPartner(s.bond, this.bondPartner(s.bond));
        this.segments.setBondUp(s.bond, this.bondUp(s.bond));
      }
    }
    this.manager.resync(); // ports removed or moved took their MACs without events
  }

  /** A bond started or stopped carrying traffic: its segment's routes follow (queued). */
  onBondState(bond: string, up: boolean): void {
    this.segments?.setBondUp(bond, up);
  }

  /** A bond's aggregated LACP partner changed: an `auto` ESI follows (queued). */
  onBondPartner(bond: string, partner: LacpPartner | null): void {
    this.segments?.setPartner(bond, partner);
  }

  /** MAC events of the dataplane, handled in the control queue. */
  onMac(events: MacEvent[]): void {
    const m = this.manager;
    if (m) void this.serialize(() => m.onMacEvents(events));
  }

  stop(): void {
    this.segments?.close();
    this.segments = null;
    this.manager?.close();
    this.manager = null;
  }
}
