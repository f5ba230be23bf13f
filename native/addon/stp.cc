// Spanning tree port states (native/core/stp.h): `stpSet(port, state)` sets the
// state the core enforces on a bridged port, `stpGet(port)` reads it back.  The
// states (name, value, help) are exported as `stp.states` from HV_STP_STATES,
// the one table the core declares them in.  The protocol itself runs in the
// controller (src/l2gw/stp).
#include <cerrno>
#include <cstdio>

#include "args.h"
#include "core_object.h"

extern "C" {
#include "stp.h"
}

namespace hvaddon {
namespace {

// stpSet(port, state): throws with the field on a bad port or state.
Napi::Value StpSet(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) return Throw(env, "stpSet: port must be a port id");
  if (!info[1].IsNumber()) return Throw(env, "stpSet: state must be a number");
  uint32_t port = ArgU32(info, 0), state = ArgU32(info, 1);
  int rc = port > UINT16_MAX ? -ENOENT : state > UINT8_MAX ? -EINVAL
         : hv_core_port_stp_set(core, static_cast<uint16_t>(port), static_cast<uint8_t>(state));
  char msg[128];
  if (rc == -ENOENT) {
    std::snprintf(msg, sizeof msg, "stpSet: port: no such port %u", port);
    return Throw(env, msg);
  }
  if (rc == -EINVAL) {
    std::snprintf(msg, sizeof msg, "stpSet: state: %u is not a spanning tree state", state);
    return Throw(env, msg);
  }
  return env.Undefined();
}

// stpGet(port) -> state
Napi::Value StpGet(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) return Throw(env, "stpGet: port must be a port id");
  uint32_t port = ArgU32(info, 0);
  return Napi::Number::New(env, port > UINT16_MAX ? static_cast<uint8_t>(HV_STP_forwarding) : hv_core_port_stp_get(core, static_cast<uint16_t>(port)));
}

struct State {
  const char *name;
  uint32_t value;
  const char *help;
};
const State kStates[] = {
#define HV_X(name, value, help) {#name, static_cast<uint32_t>(value), help},
    HV_STP_STATES(HV_X)
#undef HV_X
};

const CoreMethod kMethods[] = {
    {"stpSet", StpSet},
    {"stpGet", StpGet},
};

}  // namespace

void InitStp(CoreMethods &m) { AddMethods(m, kMethods); }

void ExportStp(Napi::Env env, Napi::Object exports) {
  Napi::Array states = Napi::Array::New(env);
  for (uint32_t k = 0; k < sizeof kStates / sizeof kStates[0]; k++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", kStates[k].name);
    o.Set("value", kStates[k].value);
    o.Set("help", kStates[k].help);
    states.Set(k, o);
  }
  Napi::Object stp = Napi::Object::New(env);
  stp.Set("states", states);
  exports.Set("stp", stp);
}

}  // namespace hvaddon
