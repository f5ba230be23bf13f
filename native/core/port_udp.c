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
 * Transmit: a pool of UDP sockets bound to the local VTEP address (ephemeral
 * ports: the pool is the source-port entropy, a flow always takes the socket
 * its inner-flow hash picks) sends the UDP payloads — VXLAN header + inner
 * frame — in sendmmsg() batches; the kernel builds IP/UDP, routes and
 * resolves the next hop with the host's tables, computes the UDP checksum.
 * A TCP GSO frame goes as one UDP GSO send (UDP_SEGMENT): the encapsulation
 * stage lays its segments out as a run of equal-sized payloads, each with its
 * VXLAN header, and the kernel (or the NIC) cuts the datagrams.  Don't-fragment
 * is set (IP_PMTUDISC_DO / IPV6_DONTFRAG): a datagram above the route's MTU is
 * refused (a tx error); above the port's configured MTU it is counted earlier,
 * drop_underlay_mtu.
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

#include <netinet/udp.h>
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef SOL_UDP
#define SOL_UDP 17
#endif

#define TX_POOL 8 /* send sockets: source ports */

struct port_udp {
  struct hv_port p; /* p.fd: the UDP receive socket */
  int tx[TX_POOL];  /* send sockets, bound to the VTEP address */
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
static socklen_t dest_of(const struct port_udp *u, const struct hv_txreq *r, struct sockaddr_storage *to) {
  memset(to, 0, sizeof *to);
  if (u->af == 4) {
    struct sockaddr_in *s = (struct sockaddr_in *)to;
    s->sin_family = AF_INET;
    s->sin_port = htons(HV_VXLAN_PORT);
    memcpy(&s->sin_addr, r->outer + 16, 4);
    return sizeof *s;
  }
  struct sockaddr_in6 *s = (struct sockaddr_in6 *)to;
  s->sin6_family = AF_INET6;
  s->sin6_port = htons(HV_VXLAN_PORT);
  memcpy(&s->sin6_addr, r->outer + 24, 16);
  return sizeof *s;
}

union seg_cmsg {
  struct cmsghdr hdr;
  uint8_t buf[CMSG_SPACE(sizeof(uint16_t))];
};

/* Builds message `m` for request `r`: the UDP payload (the iovec past the
 * outer IP/UDP header), its destination, UDP_SEGMENT for a run.  Returns the
 * socket it goes out of, or -1 if the request has no outer IP/UDP header. */
static int build(const struct port_udp *u, const struct hv_txreq *r, struct mmsghdr *m, struct iovec *iov,
                 uint8_t *hdr, uint8_t *tag, struct sockaddr_storage *to, union seg_cmsg *c) {
  uint32_t l4 = u->af == 4 ? 20 : 40, skip = l4 + 8, len;
  if (r->outer_len < skip) return -1;
  int cnt = hv_tx_iov(r, 0, hdr, tag, iov, &len);
  if (!cnt) return -1;
  iov[0].iov_base = (uint8_t *)iov[0].iov_base + skip; /* iov[0] is the outer header */
  iov[0].iov_len -= skip;
  memset(m, 0, sizeof *m);
  m->msg_hdr.msg_iov = iov;
  m->msg_hdr.msg_iovlen = (size_t)cnt;
  m->msg_hdr.msg_name = to;
  m->msg_hdr.msg_namelen = dest_of(u, r, to);
  if (r->gso_size) {
    memset(c, 0, sizeof *c);
    m->msg_hdr.msg_control = c->buf;
    m->msg_hdr.msg_controllen = sizeof c->buf;
    struct cmsghdr *h = CMSG_FIRSTHDR(&m->msg_hdr);
    h->cmsg_level = SOL_UDP;
    h->cmsg_type = UDP_SEGMENT;
    h->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    memcpy(CMSG_DATA(h), &r->gso_size, sizeof(uint16_t));
  }
  uint16_t sport = (uint16_t)(r->outer[l4] << 8 | r->outer[l4 + 1]);
  return u->tx[sport % TX_POOL];
}

/* Sends requests in batches of consecutive requests for the same socket; a
 * request the kernel refuses is skipped, a full queue ends the burst. */
static int udp_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  const struct port_udp *u = (const struct port_udp *)hp;
  struct mmsghdr msgs[HV_BATCH];
  struct iovec iov[HV_BATCH][HV_TX_IOV_MAX];
  struct sockaddr_storage to[HV_BATCH];
  union seg_cmsg cm[HV_BATCH];
  uint8_t hdr[HV_BATCH][HV_VNET_HDR_LEN], tag[HV_BATCH][HV_VLAN_HLEN];
  int sent = 0, i = 0;
  while (i < n) {
    int m = 0, fd = -1;
    for (; i < n && m < HV_BATCH; i++) {
      int f = build(u, &reqs[i], &msgs[m], iov[m], hdr[m], tag[m], &to[m], &cm[m]);
      if (f < 0) continue; /* not a datagram: skipped (a tx error) */
      if (fd >= 0 && f != fd) break;
      fd = f;
      m++;
    }
    int done = 0;
    while (done < m) {
      int r = sendmmsg(fd, msgs + done, (unsigned)(m - done), MSG_DONTWAIT);
      if (r < 0) {
        if (errno == EAGAIN || errno == ENOBUFS) return sent; /* the rest are drops */
        done++; /* refused (EMSGSIZE above the route MTU, no route): skipped */
        continue;
      }
      done += r;
      sent += r;
    }
  }
  return sent;
}

static void udp_close(struct hv_port *hp) {
  struct port_udp *u = (struct port_udp *)hp;
  close(hp->fd);
  for (int i = 0; i < TX_POOL; i++)
    if (u->tx[i] >= 0) close(u->tx[i]);
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

/* A send socket: bound to the VTEP address and an ephemeral port, don't fragment. */
static int open_tx(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  int af = pp->af == 4 ? AF_INET : AF_INET6, on = 1, pmtu = IP_PMTUDISC_DO, buf = 8 << 20;
  int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return snprintf(err, errlen, "underlay %s: send socket: %s", pp->name, strerror(errno)), -1;
  if (af == AF_INET) setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
  else setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &on, sizeof on);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf) < 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  struct sockaddr_storage sa;
  memset(&sa, 0, sizeof sa);
  socklen_t salen;
  if (af == AF_INET) {
    struct sockaddr_in *s = (struct sockaddr_in *)&sa;
    s->sin_family = AF_INET;
    memcpy(&s->sin_addr, pp->local, 4);
    salen = sizeof *s;
  } else {
    struct sockaddr_in6 *s = (struct sockaddr_in6 *)&sa;
    s->sin6_family = AF_INET6;
    memcpy(&s->sin6_addr, pp->local, 16);
    salen = sizeof *s;
  }
  /* RFC 7348 §5: source ports from the dynamic range 49152-65535 */
  int rc = -1;
  for (int tries = 0; tries < 64 && rc < 0; tries++) {
    uint16_t port = htons((uint16_t)(49152 + (uint32_t)rand() % 16384));
    if (af == AF_INET) ((struct sockaddr_in *)&sa)->sin_port = port;
    else ((struct sockaddr_in6 *)&sa)->sin6_port = port;
    rc = bind(fd, (struct sockaddr *)&sa, salen);
    if (rc < 0 && errno != EADDRINUSE) break;
  }
  if (rc < 0) {
    snprintf(err, errlen, "underlay %s: bind a send socket to the local VTEP address: %s", pp->name, strerror(errno));
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
  for (int i = 0; i < TX_POOL; i++) u->tx[i] = -1;
  for (int i = 0; i < TX_POOL; i++)
    if ((u->tx[i] = open_tx(pp, err, errlen)) < 0) {
      udp_close(&u->p);
      return NULL;
    }
  u->p.fd2 = -1;
  u->p.ops = &udp_ops;
  u->p.kind = HV_PORT_UDP;
  u->p.udp_gso = 1;
  u->p.mtu = pp->mtu ? pp->mtu : 1500;
  snprintf(u->p.name, sizeof u->p.name, "%s", pp->name);
  return &u->p;
}
