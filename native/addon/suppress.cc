// EVPN ARP/ND suppression bindings (suppress.h): set, delete, list.  The
// address is a 4- or 16-byte Buffer, its length the family.
#include "args.h"
#include "core_object.h"

extern "C" {
#include "suppress.h"
}

namespace hvaddon {
namespace {

// The address at info[i] into `ip`; its family (4 or 6), or 0 with an exception pending.
uint8_t IpArg(const Napi::CallbackInfo &info, size_t i, uint8_t ip[16]) {
  if (BytesArg(info[i], ip, 4)) return 4;
  if (BytesArg(info[i], ip, 16)) return 6;
  Napi::TypeError::New(info.Env(), "ip must be a 4- or 16-byte Buffer").ThrowAsJavaScriptException();
  return 0;
}

// suppressSet(bd, vlan, ip: Buffer, mac: Buffer6); throws "suppression table full"
Napi::Value SuppressSet(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint8_t ip[16], mac[6];
  uint8_t af = IpArg(info, 2, ip);
  if (!af) return env.Undefined();
  if (!MacArg(info[3], mac)) {
    Napi::TypeError::New(env, "mac must be a 6-byte Buffer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (hv_suppress_set(hv_core_suppress(core), ArgU16(info, 0), ArgU16(info, 1), af, ip, mac) < 0)
    return Throw(env, "suppression table full");
  return env.Undefined();
}

// suppressDel(bd, vlan, ip: Buffer) -> whether there was a binding
Napi::Value SuppressDel(hv_core *core, const Napi::CallbackInfo &info) {
  uint8_t ip[16];
  uint8_t af = IpArg(info, 2, ip);
  if (!af) return info.Env().Undefined();
  return Napi::Boolean::New(info.Env(), hv_suppress_del(hv_core_suppress(core), ArgU16(info, 0), ArgU16(info, 1), af, ip) != 0);
}

void WalkCb(void *ctx, const hv_suppress_entry *e) {
  auto *w = static_cast<ListCtx *>(ctx);
  Napi::Object o = Napi::Object::New(w->env);
  o.Set("bd", e->bd);
  o.Set("vlan", e->vlan);
  o.Set("ip", Napi::Buffer<uint8_t>::Copy(w->env, e->ip, e->af == 4 ? 4 : 16));
  o.Set("mac", MacString(e->mac));
  w->arr.Set(w->n++, o);
}

// suppressList() -> [{bd, vlan, ip: Buffer, mac}]
Napi::Value SuppressList(hv_core *core, const Napi::CallbackInfo &info) {
  ListCtx ctx{info.Env(), Napi::Array::New(info.Env()), 0, 0};
  hv_suppress_walk(hv_core_suppress(core), WalkCb, &ctx);
  return ctx.arr;
}

const CoreMethod kMethods[] = {
    {"suppressSet", SuppressSet},
    {"suppressDel", SuppressDel},
    {"suppressList", SuppressList},
};

}  // namespace

void InitSuppress(CoreMethods &m) { AddMethods(m, kMethods); }

}  // namespace hvaddon
