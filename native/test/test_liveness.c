/* Liveness for the systemd watchdog (liveness.c) and the sd_notify(3)
 * datagrams (sd_notify.c).
 * - Idle workers' heartbeats advance (each poll timeout is a loop iteration).
 * - The stall test hook stops exactly the stalled worker's heartbeat while
 *   the other worker's keeps advancing, and the heartbeat resumes after it.
 * - A message reaches a datagram socket bound at a filesystem path and at an
 *   abstract name ("@..."), byte for byte; bad addresses are refused with a
 *   reason, a socket nobody listens on is an error, not a hang. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core_int.h"
#include "harness.h"
#include "sd_notify.h"

/* Waits (polling every millisecond, at most `ms`) until worker `w`'s heartbeat
 * exceeds `v`; 1 if it did. */
static int wait_heartbeat_above(uint32_t w, uint64_t v, int ms) {
  for (int i = 0; i < ms; i++, usleep(1000))
    if (hv_core_worker_heartbeat(core, w) > v) return 1;
  return 0;
}

/* Waits until worker `w` is (want = 1) or is no longer (0) in a test stall. */
static int wait_stalling(uint32_t w, int want, int ms) {
  for (int i = 0; i < ms; i++, usleep(1000))
    if (atomic_load(&core->workers[w]->test_stalling) == want) return 1;
  return 0;
}

static void heartbeats_and_stall(void) {
  harness_core(2, 5);
  char err[256];
  CHECK_EQ(hv_core_start(core, err, sizeof err), 0);
  uint64_t h0 = hv_core_worker_heartbeat(core, 0), h1 = hv_core_worker_heartbeat(core, 1);
  CHECK(wait_heartbeat_above(0, h0 + 3, 5000));
  CHECK(wait_heartbeat_above(1, h1 + 3, 5000));
  CHECK_EQ(hv_core_worker_heartbeat(core, 2), 0);
  CHECK_EQ(hv_core_test_stall_worker(core, 2, 10), -1);

  CHECK_EQ(hv_core_test_stall_worker(core, 1, 3000), 0);
  CHECK(wait_stalling(1, 1, 5000));
  uint64_t frozen = hv_core_worker_heartbeat(core, 1);
  uint64_t other = hv_core_worker_heartbeat(core, 0);
  /* worker 0 turns 20 more times (~100 ms at poll 5 ms) while worker 1 holds */
  CHECK(wait_heartbeat_above(0, other + 20, 5000));
  CHECK(atomic_load(&core->workers[1]->test_stalling));
  CHECK_EQ(hv_core_worker_heartbeat(core, 1), frozen);
  /* the stall ends by itself and the heartbeat resumes */
  CHECK(wait_heartbeat_above(1, frozen, 10000));
  CHECK(wait_stalling(1, 0, 1000));
  hv_core_destroy(core);
}

static int bind_dgram(const char *path) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  size_t n = strlen(path);
  memcpy(sa.sun_path, path, n);
  if (path[0] == '@') sa.sun_path[0] = '\0';
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n)) < 0) {
    perror("bind");
    return -1;
  }
  return fd;
}

static void roundtrip(const char *path) {
  int fd = bind_dgram(path);
  CHECK(fd >= 0);
  char err[256] = "";
  const char msg[] = "READY=1\nSTATUS=2 ports";
  CHECK_EQ(hv_sd_notify(path, msg, sizeof msg - 1, err, sizeof err), 0);
  char buf[256];
  ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
  CHECK_EQ(n, (long long)sizeof msg - 1);
  CHECK(n > 0 && memcmp(buf, msg, (size_t)n) == 0);
  close(fd);
}

static void notify(void) {
  char path[64], abstract[64];
  snprintf(path, sizeof path, "/tmp/hv-notify-test-%d", (int)getpid());
  snprintf(abstract, sizeof abstract, "@hv-notify-test-%d", (int)getpid());
  unlink(path);
  roundtrip(path);
  roundtrip(abstract);
  char err[256] = "";
  CHECK_EQ(hv_sd_notify(path, "X=1", 3, err, sizeof err), -1); /* bound socket closed: nobody listens */
  CHECK(strstr(err, "sendto") != NULL);
  unlink(path);
  CHECK_EQ(hv_sd_notify("run/notify", "X=1", 3, err, sizeof err), -1);
  CHECK(strstr(err, "not an absolute path") != NULL);
  CHECK_EQ(hv_sd_notify("", "X=1", 3, err, sizeof err), -1);
  char longp[200];
  memset(longp, 'a', sizeof longp - 1);
  longp[0] = '/';
  longp[sizeof longp - 1] = '\0';
  CHECK_EQ(hv_sd_notify(longp, "X=1", 3, err, sizeof err), -1);
  CHECK(strstr(err, "longer than") != NULL);
}

int main(void) {
  heartbeats_and_stall();
  notify();
  return tap_done();
}
