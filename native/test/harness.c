#include "harness.h"

#include <net/if.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <string.h>

struct hv_core *core;
uint8_t out[HV_MAX_FRAME];

struct hv_core *harness_core(uint32_t workers, uint32_t poll_ms) {
  struct hv_core_params params = {.workers = workers, .aging_s = 300, .poll_ms = poll_ms};
  core = hv_core_create(&params);
  return core;
}

int add_port_with(const char *name, const struct hv_port_settings *s) {
  struct hv_port_open_params pp;
  memset(&pp, 0, sizeof pp);
  pp.kind = HV_PORT_MEMORY;
  snprintf(pp.name, sizeof pp.name, "%s", name);
  char err[256];
  int id = hv_core_port_add(core, &pp, s, err, sizeof err);
  if (id < 0) printf("# %s\n", err);
  return id;
}

int add_l2_port(const char *name, uint8_t mode, uint16_t vlan, const int *allowed) {
  struct hv_port_settings s;
  memset(&s, 0, sizeof s);
  s.bd = 0;
  s.mode = mode;
  s.vlan = vlan;
  for (; allowed && *allowed; allowed++) s.allowed[*allowed >> 6] |= 1ull << (*allowed & 63);
  return add_port_with(name, &s);
}

void inject(int port, const uint8_t *f, uint32_t len) {
  hv_port_mem_inject(hv_core_port(core, (uint16_t)port), f, len);
  hv_core_poll_once(core, 0);
}

int pop(int port) { return hv_port_mem_pop(hv_core_port(core, (uint16_t)port), out, sizeof out); }

int drain(int port) {
  int n = 0;
  while (pop(port) > 0) n++;
  return n;
}

uint64_t ctr(int port, enum hv_port_counter k) {
  struct hv_port_counters c;
  hv_core_port_stats(core, (uint16_t)port, &c);
  return c.v[k];
}

int lo_up(void) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
  int rc = ioctl(fd, SIOCGIFFLAGS, &ifr);
  ifr.ifr_flags |= IFF_UP;
  if (!rc) rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
  close(fd);
  return rc;
}

/* Polls `port` until it has transmitted a frame (or 5 s pass: a failure, not a wait). */
int pop_wait(int port) {
  for (int i = 0; i < 5000; i++) {
    int n = pop(port);
    if (n) return n;
    usleep(1000);
  }
  return 0;
}
