// Bridge domains: add and remove, and their flood lists' members other than
// ports (tunnel endpoints, bonds: flood.h).  Their FDBs are in fdb.cc.
#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

// addBridgeDomain(index, maxMacs)
Napi::Value AddBridgeDomain(hv_core *core, const Napi::CallbackInfo &info) {
  char err[256] = "";
  if (hv_core_bd_add(core, ArgU16(info, 0), ArgU32(info, 1), err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value RemoveBridgeDomain(hv_core *core, const Napi::CallbackInfo &info) {
  int rc = hv_core_bd_del(core, ArgU16(info, 0));
  if (rc == -2) return Throw(info.Env(), "bridge domain still has ports");
  if (rc < 0) return Throw(info.Env(), "no such bridge domain");
  return info.Env().Undefined();
}

// floodAdd(bd, vlan, egressKind, egressIndex, group): a tunnel or bond joins the flood list
Napi::Value FloodAdd(hv_core *core, const Napi::CallbackInfo &info) {
  char err[256] = "";
  hv_egress egress = ArgEgress(info, 2);
  if (hv_core_flood_add(core, ArgU16(info, 0), ArgU16(info, 1), egress, ArgU16(info, 4), err, sizeof err) < 0)
    return Throw(info.Env(), err);
  return info.Env().Undefined();
}

// floodDel(bd, vlan, egressKind, egressIndex) -> whether it was a member
Napi::Value FloodDel(hv_core *core, const Napi::CallbackInfo &info) {
  hv_egress egress = ArgEgress(info, 2);
  return Napi::Boolean::New(info.Env(), hv_core_flood_del(core, ArgU16(info, 0), ArgU16(info, 1), egress) == 0);
}

// floodList(bd) -> [{vlan, egressKind, egressIndex, group}]: the published flood
// table (ports by VLAN membership, then the added members), in flooding order.
Napi::Value FloodList(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Array arr = Napi::Array::New(env);
  const hv_flood *fl = hv_core_flood(core, ArgU16(info, 0));
  uint32_t k = 0;
  for (uint32_t vlan = 0; fl && vlan <= HV_VLAN_MAX; vlan++) {
    uint32_t n;
    const hv_flood_member *m = hv_flood_members(fl, static_cast<uint16_t>(vlan), &n);
    for (uint32_t i = 0; i < n; i++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("vlan", vlan);
      SetEgress(o, "egressKind", "egressIndex", m[i].egress);
      o.Set("group", m[i].group);
      arr.Set(k++, o);
    }
  }
  return arr;
}

const CoreMethod kMethods[] = {
    {"addBridgeDomain", AddBridgeDomain},
    {"removeBridgeDomain", RemoveBridgeDomain},
    {"floodAdd", FloodAdd},
    {"floodDel", FloodDel},
    {"floodList", FloodList},
};

}  // namespace

void InitBridges(CoreMethods &m) {
  AddMethods(m, kMethods);
}

}  // namespace hvaddon
