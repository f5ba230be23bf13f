/**
 * A spanning tree bridge running over the dataplane (ARCHITECTURE.md
 * "Control <-> data"): its ports punt the `stp` class (01:80:c2:00:00:00,
 * native/core/punt.c), so BPDUs reach the controller in batches on the
 * dataplane's 'punt' event and are never flooded; the bridge's own BPDUs leave
 * through `inject`. The port states the machines decide are enforced by the
 * core (`setStpState`, native/core/stp.h), and a topology change flushes the
 * port's learned FDB entries (`fdbFlush`; the dataplane's 'flushed' event tells
 * the EVPN side to look again).
 *
 * The ports must be configured with `punt: { classes: ['stp'] }`; the caller
 * reports their link state with `bridge.setLink`. A refused inject (the port's
 * inject ring full) is counted; the port transmit machine sends again at the
 * next hello.
 */
import type { Clock } from '../../util/clock.js';
import { StpBridge, type StpBridgeConfig, type StpLogEvent } from './bridge.js';
import type { PstState } from './port.js';

type Punted = Array<{ port: string; class: string; frame: Buffer }>;

/** What the bridge needs of the Dataplane (src/dataplane/index.ts). */
export interface StpFramePath {
  on(event: 'punt', listener: (frames: Punted) => void): unknown;
  off(event: 'punt', listener: (frames: Punted) => void): unknown;
  inject(port: string, frame: Buffer): boolean;
  setStpState(port: string, state: PstState): void;
  fdbFlush(filter: { bridge?: string; port?: string }): number;
}

export class StpDataplaneBridge {
  readonly bridge: StpBridge;
  /** injects the dataplane refused (inject ring full) */
  injectRefused = 0;
  private readonly onPunt = (frames: Punted) => {
    for (const f of frames) if (f.class === 'stp' && this.has(f.port)) this.bridge.receive(f.port, f.frame);
  };

  constructor(
    private readonly path: StpFramePath,
    /** the dataplane bridge domain the ports are in (for the flush) */
    readonly dataplaneBridge: string,
    config: StpBridgeConfig,
    options: { clock?: Clock; log?: (e: StpLogEvent) => void; state?: (port: string, state: PstState) => void } = {},
  ) {
    this.bridge = new StpBridge(config, {
      transmit: (port, frame) => { if (!this.path.inject(port, frame)) this.injectRefused++; },
      portState: (port, state) => { this.path.setStpState(port, state); options.state?.(port, state); },
      flush: (port) => { this.path.fdbFlush({ bridge: this.dataplaneBridge, port }); },
      log: options.log,
    }, options.clock);
    path.on('punt', this.onPunt);
  }

  private has(port: string): boolean { return this.bridge.ports().some((p) => p.name === port); }

  /** Stop listening and stop the tick; the ports go back to forwarding (no spanning tree). */
  close(): void {
    this.path.off('punt', this.onPunt);
    this.bridge.stop();
    for (const p of this.bridge.ports()) {
      try { this.path.setStpState(p.name, 'forwarding'); } catch { /* the port is gone already */ }
    }
  }
}
