#include "xdp_prog.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  struct bpf_insn i;
  memset(&i, 0, sizeof i);
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

static int load_prog(int map_fd, char *log, size_t loglen) {
  struct bpf_insn prog[6];
  prog[0] = insn(BPF_LDX | BPF_MEM | BPF_W, 2, 1, (int16_t)offsetof(struct xdp_md, rx_queue_index), 0);
  prog[1] = insn(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map_fd);
  prog[2] = insn(0, 0, 0, 0, 0); /* second half of the 64-bit immediate */
  prog[3] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, XDP_PASS);
  prog[4] = insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect_map);
  prog[5] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = (uint32_t)loglen, .log_level = 1);
  return bpf_prog_load(BPF_PROG_TYPE_XDP, "hv_xsk_redir", "GPL", prog, 6, &opts);
}

int hv_xdp_prog_attach(struct hv_xdp_prog *x, unsigned ifindex, const char *name, uint32_t queues,
                       char *err, size_t errlen) {
  char log[1024] = "";
  x->ifindex = ifindex;
  x->prog_fd = -1;
  x->map_fd = bpf_map_create(BPF_MAP_TYPE_XSKMAP, "hv_xsks", 4, 4, queues, NULL);
  if (x->map_fd < 0) {
    snprintf(err, errlen, "af_xdp %s: XSKMAP: %s", name, strerror(errno));
    return -1;
  }
  x->prog_fd = load_prog(x->map_fd, log, sizeof log);
  if (x->prog_fd < 0) {
    snprintf(err, errlen, "af_xdp %s: loading the XDP program: %s %s", name, strerror(errno), log);
    goto fail;
  }
  /* Native first; generic where the driver has no XDP.  UPDATE_IF_NOEXIST:
   * someone else's program stays, and the port falls back. */
  x->flags = XDP_FLAGS_DRV_MODE;
  int r = bpf_xdp_attach((int)ifindex, x->prog_fd, XDP_FLAGS_UPDATE_IF_NOEXIST | x->flags, NULL);
  if (r < 0 && r != -EBUSY && r != -EEXIST) {
    x->flags = XDP_FLAGS_SKB_MODE;
    r = bpf_xdp_attach((int)ifindex, x->prog_fd, XDP_FLAGS_UPDATE_IF_NOEXIST | x->flags, NULL);
  }
  if (r < 0) {
    snprintf(err, errlen, "af_xdp %s: attaching the XDP program: %s%s", name, strerror(-r),
             (r == -EBUSY || r == -EEXIST) ? " (the interface already has an XDP program)" : "");
    goto fail;
  }
  return 0;
fail:
  if (x->prog_fd >= 0) close(x->prog_fd);
  close(x->map_fd);
  x->prog_fd = x->map_fd = -1;
  return -1;
}

void hv_xdp_prog_detach(struct hv_xdp_prog *x) {
  if (x->prog_fd < 0) return;
  LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = x->prog_fd);
  bpf_xdp_detach((int)x->ifindex, x->flags | XDP_FLAGS_REPLACE, &opts);
  close(x->prog_fd);
  close(x->map_fd);
  x->prog_fd = x->map_fd = -1;
}

static int ifreq_ioctl(const char *name, unsigned long req, struct ifreq *ifr) {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  snprintf(ifr->ifr_name, sizeof ifr->ifr_name, "%s", name);
  int r = ioctl(fd, req, ifr);
  close(fd);
  return r;
}

uint32_t hv_dev_rx_queues(const char *name) {
  struct ethtool_channels ch;
  struct ifreq ifr;
  memset(&ch, 0, sizeof ch);
  memset(&ifr, 0, sizeof ifr);
  ch.cmd = ETHTOOL_GCHANNELS;
  ifr.ifr_data = (char *)&ch;
  if (ifreq_ioctl(name, SIOCETHTOOL, &ifr) < 0) return 1;
  /* combined channels (NICs), or rx queues (veth reports both, the same queues) */
  uint32_t n = ch.combined_count > ch.rx_count ? ch.combined_count : ch.rx_count;
  return n ? n : 1;
}

uint32_t hv_dev_mtu(const char *name) {
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  if (ifreq_ioctl(name, SIOCGIFMTU, &ifr) < 0) return 0;
  return (uint32_t)ifr.ifr_mtu;
}
