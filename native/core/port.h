/* One port interface (open / rx burst / tx burst / close / stats), three backends:
 *  - TAP (port_tap.c): /dev/net/tun, IFF_TAP|IFF_NO_PI|IFF_VNET_HDR, created or attached by name;
 *  - AF_PACKET (port_afpacket.c): an existing interface, TPACKET_V2 rx ring
 *    while busy (frames larger than a slot as TP_STATUS_COPY, in order),
 *    sendmmsg tx with PACKET_QDISC_BYPASS, PACKET_VNET_HDR, VLAN tag from tp_vlan_tci;
 *  - AF_XDP (port_afxdp.c): an existing interface, an XSK per queue with its UMEM,
 *    falling back to AF_PACKET where AF_XDP cannot attach (hv_port.fallback);
 *  - memory (port_mem.c): in-process rings, for byte-exact tests without root;
 *  - UDP (port_udp.c): the VXLAN underlay through the host's IP stack (a UDP
 *    socket on the local VTEP address to receive, a pool of them to send), vxlan.h.
 *
 * Both kernel backends carry the virtio-net header, so partial checksums and 64 KiB
 * GSO frames pass through the switch with their offload metadata: no software
 * checksum or segmentation is needed between them.
 *
 * rx_burst fills `pkts` with frames that stay valid until rx_done(); the worker
 * transmits the whole batch in between.  tx_burst takes descriptors that say how
 * to rewrite the 802.1Q tag on the way out (push, pop, keep), and may carry an
 * outer header to send in front (encapsulation), and builds iovecs over the
 * received bytes: nothing is copied in user space. */
#ifndef HV_PORT_H
#define HV_PORT_H

#include <sys/uio.h>

#include "pkt.h"

enum hv_port_kind { HV_PORT_TAP = 1, HV_PORT_AFPACKET = 2, HV_PORT_MEMORY = 3, HV_PORT_UDP = 4, HV_PORT_MPLS = 5,
                     HV_PORT_BOND = 6 /* a bond's logical port (bond.h) */, HV_PORT_AFXDP = 7 };

/* Transmit descriptor: the frame, its egress tag action, and an optional outer
 * header sent in front of it (an encapsulation: VXLAN, MPLS over GRE/UDP).
 * The outer bytes belong to the worker for the batch (valid until tx returns);
 * the frame is not copied to prepend them, the iovec just starts with them. */
struct hv_txreq {
  struct hv_pkt *pkt;
  uint16_t out_tci;     /* 0: send untagged, else send with this TCI */
  uint16_t outer_len;   /* bytes at `outer`, 0 = none */
  const uint8_t *outer; /* outer header, sent first */
  /* UDP GSO (ports with udp_gso): the frame is a run of datagram payloads of
   * gso_size bytes each (the last may be shorter), each with its own headers
   * already in place; `outer` is then the IP/UDP header only.  0 = one frame. */
  uint16_t gso_size;
};

/* Most iovecs hv_tx_iov builds: [vnet][outer][dst+src][tag][rest]. */
#define HV_TX_IOV_MAX 5

struct hv_port;
struct hv_port_ops {
  int (*rx_burst)(struct hv_port *p, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size);
  void (*rx_done)(struct hv_port *p);
  /* Returns frames accepted; the rest are counted as tx drops by the caller. */
  int (*tx_burst)(struct hv_port *p, const struct hv_txreq *reqs, int n);
  void (*close)(struct hv_port *p);
  /* Optional: the worker found no work and is about to block in poll.  Returns
   * the longest the port lets it sleep, in ms (-1: no limit). */
  int (*idle)(struct hv_port *p);
  /* Optional: the port holds received frames it has not handed out yet (a
   * UDP GRO datagram larger than a burst): process it without a poll event. */
  int (*ready)(const struct hv_port *p);
  /* Optional: frames or datagrams the kernel dropped at the port's receive
   * socket(s) or rings for want of room since it opened, read from the kernel
   * when the stats are read, on the caller's thread: nothing per frame (a
   * SO_RXQ_OVFL cmsg with every datagram read, once the socket had dropped
   * one, cost B ~2.5% of its CPU in vpn-decap).  UDP/MPLS underlay:
   * drop_socket_rcvbuf (hv_sock_drops); AF_PACKET (hv_sock_drops of both
   * sockets) and AF_XDP (XDP_STATISTICS): drop_rx_kernel. */
  uint64_t (*sock_drops)(const struct hv_port *p);
};

/* Receive and send buffer of the underlay sockets (UDP, GRE), in bytes:
 * SO_RCVBUFFORCE/SO_SNDBUFFORCE (root, CAP_NET_ADMIN), else SO_RCVBUF/SO_SNDBUF,
 * which net.core.rmem_max/wmem_max cap; the kernel doubles it for its
 * bookkeeping.  8 MiB holds ~5,000 datagrams of an MTU of 1500 (an skb's
 * truesize is ~2.3 KiB there), some 10 ms at 0.5 Mpps: a burst of the
 * sending PE while the worker is busy with other ports.  It cannot help a
 * receiver slower than its sender: what exceeds it is drop_socket_rcvbuf. */
#define HV_UNDERLAY_SOCKBUF (8 << 20)

struct hv_port_open_params {
  enum hv_port_kind kind;
  char name[16];
  uint32_t mtu;
  uint32_t ring_blocks;    /* AF_PACKET: rx ring blocks (default 64) */
  uint32_t ring_block_kb;  /* AF_PACKET: rx ring block size in KiB (default 256) */
  uint32_t ring_timeout_ms;/* AF_PACKET: unused since the ring is TPACKET_V2 (no block timer) */
  uint8_t af;              /* UDP: 4 or 6 */
  uint8_t local[16];       /* UDP: the local VTEP address to bind */
  uint16_t udp_port;       /* UDP: port to receive on (default 4789) */
  uint16_t rx_headroom;    /* UDP: bytes left free in front of every datagram handed out (MPLS: HV_MPLS_HEADROOM) */
  uint8_t mpls;            /* memory: an MPLS underlay (whole datagrams to hv_stage_mpls_decap, mpls.h) */
  struct hv_xsk_share *xsk_share; /* AF_XDP: UMEMs its queues may share (its worker's), NULL: one per queue */
};

/* The shared UMEMs of one worker's ports (port_afxdp.c): AF_XDP queues in one
 * group forward frames between them without a copy.  Control thread only. */
struct xsk_group;
struct hv_xsk_share {
  struct xsk_group *groups;
};
/* Its groups, and in *lost how far the frames' owners are from what they
 * must be (each queue XDP_FRAMES, the rest in the free list; 0 unless a
 * frame was lost or is held twice): for tests. */
uint32_t hv_xsk_share_groups(const struct hv_xsk_share *s, uint32_t *lost);

#define HV_LOOP_BURSTS 8

struct hv_port {
  const struct hv_port_ops *ops;
  enum hv_port_kind kind;
  int fd;        /* pollable for input */
  int fd2;       /* a second pollable fd, or -1 */
  uint16_t id;
  uint32_t mtu;
  int created;   /* TAP: we created the device (it goes away when we close it) */
  int udp_gso;   /* tx takes hv_txreq.gso_size runs (UDP underlay) */
  int vnet_tx;   /* tx sends the vnet header (TAP, AF_PACKET): GSO frames go whole (gro.h) */
  int mpls;      /* an MPLS underlay (mpls.h): its frames take the MPLS decapsulation path */
  char name[16];
  /* What the worker's last poll found, set before it reads the port: bit 0,
   * `fd` had no input; bit 1, `fd2` had none.  A port of two sockets (MPLS:
   * GRE and UDP) skips the read the poll said would find nothing, a syscall
   * per burst, and may set a bit itself once it drained that socket.  0 where
   * no worker polls (a test reading the port directly): read both. */
  uint8_t rx_idle;
  /* Bursts of HV_BATCH one worker loop takes from this port before it looks
   * at the others again (0: HV_LOOP_BURSTS).  A reply that lands on another
   * port meanwhile waits for them; a poll between bursts costs a system call.
   * TAP: 1, since each of its frames costs two system calls anyway and its
   * backlog is read in full bursts; ring-fed ports: 8, where a poll per
   * burst cost 3-4% of the CPU per frame (docs/polling.md). */
  uint8_t bursts;
  /* AF_XDP: frames sent without a copy (port_afxdp.c, lend), written by the
   * sending worker (under the port's tx lock), read with the port's counters
   * (tx_zero_copy), both with __atomic builtins (this header is C++'s too). */
  uint64_t tx_zero_copy;
  const char *xdp_mode; /* AF_XDP: "zero-copy", "native copy" or "generic copy" */
  /* An AF_XDP port that runs on AF_PACKET: why AF_XDP could not attach ("" = it did). */
  char fallback[192];
};

/* Opens a port; on failure returns NULL and writes a message naming the cause. */
struct hv_port *hv_port_open(const struct hv_port_open_params *pp, char *err, size_t errlen);
void hv_port_close(struct hv_port *p);

struct hv_port *hv_port_tap_open(const struct hv_port_open_params *pp, char *err, size_t errlen);
struct hv_port *hv_port_afpacket_open(const struct hv_port_open_params *pp, char *err, size_t errlen);
struct hv_port *hv_port_afxdp_open(const struct hv_port_open_params *pp, char *err, size_t errlen);
struct hv_port *hv_port_mem_open(const struct hv_port_open_params *pp, char *err, size_t errlen);
struct hv_port *hv_port_udp_open(const struct hv_port_open_params *pp, char *err, size_t errlen);
struct hv_port *hv_port_mpls_open(const struct hv_port_open_params *pp, char *err, size_t errlen);

/* Memory port: frames injected for rx, frames captured from tx (copies). */
int hv_port_mem_inject(struct hv_port *p, const uint8_t *frame, uint32_t len);
/* Pops one transmitted frame; returns its length, 0 if none, -1 if buf too small. */
int hv_port_mem_pop(struct hv_port *p, uint8_t *buf, uint32_t size);

/* A VLAN tag the kernel took out of a received frame (AF_PACKET aux data:
 * tp_vlan_tci, and tp_vlan_tpid when TP_STATUS_VLAN_TPID_VALID; `tpid` 0 =
 * not reported, 802.1Q).  The switch is a C-VLAN bridge: it recognizes only
 * C-TAGs (IEEE 802.1Q-2018 §6.9, TPID 0x8100 in Table 9-1) and does not
 * interpret an 802.1ad S-TAG (0x88a8) or any other TPID.  So a C-TAG becomes
 * the packet's out-of-band tag, and any other tag is written back between the
 * source MAC and the EtherType, where a TAP or memory port sees it: the frame
 * is then untagged, of EtherType 0x88a8, on every port type alike.  The
 * virtio-net offsets (relative to pkt->data) move with the payload.  Needs
 * HV_VLAN_HLEN bytes of headroom before pkt->data (the vnet header is there,
 * already parsed). */
void hv_port_rx_vlan(struct hv_pkt *pkt, uint16_t tci, uint16_t tpid);

/* The datagrams the kernel dropped at socket `fd` since it opened (SO_MEMINFO,
 * SK_MEMINFO_DROPS: its buffer full, or a filter), 0 if it cannot tell. */
uint64_t hv_sock_drops(int fd);

/* Points msgs[i] (i < n) at one receive buffer each (iov[i], `buf_size` bytes
 * of `bufs`), for recvmmsg(); the caller adds control/name buffers. */
struct mmsghdr;
void hv_mmsg_rx_init(struct mmsghdr *msgs, struct iovec *iov, uint8_t *bufs, uint32_t buf_size, int n);

/* Transmits `n` requests with sendmmsg() on `fd` in rounds of up to HV_BATCH:
 * each message is [vnet header if `with_vnet`][outer][frame] (hv_tx_iov),
 * addressed by `dest` if given (it fills `to` for request `r`, returns its
 * length).  A message the kernel refuses is skipped; a full queue (EAGAIN,
 * ENOBUFS) ends the burst.  Returns the number sent (the rest are the
 * caller's tx drops). */
struct sockaddr_storage;
typedef unsigned (*hv_tx_dest_fn)(const void *ctx, const struct hv_txreq *r, struct sockaddr_storage *to);
int hv_tx_sendmmsg(int fd, const struct hv_txreq *reqs, int n, int with_vnet, hv_tx_dest_fn dest, const void *ctx);

/* One datagram of a UDP GSO run (hv_txreq.gso_size): the outer IP/UDP header
 * of `r` with its lengths (and the IPv4 header checksum; the UDP checksum is
 * left as it is) for a payload of `chunk` bytes, into `h` (48 bytes); returns
 * the header's length. */
uint32_t hv_udp_run_header(const struct hv_txreq *r, uint32_t chunk, uint8_t *h);

/* Fills `sa` with address `addr` (4 or 16 bytes by `af`, 4 or 6) and `port`
 * (host order); returns its length (a socklen_t). */
unsigned hv_sockaddr(struct sockaddr_storage *sa, uint8_t af, const uint8_t *addr, uint16_t port);

/* Builds the iovec for one tx descriptor (up to HV_TX_IOV_MAX entries):
 * [vnet hdr][outer header?][dst+src][tag?][rest].  `hdr` (HV_VNET_HDR_LEN
 * bytes) and `tag` (4 bytes) are caller storage.  The vnet header's offsets
 * (hdr_len, csum_start) are shifted by the tag rewrite and the outer header;
 * tunnel GSO flags are the encapsulating stage's to set.  Returns the iov count
 * (or 0 if the frame cannot be sent) and the length on the wire. */
int hv_tx_iov(const struct hv_txreq *r, int with_vnet, uint8_t *hdr, uint8_t *tag,
              struct iovec *iov, uint32_t *frame_len);

#endif
