/* The routing stage: ARP/ND answers, anti-spoofing on VM ports, FIB lookup,
 * next-hop resolution, TTL/hop limit, ICMP errors.  See l3.h. */
#include <string.h>

#include "core_int.h"
#include "csum.h"
#include "fib4.h"
#include "fib6.h"
#include "parse.h"

#define ET_IP4 0x0800
#define ET_ARP 0x0806
#define ET_IP6 0x86dd
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMP6 58
#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP6_UNREACH 1
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_ECHO 128
#define ICMP6_ECHO_REPLY 129
#define ND_NS 135
#define ND_NA 136
#define ICMP_RATE 100 /* errors per second per worker */

static const uint8_t GW4[4] = {169, 254, 0, 1};
static const uint8_t GW6[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

#define CTR(w, port, name) hv_ctr_add(&(w)->ctr[port].v[HV_CTR_##name], 1)

/* ---- addresses of a port ---------------------------------------------- */

static int own4(const struct hv_port_cfg *pc, const uint8_t *ip) {
  if (pc->mode == HV_MODE_VM) return memcmp(ip, GW4, 4) == 0;
  uint32_t a = hv_rd32(ip);
  for (int i = 0; i < pc->l3.n4; i++)
    if (pc->l3.addr4[i] == a) return 1;
  return 0;
}

static int own6(const struct hv_port_cfg *pc, const uint8_t *ip) {
  if (pc->mode == HV_MODE_VM) return memcmp(ip, GW6, 16) == 0;
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

/* Our source address on `pc` toward `dst` (the covering subnet's, else the first). */
static void src4_for(const struct hv_port_cfg *pc, const uint8_t *dst, uint8_t *out) {
  if (pc->mode == HV_MODE_VM || pc->l3.n4 == 0) {
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

static void src6_for(const struct hv_port_cfg *pc, const uint8_t *dst, uint8_t *out) {
  if (pc->mode == HV_MODE_VM || pc->l3.n6 == 0) {
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

/* ---- frames the worker builds ------------------------------------------ */

static struct hv_pkt *gen_alloc(struct hv_worker *w, uint8_t **buf) {
  if (w->ngen >= 2 * HV_BATCH) return NULL;
  struct hv_pkt *p = &w->gen_pkts[w->ngen];
  *buf = w->gen[w->ngen];
  w->ngen++;
  memset(p, 0, sizeof *p);
  p->data = *buf;
  return p;
}

static void eth_hdr(uint8_t *b, const uint8_t *dst, const uint8_t *src, uint16_t et) {
  memcpy(b, dst, 6);
  memcpy(b + 6, src, 6);
  hv_wr16(b + 12, et);
}

static void ip4_hdr(uint8_t *ip, uint16_t total, uint8_t proto, const uint8_t *src, const uint8_t *dst) {
  memset(ip, 0, 20);
  ip[0] = 0x45;
  hv_wr16(ip + 2, total);
  ip[8] = 64;
  ip[9] = proto;
  memcpy(ip + 12, src, 4);
  memcpy(ip + 16, dst, 4);
  hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, 20)));
}

static void ip6_hdr(uint8_t *ip, uint16_t payload, uint8_t hops, const uint8_t *src, const uint8_t *dst) {
  memset(ip, 0, 40);
  ip[0] = 0x60;
  hv_wr16(ip + 4, payload);
  ip[6] = PROTO_ICMP6;
  ip[7] = hops;
  memcpy(ip + 8, src, 16);
  memcpy(ip + 24, dst, 16);
}

/* ICMPv6 checksum over the pseudo-header (RFC 8200 §8.1) and the message. */
static void icmp6_csum(uint8_t *ip) {
  uint16_t plen = hv_rd16(ip + 4);
  uint8_t *icmp = ip + 40;
  icmp[2] = icmp[3] = 0;
  uint32_t s = hv_csum_add(0, ip + 8, 32);
  s += plen;
  s += PROTO_ICMP6;
  s = hv_csum_add(s, icmp, plen);
  hv_wr16(icmp + 2, hv_csum_fold(s));
}

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

/* RFC 792 / RFC 1812 §4.3.2.3: the error quotes the IP header and 8 bytes. */
static void icmp4_error(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in,
                        const struct hv_pkt *p, uint8_t type, uint8_t code, uint32_t now) {
  const uint8_t *ip = p->data + p->l3_off;
  if (ip[9] == PROTO_ICMP && (ip[6] & 0x1f) == 0 && (ip[7] == 0)) { /* never about an ICMP error */
    uint8_t t = ip[(ip[0] & 15) * 4];
    if (t != ICMP_ECHO && t != ICMP_ECHO_REPLY) return;
  }
  if (!icmp_allowed(w, now, in)) return;
  uint8_t *b;
  struct hv_pkt *g = gen_alloc(w, &b);
  if (!g) return;
  uint32_t ihl = (uint32_t)(ip[0] & 15) * 4, avail = p->len - p->l3_off;
  uint32_t quote = ihl + 8 < avail ? ihl + 8 : avail;
  uint8_t src[4];
  src4_for(pc, ip + 12, src);
  eth_hdr(b, p->data + 6, pc->l3.mac, ET_IP4);
  uint8_t *icmp = b + 34;
  memset(icmp, 0, 8);
  icmp[0] = type;
  icmp[1] = code;
  memcpy(icmp + 8, ip, quote);
  hv_wr16(icmp + 2, hv_csum_fold(hv_csum_add(0, icmp, 8 + quote)));
  ip4_hdr(b + 14, (uint16_t)(20 + 8 + quote), PROTO_ICMP, src, ip + 12);
  g->len = 14 + 20 + 8 + quote;
  hv_txq_put(w, in, g, 0);
  CTR(w, in, icmp_sent);
}

/* RFC 4443 §2.4: quote as much of the packet as fits (here up to 104 bytes). */
static void icmp6_error(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in,
                        const struct hv_pkt *p, uint8_t type, uint8_t code, uint32_t now) {
  const uint8_t *ip = p->data + p->l3_off;
  if (ip[6] == PROTO_ICMP6 && p->len >= p->l3_off + 41u && ip[40] < 128) return; /* about an error */
  if (ip[8] == 0xff || !icmp_allowed(w, now, in)) return;
  uint8_t *b;
  struct hv_pkt *g = gen_alloc(w, &b);
  if (!g) return;
  uint32_t avail = p->len - p->l3_off;
  uint32_t quote = avail < HV_GEN_BYTES - 14 - 40 - 8 ? avail : HV_GEN_BYTES - 14 - 40 - 8;
  uint8_t src[16];
  src6_for(pc, ip + 8, src);
  eth_hdr(b, p->data + 6, pc->l3.mac, ET_IP6);
  ip6_hdr(b + 14, (uint16_t)(8 + quote), 64, src, ip + 8);
  uint8_t *icmp = b + 54;
  memset(icmp, 0, 8);
  icmp[0] = type;
  icmp[1] = code;
  memcpy(icmp + 8, ip, quote);
  icmp6_csum(b + 14);
  g->len = 14 + 40 + 8 + quote;
  hv_txq_put(w, in, g, 0);
  CTR(w, in, icmp_sent);
}

static void arp_request(struct hv_worker *w, const struct hv_port_cfg *out, uint16_t port, const uint8_t *ip) {
  uint8_t *b;
  struct hv_pkt *g = gen_alloc(w, &b);
  if (!g) return;
  static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  eth_hdr(b, bcast, out->l3.mac, ET_ARP);
  uint8_t *a = b + 14;
  hv_wr16(a, 1);
  hv_wr16(a + 2, ET_IP4);
  a[4] = 6;
  a[5] = 4;
  hv_wr16(a + 6, 1);
  memcpy(a + 8, out->l3.mac, 6);
  src4_for(out, ip, a + 14);
  memset(a + 18, 0, 6);
  memcpy(a + 24, ip, 4);
  g->len = 14 + 28;
  hv_txq_put(w, port, g, 0);
}

/* RFC 4861 §7.2.2: to the solicited-node multicast address of the target. */
static void nd_solicit(struct hv_worker *w, const struct hv_port_cfg *out, uint16_t port, const uint8_t *ip) {
  uint8_t *b;
  struct hv_pkt *g = gen_alloc(w, &b);
  if (!g) return;
  uint8_t dst[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, ip[13], ip[14], ip[15]};
  uint8_t dmac[6] = {0x33, 0x33, 0xff, ip[13], ip[14], ip[15]};
  uint8_t src[16];
  src6_for(out, ip, src);
  eth_hdr(b, dmac, out->l3.mac, ET_IP6);
  ip6_hdr(b + 14, 32, 255, src, dst);
  uint8_t *m = b + 54;
  memset(m, 0, 32);
  m[0] = ND_NS;
  memcpy(m + 8, ip, 16);
  m[24] = 1; /* source link-layer address option */
  m[25] = 1;
  memcpy(m + 26, out->l3.mac, 6);
  icmp6_csum(b + 14);
  g->len = 14 + 40 + 32;
  hv_txq_put(w, port, g, 0);
}

static void solicit(struct hv_worker *w, const struct hv_view *v, uint16_t port, uint8_t af, const uint8_t *ip) {
  const struct hv_port_cfg *out = &v->ports[port];
  if (af == 4) arp_request(w, out, port, ip);
  else nd_solicit(w, out, port, ip);
}

/* ---- ARP and ND on input ------------------------------------------------ */

static void arp_input(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p, uint32_t now) {
  uint8_t *a = p->data + p->l3_off;
  if (p->len < p->l3_off + 28u || hv_rd16(a) != 1 || hv_rd16(a + 2) != ET_IP4 || a[4] != 6 || a[5] != 4) {
    CTR(w, in, drop_bad_ip_header);
    return;
  }
  uint16_t op = hv_rd16(a + 6);
  const uint8_t *sha = a + 8, *spa = a + 14, *tpa = a + 24;
  int sender_known = hv_rd32(spa) != 0;
  if (pc->mode == HV_MODE_VM) {
    int ok = !sender_known; /* an ARP probe (RFC 5227) has sender 0.0.0.0 */
    for (int i = 0; i < pc->l3.nvm4; i++) ok |= hv_rd32(spa) == pc->l3.vm4[i];
    if (!ok || memcmp(sha, pc->l3.vm_mac, 6) != 0) {
      CTR(w, in, drop_spoofed);
      return;
    }
  } else if (sender_known && !hv_mac_is_multicast(sha)) {
    /* RFC 826 merge: refresh an entry we have; create one if the request is for us. */
    int for_us = op == 1 && own4(pc, tpa);
    hv_neigh_update(w->core->neigh, in, 4, spa, sha, HV_NEIGH_REACHABLE, now, for_us || op == 2);
  }
  if (op != 1 || !own4(pc, tpa)) return; /* consumed */
  uint8_t target[4];
  memcpy(target, tpa, 4);
  eth_hdr(p->data, sha, pc->l3.mac, ET_ARP);
  hv_wr16(a + 6, 2);
  memcpy(a + 18, sha, 6);
  memcpy(a + 24, spa, 4);
  memcpy(a + 8, pc->l3.mac, 6);
  memcpy(a + 14, target, 4);
  p->has_vnet = 0;
  hv_txq_put(w, in, p, 0);
  CTR(w, in, nd_answered);
}

/* Neighbor discovery and echo for our addresses; returns 1 if consumed. */
static int icmp6_local(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p, uint32_t now) {
  uint8_t *ip = p->data + p->l3_off;
  uint32_t plen = hv_rd16(ip + 4);
  if (ip[6] != PROTO_ICMP6 || plen < 8 || p->len < p->l3_off + 40u + plen) return 0;
  uint8_t *m = ip + 40;
  if (m[0] == ND_NS && ip[7] == 255 && plen >= 24) {
    const uint8_t *target = m + 8;
    const uint8_t *smac = p->data + 6;
    static const uint8_t unspec[16];
    int dad = memcmp(ip + 8, unspec, 16) == 0;
    if (pc->mode != HV_MODE_VM && !dad)
      hv_neigh_update(w->core->neigh, in, 6, ip + 8, smac, HV_NEIGH_STALE, now, own6(pc, target));
    if (!own6(pc, target) || dad) return 1;
    /* RFC 4861 §7.2.4: solicited NA, router and override flags, target LL option. */
    uint8_t tgt[16], dst[16];
    memcpy(tgt, target, 16);
    memcpy(dst, ip + 8, 16);
    eth_hdr(p->data, smac, pc->l3.mac, ET_IP6);
    ip6_hdr(ip, 32, 255, tgt, dst);
    memset(m, 0, 32);
    m[0] = ND_NA;
    m[4] = 0xe0;
    memcpy(m + 8, tgt, 16);
    m[24] = 2;
    m[25] = 1;
    memcpy(m + 26, pc->l3.mac, 6);
    icmp6_csum(ip);
    p->len = p->l3_off + 40 + 32;
    p->has_vnet = 0;
    hv_txq_put(w, in, p, 0);
    CTR(w, in, nd_answered);
    return 1;
  }
  if (m[0] == ND_NA && ip[7] == 255 && plen >= 24) {
    const uint8_t *tmac = p->data + 6;
    for (uint32_t o = 24; o + 8 <= plen && m[o + 1]; o += (uint32_t)m[o + 1] * 8)
      if (m[o] == 2) tmac = m + o + 2;
    if (pc->mode != HV_MODE_VM) hv_neigh_update(w->core->neigh, in, 6, m + 8, tmac, HV_NEIGH_REACHABLE, now, 0);
    return 1;
  }
  if (m[0] == ICMP6_ECHO && own6(pc, ip + 24)) {
    uint8_t tmp[16];
    memcpy(tmp, ip + 8, 16);
    memcpy(ip + 8, ip + 24, 16);
    memcpy(ip + 24, tmp, 16);
    ip[7] = 64;
    m[0] = ICMP6_ECHO_REPLY;
    hv_wr16(m + 2, hv_csum_update16(hv_rd16(m + 2), ICMP6_ECHO << 8, ICMP6_ECHO_REPLY << 8));
    uint8_t mac[6];
    memcpy(mac, p->data + 6, 6);
    eth_hdr(p->data, mac, pc->l3.mac, ET_IP6);
    hv_txq_put(w, in, p, 0);
    CTR(w, in, icmp_sent);
    return 1;
  }
  return ip[24] == 0xff || own6(pc, ip + 24) || (ip[24] == 0xfe && (ip[25] & 0xc0) == 0x80);
}

/* ---- forwarding ------------------------------------------------------------ */

static uint32_t flow_hash(const uint8_t *ip, uint8_t af, uint32_t avail) {
  uint32_t h = 0x9e3779b9u;
  const uint8_t *l4;
  uint8_t proto;
  if (af == 4) {
    for (int i = 12; i < 20; i++) h = (h ^ ip[i]) * 16777619u;
    proto = ip[9];
    l4 = ip + (ip[0] & 15) * 4;
    if ((hv_rd16(ip + 6) & 0x1fff) != 0) proto = 0; /* later fragments: no ports */
  } else {
    for (int i = 8; i < 40; i++) h = (h ^ ip[i]) * 16777619u;
    proto = ip[6];
    l4 = ip + 40;
  }
  h = (h ^ proto) * 16777619u;
  if ((proto == PROTO_TCP || proto == PROTO_UDP) && (uint32_t)(l4 - ip) + 4 <= avail)
    for (int i = 0; i < 4; i++) h = (h ^ l4[i]) * 16777619u;
  return h ^ (h >> 16);
}

static uint32_t fib_lookup(const struct hv_vrf *vrf, uint8_t af, const uint8_t *dst) {
  if (af == 4) return vrf->fib4 ? hv_fib4_lookup(vrf->fib4, hv_rd32(dst)) : HV_FIB_MISS;
  return vrf->fib6 ? hv_fib6_lookup(vrf->fib6, dst) : HV_FIB_MISS;
}

static void pending_add(struct hv_worker *w, const struct hv_pkt *p, uint16_t port, uint8_t af,
                        const uint8_t *ip, uint16_t in, uint32_t now) {
  if (p->len > HV_PENDING_BYTES || (p->has_vnet && p->vnet.gso_type)) {
    CTR(w, in, drop_neighbor);
    return;
  }
  for (uint32_t i = 0; i < HV_PENDING; i++) {
    struct hv_pending *q = &w->pending[i];
    if (q->used) continue;
    q->used = 1;
    q->af = af;
    q->port = port;
    memcpy(q->ip, ip, af == 4 ? 4 : 16);
    q->since = now;
    q->pkt = *p;
    memcpy(q->data, p->data, p->len);
    q->pkt.data = q->data;
    w->npending++;
    return;
  }
  CTR(w, in, drop_neighbor);
}

/* Routes one IPv4 or IPv6 packet; returns nothing, counts everything. */
static void route(struct hv_worker *w, const struct hv_view *v, const struct hv_port_cfg *pc, uint16_t in,
                  struct hv_pkt *p, uint8_t af, uint32_t now, uint32_t id) {
  uint8_t *ip = p->data + p->l3_off;
  uint32_t avail = p->len - p->l3_off;
  const uint8_t *dst = af == 4 ? ip + 16 : ip + 24;
  const struct hv_vrf *vrf = pc->l3.vrf < HV_MAX_VRFS ? v->vrfs[pc->l3.vrf] : NULL;
  if (af == 6) id = vrf ? fib_lookup(vrf, af, dst) : HV_FIB_MISS;
  const struct hv_nh *nh = id < HV_MAX_NH ? &w->core->nh[id] : NULL;
  if (nh && nh->kind == HV_NH_ECMP && nh->nmembers) {
    uint32_t m = nh->members[flow_hash(ip, af, avail) % nh->nmembers];
    nh = m < HV_MAX_NH ? &w->core->nh[m] : NULL;
  }
  if (!nh || nh->kind == HV_NH_NONE || nh->kind == HV_NH_ECMP) {
    CTR(w, in, drop_no_route);
    if (af == 4) icmp4_error(w, pc, in, p, ICMP_UNREACH, 0, now);
    else icmp6_error(w, pc, in, p, ICMP6_UNREACH, 0, now);
    return;
  }
  if (nh->kind == HV_NH_LOCAL) {
    if (af == 4 && ip[9] == PROTO_ICMP && avail >= (uint32_t)(ip[0] & 15) * 4 + 8 && ip[(ip[0] & 15) * 4] == ICMP_ECHO) {
      uint8_t *icmp = ip + (ip[0] & 15) * 4, tmp[4], mac[6];
      memcpy(tmp, ip + 12, 4);
      memcpy(ip + 12, ip + 16, 4);
      memcpy(ip + 16, tmp, 4);
      ip[8] = 64;
      ip[10] = ip[11] = 0;
      hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, (size_t)(ip[0] & 15) * 4)));
      icmp[0] = ICMP_ECHO_REPLY;
      hv_wr16(icmp + 2, hv_csum_update16(hv_rd16(icmp + 2), ICMP_ECHO << 8, ICMP_ECHO_REPLY << 8));
      memcpy(mac, p->data + 6, 6);
      eth_hdr(p->data, mac, pc->l3.mac, ET_IP4);
      hv_txq_put(w, in, p, 0);
      CTR(w, in, icmp_sent);
    } else {
      CTR(w, in, drop_local);
    }
    return;
  }
  if (nh->kind == HV_NH_DROP || nh->kind == HV_NH_REJECT) {
    CTR(w, in, drop_blackhole);
    if (nh->kind == HV_NH_REJECT) {
      if (af == 4) icmp4_error(w, pc, in, p, ICMP_UNREACH, 13, now); /* administratively prohibited */
      else icmp6_error(w, pc, in, p, ICMP6_UNREACH, 1, now);
    }
    return;
  }
  /* RFC 1812 §5.3.1 / RFC 8200 §3: a packet that would leave with TTL 0 is an error. */
  uint8_t *ttl = af == 4 ? ip + 8 : ip + 7;
  if (*ttl <= 1) {
    CTR(w, in, drop_ttl_expired);
    if (af == 4) icmp4_error(w, pc, in, p, ICMP_TIME_EXCEEDED, 0, now);
    else icmp6_error(w, pc, in, p, ICMP6_TIME_EXCEEDED, 0, now);
    return;
  }
  uint16_t out = nh->port;
  const struct hv_port_cfg *po = out < v->nports ? &v->ports[out] : NULL;
  if (!po || !po->port || po->mode < HV_MODE_ROUTED) {
    CTR(w, in, drop_no_route);
    return;
  }
  int gso = p->has_vnet && p->vnet.gso_type;
  uint32_t l3len = af == 4 ? hv_rd16(ip + 2) : 40u + hv_rd16(ip + 4);
  if (!gso && l3len > po->port->mtu) {
    CTR(w, in, drop_too_long);
    return;
  }
  /* TTL/hop limit, and the IPv4 header checksum incrementally (RFC 1624). */
  if (af == 4) {
    uint16_t old = hv_rd16(ip + 8);
    (*ttl)--;
    hv_wr16(ip + 10, hv_csum_update16(hv_rd16(ip + 10), old, hv_rd16(ip + 8)));
  } else {
    (*ttl)--;
  }
  const uint8_t *dmac;
  struct hv_neigh_entry ne;
  if (nh->kind == HV_NH_MAC) {
    dmac = nh->mac;
  } else {
    const uint8_t *hop = nh->kind == HV_NH_GATEWAY ? nh->gw : dst;
    uint8_t hop_af = nh->kind == HV_NH_GATEWAY ? nh->af : af;
    if (!hv_neigh_lookup(w->core->neigh, out, hop_af, hop, &ne) || !hv_neigh_usable(&ne)) {
      int failed = ne.state == HV_NEIGH_FAILED && ne.port == out;
      if (hv_neigh_solicit(w->core->neigh, out, hop_af, hop, now)) solicit(w, v, out, hop_af, hop);
      if (failed && ne.state == HV_NEIGH_FAILED) {
        CTR(w, in, drop_neighbor);
        if (af == 4) icmp4_error(w, pc, in, p, ICMP_UNREACH, 1, now);
        else icmp6_error(w, pc, in, p, ICMP6_UNREACH, 3, now);
        return;
      }
      memcpy(p->data + 6, po->l3.mac, 6);
      pending_add(w, p, out, hop_af, hop, in, now);
      return;
    }
    if (ne.state != HV_NEIGH_PERMANENT && now - ne.updated >= HV_NEIGH_REACHABLE_S &&
        hv_neigh_solicit(w->core->neigh, out, hop_af, hop, now))
      solicit(w, v, out, hop_af, hop);
    dmac = ne.mac;
  }
  memcpy(p->data, dmac, 6);
  memcpy(p->data + 6, po->l3.mac, 6);
  hv_txq_put(w, out, p, 0);
  CTR(w, out, routed);
}

void hv_l3_input(struct hv_worker *w, const struct hv_view *v, const struct hv_port_cfg *pc,
                 struct hv_pkt *pkts, int n, uint16_t in, uint32_t now) {
  /* IPv4 FIB lookups for the whole batch at once (the FIB interleaves them). */
  uint32_t addrs[HV_BATCH], nhs[HV_BATCH];
  int8_t slot[HV_BATCH];
  int nb = 0;
  const struct hv_vrf *vrf = pc->l3.vrf < HV_MAX_VRFS ? v->vrfs[pc->l3.vrf] : NULL;
  for (int i = 0; i < n; i++) {
    slot[i] = -1;
    if (!pkts[i].drop && pkts[i].ethertype == ET_IP4 && pkts[i].len >= pkts[i].l3_off + 20u) {
      addrs[nb] = hv_rd32(pkts[i].data + pkts[i].l3_off + 16);
      slot[i] = (int8_t)nb++;
    }
  }
  if (nb && vrf && vrf->fib4) hv_fib4_lookup_batch(vrf->fib4, addrs, nhs, (size_t)nb);
  else for (int j = 0; j < nb; j++) nhs[j] = HV_FIB_MISS;
  for (int i = 0; i < n; i++) {
    struct hv_pkt *p = &pkts[i];
    if (p->drop) continue;
    if (pc->mode == HV_MODE_VM && memcmp(p->data + 6, pc->l3.vm_mac, 6) != 0) {
      CTR(w, in, drop_spoofed);
      continue;
    }
    uint8_t *ip = p->data + p->l3_off;
    uint32_t avail = p->len - p->l3_off;
    switch (p->ethertype) {
      case ET_ARP: arp_input(w, pc, in, p, now); break;
      case ET_IP4: {
        uint32_t ihl = (uint32_t)(ip[0] & 15) * 4;
        if (avail < 20 || (ip[0] >> 4) != 4 || ihl < 20 || ihl > avail || hv_rd16(ip + 2) < ihl ||
            (hv_rd16(ip + 2) > avail && !(p->has_vnet && p->vnet.gso_type)) ||
            hv_csum_fold(hv_csum_add(0, ip, ihl)) != 0) {
          CTR(w, in, drop_bad_ip_header);
          break;
        }
        if (pc->mode == HV_MODE_VM) {
          int ok = 0;
          for (int k = 0; k < pc->l3.nvm4; k++) ok |= hv_rd32(ip + 12) == pc->l3.vm4[k];
          if (!ok) {
            CTR(w, in, drop_spoofed);
            break;
          }
        }
        if (own4(pc, ip + 16) && ip[9] != PROTO_ICMP) {
          CTR(w, in, drop_local);
          break;
        }
        if (ip[16] >= 224) { /* multicast and broadcast are not routed */
          CTR(w, in, drop_local);
          break;
        }
        route(w, v, pc, in, p, 4, now, slot[i] >= 0 ? nhs[slot[i]] : HV_FIB_MISS);
        break;
      }
      case ET_IP6: {
        if (avail < 40 || (ip[0] >> 4) != 6) {
          CTR(w, in, drop_bad_ip_header);
          break;
        }
        int link_local_src = ip[8] == 0xfe && (ip[9] & 0xc0) == 0x80;
        static const uint8_t unspec[16];
        int unspec_src = memcmp(ip + 8, unspec, 16) == 0;
        if (pc->mode == HV_MODE_VM && !link_local_src && !unspec_src) {
          int ok = 0;
          for (int k = 0; k < pc->l3.nvm6; k++) ok |= memcmp(ip + 8, pc->l3.vm6[k], 16) == 0;
          if (!ok) {
            CTR(w, in, drop_spoofed);
            break;
          }
        }
        if (icmp6_local(w, pc, in, p, now)) break;
        if (link_local_src || unspec_src || ip[24] == 0xff) { /* never routed */
          CTR(w, in, drop_local);
          break;
        }
        route(w, v, pc, in, p, 6, now, HV_FIB_MISS);
        break;
      }
      default: CTR(w, in, drop_not_ip); break;
    }
  }
}

void hv_l3_pending(struct hv_worker *w, const struct hv_view *v, uint32_t now) {
  for (uint32_t i = 0; i < HV_PENDING; i++) {
    struct hv_pending *q = &w->pending[i];
    if (q->used != 1) continue;
    const struct hv_port_cfg *po = q->port < v->nports ? &v->ports[q->port] : NULL;
    struct hv_neigh_entry ne;
    if (!po || !po->port || po->mode < HV_MODE_ROUTED) {
      q->used = 2; /* port gone: free after this round's tx (nothing queued) */
      continue;
    }
    if (hv_neigh_lookup(w->core->neigh, q->port, q->af, q->ip, &ne) && hv_neigh_usable(&ne)) {
      memcpy(q->pkt.data, ne.mac, 6);
      hv_txq_put(w, q->port, &q->pkt, 0);
      CTR(w, q->port, routed);
      q->used = 2;
    } else if (now - q->since > HV_NEIGH_RETRANS_S * HV_NEIGH_PROBES) {
      CTR(w, q->port, drop_neighbor);
      q->used = 2;
    }
  }
}
