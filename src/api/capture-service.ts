// hvswitch.v1.SwitchService.CapturePort: a capture on a port as a server
// stream (docs/capture.md).  Thin: the dataplane attaches the capture
// (src/dataplane/capture.ts); this adapter maps the request, sends one
// `started` message, then one `packets` message per batch the workers' rings
// deliver, and detaches the capture when the stream ends — `count` frames
// sent (an `ended` message), the port removed (an `ended` message), or the
// client gone (cancelled, closed, errored).  Frames travel as pcap records in
// one bytes field per batch (CapturePackets), never one message per frame.
// While nothing is sent (a filter that matches nothing, an idle port) the
// counters go out once a second when they change, so a client sees filtered
// and dropped frames as they happen.
//
// Back-pressure: gRPC buffers what the client has not read yet.  While the
// stream is over its high-water mark (write() returned false, until 'drain'),
// batches are not queued: their frames are counted as dropped_slow_reader, so
// a slow reader costs memory bounded by one window, never the daemon's heap.
import { status } from '@grpc/grpc-js';

import type { Controller } from '../controller/index.js';
import { CaptureError, UNDERLAY_PORT, type CaptureBatch, type CaptureDirection, type CaptureSession, type CaptureStats } from '../dataplane/index.js';
import { recordsPrefix } from '../util/pcap.js';
import type { Logger } from '../util/logger.js';
import { ApiError, invalid, notFound, toServiceError } from './errors.js';
import type { CaptureCounters } from './gen/hvswitch/v1/CaptureCounters.js';
import type { CaptureDirection as ProtoDirection } from './gen/hvswitch/v1/CaptureDirection.js';
import type { SwitchServiceHandlers } from './gen/hvswitch/v1/SwitchService.js';

const DIRECTION: Record<string, CaptureDirection> = {
  CAPTURE_DIRECTION_UNSPECIFIED: 'both',
  CAPTURE_DIRECTION_IN: 'in',
  CAPTURE_DIRECTION_OUT: 'out',
  CAPTURE_DIRECTION_BOTH: 'both',
};
const PROTO_DIRECTION = { in: 'CAPTURE_DIRECTION_IN', out: 'CAPTURE_DIRECTION_OUT', both: 'CAPTURE_DIRECTION_BOTH' } as const satisfies Record<CaptureDirection, ProtoDirection>;

function counters(s: CaptureStats, slow: number): CaptureCounters {
  return { captured: s.captured, dropped: s.dropped, filtered: s.filtered, droppedSlowReader: slow };
}

/** A refusal of the dataplane as the API error naming the request field. */
function refusal(e: unknown): unknown {
  if (!(e instanceof CaptureError)) return e;
  if (e.busy) return new ApiError(status.FAILED_PRECONDITION, e.message);
  if (e.field === 'port') return notFound(e.message);
  return invalid(e.field, e.message);
}

export function captureHandlers(controller: Controller, log: Logger): Pick<SwitchServiceHandlers, 'CapturePort'> {
  const dp = controller.dataplane;
  return {
    CapturePort: (call) => {
      const req = call.request;
      const direction = DIRECTION[String(req.direction ?? 'CAPTURE_DIRECTION_UNSPECIFIED')];
      const count = req.count ?? 0;
      let session: CaptureSession;
      let sent = 0;
      let slow = 0;
      let congested = false;
      let done = false;
      const finish = (reason: string, stats: CaptureStats) => {
        if (done) return;
        done = true;
        clearInterval(heartbeat);
        call.write({ ended: { reason, counters: counters(stats, slow) } });
        call.end();
        log.info({ port: req.port, capture: session?.id, reason, ...stats, droppedSlowReader: slow }, 'capture ended');
      };
      const onFrames = (batch: CaptureBatch) => {
        if (done) return;
        const n = count ? Math.min(batch.count, count - sent) : batch.count;
        if (congested) slow += n;
        else {
          sent += n;
          const pcap = n === batch.count ? batch.pcap : batch.pcap.subarray(0, recordsPrefix(batch.pcap, n));
          congested = !call.write({ packets: { pcap, directions: batch.directions.subarray(0, n), count: n, counters: counters(session.stats(), slow) } });
        }
        if (count && sent >= count) finish('count reached', session.stop());
      };
      let last = '';
      const heartbeat = setInterval(() => {
        const c = counters(session.stats(), slow);
        const now = JSON.stringify(c);
        if (now !== last && !congested && !done) call.write({ packets: { count: 0, counters: c } });
        last = now;
      }, 1000);
      heartbeat.unref();
      try {
        if (!req.port) throw invalid('port', 'required');
        if (!direction) throw invalid('direction', `unknown direction ${String(req.direction)}`);
        if (req.port !== UNDERLAY_PORT && !dp.hasPort(req.port)) throw notFound(`port: no port named '${req.port}'`);
        session = dp.capture(req.port, { direction, snaplen: req.snaplen || undefined, filter: req.filter || undefined }, {
          frames: onFrames,
          ended: (reason, stats) => finish(reason, stats),
        });
      } catch (e) {
        clearInterval(heartbeat);
        call.emit('error', toServiceError(refusal(e)));
        return;
      }
      call.on('drain', () => (congested = false));
      const gone = () => {
        if (done) return;
        done = true;
        clearInterval(heartbeat);
        const stats = session.stop();
        log.info({ port: req.port, capture: session.id, ...stats, droppedSlowReader: slow }, 'capture detached: client gone');
      };
      call.on('cancelled', gone);
      call.on('close', gone);
      call.on('error', gone);
      call.write({ started: { port: req.port, linktype: session.linktype, snaplen: session.snaplen, direction: PROTO_DIRECTION[direction], captureId: session.id } });
      log.info({ port: req.port, capture: session.id, direction, snaplen: session.snaplen, filter: req.filter || undefined, count }, 'capture attached');
    },
  };
}
