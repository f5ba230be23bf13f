/* Stage: l3_ingress.  Checks what an L3 port received before anything acts on
 * it, and marks the rest dropped with its reason:
 *  - a VM port (l3.h) accepts only the VM's source MAC, and IPv4/IPv6 sources
 *    among its configured addresses (IPv6 link-local and unspecified sources
 *    pass: ND and DAD need them); ARP senders are checked by arp_nd.c;
 *  - IPv4: version, IHL, total length within the frame (GSO frames exempt),
 *    header checksum (RFC 1812 §5.2.2); IPv6: version and a whole fixed header;
 *  - anything but IPv4, IPv6 and ARP is dropped (drop_not_ip). */
#include <string.h>

#include "csum.h"
#include "l3_int.h"

static inline void drop(struct hv_worker *w, uint16_t in, struct hv_pkt *p, uint8_t reason) {
  p->drop = reason;
  hv_ctr_add(&w->ctr[in].v[reason], 1);
}

/* Returns the drop reason for an IPv4 packet, 0 if it may be forwarded. */
static uint8_t check4(const struct hv_port_cfg *pc, const struct hv_pkt *p) {
  const uint8_t *ip = p->data + p->l3_off;
  uint32_t avail = p->len - p->l3_off;
  if (avail < 20) return HV_CTR_drop_bad_ip_header;
  uint32_t ihl = (uint32_t)(ip[0] & 15) * 4;
  if ((ip[0] >> 4) != 4 || ihl < 20 || ihl > avail || hv_rd16(ip + 2) < ihl ||
      (hv_rd16(ip + 2) > avail && !(p->has_vnet && p->vnet.gso_type)) ||
      hv_csum_fold(hv_csum_add(0, ip, ihl)) != 0)
    return HV_CTR_drop_bad_ip_header;
  if (!hv_port_is_vm(pc)) return 0;
  for (int k = 0; k < pc->l3.nvm4; k++)
    if (hv_rd32(ip + 12) == pc->l3.vm4[k]) return 0;
  return HV_CTR_drop_spoofed;
}

static uint8_t check6(const struct hv_port_cfg *pc, const struct hv_pkt *p) {
  const uint8_t *ip = p->data + p->l3_off;
  if (p->len - p->l3_off < 40 || (ip[0] >> 4) != 6) return HV_CTR_drop_bad_ip_header;
  static const uint8_t unspec[16];
  int link_local_src = ip[8] == 0xfe && (ip[9] & 0xc0) == 0x80;
  if (!hv_port_is_vm(pc) || link_local_src || memcmp(ip + 8, unspec, 16) == 0) return 0;
  for (int k = 0; k < pc->l3.nvm6; k++)
    if (memcmp(ip + 8, pc->l3.vm6[k], 16) == 0) return 0;
  return HV_CTR_drop_spoofed;
}

void hv_stage_l3_ingress(struct hv_batch *b) {
  const struct hv_port_cfg *pc = b->pc;
  for (int i = 0; i < b->n; i++) {
    struct hv_pkt *p = &b->pkts[i];
    if (p->drop) continue;
    uint8_t reason = 0;
    if (hv_port_is_vm(pc) && memcmp(p->data + 6, pc->l3.vm_mac, 6) != 0) reason = HV_CTR_drop_spoofed;
    else if (p->ethertype == ET_IP4) reason = check4(pc, p);
    else if (p->ethertype == ET_IP6) reason = check6(pc, p);
    else if (p->ethertype != ET_ARP) reason = HV_CTR_drop_not_ip;
    if (reason) drop(b->w, b->in, p, reason);
  }
}
