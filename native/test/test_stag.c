/* IEEE 802.1ad S-tags (TPID 0x88a8) on a C-VLAN bridge (IEEE 802.1Q-2018
 * §6.9: a C-VLAN component recognizes C-TAGs, TPID 0x8100, only): a frame
 * whose outer tag is an S-tag is untagged payload of EtherType 0x88a8 on
 * every port type.  Memory and TAP ports see its bytes as sent; AF_PACKET
 * gets the tag stripped into aux data and hv_port_rx_vlan writes it back,
 * so all three hand the core the same frame.  On an access port it is
 * switched in the port's VLAN, byte for byte; on a trunk it is an untagged
 * frame: native VLAN, or dropped and counted without one.  Its S-VID is
 * never read as a C-VID. */
#include "harness.h"
#include "port.h"

static int a10, b10, c20, trn, tr;

/* An S-tag (S-VID `svid`) over a C-tag (C-VID `cvid`) over IPv4, as a QinQ provider sends. */
static uint32_t stag_frame(uint8_t *f, const uint8_t *dst, const uint8_t *src, uint16_t svid, uint16_t cvid) {
  uint32_t n = mk_frame(f, dst, src, cvid, 0x0800, 46); /* dst src 8100 cvid 0800 ... */
  memmove(f + 16, f + 12, n - 12);
  hv_wr16(f + 12, HV_ETHERTYPE_QINQ);
  hv_wr16(f + 14, svid);
  return n + 4;
}

/* The frame an access port hands over is forwarded as it came: same bytes, in the access VLAN. */
static void test_access_port(void) {
  uint8_t f[2048];
  uint32_t n = stag_frame(f, MAC_BCAST, MAC_A, 20, 20);
  inject(a10, f, n);
  CHECK_EQ(pop(b10), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  /* VLAN 10 leaves the trunk with native 10 untagged, the trunk without native tagged 10 */
  CHECK_EQ(pop(trn), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(pop(tr), (int)n + 4);
  CHECK_EQ(out[12], 0x81);
  CHECK_EQ(out[15], 10);
  CHECK(memcmp(out + 16, f + 12, n - 12) == 0);
  /* S-VID 20 and C-VID 20 did not put it in VLAN 20 */
  CHECK_EQ(pop(c20), 0);
  CHECK_EQ(ctr(a10, HV_CTR_drop_vlan_not_allowed), 0);
  CHECK_EQ(ctr(a10, HV_CTR_drop_bad_vlan_header), 0);
}

/* On a trunk it is untagged: native VLAN if there is one, else dropped and counted. */
static void test_trunk_ports(void) {
  uint8_t f[2048];
  uint32_t n = stag_frame(f, MAC_BCAST, MAC_B, 20, 20);
  inject(trn, f, n);
  CHECK_EQ(pop(a10), (int)n);
  CHECK(memcmp(out, f, n) == 0);
  CHECK_EQ(pop(b10), (int)n);
  CHECK_EQ(pop(c20), 0);
  CHECK_EQ(drain(tr), 1); /* native 10 of trn is VLAN 10 on tr: tagged, as above */

  inject(tr, f, n);
  CHECK_EQ(ctr(tr, HV_CTR_drop_vlan_not_allowed), 1);
  CHECK_EQ(pop(a10) + pop(b10) + pop(c20) + pop(trn), 0);
}

/* AF_PACKET's stripped tag: a C-tag goes to the metadata, an S-tag back into the frame. */
static void test_rx_vlan(void) {
  uint8_t want[2048], buf[2048 + 16];
  uint32_t n = stag_frame(want, MAC_C, MAC_A, 300, 20);
  /* what the kernel delivers: the S-tag removed, reported as tci 300 / tpid 0x88a8 */
  uint8_t *data = buf + 16;
  memcpy(data, want, 12);
  memcpy(data + 12, want + 16, n - 16);
  struct hv_pkt p;
  memset(&p, 0, sizeof p);
  p.data = data;
  p.len = n - 4;
  p.has_vnet = 1;
  p.vnet.flags = HV_VNET_F_NEEDS_CSUM;
  p.vnet.csum_start = 18 + 20; /* after Ethernet + C-tag + IPv4 as delivered */
  p.vnet.gso_type = 1;
  p.vnet.hdr_len = 18 + 20 + 8;
  hv_port_rx_vlan(&p, 300, HV_ETHERTYPE_QINQ);
  CHECK_EQ(p.tagged, 0);
  CHECK_EQ(p.len, n);
  CHECK(p.data == data - 4);
  CHECK(memcmp(p.data, want, n) == 0);
  CHECK_EQ(p.vnet.csum_start, 18 + 20 + 4);
  CHECK_EQ(p.vnet.hdr_len, 18 + 20 + 8 + 4);

  /* a C-tag (tpid 0x8100, or not reported by an older kernel) is the out-of-band tag */
  for (int k = 0; k < 2; k++) {
    memset(&p, 0, sizeof p);
    p.data = data;
    p.len = 60;
    hv_port_rx_vlan(&p, 0x2014, k ? HV_ETHERTYPE_VLAN : 0);
    CHECK_EQ(p.tagged, 1);
    CHECK_EQ(p.tci, 0x2014);
    CHECK(p.data == data);
    CHECK_EQ(p.len, 60);
  }
}

int main(void) {
  harness_core(1, 0);
  char err[256];
  CHECK_EQ(hv_core_bd_add(core, 0, 1024, err, sizeof err), 0);
  a10 = add_l2_port("a10", HV_MODE_ACCESS, 10, NULL);
  b10 = add_l2_port("b10", HV_MODE_ACCESS, 10, NULL);
  c20 = add_l2_port("c20", HV_MODE_ACCESS, 20, NULL);
  const int allowed[] = {10, 20, 0};
  trn = add_l2_port("trn", HV_MODE_TRUNK, 10 /* native */, allowed);
  tr = add_l2_port("tr", HV_MODE_TRUNK, 0 /* no native VLAN */, allowed);
  CHECK(a10 >= 0 && b10 >= 0 && c20 >= 0 && trn >= 0 && tr >= 0);
  test_access_port();
  test_trunk_ports();
  test_rx_vlan();
  hv_core_destroy(core);
  return tap_done();
}
