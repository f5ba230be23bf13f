// Counters: per-port counters (names and help from HV_PORT_COUNTERS, exported
// as `counters`) and per-worker statistics (HV_WORKER_STATS, exported as
// `workerStats`).
#include "args.h"
#include "core_object.h"

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

// portStats(port) -> {counter name: value}
Napi::Value PortStats(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  hv_port_counters c;
  hv_core_port_stats(core, ArgU16(info, 0), &c);
  Napi::Object o = Napi::Object::New(env);
  for (int k = 0; k < HV_CTR_MAX; k++) o.Set(kCounterNames[k], static_cast<double>(c.v[k]));
  return o;
}

// workerStats() -> [{<HV_WORKER_STATS names>}] per worker
Napi::Value WorkerStats(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Array arr = Napi::Array::New(env);
  for (uint32_t w = 0; w < hv_core_workers(core); w++) {
    hv_worker_stats s;
    hv_core_worker_stats(core, w, &s);
    Napi::Object o = Napi::Object::New(env);
#define HV_X(name, help) o.Set(#name, static_cast<double>(s.name));
    HV_WORKER_STATS(HV_X)
#undef HV_X
    arr.Set(w, o);
  }
  return arr;
}

const CoreMethod kMethods[] = {
    {"portStats", PortStats},
    {"workerStats", WorkerStats},
};

}  // namespace

void InitCounters(CoreMethods &m) {
  AddMethods(m, kMethods);
}

void ExportCounterNames(Napi::Env env, Napi::Object exports) {
  Napi::Array names = Napi::Array::New(env);
  for (int k = 0; k < HV_CTR_MAX; k++) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", kCounterNames[k]);
    o.Set("help", kCounterHelp[k]);
    names.Set(k, o);
  }
  exports.Set("counters", names);
  Napi::Array worker = Napi::Array::New(env);
  uint32_t k = 0;
#define HV_X(name, help)                  \
  {                                       \
    Napi::Object o = Napi::Object::New(env); \
    o.Set("name", #name);                 \
    o.Set("help", help);                  \
    worker.Set(k++, o);                   \
  }
  HV_WORKER_STATS(HV_X)
#undef HV_X
  exports.Set("workerStats", worker);
}

}  // namespace hvaddon
