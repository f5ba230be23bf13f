// `hvswitch port capture PORT [-i in|out|both] [-c N] [-S SNAPLEN] [--filter EXPR] -w FILE|-`:
// what a port receives and sends, written as pcap (or pcapng with --pcapng)
// the way `tcpdump -w` writes it: the file header as soon as the daemon says
// the capture is attached, then every batch of frames as one write, so
// `hvswitch port capture vm1 -w - | tshark -r -` shows frames while it runs.
// Ends after -c frames, on SIGINT/SIGTERM, or when the reader of `-w -` goes
// away; the daemon detaches the capture when the stream ends.  A summary like
// tcpdump's (captured, dropped by the ring, filtered) goes to stderr.
import { closeSync, openSync, writeSync } from 'node:fs';

import { Option, type Command } from 'commander';

import type { CaptureCounters__Output } from '../../api/gen/hvswitch/v1/CaptureCounters.js';
import type { CaptureDirection } from '../../api/gen/hvswitch/v1/CaptureDirection.js';
import type { CapturePortResponse__Output } from '../../api/gen/hvswitch/v1/CapturePortResponse.js';
import { fileHeader, parseRecords, records, recordsPrefix, type CaptureFormat } from '../../util/pcap.js';
import { int, type CliContext } from '../context.js';

interface CaptureOpts {
  direction: 'in' | 'out' | 'both';
  count?: number;
  snaplen?: number;
  filter?: string;
  write: string;
  pcapng?: boolean;
  quiet?: boolean;
}

const DIRECTION = { in: 'CAPTURE_DIRECTION_IN', out: 'CAPTURE_DIRECTION_OUT', both: 'CAPTURE_DIRECTION_BOTH' } as const satisfies Record<CaptureOpts['direction'], CaptureDirection>;

/** Where the capture goes: a file (created or truncated) or stdout; writes are synchronous (flushed per batch). */
class Sink {
  private fd: number | undefined;
  closedByReader = false;
  constructor(private path: string) {}
  open(): void {
    this.fd = this.path === '-' ? 1 : openSync(this.path, 'w');
  }
  write(b: Buffer): boolean {
    if (this.fd === undefined || this.closedByReader) return false;
    try {
      for (let off = 0; off < b.length; ) off += writeSync(this.fd, b, off);
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EPIPE') throw e;
      this.closedByReader = true; // `| tshark` exited: end quietly
      return false;
    }
  }
  close(): void {
    if (this.fd !== undefined && this.fd !== 1) closeSync(this.fd);
    this.fd = undefined;
  }
}

function summary(written: number, c: CaptureCounters__Output | null | undefined, reason: string): string {
  const lines = [`${written} packet${written === 1 ? '' : 's'} written${reason ? ` (${reason})` : ''}`];
  if (c) {
    lines.push(`${c.captured} packets captured`, `${c.filtered} packets rejected by the filter`);
    lines.push(`${c.dropped} packets dropped by the capture ring`, `${c.droppedSlowReader} packets dropped: reader too slow`);
  }
  return `${lines.join('\n')}\n`;
}

function capture(x: CliContext, port: string, o: CaptureOpts): Promise<void> {
  const format: CaptureFormat = o.pcapng ? 'pcapng' : 'pcap';
  const sink = new Sink(o.write);
  return new Promise((resolve, reject) => {
    const call = x.sw().CapturePort({ port, direction: DIRECTION[o.direction], count: o.count ?? 0, snaplen: o.snaplen ?? 0, filter: o.filter ?? '' });
    let written = 0;
    let counters: CaptureCounters__Output | null | undefined;
    let reason = '';
    let stopped = false;
    const stop = (why: string) => {
      if (stopped) return;
      stopped = true;
      reason = why;
      call.cancel();
    };
    const onSignal = () => stop('interrupted');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const done = (err?: Error) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      sink.close();
      if (err) return reject(err); // the error alone, no summary of a capture that did not run
      if (!o.quiet) process.stderr.write(summary(written, counters, reason));
      resolve();
    };
    call.on('data', (r: CapturePortResponse__Output) => {
      if (r.started) {
        sink.open();
        sink.write(fileHeader(format, { linktype: r.started.linktype, snaplen: r.started.snaplen, ifName: port }));
      } else if (r.packets) {
        counters = r.packets.counters;
        const n = o.count ? Math.min(r.packets.count, o.count - written) : r.packets.count;
        if (n === 0) return; // counters only
        // pcap: the records as they came; pcapng: each with its direction
        const pcap = r.packets.pcap.subarray(0, recordsPrefix(r.packets.pcap, n));
        const b = format === 'pcap' ? pcap : records(format, parseRecords(pcap, r.packets.directions));
        if (sink.write(b)) written += n;
        else stop('reader closed');
        if (o.count && written >= o.count) stop('count reached');
      } else if (r.ended) {
        counters = r.ended.counters;
        reason ||= r.ended.reason;
      }
    });
    // 'status' comes last, once; 'error' (also emitted for our own cancel) only tells why
    let failure: Error | undefined;
    call.on('error', (e) => (failure = e));
    call.on('status', (st) => done(st.code === 0 || stopped ? undefined : (failure ?? new Error(st.details))));
  });
}

export function addCaptureCommand(port: Command, x: CliContext): void {
  x.sub(port, 'capture', 'write what a port receives and sends as pcap, like tcpdump -w')
    .argument('<port>', "a port, or 'vxlan-underlay' (out only on a UDP underlay)")
    .addOption(new Option('-i, --direction <dir>', 'in | out | both').choices(Object.keys(DIRECTION)).default('both'))
    .option('-c, --count <n>', 'stop after n frames', int('count', 1, 0xffffffff))
    // -S, not tcpdump's -s: -s is the program's --socket, recognised after the subcommand too
    .option('-S, --snaplen <bytes>', 'bytes kept of each frame (default 256; up to 65728: whole frames)', int('snaplen', 1, 262144))
    .option('--filter <expr>', "tcpdump filter expression (pcap-filter(7)), e.g. 'icmp or arp'")
    .requiredOption('-w, --write <file>', "the capture file, '-' for stdout")
    .option('--pcapng', "write pcapng (keeps each frame's direction) instead of pcap")
    .option('-q, --quiet', 'no summary on stderr')
    .action((name: string, o: CaptureOpts) => capture(x, name, o));
}
