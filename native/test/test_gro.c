/* Coalescing of decapsulated TCP into GSO frames (gro.h), rule by rule: a run
 * of one flow's segments becomes one frame whose vnet header and headers are
 * what Linux's GRO gives, and which software segmentation (gso.h) cuts back
 * into the original segments byte for byte; every rule that must keep
 * segments apart does, one case each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "gro.h"
#include "gso.h"
#include "tap.h"

#define MSS 1000
#define MAXS 70

static uint8_t bufs[MAXS][2048];
static struct hv_pkt pkts[MAXS];
static struct hv_txreq reqs[MAXS];
static uint8_t ok[MAXS];
static struct hv_gro gro;
static uint8_t out[90000];
static struct hv_seg segs[64];

/* Segment i of a flow: untagged Ethernet, IPv4 (DF, id 100 + i) or IPv6, TCP
 * with a 12-byte timestamp option, ACK, seq 1000 + i * MSS, `plen` payload
 * bytes that say i; checksums complete. */
static void mk(int i, int v6, uint32_t plen) {
  uint8_t *f = bufs[i];
  memset(f, 0, sizeof bufs[i]);
  memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
  hv_wr16(f + 12, v6 ? 0x86dd : 0x0800);
  uint32_t l4 = v6 ? 54 : 34, tcp_len = 32 + plen, len = l4 + tcp_len;
  if (v6) {
    f[14] = 0x60;
    hv_wr16(f + 18, (uint16_t)tcp_len);
    f[20] = 6;
    f[21] = 63;
    f[22] = 0x20, f[23] = 0x01, f[37] = 1; /* 2001::1 -> 2001::2 */
    f[38] = 0x20, f[39] = 0x01, f[53] = 2;
  } else {
    f[14] = 0x45;
    hv_wr16(f + 16, (uint16_t)(len - 14));
    hv_wr16(f + 18, (uint16_t)(100 + i));
    f[20] = 0x40; /* DF */
    f[22] = 63;
    f[23] = 6;
    memcpy(f + 26, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
  }
  uint8_t *t = f + l4;
  hv_wr16(t, 40000);
  hv_wr16(t + 2, 5201);
  hv_wr32(t + 4, 1000u + (uint32_t)i * MSS);
  hv_wr32(t + 8, 77);
  t[12] = 8 << 4;
  t[13] = 0x10; /* ACK */
  hv_wr16(t + 14, 512);
  memcpy(t + 20, "\x01\x01\x08\x0a\x00\x00\x00\x05\x00\x00\x00\x06", 12);
  for (uint32_t k = 0; k < plen; k++) t[32 + k] = (uint8_t)(i * 13 + k);
  pkts[i] = (struct hv_pkt){.data = f, .len = len, .in_port = 1};
  reqs[i] = (struct hv_txreq){.pkt = &pkts[i]};
  ok[i] = 1;
}

/* Completes segment i's checksums after an edit. */
static void fix(int i) {
  uint8_t *f = bufs[i];
  int v6 = hv_rd16(f + 12) == 0x86dd;
  uint32_t l4 = v6 ? 54 : 34, tcp_len = pkts[i].len - l4;
  if (!v6) {
    hv_wr16(f + 24, 0);
    hv_wr16(f + 24, hv_csum_fold(hv_csum_add(0, f + 14, 20)));
  }
  uint32_t s = v6 ? hv_csum_add(0, f + 22, 32) : hv_csum_add(0, f + 26, 8);
  hv_wr16(f + l4 + 16, 0);
  hv_wr16(f + l4 + 16, hv_csum_fold(hv_csum_add(s + 6 + tcp_len, f + l4, tcp_len)));
}

static int flow(int n, int v6) {
  for (int i = 0; i < n; i++) mk(i, v6, MSS), fix(i);
  return n;
}

/* Merges reqs[0..n); writes the segment count of each frame out to `runs`; returns the frame count. */
static int merge(int n, int *runs) {
  int m = hv_gro_merge(&gro, reqs, n, ok);
  for (int k = 0; k < m; k++) {
    const struct hv_pkt *p = reqs[k].pkt;
    runs[k] = p->has_vnet && p->vnet.gso_type ? (int)((p->len - p->vnet.hdr_len + p->vnet.gso_size - 1) / p->vnet.gso_size) : 1;
  }
  return m;
}

/* The frames of a merge: segment counts as a string, e.g. "2,1". */
static const char *shape(int n) {
  static char s[256];
  int runs[MAXS], m = merge(n, runs);
  size_t o = 0;
  s[0] = 0;
  for (int k = 0; k < m; k++) o += (size_t)snprintf(s + o, sizeof s - o, k ? ",%d" : "%d", runs[k]);
  return s;
}

static void expect(int n, const char *want, const char *what) {
  const char *got = shape(n);
  tap_ok(!strcmp(got, want), "%s: frames of %s segments (want %s)", what, got, want);
}

static void expect_named(int n, const char *want, const char *flag) {
  char what[64];
  snprintf(what, sizeof what, "%s in the middle segment: nothing merges with it", flag);
  expect(n, want, what);
}

static void round_trip(int v6, int n, uint32_t last) {
  for (int i = 0; i < n; i++) mk(i, v6, i == n - 1 ? last : MSS), fix(i);
  static uint8_t orig[MAXS][2048];
  uint32_t olen[MAXS];
  for (int i = 0; i < n; i++) memcpy(orig[i], bufs[i], sizeof orig[i]), olen[i] = pkts[i].len;
  int m = hv_gro_merge(&gro, reqs, n, ok);
  tap_ok(m == 1, "IPv%d: %d segments (last %u bytes) -> %d frame", v6 ? 6 : 4, n, last, m);
  const struct hv_pkt *p = reqs[0].pkt;
  uint32_t l4 = v6 ? 54 : 34;
  tap_ok(p->has_vnet && p->vnet.flags == HV_VNET_F_NEEDS_CSUM && p->vnet.gso_type == (v6 ? HV_VNET_GSO_TCPV6 : HV_VNET_GSO_TCPV4) &&
             p->vnet.gso_size == MSS && p->vnet.hdr_len == l4 + 32 && p->vnet.csum_start == l4 && p->vnet.csum_offset == 16,
         "vnet header: NEEDS_CSUM, TCPV%d, gso_size %u, hdr_len %u, csum_start %u/16", v6 ? 6 : 4, p->vnet.gso_size,
         p->vnet.hdr_len, p->vnet.csum_start);
  tap_ok(p->len == l4 + 32 + (uint32_t)(n - 1) * MSS + last, "length %u", p->len);
  if (!v6) tap_ok(hv_rd16(p->data + 16) == p->len - 14 && hv_csum_fold(hv_csum_add(0, p->data + 14, 20)) == 0, "IPv4 total length and header checksum");
  else tap_ok(hv_rd16(p->data + 18) == p->len - 54, "IPv6 payload length");
  /* cut it again (gso.h, what the sink's kernel would do): the original segments, byte for byte */
  int k = hv_gso_segment(p->data, p->len, &p->vnet, out, sizeof out, segs, 64), same = k == n;
  for (int i = 0; same && i < n; i++) same = segs[i].len == olen[i] && memcmp(out + segs[i].off, orig[i], olen[i]) == 0;
  tap_ok(same, "segmented again: the %d original segments byte for byte (%d)", n, k);
}

int main(void) {
  int runs[MAXS];
  round_trip(0, 10, MSS);
  round_trip(0, 5, 123);
  round_trip(6, 8, 77);
  flow(1, 0);
  tap_ok(hv_gro_merge(&gro, reqs, 1, ok) == 1 && reqs[0].pkt == &pkts[0], "one segment stays as it is");

  /* what must not merge, one rule each */
  flow(3, 0), ok[1] = 0;
  expect(3, "1,1,1", "not from a tunnel (ok = 0) breaks the run");
  flow(3, 0), hv_wr32(bufs[1] + 34 + 4, 1000 + 2 * MSS), hv_wr32(bufs[2] + 34 + 4, 1000 + 3 * MSS), fix(1), fix(2);
  expect(3, "1,2", "a sequence gap splits");
  static const struct { uint8_t flag; const char *name; } bad[] = {{0x02, "SYN"}, {0x01, "FIN"}, {0x04, "RST"}, {0x20, "URG"}, {0x40, "ECE"}, {0x80, "CWR"}};
  for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
    flow(3, 0), bufs[1][34 + 13] |= bad[b].flag, fix(1);
    expect_named(3, "1,1,1", bad[b].name);
  }
  flow(3, 0), bufs[0][34 + 13] |= 0x08, fix(0);
  expect(3, "1,2", "PSH ends a frame: PSH on the first -> 1,2");
  flow(3, 0), bufs[1][34 + 13] |= 0x08, fix(1);
  expect(3, "2,1", "PSH on the second: it is the frame's last");
  tap_ok(reqs[0].pkt->data[34 + 13] == 0x18, "the merged frame has the last segment's PSH");
  flow(3, 0), bufs[1][34 + 16] ^= 0xff;
  expect(3, "1,1,1", "a bad TCP checksum: the segment goes alone");
  flow(3, 0), bufs[1][24] ^= 0xff;
  expect(3, "1,1,1", "a bad IPv4 header checksum: alone");
  flow(3, 0), hv_wr16(bufs[1] + 34, 40001), fix(1);
  expect(3, "1,1,1", "another source port: another flow");
  flow(3, 0), bufs[1][22] = 62, fix(1);
  expect(3, "1,1,1", "another TTL");
  flow(3, 0), hv_wr32(bufs[1] + 34 + 8, 78), hv_wr32(bufs[2] + 34 + 8, 78), fix(1), fix(2);
  expect(3, "1,2", "another ACK number: the run splits");
  flow(3, 0), bufs[1][34 + 20 + 7] = bufs[2][34 + 20 + 7] = 9, fix(1), fix(2);
  expect(3, "1,2", "another timestamp (TCP options differ)");
  flow(3, 0), hv_wr16(bufs[1] + 34 + 14, 513), hv_wr16(bufs[2] + 34 + 14, 513), fix(1), fix(2);
  expect(3, "1,2", "another window");
  flow(3, 0), bufs[1][20] = bufs[2][20] = 0, fix(1), fix(2);
  expect(3, "1,2", "DF differs");
  flow(3, 0), bufs[0][20] = bufs[1][20] = bufs[2][20] = 0, hv_wr16(bufs[1] + 18, 200), fix(0), fix(1), fix(2);
  expect(3, "1,1,1", "no DF and ids not counting up");
  flow(3, 0), bufs[0][20] = bufs[1][20] = bufs[2][20] = 0, fix(0), fix(1), fix(2);
  expect(3, "3", "no DF, ids counting up: merged");
  flow(3, 0), bufs[1][20] |= 0x20, fix(1);
  expect(3, "1,1,1", "a fragment (MF)");
  mk(0, 0, MSS), mk(1, 0, 500), mk(2, 0, MSS), hv_wr32(bufs[2] + 34 + 4, 1000 + MSS + 500), fix(0), fix(1), fix(2);
  expect(3, "2,1", "a shorter segment ends the frame");
  mk(0, 0, 500), mk(1, 0, MSS), hv_wr32(bufs[1] + 34 + 4, 1500), fix(0), fix(1);
  expect(2, "1,1", "a longer one after a short one starts anew");
  flow(2, 0), mk(2, 6, MSS), fix(2);
  expect(3, "2,1", "IPv4 then IPv6");
  flow(3, 0), reqs[1].out_tci = 5;
  expect(3, "1,1,1", "another egress tag");
  flow(3, 0), pkts[1].has_vnet = 1, pkts[1].vnet.flags = HV_VNET_F_NEEDS_CSUM;
  expect(3, "1,1,1", "a segment with offload metadata of its own");
  flow(3, 0), pkts[1].len += 2;
  expect(3, "1,1,1", "Ethernet padding (frame longer than the IP packet)");
  flow(3, 0), mk(1, 0, 0), hv_wr32(bufs[1] + 34 + 4, 1000 + MSS), fix(1);
  expect(3, "1,1,1", "a pure ACK (no payload)");
  flow(66, 0);
  int m = merge(66, runs);
  tap_ok(m == 2 && runs[0] == 64 && runs[1] == 2, "at most 64 segments a frame: 66 -> %d frames (%d, %d)", m, runs[0], runs[1]);
  return tap_done();
}
