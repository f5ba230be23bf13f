// Punt ring and inject call (native/core/punt.h): `inject(port, frame)` queues
// a frame for transmission out of a port; `punts(max)` drains up to `max`
// punted frames of all workers in one batch.  The punt classes (name, bit,
// help) are exported as `punt.classes` from HV_PUNT_CLASSES, the one table the
// core declares them in, with the limits TypeScript checks against.  The
// controller is woken for punted frames by the same notify callback as MAC
// events (core_object.cc `onEvents`): its TypeScript handler drains both.
#include <cerrno>
#include <cstdio>

#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

// One punts() call returns at most one ring's worth, copied kChunk at a time.
constexpr uint32_t kMaxPunts = HV_PUNT_RING;
constexpr uint32_t kChunk = 8;

// inject(port, frame: Buffer) -> true if queued, false if the worker's inject
// ring is full (counted as inject_full on the port).  Throws on a bad argument.
Napi::Value Inject(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) return Throw(env, "inject: port must be a port id");
  if (!info[1].IsBuffer()) return Throw(env, "inject: frame must be a Buffer");
  uint32_t port = ArgU32(info, 0);
  auto frame = info[1].As<Napi::Buffer<uint8_t>>();
  char msg[128];
  int rc = port > UINT16_MAX ? -ENOENT
                             : hv_core_inject(core, static_cast<uint16_t>(port), frame.Data(),
                                              static_cast<uint32_t>(frame.Length()));
  switch (rc) {
    case 0:
      return Napi::Boolean::New(env, true);
    case -ENOBUFS:
      return Napi::Boolean::New(env, false);
    case -ENOENT:
      std::snprintf(msg, sizeof msg, "inject: port: no such port %u", port);
      return Throw(env, msg);
    case -EINVAL:
      std::snprintf(msg, sizeof msg, "inject: frame: length %zu outside %u..%u", frame.Length(),
                    static_cast<unsigned>(HV_ETH_HLEN), static_cast<unsigned>(HV_MAX_FRAME));
      return Throw(env, msg);
    default:
      return Throw(env, "inject: out of memory");
  }
}

// punts(max) -> [{port, reason, truncated, len, data: Buffer}], at most
// min(max, HV_PUNT_RING) frames; `reason` is one HV_PUNT_* bit, `data` the
// first HV_PUNT_SNAP bytes, `len` the frame's length as received.  Copies
// through a small stack buffer (a slot is ~2 KiB), a few slots per core call.
Napi::Value Punts(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t max = info[0].IsNumber() ? ArgU32(info, 0) : kMaxPunts;
  if (max == 0 || max > kMaxPunts) max = kMaxPunts;
  Napi::Array arr = Napi::Array::New(env);
  hv_punt buf[kChunk];
  for (uint32_t k = 0; k < max;) {
    int want = static_cast<int>(max - k < kChunk ? max - k : kChunk);
    int n = hv_core_punts(core, buf, want);
    for (int i = 0; i < n; i++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("port", buf[i].port);
      o.Set("reason", buf[i].reason);
      o.Set("truncated", buf[i].truncated != 0);
      o.Set("len", buf[i].len);
      o.Set("data", Napi::Buffer<uint8_t>::Copy(env, buf[i].data, buf[i].caplen));
      arr.Set(k++, o);
    }
    if (n < want) break;
  }
  return arr;
}

// HV_PUNT_CLASSES as rows, for exports.punt.classes.
struct PuntClass {
  const char *name;
  uint32_t bit;
  const char *help;
};
const PuntClass kClasses[] = {
#define HV_X(name, bit, help) {#name, static_cast<uint32_t>(bit), help},
    HV_PUNT_CLASSES(HV_X)
#undef HV_X
};

// exports.punt: the classes and the limits TypeScript checks against.
Napi::Object PuntTable(Napi::Env env) {
  Napi::Array classes = Napi::Array::New(env);
  for (uint32_t k = 0; k < sizeof kClasses / sizeof kClasses[0]; k++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", kClasses[k].name);
    o.Set("bit", kClasses[k].bit);
    o.Set("help", kClasses[k].help);
    classes.Set(k, o);
  }
  Napi::Object punt = Napi::Object::New(env);
  punt.Set("classes", classes);
  punt.Set("rateDefault", static_cast<uint32_t>(HV_PUNT_RATE_DEFAULT));
  punt.Set("ring", static_cast<uint32_t>(HV_PUNT_RING));
  punt.Set("snapLen", static_cast<uint32_t>(HV_PUNT_SNAP));
  punt.Set("frameMin", static_cast<uint32_t>(HV_ETH_HLEN));
  punt.Set("frameMax", static_cast<uint32_t>(HV_MAX_FRAME));
  return punt;
}

const CoreMethod kMethods[] = {
    {"inject", Inject},
    {"punts", Punts},
};

}  // namespace

void InitPunt(CoreMethods &m) {
  AddMethods(m, kMethods);
}

void ExportPunt(Napi::Env env, Napi::Object exports) { exports.Set("punt", PuntTable(env)); }

}  // namespace hvaddon
