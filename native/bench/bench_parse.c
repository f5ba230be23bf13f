/* bench_parse — frames parsed per second by hv_parse(), the one parser every
 * received frame goes through (Ethernet, one 802.1Q tag, MTU check).
 *
 * Cases: an untagged 60 B IPv4/UDP frame; the same with its 802.1Q tag in the
 * data; with the tag out of band (as AF_PACKET reports a tag the kernel
 * stripped, in tp_vlan_tci); a 64 KiB TCP GSO frame with its virtio-net header;
 * a runt and a multicast source (the drop paths); and a mix of all of them.
 *
 * What is timed per frame: what the rx path does before calling the parser on
 * a filled-in packet (clear `drop`, set `tagged` from the ring metadata), then
 * hv_parse() across the library boundary (no LTO), over a batch of HV_BATCH
 * packets whose buffers stay in L1, as in a worker's batch.  So this is the
 * parser's instruction cost, not memory traffic.
 *
 * Output: one line per case, the median and best of `reps` runs of `n` frames:
 * Mframes/s and ns/frame.  Usage: bench_parse [frames_per_run [reps]]. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "parse.h"

enum kind { UNTAGGED, TAG_IN_DATA, TAG_OOB, GSO, RUNT, BAD_SRC, NKINDS };

static const char *const kind_name[NKINDS] = {
    "untagged 60B", "802.1Q tag in data", "802.1Q tag out of band", "TCP GSO 64KiB + vnet", "runt (drop)",
    "multicast src (drop)",
};

static uint8_t frames[NKINDS][2048];
static uint32_t lens[NKINDS];

static void build_frames(void) {
  static const uint8_t dst[6] = {0x02, 0, 0, 0, 0, 2}, src[6] = {0x02, 0, 0, 0, 0, 1};
  for (int k = 0; k < NKINDS; k++) {
    uint8_t *f = frames[k];
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    uint32_t l2 = 14;
    if (k == TAG_IN_DATA) {
      f[12] = 0x81, f[13] = 0x00, f[14] = 0x20, f[15] = 10; /* PCP 1, VID 10 */
      l2 = 18;
    }
    f[l2 - 2] = 0x08, f[l2 - 1] = 0x00;
    f[l2] = 0x45;
    lens[k] = 60;
  }
  frames[BAD_SRC][6] = 0x03;
  lens[RUNT] = 10;
  /* The GSO frame: only the headers matter to the parser; len says 64 KiB. */
  lens[GSO] = 65000;
}

/* A batch as a worker holds it: packets pointing at their frames. */
struct batch {
  struct hv_pkt pkts[HV_BATCH];
  uint8_t oob[HV_BATCH];
};

static struct hv_pkt template_for(int k) {
  struct hv_pkt p;
  memset(&p, 0, sizeof p);
  p.data = frames[k];
  p.len = lens[k];
  if (k == TAG_OOB) p.tci = 10;
  if (k == GSO) {
    p.has_vnet = 1;
    p.vnet.flags = HV_VNET_F_NEEDS_CSUM;
    p.vnet.gso_type = 1; /* VIRTIO_NET_HDR_GSO_TCPV4 */
    p.vnet.gso_size = 1448;
  }
  return p;
}

static void fill(struct batch *b, int kind) {
  for (int i = 0; i < HV_BATCH; i++) {
    int k = kind >= 0 ? kind : i % NKINDS; /* -1: the mix */
    b->pkts[i] = template_for(k);
    b->oob[i] = k == TAG_OOB;
  }
}

static volatile uint64_t sink;

static double run_once(struct batch *b, uint64_t n) {
  uint64_t acc = 0;
  double t0 = bench_now();
  for (uint64_t done = 0; done < n; done += HV_BATCH) {
    for (int i = 0; i < HV_BATCH; i++) {
      struct hv_pkt *p = &b->pkts[i];
      p->drop = 0;
      p->tagged = b->oob[i];
      acc += (uint64_t)hv_parse(p, 1500) + p->l3_off;
    }
  }
  double dt = bench_now() - t0;
  sink += acc;
  return dt;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000000ull;
  int reps = argc > 2 ? atoi(argv[2]) : 5;
  if (reps < 1 || reps > 100) reps = 5;
  n = (n + HV_BATCH - 1) / HV_BATCH * HV_BATCH;
  build_frames();
  static struct batch b;
  printf("# bench_parse: hv_parse() over batches of %d, %llu frames per run, %d runs\n", HV_BATCH,
         (unsigned long long)n, reps);
  printf("%-26s %14s %12s %12s\n", "case", "Mframes/s med", "best", "ns/frame med");
  for (int kind = -1; kind < NKINDS; kind++) {
    double t[100];
    fill(&b, kind);
    run_once(&b, n / 10); /* warm up */
    for (int r = 0; r < reps; r++) t[r] = run_once(&b, n);
    qsort(t, (size_t)reps, sizeof t[0], cmp_double);
    double med = t[reps / 2], best = t[0];
    printf("%-26s %14.1f %12.1f %12.2f\n", kind < 0 ? "mix of all cases" : kind_name[kind],
           (double)n / med / 1e6, (double)n / best / 1e6, med * 1e9 / (double)n);
  }
  return 0;
}
