/* The XDP program of an AF_XDP port, and the facts about its device that
 * decide how the port attaches.
 *
 * The program is five BPF instructions assembled here, not compiled from C:
 *     r2 = ctx->rx_queue_index
 *     r1 = &xsks_map
 *     r3 = XDP_PASS
 *     return bpf_redirect_map(r1, r2, r3)
 * i.e. every frame of queue q goes to the XSK in slot q of an XSKMAP, and to
 * the kernel stack (XDP_PASS) if no socket is there.  This is libxdp's default
 * XSK program without its dispatcher, so the port needs neither clang at build
 * time nor a bpffs mount at run time, and owns its attachment outright.
 *
 * It is attached in native (driver) mode where the driver has it (veth, tun,
 * most NICs), else in generic (SKB) mode, with XDP_FLAGS_UPDATE_IF_NOEXIST: an
 * interface that already runs someone else's XDP program is not taken over.
 * Native mode on a veth also makes the kernel turn off software GSO (TSO) on
 * the peer (veth_xdp_set), so the peer sends MTU-sized frames that fit one
 * UMEM frame; in generic mode a 64 KiB GSO frame would not fit and be dropped. */
#ifndef HV_XDP_PROG_H
#define HV_XDP_PROG_H

#include <stddef.h>
#include <stdint.h>

struct hv_xdp_prog {
  int map_fd;      /* XSKMAP, one slot per queue */
  int prog_fd;
  unsigned ifindex;
  uint32_t flags;  /* XDP_FLAGS_DRV_MODE or XDP_FLAGS_SKB_MODE, as attached */
  int vlan_restore; /* the device-bound variant that writes a stripped VLAN tag back */
};

/* Creates the XSKMAP (`queues` slots) and the program and attaches it to
 * `ifindex`.  Returns 0, or -1 with a message naming the cause in `err`. */
int hv_xdp_prog_attach(struct hv_xdp_prog *x, unsigned ifindex, const char *name, uint32_t queues,
                       char *err, size_t errlen);
/* Detaches the program (only if it is still ours) and closes its fds. */
void hv_xdp_prog_detach(struct hv_xdp_prog *x);

/* The device's receive queue count (ethtool channels: combined or rx), 1 if
 * the device does not say. */
uint32_t hv_dev_rx_queues(const char *name);
/* The device's MTU, 0 if it cannot be read. */
uint32_t hv_dev_mtu(const char *name);

#endif
