// The link monitor (native/core/linkmon.h) delivered to the controller: one
// small thread blocks in poll() on the rtnetlink socket (and a stop eventfd),
// reads every pending notification when it wakes and hands the batch to the
// JS callback through a thread-safe function — one call per batch, no timer,
// no polling of interfaces.  (The addon builds against node-api headers only,
// without libuv's, so the socket cannot join the event loop directly.)
//   new LinkMonitor(cb)  opens the socket (throws with the reason), starts the thread;
//                        cb([{kind, ifindex, flags, name}]) on the main thread
//   monitor.close()      stops the thread and closes the socket
//   linkIndex(name)      the interface's index in this namespace, 0: none
// The thread-safe function is unref'd: it does not keep the process alive.
#include "core_object.h"

extern "C" {
#include "linkmon.h"
}

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <thread>
#include <vector>

namespace hvaddon {
namespace {

using Batch = std::vector<hv_link_event>;

class LinkMonitor : public Napi::ObjectWrap<LinkMonitor> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "LinkMonitor", {InstanceMethod<&LinkMonitor::Close>("close")});
  }

  explicit LinkMonitor(const Napi::CallbackInfo &info) : Napi::ObjectWrap<LinkMonitor>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsFunction()) {
      Napi::TypeError::New(env, "LinkMonitor(callback)").ThrowAsJavaScriptException();
      return;
    }
    char err[256] = "";
    fd_ = hv_linkmon_open(err, sizeof err);
    if (fd_ < 0) {
      Napi::Error::New(env, err).ThrowAsJavaScriptException();
      return;
    }
    stop_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (stop_ < 0) {
      close(fd_);
      fd_ = -1;
      Napi::Error::New(env, "link monitor: eventfd failed").ThrowAsJavaScriptException();
      return;
    }
    tsfn_ = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "hv-links", 0, 1);
    tsfn_.Unref(env);
    thread_ = std::thread([this] { Run(); });
  }
  ~LinkMonitor() override { Stop(); }

 private:
  Napi::ThreadSafeFunction tsfn_;
  std::thread thread_;
  int fd_ = -1;
  int stop_ = -1;

  void Run() {
    struct pollfd pfd[2] = {{fd_, POLLIN, 0}, {stop_, POLLIN, 0}};
    for (;;) {
      if (poll(pfd, 2, -1) < 0) continue; /* EINTR */
      if (pfd[1].revents) return;
      auto *batch = new Batch();
      hv_link_event ev[64];
      int n;
      while ((n = hv_linkmon_read(fd_, ev, 64)) > 0) batch->insert(batch->end(), ev, ev + n);
      if (batch->empty() || tsfn_.NonBlockingCall(batch, Deliver) != napi_ok) delete batch;
    }
  }

  static void Deliver(Napi::Env env, Napi::Function cb, Batch *batch) {
    if (env != nullptr && cb != nullptr) {
      Napi::Array arr = Napi::Array::New(env, batch->size());
      for (size_t i = 0; i < batch->size(); i++) {
        const hv_link_event &e = (*batch)[i];
        Napi::Object o = Napi::Object::New(env);
        o.Set("kind", static_cast<uint32_t>(e.kind));
        o.Set("ifindex", e.ifindex);
        o.Set("flags", e.flags);
        o.Set("name", e.name);
        arr.Set(static_cast<uint32_t>(i), o);
      }
      cb.Call({arr});
    }
    delete batch;
  }

  void Stop() {
    if (thread_.joinable()) {
      uint64_t one = 1;
      if (write(stop_, &one, sizeof one) < 0) { /* counter full: already asked to stop */
      }
      thread_.join();
      tsfn_.Release();
    }
    if (fd_ >= 0) close(fd_);
    if (stop_ >= 0) close(stop_);
    fd_ = stop_ = -1;
  }

  Napi::Value Close(const Napi::CallbackInfo &info) {
    Stop();
    return info.Env().Undefined();
  }
};

Napi::Value LinkIndex(const Napi::CallbackInfo &info) {
  std::string name = info[0].As<Napi::String>().Utf8Value();
  return Napi::Number::New(info.Env(), hv_link_index(name.c_str()));
}

}  // namespace

void ExportLinkMonitor(Napi::Env env, Napi::Object exports) {
  exports.Set("LinkMonitor", LinkMonitor::Define(env));
  exports.Set("linkIndex", Napi::Function::New(env, LinkIndex, "linkIndex"));
}

}  // namespace hvaddon
