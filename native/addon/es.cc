// EVPN multihoming (es.h): the Ethernet segment filter of a local port
// (esSet/esDel) and aliasing groups of tunnels (groupSet/groupDel/groupGet).
#include "args.h"
#include "core_object.h"

extern "C" {
#include "es.h"
}

namespace hvaddon {
namespace {

// esSet(port, ndfVlans: number[], peers: {af, addr: Buffer}[])
Napi::Value EsSet(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Array vl = info[1].As<Napi::Array>();
  Napi::Array pl = info[2].As<Napi::Array>();
  if (vl.Length() > HV_VLAN_MAX + 1) return Throw(info.Env(), "ndfVlans: too many");
  if (pl.Length() > HV_ES_PEERS) return Throw(info.Env(), "peers: too many");
  uint16_t vlans[HV_VLAN_MAX + 1];
  for (uint32_t i = 0; i < vl.Length(); i++) vlans[i] = static_cast<uint16_t>(vl.Get(i).As<Napi::Number>().Uint32Value());
  hv_vtep_entry peers[HV_ES_PEERS] = {};
  for (uint32_t i = 0; i < pl.Length(); i++) {
    Napi::Object o = pl.Get(i).As<Napi::Object>();
    peers[i].af = static_cast<uint8_t>(U32(o, "af", 0));
    if (!BytesArg(o.Get("addr"), peers[i].addr, peers[i].af == 6 ? 16 : 4)) return Throw(info.Env(), "peers: addr must be an address of the peer's family");
  }
  char err[256] = "";
  if (hv_core_es_set(core, ArgU16(info, 0), vlans, vl.Length(), peers, pl.Length(), err, sizeof err) < 0)
    return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value EsDel(hv_core *core, const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), hv_core_es_del(core, ArgU16(info, 0)) == 0);
}

// groupSet(id, tunnels: number[])
Napi::Value GroupSet(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Array tl = info[1].As<Napi::Array>();
  if (tl.Length() > HV_GROUP_MEMBERS) return Throw(info.Env(), "tunnels: too many");
  uint32_t t[HV_GROUP_MEMBERS];
  for (uint32_t i = 0; i < tl.Length(); i++) t[i] = tl.Get(i).As<Napi::Number>().Uint32Value();
  char err[256] = "";
  if (hv_core_group_set(core, ArgU32(info, 0), t, tl.Length(), err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value GroupDel(hv_core *core, const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), hv_core_group_del(core, ArgU32(info, 0)) == 0);
}

Napi::Value GroupGet(hv_core *core, const Napi::CallbackInfo &info) {
  uint32_t t[HV_GROUP_MEMBERS];
  uint32_t n = hv_core_group_get(core, ArgU32(info, 0), t, HV_GROUP_MEMBERS);
  Napi::Array a = Napi::Array::New(info.Env(), n);
  for (uint32_t i = 0; i < n; i++) a.Set(i, Napi::Number::New(info.Env(), t[i]));
  return a;
}

const CoreMethod kMethods[] = {
    {"esSet", EsSet}, {"esDel", EsDel}, {"groupSet", GroupSet}, {"groupDel", GroupDel}, {"groupGet", GroupGet},
};

}  // namespace

void InitEs(CoreMethods &m) {
  AddMethods(m, kMethods);
}

}  // namespace hvaddon
