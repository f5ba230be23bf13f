// Addon entry: registers the exported objects, nothing else.
#include <napi.h>

#include "core_object.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  hvaddon::CoreMethods methods;
  hvaddon::InitPorts(methods);
  hvaddon::InitBridges(methods);
  hvaddon::InitFdb(methods);
  hvaddon::InitVrfs(methods);
  hvaddon::InitCounters(methods);
  hvaddon::InitMemPort(methods);
  hvaddon::InitPunt(methods);
  hvaddon::InitTunnels(methods);
  hvaddon::InitMpls(methods);
  hvaddon::InitLiveness(methods);
  hvaddon::InitSuppress(methods);
  hvaddon::InitCapture(methods);
  hvaddon::InitPolling(methods);
  hvaddon::InitStp(methods);
  hvaddon::InitBonds(methods);
  hvaddon::InitEs(methods);
  hvaddon::InitCore(env, exports, methods);
  hvaddon::ExportCounterNames(env, exports);
  hvaddon::ExportPunt(env, exports);
  hvaddon::ExportCapture(env, exports);
  hvaddon::ExportStp(env, exports);
  hvaddon::ExportConstants(env, exports);
  hvaddon::ExportSdNotify(env, exports);
  hvaddon::ExportSched(env, exports);
  hvaddon::ExportLinkMonitor(env, exports);
  hvaddon::ExportPollModes(env, exports);
  return exports;
}

NODE_API_MODULE(hvswitch, Init)
