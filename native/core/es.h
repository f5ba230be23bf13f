/* EVPN multihoming in the data plane: Ethernet segments (RFC 7432 §8, all-active)
 * and aliasing groups (§8.4, §14.1).
 *
 * Ethernet segment filter.  A local port (a bond, in practice) attached to an
 * Ethernet segment that other PEs share carries, per VLAN, whether this PE is
 * the segment's designated forwarder (RFC 7432 §8.5, the controller elects),
 * and the VTEP addresses of the other PEs of the segment.  A BUM frame that
 * came from a tunnel (decap) is not flooded to that port
 *  - if we are not the DF for its VLAN (drop_es_not_df): the DF alone floods
 *    BUM traffic from the core into the segment, so the CE gets one copy;
 *  - if its outer source is one of the segment's other PEs (drop_es_local_bias,
 *    RFC 8365 §8.3.1 "local bias"): that PE received the frame from the segment
 *    (or from a local port of its own, which it flooded into the segment
 *    itself), so it never comes back to it through us.
 * Known unicast from a tunnel, and everything from local ports, are not
 * filtered (all-active: every PE forwards unicast into the segment).
 *
 * Aliasing groups.  An egress handle of kind HV_EGRESS_GROUP names a group of
 * up to HV_GROUP_MEMBERS tunnel endpoints (the PEs advertising the MAC's
 * segment, same VNI): l2_forward sends each frame to one of them, picked by
 * the frame's flow hash (the bond's L3/L4 hash), so a flow stays on one PE
 * while the group is stable and flows spread over all of them.
 *
 * Both tables are published copy-on-write in the view (struct hv_view es,
 * groups) by the controller thread, like the VXLAN map: workers read them
 * without locks; a change copies the (small) table and frees the old one after
 * the quiescent state.  Nothing here allocates on the packet path. */
#ifndef HV_ES_H
#define HV_ES_H

#include <stddef.h>
#include <stdint.h>

#include "egress.h"
#include "hv.h"
#include "vxlan.h"

#define HV_ES_MAX 256         /* Ethernet segments (ports with a segment) */
#define HV_ES_PEERS 8         /* other PEs of one segment */
#define HV_GROUP_MAX 65536    /* aliasing group ids 0..HV_GROUP_MAX-1 */
#define HV_GROUP_MEMBERS 8    /* tunnel endpoints of one group */

struct hv_es_entry {
  uint16_t port;
  uint8_t npeers;
  struct hv_vtep_entry peers[HV_ES_PEERS];
  uint8_t ndf[(HV_VLAN_MAX + 8) / 8]; /* bit v: not the DF for VLAN v */
};
struct hv_es_map {
  uint32_t n;
  struct hv_es_entry e[]; /* sorted by port */
};

struct hv_group {
  uint32_t n; /* 0: no such group */
  hv_egress m[HV_GROUP_MEMBERS];
};
struct hv_group_map {
  uint32_t n; /* ids 0..n-1 */
  struct hv_group g[];
};

struct hv_core;
/* Control side.  Attaches port `port` to a segment (replacing its previous
 * settings): the VLANs where we are not the DF, the other PEs' VTEPs.  -1 with
 * `err` naming the bad argument. */
int hv_core_es_set(struct hv_core *c, uint16_t port, const uint16_t *ndf_vlans, uint32_t nndf,
                   const struct hv_vtep_entry *peers, uint32_t npeers, char *err, size_t errlen);
/* Detaches port `port` (-1: it had no segment). */
int hv_core_es_del(struct hv_core *c, uint16_t port);
/* Sets aliasing group `id` to tunnel endpoints `tunnels` (1..HV_GROUP_MEMBERS
 * tunnel ids). -1 with `err`. */
int hv_core_group_set(struct hv_core *c, uint32_t id, const uint32_t *tunnels, uint32_t n, char *err, size_t errlen);
/* Deletes group `id` (-1: none); frames to it count drop_no_backend after. */
int hv_core_group_del(struct hv_core *c, uint32_t id);
/* The members of group `id` now: fills `out` (up to `max`), returns the count (0: none). */
uint32_t hv_core_group_get(struct hv_core *c, uint32_t id, uint32_t *out, uint32_t max);

/* ---- packet path ---------------------------------------------------------- */
struct hv_pkt;
/* The segment entry of `port`, or NULL. */
const struct hv_es_entry *hv_es_find(const struct hv_es_map *m, uint32_t port);
/* 0 if BUM frame `p` from a tunnel may be flooded to port `port`, else the
 * port counter (HV_CTR_drop_es_*) that counts its drop. */
int hv_es_filter(const struct hv_es_map *m, uint32_t port, const struct hv_pkt *p);
/* The tunnel egress of group handle `e` for `p`, or HV_EGRESS_NONE. */
hv_egress hv_group_pick(const struct hv_group_map *g, hv_egress e, const struct hv_pkt *p);
void hv_es_view_free(struct hv_es_map *es, struct hv_group_map *groups);

#endif
