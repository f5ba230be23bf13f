/* Frame builders shared by the core's tests. */
#ifndef HV_TEST_FRAMES_H
#define HV_TEST_FRAMES_H

#include <stdint.h>
#include <string.h>

/* Ethernet (+ optional 802.1Q tag) + `payload` bytes of a counting pattern. */
static inline uint32_t mk_frame(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], int vid,
                                uint16_t ethertype, uint32_t payload) {
  uint32_t o = 0;
  memcpy(f, dst, 6);
  memcpy(f + 6, src, 6);
  o = 12;
  if (vid >= 0) {
    f[o++] = 0x81;
    f[o++] = 0x00;
    f[o++] = (uint8_t)(vid >> 8);
    f[o++] = (uint8_t)vid;
  }
  f[o++] = (uint8_t)(ethertype >> 8);
  f[o++] = (uint8_t)ethertype;
  for (uint32_t i = 0; i < payload; i++) f[o++] = (uint8_t)i;
  return o;
}

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0xa};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0xb};
static const uint8_t MAC_C[6] = {0x02, 0, 0, 0, 0, 0xc};
static const uint8_t MAC_BCAST[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

#endif
