/* The dataplane core: ports, bridge domains, worker threads, and the control
 * API the addon exposes to the controller.
 *
 * Control <-> data (ARCHITECTURE.md): all forwarding config lives in one
 * immutable `hv_view` (ports with their mode and VLANs, bridge domains) that
 * workers load once per batch.  The controller changes it copy-on-write:
 * copy, edit, publish with one atomic store, then wait for a quiescent state of
 * every worker (QSBR: each worker bumps an epoch per loop and marks itself
 * offline while blocked in poll) before freeing what the old view referenced
 * (closed ports, destroyed FDBs, replaced flood lists).  FDBs are shared by views and written in
 * place under their own rules (fdb.h).  Workers report MAC events through a
 * bounded ring each; a full ring drops and counts.  The controller is woken by
 * one callback per drained batch, never per packet.
 * Control calls are not thread-safe among themselves: the controller is one
 * thread (Node's main thread). */
#ifndef HV_CORE_H
#define HV_CORE_H

#include "bond.h"
#include "capture.h"
#include "fdb.h"
#include "flood.h"
#include "l3.h"
#include "port.h"
#include "punt.h"
#include "mpls.h"
#include "vxlan.h"

/* Port modes.  Code asks what a mode is through the predicates below, never by
 * comparing the numbers (a tunnel or bond-member mode can come in anywhere). */
enum hv_port_mode {
  HV_MODE_ACCESS = 1, HV_MODE_TRUNK = 2, HV_MODE_ROUTED = 3, HV_MODE_VM = 4, HV_MODE_UNDERLAY = 5,
  HV_MODE_MEMBER = 6 /* a bond member (bond.h): its frames are the bond's */
};

static inline int hv_mode_valid(uint8_t m) {
  return m == HV_MODE_ACCESS || m == HV_MODE_TRUNK || m == HV_MODE_ROUTED || m == HV_MODE_VM ||
         m == HV_MODE_UNDERLAY || m == HV_MODE_MEMBER;
}
/* Bridged: the port is in a bridge domain (802.1Q VLAN rules, MAC learning). */
static inline int hv_mode_is_bridged(uint8_t m) { return m == HV_MODE_ACCESS || m == HV_MODE_TRUNK; }
/* Layer 3: the port belongs to a VRF and its frames are routed, untagged. */
static inline int hv_mode_is_l3(uint8_t m) { return m == HV_MODE_ROUTED || m == HV_MODE_VM; }
/* Underlay: the port carries tunnels (vxlan.h); in no bridge domain nor VRF. */
static inline int hv_mode_is_underlay(uint8_t m) { return m == HV_MODE_UNDERLAY; }
/* Bond member (bond.h): in no bridge domain nor VRF, its bond is. */
static inline int hv_mode_is_member(uint8_t m) { return m == HV_MODE_MEMBER; }

/* Layer-3 settings of a routed or VM port (l3.h). */
struct hv_l3_cfg {
  uint16_t vrf;
  uint8_t mac[6];               /* our MAC on this port (router MAC) */
  uint8_t n4, n6;
  uint32_t addr4[HV_L3_ADDRS];  /* interface addresses, host order (routed ports) */
  uint8_t plen4[HV_L3_ADDRS];
  uint8_t addr6[HV_L3_ADDRS][16];
  uint8_t plen6[HV_L3_ADDRS];
  uint8_t vm_mac[6];            /* VM ports: the VM's MAC and addresses */
  uint8_t nvm4, nvm6;
  uint32_t vm4[HV_L3_ADDRS];
  uint8_t vm6[HV_L3_ADDRS][16];
};

struct hv_port_cfg {
  struct hv_port *port; /* NULL: free slot */
  uint16_t bd;          /* bridge-domain index, HV_NO_BD if none */
  uint8_t mode;
  uint8_t worker;
  uint16_t vlan;        /* access: its VLAN; trunk: native VLAN, 0 = none */
  uint32_t mac_limit;
  uint64_t allowed[64]; /* trunk: allowed VLAN bitmap */
  struct hv_l3_cfg l3;  /* routed and VM ports */
  uint16_t flood_group; /* split-horizon group of this port in flood lists (flood.h), 0 = none */
  uint32_t punt_mask;   /* HV_PUNT_* classes sent to the controller (punt.h), 0 = none */
  uint32_t punt_rate;   /* punted packets/s, 0 = HV_PUNT_RATE_DEFAULT */
  struct hv_bond_cfg bond; /* a bond, or a member of one (bond.h) */
};
#define HV_NO_BD 0xffff

static inline int hv_port_is_bridged(const struct hv_port_cfg *pc) { return hv_mode_is_bridged(pc->mode); }
static inline int hv_port_is_l3(const struct hv_port_cfg *pc) { return hv_mode_is_l3(pc->mode); }
static inline int hv_port_is_underlay(const struct hv_port_cfg *pc) { return hv_mode_is_underlay(pc->mode); }
static inline int hv_port_is_member(const struct hv_port_cfg *pc) { return hv_mode_is_member(pc->mode); }
/* The logical port of a bond (bond.h). */
static inline int hv_port_is_bond(const struct hv_port_cfg *pc) { return pc->port && pc->port->kind == HV_PORT_BOND; }
static inline int hv_port_is_access(const struct hv_port_cfg *pc) { return pc->mode == HV_MODE_ACCESS; }
static inline int hv_port_is_trunk(const struct hv_port_cfg *pc) { return pc->mode == HV_MODE_TRUNK; }
/* A routed VM port: the VM's MAC and addresses are configured (l3.h). */
static inline int hv_port_is_vm(const struct hv_port_cfg *pc) { return pc->mode == HV_MODE_VM; }

struct hv_fib4;
struct hv_fib6;
struct hv_vrf {
  uint16_t index;
  struct hv_fib4 *fib4;
  struct hv_fib6 *fib6;
};

struct hv_bd {
  uint16_t index;
  struct hv_fdb *fdb;
};

struct hv_view {
  uint64_t version;
  uint32_t nports; /* highest port id + 1 */
  struct hv_port_cfg ports[HV_MAX_PORTS];
  struct hv_bd *bds[HV_MAX_BDS];
  struct hv_vrf *vrfs[HV_MAX_VRFS];
  struct hv_flood *flood[HV_MAX_BDS]; /* per bridge domain, NULL: no members */
  struct hv_vxlan_map *vx;            /* VNIs and remote VTEPs for decapsulation (vxlan.h), NULL: none */
  struct hv_es_map *es;               /* Ethernet segments of local ports (es.h), NULL: none */
  struct hv_group_map *groups;        /* aliasing groups of tunnels (es.h), NULL: none */
};

struct hv_core_params {
  uint32_t workers;  /* default 1 */
  uint32_t aging_s;  /* default 300 */
  uint32_t poll_ms;  /* worker poll timeout, default 100 */
};

struct hv_worker_stats {
#define HV_X(name, help) uint64_t name;
  HV_WORKER_STATS(HV_X)
#undef HV_X
};

typedef void (*hv_notify_fn)(void *ctx);

struct hv_core;

struct hv_core *hv_core_create(const struct hv_core_params *p);
int hv_core_start(struct hv_core *c, char *err, size_t errlen);
void hv_core_stop(struct hv_core *c);
void hv_core_destroy(struct hv_core *c); /* stops, closes ports, frees */
void hv_core_set_aging(struct hv_core *c, uint32_t aging_s);
uint32_t hv_core_now(const struct hv_core *c);
uint32_t hv_core_workers(const struct hv_core *c);

int hv_core_bd_add(struct hv_core *c, uint16_t index, uint32_t max_macs, char *err, size_t errlen);
int hv_core_bd_del(struct hv_core *c, uint16_t index);

struct hv_port_settings {
  uint16_t bd;
  uint8_t mode;
  uint16_t vlan;
  uint32_t mac_limit;
  uint64_t allowed[64];
  struct hv_l3_cfg l3;
  uint16_t flood_group; /* split-horizon group (flood.h), 0 = none */
  uint32_t punt_mask; /* punt.h */
  uint32_t punt_rate;
  uint16_t bond; /* mode member: the bond's port id (bond.h) */
};
/* Opens the port and adds it; returns its id (>= 0) or -1 with `err`. */
int hv_core_port_add(struct hv_core *c, const struct hv_port_open_params *pp,
                     const struct hv_port_settings *s, char *err, size_t errlen);
int hv_core_port_set(struct hv_core *c, uint16_t id, const struct hv_port_settings *s, char *err,
                     size_t errlen);
int hv_core_port_del(struct hv_core *c, uint16_t id);
struct hv_port *hv_core_port(struct hv_core *c, uint16_t id);
void hv_core_port_stats(struct hv_core *c, uint16_t id, struct hv_port_counters *out);
uint32_t hv_core_port_macs(struct hv_core *c, uint16_t id);

/* FDB of a bridge domain (NULL if none). */
struct hv_fdb *hv_core_fdb(struct hv_core *c, uint16_t bd);

/* Flood lists (flood.h).  Ports are members by their VLAN membership; these
 * add or remove other members (a tunnel endpoint or bond handle, never a local
 * port) of (bd, vlan) with a split-horizon group.  Adding one that exists
 * updates its group.  Returns 0, or -1 (with `err` for add). */
int hv_core_flood_add(struct hv_core *c, uint16_t bd, uint16_t vlan, hv_egress egress, uint16_t group, char *err,
                      size_t errlen);
int hv_core_flood_del(struct hv_core *c, uint16_t bd, uint16_t vlan, hv_egress egress);
/* The published flood table of a bridge domain (NULL: none), valid until the next control call. */
const struct hv_flood *hv_core_flood(struct hv_core *c, uint16_t bd);

/* Layer 3 (l3.h).  Route and next-hop changes follow the rules there. */
int hv_core_vrf_add(struct hv_core *c, uint16_t index, char *err, size_t errlen);
int hv_core_vrf_del(struct hv_core *c, uint16_t index);
int hv_core_route4(struct hv_core *c, uint16_t vrf, uint32_t prefix, uint8_t len, uint32_t nh, int del);
int hv_core_route6(struct hv_core *c, uint16_t vrf, const uint8_t prefix[16], uint8_t len, uint32_t nh, int del);
int hv_core_nh_set(struct hv_core *c, uint32_t id, const struct hv_nh *nh);
/* Waits for a quiescent state of every worker, then lets the FIBs reuse what
 * deleted routes freed.  Call after a batch of route/next-hop removals. */
void hv_core_synchronize(struct hv_core *c);
/* FIB groups unlinked by removals and waiting for the next synchronize, over
 * every VRF: with none, a synchronize would reclaim nothing (a route change in
 * place, an add) and its wait for the workers can be skipped. */
size_t hv_core_fib_retired(struct hv_core *c);
/* The FIB as the controller's table of installed routes (it keeps no copy):
 * the next hop of the rule prefix/len of `vrf` (0, or -ENOENT: no such rule
 * or VRF), every rule of `vrf` (fn4/fn6 as hv_fib4_walk/hv_fib6_walk; -ENOENT
 * without the VRF), and the rule counts per family. */
int hv_core_route4_get(struct hv_core *c, uint16_t vrf, uint32_t prefix, uint8_t len, uint32_t *nh);
int hv_core_route6_get(struct hv_core *c, uint16_t vrf, const uint8_t prefix[16], uint8_t len, uint32_t *nh);
int hv_core_route_walk(struct hv_core *c, uint16_t vrf,
                       int (*fn4)(void *ctx, uint32_t prefix, uint8_t len, uint32_t nh),
                       int (*fn6)(void *ctx, const uint8_t prefix[16], uint8_t len, uint32_t nh), void *ctx);
int hv_core_route_count(struct hv_core *c, uint16_t vrf, size_t *n4, size_t *n6);
struct hv_neigh_table *hv_core_neigh(struct hv_core *c);
/* EVPN ARP/ND suppression bindings (suppress.h): the controller writes them, workers read them. */
struct hv_suppress *hv_core_suppress(struct hv_core *c);

/* Drains up to `max` events from all workers; returns the count. */
int hv_core_events(struct hv_core *c, struct hv_event *out, int max);
void hv_core_set_notify(struct hv_core *c, hv_notify_fn fn, void *ctx);
void hv_core_worker_stats(struct hv_core *c, uint32_t w, struct hv_worker_stats *out);
/* Worker `w`'s polling mode (polling.h: 0 interrupt, 1 adaptive, 2 busy) and
 * adaptive budget in microseconds (at most HV_POLL_BUDGET_MAX_US), at once,
 * running or not; a worker blocked in poll is woken to apply it.  -1 if `w`,
 * `mode` or `budget_us` is out of range. */
int hv_core_set_polling(struct hv_core *c, uint32_t w, uint32_t mode, uint32_t budget_us);
/* Worker `w`'s polling mode and budget; -1 if `w` is out of range. */
int hv_core_get_polling(const struct hv_core *c, uint32_t w, uint32_t *mode, uint32_t *budget_us);
/* Worker `w`'s adaptive refinements (polling.h): the traffic-aware budget's
 * bound (at most HV_POLL_BUDGET_GROW_MAX_US; not above budget_us: off) and the
 * nap (at most HV_POLL_NAP_MAX_US; 0: spin).  Taken at the worker's next loop
 * (set them before hv_core_set_polling, which wakes it).  -1 if out of range. */
int hv_core_set_polling_growth(struct hv_core *c, uint32_t w, uint32_t budget_max_us, uint32_t nap_us);
int hv_core_get_polling_growth(const struct hv_core *c, uint32_t w, uint32_t *budget_max_us, uint32_t *nap_us);

/* Liveness (liveness.c), for the systemd watchdog (src/daemon/systemd.ts):
 * worker `w`'s heartbeat, a count that grows once per loop iteration, idle
 * wake-ups included (a worker blocked in poll wakes every poll_ms), so a
 * worker stuck inside an iteration stops it.  0 for a worker out of range. */
uint64_t hv_core_worker_heartbeat(const struct hv_core *c, uint32_t w);
/* TEST HOOK, never used in production: makes worker `w` hold its loop (no
 * packets, no heartbeat, no quiescent state) for `ms` milliseconds from its
 * next iteration, as a worker stuck in a stage would.  Returns -1 if `w` is
 * out of range. */
int hv_core_test_stall_worker(struct hv_core *c, uint32_t w, uint32_t ms);

/* One worker loop iteration without blocking (tests drive the core this way
 * without starting threads).  Returns packets processed. */
int hv_core_poll_once(struct hv_core *c, uint32_t worker);

#endif
