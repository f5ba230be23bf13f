// N-API glue for the dataplane core: the `Core` class and how its methods are
// registered.  Thin by design: argument policy and validation live in
// src/dataplane (TypeScript).  The class itself (core_object.cc) owns only the
// lifecycle (create/start/stop/close, aging, clock, events, notify, poll); each
// concept file (ports.cc, bridges.cc, fdb.cc, vrfs.cc, counters.cc, memport.cc,
// punt.cc, capture.cc)
// contributes its methods as a table of free functions that receive the open
// core, so the concept files never see the wrapper object.
#pragma once
#include <napi.h>

#include <vector>

extern "C" {
#include "core.h"
}

namespace hvaddon {

// A method of `Core` implemented in a concept file.  Called only while the core
// is open (the wrapper throws "core is closed" otherwise).
using CoreFn = Napi::Value (*)(hv_core *core, const Napi::CallbackInfo &info);
struct CoreMethod {
  const char *name;
  CoreFn fn;
};
// Pointers into each concept file's static table (stable for the process).
using CoreMethods = std::vector<const CoreMethod *>;

// Appends a concept file's method table (what each Init* below does).
template <size_t N>
void AddMethods(CoreMethods &m, const CoreMethod (&table)[N]) {
  for (const CoreMethod &x : table) m.push_back(&x);
}

// Registration, one per concept file: appends that file's methods.
void InitPorts(CoreMethods &m);
void InitBridges(CoreMethods &m);
void InitFdb(CoreMethods &m);
void InitVrfs(CoreMethods &m);
void InitCounters(CoreMethods &m);
// exports.counters: [{name, help}] from HV_PORT_COUNTERS.
void ExportCounterNames(Napi::Env env, Napi::Object exports);
void InitMemPort(CoreMethods &m);
void InitPunt(CoreMethods &m);
void InitTunnels(CoreMethods &m);
// EVPN multihoming: Ethernet segment filters and aliasing groups (es.cc).
void InitEs(CoreMethods &m);
void InitMpls(CoreMethods &m);
// exports.punt: {classes: [{name, bit, help}] from HV_PUNT_CLASSES, rateDefault,
// ring, snapLen, frameMin, frameMax}.
void ExportPunt(Napi::Env env, Napi::Object exports);
// Spanning tree port states (stp.cc), and exports.stp: {states: [{name, value, help}]}.
void InitStp(CoreMethods &m);
void ExportStp(Napi::Env env, Napi::Object exports);
// EVPN ARP/ND suppression bindings: set, delete, list (suppress.cc).
void InitSuppress(CoreMethods &m);
// Worker heartbeats and the stall test hook (liveness.cc).
void InitLiveness(CoreMethods &m);
// exports.sdNotify(socket, message): one sd_notify(3) datagram (liveness.cc).
void ExportSdNotify(Napi::Env env, Napi::Object exports);
// exports.schedBatchHelpers(comm): helper threads under SCHED_BATCH (sched.cc).
void ExportSched(Napi::Env env, Napi::Object exports);
// Packet capture: attach, detach, drain (capture.cc).
void InitCapture(CoreMethods &m);
// Bond members' LACP state and the bond hash (bonds.cc).
void InitBonds(CoreMethods &m);
// exports.capture (limits, directions) and exports.compileFilter (capture.cc).
void ExportCapture(Napi::Env env, Napi::Object exports);
// exports.constants: the core's enums and limits (constants.cc).
void ExportConstants(Napi::Env env, Napi::Object exports);
// exports.LinkMonitor and exports.linkIndex: link notifications (linkmon.cc).
void ExportLinkMonitor(Napi::Env env, Napi::Object exports);

// Worker polling modes: setPolling/getPolling, exports.polling (polling.cc).
void InitPolling(CoreMethods &m);
void ExportPollModes(Napi::Env env, Napi::Object exports);

// Defines the `Core` class (lifecycle methods plus `m`) on `exports`.
void InitCore(Napi::Env env, Napi::Object exports, const CoreMethods &m);

}  // namespace hvaddon
