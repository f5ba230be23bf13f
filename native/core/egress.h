/* Egress handles: where a frame leaves the switch, in one 32-bit value that
 * FDB entries and flood lists hold (and, later, FIB next hops).
 *   bits 31..28  kind: a local port, a tunnel endpoint, a bond
 *   bits 27..0   index in that kind's table (port id, tunnel id, bond id)
 * A local port's handle is its port id (kind 0), so a handle and a port id are
 * the same number for ports.  Tunnel endpoints and bonds have no transmit
 * backend yet: forwarding to one is counted (drop_no_backend) and dropped. */
#ifndef HV_EGRESS_H
#define HV_EGRESS_H

#include <stdint.h>

typedef uint32_t hv_egress;

enum hv_egress_kind { HV_EGRESS_PORT = 0, HV_EGRESS_TUNNEL = 1, HV_EGRESS_BOND = 2, HV_EGRESS_GROUP = 3 /* aliasing group of tunnels, es.h */ };

#define HV_EGRESS_INDEX_MASK 0x0fffffffu
#define HV_EGRESS_NONE 0xffffffffu /* no egress (kind 15: never a valid handle) */

static inline hv_egress hv_egress_make(enum hv_egress_kind kind, uint32_t index) {
  return ((uint32_t)kind << 28) | (index & HV_EGRESS_INDEX_MASK);
}
static inline hv_egress hv_egress_port(uint16_t port) { return hv_egress_make(HV_EGRESS_PORT, port); }
static inline enum hv_egress_kind hv_egress_kind_of(hv_egress e) { return (enum hv_egress_kind)(e >> 28); }
static inline uint32_t hv_egress_index(hv_egress e) { return e & HV_EGRESS_INDEX_MASK; }
static inline int hv_egress_is_port(hv_egress e) { return hv_egress_kind_of(e) == HV_EGRESS_PORT; }

#endif
