/* hv_csum_add (csum.h) against the plain RFC 1071 word loop: every length
 * 0..300 and random lengths up to 64 KiB, at every start offset 0..7 (the long
 * path loads 8 bytes at a time, unaligned), from random starting sums, over
 * random bytes and the all-ones and all-zeros worst cases (end-around carries,
 * a sum of 0xffff); chaining two calls at an even split gives the one-call sum;
 * and a known checksum (RFC 1071 §3's example bytes). */
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "tap.h"

static uint8_t buf[65536 + 16];

static uint32_t ref(uint32_t sum, const uint8_t *p, size_t len) {
  while (len > 1) {
    sum += (uint32_t)((p[0] << 8) | p[1]);
    p += 2;
    len -= 2;
  }
  if (len) sum += (uint32_t)(p[0] << 8);
  return sum;
}

static int same(uint32_t s0, size_t off, size_t len) {
  return hv_csum_fold(hv_csum_add(s0, buf + off, len)) == hv_csum_fold(ref(s0, buf + off, len));
}

int main(void) {
  srand(7);
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)rand();
  int bad = 0;
  for (size_t len = 0; len <= 300; len++)
    for (size_t off = 0; off < 8; off++) bad += !same((uint32_t)rand() & 0xfffff, off, len);
  CHECK_EQ(bad, 0);
  bad = 0;
  for (int t = 0; t < HV_TEST_STEPS(20000); t++) bad += !same((uint32_t)rand() & 0xfffff, (size_t)(rand() % 8), (size_t)(rand() % 65537));
  CHECK_EQ(bad, 0);
  /* chained at an even split, as callers add a header and then a payload */
  bad = 0;
  for (int t = 0; t < HV_TEST_STEPS(2000); t++) {
    size_t len = (size_t)(rand() % 65537), cut = (size_t)(rand() % ((int)len + 1)) & ~(size_t)1;
    bad += hv_csum_fold(hv_csum_add(hv_csum_add(0, buf, cut), buf + cut, len - cut)) != hv_csum_fold(ref(0, buf, len));
  }
  CHECK_EQ(bad, 0);
  for (int fill = 0; fill < 2; fill++) {
    memset(buf, fill ? 0xff : 0, sizeof buf);
    bad = 0;
    for (size_t len = 0; len <= 65536; len += len < 300 ? 1 : 997)
      for (size_t off = 0; off < 8; off += 3) bad += !same(fill ? 0xffff : 0, off, len);
    CHECK_EQ(bad, 0);
  }
  /* RFC 1071 §3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2; repeated 16 times (128 bytes: the long path)
   * it sums to 16 * 0x2ddf0 folded */
  static const uint8_t ex[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  CHECK_EQ(hv_csum_fold(hv_csum_add(0, ex, 8)), (uint16_t)~0xddf2);
  for (int i = 0; i < 16; i++) memcpy(buf + 8 * i, ex, 8);
  uint32_t s = 16 * 0x2ddf0u;
  CHECK_EQ(hv_csum_fold(hv_csum_add(0, buf, 128)), hv_csum_fold(s));
  return tap_done();
}
