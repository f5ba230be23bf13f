#include "core_object.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

extern "C" {
#include "core.h"
#include "neigh.h"
}

namespace hvaddon {
namespace {

const char *kCounterNames[] = {
#define HV_X(name, help) #name,
    HV_PORT_COUNTERS(HV_X)
#undef HV_X
};
const char *kCounterHelp[] = {
#define HV_X(name, help) help,
    HV_PORT_COUNTERS(HV_X)
#undef HV_X
};

std::string MacString(const uint8_t *m) {
  char b[18];
  std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return b;
}

bool MacArg(const Napi::Value &v, uint8_t out[6]) {
  if (!v.IsBuffer()) return false;
  auto b = v.As<Napi::Buffer<uint8_t>>();
  if (b.Length() != 6) return false;
  std::memcpy(out, b.Data(), 6);
  return true;
}

uint32_t U32(const Napi::Object &o, const char *k, uint32_t dflt) {
  Napi::Value v = o.Get(k);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : dflt;
}

bool BytesArg(const Napi::Value &v, uint8_t *out, size_t n) {
  if (!v.IsBuffer()) return false;
  auto b = v.As<Napi::Buffer<uint8_t>>();
  if (b.Length() != n) return false;
  std::memcpy(out, b.Data(), n);
  return true;
}

// Layer-3 settings: {vrf, mac: Buffer6, addr4: [{addr: u32, plen}], addr6: [{addr: Buffer16, plen}],
//                    vmMac: Buffer6, vm4: [u32], vm6: [Buffer16]}
void L3Settings(const Napi::Object &o, hv_l3_cfg *l3) {
  l3->vrf = static_cast<uint16_t>(U32(o, "vrf", 0));
  BytesArg(o.Get("mac"), l3->mac, 6);
  BytesArg(o.Get("vmMac"), l3->vm_mac, 6);
  Napi::Value a4 = o.Get("addr4");
  if (a4.IsArray()) {
    auto a = a4.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length() && l3->n4 < HV_L3_ADDRS; i++) {
      Napi::Object e = a.Get(i).As<Napi::Object>();
      l3->addr4[l3->n4] = U32(e, "addr", 0);
      l3->plen4[l3->n4++] = static_cast<uint8_t>(U32(e, "plen", 32));
    }
  }
  Napi::Value a6 = o.Get("addr6");
  if (a6.IsArray()) {
    auto a = a6.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length() && l3->n6 < HV_L3_ADDRS; i++) {
      Napi::Object e = a.Get(i).As<Napi::Object>();
      if (!BytesArg(e.Get("addr"), l3->addr6[l3->n6], 16)) continue;
      l3->plen6[l3->n6++] = static_cast<uint8_t>(U32(e, "plen", 128));
    }
  }
  Napi::Value v4 = o.Get("vm4");
  if (v4.IsArray()) {
    auto a = v4.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length() && l3->nvm4 < HV_L3_ADDRS; i++)
      l3->vm4[l3->nvm4++] = a.Get(i).As<Napi::Number>().Uint32Value();
  }
  Napi::Value v6 = o.Get("vm6");
  if (v6.IsArray()) {
    auto a = v6.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length() && l3->nvm6 < HV_L3_ADDRS; i++)
      if (BytesArg(a.Get(i), l3->vm6[l3->nvm6], 16)) l3->nvm6++;
  }
}

hv_port_settings Settings(const Napi::Object &o) {
  hv_port_settings s;
  std::memset(&s, 0, sizeof s);
  s.bd = static_cast<uint16_t>(U32(o, "bd", HV_NO_BD));
  s.mode = static_cast<uint8_t>(U32(o, "mode", HV_MODE_ACCESS));
  s.vlan = static_cast<uint16_t>(U32(o, "vlan", 0));
  s.mac_limit = U32(o, "macLimit", 4096);
  Napi::Value allowed = o.Get("allowed");
  if (allowed.IsArray()) {
    auto a = allowed.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) {
      uint32_t vid = a.Get(i).As<Napi::Number>().Uint32Value();
      if (vid < 4096) s.allowed[vid >> 6] |= 1ull << (vid & 63);
    }
  }
  Napi::Value l3 = o.Get("l3");
  if (l3.IsObject()) L3Settings(l3.As<Napi::Object>(), &s.l3);
  return s;
}

class Core : public Napi::ObjectWrap<Core> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "Core",
                       {
                           InstanceMethod<&Core::Start>("start"),
                           InstanceMethod<&Core::Stop>("stop"),
                           InstanceMethod<&Core::Close>("close"),
                           InstanceMethod<&Core::SetAging>("setAging"),
                           InstanceMethod<&Core::Now>("now"),
                           InstanceMethod<&Core::AddBridgeDomain>("addBridgeDomain"),
                           InstanceMethod<&Core::RemoveBridgeDomain>("removeBridgeDomain"),
                           InstanceMethod<&Core::AddPort>("addPort"),
                           InstanceMethod<&Core::SetPort>("setPort"),
                           InstanceMethod<&Core::RemovePort>("removePort"),
                           InstanceMethod<&Core::PortInfo>("portInfo"),
                           InstanceMethod<&Core::PortStats>("portStats"),
                           InstanceMethod<&Core::FdbList>("fdbList"),
                           InstanceMethod<&Core::FdbAddStatic>("fdbAddStatic"),
                           InstanceMethod<&Core::FdbDel>("fdbDel"),
                           InstanceMethod<&Core::FdbFlush>("fdbFlush"),
                           InstanceMethod<&Core::DrainEvents>("drainEvents"),
                           InstanceMethod<&Core::OnEvents>("onEvents"),
                           InstanceMethod<&Core::WorkerStats>("workerStats"),
                           InstanceMethod<&Core::MemInject>("memInject"),
                           InstanceMethod<&Core::MemPop>("memPop"),
                           InstanceMethod<&Core::PollOnce>("pollOnce"),
                           InstanceMethod<&Core::AddVrf>("addVrf"),
                           InstanceMethod<&Core::RemoveVrf>("removeVrf"),
                           InstanceMethod<&Core::Route>("route"),
                           InstanceMethod<&Core::RouteBatch>("routeBatch"),
                           InstanceMethod<&Core::SetNextHop>("setNextHop"),
                           InstanceMethod<&Core::Synchronize>("synchronize"),
                           InstanceMethod<&Core::NeighList>("neighList"),
                           InstanceMethod<&Core::NeighSet>("neighSet"),
                           InstanceMethod<&Core::NeighFlush>("neighFlush"),
                       });
  }

  explicit Core(const Napi::CallbackInfo &info) : Napi::ObjectWrap<Core>(info) {
    Napi::Object o = info.Length() > 0 && info[0].IsObject() ? info[0].As<Napi::Object>()
                                                               : Napi::Object::New(info.Env());
    hv_core_params p{U32(o, "workers", 1), U32(o, "agingSeconds", 300), U32(o, "pollMs", 100)};
    core_ = hv_core_create(&p);
    if (!core_) Napi::Error::New(info.Env(), "hv_core_create failed (out of memory?)").ThrowAsJavaScriptException();
  }
  ~Core() override { Release(); }

 private:
  hv_core *core_ = nullptr;
  Napi::ThreadSafeFunction tsfn_;
  bool has_tsfn_ = false;

  void Release() {
    if (core_) {
      hv_core_set_notify(core_, nullptr, nullptr);
      hv_core_destroy(core_);
      core_ = nullptr;
    }
    if (has_tsfn_) {
      tsfn_.Release();
      has_tsfn_ = false;
    }
  }

  bool Alive(const Napi::CallbackInfo &info) {
    if (core_) return true;
    Napi::Error::New(info.Env(), "core is closed").ThrowAsJavaScriptException();
    return false;
  }

  static void Notify(void *ctx) {
    auto *self = static_cast<Core *>(ctx);
    // Non-blocking: a worker never waits on the controller.  One call per batch.
    self->tsfn_.NonBlockingCall();
  }

  Napi::Value Start(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    char err[256] = "";
    if (hv_core_start(core_, err, sizeof err) < 0) Napi::Error::New(info.Env(), err).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Value Stop(const Napi::CallbackInfo &info) {
    if (core_) hv_core_stop(core_);
    return info.Env().Undefined();
  }
  Napi::Value Close(const Napi::CallbackInfo &info) {
    Release();
    return info.Env().Undefined();
  }
  Napi::Value SetAging(const Napi::CallbackInfo &info) {
    if (Alive(info)) hv_core_set_aging(core_, info[0].As<Napi::Number>().Uint32Value());
    return info.Env().Undefined();
  }
  Napi::Value Now(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    return Napi::Number::New(info.Env(), hv_core_now(core_));
  }

  Napi::Value AddBridgeDomain(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    char err[256] = "";
    if (hv_core_bd_add(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()),
                       info[1].As<Napi::Number>().Uint32Value(), err, sizeof err) < 0)
      Napi::Error::New(info.Env(), err).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Value RemoveBridgeDomain(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    int rc = hv_core_bd_del(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()));
    if (rc == -2) Napi::Error::New(info.Env(), "bridge domain still has ports").ThrowAsJavaScriptException();
    else if (rc < 0) Napi::Error::New(info.Env(), "no such bridge domain").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }

  Napi::Value AddPort(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    Napi::Object o = info[0].As<Napi::Object>();
    hv_port_open_params pp;
    std::memset(&pp, 0, sizeof pp);
    pp.kind = static_cast<hv_port_kind>(U32(o, "kind", HV_PORT_MEMORY));
    std::string name = o.Get("name").As<Napi::String>().Utf8Value();
    std::snprintf(pp.name, sizeof pp.name, "%s", name.c_str());
    pp.mtu = U32(o, "mtu", 0);
    pp.ring_blocks = U32(o, "ringBlocks", 0);
    pp.ring_block_kb = U32(o, "ringBlockKb", 0);
    pp.ring_timeout_ms = U32(o, "ringTimeoutMs", 0);
    hv_port_settings s = Settings(info[1].As<Napi::Object>());
    char err[256] = "";
    int id = hv_core_port_add(core_, &pp, &s, err, sizeof err);
    if (id < 0) {
      Napi::Error::New(info.Env(), err).ThrowAsJavaScriptException();
      return info.Env().Undefined();
    }
    return Napi::Number::New(info.Env(), id);
  }
  Napi::Value SetPort(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    hv_port_settings s = Settings(info[1].As<Napi::Object>());
    char err[256] = "";
    if (hv_core_port_set(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()), &s, err,
                         sizeof err) < 0)
      Napi::Error::New(info.Env(), err).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Value RemovePort(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    if (hv_core_port_del(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value())) < 0)
      Napi::Error::New(info.Env(), "no such port").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Value PortInfo(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    hv_port *p = hv_core_port(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()));
    if (!p) return env.Null();
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", p->name);
    o.Set("kind", static_cast<uint32_t>(p->kind));
    o.Set("mtu", p->mtu);
    o.Set("created", p->created != 0);
    o.Set("macs", hv_core_port_macs(core_, p->id));
    return o;
  }
  Napi::Value PortStats(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    hv_port_counters c;
    hv_core_port_stats(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()), &c);
    Napi::Object o = Napi::Object::New(env);
    for (int k = 0; k < HV_CTR_MAX; k++) o.Set(kCounterNames[k], static_cast<double>(c.v[k]));
    return o;
  }

  struct WalkCtx {
    Napi::Env env;
    Napi::Array arr;
    uint32_t n;
    uint32_t now;
  };
  static void WalkCb(void *ctx, const hv_fdb_entry *e) {
    auto *w = static_cast<WalkCtx *>(ctx);
    Napi::Object o = Napi::Object::New(w->env);
    o.Set("vlan", e->vlan);
    o.Set("mac", MacString(e->mac));
    o.Set("port", e->port);
    o.Set("static", e->is_static != 0);
    o.Set("age", e->is_static ? 0 : w->now - e->seen);
    w->arr.Set(w->n++, o);
  }
  hv_fdb *Fdb(const Napi::CallbackInfo &info) {
    hv_fdb *f = hv_core_fdb(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()));
    if (!f) Napi::Error::New(info.Env(), "no such bridge domain").ThrowAsJavaScriptException();
    return f;
  }
  Napi::Value FdbList(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    hv_fdb *f = Fdb(info);
    if (!f) return env.Undefined();
    WalkCtx ctx{env, Napi::Array::New(env), 0, hv_core_now(core_)};
    hv_fdb_walk(f, WalkCb, &ctx);
    return ctx.arr;
  }
  Napi::Value FdbAddStatic(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    hv_fdb *f = Fdb(info);
    uint8_t mac[6];
    if (!f) return env.Undefined();
    if (!MacArg(info[2], mac)) {
      Napi::TypeError::New(env, "mac must be a 6-byte Buffer").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (hv_fdb_add_static(f, static_cast<uint16_t>(info[1].As<Napi::Number>().Uint32Value()), mac,
                          static_cast<uint16_t>(info[3].As<Napi::Number>().Uint32Value())) < 0)
      Napi::Error::New(env, "FDB full").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Value FdbDel(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    hv_fdb *f = Fdb(info);
    uint8_t mac[6];
    if (!f || !MacArg(info[2], mac)) return env.Undefined();
    int rc = hv_fdb_del(f, static_cast<uint16_t>(info[1].As<Napi::Number>().Uint32Value()), mac);
    return Napi::Boolean::New(env, rc == 0);
  }
  Napi::Value FdbFlush(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    hv_fdb *f = Fdb(info);
    if (!f) return env.Undefined();
    int port = info[1].As<Napi::Number>().Int32Value();
    int vlan = info[2].As<Napi::Number>().Int32Value();
    bool with_static = info[3].ToBoolean();
    return Napi::Number::New(env, hv_fdb_flush(f, port, vlan, with_static, nullptr, nullptr));
  }

  Napi::Value DrainEvents(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    Napi::Array arr = Napi::Array::New(env);
    hv_event ev[256];
    uint32_t k = 0;
    for (;;) {
      int n = hv_core_events(core_, ev, 256);
      for (int i = 0; i < n; i++) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("kind", static_cast<uint32_t>(ev[i].kind));
        if (ev[i].kind == HV_EV_RING_OVERFLOW) {
          o.Set("count", ev[i].count);
        } else {
          o.Set("mac", MacString(ev[i].mac));
          o.Set("bd", ev[i].bd);
          o.Set("vlan", ev[i].vlan);
          o.Set("port", ev[i].port);
          if (ev[i].kind == HV_EV_MOVED) o.Set("oldPort", ev[i].old_port);
        }
        arr.Set(k++, o);
      }
      if (n < 256) break;
    }
    return arr;
  }
  Napi::Value OnEvents(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    if (has_tsfn_) {
      hv_core_set_notify(core_, nullptr, nullptr);
      tsfn_.Release();
    }
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "hv-events", 1, 1);
    tsfn_.Unref(env);
    has_tsfn_ = true;
    hv_core_set_notify(core_, Notify, this);
    return env.Undefined();
  }
  Napi::Value WorkerStats(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    Napi::Array arr = Napi::Array::New(env);
    for (uint32_t w = 0; w < hv_core_workers(core_); w++) {
      hv_worker_stats s;
      hv_core_worker_stats(core_, w, &s);
      Napi::Object o = Napi::Object::New(env);
      o.Set("loops", static_cast<double>(s.loops));
      o.Set("batches", static_cast<double>(s.batches));
      o.Set("packets", static_cast<double>(s.packets));
      arr.Set(w, o);
    }
    return arr;
  }
  Napi::Value MemInject(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    hv_port *p = hv_core_port(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()));
    auto b = info[1].As<Napi::Buffer<uint8_t>>();
    if (!p || hv_port_mem_inject(p, b.Data(), static_cast<uint32_t>(b.Length())) < 0)
      Napi::Error::New(env, "not a memory port, or its queue is full").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Value MemPop(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    hv_port *p = hv_core_port(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()));
    static thread_local uint8_t buf[HV_MAX_FRAME + 64];
    int n = p ? hv_port_mem_pop(p, buf, sizeof buf) : -1;
    if (n <= 0) return env.Null();
    return Napi::Buffer<uint8_t>::Copy(env, buf, static_cast<size_t>(n));
  }
  Napi::Value AddVrf(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    char err[256] = "";
    if (hv_core_vrf_add(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()), err, sizeof err) < 0)
      Napi::Error::New(info.Env(), err).ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  Napi::Value RemoveVrf(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    int rc = hv_core_vrf_del(core_, static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()));
    if (rc == -2) Napi::Error::New(info.Env(), "vrf still has ports").ThrowAsJavaScriptException();
    else if (rc < 0) Napi::Error::New(info.Env(), "no such vrf").ThrowAsJavaScriptException();
    return info.Env().Undefined();
  }
  // route(vrf, prefix: Buffer(4|16), len, nh, del) -> 0 or -errno
  Napi::Value Route(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    uint16_t vrf = static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value());
    auto p = info[1].As<Napi::Buffer<uint8_t>>();
    uint8_t len = static_cast<uint8_t>(info[2].As<Napi::Number>().Uint32Value());
    uint32_t nh = info[3].As<Napi::Number>().Uint32Value();
    int del = info[4].ToBoolean() ? 1 : 0;
    int rc;
    if (p.Length() == 4) {
      const uint8_t *b = p.Data();
      uint32_t a = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | b[3];
      rc = hv_core_route4(core_, vrf, a, len, nh, del);
    } else if (p.Length() == 16) {
      rc = hv_core_route6(core_, vrf, p.Data(), len, nh, del);
    } else {
      rc = -EINVAL;
    }
    return Napi::Number::New(env, rc);
  }
  // routeBatch(vrf, batch: Buffer of n records {af u8, plen u8, del u8, pad u8, nh u32le,
  // prefix[16]}) -> index of the first failing record, or -1 when all applied.
  Napi::Value RouteBatch(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    uint16_t vrf = static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value());
    auto b = info[1].As<Napi::Buffer<uint8_t>>();
    size_t n = b.Length() / 24;
    const uint8_t *r = b.Data();
    for (size_t i = 0; i < n; i++, r += 24) {
      uint32_t nh = uint32_t(r[4]) | (uint32_t(r[5]) << 8) | (uint32_t(r[6]) << 16) | (uint32_t(r[7]) << 24);
      int rc;
      if (r[0] == 4) {
        const uint8_t *a = r + 8;
        rc = hv_core_route4(core_, vrf, (uint32_t(a[0]) << 24) | (uint32_t(a[1]) << 16) | (uint32_t(a[2]) << 8) | a[3],
                            r[1], nh, r[2]);
      } else {
        rc = hv_core_route6(core_, vrf, r + 8, r[1], nh, r[2]);
      }
      if (rc < 0) {
        Napi::Object o = Napi::Object::New(env);
        o.Set("index", static_cast<double>(i));
        o.Set("error", rc);
        return o;
      }
    }
    return env.Null();
  }
  // setNextHop(id, {kind, af, port, mac: Buffer6, gw: Buffer(4|16), members: number[]})
  Napi::Value SetNextHop(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
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
    if (hv_core_nh_set(core_, info[0].As<Napi::Number>().Uint32Value(), &nh) < 0)
      Napi::RangeError::New(env, "next-hop id out of range").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Value Synchronize(const Napi::CallbackInfo &info) {
    if (Alive(info)) hv_core_synchronize(core_);
    return info.Env().Undefined();
  }
  struct NeighCtx {
    Napi::Env env;
    Napi::Array arr;
    uint32_t n;
    uint32_t now;
  };
  static void NeighCb(void *ctx, const hv_neigh_entry *e) {
    auto *w = static_cast<NeighCtx *>(ctx);
    Napi::Object o = Napi::Object::New(w->env);
    o.Set("port", e->port);
    o.Set("af", e->af);
    o.Set("ip", Napi::Buffer<uint8_t>::Copy(w->env, e->ip, e->af == 4 ? 4 : 16));
    o.Set("mac", MacString(e->mac));
    o.Set("state", e->state);
    o.Set("age", w->now - e->updated);
    w->arr.Set(w->n++, o);
  }
  Napi::Value NeighList(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    NeighCtx ctx{env, Napi::Array::New(env), 0, hv_core_now(core_)};
    hv_neigh_walk(hv_core_neigh(core_), NeighCb, &ctx);
    return ctx.arr;
  }
  // neighSet(port, ip: Buffer(4|16), mac: Buffer6) -> a permanent entry
  Napi::Value NeighSet(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    auto ip = info[1].As<Napi::Buffer<uint8_t>>();
    uint8_t mac[6];
    if (!MacArg(info[2], mac) || (ip.Length() != 4 && ip.Length() != 16)) {
      Napi::TypeError::New(env, "neighSet(port, ip Buffer(4|16), mac Buffer(6))").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    if (hv_neigh_update(hv_core_neigh(core_), static_cast<uint16_t>(info[0].As<Napi::Number>().Uint32Value()),
                        ip.Length() == 4 ? 4 : 6, ip.Data(), mac, HV_NEIGH_PERMANENT, hv_core_now(core_), 1) < 0)
      Napi::Error::New(env, "neighbor table full").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Value NeighFlush(const Napi::CallbackInfo &info) {
    if (Alive(info))
      hv_neigh_flush(hv_core_neigh(core_), info[0].As<Napi::Number>().Int32Value(), info[1].ToBoolean() ? 1 : 0);
    return info.Env().Undefined();
  }
  Napi::Value PollOnce(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    return Napi::Number::New(env, hv_core_poll_once(core_, info.Length() ? info[0].As<Napi::Number>().Uint32Value() : 0));
  }
};

}  // namespace

Napi::Object InitCore(Napi::Env env, Napi::Object exports) {
  exports.Set("Core", Core::Define(env));
  Napi::Array names = Napi::Array::New(env);
  for (int k = 0; k < HV_CTR_MAX; k++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", kCounterNames[k]);
    o.Set("help", kCounterHelp[k]);
    names.Set(k, o);
  }
  exports.Set("counters", names);
  return exports;
}

}  // namespace hvaddon
