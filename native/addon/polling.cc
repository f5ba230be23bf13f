// Worker polling modes (polling.h): set and read a worker's mode and adaptive
// budget, and exports.pollModes, the mode names by value (the configuration's
// words come from here, declared once in polling.c).
#include "args.h"
#include "core_object.h"

extern "C" {
#include "polling.h"
}

namespace hvaddon {
namespace {

// setPolling(worker, mode, budgetUs): throws if any is out of range (TypeScript validates first).
Napi::Value SetPolling(hv_core *core, const Napi::CallbackInfo &info) {
  if (hv_core_set_polling(core, ArgU32(info, 0), ArgU32(info, 1), ArgU32(info, 2)) < 0)
    return Throw(info.Env(), "setPolling: worker, mode or budget out of range");
  return info.Env().Undefined();
}

// setPollingGrowth(worker, budgetMaxUs, napUs): the adaptive refinements; call before setPolling.
Napi::Value SetPollingGrowth(hv_core *core, const Napi::CallbackInfo &info) {
  if (hv_core_set_polling_growth(core, ArgU32(info, 0), ArgU32(info, 1), ArgU32(info, 2)) < 0)
    return Throw(info.Env(), "setPollingGrowth: worker, budget bound or nap out of range");
  return info.Env().Undefined();
}

// getPolling(worker) -> {mode, budgetUs, budgetMaxUs, napUs} | null
Napi::Value GetPolling(hv_core *core, const Napi::CallbackInfo &info) {
  uint32_t mode = 0, budget = 0, budget_max = 0, nap = 0;
  if (hv_core_get_polling(core, ArgU32(info, 0), &mode, &budget) < 0 ||
      hv_core_get_polling_growth(core, ArgU32(info, 0), &budget_max, &nap) < 0)
    return info.Env().Null();
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("mode", mode);
  o.Set("budgetUs", budget);
  o.Set("budgetMaxUs", budget_max);
  o.Set("napUs", nap);
  return o;
}

const CoreMethod kMethods[] = {
    {"setPolling", SetPolling},
    {"setPollingGrowth", SetPollingGrowth},
    {"getPolling", GetPolling},
};

}  // namespace

void InitPolling(CoreMethods &m) { AddMethods(m, kMethods); }

void ExportPollModes(Napi::Env env, Napi::Object exports) {
  Napi::Object o = Napi::Object::New(env);
  Napi::Array names = Napi::Array::New(env);
  for (uint32_t i = 0; i < HV_POLL_MODE_COUNT; i++) names.Set(i, hv_poll_mode_names[i]);
  o.Set("modes", names);
  o.Set("budgetMaxUs", HV_POLL_BUDGET_MAX_US);
  o.Set("budgetDefaultUs", HV_POLL_BUDGET_DEFAULT_US);
  o.Set("budgetGrowMaxUs", HV_POLL_BUDGET_GROW_MAX_US);
  o.Set("napMaxUs", HV_POLL_NAP_MAX_US);
  exports.Set("polling", o);
}

}  // namespace hvaddon
