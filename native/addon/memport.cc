// Memory ports (tests and benchmarks, no kernel): inject a frame, pop one sent.
#include "args.h"
#include "core_object.h"

namespace hvaddon {
namespace {

// memInject(port, frame: Buffer)
Napi::Value MemInject(hv_core *core, const Napi::CallbackInfo &info) {
  hv_port *p = hv_core_port(core, ArgU16(info, 0));
  auto b = info[1].As<Napi::Buffer<uint8_t>>();
  if (!p || hv_port_mem_inject(p, b.Data(), static_cast<uint32_t>(b.Length())) < 0)
    return Throw(info.Env(), "not a memory port, or its queue is full");
  return info.Env().Undefined();
}

// memPop(port) -> Buffer, or null when nothing was sent
Napi::Value MemPop(hv_core *core, const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  hv_port *p = hv_core_port(core, ArgU16(info, 0));
  static thread_local uint8_t buf[HV_MAX_FRAME + 64];
  int n = p ? hv_port_mem_pop(p, buf, sizeof buf) : -1;
  if (n <= 0) return env.Null();
  return Napi::Buffer<uint8_t>::Copy(env, buf, static_cast<size_t>(n));
}

const CoreMethod kMethods[] = {
    {"memInject", MemInject},
    {"memPop", MemPop},
};

}  // namespace

void InitMemPort(CoreMethods &m) {
  AddMethods(m, kMethods);
}

}  // namespace hvaddon
