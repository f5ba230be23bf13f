/* Parser: IEEE 802.3 / 802.1Q header checks, each malformed case one test. */
#include "frames.h"
#include "parse.h"
#include "tap.h"

#include <stdlib.h>

static struct hv_pkt pkt_of(uint8_t *f, uint32_t len) {
  struct hv_pkt p;
  memset(&p, 0, sizeof p);
  p.data = f;
  p.len = len;
  return p;
}

int main(void) {
  uint8_t f[2048];
  uint32_t n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 46);
  struct hv_pkt p = pkt_of(f, n);
  CHECK_EQ(hv_parse(&p, 1500), 0);
  CHECK_EQ(p.ethertype, 0x0800);
  CHECK_EQ(p.l3_off, 14);
  CHECK_EQ(p.tagged, 0);

  /* 802.1Q §9.6: tag with PCP 5, VID 100 */
  n = mk_frame(f, MAC_B, MAC_A, 100, 0x86dd, 46);
  f[14] |= 0xa0;
  p = pkt_of(f, n);
  CHECK_EQ(hv_parse(&p, 1500), 0);
  CHECK_EQ(p.frame_vid, 100);
  CHECK_EQ(p.tci >> 13, 5);
  CHECK_EQ(p.ethertype, 0x86dd);
  CHECK_EQ(p.l3_off, 18);
  CHECK(p.tag_in_data);

  /* runt: 13 bytes cannot hold an Ethernet header */
  p = pkt_of(f, 13);
  CHECK_EQ(hv_parse(&p, 1500), HV_CTR_drop_runt);
  p = pkt_of(f, 0);
  CHECK_EQ(hv_parse(&p, 1500), HV_CTR_drop_runt);

  /* truncated 802.1Q: TPID present, TCI cut (15..17 bytes) */
  n = mk_frame(f, MAC_B, MAC_A, 10, 0x0800, 0);
  for (uint32_t len = 14; len < 18; len++) {
    p = pkt_of(f, len);
    CHECK_EQ(hv_parse(&p, 1500), HV_CTR_drop_bad_vlan_header);
  }
  /* a tag both out of band (stripped by the kernel) and in the data: QinQ we do not do */
  p = pkt_of(f, n);
  p.tagged = 1;
  p.tci = 20;
  CHECK_EQ(hv_parse(&p, 1500), HV_CTR_drop_bad_vlan_header);

  /* out-of-band tag recovered from tp_vlan_tci */
  n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 46);
  p = pkt_of(f, n);
  p.tagged = 1;
  p.tci = 0x2014;
  CHECK_EQ(hv_parse(&p, 1500), 0);
  CHECK_EQ(p.frame_vid, 20);
  CHECK_EQ(p.tag_in_data, 0);

  /* longer than the MTU: 1501 bytes of payload */
  n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 1501);
  p = pkt_of(f, n);
  CHECK_EQ(hv_parse(&p, 1500), HV_CTR_drop_too_long);
  /* the same with a tag is 1500 of L3: fine */
  n = mk_frame(f, MAC_B, MAC_A, 7, 0x0800, 1500);
  p = pkt_of(f, n);
  CHECK_EQ(hv_parse(&p, 1500), 0);
  /* GSO super-frames are exempt from the MTU */
  n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 1900);
  p = pkt_of(f, n);
  p.has_vnet = 1;
  p.vnet.gso_type = 1;
  CHECK_EQ(hv_parse(&p, 1500), 0);

  /* source MAC must be unicast and non-zero (802.3 §3.2.3) */
  n = mk_frame(f, MAC_B, MAC_BCAST, -1, 0x0800, 46);
  p = pkt_of(f, n);
  CHECK_EQ(hv_parse(&p, 1500), HV_CTR_drop_bad_src_mac);
  uint8_t zero[6] = {0};
  n = mk_frame(f, MAC_B, zero, -1, 0x0800, 46);
  p = pkt_of(f, n);
  CHECK_EQ(hv_parse(&p, 1500), HV_CTR_drop_bad_src_mac);

  /* a drop the port already decided (ring truncation) is kept */
  n = mk_frame(f, MAC_B, MAC_A, -1, 0x0800, 46);
  p = pkt_of(f, n);
  p.drop = HV_CTR_drop_truncated;
  CHECK_EQ(hv_parse(&p, 1500), HV_CTR_drop_truncated);

  /* every length from 0 to 64 of random-ish bytes: never reads past len (ASan) */
  for (uint32_t len = 0; len <= 64; len++) {
    uint8_t *heap = malloc(len ? len : 1);
    for (uint32_t i = 0; i < len; i++) heap[i] = (uint8_t)(i * 37 + 0x81);
    if (len > 13) { heap[12] = 0x81; heap[13] = 0x00; }
    p = pkt_of(heap, len);
    hv_parse(&p, 1500);
    free(heap);
  }
  CHECK(1);
  return tap_done();
}
