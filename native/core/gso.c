/* Software segmentation and checksum completion (gso.h). */
#include "gso.h"

#include <string.h>

#include "csum.h"

#define ETH_HLEN 14
#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_CWR 0x80

int hv_csum_complete(uint8_t *frame, uint32_t len, const struct hv_vnet_hdr *v) {
  if (!(v->flags & HV_VNET_F_NEEDS_CSUM)) return HV_GSO_OK;
  uint32_t start = v->csum_start, at = (uint32_t)v->csum_start + v->csum_offset;
  if (start >= len || at + 2 > len) return HV_GSO_MALFORMED;
  uint16_t c = hv_csum_fold(hv_csum_add(0, frame + start, len - start));
  if (c == 0 && v->csum_offset == 6) c = 0xffff; /* UDP: 0 means "no checksum" (RFC 768) */
  hv_wr16(frame + at, c);
  return HV_GSO_OK;
}

/* The headers of a TCP GSO frame, as parsed from its bytes. */
struct tcp_frame {
  uint32_t l3; /* offset of the IP header */
  uint32_t l4; /* offset of the TCP header */
  uint32_t hdr; /* bytes of headers (payload starts here) */
  int v6;
};

static int parse_tcp(const uint8_t *f, uint32_t len, struct tcp_frame *t) {
  if (len < ETH_HLEN) return HV_GSO_MALFORMED;
  uint32_t off = ETH_HLEN;
  uint16_t type = hv_rd16(f + 12);
  if (type == 0x8100) {
    if (len < ETH_HLEN + 4) return HV_GSO_MALFORMED;
    type = hv_rd16(f + 16);
    off += 4;
  }
  t->l3 = off;
  if (type == 0x0800) {
    if (len < off + 20 || f[off] >> 4 != 4) return HV_GSO_MALFORMED;
    uint32_t ihl = (uint32_t)(f[off] & 0xf) * 4;
    if (ihl < 20 || len < off + ihl) return HV_GSO_MALFORMED;
    if (f[off + 9] != 6) return HV_GSO_UNSUPPORTED;
    if (hv_rd16(f + off + 6) & 0x3fff) return HV_GSO_MALFORMED; /* a fragment */
    if (hv_rd16(f + off + 2) != len - off) return HV_GSO_MALFORMED;
    t->v6 = 0;
    t->l4 = off + ihl;
  } else if (type == 0x86dd) {
    if (len < off + 40 || f[off] >> 4 != 6) return HV_GSO_MALFORMED;
    if (f[off + 6] != 6) return HV_GSO_UNSUPPORTED; /* extension headers */
    if (hv_rd16(f + off + 4) != len - off - 40) return HV_GSO_MALFORMED;
    t->v6 = 1;
    t->l4 = off + 40;
  } else {
    return HV_GSO_UNSUPPORTED;
  }
  if (len < t->l4 + 20) return HV_GSO_MALFORMED;
  uint32_t doff = (uint32_t)(f[t->l4 + 12] >> 4) * 4;
  if (doff < 20 || len < t->l4 + doff) return HV_GSO_MALFORMED;
  t->hdr = t->l4 + doff;
  return HV_GSO_OK;
}

/* Fills the per-segment fields of the headers at `s` (a copy of the frame's)
 * for a segment of `plen` payload bytes at payload offset `pos`. */
static void fix_headers(uint8_t *s, const struct tcp_frame *t, uint32_t pos, uint32_t plen, int first,
                        int last, int i) {
  uint8_t *ip = s + t->l3, *tcp = s + t->l4;
  uint32_t tcp_len = t->hdr - t->l4 + plen;
  uint32_t sum;
  if (t->v6) {
    hv_wr16(ip + 4, (uint16_t)(tcp_len));
    sum = hv_csum_add(0, ip + 8, 32);
  } else {
    hv_wr16(ip + 2, (uint16_t)(t->hdr - t->l3 + plen));
    hv_wr16(ip + 4, (uint16_t)(hv_rd16(ip + 4) + i));
    hv_wr16(ip + 10, 0);
    hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, t->l4 - t->l3)));
    sum = hv_csum_add(0, ip + 12, 8);
  }
  sum += 6 + (tcp_len >> 16) + (tcp_len & 0xffff);
  hv_wr32(tcp + 4, hv_rd32(tcp + 4) + pos);
  uint8_t flags = tcp[13];
  if (!first) flags &= (uint8_t)~TCP_FLAG_CWR;
  if (!last) flags &= (uint8_t)~(TCP_FLAG_FIN | TCP_FLAG_PSH);
  tcp[13] = flags;
  hv_wr16(tcp + 16, 0);
  hv_wr16(tcp + 16, hv_csum_fold(hv_csum_add(sum, tcp, tcp_len)));
}

int hv_gso_segment(const uint8_t *frame, uint32_t len, const struct hv_vnet_hdr *v, uint8_t *out,
                   uint32_t out_size, struct hv_seg *segs, int max_segs) {
  return hv_gso_segment_gap(frame, len, v, out, out_size, segs, max_segs, 0);
}

int hv_gso_segment_gap(const uint8_t *frame, uint32_t len, const struct hv_vnet_hdr *v, uint8_t *out,
                       uint32_t out_size, struct hv_seg *segs, int max_segs, uint32_t gap) {
  uint8_t type = v->gso_type & (uint8_t)~HV_VNET_GSO_ECN;
  if (type == HV_VNET_GSO_NONE) {
    if (max_segs < 1 || out_size < gap + len) return HV_GSO_NO_ROOM;
    memcpy(out + gap, frame, len);
    segs[0] = (struct hv_seg){gap, len};
    int rc = hv_csum_complete(out + gap, len, v);
    return rc ? rc : 1;
  }
  if (type != HV_VNET_GSO_TCPV4 && type != HV_VNET_GSO_TCPV6) return HV_GSO_UNSUPPORTED;
  struct tcp_frame t;
  int rc = parse_tcp(frame, len, &t);
  if (rc) return rc;
  if (t.v6 != (type == HV_VNET_GSO_TCPV6)) return HV_GSO_MALFORMED;
  if (!v->gso_size) return HV_GSO_MALFORMED;
  uint32_t payload = len - t.hdr, mss = v->gso_size;
  uint32_t n = payload ? (payload + mss - 1) / mss : 1;
  if (n > (uint32_t)max_segs || out_size < n * (gap + t.hdr) + payload) return HV_GSO_NO_ROOM;
  uint32_t o = 0;
  for (uint32_t i = 0, pos = 0; i < n; i++, pos += mss) {
    uint32_t plen = payload - pos < mss ? payload - pos : mss;
    o += gap;
    memcpy(out + o, frame, t.hdr);
    memcpy(out + o + t.hdr, frame + t.hdr + pos, plen);
    fix_headers(out + o, &t, pos, plen, i == 0, i == n - 1, (int)i);
    segs[i] = (struct hv_seg){o, t.hdr + plen};
    o += t.hdr + plen;
  }
  return (int)n;
}
