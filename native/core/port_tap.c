/* TAP backend: /dev/net/tun with IFF_TAP|IFF_NO_PI|IFF_VNET_HDR.
 * Creates the device by name (it disappears when we close it) or attaches to an
 * existing persistent one.  TUNSETOFFLOAD announces that we take partial
 * checksums and TSO/UFO-free GSO (TCPv4/v6), so a VM's TCP reaches us as 64 KiB
 * frames with a virtio-net header, which we pass on as is.
 * The kernel gives one frame per read(): rx costs a syscall per frame, tx one
 * writev() per frame (TAP has no batched write). */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "port.h"

static uint16_t get16le(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static void vnet_parse(const uint8_t *h, struct hv_vnet_hdr *v) {
  v->flags = h[0];
  v->gso_type = h[1];
  v->hdr_len = get16le(h + 2);
  v->gso_size = get16le(h + 4);
  v->csum_start = get16le(h + 6);
  v->csum_offset = get16le(h + 8);
}

static int tap_rx_burst(struct hv_port *p, struct hv_pkt *pkts, int max, uint8_t *bufs,
                        uint32_t buf_size) {
  int n = 0;
  while (n < max) {
    uint8_t *b = bufs + (size_t)n * buf_size;
    ssize_t r = read(p->fd, b, buf_size);
    if (r < 0) break; /* EAGAIN: drained */
    if (r < HV_VNET_HDR_LEN) continue;
    struct hv_pkt *pkt = &pkts[n];
    memset(pkt, 0, sizeof *pkt);
    vnet_parse(b, &pkt->vnet);
    pkt->has_vnet = 1;
    pkt->data = b + HV_VNET_HDR_LEN;
    pkt->len = (uint32_t)r - HV_VNET_HDR_LEN;
    n++;
  }
  return n;
}

static void tap_rx_done(struct hv_port *p) {}

static int tap_tx_burst(struct hv_port *p, const struct hv_txreq *reqs, int n) {
  int sent = 0;
  for (int i = 0; i < n; i++) {
    uint8_t hdr[HV_VNET_HDR_LEN], tag[HV_VLAN_HLEN];
    struct iovec iov[HV_TX_IOV_MAX];
    uint32_t len;
    int cnt = hv_tx_iov(&reqs[i], 1, hdr, tag, iov, &len);
    if (cnt && writev(p->fd, iov, cnt) >= 0) sent++;
  }
  return sent;
}

static void tap_close(struct hv_port *p) {
  if (p->fd >= 0) close(p->fd);
  free(p);
}

static const struct hv_port_ops tap_ops = {tap_rx_burst, tap_rx_done, tap_tx_burst, tap_close, NULL, NULL, NULL};

static int set_up(const char *name, uint32_t mtu, char *err, size_t errlen) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) {
    snprintf(err, errlen, "socket: %s", strerror(errno));
    return -1;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
  int rc = 0;
  if (mtu) {
    ifr.ifr_mtu = (int)mtu;
    if (ioctl(s, SIOCSIFMTU, &ifr) < 0) {
      snprintf(err, errlen, "tap %s: set mtu %u: %s", name, mtu, strerror(errno));
      rc = -1;
    }
  }
  if (rc == 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0) {
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) {
      snprintf(err, errlen, "tap %s: set up: %s", name, strerror(errno));
      rc = -1;
    }
  }
  close(s);
  return rc;
}

struct hv_port *hv_port_tap_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  if (!pp->name[0]) {
    snprintf(err, errlen, "tap: empty interface name");
    return NULL;
  }
  int existed = if_nametoindex(pp->name) != 0;
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "tap %s: open /dev/net/tun: %s", pp->name, strerror(errno));
    return NULL;
  }
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", pp->name);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
    snprintf(err, errlen, "tap %s: TUNSETIFF: %s%s", pp->name, strerror(errno),
             errno == EINVAL ? " (an interface of another type has this name?)" : "");
    close(fd);
    return NULL;
  }
  int hdrsz = HV_VNET_HDR_LEN;
  unsigned offload = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
  if (ioctl(fd, TUNSETVNETHDRSZ, &hdrsz) < 0 || ioctl(fd, TUNSETOFFLOAD, offload) < 0) {
    snprintf(err, errlen, "tap %s: offload setup: %s", pp->name, strerror(errno));
    close(fd);
    return NULL;
  }
  uint32_t mtu = pp->mtu ? pp->mtu : 1500;
  if (set_up(pp->name, existed ? 0 : mtu, err, errlen) < 0) {
    close(fd);
    return NULL;
  }
  struct hv_port *p = calloc(1, sizeof *p);
  if (!p) {
    close(fd);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  p->ops = &tap_ops;
  p->kind = HV_PORT_TAP;
  p->vnet_tx = 1;
  p->bursts = 1; /* hv_port.bursts */
  p->fd = fd;
  p->fd2 = -1;
  p->mtu = mtu;
  p->created = !existed;
  snprintf(p->name, sizeof p->name, "%s", pp->name);
  return p;
}
