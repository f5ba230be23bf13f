/* Packet capture (capture.h) over memory ports, and the classic BPF
 * interpreter (bpf.h): with no capture attached nothing is copied; an
 * attached capture records the frame as received (`in`) and as sent (`out`)
 * byte for byte with its original length, cut at the snap length; a filter
 * keeps only what it accepts; a full ring drops and counts, and the records
 * kept are intact; a second capture on the port is refused; a stopped one
 * copies nothing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"

#define BUF_SIZE (HV_CAPTURE_REC_HLEN + HV_CAPTURE_SNAP_MAX + 64)
static uint8_t *buf;

/* Drains every record; returns how many, the last one's header and bytes in *last / out. */
static int drain_records(struct hv_capture_rec *last, uint32_t only_id) {
  int n = 0;
  uint32_t got;
  while ((got = hv_core_captures(core, buf, BUF_SIZE)) > 0) {
    for (uint32_t off = 0; off < got;) {
      const struct hv_capture_rec *h = (const struct hv_capture_rec *)(buf + off);
      if (!only_id || h->capture == only_id) {
        n++;
        if (last) {
          *last = *h;
          memcpy(out, buf + off + HV_CAPTURE_REC_HLEN, h->caplen);
        }
      }
      off += h->size;
    }
  }
  return n;
}

static struct hv_capture_stats stats(int port, int id) {
  struct hv_capture_stats s;
  CHECK_EQ(hv_core_capture_stats(core, (uint16_t)port, (uint32_t)id, &s), 0);
  return s;
}

static void test_off_copies_nothing(int a, int b) {
  uint8_t f[256];
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0800, 64);
  for (int i = 0; i < 10; i++) inject(a, f, n);
  CHECK_EQ(drain(b), 10);
  CHECK_EQ(hv_core_captures(core, buf, BUF_SIZE), 0);
}

static void test_in_and_out(int a, int b) {
  uint8_t f[256], g[256];
  int id = hv_core_capture_start(core, (uint16_t)a, HV_CAPTURE_BOTH, 0, NULL, 0);
  CHECK(id > 0);
  CHECK_EQ(hv_core_capture_start(core, (uint16_t)a, HV_CAPTURE_IN, 0, NULL, 0), -EBUSY);
  uint32_t n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 100);
  inject(a, f, n); /* in on a */
  struct hv_capture_rec h;
  CHECK_EQ(drain_records(&h, (uint32_t)id), 1);
  CHECK_EQ(h.dir, HV_CAPTURE_IN);
  CHECK_EQ(h.port, a);
  CHECK_EQ(h.len, n);
  CHECK_EQ(h.caplen, n);
  CHECK(memcmp(out, f, n) == 0);
  CHECK(h.ts_sec > 1600000000u && h.ts_nsec < 1000000000u); /* wall clock, not monotonic */
  drain(b);
  uint32_t m = mk_frame(g, MAC_A, MAC_B, -1, 0x86dd, 120);
  inject(b, g, m); /* out on a (the MAC was learned) */
  CHECK_EQ(drain_records(&h, (uint32_t)id), 1);
  CHECK_EQ(h.dir, HV_CAPTURE_OUT);
  CHECK_EQ(h.len, m);
  uint8_t sent[256];
  memcpy(sent, out, h.caplen);
  CHECK_EQ(pop(a), (int)m);
  CHECK(memcmp(sent, out, m) == 0); /* the same bytes as the port sent */
  struct hv_capture_stats s;
  CHECK_EQ(hv_core_capture_stop(core, (uint16_t)a, (uint32_t)id, &s), 0);
  CHECK_EQ(s.captured, 2);
  CHECK_EQ(s.dropped, 0);
  CHECK_EQ(hv_core_capture_stop(core, (uint16_t)a, (uint32_t)id, NULL), -ENOENT);
  inject(a, f, n); /* stopped: nothing */
  CHECK_EQ(hv_core_captures(core, buf, BUF_SIZE), 0);
  drain(b);
}

static void test_snaplen_and_direction(int a, int b) {
  uint8_t f[1600];
  int id = hv_core_capture_start(core, (uint16_t)b, HV_CAPTURE_OUT, 64, NULL, 0);
  CHECK(id > 0);
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0800, 1000);
  inject(a, f, n);  /* out on b, cut at 64 */
  inject(b, f, n);  /* in on b: not tapped */
  struct hv_capture_rec h;
  CHECK_EQ(drain_records(&h, (uint32_t)id), 1);
  CHECK_EQ(h.dir, HV_CAPTURE_OUT);
  CHECK_EQ(h.len, n);
  CHECK_EQ(h.caplen, 64);
  CHECK(memcmp(out, f, 64) == 0);
  CHECK_EQ(hv_core_capture_stop(core, (uint16_t)b, (uint32_t)id, NULL), 0);
  drain(a);
  drain(b);
}

/* tcpdump -d 'arp': ldh [12]; jeq #0x806 jt 2 jf 3; ret #262144; ret #0 */
static const struct hv_bpf_insn ARP_ONLY[] = {
    {0x28, 0, 0, 12}, {0x15, 0, 1, 0x0806}, {0x06, 0, 0, 262144}, {0x06, 0, 0, 0}};

static void test_filter(int a, int b) {
  uint8_t f[256], g[256];
  static const struct hv_bpf_insn bad[] = {{0x15, 5, 0, 1}, {0x06, 0, 0, 0}}; /* jump out of the program */
  CHECK_EQ(hv_core_capture_start(core, (uint16_t)a, HV_CAPTURE_IN, 0, bad, 2), -EINVAL);
  int id = hv_core_capture_start(core, (uint16_t)a, HV_CAPTURE_IN, 0, ARP_ONLY, 4);
  CHECK(id > 0);
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0800, 60);
  uint32_t m = mk_frame(g, MAC_BCAST, MAC_A, -1, 0x0806, 28);
  inject(a, f, n);
  inject(a, g, m);
  inject(a, f, n);
  struct hv_capture_rec h;
  CHECK_EQ(drain_records(&h, (uint32_t)id), 1);
  CHECK_EQ(h.len, m);
  CHECK(memcmp(out, g, m) == 0);
  struct hv_capture_stats s = stats(a, id);
  CHECK_EQ(s.captured, 1);
  CHECK_EQ(s.filtered, 2);
  CHECK_EQ(hv_core_capture_stop(core, (uint16_t)a, (uint32_t)id, NULL), 0);
  drain(b);
}

/* The ring is never drained while 4 rounds of 1000 full-size frames go in:
 * more than it holds, so some are dropped and counted; what was kept is whole
 * (checked byte for byte), and after draining, records flow again (the ring
 * wraps). */
static void test_ring_full(int a, int b) {
  static uint8_t f[1600];
  int id = hv_core_capture_start(core, (uint16_t)a, HV_CAPTURE_IN, HV_CAPTURE_SNAP_MAX, NULL, 0);
  CHECK(id > 0);
  uint32_t n = mk_frame(f, MAC_BCAST, MAC_A, -1, 0x0800, 1400);
  struct hv_port *port = hv_core_port(core, (uint16_t)a);
  uint64_t total = 0;
  for (int round = 0; round < 4; round++) {
    for (int i = 0; i < 1000; i++, total++) {
      f[20] = (uint8_t)total; /* each frame its own byte */
      hv_port_mem_inject(port, f, n);
    }
    while (hv_core_poll_once(core, 0) > 0) {}
    drain(b);
  }
  struct hv_capture_stats s = stats(a, id);
  CHECK(s.dropped > 0);
  CHECK_EQ(s.captured + s.dropped, total);
  int kept = 0, intact = 1;
  uint32_t got;
  while ((got = hv_core_captures(core, buf, BUF_SIZE)) > 0)
    for (uint32_t off = 0; off < got; off += ((struct hv_capture_rec *)(buf + off))->size) {
      const struct hv_capture_rec *h = (const struct hv_capture_rec *)(buf + off);
      f[20] = (uint8_t)kept++; /* the first frames were kept, in order */
      intact &= h->len == n && h->caplen == n && memcmp(buf + off + HV_CAPTURE_REC_HLEN, f, n) == 0;
    }
  CHECK_EQ((uint64_t)kept, s.captured);
  CHECK(intact);
  for (int round = 0; round < 3; round++) { /* past the end of the buffer: wraps */
    for (int i = 0; i < 1000; i++) hv_port_mem_inject(port, f, n);
    while (hv_core_poll_once(core, 0) > 0) {}
    drain(b);
    CHECK_EQ(drain_records(NULL, (uint32_t)id), 1000);
  }
  CHECK_EQ(stats(a, id).dropped, s.dropped);
  CHECK_EQ(hv_core_capture_stop(core, (uint16_t)a, (uint32_t)id, NULL), 0);
}

/* The interpreter over a frame in several pieces: loads that cross pieces,
 * the IPv4 header-length load, scratch memory, ALU, out-of-bounds rejects. */
static void test_bpf(void) {
  uint8_t f[64];
  for (int i = 0; i < 64; i++) f[i] = (uint8_t)i;
  f[14] = 0x46; /* IHL 6: 24 bytes */
  struct iovec iov[3] = {{f, 13}, {f + 13, 2}, {f + 15, 49}};
  /* ld [11] (crosses 13 and 15); st M[3]; ldxb 4*([14]&0xf); txa; add M[3]... ret a */
  static const struct hv_bpf_insn p1[] = {
      {0x20, 0, 0, 11},        /* ld [11]       A = 0x0b0c0d46 */
      {0x02, 0, 0, 3},         /* st M[3] */
      {0xb1, 0, 0, 14},        /* ldxb 4*([14]&0xf)  X = 24 */
      {0x48, 0, 0, 0},         /* ldh [x+0]     A = 0x1819 */
      {0x15, 0, 2, 0x1819},    /* jeq #0x1819 jt 5 jf 7 */
      {0x60, 0, 0, 3},         /* ld M[3] */
      {0x54, 0, 0, 0xff},      /* and #0xff     A = 0x46 */
      {0x16, 0, 0, 0},         /* ret a */
      {0x06, 0, 0, 0}};
  CHECK_EQ(hv_bpf_validate(p1, 9), 0);
  CHECK_EQ(hv_bpf_run(p1, iov, 3, 64, 64), 0x46);
  static const struct hv_bpf_insn p2[] = {{0x20, 0, 0, 62}, {0x06, 0, 0, 1}}; /* ld [62]: past the end */
  CHECK_EQ(hv_bpf_run(p2, iov, 3, 64, 64), 0);
  static const struct hv_bpf_insn p3[] = {{0x80, 0, 0, 0}, {0x16, 0, 0, 0}}; /* ld len; ret a */
  CHECK_EQ(hv_bpf_run(p3, iov, 3, 64, 1500), 1500);
  static const struct hv_bpf_insn div0[] = {{0x34, 0, 0, 0}, {0x06, 0, 0, 1}}; /* div #0 */
  CHECK_EQ(hv_bpf_validate(div0, 2), -1);
  static const struct hv_bpf_insn noret[] = {{0x20, 0, 0, 0}};
  CHECK_EQ(hv_bpf_validate(noret, 1), -1);
  static const struct hv_bpf_insn mem[] = {{0x60, 0, 0, 16}, {0x06, 0, 0, 1}}; /* M[16] */
  CHECK_EQ(hv_bpf_validate(mem, 2), -1);
}

int main(void) {
  harness_core(1, 0);
  buf = malloc(BUF_SIZE);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  int a = add_l2_port("a", HV_MODE_ACCESS, 10, NULL), b = add_l2_port("b", HV_MODE_ACCESS, 10, NULL);
  CHECK(a >= 0 && b >= 0);
  test_bpf();
  test_off_copies_nothing(a, b);
  test_in_and_out(a, b);
  test_snaplen_and_direction(a, b);
  test_filter(a, b);
  test_ring_full(a, b);
  CHECK_EQ(hv_core_capture_start(core, 200, HV_CAPTURE_IN, 0, NULL, 0), -ENOENT);
  hv_core_destroy(core);
  free(buf);
  return tap_done();
}
