// The `Core` wrapper: owns the hv_core handle and its lifecycle (create, start,
// stop, close), the aging setting and clock, the MAC-event queue with its
// wake-up (a thread-safe function the workers call without blocking), and the
// poll hook used by tests.  Every other method comes from a concept file's
// table and is dispatched through Call() with the open core.
#include "core_object.h"

#include "args.h"

namespace hvaddon {
namespace {

class Core : public Napi::ObjectWrap<Core> {
 public:
  static Napi::Function Define(Napi::Env env, const CoreMethods &methods) {
    std::vector<PropertyDescriptor> props = {
        InstanceMethod<&Core::Start>("start"),
        InstanceMethod<&Core::Stop>("stop"),
        InstanceMethod<&Core::Close>("close"),
        InstanceMethod<&Core::SetAging>("setAging"),
        InstanceMethod<&Core::Now>("now"),
        InstanceMethod<&Core::DrainEvents>("drainEvents"),
        InstanceMethod<&Core::OnEvents>("onEvents"),
        InstanceMethod<&Core::PollOnce>("pollOnce"),
    };
    for (const CoreMethod *m : methods)
      props.push_back(InstanceMethod(m->name, &Core::Call, napi_default, const_cast<CoreMethod *>(m)));
    return DefineClass(env, "Core", props);
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

  // A concept file's method: info.Data() is its CoreMethod.
  Napi::Value Call(const Napi::CallbackInfo &info) {
    if (!Alive(info)) return info.Env().Undefined();
    return static_cast<const CoreMethod *>(info.Data())->fn(core_, info);
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

  static Napi::Object EventObject(Napi::Env env, const hv_event &ev) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("kind", static_cast<uint32_t>(ev.kind));
    if (ev.kind == HV_EV_RING_OVERFLOW) {
      o.Set("count", ev.count);
    } else {
      o.Set("mac", MacString(ev.mac));
      o.Set("bd", ev.bd);
      o.Set("vlan", ev.vlan);
      o.Set("port", ev.port);
      if (ev.kind == HV_EV_MOVED) {
        o.Set("oldPort", ev.old_port);
        SetEgress(o, "oldEgressKind", "oldEgressIndex", ev.old_egress);
      }
    }
    return o;
  }
  Napi::Value DrainEvents(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    Napi::Array arr = Napi::Array::New(env);
    hv_event ev[256];
    uint32_t k = 0;
    for (;;) {
      int n = hv_core_events(core_, ev, 256);
      for (int i = 0; i < n; i++) arr.Set(k++, EventObject(env, ev[i]));
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
  Napi::Value PollOnce(const Napi::CallbackInfo &info) {
    Napi::Env env = info.Env();
    if (!Alive(info)) return env.Undefined();
    return Napi::Number::New(env, hv_core_poll_once(core_, info.Length() ? info[0].As<Napi::Number>().Uint32Value() : 0));
  }
};

}  // namespace

void InitCore(Napi::Env env, Napi::Object exports, const CoreMethods &methods) {
  exports.Set("Core", Core::Define(env, methods));
}

}  // namespace hvaddon
