// schedBatchHelpers(comm): the runtime's helper threads under SCHED_BATCH
// (sched_helpers.c), exported on its own since it needs no core.
#include <string>

#include "args.h"
#include "core_object.h"

extern "C" {
#include "sched_helpers.h"
}

namespace hvaddon {
namespace {

// schedBatchHelpers(comm) -> how many threads are under SCHED_BATCH; throws with the reason
Napi::Value SchedBatchHelpers(const Napi::CallbackInfo &info) {
  std::string comm = info[0].As<Napi::String>().Utf8Value();
  char err[256] = "";
  int n = hv_sched_batch_threads(comm.c_str(), err, sizeof err);
  if (n < 0) return Throw(info.Env(), err);
  return Napi::Number::New(info.Env(), n);
}

}  // namespace

void ExportSched(Napi::Env env, Napi::Object exports) {
  exports.Set("schedBatchHelpers", Napi::Function::New(env, SchedBatchHelpers, "schedBatchHelpers"));
}

}  // namespace hvaddon
