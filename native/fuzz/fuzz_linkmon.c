/* libFuzzer target: rtnetlink link notifications (linkmon.h).  The input is
 * one datagram as the kernel would deliver it; it is copied to aligned storage
 * (the kernel's buffers are NLMSG_ALIGNTO-aligned) and parsed.  Any read past
 * the datagram (ASan) or undefined behaviour (UBSan) is a finding; every event
 * must have a terminated name of at most 15 characters and a known kind.
 * Run: build/fuzz/fuzz_linkmon -max_total_time=60 native/fuzz/corpus-fuzz_linkmon */
#include <stdlib.h>
#include <string.h>

#include "linkmon.h"

static uint8_t buf[1 << 16] __attribute__((aligned(8)));
static struct hv_link_event ev[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > sizeof buf) return 0;
  memcpy(buf, data, size);
  int n = hv_linkmon_parse(buf, size, ev, 64);
  if (n < 0 || n > 64) abort();
  for (int i = 0; i < n; i++) {
    if (ev[i].kind != HV_LINK_NEW && ev[i].kind != HV_LINK_DEL) abort();
    if (memchr(ev[i].name, 0, sizeof ev[i].name) == NULL) abort();
  }
  return 0;
}
