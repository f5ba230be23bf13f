#include "port.h"

#include "bond.h"
#include "csum.h"

#include <errno.h>
#include <stdio.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/sock_diag.h>
#include <string.h>

/* AF_XDP where it attaches, else AF_PACKET on the same interface with the
 * reason kept in p->fallback (the controller logs it and shows it). */
static struct hv_port *afxdp_or_afpacket(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  char why[sizeof ((struct hv_port *)0)->fallback];
  struct hv_port *p = hv_port_afxdp_open(pp, why, sizeof why);
  if (p) return p;
  p = hv_port_afpacket_open(pp, err, errlen);
  if (p) snprintf(p->fallback, sizeof p->fallback, "%s", why);
  return p;
}

struct hv_port *hv_port_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  switch (pp->kind) {
    case HV_PORT_TAP: return hv_port_tap_open(pp, err, errlen);
    case HV_PORT_AFPACKET: return hv_port_afpacket_open(pp, err, errlen);
    case HV_PORT_MEMORY: return hv_port_mem_open(pp, err, errlen);
    case HV_PORT_UDP: return hv_port_udp_open(pp, err, errlen);
    case HV_PORT_MPLS: return hv_port_mpls_open(pp, err, errlen);
    case HV_PORT_BOND: return hv_port_bond_open(pp, err, errlen);
    case HV_PORT_AFXDP: return afxdp_or_afpacket(pp, err, errlen);
  }
  snprintf(err, errlen, "unknown port kind %d", (int)pp->kind);
  return NULL;
}

void hv_mmsg_rx_init(struct mmsghdr *msgs, struct iovec *iov, uint8_t *bufs, uint32_t buf_size, int n) {
  for (int i = 0; i < n; i++) {
    iov[i] = (struct iovec){bufs + (size_t)i * buf_size, buf_size};
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
}

int hv_tx_sendmmsg(int fd, const struct hv_txreq *reqs, int n, int with_vnet, hv_tx_dest_fn dest, const void *ctx) {
  struct mmsghdr msgs[HV_BATCH];
  struct iovec iov[HV_BATCH][HV_TX_IOV_MAX];
  struct sockaddr_storage to[HV_BATCH];
  uint8_t hdr[HV_BATCH][HV_VNET_HDR_LEN], tag[HV_BATCH][HV_VLAN_HLEN];
  int sent = 0, failed = 0;
  while (sent + failed < n) {
    int m = 0;
    for (int i = sent + failed; i < n && m < HV_BATCH; i++, m++) {
      uint32_t len;
      int cnt = hv_tx_iov(&reqs[i], with_vnet, hdr[m], tag[m], iov[m], &len);
      memset(&msgs[m], 0, sizeof msgs[m]);
      msgs[m].msg_hdr.msg_iov = iov[m];
      msgs[m].msg_hdr.msg_iovlen = (size_t)cnt;
      if (dest && cnt) {
        msgs[m].msg_hdr.msg_name = &to[m];
        msgs[m].msg_hdr.msg_namelen = dest(ctx, &reqs[i], &to[m]);
      }
    }
    int r = sendmmsg(fd, msgs, (unsigned)m, MSG_DONTWAIT);
    if (r < 0) {
      if (errno == EAGAIN || errno == ENOBUFS) break; /* queue full: the rest are drops */
      failed++; /* the kernel refused this one (a bad offload header, EMSGSIZE, no route): skip it */
      continue;
    }
    sent += r; /* a short count: the next one is retried, and skipped if it fails alone */
  }
  return sent;
}

void hv_port_close(struct hv_port *p) {
  if (p) p->ops->close(p);
}

void hv_port_rx_vlan(struct hv_pkt *pkt, uint16_t tci, uint16_t tpid) {
  if (tpid == 0 || tpid == HV_ETHERTYPE_VLAN) {
    pkt->tagged = 1;
    pkt->tci = tci;
    return;
  }
  if (pkt->len < 12) return; /* a runt: hv_parse drops it */
  uint8_t *d = pkt->data - HV_VLAN_HLEN;
  memmove(d, pkt->data, 12);
  d[12] = (uint8_t)(tpid >> 8);
  d[13] = (uint8_t)tpid;
  d[14] = (uint8_t)(tci >> 8);
  d[15] = (uint8_t)tci;
  pkt->data = d;
  pkt->len += HV_VLAN_HLEN;
  if (pkt->has_vnet && (pkt->vnet.flags & HV_VNET_F_NEEDS_CSUM)) pkt->vnet.csum_start = (uint16_t)(pkt->vnet.csum_start + HV_VLAN_HLEN);
  if (pkt->has_vnet && pkt->vnet.gso_type != HV_VNET_GSO_NONE && pkt->vnet.hdr_len) pkt->vnet.hdr_len = (uint16_t)(pkt->vnet.hdr_len + HV_VLAN_HLEN);
}

static inline uint16_t hv_tci_in_data(const uint8_t *d) { return (uint16_t)((d[14] << 8) | d[15]); }

static void put16le(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

int hv_tx_iov(const struct hv_txreq *r, int with_vnet, uint8_t *hdr, uint8_t *tag,
              struct iovec *iov, uint32_t *frame_len) {
  const struct hv_pkt *pkt = r->pkt;
  int n = 0;
  int delta = 0; /* bytes the tag rewrite adds (+4) or removes (-4) before L3 */
  uint8_t *d = pkt->data;
  uint32_t rest_off;
  if (r->out_tci) {
    tag[0] = HV_ETHERTYPE_VLAN >> 8;
    tag[1] = HV_ETHERTYPE_VLAN & 0xff;
    tag[2] = (uint8_t)(r->out_tci >> 8);
    tag[3] = (uint8_t)r->out_tci;
    delta = pkt->tag_in_data ? 0 : HV_VLAN_HLEN;
    rest_off = pkt->tag_in_data ? 16 : 12;
  } else {
    delta = pkt->tag_in_data ? -HV_VLAN_HLEN : 0;
    rest_off = pkt->tag_in_data ? 16 : 12;
  }
  if (pkt->len < rest_off) return 0;
  int shift = delta + r->outer_len; /* vnet offsets count from the first byte sent */
  if (with_vnet) {
    struct hv_vnet_hdr v = pkt->has_vnet ? pkt->vnet : (struct hv_vnet_hdr){0};
    hdr[0] = v.flags;
    hdr[1] = v.gso_type;
    put16le(hdr + 2, v.hdr_len ? (uint16_t)(v.hdr_len + shift) : 0);
    put16le(hdr + 4, v.gso_size);
    put16le(hdr + 6, (v.flags & HV_VNET_F_NEEDS_CSUM) ? (uint16_t)(v.csum_start + shift) : v.csum_start);
    put16le(hdr + 8, v.csum_offset);
    iov[n++] = (struct iovec){hdr, HV_VNET_HDR_LEN};
  }
  if (r->outer_len) iov[n++] = (struct iovec){(void *)r->outer, r->outer_len};
  if (delta == 0 && (!pkt->tag_in_data || hv_tci_in_data(d) == r->out_tci)) {
    iov[n++] = (struct iovec){d, pkt->len}; /* the frame leaves as it came */
  } else {
    iov[n++] = (struct iovec){d, 12};
    if (r->out_tci) iov[n++] = (struct iovec){tag, HV_VLAN_HLEN};
    iov[n++] = (struct iovec){d + rest_off, pkt->len - rest_off};
  }
  *frame_len = (uint32_t)((int)pkt->len + delta + r->outer_len);
  return n;
}

unsigned hv_sockaddr(struct sockaddr_storage *sa, uint8_t af, const uint8_t *addr, uint16_t port) {
  memset(sa, 0, sizeof *sa);
  if (af == 4) {
    struct sockaddr_in *s = (struct sockaddr_in *)sa;
    s->sin_family = AF_INET;
    s->sin_port = htons(port);
    memcpy(&s->sin_addr, addr, 4);
    return sizeof *s;
  }
  struct sockaddr_in6 *s = (struct sockaddr_in6 *)sa;
  s->sin6_family = AF_INET6;
  s->sin6_port = htons(port);
  memcpy(&s->sin6_addr, addr, 16);
  return sizeof *s;
}

uint32_t hv_udp_run_header(const struct hv_txreq *r, uint32_t chunk, uint8_t *h) {
  uint32_t l4 = (r->outer[0] >> 4) == 4 ? 20 : 40;
  memcpy(h, r->outer, l4 + 8);
  hv_wr16(h + l4 + 4, (uint16_t)(8 + chunk));
  if (l4 == 20) {
    hv_wr16(h + 2, (uint16_t)(28 + chunk));
    hv_wr16(h + 10, 0);
    hv_wr16(h + 10, hv_csum_fold(hv_csum_add(0, h, 20)));
  } else {
    hv_wr16(h + 4, (uint16_t)(8 + chunk));
  }
  return l4 + 8;
}

uint64_t hv_sock_drops(int fd) {
  uint32_t mi[SK_MEMINFO_VARS] = {0};
  socklen_t len = sizeof mi;
  if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_MEMINFO, mi, &len) < 0 || len <= SK_MEMINFO_DROPS * sizeof mi[0]) return 0;
  return mi[SK_MEMINFO_DROPS];
}
