// Bridge domains: add and remove (their FDBs are in fdb.cc).
#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

// addBridgeDomain(index, maxMacs)
Napi::Value AddBridgeDomain(hv_core *core, const Napi::CallbackInfo &info) {
  char err[256] = "";
  if (hv_core_bd_add(core, ArgU16(info, 0), ArgU32(info, 1), err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value RemoveBridgeDomain(hv_core *core, const Napi::CallbackInfo &info) {
  int rc = hv_core_bd_del(core, ArgU16(info, 0));
  if (rc == -2) return Throw(info.Env(), "bridge domain still has ports");
  if (rc < 0) return Throw(info.Env(), "no such bridge domain");
  return info.Env().Undefined();
}

const CoreMethod kMethods[] = {
    {"addBridgeDomain", AddBridgeDomain},
    {"removeBridgeDomain", RemoveBridgeDomain},
};

}  // namespace

void InitBridges(CoreMethods &m) {
  for (const CoreMethod &x : kMethods) m.push_back(&x);
}

}  // namespace hvaddon
