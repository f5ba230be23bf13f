#include "args.h"

#include <cstdio>
#include <cstring>

namespace hvaddon {

std::string MacString(const uint8_t *m) {
  char b[18];
  std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return b;
}

bool BytesArg(const Napi::Value &v, uint8_t *out, size_t n) {
  if (!v.IsBuffer()) return false;
  auto b = v.As<Napi::Buffer<uint8_t>>();
  if (b.Length() != n) return false;
  std::memcpy(out, b.Data(), n);
  return true;
}

bool MacArg(const Napi::Value &v, uint8_t out[6]) { return BytesArg(v, out, 6); }

uint32_t U32(const Napi::Object &o, const char *k, uint32_t dflt) {
  Napi::Value v = o.Get(k);
  return v.IsNumber() ? v.As<Napi::Number>().Uint32Value() : dflt;
}

}  // namespace hvaddon
