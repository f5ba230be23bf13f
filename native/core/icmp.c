/* ICMP and ICMPv6 from the switch: errors about packets it could not route
 * (RFC 792 destination unreachable and time exceeded, quoting the IP header and
 * 8 bytes, RFC 1812 §4.3.2.3; RFC 4443 §3.1/§3.3, quoting up to what fits in a
 * worker buffer) and echo replies for its own addresses, answered in place.
 * Errors are rate limited per worker (ICMP_RATE a second, counted when
 * suppressed) and never sent about an ICMP error or to a multicast source. */
#include <string.h>

#include "csum.h"
#include "l3_int.h"

#define ICMP_RATE 100 /* errors per second per worker */

static int icmp_allowed(struct hv_worker *w, uint32_t now, uint16_t in) {
  if (w->icmp_refill != now) {
    w->icmp_refill = now;
    w->icmp_tokens = ICMP_RATE;
  }
  if (!w->icmp_tokens) {
    CTR(w, in, icmp_rate_limited);
    return 0;
  }
  w->icmp_tokens--;
  return 1;
}

void hv_icmp4_error(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, const struct hv_pkt *p,
                    uint8_t type, uint8_t code, uint32_t now) {
  const uint8_t *ip = p->data + p->l3_off;
  if (ip[9] == PROTO_ICMP && (ip[6] & 0x1f) == 0 && (ip[7] == 0)) { /* never about an ICMP error */
    uint8_t t = ip[(ip[0] & 15) * 4];
    if (t != ICMP_ECHO && t != ICMP_ECHO_REPLY) return;
  }
  if (!icmp_allowed(w, now, in)) return;
  uint8_t *b;
  struct hv_pkt *g = hv_gen_alloc(w, &b);
  if (!g) return;
  uint32_t ihl = (uint32_t)(ip[0] & 15) * 4, avail = p->len - p->l3_off;
  uint32_t quote = ihl + 8 < avail ? ihl + 8 : avail;
  uint8_t src[4];
  hv_l3_src4(pc, ip + 12, src);
  hv_eth_hdr(b, p->data + 6, pc->l3.mac, ET_IP4);
  uint8_t *icmp = b + 34;
  memset(icmp, 0, 8);
  icmp[0] = type;
  icmp[1] = code;
  memcpy(icmp + 8, ip, quote);
  hv_wr16(icmp + 2, hv_csum_fold(hv_csum_add(0, icmp, 8 + quote)));
  hv_ip4_hdr(b + 14, (uint16_t)(20 + 8 + quote), PROTO_ICMP, src, ip + 12);
  g->len = 14 + 20 + 8 + quote;
  hv_txq_put(w, in, g, 0);
  CTR(w, in, icmp_sent);
}

void hv_icmp6_error(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, const struct hv_pkt *p,
                    uint8_t type, uint8_t code, uint32_t now) {
  const uint8_t *ip = p->data + p->l3_off;
  if (ip[6] == PROTO_ICMP6 && p->len >= p->l3_off + 41u && ip[40] < 128) return; /* about an error */
  if (ip[8] == 0xff || !icmp_allowed(w, now, in)) return;
  uint8_t *b;
  struct hv_pkt *g = hv_gen_alloc(w, &b);
  if (!g) return;
  uint32_t avail = p->len - p->l3_off;
  uint32_t quote = avail < HV_GEN_BYTES - 14 - 40 - 8 ? avail : HV_GEN_BYTES - 14 - 40 - 8;
  uint8_t src[16];
  hv_l3_src6(pc, ip + 8, src);
  hv_eth_hdr(b, p->data + 6, pc->l3.mac, ET_IP6);
  hv_ip6_hdr(b + 14, (uint16_t)(8 + quote), 64, src, ip + 8);
  uint8_t *icmp = b + 54;
  memset(icmp, 0, 8);
  icmp[0] = type;
  icmp[1] = code;
  memcpy(icmp + 8, ip, quote);
  hv_icmp6_csum(b + 14);
  g->len = 14 + 40 + 8 + quote;
  hv_txq_put(w, in, g, 0);
  CTR(w, in, icmp_sent);
}

void hv_icmp_error(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, const struct hv_pkt *p,
                   uint8_t af, uint8_t type4, uint8_t code4, uint8_t type6, uint8_t code6, uint32_t now) {
  if (!hv_port_is_l3(pc)) return; /* out of an MPLS tunnel (mpls.h): no port to answer on */
  if (af == 4) hv_icmp4_error(w, pc, in, p, type4, code4, now);
  else hv_icmp6_error(w, pc, in, p, type6, code6, now);
}

void hv_icmp4_local(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p) {
  uint8_t *ip = p->data + p->l3_off;
  uint32_t avail = p->len - p->l3_off, ihl = (uint32_t)(ip[0] & 15) * 4;
  if (!hv_port_is_l3(pc) || ip[9] != PROTO_ICMP || avail < ihl + 8 || ip[ihl] != ICMP_ECHO) {
    CTR(w, in, drop_local);
    return;
  }
  uint8_t *icmp = ip + ihl, tmp[4], mac[6];
  memcpy(tmp, ip + 12, 4);
  memcpy(ip + 12, ip + 16, 4);
  memcpy(ip + 16, tmp, 4);
  ip[8] = 64;
  ip[10] = ip[11] = 0;
  hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, ihl)));
  icmp[0] = ICMP_ECHO_REPLY;
  hv_wr16(icmp + 2, hv_csum_update16(hv_rd16(icmp + 2), ICMP_ECHO << 8, ICMP_ECHO_REPLY << 8));
  memcpy(mac, p->data + 6, 6);
  hv_eth_hdr(p->data, mac, pc->l3.mac, ET_IP4);
  hv_txq_put(w, in, p, 0);
  CTR(w, in, icmp_sent);
}

void hv_icmp6_echo(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p) {
  uint8_t *ip = p->data + p->l3_off, *m = ip + 40;
  uint8_t tmp[16];
  memcpy(tmp, ip + 8, 16);
  memcpy(ip + 8, ip + 24, 16);
  memcpy(ip + 24, tmp, 16);
  ip[7] = 64;
  m[0] = ICMP6_ECHO_REPLY;
  hv_wr16(m + 2, hv_csum_update16(hv_rd16(m + 2), ICMP6_ECHO << 8, ICMP6_ECHO_REPLY << 8));
  uint8_t mac[6];
  memcpy(mac, p->data + 6, 6);
  hv_eth_hdr(p->data, mac, pc->l3.mac, ET_IP6);
  hv_txq_put(w, in, p, 0);
  CTR(w, in, icmp_sent);
}
