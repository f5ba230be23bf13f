/* UDP underlay backend (HV_PORT_UDP): the VXLAN underlay through the host's
 * own IP stack (vxlan.h).
 *
 * Receive: a UDP socket bound to the local VTEP address and the VXLAN port
 * (4789 unless told otherwise), read with recvmmsg(); each datagram is the
 * UDP payload (VXLAN header + inner frame) and its source address goes into
 * the packet's outer metadata for the decapsulation stage.  The socket has
 * UDP_GRO on: a run of datagrams from one sender that the kernel kept
 * together (a peer's UDP GSO send across veth or loopback, or GRO on a NIC)
 * arrives as one, cut here into its segments; one recvmmsg() may so bring
 * more than a burst, handed out over several (the port's own buffers, and
 * `ready` tells the worker to come back without a poll event).  The kernel does
 * what a NIC would: checks the outer IP/UDP headers and checksums, reassembles
 * fragments, and leaves every other datagram of the host where it belongs.
 * Its buffer is HV_UNDERLAY_SOCKBUF (port.h); what the kernel dropped at the
 * socket is read from the kernel when the stats are (SO_MEMINFO, the port's
 * sock_drops op: drop_socket_rcvbuf), nothing per datagram.
 *
 * Transmit: a pool of UDP sockets bound to the local VTEP address (ephemeral
 * ports: the pool is the source-port entropy, a flow always takes the socket
 * its inner-flow hash picks) sends the UDP payloads — VXLAN header + inner
 * frame — in sendmmsg() batches; the kernel builds IP/UDP, routes and
 * resolves the next hop with the host's tables, computes the UDP checksum.
 * A TCP GSO frame goes as one UDP GSO send (UDP_SEGMENT): the encapsulation
 * stage lays its segments out as a run of equal-sized payloads, each with its
 * VXLAN header, and the kernel (or the NIC) cuts the datagrams.  Consecutive
 * single datagrams of one size to one VTEP from one socket (a burst of one
 * flow: the socket is picked by the flow hash) are joined the same way, up to
 * 64 per send: one trip through the host's UDP/IP stack instead of 64.  Don't-fragment
 * is set (IP_PMTUDISC_DO / IPV6_DONTFRAG): a datagram above the route's MTU is
 * refused (a tx error); above the port's configured MTU it is counted earlier,
 * drop_underlay_mtu.
 *
 * Why sockets and not a raw uplink (AF_PACKET/AF_XDP with our own ARP/ND):
 * the host's routing, neighbor resolution, bonding and firewalling keep
 * working for the underlay unchanged, and the uplink stays the host's.  The
 * price is a copy per datagram each way; GSO and GRO of the UDP layer (above)
 * keep the per-datagram cost of the host's stack off small-packet bursts. */
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

#ifndef UDP_GRO
#define UDP_GRO 104
#endif

#define TX_POOL 8 /* send sockets: source ports */
#define GSO_SEGS 64 /* datagrams per UDP GSO send (UDP_MAX_SEGMENTS is 64 or more) */
#define GSO_BYTES 65000 /* payload bytes per UDP GSO send */

/* One received datagram: a GRO datagram (seg != 0) is a run of segments of
 * `seg` bytes (the last may be shorter), each a VXLAN datagram of its own. */
struct rx_msg {
  uint32_t len;
  uint32_t seg;
  uint8_t trunc;
  uint8_t src[16];
};

struct port_udp {
  struct hv_port p; /* p.fd: the UDP receive socket */
  int tx[TX_POOL];  /* send sockets, bound to the VTEP address */
  uint8_t af;
  uint32_t headroom; /* bytes kept free in front of every datagram handed out (hv_port_open_params.rx_headroom) */
  /* Receive buffers of the port's own (HV_BATCH slots of HV_RXBUF_SIZE): a
   * GRO datagram holds up to 64 VXLAN datagrams and a burst hands out
   * HV_BATCH packets, so what one recvmmsg() brought may take several bursts;
   * the worker's shared buffers would be reused by its other ports meanwhile. */
  uint8_t *rxbuf;
  struct rx_msg rx[HV_BATCH];
  int rx_n, rx_i;  /* datagrams read, the one being handed out */
  uint32_t rx_off; /* its next segment's offset */
};

union gro_cmsg {
  struct cmsghdr hdr;
  uint8_t buf[CMSG_SPACE(sizeof(int))]; /* UDP_GRO */
};

/* Reads a burst of datagrams into the port's buffers (none left to hand out). */
static int udp_rx_read(struct port_udp *u) {
  struct mmsghdr msgs[HV_BATCH];
  struct iovec iov[HV_BATCH];
  struct sockaddr_storage from[HV_BATCH];
  union gro_cmsg cm[HV_BATCH];
  hv_mmsg_rx_init(msgs, iov, u->rxbuf, HV_RXBUF_SIZE, HV_BATCH);
  for (int i = 0; i < HV_BATCH; i++) {
    iov[i].iov_base = (uint8_t *)iov[i].iov_base + u->headroom;
    iov[i].iov_len -= u->headroom;
    msgs[i].msg_hdr.msg_name = &from[i];
    msgs[i].msg_hdr.msg_namelen = sizeof from[i];
    msgs[i].msg_hdr.msg_control = cm[i].buf;
    msgs[i].msg_hdr.msg_controllen = sizeof cm[i].buf;
  }
  int r = recvmmsg(u->p.fd, msgs, HV_BATCH, MSG_DONTWAIT, NULL);
  u->rx_n = r > 0 ? r : 0;
  u->rx_i = 0;
  u->rx_off = 0;
  for (int i = 0; i < u->rx_n; i++) {
    struct rx_msg *m = &u->rx[i];
    m->len = msgs[i].msg_len > iov[i].iov_len ? (uint32_t)iov[i].iov_len : msgs[i].msg_len;
    m->trunc = (msgs[i].msg_hdr.msg_flags & MSG_TRUNC) != 0;
    m->seg = 0;
    for (struct cmsghdr *h = CMSG_FIRSTHDR(&msgs[i].msg_hdr); h; h = CMSG_NXTHDR(&msgs[i].msg_hdr, h))
      if (h->cmsg_level == SOL_UDP && h->cmsg_type == UDP_GRO) {
        int g;
        memcpy(&g, CMSG_DATA(h), sizeof g);
        if (g > 0 && !m->trunc) m->seg = (uint32_t)g;
      }
    if (u->af == 4) memcpy(m->src, &((const struct sockaddr_in *)&from[i])->sin_addr, 4);
    else memcpy(m->src, &((const struct sockaddr_in6 *)&from[i])->sin6_addr, 16);
  }
  return u->rx_n;
}

/* Hands out up to `max` datagrams, a GRO datagram's segments one by one;
 * reads more only when everything read before has been handed out.  They stay
 * in the port's own buffers (see struct port_udp), except with headroom: the
 * bytes in front of a GRO datagram's second and later segments are the
 * previous segment's, so those segments are copied, each into the worker's
 * buffer of its slot (`bufs`), past the headroom. */
static int udp_rx_burst(struct hv_port *hp, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size) {
  struct port_udp *u = (struct port_udp *)hp;
  if (u->rx_i >= u->rx_n && udp_rx_read(u) <= 0) return 0;
  int n = 0;
  while (n < max && u->rx_i < u->rx_n) {
    const struct rx_msg *m = &u->rx[u->rx_i];
    uint32_t len = m->len - u->rx_off;
    if (m->seg && len > m->seg) len = m->seg;
    struct hv_pkt *pkt = &pkts[n++];
    memset(pkt, 0, sizeof *pkt);
    pkt->data = u->rxbuf + (size_t)u->rx_i * HV_RXBUF_SIZE + u->headroom + u->rx_off;
    pkt->len = len;
    if (m->trunc) pkt->drop = HV_CTR_drop_truncated;
    if (u->headroom && u->rx_off) {
      uint8_t *to = bufs + (size_t)(n - 1) * buf_size + u->headroom;
      if (u->headroom + len <= buf_size) memcpy(to, pkt->data, len);
      else pkt->drop = HV_CTR_drop_truncated, pkt->len = 0; /* does not fit a worker buffer */
      pkt->data = to;
    }
    pkt->outer_af = u->af;
    memcpy(pkt->outer_src, m->src, u->af == 4 ? 4 : 16);
    u->rx_off += len;
    if (u->rx_off >= m->len) {
      u->rx_i++;
      u->rx_off = 0;
    }
  }
  return n;
}

/* Datagrams read but not handed out yet: the worker takes them without a poll event. */
static int udp_ready(const struct hv_port *hp) {
  const struct port_udp *u = (const struct port_udp *)hp;
  return u->rx_i < u->rx_n;
}

static void udp_rx_done(struct hv_port *p) { (void)p; }

/* The destination of a datagram: the outer header's destination address and
 * UDP port (4789 for VXLAN, 6635 for MPLS over UDP: the encapsulation's). */
static socklen_t dest_of(const struct port_udp *u, const struct hv_txreq *r, struct sockaddr_storage *to) {
  uint32_t l4 = u->af == 4 ? 20 : 40;
  uint16_t port = r->outer_len >= l4 + 8 ? (uint16_t)(r->outer[l4 + 2] << 8 | r->outer[l4 + 3]) : HV_VXLAN_PORT;
  return hv_sockaddr(to, u->af, r->outer + (u->af == 4 ? 16 : 24), port);
}

union seg_cmsg {
  struct cmsghdr hdr;
  uint8_t buf[CMSG_SPACE(sizeof(uint16_t))];
};

/* One sendmmsg() message under construction: a request's datagram, a request's
 * UDP GSO run, or consecutive single datagrams of equal size to the same VTEP
 * from the same socket joined into one UDP GSO send (the kernel, or the NIC,
 * cuts them apart again; a receiver with UDP_GRO may take them whole). */
struct tx_msg {
  int fd;
  int reqs;      /* requests it carries */
  uint32_t seg;  /* datagram size of a joined run; 0: a request's own message */
  uint32_t bytes;
  int closed;    /* a shorter last datagram ended the run */
};

/* Appends request `r`'s payload (the iovec past the outer IP/UDP header) at
 * iov[*niov...]; returns its socket and sets *len, or -1 if the request has no
 * outer IP/UDP header. */
static int payload(const struct port_udp *u, const struct hv_txreq *r, struct iovec *iov, int *niov,
                   uint8_t *hdr, uint8_t *tag, uint32_t *len) {
  uint32_t l4 = u->af == 4 ? 20 : 40, skip = l4 + 8, flen;
  if (r->outer_len < skip) return -1;
  int cnt = hv_tx_iov(r, 0, hdr, tag, iov + *niov, &flen);
  if (!cnt) return -1;
  iov[*niov].iov_base = (uint8_t *)iov[*niov].iov_base + skip; /* the first is the outer header */
  iov[*niov].iov_len -= skip;
  *len = 0;
  for (int i = 0; i < cnt; i++) *len += (uint32_t)iov[*niov + i].iov_len;
  *niov += cnt;
  uint16_t sport = (uint16_t)(r->outer[l4] << 8 | r->outer[l4 + 1]);
  return u->tx[sport % TX_POOL];
}

static void set_segment(struct msghdr *h, union seg_cmsg *c, uint16_t size) {
  memset(c, 0, sizeof *c);
  h->msg_control = c->buf;
  h->msg_controllen = sizeof c->buf;
  struct cmsghdr *ch = CMSG_FIRSTHDR(h);
  ch->cmsg_level = SOL_UDP;
  ch->cmsg_type = UDP_SEGMENT;
  ch->cmsg_len = CMSG_LEN(sizeof(uint16_t));
  memcpy(CMSG_DATA(ch), &size, sizeof size);
}

/* Whether request `r` (payload `len`, socket `fd`, destination `to`) may join message `m`. */
static int joins(const struct tx_msg *m, const struct msghdr *h, const struct hv_txreq *r, int fd, uint32_t len,
                 const struct sockaddr_storage *to, socklen_t tolen) {
  if (r->gso_size || m->closed || m->fd != fd || h->msg_namelen != tolen || memcmp(h->msg_name, to, tolen) != 0) return 0;
  uint32_t seg = m->seg ? m->seg : m->bytes;
  return len && len <= seg && m->reqs < GSO_SEGS && m->bytes + len <= GSO_BYTES;
}

/* Sends requests: messages built as above, sendmmsg() per run of messages on
 * one socket.  A message the kernel refuses is skipped (its requests are tx
 * errors), a full socket buffer ends the burst. */
static int udp_tx_burst(struct hv_port *hp, const struct hv_txreq *reqs, int n) {
  const struct port_udp *u = (const struct port_udp *)hp;
  struct mmsghdr msgs[HV_BATCH];
  struct tx_msg tm[HV_BATCH];
  struct iovec iov[HV_BATCH * HV_TX_IOV_MAX];
  struct sockaddr_storage to[HV_BATCH];
  union seg_cmsg cm[HV_BATCH];
  uint8_t hdr[HV_BATCH][HV_VNET_HDR_LEN], tag[HV_BATCH][HV_VLAN_HLEN];
  int sent = 0;
  for (int base = 0; base < n; base += HV_BATCH) {
    int end = n - base < HV_BATCH ? n : base + HV_BATCH, m = 0, niov = 0;
    for (int i = base; i < end; i++) {
      const struct hv_txreq *r = &reqs[i];
      struct sockaddr_storage dst;
      socklen_t dstlen = dest_of(u, r, &dst);
      int first = niov;
      uint32_t len;
      int fd = payload(u, r, iov, &niov, hdr[i - base], tag[i - base], &len);
      if (fd < 0) continue; /* not a datagram: skipped (a tx error) */
      if (m && joins(&tm[m - 1], &msgs[m - 1].msg_hdr, r, fd, len, &dst, dstlen)) {
        struct tx_msg *t = &tm[m - 1];
        if (!t->seg) set_segment(&msgs[m - 1].msg_hdr, &cm[m - 1], (uint16_t)(t->seg = t->bytes));
        if (len < t->seg) t->closed = 1;
        t->reqs++;
        t->bytes += len;
        msgs[m - 1].msg_hdr.msg_iovlen += (size_t)(niov - first); /* its iovecs follow the message's */
        continue;
      }
      memset(&msgs[m], 0, sizeof msgs[m]);
      to[m] = dst;
      msgs[m].msg_hdr.msg_iov = iov + first;
      msgs[m].msg_hdr.msg_iovlen = (size_t)(niov - first);
      msgs[m].msg_hdr.msg_name = &to[m];
      msgs[m].msg_hdr.msg_namelen = dstlen;
      tm[m] = (struct tx_msg){.fd = fd, .reqs = 1, .bytes = len, .closed = r->gso_size != 0};
      if (r->gso_size) set_segment(&msgs[m].msg_hdr, &cm[m], r->gso_size);
      m++;
    }
    for (int done = 0; done < m;) {
      int run = 1;
      while (done + run < m && tm[done + run].fd == tm[done].fd) run++;
      int r = sendmmsg(tm[done].fd, msgs + done, (unsigned)run, MSG_DONTWAIT);
      if (r < 0) {
        if (errno == EAGAIN || errno == ENOBUFS) return sent; /* the rest are drops */
        done++; /* refused (EMSGSIZE above the route MTU, no route): skipped */
        continue;
      }
      for (int k = 0; k < r; k++) sent += tm[done + k].reqs;
      done += r;
    }
  }
  return sent;
}

static void udp_close(struct hv_port *hp) {
  struct port_udp *u = (struct port_udp *)hp;
  close(hp->fd);
  for (int i = 0; i < TX_POOL; i++)
    if (u->tx[i] >= 0) close(u->tx[i]);
  free(u->rxbuf);
  free(u);
}

static uint64_t udp_sock_drops(const struct hv_port *hp) { return hv_sock_drops(hp->fd); }

static const struct hv_port_ops udp_ops = {udp_rx_burst, udp_rx_done, udp_tx_burst, udp_close, NULL, udp_ready, udp_sock_drops};

/* Opens the receive socket bound to (local, port). */
static int open_rx(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  int af = pp->af == 4 ? AF_INET : AF_INET6, one = 1, buf = HV_UNDERLAY_SOCKBUF;
  int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return snprintf(err, errlen, "underlay %s: socket: %s", pp->name, strerror(errno)), -1;
  if (af == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  /* GRO: a run of datagrams from one sender arrives as one (split in udp_rx_burst);
   * a kernel without it delivers them one by one, as before */
  setsockopt(fd, SOL_UDP, UDP_GRO, &one, sizeof one);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
  struct sockaddr_storage sa;
  uint16_t port = htons(pp->udp_port ? pp->udp_port : HV_VXLAN_PORT);
  socklen_t salen = hv_sockaddr(&sa, pp->af, pp->local, ntohs(port));
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
  int af = pp->af == 4 ? AF_INET : AF_INET6, on = 1, pmtu = IP_PMTUDISC_DO, buf = HV_UNDERLAY_SOCKBUF;
  int fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return snprintf(err, errlen, "underlay %s: send socket: %s", pp->name, strerror(errno)), -1;
  if (af == AF_INET) setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof pmtu);
  else setsockopt(fd, IPPROTO_IPV6, IPV6_DONTFRAG, &on, sizeof on);
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf) < 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
  struct sockaddr_storage sa;
  socklen_t salen = hv_sockaddr(&sa, pp->af, pp->local, 0);
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
  u->headroom = pp->rx_headroom;
  u->p.fd = open_rx(pp, err, errlen);
  if (u->p.fd < 0) {
    free(u);
    return NULL;
  }
  for (int i = 0; i < TX_POOL; i++) u->tx[i] = -1;
  u->rxbuf = malloc((size_t)HV_BATCH * HV_RXBUF_SIZE);
  if (!u->rxbuf) {
    snprintf(err, errlen, "out of memory");
    udp_close(&u->p);
    return NULL;
  }
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
