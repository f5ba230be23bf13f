/* MPLS tunnels and the label table: the control side (mpls.h).
 *
 * Tunnel slots: one array of HV_MAX_MPLS_TUNNELS allocated at the first add
 * (pages touched only as slots are used), each with a prebuilt outer header;
 * a slot is written, then published by a release store of its state, and on
 * delete unpublished and reused only after every worker passed a quiescent
 * state.  Label table: 2^20 atomic VRF indexes allocated at the first label,
 * stored in place (relaxed: a worker sees the old or the new VRF, both valid
 * for the packet; a VRF removed is found missing in the view and counted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "csum.h"

/* The outer headers of a tunnel; lengths, source port, checksums and the
 * label entry are the encapsulation's to fill per packet. */
static uint8_t build_outer(uint8_t *o, const struct hv_mpls_tunnel_cfg *t) {
  uint8_t ttl = t->ttl ? t->ttl : 64;
  uint8_t proto = t->encap == HV_MPLS_UDP ? 17 : HV_PROTO_GRE;
  uint8_t l3;
  memset(o, 0, HV_MPLS_OUTER_MAX);
  if (t->af == 4) {
    o[0] = 0x45;
    hv_wr16(o + 6, 0x4000); /* don't fragment */
    o[8] = ttl;
    o[9] = proto;
    memcpy(o + 12, t->local, 4);
    memcpy(o + 16, t->remote, 4);
    l3 = 20;
  } else {
    o[0] = 0x60;
    o[6] = proto;
    o[7] = ttl;
    memcpy(o + 8, t->local, 16);
    memcpy(o + 24, t->remote, 16);
    l3 = 40;
  }
  if (t->encap == HV_MPLS_UDP) {
    hv_wr16(o + l3 + 2, HV_MPLS_UDP_PORT);
    return (uint8_t)(l3 + 8 + 4);
  }
  hv_wr16(o + l3 + 2, HV_ETHERTYPE_MPLS); /* GRE: flags and version 0 */
  return (uint8_t)(l3 + 4 + 4);
}

static int check_tunnel(struct hv_core *c, uint32_t id, const struct hv_mpls_tunnel_cfg *t, char *err,
                        size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  static const uint8_t zero[16];
  if (id >= HV_MAX_MPLS_TUNNELS)
    return snprintf(err, errlen, "tunnel id %u is above %u", id, HV_MAX_MPLS_TUNNELS - 1), -1;
  if (c->mpls.tunnels && atomic_load(&c->mpls.tunnels[id].state))
    return snprintf(err, errlen, "tunnel %u exists", id), -1;
  if (t->underlay >= v->nports || !v->ports[t->underlay].port || !hv_mode_is_underlay(v->ports[t->underlay].mode) ||
      !v->ports[t->underlay].port->mpls)
    return snprintf(err, errlen, "underlay: port %u is not an MPLS underlay port", t->underlay), -1;
  if (t->af != 4 && t->af != 6) return snprintf(err, errlen, "af: %u is not 4 or 6", t->af), -1;
  if (t->encap != HV_MPLS_UDP && t->encap != HV_MPLS_GRE)
    return snprintf(err, errlen, "encap: %u is not %u (MPLS over UDP) or %u (MPLS over GRE)", t->encap, HV_MPLS_UDP,
                    HV_MPLS_GRE), -1;
  size_t alen = t->af == 4 ? 4 : 16;
  if (!memcmp(t->remote, zero, alen)) return snprintf(err, errlen, "remote: the unspecified address"), -1;
  if (!memcmp(t->local, zero, alen)) return snprintf(err, errlen, "local: the unspecified address"), -1;
  return 0;
}

int hv_core_mpls_tunnel_add(struct hv_core *c, uint32_t id, const struct hv_mpls_tunnel_cfg *t, char *err,
                            size_t errlen) {
  if (check_tunnel(c, id, t, err, errlen)) return -1;
  if (!c->mpls.tunnels && !(c->mpls.tunnels = calloc(HV_MAX_MPLS_TUNNELS, sizeof *c->mpls.tunnels)))
    return snprintf(err, errlen, "out of memory"), -1;
  struct hv_mpls_tunnel *s = &c->mpls.tunnels[id];
  s->underlay = t->underlay;
  s->af = t->af;
  s->encap = t->encap;
  s->outer_len = build_outer(s->outer, t);
  atomic_store_explicit(&s->state, 1, memory_order_release);
  return 0;
}

int hv_core_mpls_tunnel_del(struct hv_core *c, uint32_t id) {
  if (id >= HV_MAX_MPLS_TUNNELS || !c->mpls.tunnels || !atomic_load(&c->mpls.tunnels[id].state)) return -1;
  atomic_store_explicit(&c->mpls.tunnels[id].state, 0, memory_order_release);
  hv_core_synchronize(c); /* no worker reads the slot any more: it may be reused */
  return 0;
}

static _Atomic uint16_t *labels_of(const struct hv_core *c) {
  return (_Atomic uint16_t *)atomic_load_explicit(&c->mpls.labels, memory_order_acquire);
}

int hv_core_mpls_label_set(struct hv_core *c, uint32_t label, uint16_t vrf, char *err, size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  if (label < HV_MPLS_LABEL_MIN || label > HV_MPLS_LABEL_MAX)
    return snprintf(err, errlen, "label: %u is not %u-%u (0-15 are reserved, RFC 3032)", label, HV_MPLS_LABEL_MIN,
                    HV_MPLS_LABEL_MAX), -1;
  if (vrf >= HV_MAX_VRFS || !v->vrfs[vrf]) return snprintf(err, errlen, "vrf: index %u does not exist", vrf), -1;
  _Atomic uint16_t *l = labels_of(c);
  if (!l) {
    if (!(l = malloc(((size_t)HV_MPLS_LABEL_MAX + 1) * sizeof *l))) return snprintf(err, errlen, "out of memory"), -1;
    for (uint32_t i = 0; i <= HV_MPLS_LABEL_MAX; i++) atomic_init(&l[i], HV_MPLS_NO_VRF);
    atomic_store_explicit(&c->mpls.labels, (uintptr_t)l, memory_order_release);
  }
  atomic_store_explicit(&l[label], vrf, memory_order_relaxed);
  return 0;
}

int hv_core_mpls_label_del(struct hv_core *c, uint32_t label) {
  if (label > HV_MPLS_LABEL_MAX || hv_core_mpls_label_get(c, label) == HV_MPLS_NO_VRF) return -1;
  atomic_store_explicit(&labels_of(c)[label], HV_MPLS_NO_VRF, memory_order_relaxed);
  return 0;
}

uint16_t hv_core_mpls_label_get(const struct hv_core *c, uint32_t label) {
  _Atomic uint16_t *l = labels_of(c);
  if (label > HV_MPLS_LABEL_MAX || !l) return HV_MPLS_NO_VRF;
  return atomic_load_explicit(&l[label], memory_order_relaxed);
}

void hv_mpls_destroy(struct hv_core *c) {
  free(c->mpls.tunnels);
  free((void *)labels_of(c));
}

struct hv_mpls_state *hv_mpls_state_create(void) { return calloc(1, sizeof(struct hv_mpls_state)); }
void hv_mpls_state_destroy(struct hv_mpls_state *s) { free(s); }
