/* Frame builders shared by the core's tests. */
#ifndef HV_TEST_FRAMES_H
#define HV_TEST_FRAMES_H

#include <stdint.h>
#include <string.h>

#include "csum.h"

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

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* Ethernet + IPv4 (20-byte header, valid checksum) + a 16-byte ICMP echo request. */
static inline uint32_t ip4_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, uint32_t src, uint32_t dst,
                          uint8_t ttl, uint8_t proto) {
  memcpy(f, dmac, 6);
  memcpy(f + 6, smac, 6);
  hv_wr16(f + 12, 0x0800);
  uint8_t *ip = f + 14;
  memset(ip, 0, 20);
  ip[0] = 0x45;
  hv_wr16(ip + 2, 20 + 16);
  ip[8] = ttl;
  ip[9] = proto;
  hv_wr32(ip + 12, src);
  hv_wr32(ip + 16, dst);
  hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, 20)));
  uint8_t *icmp = ip + 20;
  memset(icmp, 0, 16);
  icmp[0] = 8;
  hv_wr16(icmp + 4, 0x1234); /* identifier: real pings never sum to zero */
  hv_wr16(icmp + 2, hv_csum_fold(hv_csum_add(0, icmp, 16)));
  return 14 + 36;
}

/* Ethernet + ARP for IPv4 over Ethernet (RFC 826); `smac` is also the sender hardware address. */
static inline uint32_t arp_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac, uint16_t op, uint32_t spa,
                          const uint8_t *tha, uint32_t tpa) {
  memcpy(f, dmac, 6);
  memcpy(f + 6, smac, 6);
  hv_wr16(f + 12, 0x0806);
  uint8_t *a = f + 14;
  hv_wr16(a, 1);
  hv_wr16(a + 2, 0x0800);
  a[4] = 6;
  a[5] = 4;
  hv_wr16(a + 6, op);
  memcpy(a + 8, smac, 6);
  hv_wr32(a + 14, spa);
  memcpy(a + 18, tha, 6);
  hv_wr32(a + 24, tpa);
  return 42;
}

#endif
