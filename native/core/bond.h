/* Bonds: the data half of IEEE 802.1AX-2008 link aggregation.
 *
 * A bond is a logical port (kind HV_PORT_BOND, no fd, nothing to poll) with
 * the VLAN mode and bridge domain of any bridged port; its members are real
 * ports (TAP, AF_PACKET, memory) of mode HV_MODE_MEMBER naming the bond's port
 * id in their settings.  The controller runs LACP (src/l2gw/lacp/) and marks
 * each member collecting and/or distributing (§5.4.9 Enable_Collecting /
 * Enable_Distributing); the core enforces it:
 *  - receive: a member's batch goes through punt (with the member's mask, which
 *    always holds the slow class: LACPDUs and markers reach the controller,
 *    rate-limited per member and counted, and are never forwarded), then the
 *    bond_rx stage: frames of a member not collecting are dropped and counted
 *    (drop_bond_not_collecting), the rest become the bond's batch — punt again
 *    with the bond's mask (BPDUs of STP on the bond), ingress, learn,
 *    l2_forward: learning and flooding see the bond, never a member;
 *  - transmit: l2_forward and flooding queue a frame for the bond; hv_bond_put
 *    picks one distributing member by the bond's hash (l2: the MACs and VLAN;
 *    l3l4: IPv4/IPv6 addresses and TCP/UDP/SCTP ports, unfragmented, falling back to
 *    l2 for other frames) so a flow always leaves on one member while the set
 *    is stable; no distributing member: counted drop (drop_bond_no_member).
 * The distributing set is a small array in the bond's view entry, rebuilt
 * from the members' flags at every view publish (hv_bond_refresh), so a
 * member removed, re-moded or deleted leaves it in the same publish; workers
 * read it without locks or allocation, like the rest of the view.
 *
 * Not here: the Marker protocol responder (markers are punted like LACPDUs),
 * per-conversation distribution (802.1AX-2014), a bond of layer-3 mode. */
#ifndef HV_BOND_H
#define HV_BOND_H

#include <stddef.h>

#include "hv.h"

#define HV_BOND_MAX_MEMBERS 16

/* Transmit hash policies (the config's `hash`). */
enum hv_bond_hash { HV_BOND_HASH_L2 = 0, HV_BOND_HASH_L3L4 = 1 };

/* Bond state of one port's view entry (struct hv_port_cfg.bond). */
struct hv_bond_cfg {
  uint16_t of;          /* member: the bond's port id (from hv_port_settings.bond) */
  uint8_t collecting;   /* member: frames received are accepted */
  uint8_t distributing; /* member: frames for the bond may leave here */
  uint8_t hash;         /* bond: enum hv_bond_hash */
  uint8_t ndist;        /* bond: distributing members, in dist[] (port-id order) */
  uint16_t dist[HV_BOND_MAX_MEMBERS];
};

struct hv_core;
struct hv_port_open_params;
struct hv_port;

/* Control side (the controller thread, like every hv_core_* call). */
/* Marks member port `member` collecting / distributing (0 or 1).  -1 with
 * `err` if it is not a member of a bond. */
int hv_core_bond_member(struct hv_core *c, uint16_t member, int collecting, int distributing, char *err,
                        size_t errlen);
/* Sets bond `bond`'s transmit hash; -1 with `err` if it is not a bond or the hash is unknown. */
int hv_core_bond_hash(struct hv_core *c, uint16_t bond, uint8_t hash, char *err, size_t errlen);
/* The members bond `bond` distributes to now: fills `out` (up to `max`), returns the count. */
int hv_core_bond_distributing(struct hv_core *c, uint16_t bond, uint16_t *out, int max);

/* ---- internal ------------------------------------------------------------ */
struct hv_view;
struct hv_port_cfg;
struct hv_port_settings;
struct hv_batch;
struct hv_worker;
struct hv_pkt;
/* The bond backend of hv_port_open (kind HV_PORT_BOND): no fd, no rx, no tx. */
struct hv_port *hv_port_bond_open(const struct hv_port_open_params *pp, char *err, size_t errlen);
/* Settings rules for bonds and members (hv_core_port_add/set); `kind` is the
 * port's backend.  -1 with `err`. */
int hv_bond_settings_check(const struct hv_view *v, int kind, uint16_t id, const struct hv_port_settings *s,
                           char *err, size_t errlen);
/* Copies a member's bond from its settings (a new bond clears its flags). */
void hv_bond_apply(struct hv_port_cfg *pc, const struct hv_port_settings *s);
/* Before a view is published: members always punt the slow class, and each
 * bond's distributing set is rebuilt from its members. */
void hv_bond_refresh(struct hv_view *n);
/* Stage (path of member ports, stage.h): member -> bond, collecting check. */
void hv_stage_bond_rx(struct hv_batch *b);
/* Queues `p` for bond `id` (its view entry `bond`) with egress TCI `tci` on
 * the distributing member its hash picks (tx of the batch's worker). */
void hv_bond_put(struct hv_worker *w, const struct hv_port_cfg *bond, uint16_t id, struct hv_pkt *p, uint16_t tci);
/* The transmit hash of `p` under policy `hash` (exposed for tests). */
uint64_t hv_bond_flow_hash(uint8_t hash, const struct hv_pkt *p);

#endif
