/* Flood lists: per bridge domain and VLAN, the egresses a broadcast, multicast
 * or unknown-unicast frame is copied to, each with a split-horizon group.
 *
 * The control side (core.c, flood.c) builds one table per bridge domain
 * whenever a port joins, leaves or changes VLANs, or the controller adds or
 * removes an extra member (a tunnel endpoint for EVPN ingress replication,
 * RFC 7432 §11 / RFC 8365 §8.3, or a bond), and publishes it in the view
 * copy-on-write: workers read it without locks and the table it replaced is
 * freed after a quiescent state.  Local ports come first, in port-id order
 * (the order frames were flooded in before flood lists), then extra members in
 * the order they were added.
 *
 * Split horizon: a frame received from a member of group G (G != 0) is not
 * flooded to any member of group G; group 0 is no group, and only the ingress
 * member itself is skipped.  (A BUM frame from a tunnel never goes back into a
 * tunnel: tunnel endpoints share one group; with multihoming, an Ethernet
 * segment's members share one.)
 *
 * Layout: one array of members, sorted by VLAN, and an index of HV_VLAN_MAX+2
 * offsets (16 KiB a bridge domain) so a worker finds a VLAN's members in O(1).
 * A build walks VLANs x ports of the bridge domain: cheap for the port counts
 * a hypervisor has, and only on configuration changes. */
#ifndef HV_FLOOD_H
#define HV_FLOOD_H

#include "egress.h"
#include "hv.h"

struct hv_flood_member {
  hv_egress egress;
  uint16_t group; /* split-horizon group, 0 = none */
  uint16_t pad;
};

struct hv_flood {
  uint32_t nmembers;
  uint32_t start[HV_VLAN_MAX + 2]; /* VLAN v's members: m[start[v] .. start[v + 1]) */
  struct hv_flood_member m[];
};

/* A member the controller added: egress `egress` of group `group` floods
 * (bridge domain `bd`, VLAN `vlan`). */
struct hv_flood_extra {
  uint16_t bd, vlan, group;
  hv_egress egress;
};
#define HV_FLOOD_EXTRA_MAX 65536

/* The members of `vlan` in `fl` (NULL: none); *n receives their count. */
static inline const struct hv_flood_member *hv_flood_members(const struct hv_flood *fl, uint16_t vlan, uint32_t *n) {
  if (!fl || vlan > HV_VLAN_MAX) {
    *n = 0;
    return 0;
  }
  *n = fl->start[vlan + 1] - fl->start[vlan];
  return &fl->m[fl->start[vlan]];
}

struct hv_view;
/* Builds bridge domain `bd`'s table from view `v`'s ports and the extra
 * members; NULL if out of memory. */
struct hv_flood *hv_flood_build(const struct hv_view *v, uint16_t bd, const struct hv_flood_extra *extra,
                                uint32_t nextra);
void hv_flood_free(struct hv_flood *fl);

#endif
