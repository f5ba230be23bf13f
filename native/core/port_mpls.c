/* MPLS underlay backend (HV_PORT_MPLS): MPLS over GRE and MPLS over UDP
 * through the host's own IP stack (mpls.h), on the local PE address.
 *
 * Sockets.  GRE: one raw IP socket of protocol 47 (SOCK_RAW, IPPROTO_GRE),
 * which Linux offers without any GRE device (the ip_gre module is not needed:
 * raw sockets get every protocol the host has no handler for, and a copy of
 * the others); it receives GRE datagrams to our address (IPv4: with their IP
 * header, IPv6: the payload) and sends GRE payloads, the kernel building the
 * outer IP header.  UDP: the VXLAN underlay's sockets (port_udp.c), opened
 * as a port of their own inside this one: one bound to port 6635 receives
 * with UDP_GRO (so the kernel checks UDP, never answers port unreachable, and
 * hands a run of datagrams from one sender over as one), and a pool of UDP
 * sockets bound to source ports of the dynamic range sends, the inner-flow
 * hash of the encapsulation (RFC 7510 §3) picking the socket: the entropy is
 * the pool's ports, as for VXLAN.  Consecutive datagrams of one size to one
 * PE from one socket (a burst of one flow, the segments of a TCP GSO frame)
 * go as one UDP GSO send: one trip through the host's UDP/IP stack, and
 * across a veth one skb to the peer's GRO socket, instead of one per
 * datagram.  (Before, a raw socket of protocol 17 sent our own UDP header
 * datagram by datagram: a route lookup and an skb each, and a copy of every
 * UDP datagram the host received, cloned to its queue and filtered away.)
 * Don't-fragment is set (IP_PMTUDISC_DO / IPV6_DONTFRAG).
 *
 * Receive: each socket the worker's poll found input on (hv_port.rx_idle), up
 * to a batch; a socket's drops are the kernel's count, read with the stats
 * (sock_drops, SO_MEMINFO).  Each datagram goes HEADROOM bytes into its buffer
 * so that decapsulation can put an Ethernet header in front of the inner
 * packet without a copy (a GRO datagram's later segments are copied into the
 * worker's buffers for that, port_udp.c).  Metadata: the outer family and
 * source and the protocol (47: the data starts at the GRE header, 17: at the
 * label); an IPv4 GRE datagram keeps its IP header and goes as a whole
 * datagram.
 *
 * Transmit: each request's outer header is [IP][UDP or GRE][label]; the IP
 * header is left to the kernel (the iovec starts past it; the encapsulation
 * does not compute its checksums for this port), a run of UDP requests goes
 * to the UDP port, GRE requests to the outer destination on the GRE socket,
 * consecutive ones in one sendmmsg(). */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mpls.h"
#include "port.h"

#define HEADROOM HV_MPLS_HEADROOM

struct port_mpls {
  struct hv_port p;    /* p.fd: the raw GRE socket; p.fd2: the UDP receive socket (udp's) */
  struct hv_port *udp; /* MPLS over UDP: a UDP underlay port (port_udp.c) */
  uint8_t af;
};

static void note_src(struct hv_pkt *pkt, uint8_t af, const struct sockaddr_storage *from) {
  pkt->outer_af = af;
  if (af == 4) memcpy(pkt->outer_src, &((const struct sockaddr_in *)from)->sin_addr, 4);
  else memcpy(pkt->outer_src, &((const struct sockaddr_in6 *)from)->sin6_addr, 16);
}

/* Receives up to `max` datagrams from `fd` into pkts/bufs; returns the count. */
static int rx_fd(struct port_mpls *m, int fd, uint8_t proto, struct hv_pkt *pkts, int max, uint8_t *bufs,
                 uint32_t buf_size) {
  struct mmsghdr msgs[HV_BATCH];
  struct iovec iov[HV_BATCH];
  struct sockaddr_storage from[HV_BATCH];
  for (int i = 0; i < max; i++) {
    iov[i] = (struct iovec){bufs + (size_t)i * buf_size + HEADROOM, buf_size - HEADROOM};
    memset(&msgs[i], 0, sizeof msgs[i]);
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
    msgs[i].msg_hdr.msg_name = &from[i];
    msgs[i].msg_hdr.msg_namelen = sizeof from[i];
  }
  int r = max > 0 ? recvmmsg(fd, msgs, (unsigned)max, MSG_DONTWAIT, NULL) : 0;
  if (r <= 0) return 0;
  for (int i = 0; i < r; i++) {
    struct hv_pkt *pkt = &pkts[i];
    memset(pkt, 0, sizeof *pkt);
    pkt->data = iov[i].iov_base;
    pkt->len = msgs[i].msg_len > buf_size - HEADROOM ? buf_size - HEADROOM : msgs[i].msg_len;
    if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) pkt->drop = HV_CTR_drop_truncated;
    if (proto == HV_PROTO_GRE && m->af == 4) continue; /* the whole datagram */
    note_src(pkt, m->af, &from[i]);
    pkt->outer_proto = proto;
  }
  return r;
}

/* Reads a socket only if the worker's poll found input on it (hv_port.rx_idle;
 * for UDP also if datagrams read before are still to be handed out), and not
 * again in the same loop once a read left it empty: an underlay that carries
 * MPLS over UDP only would otherwise cost a recvmmsg() on the GRE socket,
 * finding nothing, per burst. */
static int mpls_rx_burst(struct hv_port *hp, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size) {
  struct port_mpls *m = (struct port_mpls *)hp;
  if (max > HV_BATCH) max = HV_BATCH;
  int n = 0, k = 0;
  if (!(hp->rx_idle & 1) && (n = rx_fd(m, hp->fd, HV_PROTO_GRE, pkts, max, bufs, buf_size)) < max) hp->rx_idle |= 1;
  if (n < max && (!(hp->rx_idle & 2) || m->udp->ops->ready(m->udp))) {
    k = m->udp->ops->rx_burst(m->udp, pkts + n, max - n, bufs + (size_t)n * buf_size, buf_size);
    if (k < max - n && !m->udp->ops->ready(m->udp)) hp->rx_idle |= 2;
  }
  for (int i = n; i < n + k; i++) pkts[i].outer_proto = 17;
  return n + k;
}

static int mpls_ready(const struct hv_port *hp) {
  const struct port_mpls *m = (const struct port_mpls *)hp;
  return m->udp->ops->ready(m->udp);
}

static void mpls_rx_done(struct hv_port *p) { (void)p; }

/* The outer protocol of request `r` (17 or 47), 0 if it has no outer header of ours. */
static uint8_t proto_of(const struct port_mpls *m, const struct hv_txreq *r) {
  uint32_t l3 = m->af == 4 ? 20 : 40;
  if (r->outer_len < l3 + 8) return 0;
  uint8_t proto = m->af == 4 ? r->outer[9] : r->outer[6];
  return proto == 17 || proto == HV_PROTO_GRE ? proto : 0;
}

/* Builds message `mh` for GRE request `r` (the datagram past the outer IP
 * header, to the outer destination); returns 0, or -1 if it has no frame. */
static int build(const struct port_mpls *m, const struct hv_txreq *r, struct mmsghdr *mh, struct iovec *iov,
                 uint8_t *hdr, uint8_t *tag, struct sockaddr_storage *to) {
  uint32_t l3 = m->af == 4 ? 20 : 40, len;
  int cnt = hv_tx_iov(r, 0, hdr, tag, iov, &len);
  if (!cnt) return -1;
  iov[0].iov_base = (uint8_t *)iov[0].iov_base + l3; /* iov[0] is the outer header */
  iov[0].iov_len -= l3;
  memset(mh, 0, sizeof *mh);
  memset(to, 0, sizeof *to);
  mh->msg_hdr.msg_iov = iov;
  mh->msg_hdr.msg_iovlen = (size_t)cnt;
  mh->msg_hdr.msg_name = to;
  mh->msg_hdr.msg_namelen = hv_sockaddr(to, m->af, r->outer + (m->af == 4 ? 16 : 24), 0);
  return 0;
}

/* Sends GRE requests `reqs[0..n)` in sendmmsg() rounds; a request the kernel
 * refuses is skipped, a full queue ends the burst. */
static int gre_tx(const struct port_mpls *m, const struct hv_txreq *reqs, int n) {
  struct mmsghdr msgs[HV_BATCH];
  struct iovec iov[HV_BATCH][HV_TX_IOV_MAX];
  struct sockaddr_storage to[HV_BATCH];
  uint8_t hdr[HV_BATCH][HV_VNET_HDR_LEN], tag[HV_BATCH][HV_VLAN_HLEN];
  int sent = 0, i = 0;
  while (i < n) {
    int k = 0;
    for (; i < n && k < HV_BATCH; i++)
      if (build(m, &reqs[i], &msgs[k], iov[k], hdr[k], tag[k], &to[k]) == 0) k++;
    for (int done = 0; done < k;) {
      int r = sendmmsg(m->p.fd, msgs + done, (unsigned)(k - done), MSG_DONTWAIT);
      if (r < 0) {
        if (errno == EAGAIN || errno == ENOBUFS) return sent;
        done++; /* refused (EMSGSIZE above the route MTU, no route): skipped */
        continue;
      }
      done += r;
      sent += r;
    }
  }
  return sent;
}

/* Sends requests in runs of one protocol: UDP ones through the UDP port,
 * GRE ones on the GRE socket; a request of neither is a tx error. */
static int mpls_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  const struct port_mpls *m = (const struct port_mpls *)hp;
  int sent = 0;
  for (int i = 0; i < n;) {
    uint8_t proto = proto_of(m, &reqs[i]);
    int k = 1;
    while (i + k < n && proto_of(m, &reqs[i + k]) == proto) k++;
    if (proto == 17) sent += m->udp->ops->tx_burst(m->udp, reqs + i, k);
    else if (proto == HV_PROTO_GRE) sent += gre_tx(m, reqs + i, k);
    i += k;
  }
  return sent;
}

static void mpls_close(struct hv_port *hp) {
  struct port_mpls *m = (struct port_mpls *)hp;
  if (hp->fd >= 0) close(hp->fd);
  if (m->udp) m->udp->ops->close(m->udp);
  free(m);
}

/* The GRE socket's drops and the UDP port's (port.h, sock_drops). */
static uint64_t mpls_sock_drops(const struct hv_port *hp) {
  const struct port_mpls *m = (const struct port_mpls *)hp;
  return hv_sock_drops(hp->fd) + m->udp->ops->sock_drops(m->udp);
}

static const struct hv_port_ops mpls_ops = {mpls_rx_burst, mpls_rx_done, mpls_tx_burst, mpls_close, NULL, mpls_ready, mpls_sock_drops};

/* A socket of `type`/`proto` bound to (local, port), don't fragment. */
static int open_sock(const struct hv_port_open_params *pp, int type, int proto, uint16_t port, const char *what,
                     char *err, size_t errlen) {
  int af = pp->af == 4 ? AF_INET : AF_INET6, on = 1, pmtu = IP_PMTUDISC_DO, buf = HV_UNDERLAY_SOCKBUF;
  int fd = socket(af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  if (fd < 0) return snprintf(err, errlen, "underlay %s: %s socket: %s", pp->name, what, strerror(errno)), -1;
  if (af == AF_INET) setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
  else {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &on, sizeof on);
  }
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  struct sockaddr_storage sa;
  socklen_t salen = hv_sockaddr(&sa, pp->af, pp->local, port);
  if (bind(fd, (struct sockaddr *)&sa, salen) < 0) {
    snprintf(err, errlen, "underlay %s: bind the %s socket to the local PE address: %s", pp->name, what,
             strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

struct hv_port *hv_port_mpls_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  if (pp->af != 4 && pp->af != 6) return snprintf(err, errlen, "underlay %s: af %u is not 4 or 6", pp->name, pp->af), NULL;
  struct port_mpls *m = calloc(1, sizeof *m);
  if (!m) return snprintf(err, errlen, "out of memory"), NULL;
  m->af = pp->af;
  m->p.fd = m->p.fd2 = -1;
  struct hv_port_open_params up = *pp;
  up.kind = HV_PORT_UDP;
  up.udp_port = pp->udp_port ? pp->udp_port : HV_MPLS_UDP_PORT;
  up.rx_headroom = HEADROOM;
  if ((m->p.fd = open_sock(pp, SOCK_RAW, IPPROTO_GRE, 0, "GRE", err, errlen)) < 0 ||
      !(m->udp = hv_port_udp_open(&up, err, errlen))) {
    mpls_close(&m->p);
    return NULL;
  }
  m->p.fd2 = m->udp->fd;
  m->p.ops = &mpls_ops;
  m->p.kind = HV_PORT_MPLS;
  m->p.mpls = 1;
  m->p.mtu = pp->mtu ? pp->mtu : 1500;
  snprintf(m->p.name, sizeof m->p.name, "%s", pp->name);
  return &m->p;
}
