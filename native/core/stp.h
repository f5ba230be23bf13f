/* Spanning tree port states enforced by the core (IEEE 802.1D-2004 §7.4,
 * §17.30): the controller runs RSTP/STP (src/l2gw/stp) and tells the core the
 * state of each bridged port; the core enforces it on the packet path.
 *   forwarding: the default, and the state of every port without STP;
 *   learning:   source MACs are learned, nothing is forwarded in or out;
 *   discarding: nothing is learned, nothing is forwarded in or out.
 * A port is in one bridge domain, so its state is its state in that bridge
 * domain.  BPDUs still reach the controller from a discarding port (the punt
 * stage runs first) and still leave through hv_core_inject (injected frames
 * skip the forwarding stages).
 *
 * The state is one atomic byte per port, written by the controller and read
 * (relaxed) by the workers: a change takes effect on the next batch, without
 * a view commit, so a failover does not wait for the workers' quiescence.
 * A frame that a state stops is counted once on its ingress port:
 * drop_stp_discarding (received on a discarding port, or its one egress port
 * is not forwarding) or drop_stp_learning (received on a learning port, after
 * learning).  A flood simply skips non-forwarding members. */
#ifndef HV_STP_H
#define HV_STP_H

#include <stdint.h>

/* States: name, value, what.  Declared once; the addon exports the table. */
#define HV_STP_STATES(X)                                                      \
  X(forwarding, 0, "learns and forwards (the state of a port without STP)") \
  X(discarding, 1, "neither learns nor forwards, in or out")                  \
  X(learning, 2, "learns source MACs, forwards nothing in or out")

enum hv_stp_state {
#define HV_X(name, value, help) HV_STP_##name = (value),
  HV_STP_STATES(HV_X)
#undef HV_X
  HV_STP_STATE_COUNT
};

struct hv_core;
/* Sets port `id`'s state; 0, -ENOENT (no such port) or -EINVAL (bad state). */
int hv_core_port_stp_set(struct hv_core *c, uint16_t id, uint8_t state);
/* The port's state (HV_STP_forwarding for a port that does not exist). */
uint8_t hv_core_port_stp_get(struct hv_core *c, uint16_t id);

/* ---- internal: the packet path (stage.h) --------------------------------- */
struct hv_batch;
/* Stage after ingress: drops everything from a discarding port. */
void hv_stage_stp_in(struct hv_batch *b);
/* Stage after learn: drops everything from a learning port. */
void hv_stage_stp_learned(struct hv_batch *b);

#endif
