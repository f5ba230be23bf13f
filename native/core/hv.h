/* Common definitions of the hvswitch dataplane core (C11, no Node headers).
 *
 * Limits are compile-time so that every per-port and per-worker table is a flat
 * array allocated once: nothing on the packet path allocates or takes a lock.
 * Counters are declared once here (X-macros) and rendered everywhere else:
 * the addon exports the names, the controller turns them into stats and metrics. */
#ifndef HV_H
#define HV_H

#include <stddef.h>
#include <stdint.h>

/* The public headers are also read by the C++ glue, which has no C11 atomics:
 * they name atomic objects through this macro (same size and alignment). */
#ifdef __cplusplus
#define HV_ATOMIC(T) T
#else
#include <stdatomic.h>
#define HV_ATOMIC(T) _Atomic T
#endif

#define HV_MAX_PORTS 256
#define HV_MAX_BDS 256
#define HV_MAX_WORKERS 16
#define HV_BATCH 64
#define HV_VLAN_NONE 0
#define HV_VLAN_MAX 4094
#define HV_ETH_HLEN 14
#define HV_VLAN_HLEN 4
#define HV_ETHERTYPE_VLAN 0x8100
#define HV_ETHERTYPE_QINQ 0x88a8
/* Largest frame a port hands us: a 64 KiB GSO super-frame plus headers. */
#define HV_MAX_FRAME (65536 + 64)
/* A receive buffer slot: the largest frame with room for a vnet header. */
#define HV_RXBUF_SIZE (HV_MAX_FRAME + 128)

/* Per-port counters: name, help.  Order is the ABI with the addon. */
#define HV_PORT_COUNTERS(X)                                                         \
  X(rx_packets, "frames received")                                                  \
  X(rx_bytes, "bytes received")                                                     \
  X(tx_packets, "frames transmitted")                                               \
  X(tx_bytes, "bytes transmitted")                                                  \
  X(flooded, "frames this port flooded (unknown unicast, broadcast, multicast)")   \
  X(learned, "MAC addresses learned on this port")                                  \
  X(moved, "MAC addresses that moved to this port")                                 \
  X(mac_limit, "frames from new MACs not learned: port MAC limit reached")          \
  X(drop_runt, "dropped: shorter than an Ethernet header")                          \
  X(drop_bad_vlan_header, "dropped: truncated 802.1Q header")                       \
  X(drop_too_long, "dropped: longer than the port MTU")                             \
  X(drop_truncated, "dropped: truncated by the receive ring")                       \
  X(drop_bad_src_mac, "dropped: multicast or zero source MAC")                      \
  X(drop_vlan_not_allowed, "dropped: VLAN not allowed on the port")                 \
  X(drop_no_bridge, "dropped: port is in no bridge domain")                         \
  X(drop_tx_error, "dropped on transmit: ring/queue full or device error")          \
  X(drop_fdb_full, "frames whose source MAC found no FDB slot")                  \
  X(routed, "frames routed out of this port")                                      \
  X(drop_not_ip, "dropped on an L3 port: not IPv4, IPv6 or ARP")                   \
  X(drop_bad_ip_header, "dropped: malformed IPv4/IPv6/ARP header or checksum")    \
  X(drop_spoofed, "dropped on a VM port: source MAC or IP is not the VM's")         \
  X(drop_no_route, "dropped: no route in the VRF")                                 \
  X(drop_ttl_expired, "dropped: TTL or hop limit expired")                         \
  X(drop_neighbor, "dropped: next hop unresolved (ARP/ND) or its queue full")       \
  X(drop_local, "addressed to the switch and not handled (only ARP/ND/echo are)")  \
  X(drop_blackhole, "dropped by a drop or reject route")                            \
  X(icmp_sent, "ICMP/ICMPv6 errors and echo replies sent")                        \
  X(icmp_rate_limited, "ICMP errors not sent: rate limit")                          \
  X(nd_answered, "ARP requests and neighbor solicitations answered")                \
  X(arp_nd_suppressed, "evpn: ARP requests and neighbor solicitations for remote hosts answered from their MAC/IP routes, not flooded (suppress.h)") \
  X(drop_no_backend, "dropped: FDB or flood egress is a tunnel or bond that does not exist or has no backend") \
  X(punted, "frames sent to the controller (punt.h)")                              \
  X(drop_punt_full, "dropped: to be punted, punt ring full")                       \
  X(drop_punt_rate_limited, "dropped: to be punted, port punt rate limit")         \
  X(injected, "frames the controller sent out of this port")                       \
  X(inject_full, "frames the controller could not send: inject ring full")         \
  X(snooped, "ARP/ND frames copied to the controller (punt classes arp, nd)")       \
  X(snoop_lost, "ARP/ND copies not made: punt rate limit or ring full (frame forwarded)") \
  X(encap, "underlay: frames sent into a VXLAN tunnel")                            \
  X(decap, "underlay: frames received from a VXLAN tunnel and forwarded")          \
  X(drop_unknown_vni, "underlay: dropped, VNI not configured")                    \
  X(drop_unknown_vtep, "underlay: dropped, source VTEP not a known remote")       \
  X(drop_bad_vxlan, "underlay: dropped, malformed outer/VXLAN header or inner frame") \
  X(drop_underlay_mtu, "underlay: not sent, the encapsulated frame exceeds the underlay MTU") \
  X(drop_offload, "underlay: not sent, checksum/segmentation offload not possible")  \
  X(drop_bad_rmac, "underlay: dropped, L3 VNI frame whose inner destination MAC is not our router MAC") \
  X(drop_tunnel_hairpin, "underlay: dropped, from a tunnel to a tunnel (split horizon)") \
  X(mpls_encap, "mpls: packets sent into an MPLS over UDP/GRE tunnel (mpls.h)")   \
  X(mpls_decap, "mpls: packets received from an MPLS tunnel, label popped")       \
  X(drop_unknown_label, "mpls: dropped, MPLS label not mapped to a VRF")          \
  X(drop_bad_mpls, "mpls: dropped, malformed outer/GRE/MPLS header or inner packet") \
  X(drop_stp_discarding, "dropped: spanning tree, port discarding or its unicast egress not forwarding (stp.h)") \
  X(drop_stp_learning, "dropped after learning: spanning tree, port learning (stp.h)") \
  X(drop_bond_not_collecting, "bond member: dropped, the member is not collecting (LACP) or in no bond") \
  X(drop_bond_no_member, "bond: dropped, no member distributing")                  \
  X(drop_es_not_df, "evpn: BUM from a tunnel not flooded into an Ethernet segment, not its DF (es.h)") \
  X(drop_es_local_bias, "evpn: BUM from a tunnel not flooded into an Ethernet segment its sender shares (es.h)") \
  X(gro_merged, "tx: TCP segments from a tunnel merged into the GSO frame of the segment before them (gro.h)") \
  X(drop_socket_rcvbuf, "underlay: dropped by the kernel at the receive socket, its buffer full (SO_MEMINFO; a GRO run counts once)") \
  X(tx_zero_copy, "tx: AF_XDP frames sent as received, from a UMEM shared with the receiving port, without a copy") \
  X(drop_rx_kernel, "dropped by the kernel before the switch read them: AF_PACKET socket or ring full (SO_MEMINFO), AF_XDP rx ring full or no fill frame (XDP_STATISTICS)")

/* Per-worker statistics: name, help.  Declared once: struct hv_worker_stats
 * (core.h), the addon (names and help exported as `workerStats`), the TS types,
 * the metrics; the proto's WorkerStats message is checked against it by a
 * unit test (test/unit/worker-stats.test.ts). */
#define HV_WORKER_STATS(X)                                        \
  X(loops, "worker poll loop iterations")                         \
  X(batches, "non-empty receive batches processed by a worker")   \
  X(packets, "frames received by a worker")                        \
  X(polls, "non-blocking polls of a worker's ports (poll timeout 0)") \
  X(empty_polls, "worker loop iterations that found no frame")     \
  X(sleeps, "times a worker blocked in poll(2) waiting for frames")

enum hv_port_counter {
#define HV_X(name, help) HV_CTR_##name,
  HV_PORT_COUNTERS(HV_X)
#undef HV_X
      HV_CTR_MAX
};

struct hv_port_counters {
  uint64_t v[HV_CTR_MAX];
};

/* Events that workers report to the controller, in batches. */
enum hv_event_kind { HV_EV_LEARNED = 1, HV_EV_MOVED = 2, HV_EV_AGED = 3, HV_EV_RING_OVERFLOW = 4 };

struct hv_event {
  uint8_t kind;
  uint8_t mac[6];
  uint8_t pad;
  uint16_t bd;
  uint16_t vlan;
  uint16_t port;
  uint16_t old_port;   /* HV_EV_MOVED: previous port, HV_FDB_NO_PORT (0xffff) if it was not a local port */
  uint32_t count;      /* HV_EV_RING_OVERFLOW: events lost */
  uint32_t old_egress; /* HV_EV_MOVED: previous egress handle (egress.h), e.g. a remote entry's tunnel */
};

/* Relaxed single-writer counter bump: a plain load/store, no bus lock. */
static inline void hv_ctr_add(uint64_t *c, uint64_t n) { *c += n; }

#endif
