// VXLAN tunnel endpoints and the VNI map (vxlan.h): tunnelAdd/tunnelDel,
// vniSet/vniDel.  The underlay port itself is an ordinary addPort of kind UDP.
#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

// tunnelAdd(id, {underlay, af, local: Buffer, remote: Buffer, vni})
Napi::Value TunnelAdd(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Object o = info[1].As<Napi::Object>();
  hv_tunnel_cfg t = {};
  t.underlay = static_cast<uint16_t>(U32(o, "underlay", 0));
  t.af = static_cast<uint8_t>(U32(o, "af", 0));
  t.vni = U32(o, "vni", 0);
  size_t alen = t.af == 6 ? 16 : 4;
  if (!BytesArg(o.Get("local"), t.local, alen)) return Throw(info.Env(), "local: an address of the tunnel's family");
  if (!BytesArg(o.Get("remote"), t.remote, alen)) return Throw(info.Env(), "remote: an address of the tunnel's family");
  char err[256] = "";
  if (hv_core_tunnel_add(core, ArgU32(info, 0), &t, err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value TunnelDel(hv_core *core, const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), hv_core_tunnel_del(core, ArgU32(info, 0)) == 0);
}

// vniSet(vni, bd, vlan)
Napi::Value VniSet(hv_core *core, const Napi::CallbackInfo &info) {
  char err[256] = "";
  if (hv_core_vni_set(core, ArgU32(info, 0), ArgU16(info, 1), ArgU16(info, 2), err, sizeof err) < 0)
    return Throw(info.Env(), err);
  return info.Env().Undefined();
}

// l3vniSet(vni, vrf, rmac: Buffer6)
Napi::Value L3VniSet(hv_core *core, const Napi::CallbackInfo &info) {
  uint8_t rmac[6];
  if (!BytesArg(info[2], rmac, 6)) return Throw(info.Env(), "router-mac: 6 bytes");
  char err[256] = "";
  if (hv_core_l3vni_set(core, ArgU32(info, 0), ArgU16(info, 1), rmac, err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value VniDel(hv_core *core, const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), hv_core_vni_del(core, ArgU32(info, 0)) == 0);
}

const CoreMethod kMethods[] = {
    {"tunnelAdd", TunnelAdd},
    {"tunnelDel", TunnelDel},
    {"vniSet", VniSet},
    {"vniDel", VniDel},
    {"l3vniSet", L3VniSet},
};

}  // namespace

void InitTunnels(CoreMethods &m) {
  AddMethods(m, kMethods);
}

}  // namespace hvaddon
