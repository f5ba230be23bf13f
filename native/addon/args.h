// Small argument and result helpers shared by the addon's concept files.  They
// convert, they do not validate: checks and defaults policy live in TypeScript.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

extern "C" {
#include "egress.h"
}

namespace hvaddon {

// State of a table walk that builds an array of entries (fdb, neighbors):
// `now` turns timestamps into ages.
struct ListCtx {
  Napi::Env env;
  Napi::Array arr;
  uint32_t n;
  uint32_t now;
};

// "aa:bb:cc:dd:ee:ff"
std::string MacString(const uint8_t *m);
// A 6-byte Buffer into `out`; false if `v` is not one.
bool MacArg(const Napi::Value &v, uint8_t out[6]);
// An n-byte Buffer into `out`; false if `v` is not one.
bool BytesArg(const Napi::Value &v, uint8_t *out, size_t n);
// o[k] as uint32, or `dflt` when absent or not a number.
uint32_t U32(const Napi::Object &o, const char *k, uint32_t dflt);
// info[i] as uint32 / uint16.
inline uint32_t ArgU32(const Napi::CallbackInfo &info, size_t i) { return info[i].As<Napi::Number>().Uint32Value(); }
inline uint16_t ArgU16(const Napi::CallbackInfo &info, size_t i) { return static_cast<uint16_t>(ArgU32(info, i)); }
// An egress handle from (kind, index) at info[i], info[i + 1]: the bit layout stays in egress.h.
inline hv_egress ArgEgress(const Napi::CallbackInfo &info, size_t i) {
  return hv_egress_make(static_cast<hv_egress_kind>(ArgU32(info, i)), ArgU32(info, i + 1));
}
// Sets o[kindKey] and o[indexKey] to egress `e` split into its kind and index.
inline void SetEgress(Napi::Object &o, const char *kindKey, const char *indexKey, hv_egress e) {
  o.Set(kindKey, static_cast<uint32_t>(hv_egress_kind_of(e)));
  o.Set(indexKey, hv_egress_index(e));
}
// Throws `msg` as a JavaScript Error; returns undefined for `return Throw(...)`.
inline Napi::Value Throw(Napi::Env env, const char *msg) {
  Napi::Error::New(env, msg).ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace hvaddon
