/* Punt ring and inject call: the frames the controller must see, and the
 * frames it sends (ARCHITECTURE.md "Control <-> data").
 *
 * Punt: a port's punt mask (hv_port_settings.punt_mask, 0 by default: nothing
 * is punted and link-local frames are flooded like other multicast) selects
 * classes of frames that go to the controller instead of being forwarded:
 *   stp:  IEEE 802.1D/802.1Q BPDUs, destination 01:80:c2:00:00:00;
 *   slow: IEEE 802.3 Annex 57A slow protocols (LACP, marker), destination
 *         01:80:c2:00:00:02 and ethertype 0x8809, untagged.
 *   arp, nd: ARP and IPv6 NS/NA, *copied* (snooping for EVPN MAC/IP routes):
 *         the frame is forwarded as usual (HV_PUNT_COPY).
 * The punt stage runs before
 * ingress: a matching frame is copied into a fixed-size slot of its worker's
 * single-producer/single-consumer ring and marked dropped with reason
 * `punted` (or `drop_punt_full`, `drop_punt_rate_limited`), which the ingress
 * stage counts.  A per-port token bucket (punt_rate packets/s, default
 * HV_PUNT_RATE_DEFAULT, burst one second) bounds what a port can punt.  A full
 * ring drops and counts; a worker never waits.  The controller is woken by the
 * same notify callback as MAC events (one call per batch) and drains with
 * hv_core_punts().
 *
 * Inject: hv_core_inject() copies a frame into the inject ring of the worker
 * that polls the port (single producer: the controller thread; single
 * consumer: that worker) and wakes it.  The worker sends at most HV_BATCH
 * injected frames per loop through its normal tx stage (tx counters count
 * them), the rest on its next loop.  A full ring returns -ENOBUFS and counts
 * `inject_full` on the port.  Frames leave exactly as given (no tag rewrite). */
#ifndef HV_PUNT_H
#define HV_PUNT_H

#include "hv.h"

/* Punt classes: name, bit, what.  The bit is the mask bit and the reason. */
#define HV_PUNT_CLASSES(X)                                                  \
  X(stp, 1u << 0, "BPDUs to 01:80:c2:00:00:00 (STP/RSTP)")                  \
  X(slow, 1u << 1, "slow protocols to 01:80:c2:00:00:02, ethertype 0x8809") \
  X(arp, 1u << 2, "ARP, copied (snooping: the frame is forwarded too)")     \
  X(nd, 1u << 3, "IPv6 neighbor solicitations/advertisements, copied (snooping)")

enum hv_punt_class {
#define HV_X(name, bit, help) HV_PUNT_##name = (bit),
  HV_PUNT_CLASSES(HV_X)
#undef HV_X
};
/* Classes that are copied, not taken: the frame goes on through the path, a
 * copy goes to the controller (counted `snooped`; a copy the rate limit or a
 * full ring prevents is counted `snoop_lost`, the frame is not affected). */
#define HV_PUNT_COPY (HV_PUNT_arp | HV_PUNT_nd)

#define HV_PUNT_RATE_DEFAULT 100 /* packets/s per port, like other control traffic */
#define HV_PUNT_RING 256         /* slots per worker */
#define HV_PUNT_SNAP 2048        /* bytes kept of a punted frame */
#define HV_INJECT_RING 256       /* frames per worker */

struct hv_punt {
  uint16_t port;
  uint8_t reason;    /* one HV_PUNT_* bit */
  uint8_t truncated; /* the frame was longer than HV_PUNT_SNAP */
  uint32_t len;      /* length of the frame as received */
  uint32_t caplen;   /* bytes in data */
  uint8_t data[HV_PUNT_SNAP];
};

struct hv_core;
/* Drains up to `max` punted frames from all workers; returns the count. */
int hv_core_punts(struct hv_core *c, struct hv_punt *out, int max);
/* Queues a frame for transmission out of a port.  Returns 0, -ENOENT (no such
 * port), -EINVAL (length outside 14..HV_MAX_FRAME), -ENOBUFS (ring full,
 * counted), -ENOMEM. */
int hv_core_inject(struct hv_core *c, uint16_t port, const uint8_t *frame, uint32_t len);

/* ---- internal: the worker's side (core_int.h, worker.c) ------------------- */
struct hv_worker;
struct hv_view;
struct hv_port_cfg;
struct hv_batch;
struct hv_punt_state;
struct hv_punt_state *hv_punt_state_create(void);
void hv_punt_state_destroy(struct hv_punt_state *s);
/* Stage, first of every path (stage.h): punts what the port's mask selects. */
void hv_stage_punt(struct hv_batch *b);
/* Queues up to HV_BATCH injected frames on the tx queues; returns how many.
 * After the tx stage, hv_inject_done() releases their slots. */
int hv_inject_drain(struct hv_worker *w, const struct hv_view *v);
void hv_inject_done(struct hv_worker *w);
/* Calls the notify callback if punted frames wait (one call per batch). */
void hv_punt_notify(struct hv_worker *w);

#endif
