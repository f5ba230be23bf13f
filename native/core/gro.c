/* Receive coalescing of decapsulated TCP into GSO frames: see gro.h. */
#include "gro.h"

#include <string.h>

#include "csum.h"

/* A segment's layout, once it passed the per-segment checks. */
struct seg {
  uint32_t l4;    /* TCP header offset */
  uint32_t hlen;  /* all headers: l4 + TCP header */
  uint32_t plen;  /* TCP payload bytes */
  uint32_t seq;
  uint8_t v6;
  uint8_t flags;
};

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10

static uint32_t pseudo(const uint8_t *d, int v6, uint32_t tcp_len) {
  uint32_t s = v6 ? hv_csum_add(0, d + 14 + 8, 32) : hv_csum_add(0, d + 14 + 12, 8);
  return s + 6 + tcp_len;
}

/* Parses request `r`'s frame as a segment that may be merged; 0 if it may not. */
static int parse(const struct hv_txreq *r, struct seg *s) {
  const struct hv_pkt *p = r->pkt;
  const uint8_t *d = p->data;
  if (r->outer_len || r->gso_size || p->tag_in_data || p->len < 14 + 40 + 20) return 0;
  if (p->has_vnet && (p->vnet.flags || p->vnet.gso_type)) return 0;
  uint16_t et = hv_rd16(d + 12);
  if (et == 0x0800) {
    if (d[14] != 0x45 || d[14 + 9] != 6 || hv_rd16(d + 14 + 2) != p->len - 14) return 0;
    if (hv_rd16(d + 14 + 6) & 0x3fff) return 0; /* MF or a fragment offset */
    if (hv_csum_fold(hv_csum_add(0, d + 14, 20)) != 0) return 0;
    s->v6 = 0;
    s->l4 = 14 + 20;
  } else if (et == 0x86dd) {
    if ((d[14] >> 4) != 6 || d[14 + 6] != 6 || hv_rd16(d + 14 + 4) != p->len - 54) return 0;
    s->v6 = 1;
    s->l4 = 14 + 40;
  } else {
    return 0;
  }
  const uint8_t *t = d + s->l4;
  uint32_t doff = (uint32_t)(t[12] >> 4) * 4;
  if (doff < 20 || s->l4 + doff >= p->len) return 0; /* no payload: nothing to merge */
  s->flags = t[13];
  if ((t[12] & 0x0f) || (s->flags & ~(TH_ACK | TH_PSH)) || !(s->flags & TH_ACK)) return 0; /* NS, SYN/FIN/RST/URG/ECE/CWR */
  s->hlen = s->l4 + doff;
  s->plen = p->len - s->hlen;
  s->seq = hv_rd32(t + 4);
  uint32_t tcp_len = p->len - s->l4;
  if (hv_csum_fold(hv_csum_add(pseudo(d, s->v6, tcp_len), t, tcp_len)) != 0) return 0;
  return 1;
}

/* Whether segment `b` may follow `a` (the previous one) in a frame whose segments are `mss` bytes. */
static int follows(const struct hv_txreq *ra, const struct seg *a, const struct hv_txreq *rb, const struct seg *b,
                   uint32_t mss) {
  const uint8_t *x = ra->pkt->data, *y = rb->pkt->data;
  if (ra->out_tci != rb->out_tci || a->v6 != b->v6 || a->hlen != b->hlen || (a->flags & TH_PSH) || a->plen != mss) return 0;
  if (b->plen > mss || b->seq != a->seq + a->plen) return 0;
  if (memcmp(x, y, 14) != 0) return 0;
  if (b->v6) {
    if (memcmp(x + 14, y + 14, 4) != 0 || memcmp(x + 14 + 6, y + 14 + 6, 34) != 0) return 0;
  } else {
    const uint8_t *i = x + 14, *j = y + 14;
    if (memcmp(i, j, 2) != 0 || memcmp(i + 6, j + 6, 4) != 0 || memcmp(i + 12, j + 12, 8) != 0) return 0;
    if (!(i[6] & 0x40) && hv_rd16(j + 4) != (uint16_t)(hv_rd16(i + 4) + 1)) return 0; /* no DF: ids count up */
  }
  const uint8_t *s = x + a->l4, *t = y + b->l4;
  return memcmp(s, t, 4) == 0 && memcmp(s + 8, t + 8, 5) == 0 && (s[13] & ~TH_PSH) == (t[13] & ~TH_PSH) &&
         memcmp(s + 14, t + 14, 2) == 0 && memcmp(s + 18, t + 18, a->hlen - a->l4 - 18) == 0;
}

/* Writes the frame of segments r[0..k) (layouts s[0..k)) at `out`; returns its length. */
static uint32_t build(const struct hv_txreq *r, const struct seg *s, int k, uint8_t *out, struct hv_pkt *p) {
  const uint8_t *d0 = r[0].pkt->data;
  uint32_t len = s[0].hlen;
  memcpy(out, d0, len);
  for (int i = 0; i < k; i++) {
    memcpy(out + len, r[i].pkt->data + s[i].hlen, s[i].plen);
    len += s[i].plen;
  }
  uint8_t *t = out + s[0].l4;
  t[13] = r[k - 1].pkt->data[s[k - 1].l4 + 13]; /* the last's flags: its PSH */
  uint32_t tcp_len = len - s[0].l4;
  if (s[0].v6) {
    hv_wr16(out + 14 + 4, (uint16_t)(len - 54));
  } else {
    hv_wr16(out + 14 + 2, (uint16_t)(len - 14));
    hv_wr16(out + 14 + 10, 0);
    hv_wr16(out + 14 + 10, hv_csum_fold(hv_csum_add(0, out + 14, 20)));
  }
  /* NEEDS_CSUM: the field holds the pseudo-header sum, not complemented (virtio 1.1 §5.1.6.2) */
  hv_wr16(t + 16, (uint16_t)~hv_csum_fold(pseudo(out, s[0].v6, tcp_len)));
  *p = *r[0].pkt;
  p->data = out;
  p->len = len;
  p->has_vnet = 1;
  p->vnet = (struct hv_vnet_hdr){.flags = HV_VNET_F_NEEDS_CSUM,
                                 .gso_type = s[0].v6 ? HV_VNET_GSO_TCPV6 : HV_VNET_GSO_TCPV4,
                                 .hdr_len = (uint16_t)s[0].hlen,
                                 .gso_size = (uint16_t)s[0].plen,
                                 .csum_start = (uint16_t)s[0].l4,
                                 .csum_offset = 16};
  return len;
}

int hv_gro_merge(struct hv_gro *g, struct hv_txreq *r, int n, const uint8_t *ok) {
  struct seg s[HV_GRO_SEGS];
  uint32_t used = 0;
  int out = 0, np = 0;
  for (int i = 0; i < n;) {
    int k = 0;
    if (ok[i] && parse(&r[i], &s[0])) {
      uint32_t len = r[i].pkt->len;
      k = 1;
      while (i + k < n && k < HV_GRO_SEGS && ok[i + k] && parse(&r[i + k], &s[k]) &&
             follows(&r[i + k - 1], &s[k - 1], &r[i + k], &s[k], s[0].plen) && len + s[k].plen - 14 <= 65535 &&
             used + len + s[k].plen <= HV_GRO_BYTES)
        len += s[k++].plen;
      if (k > 1 && used + len > HV_GRO_BYTES) k = 1;
    }
    if (k > 1) {
      struct hv_txreq m = r[i];
      used += build(&r[i], s, k, g->buf + used, &g->pkts[np]);
      m.pkt = &g->pkts[np++];
      r[out++] = m;
      i += k;
    } else {
      r[out++] = r[i++];
    }
  }
  return out;
}
