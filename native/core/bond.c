/* Bonds (bond.h): the logical port's backend, the settings rules, the
 * distributing set rebuilt at each view publish, the member receive stage and
 * the transmit hash. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bond.h"
#include "mix64.h"
#include "stage.h"

/* ---- the logical port: nothing to poll, nothing sent directly ------------ */

static int bond_rx(struct hv_port *p, struct hv_pkt *pkts, int max, uint8_t *bufs, uint32_t buf_size) {
  (void)p, (void)pkts, (void)max, (void)bufs, (void)buf_size;
  return 0;
}
static void bond_rx_done(struct hv_port *p) { (void)p; }
/* Frames for a bond are queued on a member (hv_bond_put); whatever reaches
 * the bond's own queue (an inject) is refused and counted as drop_tx_error. */
static int bond_tx(struct hv_port *p, const struct hv_txreq *reqs, int n) {
  (void)p, (void)reqs, (void)n;
  return 0;
}
static void bond_close(struct hv_port *p) { free(p); }

static const struct hv_port_ops bond_ops = {
    .rx_burst = bond_rx, .rx_done = bond_rx_done, .tx_burst = bond_tx, .close = bond_close};

struct hv_port *hv_port_bond_open(const struct hv_port_open_params *pp, char *err, size_t errlen) {
  struct hv_port *p = calloc(1, sizeof *p);
  if (!p) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  p->ops = &bond_ops;
  p->kind = HV_PORT_BOND;
  p->fd = -1; /* poll() skips it: a bond receives through its members */
  p->fd2 = -1;
  p->mtu = pp->mtu ? pp->mtu : 1500;
  snprintf(p->name, sizeof p->name, "%s", pp->name);
  return p;
}

/* ---- control side ------------------------------------------------------- */

int hv_bond_settings_check(const struct hv_view *v, int kind, uint16_t id, const struct hv_port_settings *s,
                           char *err, size_t errlen) {
  if (kind == HV_PORT_BOND && !hv_mode_is_bridged(s->mode)) {
    snprintf(err, errlen, "mode: a bond is an access or trunk port");
    return -1;
  }
  if (!hv_mode_is_member(s->mode)) return 0;
  if (kind == HV_PORT_BOND || kind == HV_PORT_UDP || kind == HV_PORT_MPLS) {
    snprintf(err, errlen, "mode: only a TAP, AF_PACKET or memory port can be a bond member");
    return -1;
  }
  if (s->bd != HV_NO_BD) {
    snprintf(err, errlen, "a bond member belongs to no bridge domain: its bond does");
    return -1;
  }
  if (s->bond >= HV_MAX_PORTS || s->bond == id || !hv_port_is_bond(&v->ports[s->bond])) {
    snprintf(err, errlen, "bond: port id %u is not a bond", s->bond);
    return -1;
  }
  uint32_t members = 0;
  for (uint32_t q = 0; q < v->nports; q++)
    if (q != id && v->ports[q].port && hv_port_is_member(&v->ports[q]) && v->ports[q].bond.of == s->bond) members++;
  if (members >= HV_BOND_MAX_MEMBERS) {
    snprintf(err, errlen, "bond: port id %u already has %d members (the most a bond has)", s->bond,
             HV_BOND_MAX_MEMBERS);
    return -1;
  }
  return 0;
}

void hv_bond_apply(struct hv_port_cfg *pc, const struct hv_port_settings *s) {
  uint16_t of = hv_mode_is_member(s->mode) ? s->bond : HV_MAX_PORTS;
  if (pc->bond.of != of || !hv_mode_is_member(s->mode)) {
    pc->bond.collecting = 0; /* a new bond: its LACP decides again */
    pc->bond.distributing = 0;
  }
  pc->bond.of = of;
}

void hv_bond_refresh(struct hv_view *n) {
  for (uint32_t q = 0; q < n->nports; q++)
    if (hv_port_is_bond(&n->ports[q])) n->ports[q].bond.ndist = 0;
  for (uint32_t q = 0; q < n->nports; q++) {
    struct hv_port_cfg *m = &n->ports[q];
    if (!m->port || !hv_port_is_member(m)) continue;
    m->punt_mask |= HV_PUNT_slow; /* LACPDUs are the controller's, never forwarded */
    if (m->bond.of >= n->nports || !hv_port_is_bond(&n->ports[m->bond.of])) continue;
    struct hv_bond_cfg *b = &n->ports[m->bond.of].bond;
    if (m->bond.distributing && b->ndist < HV_BOND_MAX_MEMBERS) b->dist[b->ndist++] = (uint16_t)q;
  }
}

int hv_core_bond_member(struct hv_core *c, uint16_t member, int collecting, int distributing, char *err,
                        size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  if (member >= HV_MAX_PORTS || !v->ports[member].port || !hv_port_is_member(&v->ports[member])) {
    snprintf(err, errlen, "port id %u is not a bond member", member);
    return -1;
  }
  const struct hv_bond_cfg *cur = &v->ports[member].bond;
  if (cur->collecting == !!collecting && cur->distributing == !!distributing) return 0;
  struct hv_view *n = hv_view_copy(c);
  if (!n) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  n->ports[member].bond.collecting = (uint8_t)!!collecting;
  n->ports[member].bond.distributing = (uint8_t)!!distributing;
  hv_view_commit(c, n);
  return 0;
}

int hv_core_bond_hash(struct hv_core *c, uint16_t bond, uint8_t hash, char *err, size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  if (bond >= HV_MAX_PORTS || !hv_port_is_bond(&v->ports[bond])) {
    snprintf(err, errlen, "port id %u is not a bond", bond);
    return -1;
  }
  if (hash != HV_BOND_HASH_L2 && hash != HV_BOND_HASH_L3L4) {
    snprintf(err, errlen, "hash %u is not l2 or l3l4", hash);
    return -1;
  }
  if (v->ports[bond].bond.hash == hash) return 0;
  struct hv_view *n = hv_view_copy(c);
  if (!n) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  n->ports[bond].bond.hash = hash;
  hv_view_commit(c, n);
  return 0;
}

int hv_core_bond_distributing(struct hv_core *c, uint16_t bond, uint16_t *out, int max) {
  const struct hv_view *v = atomic_load(&c->view);
  if (bond >= HV_MAX_PORTS || !hv_port_is_bond(&v->ports[bond])) return 0;
  const struct hv_bond_cfg *b = &v->ports[bond].bond;
  int n = 0;
  for (; n < b->ndist && n < max; n++) out[n] = b->dist[n];
  return n;
}

/* ---- packet path ---------------------------------------------------------- */

void hv_stage_bond_rx(struct hv_batch *b) {
  const struct hv_view *v = b->v;
  const struct hv_port_cfg *mc = b->pc;
  struct hv_port_counters *ctr = &b->w->ctr[b->in];
  uint16_t id = mc->bond.of;
  const struct hv_port_cfg *bc = id < v->nports && hv_port_is_bond(&v->ports[id]) ? &v->ports[id] : NULL;
  int accept = bc && mc->bond.collecting;
  int k = 0;
  for (int i = 0; i < b->n; i++) {
    struct hv_pkt *p = &b->pkts[i];
    hv_rx_account(ctr, p, b->in); /* the member counts every frame of its link */
    if (p->drop) { /* punted (or not) by the member's punt stage */
      hv_ctr_add(&ctr->v[p->drop], 1);
      continue;
    }
    if (!accept) {
      hv_ctr_add(&ctr->v[HV_CTR_drop_bond_not_collecting], 1);
      continue;
    }
    if (k != i) { /* keep the accepted frames at the front: the batch is the bond's now */
      struct hv_pkt t = b->pkts[k];
      b->pkts[k] = *p;
      *p = t;
    }
    k++;
  }
  b->n = k;
  if (!bc) return;
  b->in = id;
  b->pc = bc;
  b->bd = bc->bd != HV_NO_BD ? v->bds[bc->bd] : NULL;
}

static inline uint64_t rd_be(const uint8_t *d, int n) {
  uint64_t x = 0;
  for (int i = 0; i < n; i++) x = x << 8 | d[i];
  return x;
}

static uint64_t hash_l2(const struct hv_pkt *p) {
  return hv_mix64(rd_be(p->data, 6) ^ (rd_be(p->data + 6, 6) << 16) ^ ((uint64_t)p->vlan << 48));
}

/* TCP, UDP, SCTP: the ports are the first four octets of the L4 header. */
static inline int has_ports(uint8_t proto) { return proto == 6 || proto == 17 || proto == 132; }

static uint64_t hash_l3l4(const struct hv_pkt *p) {
  const uint8_t *d = p->data;
  uint32_t l3 = p->l3_off, len = p->len;
  if (p->ethertype == 0x0800 && len >= l3 + 20) {
    uint32_t ihl = (uint32_t)(d[l3] & 0x0f) * 4;
    uint64_t k = rd_be(d + l3 + 12, 8) ^ ((uint64_t)d[l3 + 9] << 56);
    int fragment = ((d[l3 + 6] & 0x3f) | d[l3 + 7]) != 0; /* MF or an offset: no ports in every fragment */
    if (!fragment && has_ports(d[l3 + 9]) && ihl >= 20 && len >= l3 + ihl + 4)
      k ^= hv_mix64(rd_be(d + l3 + ihl, 4));
    return hv_mix64(k);
  }
  if (p->ethertype == 0x86dd && len >= l3 + 40) {
    uint64_t k = (uint64_t)d[l3 + 6] << 56;
    for (int i = 0; i < 4; i++) k = hv_mix64(k ^ rd_be(d + l3 + 8 + 8 * i, 8));
    if (has_ports(d[l3 + 6]) && len >= l3 + 44) k ^= hv_mix64(rd_be(d + l3 + 40, 4));
    return hv_mix64(k);
  }
  return hash_l2(p);
}

uint64_t hv_bond_flow_hash(uint8_t hash, const struct hv_pkt *p) {
  return hash == HV_BOND_HASH_L3L4 ? hash_l3l4(p) : hash_l2(p);
}

void hv_bond_put(struct hv_worker *w, const struct hv_port_cfg *bond, uint16_t id, struct hv_pkt *p, uint16_t tci) {
  const struct hv_bond_cfg *b = &bond->bond;
  struct hv_port_counters *ctr = &w->ctr[id];
  if (!b->ndist) {
    hv_ctr_add(&ctr->v[HV_CTR_drop_bond_no_member], 1);
    return;
  }
  uint16_t m = b->dist[hv_bond_flow_hash(b->hash, p) % b->ndist];
  /* the bond counts what it hands to a member; the member counts what leaves */
  hv_ctr_add(&ctr->v[HV_CTR_tx_packets], 1);
  hv_ctr_add(&ctr->v[HV_CTR_tx_bytes], (uint64_t)((int64_t)p->len + (tci ? 4 : 0) - (p->tag_in_data ? 4 : 0)));
  hv_txq_put(w, m, p, tci);
}
