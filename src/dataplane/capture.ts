// Packet capture on a port (native/core/capture.h, docs/capture.md): what the
// port receives (`in`, the frame as received) and sends (`out`, the frame as
// handed to the port: tag rewritten, outer headers of an encapsulation in
// front), cut at a snap length, filtered by a tcpdump expression.
//
// The expression is compiled here by libpcap (pcap_compile on a dead handle,
// the addon's compileFilter) for the port's link type, and run by the core
// over each frame before it is copied: a frame the filter rejects costs no
// copy and no trip through the ring.  The workers copy accepted frames into
// bounded per-worker rings; the controller drains them when woken (the wake-up
// shared with MAC events and punted frames, index.ts), one Buffer of packed
// records per drain, and hands each capture its frames as one batch.
//
// Link types: Ethernet (LINKTYPE_ETHERNET) on every port but the VXLAN
// underlay, whose frames are IP datagrams (LINKTYPE_RAW): on the underlay,
// `out` records the datagram as sent (outer IP/UDP/VXLAN + the inner frame);
// `in` is refused on a UDP underlay, whose socket hands us datagrams without
// their IP/UDP headers (capture them with tcpdump on the host's uplink).
// One capture per port at a time: a second is refused, naming the first.
import { loadAddon, type RawCore } from './addon.js';
import { DataplaneError, type Registry } from './registry.js';
import { UNDERLAY_PORT, type Tunnels } from './tunnels.js';

export type CaptureDirection = 'in' | 'out' | 'both';

/** pcap link types (https://www.tcpdump.org/linktypes.html). */
export const LINKTYPE = { ethernet: 1, raw: 101 } as const;

export interface CaptureOptions {
  direction: CaptureDirection;
  /** bytes kept of each frame, 1..snapMax; default snapDefault */
  snaplen?: number;
  /** a tcpdump filter expression (pcap-filter(7)); none: every frame */
  filter?: string;
}

/** The frames of one capture the workers delivered in one drain, ready to
 *  write: `pcap` holds them as pcap savefile records (16-byte header: seconds,
 *  nanoseconds, captured length, original length, little-endian; then the
 *  bytes), which is what the API sends and `hvswitch port capture` writes,
 *  with no per-frame object on the way. */
export interface CaptureBatch {
  pcap: Buffer;
  /** one byte per frame, in order: 1 received (in), 2 sent (out) */
  directions: Buffer;
  count: number;
}

export interface CaptureStats {
  /** frames copied into the ring */
  captured: number;
  /** frames the filter accepted but a full ring dropped */
  dropped: number;
  /** frames the filter rejected */
  filtered: number;
}

export interface CaptureSession {
  readonly id: number;
  readonly port: string;
  readonly linktype: number;
  readonly snaplen: number;
  readonly direction: CaptureDirection;
  stats(): CaptureStats;
  /** Detaches the capture (idempotent); its final counters. */
  stop(): CaptureStats;
}

/** A capture refused: `field` is the option at fault, `busy` another capture holds the port. */
export class CaptureError extends DataplaneError {
  constructor(
    readonly field: 'port' | 'direction' | 'snaplen' | 'filter',
    message: string,
    readonly busy = false,
  ) {
    super(message);
  }
}

export interface CaptureHandlers {
  frames(batch: CaptureBatch): void;
  /** the capture ended without stop(): its port was removed */
  ended(reason: string, stats: CaptureStats): void;
}

const addon = loadAddon();
const table = addon.capture;
export const captureLimits = { snapDefault: table.snapDefault, snapMax: table.snapMax, ringBytes: table.ringBytes };
const DIR = { in: table.dirIn, out: table.dirOut, both: table.dirBoth } as const;
const ZERO: CaptureStats = { captured: 0, dropped: 0, filtered: 0 };
/** captures() calls per drain, each at most 1 MiB of records: a drain is bounded. */
const DRAIN_ROUNDS = 8;

/** A tcpdump expression as classic BPF for `linktype`; throws libpcap's message. */
export function compileFilter(expr: string, linktype: number, snaplen: number): Buffer {
  try {
    return addon.compileFilter(expr, linktype, snaplen);
  } catch (e) {
    throw new CaptureError('filter', `filter: ${(e as Error).message}`);
  }
}

interface Attached {
  session: CaptureSession;
  portId: number;
  handlers: CaptureHandlers;
}

export class Captures {
  private byId = new Map<number, Attached>();

  constructor(
    private core: RawCore,
    private reg: Registry,
    private tunnels: Tunnels,
  ) {}

  /** Attaches a capture to `port` (a configured port or UNDERLAY_PORT). */
  start(port: string, opts: CaptureOptions, handlers: CaptureHandlers): CaptureSession {
    const { portId, linktype } = this.target(port, opts.direction);
    const snaplen = opts.snaplen ?? table.snapDefault;
    if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > table.snapMax)
      throw new CaptureError('snaplen', `capture ${port}: snaplen must be 1-${table.snapMax}, got ${opts.snaplen}`);
    const prog = opts.filter?.trim() ? compileFilter(opts.filter, linktype, snaplen) : null;
    const busy = [...this.byId.values()].find((a) => a.portId === portId);
    if (busy) throw new CaptureError('port', `capture ${port}: a capture is already running on this port (capture ${busy.session.id}); one per port`, true);
    const id = this.core.captureStart(portId, DIR[opts.direction], snaplen, prog);
    let final: CaptureStats | undefined;
    let stopping = false;
    const stats = () => final ?? this.core.captureStats(portId, id) ?? ZERO;
    const session: CaptureSession = {
      id, port, linktype, snaplen, direction: opts.direction, stats,
      stop: () => {
        if (final || stopping) return stats(); // stopping: called by a handler during the last drain
        stopping = true;
        this.drain(); // what the rings hold of it still goes to its handlers
        final = this.core.captureStop(portId, id) ?? ZERO;
        this.byId.delete(id);
        return final;
      },
    };
    this.byId.set(id, { session, portId, handlers });
    return session;
  }

  /** The port's id and link type; refuses what cannot be captured. */
  private target(port: string, direction: CaptureDirection): { portId: number; linktype: number } {
    if (!(direction in DIR)) throw new CaptureError('direction', `capture ${port}: direction must be in, out or both, got ${direction}`);
    if (port !== UNDERLAY_PORT) {
      const p = this.reg.ports.get(port);
      if (!p) throw new CaptureError('port', `capture: no port named ${port}`);
      return { portId: p.id, linktype: LINKTYPE.ethernet };
    }
    const portId = this.tunnels.portId();
    if (portId === undefined) throw new CaptureError('port', `capture ${port}: no vtep configured`);
    if (direction !== 'out' && this.tunnels.backend() === 'udp')
      throw new CaptureError('direction', `capture ${port}: only direction out on a UDP underlay (received datagrams reach the switch without their IP/UDP headers: capture them with tcpdump on the uplink)`);
    return { portId, linktype: LINKTYPE.raw };
  }

  /** Ends the captures of a port about to be removed (their handlers' `ended`). */
  portRemoved(port: string): void {
    for (const a of [...this.byId.values()]) if (a.session.port === port) a.handlers.ended('port removed', a.session.stop());
  }

  /** Ends every capture (the dataplane is closing). */
  closeAll(): void {
    for (const a of [...this.byId.values()]) a.handlers.ended('dataplane closed', a.session.stop());
  }

  /** Hands the records waiting in the rings to their captures, one batch each. */
  drain(): void {
    for (let round = 0; round < DRAIN_ROUNDS; round++) {
      const buf = this.core.captures();
      if (!buf) return;
      for (const [id, batch] of toPcap(buf)) this.byId.get(id)?.handlers.frames(batch); // unknown id: a stopped capture
    }
  }
}

/** Core records (struct hv_capture_rec, capture.h: size u32, capture u32,
 *  port u16, dir u8, pad u8, len u32, caplen u32, ts_sec u32, ts_nsec u32,
 *  pad u32; then caplen bytes, padded to `size`) as pcap records per capture:
 *  one pass to size each capture's buffer, one to copy. */
export function toPcap(buf: Buffer): Map<number, CaptureBatch> {
  const H = table.recordHeader;
  const sizes = new Map<number, { bytes: number; count: number }>();
  for (let off = 0; off + H <= buf.length; off += buf.readUInt32LE(off)) {
    const id = buf.readUInt32LE(off + 4);
    const t = sizes.get(id) ?? { bytes: 0, count: 0 };
    t.bytes += 16 + buf.readUInt32LE(off + 16);
    t.count++;
    sizes.set(id, t);
  }
  const out = new Map<number, CaptureBatch & { at: number }>();
  for (const [id, t] of sizes) out.set(id, { pcap: Buffer.allocUnsafe(t.bytes), directions: Buffer.allocUnsafe(t.count), count: 0, at: 0 });
  for (let off = 0; off + H <= buf.length; off += buf.readUInt32LE(off)) {
    const b = out.get(buf.readUInt32LE(off + 4))!;
    const caplen = buf.readUInt32LE(off + 16);
    b.pcap.writeUInt32LE(buf.readUInt32LE(off + 20), b.at); // seconds
    b.pcap.writeUInt32LE(buf.readUInt32LE(off + 24), b.at + 4); // nanoseconds
    b.pcap.writeUInt32LE(caplen, b.at + 8);
    b.pcap.writeUInt32LE(buf.readUInt32LE(off + 12), b.at + 12); // original length
    buf.copy(b.pcap, b.at + 16, off + H, off + H + caplen);
    b.at += 16 + caplen;
    b.directions[b.count++] = buf[off + 10] === table.dirIn ? 1 : 2;
  }
  return new Map([...out].map(([id, { pcap, directions, count }]) => [id, { pcap, directions, count }]));
}
