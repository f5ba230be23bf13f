#include "xdp_prog.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
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

/* Linux 6.3 uapi; Debian 12's headers are 6.1 (the running kernel decides). */
#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)
#endif

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

/* The redirect: r6 = ctx on entry. */
static int redirect_insns(struct bpf_insn *p, int map_fd) {
  int n = 0;
  p[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, 2, 6, (int16_t)offsetof(struct xdp_md, rx_queue_index), 0);
  p[n++] = insn(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, map_fd);
  p[n++] = insn(0, 0, 0, 0, 0); /* second half of the 64-bit immediate */
  p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, XDP_PASS);
  p[n++] = insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_redirect_map);
  p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  return n;
}

/* The VLAN tag the driver took out of the frame (veth: a tag the sender's
 * stack left in skb metadata, tx-vlan-offload), written back between the
 * source MAC and the EtherType, so user space sees the frame as sent:
 *     if (bpf_xdp_metadata_rx_vlan_tag(ctx, &proto, &tci) == 0 &&
 *         bpf_xdp_adjust_head(ctx, -4) == 0 && data + 16 <= data_end) {
 *       memmove(data, data + 4, 12); data[12..14) = proto; data[14..16) = htons(tci);
 *     }
 * `kfunc` is the function's BTF id in vmlinux. */
static int vlan_insns(struct bpf_insn *p, int kfunc, int skip_to) {
  int n = 0;
  p[n++] = insn(BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, 0);       /* proto, tci = 0 */
  p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0);
  p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0);
  p[n++] = insn(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4);      /* &proto */
  p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 3, 10, 0, 0);
  p[n++] = insn(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, -2);      /* &tci */
  p[n++] = insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, kfunc);
  p[n] = insn(BPF_JMP | BPF_JNE | BPF_K, 0, 0, (int16_t)(skip_to - n - 1), 0);
  n++;
  p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 1, 6, 0, 0);
  p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, -4);
  p[n++] = insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_xdp_adjust_head);
  p[n] = insn(BPF_JMP | BPF_JNE | BPF_K, 0, 0, (int16_t)(skip_to - n - 1), 0);
  n++;
  p[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, 2, 6, (int16_t)offsetof(struct xdp_md, data), 0);
  p[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, 3, 6, (int16_t)offsetof(struct xdp_md, data_end), 0);
  p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);
  p[n++] = insn(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, 16);
  p[n] = insn(BPF_JMP | BPF_JGT | BPF_X, 4, 3, (int16_t)(skip_to - n - 1), 0);
  n++;
  p[n++] = insn(BPF_LDX | BPF_MEM | BPF_DW, 4, 2, 4, 0);        /* MACs: 12 bytes 4 to the front */
  p[n++] = insn(BPF_STX | BPF_MEM | BPF_DW, 2, 4, 0, 0);
  p[n++] = insn(BPF_LDX | BPF_MEM | BPF_W, 4, 2, 12, 0);
  p[n++] = insn(BPF_STX | BPF_MEM | BPF_W, 2, 4, 8, 0);
  p[n++] = insn(BPF_LDX | BPF_MEM | BPF_H, 4, 10, -4, 0);       /* TPID, network order already */
  p[n++] = insn(BPF_STX | BPF_MEM | BPF_H, 2, 4, 12, 0);
  p[n++] = insn(BPF_LDX | BPF_MEM | BPF_H, 4, 10, -2, 0);       /* TCI, host order */
  p[n++] = insn(BPF_ALU | BPF_END | BPF_TO_BE, 4, 0, 0, 16);
  p[n++] = insn(BPF_STX | BPF_MEM | BPF_H, 2, 4, 14, 0);
  return n;
}
#define VLAN_INSNS 26

/* `ifindex` != 0: the device-bound variant that restores the VLAN tag (native
 * mode only: XDP metadata kfuncs need a program bound to its device). */
static int load_prog(int map_fd, unsigned ifindex, char *log, size_t loglen) {
  struct bpf_insn prog[VLAN_INSNS + 8];
  int n = 0, kfunc = 0;
  prog[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0); /* r6 = ctx */
  if (ifindex) {
    struct btf *vmlinux = btf__load_vmlinux_btf();
    if (vmlinux) kfunc = btf__find_by_name_kind(vmlinux, "bpf_xdp_metadata_rx_vlan_tag", BTF_KIND_FUNC);
    btf__free(vmlinux);
    if (kfunc <= 0) return -1;
    n += vlan_insns(prog + n, kfunc, VLAN_INSNS);
  }
  n += redirect_insns(prog + n, map_fd);
  /* Without a verifier log first (level 1 traces every instruction and would
   * overflow a short buffer: ENOSPC), with one only to say why it failed. */
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .prog_ifindex = ifindex, .prog_flags = ifindex ? BPF_F_XDP_DEV_BOUND_ONLY : 0);
  int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "hv_xsk_redir", "GPL", prog, (size_t)n, &opts);
  if (fd >= 0) return fd;
  int e = errno;
  opts.log_buf = log;
  opts.log_size = (uint32_t)loglen;
  opts.log_level = 1;
  fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "hv_xsk_redir", "GPL", prog, (size_t)n, &opts);
  if (fd >= 0) return fd;
  errno = e;
  return -1;
}

/* Loads the program (device-bound with the VLAN restore if `bound`) and
 * attaches it in `mode`; returns 0 or a negative errno. */
static int try_attach(struct hv_xdp_prog *x, int bound, uint32_t mode, char *log, size_t loglen) {
  x->prog_fd = load_prog(x->map_fd, bound ? x->ifindex : 0, log, loglen);
  if (x->prog_fd < 0) return -errno;
  x->flags = mode;
  int r = bpf_xdp_attach((int)x->ifindex, x->prog_fd, XDP_FLAGS_UPDATE_IF_NOEXIST | mode, NULL);
  if (r < 0) {
    close(x->prog_fd);
    x->prog_fd = -1;
  }
  return r;
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
  /* Native with the VLAN restore, native without it (a kernel without the
   * kfunc), generic (no driver XDP; device-bound programs cannot run there).
   * UPDATE_IF_NOEXIST: someone else's program stays, and the port falls back. */
  int r = try_attach(x, 1, XDP_FLAGS_DRV_MODE, log, sizeof log);
  x->vlan_restore = r == 0;
  if (r < 0 && r != -EBUSY && r != -EEXIST) r = try_attach(x, 0, XDP_FLAGS_DRV_MODE, log, sizeof log);
  if (r < 0 && r != -EBUSY && r != -EEXIST) r = try_attach(x, 0, XDP_FLAGS_SKB_MODE, log, sizeof log);
  if (r < 0) {
    snprintf(err, errlen, "af_xdp %s: attaching the XDP program: %s%s", name, strerror(-r),
             (r == -EBUSY || r == -EEXIST) ? " (the interface already has an XDP program)" : "");
    goto fail;
  }
  return 0;
fail:
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
