/* Layer 3: VRFs, next hops and the neighbor table.  The routing stages are
 * l3_ingress.c and l3_forward.c, with arp_nd.c and icmp.c (stage.h).
 *
 * A VRF owns an IPv4 FIB (fib4, DIR-24-8) and an IPv6 FIB (fib6, multibit
 * trie) whose results are next-hop ids into one next-hop table.  A next hop
 * is: a connected port (resolve the packet's destination), a gateway on a port
 * (resolve the gateway), a fixed MAC on a port (routed VM ports: the VM's MAC
 * is configured, never resolved), local delivery, drop, reject (ICMP
 * unreachable), or an ECMP group of up to HV_ECMP_MAX members chosen by a
 * 5-tuple hash.  The controller writes a next-hop entry only while no route
 * refers to it (fresh id, repoint routes, retire the old id for a grace
 * period), so workers read entries without locks.
 *
 * L3 ports: `routed` (an interface of a VRF with addresses: answers ARP and
 * neighbor solicitations for them, resolves next hops with ARP/ND) and `vm`
 * (a routed VM port: the VM's /32s and /128s and MAC are configured; the
 * switch answers ARP for 169.254.0.1 and NS for fe80::1 with the port's MAC
 * and drops frames whose source MAC or IP is not the VM's).
 *
 * Forwarding: RFC 1812 §5.3.1 TTL decrement with an RFC 1624 incremental
 * checksum update, RFC 8200 hop limit; ICMP/ICMPv6 time exceeded and
 * unreachable (RFC 792, RFC 4443), rate limited per worker; echo requests to
 * our own addresses are answered.  Not supported: IPv4 options processing
 * beyond forwarding them, fragmentation (frames over the egress MTU are
 * dropped and counted), SVIs on bridge domains, IPv6 extension-header walk for
 * ND/echo (only directly carried ICMPv6). */
#ifndef HV_L3_H
#define HV_L3_H

#include "hv.h"

#define HV_MAX_VRFS 256
#define HV_MAX_NH 65536
#define HV_ECMP_MAX 8
#define HV_L3_ADDRS 4

enum hv_nh_kind {
  HV_NH_NONE = 0,
  HV_NH_CONNECTED = 1, /* on `port`: next hop is the packet's destination */
  HV_NH_GATEWAY = 2,   /* on `port`: next hop is `gw` */
  HV_NH_MAC = 3,       /* on `port`: send to `mac` (routed VM ports) */
  HV_NH_LOCAL = 4,     /* our own address: ICMP echo answered, rest dropped */
  HV_NH_DROP = 5,      /* blackhole */
  HV_NH_REJECT = 6,    /* ICMP destination unreachable */
  HV_NH_ECMP = 7,      /* one of `members`, by flow hash */
  HV_NH_MPLS = 8,      /* into MPLS tunnel `tunnel` with label `label` (mpls.h) */
  HV_NH_VXLAN = 9,     /* into VXLAN tunnel `tunnel` (its VNI an L3 VNI) as an Ethernet frame
                        * `smac` -> `mac`: EVPN type-5 symmetric IRB (vxlan.h) */
};

struct hv_nh {
  uint8_t kind;
  uint8_t af;     /* 4 or 6: family of `gw` */
  uint16_t port;
  uint8_t mac[6];
  uint8_t nmembers;
  uint8_t pad;
  uint8_t gw[16]; /* IPv4 in the first 4 bytes, network order */
  uint32_t members[HV_ECMP_MAX];
  uint32_t tunnel; /* HV_NH_MPLS: MPLS tunnel id */
  uint32_t label;  /* HV_NH_MPLS: the label the remote PE advertised */
  uint8_t smac[6]; /* HV_NH_VXLAN: our router MAC (mac: the remote's) */
};

/* Neighbor states (RFC 4861 §7.3.2, and the same for ARP). */
enum hv_neigh_state {
  HV_NEIGH_NONE = 0,
  HV_NEIGH_INCOMPLETE = 1, /* request sent, no answer yet */
  HV_NEIGH_REACHABLE = 2,  /* confirmed within the reachable time */
  HV_NEIGH_STALE = 3,      /* usable, re-confirmed on use */
  HV_NEIGH_FAILED = 4,     /* no answer after the retries */
  HV_NEIGH_PERMANENT = 5,  /* configured by the controller */
};

struct hv_neigh_entry {
  uint16_t port;
  uint8_t af;
  uint8_t state;
  uint8_t ip[16];
  uint8_t mac[6];
  uint32_t updated; /* core seconds of the last confirmation */
  uint32_t probes;  /* requests sent in the current resolution */
};

#endif
