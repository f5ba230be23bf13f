// Ports: add/set/remove and their settings (VLAN mode, bridge domain, and the
// layer-3 settings of routed and vm ports, the flood-list split-horizon group),
// plus portInfo.
#include <cstdio>
#include <cstring>
#include <string>

#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

// Layer-3 settings: {vrf, mac: Buffer6, addr4: [{addr: u32, plen}], addr6: [{addr: Buffer16, plen}],
//                    vmMac: Buffer6, vm4: [u32], vm6: [Buffer16]}
void L3Settings(const Napi::Object &o, hv_l3_cfg *l3) {
  l3->vrf = static_cast<uint16_t>(U32(o, "vrf", 0));
  BytesArg(o.Get("mac"), l3->mac, 6);
  BytesArg(o.Get("vmMac"), l3->vm_mac, 6);
  Napi::Value a4 = o.Get("addr4");
  if (a4.IsArray()) {
    auto a = a4.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length() && l3->n4 < HV_L3_ADDRS; i++) {
      Napi::Object e = a.Get(i).As<Napi::Object>();
      l3->addr4[l3->n4] = U32(e, "addr", 0);
      l3->plen4[l3->n4++] = static_cast<uint8_t>(U32(e, "plen", 32));
    }
  }
  Napi::Value a6 = o.Get("addr6");
  if (a6.IsArray()) {
    auto a = a6.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length() && l3->n6 < HV_L3_ADDRS; i++) {
      Napi::Object e = a.Get(i).As<Napi::Object>();
      if (!BytesArg(e.Get("addr"), l3->addr6[l3->n6], 16)) continue;
      l3->plen6[l3->n6++] = static_cast<uint8_t>(U32(e, "plen", 128));
    }
  }
  Napi::Value v4 = o.Get("vm4");
  if (v4.IsArray()) {
    auto a = v4.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length() && l3->nvm4 < HV_L3_ADDRS; i++)
      l3->vm4[l3->nvm4++] = a.Get(i).As<Napi::Number>().Uint32Value();
  }
  Napi::Value v6 = o.Get("vm6");
  if (v6.IsArray()) {
    auto a = v6.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length() && l3->nvm6 < HV_L3_ADDRS; i++)
      if (BytesArg(a.Get(i), l3->vm6[l3->nvm6], 16)) l3->nvm6++;
  }
}

hv_port_settings Settings(const Napi::Object &o) {
  hv_port_settings s;
  std::memset(&s, 0, sizeof s);
  s.bd = static_cast<uint16_t>(U32(o, "bd", HV_NO_BD));
  s.mode = static_cast<uint8_t>(U32(o, "mode", HV_MODE_ACCESS));
  s.vlan = static_cast<uint16_t>(U32(o, "vlan", 0));
  s.mac_limit = U32(o, "macLimit", 4096);
  s.punt_mask = U32(o, "puntMask", 0);
  s.punt_rate = U32(o, "puntRate", 0);
  s.flood_group = static_cast<uint16_t>(U32(o, "floodGroup", 0));
  s.bond = static_cast<uint16_t>(U32(o, "bond", 0));
  Napi::Value allowed = o.Get("allowed");
  if (allowed.IsArray()) {
    auto a = allowed.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) {
      uint32_t vid = a.Get(i).As<Napi::Number>().Uint32Value();
      if (vid < 4096) s.allowed[vid >> 6] |= 1ull << (vid & 63);
    }
  }
  Napi::Value l3 = o.Get("l3");
  if (l3.IsObject()) L3Settings(l3.As<Napi::Object>(), &s.l3);
  return s;
}

// addPort({kind, name, mtu, ringBlocks, ringBlockKb, ringTimeoutMs}, settings) -> port id
Napi::Value AddPort(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Object o = info[0].As<Napi::Object>();
  hv_port_open_params pp;
  std::memset(&pp, 0, sizeof pp);
  pp.kind = static_cast<hv_port_kind>(U32(o, "kind", HV_PORT_MEMORY));
  std::string name = o.Get("name").As<Napi::String>().Utf8Value();
  std::snprintf(pp.name, sizeof pp.name, "%s", name.c_str());
  pp.mtu = U32(o, "mtu", 0);
  pp.ring_blocks = U32(o, "ringBlocks", 0);
  pp.ring_block_kb = U32(o, "ringBlockKb", 0);
  pp.ring_timeout_ms = U32(o, "ringTimeoutMs", 0);
  pp.af = static_cast<uint8_t>(U32(o, "af", 0));
  BytesArg(o.Get("local"), pp.local, pp.af == 6 ? 16 : 4);
  pp.udp_port = static_cast<uint16_t>(U32(o, "udpPort", 0));
  pp.mpls = static_cast<uint8_t>(U32(o, "mpls", 0));
  hv_port_settings s = Settings(info[1].As<Napi::Object>());
  char err[256] = "";
  int id = hv_core_port_add(core, &pp, &s, err, sizeof err);
  if (id < 0) return Throw(info.Env(), err);
  return Napi::Number::New(info.Env(), id);
}

Napi::Value SetPort(hv_core *core, const Napi::CallbackInfo &info) {
  hv_port_settings s = Settings(info[1].As<Napi::Object>());
  char err[256] = "";
  if (hv_core_port_set(core, ArgU16(info, 0), &s, err, sizeof err) < 0) return Throw(info.Env(), err);
  return info.Env().Undefined();
}

Napi::Value RemovePort(hv_core *core, const Napi::CallbackInfo &info) {
  if (hv_core_port_del(core, ArgU16(info, 0)) < 0) return Throw(info.Env(), "no such port");
  return info.Env().Undefined();
}

Napi::Value PortInfo(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  hv_port *p = hv_core_port(core, ArgU16(info, 0));
  if (!p) return env.Null();
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", p->name);
  o.Set("kind", static_cast<uint32_t>(p->kind));
  o.Set("mtu", p->mtu);
  o.Set("created", p->created != 0);
  if (p->xdp_mode) o.Set("xdpMode", p->xdp_mode);
  if (p->fallback[0]) o.Set("fallback", p->fallback);
  o.Set("macs", hv_core_port_macs(core, p->id));
  return o;
}

const CoreMethod kMethods[] = {
    {"addPort", AddPort},
    {"setPort", SetPort},
    {"removePort", RemovePort},
    {"portInfo", PortInfo},
};

}  // namespace

void InitPorts(CoreMethods &m) {
  AddMethods(m, kMethods);
}

}  // namespace hvaddon
