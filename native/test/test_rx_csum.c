/* Recovering a partial checksum from the frame alone (rx_csum.h), as an
 * AF_XDP port does: TCP and UDP over IPv4 and IPv6, untagged, C-tagged and
 * QinQ; a partial checksum is marked NEEDS_CSUM with the right offsets, and
 * completing it (hv_csum_complete) gives the checksum computed independently;
 * a complete checksum, a frame whose full checksum happens to equal the
 * pseudo-header sum, fragments, other protocols and truncated frames are left
 * alone. */
#include <string.h>

#include "csum.h"
#include "gso.h"
#include "rx_csum.h"
#include "tap.h"

static uint8_t frame[2048];

/* Builds Ethernet [+ tags] + IP + TCP/UDP with `payload` bytes; the L4
 * checksum field is left as the folded pseudo-header sum (partial) and the
 * complete checksum returned in *full.  Returns the frame length; *l4 the L4
 * offset. */
static uint32_t mk(int v6, int tags, uint8_t proto, uint32_t payload, uint16_t *full, uint32_t *l4) {
  uint32_t o = 12;
  memcpy(frame, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
  for (int t = 0; t < tags; t++) {
    hv_wr16(frame + o, t == 0 && tags == 2 ? 0x88a8 : 0x8100);
    hv_wr16(frame + o + 2, (uint16_t)(100 + t));
    o += 4;
  }
  hv_wr16(frame + o, v6 ? 0x86dd : 0x0800);
  uint32_t l3 = o + 2, hl = proto == 6 ? 20 : 8, len4 = hl + payload;
  uint8_t *ip = frame + l3;
  uint32_t sum;
  *l4 = l3 + (v6 ? 40 : 20);
  memset(ip, 0, *l4 - l3 + hl);
  if (v6) {
    ip[0] = 0x60;
    hv_wr16(ip + 4, (uint16_t)len4);
    ip[6] = proto;
    ip[7] = 64;
    for (int i = 0; i < 32; i++) ip[8 + i] = (uint8_t)(0x20 + i * 7);
    sum = hv_csum_add(0, ip + 8, 32) + proto + len4;
  } else {
    ip[0] = 0x45;
    hv_wr16(ip + 2, (uint16_t)(20 + len4));
    ip[8] = 64;
    ip[9] = proto;
    memcpy(ip + 12, "\x0a\x01\x00\x02\x0a\x01\x00\x03", 8);
    hv_wr16(ip + 10, hv_csum_fold(hv_csum_add(0, ip, 20)));
    sum = hv_csum_add(0, ip + 12, 8) + proto + len4;
  }
  uint8_t *t = frame + *l4;
  hv_wr16(t, 40000);
  hv_wr16(t + 2, 5201);
  if (proto == 6) t[12] = 0x50, t[13] = 0x18;
  else hv_wr16(t + 4, (uint16_t)len4);
  for (uint32_t i = 0; i < payload; i++) t[hl + i] = (uint8_t)(i * 31 + 7);
  uint32_t field = proto == 6 ? 16 : 6;
  *full = hv_csum_fold(hv_csum_add(sum, t, len4));
  hv_wr16(t + field, (uint16_t)~hv_csum_fold(sum));
  return *l4 + len4;
}

static void check_partial(int v6, int tags, uint8_t proto, uint32_t payload) {
  uint16_t full;
  uint32_t l4, len = mk(v6, tags, proto, payload, &full, &l4);
  struct hv_pkt pkt;
  memset(&pkt, 0, sizeof pkt);
  pkt.data = frame;
  pkt.len = len;
  CHECK_EQ(hv_rx_csum_recover(&pkt), 1);
  CHECK_EQ(pkt.has_vnet, 1);
  CHECK_EQ(pkt.vnet.flags, HV_VNET_F_NEEDS_CSUM);
  CHECK_EQ(pkt.vnet.gso_type, HV_VNET_GSO_NONE);
  CHECK_EQ(pkt.vnet.csum_start, l4);
  CHECK_EQ(pkt.vnet.csum_offset, proto == 6 ? 16 : 6);
  CHECK_EQ(hv_csum_complete(frame, len, &pkt.vnet), HV_GSO_OK);
  CHECK_EQ(hv_rd16(frame + l4 + pkt.vnet.csum_offset), full);
  /* now complete: left alone */
  memset(&pkt, 0, sizeof pkt);
  pkt.data = frame;
  pkt.len = len;
  CHECK_EQ(hv_rx_csum_recover(&pkt), 0);
  CHECK_EQ(pkt.has_vnet, 0);
}

static int recover(uint32_t len) {
  struct hv_pkt pkt;
  memset(&pkt, 0, sizeof pkt);
  pkt.data = frame;
  pkt.len = len;
  return hv_rx_csum_recover(&pkt);
}

static void test_left_alone(void) {
  uint16_t full;
  uint32_t l4, len = mk(0, 0, 6, 100, &full, &l4);
  CHECK_EQ(recover(len - 1), 0); /* truncated below the IP total length */
  CHECK_EQ(recover(30), 0);
  len = mk(0, 0, 6, 100, &full, &l4);
  hv_wr16(frame + 14 + 6, 0x2000); /* IPv4 MF: a fragment */
  CHECK_EQ(recover(len), 0);
  len = mk(0, 0, 1, 100, &full, &l4); /* ICMP */
  CHECK_EQ(recover(len), 0);
  len = mk(0, 3, 6, 100, &full, &l4); /* three tags: not looked into */
  CHECK_EQ(recover(len), 0);
  /* A complete checksum that equals the pseudo-header sum: a payload word is
   * searched so that the frame verifies with the partial value in its field;
   * it verifies, so it is left alone. */
  len = mk(1, 0, 17, 64, &full, &l4);
  uint32_t pseudo = hv_csum_add(0, frame + 14 + 8, 32) + 17 + 72;
  int found = 0;
  for (uint32_t w = 0; w < 0x10000 && !found; w++) {
    hv_wr16(frame + l4 + 8, (uint16_t)w);
    found = hv_csum_fold(hv_csum_add(pseudo, frame + l4, 72)) == 0;
  }
  CHECK(found);
  CHECK_EQ(recover(len), 0);
}

int main(void) {
  for (int v6 = 0; v6 < 2; v6++)
    for (int tags = 0; tags < 3; tags++) {
      check_partial(v6, tags, 6, 1448);
      check_partial(v6, tags, 17, 18);
      check_partial(v6, tags, 17, 1); /* odd length */
    }
  test_left_alone();
  return tap_done();
}
