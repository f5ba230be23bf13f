// Addon entry: registers the exported objects, nothing else.
#include <napi.h>

#include "core_object.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  hvaddon::InitCore(env, exports);
  return exports;
}

NODE_API_MODULE(hvswitch, Init)
