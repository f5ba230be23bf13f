// Liveness and the systemd notification protocol: each worker's heartbeat
// (liveness.c) for the watchdog gate in src/daemon/systemd.ts, the worker
// stall TEST HOOK, and `sdNotify(socket, message)` (sd_notify.c), exported on
// its own since it needs no core.  Node has no AF_UNIX datagram sockets, hence
// the datagram is sent from here.
#include <string>

#include "args.h"
#include "core_object.h"

extern "C" {
#include "sd_notify.h"
}

namespace hvaddon {
namespace {

// workerHeartbeats() -> [heartbeat per worker]
Napi::Value WorkerHeartbeats(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Array arr = Napi::Array::New(env);
  for (uint32_t w = 0; w < hv_core_workers(core); w++)
    arr.Set(w, static_cast<double>(hv_core_worker_heartbeat(core, w)));
  return arr;
}

// testStallWorker(worker, ms): TEST HOOK (core.h)
Napi::Value TestStallWorker(hv_core *core, const Napi::CallbackInfo &info) {
  if (hv_core_test_stall_worker(core, ArgU32(info, 0), ArgU32(info, 1)) < 0)
    return Throw(info.Env(), "no such worker");
  return info.Env().Undefined();
}

// sdNotify(socket, message): throws with the reason if the datagram was not sent.
Napi::Value SdNotify(const Napi::CallbackInfo &info) {
  std::string path = info[0].As<Napi::String>().Utf8Value();
  std::string msg = info[1].As<Napi::String>().Utf8Value();
  char err[256] = "";
  if (hv_sd_notify(path.c_str(), msg.data(), msg.size(), err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

const CoreMethod kMethods[] = {
    {"workerHeartbeats", WorkerHeartbeats},
    {"testStallWorker", TestStallWorker},
};

}  // namespace

void InitLiveness(CoreMethods &m) { AddMethods(m, kMethods); }

void ExportSdNotify(Napi::Env env, Napi::Object exports) {
  exports.Set("sdNotify", Napi::Function::New(env, SdNotify, "sdNotify"));
}

}  // namespace hvaddon
