/* Packet capture: copies of what a port receives and sends, for the
 * controller to write as pcap (`hvswitch port capture`, docs/capture.md).
 *
 * Attaching: hv_core_capture_start() publishes a capture (direction, snap
 * length, an optional classic BPF filter, bpf.h) in the port's slot of the
 * core's capture table, one atomic pointer per port.  A worker loads that
 * pointer once per received batch (tap `in`, before any stage: the frame as
 * received, a tag the kernel stripped put back in place) and once per tx
 * burst of a port (tap `out`, in tx.c and encap.c: the frame as handed to the
 * port, tag rewritten, outer headers of an encapsulation in front).  With no
 * capture attached that load is the whole cost: no per-packet check, no copy.
 *
 * Copying: each worker has one bounded single-producer/single-consumer byte
 * ring (HV_CAPTURE_RING bytes, allocated when the core is created, touched
 * only when used) of variable-size records: a struct hv_capture_rec header
 * and the first `caplen` bytes of the frame.  The filter runs over the frame
 * in place (an iovec over the pieces, no copy); a frame it accepts is copied
 * into the ring, up to the snap length.  A full ring drops the frame and
 * counts it (`dropped`); a worker never waits and never allocates.  The
 * controller is woken by the notify callback shared with MAC events and punted
 * frames, at most once per 2 ms of records (or when a ring is a quarter full),
 * and drains with hv_core_captures().
 * Timestamps are CLOCK_REALTIME, seconds and nanoseconds as a pcap record
 * header holds them, read once per tapped batch.
 *
 * Detaching: hv_core_capture_stop() clears the slot, waits for a quiescent
 * state of every worker (no worker can still hold the capture), returns the
 * counters and frees it.  Records of a stopped capture still in a ring carry
 * its id, which the controller no longer knows: they are skipped there.
 * One capture per port at a time: a second start is refused (-EBUSY). */
#ifndef HV_CAPTURE_H
#define HV_CAPTURE_H

#include "bpf.h"
#include "hv.h"

enum hv_capture_dir { HV_CAPTURE_IN = 1, HV_CAPTURE_OUT = 2, HV_CAPTURE_BOTH = 3 };

#define HV_CAPTURE_SNAP_DEFAULT 256
#define HV_CAPTURE_SNAP_MAX (HV_MAX_FRAME + 128) /* a whole GSO frame with an outer header */
#define HV_CAPTURE_RING (4u << 20)               /* bytes per worker */

/* One record in a drained buffer: this header, then `caplen` bytes of frame,
 * then padding to `size` (a multiple of 8). */
struct hv_capture_rec {
  uint32_t size;    /* of the whole record */
  uint32_t capture; /* capture id (hv_core_capture_start) */
  uint16_t port;
  uint8_t dir;      /* HV_CAPTURE_IN or HV_CAPTURE_OUT */
  uint8_t pad;
  uint32_t len;     /* length of the frame as received / sent */
  uint32_t caplen;  /* bytes of it that follow */
  uint32_t ts_sec;  /* CLOCK_REALTIME: seconds (UNIX time, as pcap's u32) ... */
  uint32_t ts_nsec; /* ... and nanoseconds */
  uint32_t pad2;
};
#define HV_CAPTURE_REC_HLEN 32

struct hv_capture_stats {
  uint64_t captured; /* records written */
  uint64_t dropped;  /* accepted by the filter, lost: ring full */
  uint64_t filtered; /* rejected by the filter */
};

struct hv_core;
/* Attaches a capture to `port`: `dir` HV_CAPTURE_*, `snaplen` 1..HV_CAPTURE_SNAP_MAX
 * (0: HV_CAPTURE_SNAP_DEFAULT), `prog` a classic BPF program of `nprog`
 * instructions (nprog 0: every frame).  Returns the capture id (> 0), or
 * -ENOENT (no such port), -EBUSY (a capture is attached), -EINVAL (bad
 * direction, snap length or program), -ENOMEM. */
int hv_core_capture_start(struct hv_core *c, uint16_t port, uint8_t dir, uint32_t snaplen,
                          const struct hv_bpf_insn *prog, uint32_t nprog);
/* The counters of capture `id` on `port` so far; -ENOENT if it is not attached. */
int hv_core_capture_stats(struct hv_core *c, uint16_t port, uint32_t id, struct hv_capture_stats *out);
/* Detaches capture `id` from `port` (its final counters into `out` if not
 * NULL); -ENOENT if it is not attached there. */
int hv_core_capture_stop(struct hv_core *c, uint16_t port, uint32_t id, struct hv_capture_stats *out);
/* Moves whole records from the workers' rings into `buf` (`size` bytes);
 * returns the bytes written.  A record larger than what is left of `buf`
 * stays for the next call; `size` >= HV_CAPTURE_REC_HLEN + HV_CAPTURE_SNAP_MAX
 * always makes progress. */
uint32_t hv_core_captures(struct hv_core *c, uint8_t *buf, uint32_t size);

/* ---- internal: the worker's side (core_int.h, worker.c, tx.c, encap.c) ---- */
struct hv_capture;
struct hv_capture_ring;
struct hv_worker;
struct hv_pkt;
struct hv_txreq;
struct hv_capture_ring *hv_capture_ring_create(void);
void hv_capture_ring_destroy(struct hv_capture_ring *r);
/* Frees every attached capture (core destruction). */
void hv_capture_free_all(struct hv_core *c);
/* Tap `in`: the batch received on `port`, as received. */
void hv_capture_rx(struct hv_worker *w, const struct hv_capture *cap, uint16_t port, const struct hv_pkt *pkts, int n);
/* Tap `out`: `n` requests handed to `port`'s tx burst. */
void hv_capture_tx(struct hv_worker *w, const struct hv_capture *cap, uint16_t port, const struct hv_txreq *r, int n);
/* The capture attached to `port` if it taps direction `dir`, else NULL (one atomic load). */
const struct hv_capture *hv_capture_of(struct hv_core *c, uint16_t port, uint8_t dir);
/* Calls the notify callback if records wait (at most every 2 ms, capture.c). */
void hv_capture_notify(struct hv_worker *w);

#endif
