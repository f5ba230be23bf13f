/* ARP (RFC 826) and IPv6 neighbor discovery (RFC 4861) on L3 ports: answers
 * requests and solicitations for the port's addresses (on a VM port: the
 * gateway 169.254.0.1 / fe80::1), learns senders into the neighbor table
 * (neigh.h: an entry is created only when the request was for us or it is an
 * answer; otherwise only refreshed, as RFC 826's merge rule says), checks a VM's
 * ARP against its configured MAC and addresses, and sends the requests and
 * solicitations that resolve next hops.  Not supported: ND options other than
 * the link-layer addresses, proxy ARP, gratuitous-ARP-driven updates beyond the
 * merge rule, ND over extension headers.
 * Also EVPN ARP/ND suppression in bridge domains (suppress.h): requests and
 * solicitations from local ports for remote hosts answered from their
 * MAC/IP bindings. */
#include <string.h>

#include "csum.h"
#include "l3_int.h"
#include "parse.h"
#include "suppress.h"

/* An RFC 826 packet for IPv4 over Ethernet at `a` (28 bytes): operation `op`,
 * sender and target hardware and protocol addresses (`a` must not overlap them). */
static void arp_fill(uint8_t *a, uint16_t op, const uint8_t *sha, const uint8_t *spa, const uint8_t *tha,
                     const uint8_t *tpa) {
  hv_wr16(a, 1);
  hv_wr16(a + 2, ET_IP4);
  a[4] = 6;
  a[5] = 4;
  hv_wr16(a + 6, op);
  memcpy(a + 8, sha, 6);
  memcpy(a + 14, spa, 4);
  memcpy(a + 18, tha, 6);
  memcpy(a + 24, tpa, 4);
}

/* RFC 4861 §4.4 at `ip`: the IPv6 header (hop limit 255) from `tgt` to `dst`, a
 * neighbor advertisement for `tgt` with `flags` (R 0x80, S 0x40, O 0x20) and the
 * target link-layer address option `mac`, its checksum; 72 bytes.  `ip` may
 * hold the solicitation being answered: `tgt` and `dst` must not point into it. */
static void na_fill(uint8_t *ip, const uint8_t *tgt, const uint8_t *dst, const uint8_t *mac, uint8_t flags) {
  uint8_t *m = ip + 40;
  hv_ip6_hdr(ip, 32, 255, tgt, dst);
  memset(m, 0, 32);
  m[0] = ND_NA;
  m[4] = flags;
  memcpy(m + 8, tgt, 16);
  m[24] = 2;
  m[25] = 1;
  memcpy(m + 26, mac, 6);
  hv_icmp6_csum(ip);
}

static void arp_request(struct hv_worker *w, const struct hv_port_cfg *out, uint16_t port, const uint8_t *ip) {
  uint8_t *b;
  struct hv_pkt *g = hv_gen_alloc(w, &b);
  if (!g) return;
  static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  static const uint8_t unknown[6];
  uint8_t src[4];
  hv_l3_src4(out, ip, src);
  hv_eth_hdr(b, bcast, out->l3.mac, ET_ARP);
  arp_fill(b + 14, 1, out->l3.mac, src, unknown, ip);
  g->len = 14 + 28;
  hv_txq_put(w, port, g, 0);
}

/* RFC 4861 §7.2.2: to the solicited-node multicast address of the target. */
static void nd_solicit(struct hv_worker *w, const struct hv_port_cfg *out, uint16_t port, const uint8_t *ip) {
  uint8_t *b;
  struct hv_pkt *g = hv_gen_alloc(w, &b);
  if (!g) return;
  uint8_t dst[16] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, ip[13], ip[14], ip[15]};
  uint8_t dmac[6] = {0x33, 0x33, 0xff, ip[13], ip[14], ip[15]};
  uint8_t src[16];
  hv_l3_src6(out, ip, src);
  hv_eth_hdr(b, dmac, out->l3.mac, ET_IP6);
  hv_ip6_hdr(b + 14, 32, 255, src, dst);
  uint8_t *m = b + 54;
  memset(m, 0, 32);
  m[0] = ND_NS;
  memcpy(m + 8, ip, 16);
  m[24] = 1; /* source link-layer address option */
  m[25] = 1;
  memcpy(m + 26, out->l3.mac, 6);
  hv_icmp6_csum(b + 14);
  g->len = 14 + 40 + 32;
  hv_txq_put(w, port, g, 0);
}

void hv_solicit(struct hv_worker *w, const struct hv_view *v, uint16_t port, uint8_t af, const uint8_t *ip) {
  const struct hv_port_cfg *out = &v->ports[port];
  if (af == 4) arp_request(w, out, port, ip);
  else nd_solicit(w, out, port, ip);
}

void hv_arp_input(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p, uint32_t now) {
  uint8_t *a = p->data + p->l3_off;
  if (p->len < p->l3_off + 28u || hv_rd16(a) != 1 || hv_rd16(a + 2) != ET_IP4 || a[4] != 6 || a[5] != 4) {
    CTR(w, in, drop_bad_ip_header);
    return;
  }
  uint16_t op = hv_rd16(a + 6);
  const uint8_t *sha = a + 8, *spa = a + 14, *tpa = a + 24;
  int sender_known = hv_rd32(spa) != 0;
  if (hv_port_is_vm(pc)) {
    int ok = !sender_known; /* an ARP probe (RFC 5227) has sender 0.0.0.0 */
    for (int i = 0; i < pc->l3.nvm4; i++) ok |= hv_rd32(spa) == pc->l3.vm4[i];
    if (!ok || memcmp(sha, pc->l3.vm_mac, 6) != 0) {
      CTR(w, in, drop_spoofed);
      return;
    }
  } else if (sender_known && !hv_mac_is_multicast(sha)) {
    /* RFC 826 merge: refresh an entry we have; create one if the request is for us. */
    int for_us = op == 1 && hv_l3_own4(pc, tpa);
    hv_neigh_update(w->core->neigh, in, 4, spa, sha, HV_NEIGH_REACHABLE, now, for_us || op == 2);
  }
  if (op != 1 || !hv_l3_own4(pc, tpa)) return; /* consumed */
  uint8_t target[4];
  memcpy(target, tpa, 4);
  hv_eth_hdr(p->data, sha, pc->l3.mac, ET_ARP);
  hv_wr16(a + 6, 2);
  memcpy(a + 18, sha, 6);
  memcpy(a + 24, spa, 4);
  memcpy(a + 8, pc->l3.mac, 6);
  memcpy(a + 14, target, 4);
  p->has_vnet = 0;
  hv_txq_put(w, in, p, 0);
  CTR(w, in, nd_answered);
}

/* RFC 4861 §7.2.4: solicited NA, router and override flags, target LL option. */
static void nd_advertise(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p) {
  uint8_t *ip = p->data + p->l3_off, *m = ip + 40;
  uint8_t tgt[16], dst[16], smac[6];
  memcpy(tgt, m + 8, 16);
  memcpy(dst, ip + 8, 16);
  memcpy(smac, p->data + 6, 6);
  hv_eth_hdr(p->data, smac, pc->l3.mac, ET_IP6);
  na_fill(ip, tgt, dst, pc->l3.mac, 0xe0); /* router, solicited, override */
  p->len = p->l3_off + 40 + 32;
  p->has_vnet = 0;
  hv_txq_put(w, in, p, 0);
  CTR(w, in, nd_answered);
}

int hv_nd_input(struct hv_worker *w, const struct hv_port_cfg *pc, uint16_t in, struct hv_pkt *p, uint32_t now) {
  uint8_t *ip = p->data + p->l3_off, *m = ip + 40;
  uint32_t plen = hv_rd16(ip + 4);
  if (ip[7] != 255 || plen < 24 || (m[0] != ND_NS && m[0] != ND_NA)) return 0;
  if (m[0] == ND_NS) {
    static const uint8_t unspec[16];
    int dad = memcmp(ip + 8, unspec, 16) == 0;
    int ours = hv_l3_own6(pc, m + 8);
    if (!hv_port_is_vm(pc) && !dad)
      hv_neigh_update(w->core->neigh, in, 6, ip + 8, p->data + 6, HV_NEIGH_STALE, now, ours);
    if (ours && !dad) nd_advertise(w, pc, in, p);
    return 1;
  }
  const uint8_t *tmac = p->data + 6;
  for (uint32_t o = 24; o + 8 <= plen && m[o + 1]; o += (uint32_t)m[o + 1] * 8)
    if (m[o] == 2) tmac = m + o + 2;
  if (!hv_port_is_vm(pc)) hv_neigh_update(w->core->neigh, in, 6, m + 8, tmac, HV_NEIGH_REACHABLE, now, 0);
  return 1;
}

/* ---- EVPN ARP/ND suppression (suppress.h) ---- */

/* ICMPv6 checksum of the message of IPv6 packet `ip` (payload length `plen`) holds. */
static int icmp6_csum_ok(const uint8_t *ip, uint32_t plen) {
  uint32_t s = hv_csum_add(0, ip + 8, 32);
  s += plen;
  s += PROTO_ICMP6;
  s = hv_csum_add(s, ip + 40, plen);
  return hv_csum_fold(s) == 0;
}

/* A frame the switch sends back to the ingress port in `p`'s VLAN, as the remote host would. */
static struct hv_pkt *reply_alloc(struct hv_batch *b, const struct hv_pkt *p, uint8_t **buf) {
  struct hv_pkt *g = hv_gen_alloc(b->w, buf);
  if (!g) return NULL;
  g->in_port = p->in_port;
  g->vlan = p->vlan;
  g->tagged = p->tagged;
  g->tci = p->tci;
  g->l3_off = 14;
  return g;
}

static void reply_send(struct hv_batch *b, struct hv_pkt *g) {
  hv_l2_put(b->w, &b->v->ports[b->in], b->in, g);
  CTR(b->w, b->in, arp_nd_suppressed);
}

/* RFC 826 request for a remote host's address: the reply, from its MAC. */
static int suppress_arp(struct hv_batch *b, uint16_t bdi, const struct hv_pkt *p) {
  const uint8_t *a = p->data + p->l3_off;
  if (p->len < (uint32_t)p->l3_off + 28 || hv_rd16(a) != 1 || hv_rd16(a + 2) != ET_IP4 || a[4] != 6 || a[5] != 4 ||
      hv_rd16(a + 6) != 1)
    return 0;
  static const uint8_t zero[4];
  const uint8_t *sha = a + 8, *spa = a + 14, *tpa = a + 24;
  /* a probe (RFC 5227: sender 0.0.0.0) or a gratuitous ARP is for everyone to see */
  if (memcmp(spa, zero, 4) == 0 || memcmp(spa, tpa, 4) == 0) return 0;
  uint8_t mac[6], *r;
  if (!hv_suppress_lookup(b->w->core->suppress, bdi, p->vlan, 4, tpa, mac)) return 0;
  struct hv_pkt *g = reply_alloc(b, p, &r);
  if (!g) return 0;
  hv_eth_hdr(r, sha, mac, ET_ARP);
  arp_fill(r + 14, 2, mac, tpa, sha, spa);
  g->len = 14 + 28;
  g->ethertype = ET_ARP;
  reply_send(b, g);
  return 1;
}

/* RFC 4861 §7.2.3 solicitation for a remote host's address (not duplicate
 * address detection): the solicited advertisement (§7.2.4: S and O set, the
 * target link-layer address option), from its MAC and address. */
static int suppress_ns(struct hv_batch *b, uint16_t bdi, const struct hv_pkt *p) {
  const uint8_t *ip = p->data + p->l3_off, *m = ip + 40;
  if (p->len < (uint32_t)p->l3_off + 40 + 24 || (ip[0] >> 4) != 6 || ip[6] != PROTO_ICMP6 || ip[7] != 255) return 0;
  uint32_t plen = hv_rd16(ip + 4);
  if (plen < 24 || (uint32_t)p->l3_off + 40 + plen > p->len || m[0] != ND_NS || m[1] != 0) return 0;
  static const uint8_t unspec[16];
  if (memcmp(ip + 8, unspec, 16) == 0 || !icmp6_csum_ok(ip, plen)) return 0;
  uint8_t mac[6], *r;
  if (!hv_suppress_lookup(b->w->core->suppress, bdi, p->vlan, 6, m + 8, mac)) return 0;
  struct hv_pkt *g = reply_alloc(b, p, &r);
  if (!g) return 0;
  hv_eth_hdr(r, p->data + 6, mac, ET_IP6);
  na_fill(r + 14, m + 8, ip + 8, mac, 0x60); /* solicited, override */
  g->len = 14 + 40 + 32;
  g->ethertype = ET_IP6;
  reply_send(b, g);
  return 1;
}

int hv_arp_nd_suppress(struct hv_batch *b, uint16_t bdi, const struct hv_pkt *p) {
  if (hv_suppress_count(b->w->core->suppress) == 0) return 0;
  if (p->ethertype == ET_ARP) return suppress_arp(b, bdi, p);
  if (p->ethertype == ET_IP6) return suppress_ns(b, bdi, p);
  return 0;
}
