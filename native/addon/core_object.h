// N-API glue for the dataplane core: the `Core` class.  Thin by design:
// argument policy and validation live in src/dataplane (TypeScript).
#pragma once
#include <napi.h>

namespace hvaddon {
Napi::Object InitCore(Napi::Env env, Napi::Object exports);
}
