/* ARP and ND suppression for EVPN (RFC 7432 §10, RFC 9161): the (bridge
 * domain, VLAN, IP) -> MAC bindings of remote hosts, from the MAC/IP
 * advertisement routes the controller imports.  An ARP request (RFC 826) or a
 * neighbor solicitation (RFC 4861 §7.2.3) that a local port sends for one of
 * these addresses is answered by the switch on that port, as the remote host
 * would answer it, and is not flooded into the tunnels (counter
 * arp_nd_suppressed).  Requests for other addresses, gratuitous ARP, probes
 * (sender 0.0.0.0) and duplicate address detection (NS from ::) flood as
 * before.
 *
 * Fixed-size open addressing of HV_SUPPRESS_SLOTS; each slot is guarded by a
 * sequence counter (seqlock, as neigh.h): workers read without locks, the
 * controller writes under one spin flag.  A removed entry leaves a tombstone
 * that a later insert on the same probe path reuses, so probe chains never
 * break and the table holds up to HV_SUPPRESS_SLOTS / 2 live bindings; past
 * that an insert is refused (the request then floods, as without
 * suppression).  Workers look up only ARP requests and solicitations from
 * local ports, never a data frame. */
#ifndef HV_SUPPRESS_H
#define HV_SUPPRESS_H

#include <stdint.h>

#define HV_SUPPRESS_SLOTS (1u << 16)

struct hv_suppress;

struct hv_suppress_entry {
  uint16_t bd;
  uint16_t vlan;
  uint8_t af; /* 4 or 6 */
  uint8_t ip[16];
  uint8_t mac[6];
};

struct hv_suppress *hv_suppress_create(void);
void hv_suppress_destroy(struct hv_suppress *t);
/* The MAC bound to (bd, vlan, af, ip) into `mac`; 1 if there is one. */
int hv_suppress_lookup(const struct hv_suppress *t, uint16_t bd, uint16_t vlan, uint8_t af, const uint8_t *ip,
                       uint8_t mac[6]);
/* Binds (bd, vlan, af, ip) to `mac` (added or replaced); 0, or -1 when the table is full. */
int hv_suppress_set(struct hv_suppress *t, uint16_t bd, uint16_t vlan, uint8_t af, const uint8_t *ip,
                    const uint8_t mac[6]);
/* Removes the binding; 1 if there was one. */
int hv_suppress_del(struct hv_suppress *t, uint16_t bd, uint16_t vlan, uint8_t af, const uint8_t *ip);
/* Removes every binding of bridge domain `bd` (a removed bridge); how many. */
uint32_t hv_suppress_flush(struct hv_suppress *t, uint16_t bd);
/* Live bindings. */
uint32_t hv_suppress_count(const struct hv_suppress *t);
typedef void (*hv_suppress_cb)(void *ctx, const struct hv_suppress_entry *e);
void hv_suppress_walk(const struct hv_suppress *t, hv_suppress_cb cb, void *ctx);

#endif
