/* Internet checksum helpers (RFC 1071) and incremental update (RFC 1624). */
#ifndef HV_CSUM_H
#define HV_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds the bytes [p, p + len) as big-endian 16-bit words (a last odd byte as
 * its high half) to `sum`.  The result is congruent to the plain word sum
 * modulo 0xffff (one's complement): only hv_csum_fold's value is defined.
 * Long runs (TCP segments) go 64 bits at a time in host order with end-around
 * carry, folded and byte-swapped to network order at the end (RFC 1071 §2(B):
 * the sum does not depend on byte order); ~2x the word loop's rate on 64 KiB. */
static inline uint32_t hv_csum_add(uint32_t sum, const uint8_t *p, size_t len) {
  if (len >= 64) {
    uint64_t s = 0, w0, w1, w2, w3;
    do {
      __builtin_memcpy(&w0, p, 8);
      __builtin_memcpy(&w1, p + 8, 8);
      __builtin_memcpy(&w2, p + 16, 8);
      __builtin_memcpy(&w3, p + 24, 8);
      s += w0;
      s += s < w0;
      s += w1;
      s += s < w1;
      s += w2;
      s += s < w2;
      s += w3;
      s += s < w3;
      p += 32;
      len -= 32;
    } while (len >= 32);
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffffffffu) + (s >> 32);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
    s = (s & 0xffff) + (s >> 16);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    s = ((s & 0xff) << 8) | (s >> 8);
#endif
    sum += (uint32_t)s; /* the rest starts at an even offset: words stay aligned to the start */
  }
  while (len > 1) {
    sum += (uint32_t)((p[0] << 8) | p[1]);
    p += 2;
    len -= 2;
  }
  if (len) sum += (uint32_t)(p[0] << 8);
  return sum;
}

static inline uint16_t hv_csum_fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t)~sum;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for one 16-bit word m -> m'. */
static inline uint16_t hv_csum_update16(uint16_t hc, uint16_t m, uint16_t m2) {
  uint32_t s = (uint16_t)~hc + (uint16_t)~m + (uint32_t)m2;
  while (s >> 16) s = (s & 0xffff) + (s >> 16);
  return (uint16_t)~s;
}

static inline uint16_t hv_rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline void hv_wr16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}
static inline uint32_t hv_rd32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static inline void hv_wr32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

#endif
