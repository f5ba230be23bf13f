// VRFs and what lives in them: routes (single and batched), next hops
// (including ECMP groups), the grace period (synchronize), and neighbors.
#include <cerrno>
#include <cstring>

#include "args.h"
#include "core_object.h"

extern "C" {
#include "neigh.h"
}

namespace hvaddon {
namespace {

Napi::Value AddVrf(hv_core *core, const Napi::CallbackInfo &info) {
  char err[256] = "";
  if (hv_core_vrf_add(core, ArgU16(info, 0), err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value RemoveVrf(hv_core *core, const Napi::CallbackInfo &info) {
  int rc = hv_core_vrf_del(core, ArgU16(info, 0));
  if (rc == -2) return Throw(info.Env(), "vrf still has ports");
  if (rc < 0) return Throw(info.Env(), "no such vrf");
  return info.Env().Undefined();
}

uint32_t Be32(const uint8_t *b) {
  return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
}

// route(vrf, prefix: Buffer(4|16), len, nh, del) -> 0 or -errno
Napi::Value Route(hv_core *core, const Napi::CallbackInfo &info) {
  uint16_t vrf = ArgU16(info, 0);
  auto p = info[1].As<Napi::Buffer<uint8_t>>();
  uint8_t len = static_cast<uint8_t>(ArgU32(info, 2));
  uint32_t nh = ArgU32(info, 3);
  int del = info[4].ToBoolean() ? 1 : 0;
  int rc;
  if (p.Length() == 4) rc = hv_core_route4(core, vrf, Be32(p.Data()), len, nh, del);
  else if (p.Length() == 16) rc = hv_core_route6(core, vrf, p.Data(), len, nh, del);
  else rc = -EINVAL;
  return Napi::Number::New(info.Env(), rc);
}

// routeBatch(vrf, batch: Buffer of n 28-byte records {af u8, plen u8, del u8, pad u8,
// nh u32le, prefix[16], old u32le}) -> {index, error} of the first failing record, or
// null when all applied.  Each applied record gets `old`: the next hop the prefix had
// before, 0xffffffff for none (the controller keeps no copy of the table: this is how it
// counts next-hop references).  Removing an absent prefix, or setting the next hop a
// prefix already has, changes nothing and is not an error.
constexpr size_t kRec = 28;
constexpr uint32_t kNone = 0xffffffffu;

void PutLe32(uint8_t *p, uint32_t v) {
  p[0] = uint8_t(v), p[1] = uint8_t(v >> 8), p[2] = uint8_t(v >> 16), p[3] = uint8_t(v >> 24);
}

Napi::Value RouteBatch(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint16_t vrf = ArgU16(info, 0);
  auto b = info[1].As<Napi::Buffer<uint8_t>>();
  size_t n = b.Length() / kRec;
  uint8_t *r = b.Data();
  for (size_t i = 0; i < n; i++, r += kRec) {
    uint32_t nh = uint32_t(r[4]) | (uint32_t(r[5]) << 8) | (uint32_t(r[6]) << 16) | (uint32_t(r[7]) << 24);
    bool v4 = r[0] == 4;
    uint32_t old;
    if ((v4 ? hv_core_route4_get(core, vrf, Be32(r + 8), r[1], &old) : hv_core_route6_get(core, vrf, r + 8, r[1], &old)) < 0)
      old = kNone;
    int rc = 0;
    if (r[2] ? old != kNone : old != nh)
      rc = v4 ? hv_core_route4(core, vrf, Be32(r + 8), r[1], nh, r[2]) : hv_core_route6(core, vrf, r + 8, r[1], nh, r[2]);
    if (rc < 0) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("index", static_cast<double>(i));
      o.Set("error", rc);
      return o;
    }
    PutLe32(r + 24, old);
  }
  return env.Null();
}

// routeList(vrf) -> Buffer of 24-byte records {af u8, plen u8, 0, 0, nh u32le, prefix[16]}:
// every route of the VRF, from the core's rule stores.
struct ListOut {
  uint8_t *p;
  size_t left;
};

int List4(void *ctx, uint32_t prefix, uint8_t len, uint32_t nh) {
  auto *o = static_cast<ListOut *>(ctx);
  if (!o->left) return 1;
  std::memset(o->p, 0, 24);
  o->p[0] = 4, o->p[1] = len;
  PutLe32(o->p + 4, nh);
  o->p[8] = uint8_t(prefix >> 24), o->p[9] = uint8_t(prefix >> 16), o->p[10] = uint8_t(prefix >> 8), o->p[11] = uint8_t(prefix);
  o->p += 24, o->left--;
  return 0;
}

int List6(void *ctx, const uint8_t prefix[16], uint8_t len, uint32_t nh) {
  auto *o = static_cast<ListOut *>(ctx);
  if (!o->left) return 1;
  std::memset(o->p, 0, 24);
  o->p[0] = 6, o->p[1] = len;
  PutLe32(o->p + 4, nh);
  std::memcpy(o->p + 8, prefix, 16);
  o->p += 24, o->left--;
  return 0;
}

Napi::Value RouteList(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint16_t vrf = ArgU16(info, 0);
  size_t n4 = 0, n6 = 0;
  if (hv_core_route_count(core, vrf, &n4, &n6) < 0) return Throw(env, "no such vrf");
  auto out = Napi::Buffer<uint8_t>::New(env, (n4 + n6) * 24);
  ListOut o{out.Data(), n4 + n6};
  hv_core_route_walk(core, vrf, List4, List6, &o);
  return out;
}

// routeCount(vrf) -> {ipv4, ipv6}
Napi::Value RouteCount(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  size_t n4 = 0, n6 = 0;
  if (hv_core_route_count(core, ArgU16(info, 0), &n4, &n6) < 0) return Throw(env, "no such vrf");
  Napi::Object o = Napi::Object::New(env);
  o.Set("ipv4", static_cast<double>(n4));
  o.Set("ipv6", static_cast<double>(n6));
  return o;
}

// setNextHop(id, {kind, af, port, mac: Buffer6, gw: Buffer(4|16), members: number[], tunnel, label, smac: Buffer6})
Napi::Value SetNextHop(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object o = info[1].As<Napi::Object>();
  hv_nh nh;
  std::memset(&nh, 0, sizeof nh);
  nh.kind = static_cast<uint8_t>(U32(o, "kind", HV_NH_NONE));
  nh.af = static_cast<uint8_t>(U32(o, "af", 4));
  nh.port = static_cast<uint16_t>(U32(o, "port", 0));
  BytesArg(o.Get("mac"), nh.mac, 6);
  Napi::Value gw = o.Get("gw");
  if (gw.IsBuffer()) {
    auto b = gw.As<Napi::Buffer<uint8_t>>();
    std::memcpy(nh.gw, b.Data(), b.Length() <= 16 ? b.Length() : 16);
  }
  Napi::Value m = o.Get("members");
  if (m.IsArray()) {
    auto a = m.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length() && nh.nmembers < HV_ECMP_MAX; i++)
      nh.members[nh.nmembers++] = a.Get(i).As<Napi::Number>().Uint32Value();
  }
  nh.tunnel = U32(o, "tunnel", 0); /* HV_NH_MPLS (mpls.h) */
  nh.label = U32(o, "label", 0);
  BytesArg(o.Get("smac"), nh.smac, 6); /* HV_NH_VXLAN: our router MAC */
  if (hv_core_nh_set(core, ArgU32(info, 0), &nh) < 0)
    Napi::RangeError::New(env, "next-hop id out of range").ThrowAsJavaScriptException();
  return env.Undefined();
}

Napi::Value Synchronize(hv_core *core, const Napi::CallbackInfo &info) {
  hv_core_synchronize(core);
  return info.Env().Undefined();
}

// fibRetired() -> FIB groups waiting for a synchronize (0: it would reclaim nothing)
Napi::Value FibRetired(hv_core *core, const Napi::CallbackInfo &info) {
  return Napi::Number::New(info.Env(), static_cast<double>(hv_core_fib_retired(core)));
}

void NeighCb(void *ctx, const hv_neigh_entry *e) {
  auto *w = static_cast<ListCtx *>(ctx);
  Napi::Object o = Napi::Object::New(w->env);
  o.Set("port", e->port);
  o.Set("af", e->af);
  o.Set("ip", Napi::Buffer<uint8_t>::Copy(w->env, e->ip, e->af == 4 ? 4 : 16));
  o.Set("mac", MacString(e->mac));
  o.Set("state", e->state);
  o.Set("age", w->now - e->updated);
  w->arr.Set(w->n++, o);
}

Napi::Value NeighList(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  ListCtx ctx{env, Napi::Array::New(env), 0, hv_core_now(core)};
  hv_neigh_walk(hv_core_neigh(core), NeighCb, &ctx);
  return ctx.arr;
}

// neighSet(port, ip: Buffer(4|16), mac: Buffer6) -> a permanent entry
Napi::Value NeighSet(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  auto ip = info[1].As<Napi::Buffer<uint8_t>>();
  uint8_t mac[6];
  if (!MacArg(info[2], mac) || (ip.Length() != 4 && ip.Length() != 16)) {
    Napi::TypeError::New(env, "neighSet(port, ip Buffer(4|16), mac Buffer(6))").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (hv_neigh_update(hv_core_neigh(core), ArgU16(info, 0), ip.Length() == 4 ? 4 : 6, ip.Data(), mac,
                      HV_NEIGH_PERMANENT, hv_core_now(core), 1) < 0)
    return Throw(env, "neighbor table full");
  return env.Undefined();
}

// neighFlush(port | -1, includePermanent)
Napi::Value NeighFlush(hv_core *core, const Napi::CallbackInfo &info) {
  hv_neigh_flush(hv_core_neigh(core), info[0].As<Napi::Number>().Int32Value(), info[1].ToBoolean() ? 1 : 0);
  return info.Env().Undefined();
}

const CoreMethod kMethods[] = {
    {"addVrf", AddVrf},         {"removeVrf", RemoveVrf}, {"route", Route},         {"routeBatch", RouteBatch},
    {"setNextHop", SetNextHop}, {"synchronize", Synchronize}, {"fibRetired", FibRetired}, {"routeList", RouteList}, {"routeCount", RouteCount}, {"neighList", NeighList}, {"neighSet", NeighSet},
    {"neighFlush", NeighFlush},
};

}  // namespace

void InitVrfs(CoreMethods &m) {
  AddMethods(m, kMethods);
}

}  // namespace hvaddon
