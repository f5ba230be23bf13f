// MPLS tunnels to remote PEs and the label table (mpls.h): mplsTunnelAdd/Del,
// labelSet/labelDel/labelGet.  The MPLS underlay port itself is an ordinary
// addPort of kind MPLS (or a memory port with `mpls: 1`); VPN next hops are
// setNextHop({kind: MPLS, tunnel, label}) (vrfs.cc).
#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

// mplsTunnelAdd(id, {underlay, af, encap, ttl, local: Buffer, remote: Buffer})
Napi::Value MplsTunnelAdd(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Object o = info[1].As<Napi::Object>();
  hv_mpls_tunnel_cfg t = {};
  t.underlay = static_cast<uint16_t>(U32(o, "underlay", 0));
  t.af = static_cast<uint8_t>(U32(o, "af", 0));
  t.encap = static_cast<uint8_t>(U32(o, "encap", 0));
  t.ttl = static_cast<uint8_t>(U32(o, "ttl", 0));
  size_t alen = t.af == 6 ? 16 : 4;
  if (!BytesArg(o.Get("local"), t.local, alen)) return Throw(info.Env(), "local: an address of the tunnel's family");
  if (!BytesArg(o.Get("remote"), t.remote, alen)) return Throw(info.Env(), "remote: an address of the tunnel's family");
  char err[256] = "";
  if (hv_core_mpls_tunnel_add(core, ArgU32(info, 0), &t, err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value MplsTunnelDel(hv_core *core, const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), hv_core_mpls_tunnel_del(core, ArgU32(info, 0)) == 0);
}

// labelSet(label, vrf)
Napi::Value LabelSet(hv_core *core, const Napi::CallbackInfo &info) {
  char err[256] = "";
  if (hv_core_mpls_label_set(core, ArgU32(info, 0), ArgU16(info, 1), err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value LabelDel(hv_core *core, const Napi::CallbackInfo &info) {
  return Napi::Boolean::New(info.Env(), hv_core_mpls_label_del(core, ArgU32(info, 0)) == 0);
}

// labelGet(label) -> VRF index, or -1
Napi::Value LabelGet(hv_core *core, const Napi::CallbackInfo &info) {
  uint16_t vrf = hv_core_mpls_label_get(core, ArgU32(info, 0));
  return Napi::Number::New(info.Env(), vrf == HV_MPLS_NO_VRF ? -1 : vrf);
}

const CoreMethod kMethods[] = {
    {"mplsTunnelAdd", MplsTunnelAdd},
    {"mplsTunnelDel", MplsTunnelDel},
    {"labelSet", LabelSet},
    {"labelDel", LabelDel},
    {"labelGet", LabelGet},
};

}  // namespace

void InitMpls(CoreMethods &m) {
  AddMethods(m, kMethods);
}

}  // namespace hvaddon
