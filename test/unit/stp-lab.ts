/**
 * A virtual-time lab for the clause 17 machines of src/l2gw/stp: bridges
 * wired by cables between ports (each BPDU crosses as the bytes the codec
 * produced), timers on a VirtualClock, a log of every state change.
 */
import { StpBridge, type StpBridgeConfig, type StpLogEvent } from '../../src/l2gw/stp/bridge.js';
import { decodeBpduFrame, type Bpdu } from '../../src/l2gw/stp/bpdu.js';
import type { PstState, StpPortConfig } from '../../src/l2gw/stp/port.js';
import { VirtualClock } from '../../src/util/clock.js';

export interface Sent { at: number; bridge: string; port: string; bpdu: Bpdu }

export class StpLab {
  readonly clock = new VirtualClock();
  readonly bridges = new Map<string, StpBridge>();
  readonly sent: Sent[] = [];
  readonly logs: StpLogEvent[] = [];
  readonly flushes: string[] = [];
  /** "bridge/port" → state the core would enforce */
  readonly states = new Map<string, PstState>();
  /** "bridge/port" → peer "bridge/port" */
  private readonly cable = new Map<string, string>();
  /** sending ends whose frames are lost */
  readonly mute = new Set<string>();
  /** frames held while a cable's two ends come up together (connect) */
  private held: Array<() => void> | undefined;
  /** called after every state change (invariant checks) */
  onState: (() => void) | undefined;

  bridge(name: string, over: Partial<StpBridgeConfig> = {}): StpBridge {
    const n = this.bridges.size + 1;
    const cfg: StpBridgeConfig = { name, mac: `02:00:00:00:00:${String(n).padStart(2, '0')}`, priority: 32768, mode: 'rstp', ...over };
    const b = new StpBridge(cfg, {
      transmit: (port, frame) => this.carry(name, port, frame),
      portState: (port, state) => { this.states.set(`${name}/${port}`, state); this.onState?.(); },
      flush: (port) => this.flushes.push(`${name}/${port}`),
      log: (e) => this.logs.push(e),
    }, this.clock);
    this.bridges.set(name, b);
    return b;
  }

  addPort(end: string, over: Partial<StpPortConfig> = {}): void {
    const [bridge, port] = end.split('/') as [string, string];
    const b = this.bridges.get(bridge)!;
    const number = b.ports().length + 1;
    b.addPort({
      name: port, mac: `02:00:00:00:${String(this.bridges.size).padStart(2, '0')}:${String(number).padStart(2, '0')}`, number,
      priority: 128, pathCost: 20_000, adminEdge: false, autoEdge: true, bpduGuard: false, rootGuard: false, ...over,
    });
  }

  /** Cable a to b (ports created if needed) and bring both links up. */
  connect(a: string, b: string, over: Partial<StpPortConfig> = {}): void {
    this.cable.set(a, b);
    this.cable.set(b, a);
    for (const end of [a, b]) if (!this.has(end)) this.addPort(end, over);
    this.together(() => { for (const end of [a, b]) this.link(end, true); });
  }

  /** Both ends of a link change at the same instant: frames sent meanwhile arrive after both changed. */
  private together(f: () => void): void {
    this.held = [];
    f();
    const held = this.held;
    this.held = undefined;
    for (const d of held) d();
  }

  /** Cut or restore a cable: both ends see the link change. */
  setCable(a: string, up: boolean): void {
    const b = this.cable.get(a)!;
    this.together(() => { this.link(a, up); this.link(b, up); });
  }

  link(end: string, up: boolean): void {
    const [bridge, port] = end.split('/') as [string, string];
    this.bridges.get(bridge)?.setLink(port, up);
  }

  has(end: string): boolean {
    const [bridge, port] = end.split('/') as [string, string];
    return this.bridges.get(bridge)?.ports().some((p) => p.name === port) ?? false;
  }

  port(end: string) {
    const [bridge, port] = end.split('/') as [string, string];
    return this.bridges.get(bridge)!.port(port);
  }
  state(end: string): PstState { return this.states.get(end) ?? 'discarding'; }

  /** Deliver a raw frame to a port as if received. */
  inject(end: string, frame: Buffer): void {
    const [bridge, port] = end.split('/') as [string, string];
    this.bridges.get(bridge)!.receive(port, frame);
  }

  private carry(bridge: string, port: string, frame: Buffer): void {
    const from = `${bridge}/${port}`;
    this.sent.push({ at: this.clock.now(), bridge, port, bpdu: decodeBpduFrame(frame).bpdu });
    const to = this.cable.get(from);
    if (!to || this.mute.has(from) || !this.port(from).linkUp) return;
    const [peerBridge, peerPort] = to.split('/') as [string, string];
    const peer = this.bridges.get(peerBridge);
    const deliver = () => { if (peer && this.port(to).linkUp && this.port(from).linkUp) peer.receive(peerPort, frame); };
    if (this.held) this.held.push(deliver);
    else deliver();
  }

  stop(): void { for (const b of this.bridges.values()) b.stop(); }
}
