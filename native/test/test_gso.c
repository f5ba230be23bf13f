/* Software segmentation and checksum completion (gso.h): TCP over IPv4 and
 * IPv6, tagged and untagged, each segment checked field by field against the
 * super-frame it came from; checksums verified independently (a correct
 * one's complement sum over header or pseudo-header + segment folds to 0);
 * refusals, one per reason. */
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "gso.h"
#include "tap.h"

#define MSS 1448

static uint8_t frame[70000], out[90000];
static struct hv_seg segs[64];

/* A TCP super-frame as a guest hands it to a TAP device with offloads on: the
 * TCP checksum field holds the pseudo-header sum, NEEDS_CSUM set. */
static uint32_t mk_tcp(int v6, int tagged, uint32_t payload, uint8_t flags, struct hv_vnet_hdr *v) {
  uint32_t o = 12;
  memcpy(frame, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
  if (tagged) {
    hv_wr16(frame + o, 0x8100);
    hv_wr16(frame + o + 2, 0xa064); /* PCP 5, VID 100 */
    o += 4;
  }
  hv_wr16(frame + o, v6 ? 0x86dd : 0x0800);
  uint32_t l3 = o + 2, l4 = l3 + (v6 ? 40 : 24); /* IPv4 with 4 bytes of options */
  uint32_t tcp_len = 32 + payload;               /* TCP with 12 bytes of options */
  uint8_t *ip = frame + l3;
  memset(ip, 0, l4 - l3);
  uint32_t sum;
  if (v6) {
    ip[0] = 0x60;
    hv_wr16(ip + 4, (uint16_t)tcp_len);
    ip[6] = 6;
    ip[7] = 64;
    for (int i = 0; i < 16; i++) ip[8 + i] = (uint8_t)(0x20 + i), ip[24 + i] = (uint8_t)(0x40 + i);
    sum = hv_csum_add(0, ip + 8, 32);
  } else {
    ip[0] = 0x46;
    hv_wr16(ip + 2, (uint16_t)(24 + tcp_len));
    hv_wr16(ip + 4, 0xfffe); /* identification wraps after two segments */
    hv_wr16(ip + 6, 0x4000); /* DF */
    ip[8] = 64;
    ip[9] = 6;
    memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
    memcpy(ip + 20, "\x01\x01\x01\x00", 4); /* NOP NOP NOP EOL */
    hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, 24)));
    sum = hv_csum_add(0, ip + 12, 8);
  }
  uint8_t *tcp = frame + l4;
  memset(tcp, 0, 32);
  hv_wr16(tcp, 40000);
  hv_wr16(tcp + 2, 5201);
  hv_wr32(tcp + 4, 0xfffff000u); /* the sequence number wraps inside the frame */
  hv_wr32(tcp + 8, 77);
  tcp[12] = 8 << 4;
  tcp[13] = flags;
  hv_wr16(tcp + 14, 512);
  memcpy(tcp + 20, "\x01\x01\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x02", 12); /* timestamps */
  for (uint32_t i = 0; i < payload; i++) tcp[32 + i] = (uint8_t)(i * 7 + i / 251);
  sum += 6 + (tcp_len >> 16) + (tcp_len & 0xffff);
  hv_wr16(tcp + 16, (uint16_t)~hv_csum_fold(sum)); /* pseudo-header sum, as Linux leaves it */
  *v = (struct hv_vnet_hdr){.flags = HV_VNET_F_NEEDS_CSUM,
                            .gso_type = v6 ? HV_VNET_GSO_TCPV6 : HV_VNET_GSO_TCPV4,
                            .hdr_len = (uint16_t)(l4 + 32),
                            .gso_size = MSS,
                            .csum_start = (uint16_t)l4,
                            .csum_offset = 16};
  return l4 + 32 + payload;
}

/* Verifies the TCP checksum of a frame whose IP header starts at l3. */
static int tcp_csum_ok(const uint8_t *f, uint32_t len, uint32_t l3, int v6) {
  uint32_t l4 = l3 + (v6 ? 40 : (uint32_t)(f[l3] & 0xf) * 4), tcp_len = len - l4;
  uint32_t sum = v6 ? hv_csum_add(0, f + l3 + 8, 32) : hv_csum_add(0, f + l3 + 12, 8);
  sum += 6 + (tcp_len >> 16) + (tcp_len & 0xffff);
  return hv_csum_fold(hv_csum_add(sum, f + l4, tcp_len)) == 0;
}

static void check_segments(int v6, int tagged, uint32_t payload, uint8_t flags) {
  struct hv_vnet_hdr v;
  uint32_t len = mk_tcp(v6, tagged, payload, flags, &v);
  uint32_t l3 = tagged ? 18 : 14, hdr = v.hdr_len, l4 = v.csum_start;
  int n = hv_gso_segment(frame, len, &v, out, sizeof out, segs, 64);
  CHECK_EQ(n, (int)((payload + MSS - 1) / MSS));
  uint32_t pos = 0;
  int all_ok = 1;
  for (int i = 0; i < n; i++) {
    const uint8_t *s = out + segs[i].off;
    uint32_t plen = segs[i].len - hdr, last = i == n - 1;
    all_ok &= plen == (last ? payload - pos : MSS);
    all_ok &= memcmp(s, frame, l3) == 0; /* Ethernet and tag unchanged */
    if (v6) {
      all_ok &= hv_rd16(s + l3 + 4) == segs[i].len - l3 - 40;
    } else {
      all_ok &= hv_rd16(s + l3 + 2) == segs[i].len - l3;
      all_ok &= hv_rd16(s + l3 + 4) == (uint16_t)(0xfffe + i);
      all_ok &= hv_csum_fold(hv_csum_add(0, s + l3, 24)) == 0;
      all_ok &= memcmp(s + l3 + 20, frame + l3 + 20, 4) == 0; /* options kept */
    }
    all_ok &= hv_rd32(s + l4 + 4) == 0xfffff000u + pos;
    uint8_t want = flags;
    if (i) want &= (uint8_t)~0x80;
    if (!last) want &= (uint8_t)~0x09;
    all_ok &= s[l4 + 13] == want;
    all_ok &= memcmp(s + l4 + 20, frame + l4 + 20, 12) == 0;
    all_ok &= tcp_csum_ok(s, segs[i].len, l3, v6);
    all_ok &= memcmp(s + hdr, frame + hdr + pos, plen) == 0;
    pos += plen;
  }
  CHECK(all_ok);
  CHECK_EQ(pos, payload);
}

static void test_refusals(void) {
  struct hv_vnet_hdr v;
  uint32_t len = mk_tcp(0, 0, 5000, 0x18, &v);
  CHECK_EQ(hv_gso_segment(frame, 30, &v, out, sizeof out, segs, 64), HV_GSO_MALFORMED);
  CHECK_EQ(hv_gso_segment(frame, len - 1, &v, out, sizeof out, segs, 64), HV_GSO_MALFORMED); /* IP length */
  CHECK_EQ(hv_gso_segment(frame, len, &v, out, 5000, segs, 64), HV_GSO_NO_ROOM);
  CHECK_EQ(hv_gso_segment(frame, len, &v, out, sizeof out, segs, 3), HV_GSO_NO_ROOM);
  struct hv_vnet_hdr w = v;
  w.gso_size = 0;
  CHECK_EQ(hv_gso_segment(frame, len, &w, out, sizeof out, segs, 64), HV_GSO_MALFORMED);
  w = v;
  w.gso_type = HV_VNET_GSO_TCPV6; /* metadata says IPv6, the frame is IPv4 */
  CHECK_EQ(hv_gso_segment(frame, len, &w, out, sizeof out, segs, 64), HV_GSO_MALFORMED);
  w.gso_type = HV_VNET_GSO_UDP;
  CHECK_EQ(hv_gso_segment(frame, len, &w, out, sizeof out, segs, 64), HV_GSO_UNSUPPORTED);
  frame[14 + 6] = 0x20; /* more fragments */
  CHECK_EQ(hv_gso_segment(frame, len, &v, out, sizeof out, segs, 64), HV_GSO_MALFORMED);
  len = mk_tcp(1, 0, 5000, 0x18, &v);
  frame[14 + 6] = 0; /* hop-by-hop options header */
  CHECK_EQ(hv_gso_segment(frame, len, &v, out, sizeof out, segs, 64), HV_GSO_UNSUPPORTED);
  len = mk_tcp(1, 0, 5000, 0x18, &v);
  frame[14 + 40 + 12] = 4 << 4; /* TCP data offset below 20 bytes */
  CHECK_EQ(hv_gso_segment(frame, len, &v, out, sizeof out, segs, 64), HV_GSO_MALFORMED);
  v = (struct hv_vnet_hdr){.flags = HV_VNET_F_NEEDS_CSUM, .csum_start = 60, .csum_offset = 16};
  CHECK_EQ(hv_csum_complete(frame, 70, &v), HV_GSO_MALFORMED); /* field beyond the frame */
}

/* A frame without GSO: copied, its checksum completed; the same for a frame
 * that needs no checksum (copied as it is). */
static void test_no_gso(void) {
  struct hv_vnet_hdr v;
  uint32_t len = mk_tcp(0, 1, 1000, 0x18, &v);
  v.gso_type = HV_VNET_GSO_NONE;
  v.gso_size = 0;
  CHECK_EQ(hv_gso_segment(frame, len, &v, out, sizeof out, segs, 64), 1);
  CHECK_EQ(segs[0].len, len);
  CHECK(tcp_csum_ok(out, len, 18, 0));
  CHECK(!tcp_csum_ok(frame, len, 18, 0)); /* the input held the pseudo-header sum only */
  v.flags = 0;
  CHECK_EQ(hv_gso_segment(frame, len, &v, out, sizeof out, segs, 64), 1);
  CHECK(memcmp(out, frame, len) == 0);
}

/* Random headers and metadata: refused or segmented, never out of bounds
 * (ASan watches); what is segmented has valid checksums. */
static void test_random(void) {
  srand(7);
  int bad = 0;
  for (int k = 0; k < HV_TEST_STEPS(20000); k++) {
    struct hv_vnet_hdr v;
    uint32_t len = mk_tcp(k & 1, k & 2, (uint32_t)(rand() % 4000), 0x18, &v);
    int flips = rand() % 4;
    for (int f = 0; f < flips; f++) frame[rand() % 80] ^= (uint8_t)(1u << (rand() % 8));
    if (rand() % 4 == 0) v.gso_size = (uint16_t)(rand() % 3000);
    if (rand() % 8 == 0) v.csum_start = (uint16_t)rand();
    uint32_t cut = rand() % 8 == 0 ? (uint32_t)rand() % len : len;
    int n = hv_gso_segment(frame, cut, &v, out, sizeof out, segs, 64);
    if (n > 0 && !flips && cut == len) {
      for (int i = 0; i < n; i++) bad += !tcp_csum_ok(out + segs[i].off, segs[i].len, (k & 2) ? 18 : 14, k & 1);
    }
  }
  CHECK_EQ(bad, 0);
}

int main(void) {
  check_segments(0, 0, 64000, 0x18);  /* IPv4: PSH+ACK, PSH only on the last */
  check_segments(0, 1, 3000, 0x99);   /* IPv4 tagged: CWR first only, FIN+PSH last only */
  check_segments(1, 0, 10 * MSS, 0x18); /* IPv6: exact multiple of the MSS */
  check_segments(1, 1, 100, 0x11);    /* IPv6 tagged, less than one MSS: one segment */
  test_no_gso();
  test_refusals();
  test_random();
  return tap_done();
}
