/* Helpers of the L3 stages: the addresses a routed or VM port answers for and
 * picks its source address from, and the headers of the frames the worker
 * builds itself (ARP/ND, ICMP) in its own per-batch buffers (l3_int.h). */
#include <string.h>

#include "csum.h"
#include "l3_int.h"

static const uint8_t GW4[4] = {169, 254, 0, 1};
static const uint8_t GW6[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

int hv_l3_own4(const struct hv_port_cfg *pc, const uint8_t *ip) {
  if (hv_port_is_vm(pc)) return memcmp(ip, GW4, 4) == 0;
  uint32_t a = hv_rd32(ip);
  for (int i = 0; i < pc->l3.n4; i++)
    if (pc->l3.addr4[i] == a) return 1;
  return 0;
}

int hv_l3_own6(const struct hv_port_cfg *pc, const uint8_t *ip) {
  if (hv_port_is_vm(pc)) return memcmp(ip, GW6, 16) == 0;
  for (int i = 0; i < pc->l3.n6; i++)
    if (memcmp(pc->l3.addr6[i], ip, 16) == 0) return 1;
  return 0;
}

static int prefix_match(const uint8_t *a, const uint8_t *b, int plen) {
  int bytes = plen / 8, bits = plen % 8;
  if (memcmp(a, b, (size_t)bytes)) return 0;
  if (!bits) return 1;
  uint8_t m = (uint8_t)(0xff << (8 - bits));
  return (a[bytes] & m) == (b[bytes] & m);
}

void hv_l3_src4(const struct hv_port_cfg *pc, const uint8_t *dst, uint8_t *out) {
  if (hv_port_is_vm(pc) || pc->l3.n4 == 0) {
    memcpy(out, GW4, 4);
    return;
  }
  int pick = 0;
  uint32_t d = hv_rd32(dst);
  for (int i = 0; i < pc->l3.n4; i++) {
    uint32_t m = pc->l3.plen4[i] ? ~0u << (32 - pc->l3.plen4[i]) : 0;
    if ((d & m) == (pc->l3.addr4[i] & m)) {
      pick = i;
      break;
    }
  }
  hv_wr32(out, pc->l3.addr4[pick]);
}

void hv_l3_src6(const struct hv_port_cfg *pc, const uint8_t *dst, uint8_t *out) {
  if (hv_port_is_vm(pc) || pc->l3.n6 == 0) {
    memcpy(out, GW6, 16);
    return;
  }
  int pick = 0;
  for (int i = 0; i < pc->l3.n6; i++)
    if (prefix_match(dst, pc->l3.addr6[i], pc->l3.plen6[i])) {
      pick = i;
      break;
    }
  memcpy(out, pc->l3.addr6[pick], 16);
}

struct hv_pkt *hv_gen_alloc(struct hv_worker *w, uint8_t **buf) {
  if (w->ngen >= 2 * HV_BATCH) return NULL;
  struct hv_pkt *p = &w->gen_pkts[w->ngen];
  *buf = w->gen[w->ngen];
  w->ngen++;
  memset(p, 0, sizeof *p);
  p->data = *buf;
  return p;
}

void hv_eth_hdr(uint8_t *b, const uint8_t *dst, const uint8_t *src, uint16_t et) {
  memcpy(b, dst, 6);
  memcpy(b + 6, src, 6);
  hv_wr16(b + 12, et);
}

void hv_ip4_hdr(uint8_t *ip, uint16_t total, uint8_t proto, const uint8_t *src, const uint8_t *dst) {
  memset(ip, 0, 20);
  ip[0] = 0x45;
  hv_wr16(ip + 2, total);
  ip[8] = 64;
  ip[9] = proto;
  memcpy(ip + 12, src, 4);
  memcpy(ip + 16, dst, 4);
  hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, 20)));
}

void hv_ip6_hdr(uint8_t *ip, uint16_t payload, uint8_t hops, const uint8_t *src, const uint8_t *dst) {
  memset(ip, 0, 40);
  ip[0] = 0x60;
  hv_wr16(ip + 4, payload);
  ip[6] = PROTO_ICMP6;
  ip[7] = hops;
  memcpy(ip + 8, src, 16);
  memcpy(ip + 24, dst, 16);
}

void hv_icmp6_csum(uint8_t *ip) {
  uint16_t plen = hv_rd16(ip + 4);
  uint8_t *icmp = ip + 40;
  icmp[2] = icmp[3] = 0;
  uint32_t s = hv_csum_add(0, ip + 8, 32);
  s += plen;
  s += PROTO_ICMP6;
  s = hv_csum_add(s, icmp, plen);
  hv_wr16(icmp + 2, hv_csum_fold(s));
}
