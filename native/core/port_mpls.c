/* MPLS underlay backend (HV_PORT_MPLS): MPLS over GRE and MPLS over UDP
 * through the host's own IP stack (mpls.h), on the local PE address.
 *
 * Sockets.  GRE: one raw IP socket of protocol 47 (SOCK_RAW, IPPROTO_GRE),
 * which Linux offers without any GRE device (the ip_gre module is not needed:
 * raw sockets get every protocol the host has no handler for, and a copy of
 * the others); it receives GRE datagrams to our address (IPv4: with their IP
 * header, IPv6: the payload) and sends GRE payloads, the kernel building the
 * outer IP header.  UDP: a UDP socket bound to port 6635 receives (so the
 * kernel checks UDP and never answers port unreachable), and a raw socket of
 * protocol 17 sends our own UDP header: the source port is the inner-flow
 * hash (RFC 7510 §3) packet by packet, not one of a few bound ports.  The raw
 * UDP socket would also get a copy of every UDP datagram to the host: a
 * classic BPF program that accepts nothing keeps its queue empty.
 * Don't-fragment is set (IP_PMTUDISC_DO / IPV6_DONTFRAG).
 *
 * Receive: both sockets, up to a batch, each datagram stored HEADROOM bytes
 * into its buffer so that decapsulation can put an Ethernet header in front of
 * the inner packet without a copy.  Metadata: the outer family and source and
 * the protocol (47: the data starts at the GRE header, 17: at the label); an
 * IPv4 GRE datagram keeps its IP header and goes as a whole datagram.
 *
 * Transmit: each request's outer header is [IP][UDP or GRE][label]; the IP
 * header is left to the kernel (the iovec starts past it), the datagram goes
 * to the outer destination on the socket of its protocol, consecutive
 * requests for one socket in one sendmmsg(). */
#include <errno.h>
#include <linux/filter.h>
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
  struct hv_port p; /* p.fd: the raw GRE socket; p.fd2: the UDP receive socket */
  int udp_tx;       /* raw UDP send socket */
  uint8_t af;
};

static void note_src(struct hv_pkt *pkt, uint8_t af, const struct sockaddr_storage *from) {
  pkt->outer_af = af;
  if (af == 4) memcpy(pkt->outer_src, &((const struct sockaddr_in *)from)->sin_addr, 4);
  else memcpy(pkt->outer_src, &((const struct sockaddr_in6 *)from)->sin6_addr, 16);
}

/* Receives up to `max` datagrams from `fd` into pkts/bufs; returns the count. */
static int rx_fd(const struct port_mpls *m, int fd, uint8_t proto, struct hv_pkt *pkts, int max, uint8_t *bufs,
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

static int mpls_rx_burst(struct hv_port *hp, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size) {
  const struct port_mpls *m = (const struct port_mpls *)hp;
  if (max > HV_BATCH) max = HV_BATCH;
  int n = rx_fd(m, hp->fd, HV_PROTO_GRE, pkts, max, bufs, buf_size);
  return n + rx_fd(m, hp->fd2, 17, pkts + n, max - n, bufs + (size_t)n * buf_size, buf_size);
}

static void mpls_rx_done(struct hv_port *p) { (void)p; }

/* Builds message `mh` for request `r` (the datagram past the outer IP header,
 * to the outer destination); returns its socket, or -1 if it has no outer
 * header of ours. */
static int build(const struct port_mpls *m, const struct hv_txreq *r, struct mmsghdr *mh, struct iovec *iov,
                 uint8_t *hdr, uint8_t *tag, struct sockaddr_storage *to) {
  uint32_t l3 = m->af == 4 ? 20 : 40, len;
  if (r->outer_len < l3 + 8) return -1;
  uint8_t proto = m->af == 4 ? r->outer[9] : r->outer[6];
  int cnt = hv_tx_iov(r, 0, hdr, tag, iov, &len);
  if (!cnt || (proto != 17 && proto != HV_PROTO_GRE)) return -1;
  iov[0].iov_base = (uint8_t *)iov[0].iov_base + l3; /* iov[0] is the outer header */
  iov[0].iov_len -= l3;
  memset(mh, 0, sizeof *mh);
  memset(to, 0, sizeof *to);
  mh->msg_hdr.msg_iov = iov;
  mh->msg_hdr.msg_iovlen = (size_t)cnt;
  mh->msg_hdr.msg_name = to;
  mh->msg_hdr.msg_namelen = hv_sockaddr(to, m->af, r->outer + (m->af == 4 ? 16 : 24), 0);
  return proto == 17 ? m->udp_tx : m->p.fd;
}

/* Sends requests in runs of consecutive requests for the same socket; a
 * request the kernel refuses is skipped, a full queue ends the burst. */
static int mpls_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  const struct port_mpls *m = (const struct port_mpls *)hp;
  struct mmsghdr msgs[HV_BATCH];
  struct iovec iov[HV_BATCH][HV_TX_IOV_MAX];
  struct sockaddr_storage to[HV_BATCH];
  uint8_t hdr[HV_BATCH][HV_VNET_HDR_LEN], tag[HV_BATCH][HV_VLAN_HLEN];
  int sent = 0, i = 0;
  while (i < n) {
    int k = 0, fd = -1;
    for (; i < n && k < HV_BATCH; i++) {
      int f = build(m, &reqs[i], &msgs[k], iov[k], hdr[k], tag[k], &to[k]);
      if (f < 0) continue; /* not ours: a tx error */
      if (fd >= 0 && f != fd) break;
      fd = f;
      k++;
    }
    int done = 0;
    while (done < k) {
      int r = sendmmsg(fd, msgs + done, (unsigned)(k - done), MSG_DONTWAIT);
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

static void mpls_close(struct hv_port *hp) {
  struct port_mpls *m = (struct port_mpls *)hp;
  if (hp->fd >= 0) close(hp->fd);
  if (hp->fd2 >= 0) close(hp->fd2);
  if (m->udp_tx >= 0) close(m->udp_tx);
  free(m);
}

static const struct hv_port_ops mpls_ops = {mpls_rx_burst, mpls_rx_done, mpls_tx_burst, mpls_close, NULL, NULL};

/* A socket of `type`/`proto` bound to (local, port), don't fragment. */
static int open_sock(const struct hv_port_open_params *pp, int type, int proto, uint16_t port, const char *what,
                     char *err, size_t errlen) {
  int af = pp->af == 4 ? AF_INET : AF_INET6, on = 1, pmtu = IP_PMTUDISC_DO, buf = 4 << 20;
  int fd = socket(af, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
  if (fd < 0) return snprintf(err, errlen, "underlay %s: %s socket: %s", pp->name, what, strerror(errno)), -1;
  if (af == AF_INET) setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
  else {
    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &on, sizeof on);
  }
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
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

/* Makes a send-only raw socket receive nothing (a filter that accepts no packet). */
static int drop_all(int fd) {
  struct sock_filter code[] = {{BPF_RET | BPF_K, 0, 0, 0}};
  struct sock_fprog prog = {.len = 1, .filter = code};
  return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
}

struct hv_port *hv_port_mpls_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  if (pp->af != 4 && pp->af != 6) return snprintf(err, errlen, "underlay %s: af %u is not 4 or 6", pp->name, pp->af), NULL;
  struct port_mpls *m = calloc(1, sizeof *m);
  if (!m) return snprintf(err, errlen, "out of memory"), NULL;
  m->af = pp->af;
  m->p.fd = m->p.fd2 = m->udp_tx = -1;
  if ((m->p.fd = open_sock(pp, SOCK_RAW, IPPROTO_GRE, 0, "GRE", err, errlen)) < 0 ||
      (m->p.fd2 = open_sock(pp, SOCK_DGRAM, 0, pp->udp_port ? pp->udp_port : HV_MPLS_UDP_PORT, "UDP", err, errlen)) < 0 ||
      (m->udp_tx = open_sock(pp, SOCK_RAW, IPPROTO_UDP, 0, "UDP send", err, errlen)) < 0) {
    mpls_close(&m->p);
    return NULL;
  }
  if (drop_all(m->udp_tx) < 0) {
    snprintf(err, errlen, "underlay %s: filter on the UDP send socket: %s", pp->name, strerror(errno));
    mpls_close(&m->p);
    return NULL;
  }
  m->p.ops = &mpls_ops;
  m->p.kind = HV_PORT_MPLS;
  m->p.mpls = 1;
  m->p.mtu = pp->mtu ? pp->mtu : 1500;
  snprintf(m->p.name, sizeof m->p.name, "%s", pp->name);
  return &m->p;
}
