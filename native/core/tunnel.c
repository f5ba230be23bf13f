/* Tunnel endpoints and the VNI map: the control side (vxlan.h).
 *
 * Tunnel slots live in one array allocated at the first add (HV_MAX_TUNNELS
 * slots; pages are touched only as slots are used).  The decapsulation
 * lookups (VNI -> bridge domain and VLAN, known remote VTEPs) are sorted
 * arrays published copy-on-write in the view: rebuilt when a VNI is mapped or
 * unmapped, or when a remote VTEP address appears or goes (the control side
 * counts the tunnels per remote address), not on every tunnel change. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "csum.h"

static int vtep_cmp(const struct hv_vtep_entry *a, const struct hv_vtep_entry *b) {
  if (a->af != b->af) return a->af < b->af ? -1 : 1;
  return memcmp(a->addr, b->addr, 16);
}

/* Binary search in the control side's sorted VTEP list; returns the insertion
 * point and whether the address is there. */
static uint32_t vtep_pos(const struct hv_core *c, const struct hv_vtep_entry *e, int *found) {
  uint32_t lo = 0, hi = c->nvteps;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    int r = vtep_cmp(&c->vteps[mid].e, e);
    if (r == 0) {
      *found = 1;
      return mid;
    }
    if (r < 0) lo = mid + 1;
    else hi = mid;
  }
  *found = 0;
  return lo;
}

/* Builds the decapsulation map from the control side's lists and publishes it. */
static int publish_map(struct hv_core *c) {
  size_t bytes = sizeof(struct hv_vxlan_map) + c->nvnis * sizeof(struct hv_vni_entry) +
                 c->nvteps * sizeof(struct hv_vtep_entry);
  struct hv_vxlan_map *m = malloc(bytes);
  struct hv_view *n = hv_view_copy(c);
  if (!m || !n) {
    free(m);
    free(n);
    return -1;
  }
  m->nvni = c->nvnis;
  m->nvtep = c->nvteps;
  m->vni = (struct hv_vni_entry *)(m + 1);
  m->vtep = (struct hv_vtep_entry *)(m->vni + c->nvnis);
  if (c->nvnis) memcpy(m->vni, c->vnis, c->nvnis * sizeof *m->vni);
  for (uint32_t i = 0; i < c->nvteps; i++) m->vtep[i] = c->vteps[i].e;
  struct hv_vxlan_map *old = n->vx;
  n->vx = m;
  hv_view_commit(c, n);
  hv_vxlan_map_free(old);
  return 0;
}

void hv_vxlan_map_free(struct hv_vxlan_map *m) { free(m); }

const struct hv_vni_entry *hv_vni_find(const struct hv_vxlan_map *m, uint32_t vni) {
  if (!m) return NULL;
  uint32_t lo = 0, hi = m->nvni;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (m->vni[mid].vni == vni) return &m->vni[mid];
    if (m->vni[mid].vni < vni) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

int hv_vtep_known(const struct hv_vxlan_map *m, uint8_t af, const uint8_t *addr) {
  if (!m) return 0;
  struct hv_vtep_entry e = {.af = af};
  memcpy(e.addr, addr, af == 4 ? 4 : 16);
  uint32_t lo = 0, hi = m->nvtep;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    int r = vtep_cmp(&m->vtep[mid], &e);
    if (r == 0) return 1;
    if (r < 0) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/* Counts one more (delta 1) or one fewer (-1) tunnel to `e`; returns 1 if the
 * set of addresses changed, 0 if not, -1 if out of memory. */
static int vtep_ref(struct hv_core *c, const struct hv_vtep_entry *e, int delta) {
  int found;
  uint32_t at = vtep_pos(c, e, &found);
  if (found) {
    c->vteps[at].refs += (uint32_t)delta;
    if (c->vteps[at].refs) return 0;
    memmove(&c->vteps[at], &c->vteps[at + 1], (c->nvteps - at - 1) * sizeof *c->vteps);
    c->nvteps--;
    return 1;
  }
  if (delta < 0) return 0;
  if (c->nvteps == c->vtep_cap) {
    uint32_t cap = c->vtep_cap ? c->vtep_cap * 2 : 64;
    struct hv_vtep_ref *nv = realloc(c->vteps, cap * sizeof *nv);
    if (!nv) return -1;
    c->vteps = nv;
    c->vtep_cap = cap;
  }
  memmove(&c->vteps[at + 1], &c->vteps[at], (c->nvteps - at) * sizeof *c->vteps);
  c->vteps[at] = (struct hv_vtep_ref){.e = *e, .refs = 1};
  c->nvteps++;
  return 1;
}

/* The outer headers of a tunnel, lengths/ports/checksums left for each frame. */
static uint8_t build_outer(uint8_t *o, const struct hv_tunnel_cfg *t) {
  uint8_t ttl = t->ttl ? t->ttl : 64;
  uint8_t l3;
  memset(o, 0, HV_OUTER_MAX);
  if (t->af == 4) {
    o[0] = 0x45;
    hv_wr16(o + 6, 0x4000); /* don't fragment */
    o[8] = ttl;
    o[9] = 17;
    memcpy(o + 12, t->local, 4);
    memcpy(o + 16, t->remote, 4);
    l3 = 20;
  } else {
    o[0] = 0x60;
    o[6] = 17;
    o[7] = ttl;
    memcpy(o + 8, t->local, 16);
    memcpy(o + 24, t->remote, 16);
    l3 = 40;
  }
  hv_wr16(o + l3 + 2, HV_VXLAN_PORT);
  o[l3 + 8] = HV_VXLAN_FLAG_I;
  o[l3 + 12] = (uint8_t)(t->vni >> 16);
  o[l3 + 13] = (uint8_t)(t->vni >> 8);
  o[l3 + 14] = (uint8_t)t->vni;
  return (uint8_t)(l3 + 8 + HV_VXLAN_HLEN);
}

static int check_tunnel(struct hv_core *c, uint32_t id, const struct hv_tunnel_cfg *t, char *err, size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  static const uint8_t zero[16];
  if (id >= HV_MAX_TUNNELS) return snprintf(err, errlen, "tunnel id %u is above %u", id, HV_MAX_TUNNELS - 1), -1;
  if (c->tunnels && atomic_load(&c->tunnels[id].state))
    return snprintf(err, errlen, "tunnel %u exists", id), -1;
  if (t->underlay >= v->nports || !v->ports[t->underlay].port || !hv_mode_is_underlay(v->ports[t->underlay].mode))
    return snprintf(err, errlen, "underlay: port %u is not an underlay port", t->underlay), -1;
  if (t->af != 4 && t->af != 6) return snprintf(err, errlen, "af: %u is not 4 or 6", t->af), -1;
  if (t->vni > HV_VNI_MAX) return snprintf(err, errlen, "vni: %u is above 16777215", t->vni), -1;
  size_t alen = t->af == 4 ? 4 : 16;
  if (!memcmp(t->remote, zero, alen)) return snprintf(err, errlen, "remote: the unspecified address"), -1;
  if (!memcmp(t->local, zero, alen)) return snprintf(err, errlen, "local: the unspecified address"), -1;
  return 0;
}

int hv_core_tunnel_add(struct hv_core *c, uint32_t id, const struct hv_tunnel_cfg *t, char *err, size_t errlen) {
  if (check_tunnel(c, id, t, err, errlen)) return -1;
  if (!c->tunnels && !(c->tunnels = calloc(HV_MAX_TUNNELS, sizeof *c->tunnels)))
    return snprintf(err, errlen, "out of memory"), -1;
  struct hv_vtep_entry e = {.af = t->af};
  memcpy(e.addr, t->remote, t->af == 4 ? 4 : 16);
  int changed = vtep_ref(c, &e, 1);
  if (changed < 0) return snprintf(err, errlen, "out of memory"), -1;
  struct hv_tunnel *s = &c->tunnels[id];
  s->underlay = t->underlay;
  s->af = t->af;
  s->vni = t->vni;
  s->outer_len = build_outer(s->outer, t);
  s->outer_sum = t->af == 4 ? hv_csum_add(0, s->outer, 20) : 0; /* per frame: + the total length */
  atomic_store_explicit(&s->state, 1, memory_order_release);
  if (changed && publish_map(c)) {
    hv_core_tunnel_del(c, id);
    return snprintf(err, errlen, "out of memory"), -1;
  }
  return 0;
}

int hv_core_tunnel_del(struct hv_core *c, uint32_t id) {
  if (id >= HV_MAX_TUNNELS || !c->tunnels || !atomic_load(&c->tunnels[id].state)) return -1;
  struct hv_tunnel *s = &c->tunnels[id];
  atomic_store_explicit(&s->state, 0, memory_order_release);
  hv_core_synchronize(c); /* no worker reads the slot any more: it may be reused */
  struct hv_vtep_entry e = {.af = s->af};
  memcpy(e.addr, s->outer + (s->af == 4 ? 16 : 24), s->af == 4 ? 4 : 16);
  if (vtep_ref(c, &e, -1) == 1) publish_map(c); /* a stale extra address only widens the check */
  return 0;
}

static int vni_slot(struct hv_core *c, uint32_t vni, char *err, size_t errlen);

int hv_core_vni_set(struct hv_core *c, uint32_t vni, uint16_t bd, uint16_t vlan, char *err, size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  if (vni > HV_VNI_MAX) return snprintf(err, errlen, "vni: %u is above 16777215", vni), -1;
  if (bd >= HV_MAX_BDS || !v->bds[bd]) return snprintf(err, errlen, "bridge-domain index %u does not exist", bd), -1;
  if (vlan < 1 || vlan > HV_VLAN_MAX) return snprintf(err, errlen, "vlan: %u is not 1-4094", vlan), -1;
  int at = vni_slot(c, vni, err, errlen);
  if (at < 0) return -1;
  c->vnis[at] = (struct hv_vni_entry){.vni = vni, .bd = bd, .vlan = vlan};
  if (publish_map(c)) return snprintf(err, errlen, "out of memory"), -1;
  return 0;
}

/* The sorted slot of `vni` in the control side's list, inserted if new; -1 if full. */
static int vni_slot(struct hv_core *c, uint32_t vni, char *err, size_t errlen) {
  uint32_t at = 0;
  while (at < c->nvnis && c->vnis[at].vni < vni) at++;
  if (at == c->nvnis || c->vnis[at].vni != vni) {
    if (c->nvnis == HV_MAX_VNIS) return snprintf(err, errlen, "vni: more than %u VNIs", HV_MAX_VNIS), -1;
    if (!c->vnis && !(c->vnis = calloc(HV_MAX_VNIS, sizeof *c->vnis)))
      return snprintf(err, errlen, "out of memory"), -1;
    memmove(&c->vnis[at + 1], &c->vnis[at], (c->nvnis - at) * sizeof *c->vnis);
    c->nvnis++;
  }
  return (int)at;
}

int hv_core_l3vni_set(struct hv_core *c, uint32_t vni, uint16_t vrf, const uint8_t rmac[6], char *err, size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  if (vni > HV_VNI_MAX) return snprintf(err, errlen, "vni: %u is above 16777215", vni), -1;
  if (vrf >= HV_MAX_VRFS || !v->vrfs[vrf]) return snprintf(err, errlen, "vrf index %u does not exist", vrf), -1;
  if (rmac[0] & 1) return snprintf(err, errlen, "router-mac: a multicast MAC"), -1;
  int at = vni_slot(c, vni, err, errlen);
  if (at < 0) return -1;
  c->vnis[at] = (struct hv_vni_entry){.vni = vni, .vrf = vrf, .l3 = 1};
  memcpy(c->vnis[at].rmac, rmac, 6);
  if (publish_map(c)) return snprintf(err, errlen, "out of memory"), -1;
  return 0;
}

int hv_core_vni_del(struct hv_core *c, uint32_t vni) {
  uint32_t at = 0;
  while (at < c->nvnis && c->vnis[at].vni != vni) at++;
  if (at == c->nvnis) return -1;
  memmove(&c->vnis[at], &c->vnis[at + 1], (c->nvnis - at - 1) * sizeof *c->vnis);
  c->nvnis--;
  return publish_map(c);
}

void hv_tunnels_destroy(struct hv_core *c) {
  free(c->tunnels);
  free(c->vteps);
  free(c->vnis);
}
