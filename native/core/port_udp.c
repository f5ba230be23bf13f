/* UDP underlay backend (HV_PORT_UDP): the VXLAN underlay through the host's
 * own IP stack (vxlan.h).
 *
 * Receive: a UDP socket bound to the local VTEP address and the VXLAN port
 * (4789 unless told otherwise), read with recvmmsg(); each datagram is the
 * UDP payload (VXLAN header + inner frame) and its source address goes into
 * the packet's outer metadata for the decapsulation stage.  The kernel does
 * what a NIC would: checks the outer IP/UDP headers and checksums, reassembles
 * fragments, and leaves every other datagram of the host where it belongs.
 *
 * Transmit: a raw IP socket of protocol IPPROTO_RAW (header included, send
 * only: it receives nothing, so it costs the host's traffic nothing) sends
 * the outer IP/UDP/VXLAN header the encapsulation stage built, followed by the
 * inner frame, as one iovec per datagram in sendmmsg() batches.  The kernel
 * routes each datagram and resolves the next hop with the host's tables, like
 * any locally sent packet; DF is in our IPv4 header, and a datagram above the
 * route's MTU is refused by the kernel (counted as a tx error; frames above the
 * port's configured MTU are counted earlier, drop_underlay_mtu).
 *
 * Why sockets and not a raw uplink (AF_PACKET/AF_XDP with our own ARP/ND):
 * the host's routing, neighbor resolution, bonding and firewalling keep
 * working for the underlay unchanged, and the uplink stays the host's.  The
 * price is a copy per datagram each way and no GSO over the tunnel (frames
 * are segmented before encapsulation, gso.h). */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "port.h"
#include "vxlan.h"

#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL 36
#endif

struct port_udp {
  struct hv_port p; /* p.fd: the UDP receive socket */
  int tx;           /* the raw send socket */
  uint8_t af;
};

static int udp_rx_burst(struct hv_port *hp, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size) {
  struct port_udp *u = (struct port_udp *)hp;
  struct mmsghdr msgs[HV_BATCH];
  struct iovec iov[HV_BATCH];
  struct sockaddr_storage from[HV_BATCH];
  if (max > HV_BATCH) max = HV_BATCH;
  hv_mmsg_rx_init(msgs, iov, bufs, buf_size, max);
  for (int i = 0; i < max; i++) {
    msgs[i].msg_hdr.msg_name = &from[i];
    msgs[i].msg_hdr.msg_namelen = sizeof from[i];
  }
  int r = recvmmsg(hp->fd, msgs, (unsigned)max, MSG_DONTWAIT, NULL);
  if (r <= 0) return 0;
  for (int i = 0; i < r; i++) {
    struct hv_pkt *pkt = &pkts[i];
    memset(pkt, 0, sizeof *pkt);
    pkt->data = iov[i].iov_base;
    pkt->len = msgs[i].msg_len > buf_size ? buf_size : msgs[i].msg_len;
    if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) pkt->drop = HV_CTR_drop_truncated;
    if (u->af == 4) {
      const struct sockaddr_in *s = (const struct sockaddr_in *)&from[i];
      pkt->outer_af = 4;
      memcpy(pkt->outer_src, &s->sin_addr, 4);
    } else {
      const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)&from[i];
      pkt->outer_af = 6;
      memcpy(pkt->outer_src, &s->sin6_addr, 16);
    }
  }
  return r;
}

static void udp_rx_done(struct hv_port *p) { (void)p; }

/* The destination of a datagram: the outer header's destination address. */
static unsigned dest_of(const void *ctx, const struct hv_txreq *r, struct sockaddr_storage *to) {
  const struct port_udp *u = ctx;
  memset(to, 0, sizeof *to);
  if (r->outer_len < (u->af == 4 ? 20 : 40)) return 0; /* no outer IP header: refused by the kernel, skipped */
  if (u->af == 4) {
    struct sockaddr_in *s = (struct sockaddr_in *)to;
    s->sin_family = AF_INET;
    memcpy(&s->sin_addr, r->outer + 16, 4);
    return sizeof *s;
  }
  struct sockaddr_in6 *s = (struct sockaddr_in6 *)to;
  s->sin6_family = AF_INET6;
  memcpy(&s->sin6_addr, r->outer + 24, 16);
  return sizeof *s;
}

static int udp_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  const struct port_udp *u = (const struct port_udp *)hp;
  return hv_tx_sendmmsg(u->tx, reqs, n, 0, dest_of, u);
}

static void udp_close(struct hv_port *hp) {
  struct port_udp *u = (struct port_udp *)hp;
  close(hp->fd);
  close(u->tx);
  free(u);
}

static const struct hv_port_ops udp_ops = {udp_rx_burst, udp_rx_done, udp_tx_burst, udp_close, NULL};

/* Opens the receive socket bound to (local, port). */
static int open_rx(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  int af = pp->af == 4 ? AF_INET : AF_INET6, one = 1, buf = 4 << 20;
  int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return snprintf(err, errlen, "underlay %s: socket: %s", pp->name, strerror(errno)), -1;
  if (af == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  struct sockaddr_storage sa;
  memset(&sa, 0, sizeof sa);
  uint16_t port = htons(pp->udp_port ? pp->udp_port : HV_VXLAN_PORT);
  socklen_t salen;
  if (af == AF_INET) {
    struct sockaddr_in *s = (struct sockaddr_in *)&sa;
    s->sin_family = AF_INET;
    s->sin_port = port;
    memcpy(&s->sin_addr, pp->local, 4);
    salen = sizeof *s;
  } else {
    struct sockaddr_in6 *s = (struct sockaddr_in6 *)&sa;
    s->sin6_family = AF_INET6;
    s->sin6_port = port;
    memcpy(&s->sin6_addr, pp->local, 16);
    salen = sizeof *s;
  }
  if (bind(fd, (struct sockaddr *)&sa, salen) < 0) {
    snprintf(err, errlen, "underlay %s: bind to the local VTEP address, UDP port %u: %s", pp->name,
             ntohs(port), strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

struct hv_port *hv_port_udp_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  if (pp->af != 4 && pp->af != 6) return snprintf(err, errlen, "underlay %s: af %u is not 4 or 6", pp->name, pp->af), NULL;
  struct port_udp *u = calloc(1, sizeof *u);
  if (!u) return snprintf(err, errlen, "out of memory"), NULL;
  u->af = pp->af;
  u->p.fd = open_rx(pp, err, errlen);
  if (u->p.fd < 0) {
    free(u);
    return NULL;
  }
  int af = pp->af == 4 ? AF_INET : AF_INET6, one = 1;
  u->tx = socket(af, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
  if (u->tx < 0 || (af == AF_INET6 && setsockopt(u->tx, IPPROTO_IPV6, IPV6_HDRINCL, &one, sizeof one) < 0)) {
    snprintf(err, errlen, "underlay %s: raw send socket: %s", pp->name, strerror(errno));
    if (u->tx >= 0) close(u->tx);
    close(u->p.fd);
    free(u);
    return NULL;
  }
  u->p.fd2 = -1;
  u->p.ops = &udp_ops;
  u->p.kind = HV_PORT_UDP;
  u->p.mtu = pp->mtu ? pp->mtu : 1500;
  snprintf(u->p.name, sizeof u->p.name, "%s", pp->name);
  return &u->p;
}
