// Ports whose interface is missing.  An af-packet port names an interface
// that hvswitchd does not create (an uplink, a veth, a VM's interface that
// libvirt creates when the VM starts); when it is not there, the port is
// *absent*: it stays in the running config, is shown with the reason, and is
// left out of the dataplane — the switch starts and runs without it.  TAP
// ports are not concerned: hvswitchd creates their device (or attaches to a
// persistent one), so they are never absent.
//
// The kernel's link notifications (rtnetlink RTM_NEWLINK / RTM_DELLINK,
// src/dataplane/links.ts) drive the changes, inside the controller's queue:
// an interface that appears is attached (the port is added to the dataplane
// with its config, and its VRF's routes through it come back), one that goes
// is detached (the port leaves the dataplane, its routes are withdrawn from
// the FIB).  Handling is level-triggered: an event only says which names to
// look at, and each is compared with what the dataplane holds (present or
// not, and the interface index it was opened on), so a burst, a reordering or
// an overrun (every af-packet port looked at again) all end in the right
// state.  An interface deleted and created again under the same name gets a
// new index: the port is detached and attached again (its socket was bound to
// the old one).  Renames are seen as the old name going and the new coming.
//
// Counted (attached, detached, attach failures; hvswitch_port_link_events_total)
// and logged: attach at info, detach and absence at warn.
import { LinkWatcher, linkIndex, opensInterface, type LinkEvent } from '../dataplane/index.js';
import type { Logger } from '../util/logger.js';
import type { Config, PortConfig } from './config.js';

export type PortPresenceState = { state: 'up' } | { state: 'absent'; reason: string; since: number };

export interface PresenceCounts {
  attached: number;
  detached: number;
  attachFailed: number;
}

/** What PortPresence needs from the controller. */
export interface PresenceHost {
  running(): Config;
  /** Whether the dataplane holds port `name`. */
  inDataplane(name: string): boolean;
  /** Adds `p` to the dataplane and pushes the routes that use it (throws if it cannot be opened). */
  attach(p: PortConfig): void;
  /** Removes `p` from the dataplane and withdraws the routes that use it. */
  detach(p: PortConfig): void;
  /** Runs `fn` in the controller's queue. */
  serialize(fn: () => void): Promise<void>;
}

/** Warnings for `--check-config`: af-packet ports whose interface is not there. */
export function missingInterfaces(c: Config, index: (name: string) => number = linkIndex): { path: string; message: string }[] {
  return c.ports
    .filter((p) => opensInterface(p.backend) && index(p.name) === 0)
    .map((p) => ({ path: `ports.${p.name}.backend`, message: `${p.backend} interface '${p.name}' does not exist (yet): the port stays absent until it appears` }));
}

export class PortPresence {
  private readonly absent = new Map<string, { reason: string; since: number }>();
  /** af-packet ports in the dataplane -> the interface index they were opened on */
  private readonly opened = new Map<string, number>();
  private watcher: LinkWatcher | null = null;
  readonly counts: PresenceCounts = { attached: 0, detached: 0, attachFailed: 0 };

  constructor(
    private readonly host: PresenceHost,
    private readonly log: Logger,
    private readonly index: (name: string) => number = linkIndex,
  ) {}

  /** Starts listening to link notifications (before the first apply, so no
   *  interface created meanwhile is missed).  Without them (no rtnetlink), a
   *  late interface is attached only by the next apply: logged, not fatal. */
  watch(): void {
    if (this.watcher) return;
    try {
      this.watcher = new LinkWatcher((events) => {
        this.host.serialize(() => this.onLinks(events)).catch((e: unknown) => this.log.error({ module: 'links', err: (e as Error).message }, 'link event handling failed'));
      });
    } catch (e) {
      this.log.warn({ module: 'links', err: (e as Error).message }, 'no link notifications: absent ports attach at the next reload only');
    }
  }

  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /** The reconciler's question: can port `p` be opened now?  Records the
   *  answer (absent with its reason, or the index it is opened on). */
  present(p: PortConfig): boolean {
    if (!opensInterface(p.backend)) return true;
    const idx = this.index(p.name);
    if (idx === 0) {
      this.markAbsent(p.name, `interface ${p.name} does not exist`);
      return false;
    }
    this.opened.set(p.name, idx);
    this.absent.delete(p.name);
    return true;
  }

  /** Forgets ports that left the config (after an apply). */
  prune(c: Config): void {
    const names = new Set(c.ports.map((p) => p.name));
    for (const n of [...this.absent.keys(), ...this.opened.keys()])
      if (!names.has(n)) {
        this.absent.delete(n);
        this.opened.delete(n);
      }
  }

  state(name: string): PortPresenceState {
    const a = this.absent.get(name);
    return a ? { state: 'absent', ...a } : { state: 'up' };
  }

  absentPorts(): string[] {
    return [...this.absent.keys()].sort();
  }

  /** A batch of link notifications (in the queue): the named af-packet ports, or all after an overrun. */
  onLinks(events: LinkEvent[]): void {
    const all = events.some((e) => e.kind === 'overrun');
    const names = new Set(events.flatMap((e) => (e.kind === 'overrun' ? [] : [e.name])));
    if (all) this.log.warn({ module: 'links' }, 'link notifications overran: looking at every af-packet port again');
    for (const p of this.host.running().ports) if (opensInterface(p.backend) && (all || names.has(p.name))) this.resync(p);
  }

  /** Makes the dataplane match the interface of `p`: attached iff it exists, on its current index. */
  private resync(p: PortConfig): void {
    const idx = this.index(p.name);
    const inDp = this.host.inDataplane(p.name);
    if (inDp && idx !== 0 && idx === this.opened.get(p.name)) return;
    if (inDp) {
      this.host.detach(p);
      this.opened.delete(p.name);
      this.counts.detached++;
      this.markAbsent(p.name, idx === 0 ? `interface ${p.name} was deleted` : `interface ${p.name} was re-created`);
    }
    if (idx === 0) return;
    try {
      this.host.attach(p);
    } catch (e) {
      this.counts.attachFailed++;
      this.markAbsent(p.name, `interface ${p.name} exists but the port cannot attach: ${(e as Error).message}`, 'error');
      return;
    }
    this.opened.set(p.name, idx);
    this.absent.delete(p.name);
    this.counts.attached++;
    this.log.info({ module: 'links', port: p.name, ifindex: idx }, 'port attached: its interface appeared');
  }

  private markAbsent(name: string, reason: string, level: 'warn' | 'error' = 'warn'): void {
    if (this.absent.get(name)?.reason === reason) return;
    this.absent.set(name, { reason, since: Date.now() });
    this.log[level]({ module: 'links', port: name, reason }, 'port absent');
  }
}
