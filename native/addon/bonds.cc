// Bonds (native/core/bond.h): a bond is a port of kind BOND added with
// addPort, its members ports of mode MEMBER naming it (settings.bond); these
// set what LACP decided for a member, the bond's transmit hash, and read the
// distributing set the workers use.
#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

// bondMember(memberId, collecting: bool, distributing: bool)
Napi::Value BondMember(hv_core *core, const Napi::CallbackInfo &info) {
  char err[256] = "";
  int collecting = info[1].ToBoolean().Value() ? 1 : 0;
  int distributing = info[2].ToBoolean().Value() ? 1 : 0;
  if (hv_core_bond_member(core, ArgU16(info, 0), collecting, distributing, err, sizeof err) < 0)
    return Throw(info.Env(), err);
  return info.Env().Undefined();
}

// bondHash(bondId, hash: HV_BOND_HASH_*)
Napi::Value BondHash(hv_core *core, const Napi::CallbackInfo &info) {
  char err[256] = "";
  if (hv_core_bond_hash(core, ArgU16(info, 0), static_cast<uint8_t>(ArgU32(info, 1)), err, sizeof err) < 0)
    return Throw(info.Env(), err);
  return info.Env().Undefined();
}

// bondDistributing(bondId) -> [member port id]
Napi::Value BondDistributing(hv_core *core, const Napi::CallbackInfo &info) {
  uint16_t ids[HV_BOND_MAX_MEMBERS];
  int n = hv_core_bond_distributing(core, ArgU16(info, 0), ids, HV_BOND_MAX_MEMBERS);
  Napi::Array a = Napi::Array::New(info.Env(), static_cast<size_t>(n));
  for (int i = 0; i < n; i++) a.Set(static_cast<uint32_t>(i), static_cast<uint32_t>(ids[i]));
  return a;
}

const CoreMethod kMethods[] = {
    {"bondMember", BondMember},
    {"bondHash", BondHash},
    {"bondDistributing", BondDistributing},
};

}  // namespace

void InitBonds(CoreMethods &m) {
  AddMethods(m, kMethods);
}

}  // namespace hvaddon
