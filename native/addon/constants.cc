// The core's enums and limits, exported as `constants` so TypeScript reads them
// instead of copying them (issue 15: declare each fact once).  Each entry is
// built from the C symbol itself (the name by stringizing, the value by
// reference), so a value here cannot disagree with the headers; a C enumerator
// added without a row here shows up in TypeScript as a missing name, which
// test/unit/dataplane-constants.test.ts reports.
//   constants.limits: {HV_MAX_PORTS: 256, ...}      (macro name -> value)
//   constants.enums:  {port_kind: {TAP: 1, ...}, ...} (enum hv_<name>, prefix stripped)
// Per-port counters and worker statistics have their own X-macro tables
// (counters.cc: `counters`, `workerStats`).
#include "args.h"
#include "core_object.h"

extern "C" {
#include "fib4.h"
#include "linkmon.h"
}

namespace hvaddon {
namespace {

struct Entry {
  const char *name;
  double value;
};

// {"TAP", HV_PORT_TAP}: the enumerator's name without its prefix, and its value.
#define HV_ENUM(prefix, name) \
  { #name, static_cast<double>(prefix##name) }
// {"HV_MAX_PORTS", HV_MAX_PORTS}
#define HV_LIMIT(name) \
  { #name, static_cast<double>(name) }

const Entry kLimits[] = {
    HV_LIMIT(HV_MAX_PORTS),      HV_LIMIT(HV_MAX_BDS),          HV_LIMIT(HV_MAX_VRFS),
    HV_LIMIT(HV_MAX_WORKERS),    HV_LIMIT(HV_VLAN_MAX),         HV_LIMIT(HV_MAX_FRAME),
    HV_LIMIT(HV_NO_BD),          HV_LIMIT(HV_FDB_NO_PORT),      HV_LIMIT(HV_MAX_NH),
    HV_LIMIT(HV_ECMP_MAX),       HV_LIMIT(HV_L3_ADDRS),         HV_LIMIT(HV_FIB_NH_MAX),
    HV_LIMIT(HV_EGRESS_INDEX_MASK), HV_LIMIT(HV_EGRESS_NONE),   HV_LIMIT(HV_FLOOD_EXTRA_MAX),
    HV_LIMIT(HV_MAX_TUNNELS),    HV_LIMIT(HV_MAX_VNIS),         HV_LIMIT(HV_VNI_MAX),
    HV_LIMIT(HV_VXLAN_PORT),     HV_LIMIT(HV_MAX_MPLS_TUNNELS), HV_LIMIT(HV_MPLS_UDP_PORT),
    HV_LIMIT(HV_MPLS_LABEL_MIN), HV_LIMIT(HV_MPLS_LABEL_MAX), HV_LIMIT(HV_BOND_MAX_MEMBERS),
};

const Entry kPortKind[] = {HV_ENUM(HV_PORT_, TAP), HV_ENUM(HV_PORT_, AFPACKET), HV_ENUM(HV_PORT_, MEMORY),
                            HV_ENUM(HV_PORT_, UDP), HV_ENUM(HV_PORT_, MPLS),
                            HV_ENUM(HV_PORT_, BOND), HV_ENUM(HV_PORT_, AFXDP)};
const Entry kPortMode[] = {HV_ENUM(HV_MODE_, ACCESS), HV_ENUM(HV_MODE_, TRUNK), HV_ENUM(HV_MODE_, ROUTED),
                           HV_ENUM(HV_MODE_, VM), HV_ENUM(HV_MODE_, UNDERLAY),
                           HV_ENUM(HV_MODE_, MEMBER)};
const Entry kBondHash[] = {HV_ENUM(HV_BOND_HASH_, L2), HV_ENUM(HV_BOND_HASH_, L3L4)};
const Entry kEventKind[] = {HV_ENUM(HV_EV_, LEARNED), HV_ENUM(HV_EV_, MOVED), HV_ENUM(HV_EV_, AGED),
                            HV_ENUM(HV_EV_, RING_OVERFLOW)};
const Entry kFdbKind[] = {HV_ENUM(HV_FDB_, LEARNED), HV_ENUM(HV_FDB_, STATIC), HV_ENUM(HV_FDB_, REMOTE)};
const Entry kEgressKind[] = {HV_ENUM(HV_EGRESS_, PORT), HV_ENUM(HV_EGRESS_, TUNNEL), HV_ENUM(HV_EGRESS_, BOND), HV_ENUM(HV_EGRESS_, GROUP)};
const Entry kNhKind[] = {HV_ENUM(HV_NH_, NONE),  HV_ENUM(HV_NH_, CONNECTED), HV_ENUM(HV_NH_, GATEWAY),
                         HV_ENUM(HV_NH_, MAC),   HV_ENUM(HV_NH_, LOCAL),     HV_ENUM(HV_NH_, DROP),
                         HV_ENUM(HV_NH_, REJECT), HV_ENUM(HV_NH_, ECMP),     HV_ENUM(HV_NH_, MPLS),
                         HV_ENUM(HV_NH_, VXLAN)};
const Entry kMplsEncap[] = {HV_ENUM(HV_MPLS_, UDP), HV_ENUM(HV_MPLS_, GRE)};
const Entry kNeighState[] = {HV_ENUM(HV_NEIGH_, NONE),   HV_ENUM(HV_NEIGH_, INCOMPLETE), HV_ENUM(HV_NEIGH_, REACHABLE),
                             HV_ENUM(HV_NEIGH_, STALE),  HV_ENUM(HV_NEIGH_, FAILED),     HV_ENUM(HV_NEIGH_, PERMANENT)};
const Entry kLinkEventKind[] = {HV_ENUM(HV_LINK_, NEW), HV_ENUM(HV_LINK_, DEL), HV_ENUM(HV_LINK_, OVERRUN)};

#undef HV_ENUM
#undef HV_LIMIT

template <size_t N>
Napi::Object Table(Napi::Env env, const Entry (&t)[N]) {
  Napi::Object o = Napi::Object::New(env);
  for (const Entry &e : t) o.Set(e.name, e.value);
  return o;
}

}  // namespace

void ExportConstants(Napi::Env env, Napi::Object exports) {
  Napi::Object enums = Napi::Object::New(env);
  enums.Set("port_kind", Table(env, kPortKind));
  enums.Set("port_mode", Table(env, kPortMode));
  enums.Set("event_kind", Table(env, kEventKind));
  enums.Set("fdb_kind", Table(env, kFdbKind));
  enums.Set("egress_kind", Table(env, kEgressKind));
  enums.Set("nh_kind", Table(env, kNhKind));
  enums.Set("mpls_encap", Table(env, kMplsEncap));
  enums.Set("neigh_state", Table(env, kNeighState));
  enums.Set("link_event_kind", Table(env, kLinkEventKind));
  enums.Set("bond_hash", Table(env, kBondHash));
  Napi::Object c = Napi::Object::New(env);
  c.Set("limits", Table(env, kLimits));
  c.Set("enums", enums);
  exports.Set("constants", c);
}

}  // namespace hvaddon
