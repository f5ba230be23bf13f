/* Internet checksum helpers (RFC 1071) and incremental update (RFC 1624). */
#ifndef HV_CSUM_H
#define HV_CSUM_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t hv_csum_add(uint32_t sum, const uint8_t *p, size_t len) {
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
