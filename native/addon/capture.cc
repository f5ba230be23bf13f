// Packet capture (native/core/capture.h) and the capture filter compiler.
//  - captureStart(port, dir, snaplen, program: Buffer | null) -> capture id;
//    throws naming the cause (no such port, a capture already attached, bad
//    program);
//  - captureStats(port, id) / captureStop(port, id) -> {captured, dropped,
//    filtered}, or null if that capture is not attached;
//  - captures() -> Buffer | null: the records waiting in the workers' rings,
//    packed as the core lays them out (struct hv_capture_rec + bytes, each
//    padded to 8), parsed by src/dataplane/capture.ts: one Buffer per drain,
//    never an object per packet.
//  - exports.compileFilter(expr, linktype, snaplen) -> Buffer of classic BPF
//    instructions (struct bpf_insn, host byte order): libpcap's pcap_compile()
//    on a dead handle of that link type, the compiler tcpdump uses, so a
//    filter means here what it means to tcpdump.  Throws libpcap's message.
// The controller is woken for records by the notify callback shared with MAC
// events (core_object.cc `onEvents`).
#include <pcap/pcap.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

static_assert(sizeof(hv_bpf_insn) == sizeof(bpf_insn), "classic BPF instruction layout");
static_assert(sizeof(hv_capture_rec) == HV_CAPTURE_REC_HLEN, "capture record header");

// One drain copies at most this much (whole records; at least one of the largest).
constexpr uint32_t kDrainBytes = 1u << 20;
static_assert(kDrainBytes >= HV_CAPTURE_REC_HLEN + HV_CAPTURE_SNAP_MAX, "a drain holds any record");

Napi::Value StatsObject(Napi::Env env, const hv_capture_stats &s) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("captured", static_cast<double>(s.captured));
  o.Set("dropped", static_cast<double>(s.dropped));
  o.Set("filtered", static_cast<double>(s.filtered));
  return o;
}

Napi::Value CaptureStart(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  uint32_t port = ArgU32(info, 0);
  const hv_bpf_insn *prog = nullptr;
  uint32_t n = 0;
  if (info[3].IsBuffer()) {
    auto b = info[3].As<Napi::Buffer<uint8_t>>();
    prog = reinterpret_cast<const hv_bpf_insn *>(b.Data());
    n = static_cast<uint32_t>(b.Length() / sizeof(hv_bpf_insn));
  }
  int rc = port > UINT16_MAX ? -ENOENT
                             : hv_core_capture_start(core, static_cast<uint16_t>(port), static_cast<uint8_t>(ArgU32(info, 1)),
                                                     ArgU32(info, 2), prog, n);
  char msg[128];
  switch (rc) {
    case -ENOENT:
      std::snprintf(msg, sizeof msg, "capture: port: no such port %u", port);
      return Throw(env, msg);
    case -EBUSY:
      return Throw(env, "capture: port: a capture is already attached");
    case -EINVAL:
      return Throw(env, "capture: bad direction, snap length or filter program");
    case -ENOMEM:
      return Throw(env, "capture: out of memory");
    default:
      return Napi::Number::New(env, rc);
  }
}

Napi::Value CaptureStats(hv_core *core, const Napi::CallbackInfo &info) {
  hv_capture_stats s;
  if (hv_core_capture_stats(core, ArgU16(info, 0), ArgU32(info, 1), &s)) return info.Env().Null();
  return StatsObject(info.Env(), s);
}

Napi::Value CaptureStop(hv_core *core, const Napi::CallbackInfo &info) {
  hv_capture_stats s;
  if (hv_core_capture_stop(core, ArgU16(info, 0), ArgU32(info, 1), &s)) return info.Env().Null();
  return StatsObject(info.Env(), s);
}

Napi::Value Captures(hv_core *core, const Napi::CallbackInfo &info) {
  static std::vector<uint8_t> buf(kDrainBytes);  // the controller thread's only
  uint32_t n = hv_core_captures(core, buf.data(), kDrainBytes);
  if (!n) return info.Env().Null();
  return Napi::Buffer<uint8_t>::Copy(info.Env(), buf.data(), n);
}

Napi::Value CompileFilter(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString()) return Throw(env, "filter must be a string");
  std::string expr = info[0].As<Napi::String>().Utf8Value();
  pcap_t *p = pcap_open_dead(static_cast<int>(ArgU32(info, 1)), static_cast<int>(ArgU32(info, 2)));
  if (!p) return Throw(env, "filter: pcap_open_dead failed");
  bpf_program prog;
  if (pcap_compile(p, &prog, expr.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    std::string err = pcap_geterr(p);
    pcap_close(p);
    return Throw(env, err.c_str());
  }
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::Copy(env, reinterpret_cast<const uint8_t *>(prog.bf_insns),
                                                         prog.bf_len * sizeof(bpf_insn));
  pcap_freecode(&prog);
  pcap_close(p);
  return out;
}

const CoreMethod kMethods[] = {
    {"captureStart", CaptureStart},
    {"captureStats", CaptureStats},
    {"captureStop", CaptureStop},
    {"captures", Captures},
};

}  // namespace

void InitCapture(CoreMethods &m) { AddMethods(m, kMethods); }

void ExportCapture(Napi::Env env, Napi::Object exports) {
  Napi::Object t = Napi::Object::New(env);
  t.Set("snapDefault", static_cast<uint32_t>(HV_CAPTURE_SNAP_DEFAULT));
  t.Set("snapMax", static_cast<uint32_t>(HV_CAPTURE_SNAP_MAX));
  t.Set("recordHeader", static_cast<uint32_t>(HV_CAPTURE_REC_HLEN));
  t.Set("ringBytes", static_cast<uint32_t>(HV_CAPTURE_RING));
  t.Set("dirIn", static_cast<uint32_t>(HV_CAPTURE_IN));
  t.Set("dirOut", static_cast<uint32_t>(HV_CAPTURE_OUT));
  t.Set("dirBoth", static_cast<uint32_t>(HV_CAPTURE_BOTH));
  exports.Set("capture", t);
  exports.Set("compileFilter", Napi::Function::New(env, CompileFilter, "compileFilter"));
}

}  // namespace hvaddon
