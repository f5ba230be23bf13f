// Forwarding databases (one per bridge domain): list (with each entry's kind and
// egress handle split into kind and index), static and remote entries, delete,
// flush.  The first argument of every method is the bridge-domain index.
#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

constexpr size_t kRemoteRecord = 16;

uint32_t Le32(const uint8_t *p) {
  return p[0] | p[1] << 8 | p[2] << 16 | static_cast<uint32_t>(p[3]) << 24;
}

void WalkCb(void *ctx, const hv_fdb_entry *e) {
  auto *w = static_cast<ListCtx *>(ctx);
  Napi::Object o = Napi::Object::New(w->env);
  o.Set("vlan", e->vlan);
  o.Set("mac", MacString(e->mac));
  o.Set("port", e->port);
  o.Set("static", e->is_static != 0);
  o.Set("kind", e->kind);
  SetEgress(o, "egressKind", "egressIndex", e->egress);
  o.Set("age", e->kind == HV_FDB_LEARNED ? w->now - e->seen : 0);  // only learned entries age
  w->arr.Set(w->n++, o);
}

// The FDB of bridge domain info[0], or nullptr with an exception pending.
hv_fdb *Fdb(hv_core *core, const Napi::CallbackInfo &info) {
  hv_fdb *f = hv_core_fdb(core, ArgU16(info, 0));
  if (!f) Napi::Error::New(info.Env(), "no such bridge domain").ThrowAsJavaScriptException();
  return f;
}

Napi::Value FdbList(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  hv_fdb *f = Fdb(core, info);
  if (!f) return env.Undefined();
  ListCtx ctx{env, Napi::Array::New(env), 0, hv_core_now(core)};
  hv_fdb_walk(f, WalkCb, &ctx);
  return ctx.arr;
}

// Writes a controller-owned entry (bd = info[0], vlan = info[1], mac = info[2]).
Napi::Value AddEntry(hv_core *core, const Napi::CallbackInfo &info, hv_egress egress, hv_fdb_kind kind) {
  Napi::Env env = info.Env();
  hv_fdb *f = Fdb(core, info);
  uint8_t mac[6];
  if (!f) return env.Undefined();
  if (!MacArg(info[2], mac)) {
    Napi::TypeError::New(env, "mac must be a 6-byte Buffer").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (hv_fdb_add(f, ArgU16(info, 1), mac, egress, kind) < 0) return Throw(env, "FDB full");
  return env.Undefined();
}

// fdbAddStatic(bd, vlan, mac: Buffer6, port)
Napi::Value FdbAddStatic(hv_core *core, const Napi::CallbackInfo &info) {
  return AddEntry(core, info, hv_egress_port(ArgU16(info, 3)), HV_FDB_STATIC);
}

// fdbAddRemote(bd, vlan, mac: Buffer6, egressKind, egressIndex): a MAC behind a tunnel or bond
Napi::Value FdbAddRemote(hv_core *core, const Napi::CallbackInfo &info) {
  return AddEntry(core, info, ArgEgress(info, 3), HV_FDB_REMOTE);
}

// fdbAddRemoteMany(bd, records: Buffer) -> entries written: remote entries in
// one call (the EVPN import of a BGP batch), a 16-byte record each: vlan u16,
// MAC (6), egress kind u32, egress index u32, integers little-endian.  Stops at
// the first one the FDB has no room for (the count tells which).
Napi::Value FdbAddRemoteMany(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  hv_fdb *f = Fdb(core, info);
  if (!f) return env.Undefined();
  if (!info[1].IsBuffer() || info[1].As<Napi::Buffer<uint8_t>>().Length() % kRemoteRecord != 0) {
    Napi::TypeError::New(env, "records must be a Buffer of 16-byte records").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto buf = info[1].As<Napi::Buffer<uint8_t>>();
  const uint8_t *r = buf.Data();
  size_t n = buf.Length() / kRemoteRecord, i = 0;
  for (; i < n; i++, r += kRemoteRecord) {
    hv_egress e = hv_egress_make(static_cast<hv_egress_kind>(Le32(r + 8)), Le32(r + 12));
    if (hv_fdb_add_remote(f, static_cast<uint16_t>(r[0] | r[1] << 8), r + 2, e) < 0) break;
  }
  return Napi::Number::New(env, static_cast<double>(i));
}

// fdbDel(bd, vlan, mac: Buffer6) -> whether an entry was removed
Napi::Value FdbDel(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  hv_fdb *f = Fdb(core, info);
  uint8_t mac[6];
  if (!f || !MacArg(info[2], mac)) return env.Undefined();
  return Napi::Boolean::New(env, hv_fdb_del(f, ArgU16(info, 1), mac) == 0);
}

// fdbFlush(bd, port | -1, vlan | -1, withStatic) -> entries removed
Napi::Value FdbFlush(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  hv_fdb *f = Fdb(core, info);
  if (!f) return env.Undefined();
  int port = info[1].As<Napi::Number>().Int32Value();
  int vlan = info[2].As<Napi::Number>().Int32Value();
  bool with_static = info[3].ToBoolean();
  return Napi::Number::New(env, hv_fdb_flush(f, port, vlan, with_static, nullptr, nullptr));
}

const CoreMethod kMethods[] = {
    {"fdbList", FdbList},
    {"fdbAddStatic", FdbAddStatic},
    {"fdbAddRemote", FdbAddRemote},
    {"fdbAddRemoteMany", FdbAddRemoteMany},
    {"fdbDel", FdbDel},
    {"fdbFlush", FdbFlush},
};

}  // namespace

void InitFdb(CoreMethods &m) {
  AddMethods(m, kMethods);
}

}  // namespace hvaddon
