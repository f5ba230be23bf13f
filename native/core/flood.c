/* Flood lists: building a bridge domain's table (flood.h), and the control
 * API for the members the controller adds (core.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "vlan.h"

/* Does port `po` flood `vlan` of bridge domain `bd`? */
static int port_floods(const struct hv_port_cfg *po, uint16_t bd, uint16_t vlan) {
  return po->port && hv_port_is_bridged(po) && po->bd == bd && hv_vlan_allowed(po, vlan);
}

/* Counts the members of bridge domain `bd`'s table and, if `fl` is not NULL,
 * fills it (two passes: count, then allocate and fill). */
static uint32_t walk(const struct hv_view *v, uint16_t bd, const struct hv_flood_extra *extra, uint32_t nextra,
                     struct hv_flood *fl) {
  uint16_t ports[HV_MAX_PORTS];
  uint32_t np = 0, n = 0;
  for (uint32_t q = 0; q < v->nports; q++)
    if (v->ports[q].port && hv_port_is_bridged(&v->ports[q]) && v->ports[q].bd == bd) ports[np++] = (uint16_t)q;
  for (uint32_t vlan = 1; vlan <= HV_VLAN_MAX; vlan++) {
    if (fl) fl->start[vlan] = n;
    for (uint32_t k = 0; k < np; k++) {
      const struct hv_port_cfg *po = &v->ports[ports[k]];
      if (!port_floods(po, bd, (uint16_t)vlan)) continue;
      if (fl) fl->m[n] = (struct hv_flood_member){hv_egress_port(ports[k]), po->flood_group, 0};
      n++;
    }
    for (uint32_t e = 0; e < nextra; e++) {
      if (extra[e].bd != bd || extra[e].vlan != vlan) continue;
      if (fl) fl->m[n] = (struct hv_flood_member){extra[e].egress, extra[e].group, 0};
      n++;
    }
  }
  if (fl) {
    fl->start[0] = 0;
    fl->start[HV_VLAN_MAX + 1] = n;
    fl->nmembers = n;
  }
  return n;
}

struct hv_flood *hv_flood_build(const struct hv_view *v, uint16_t bd, const struct hv_flood_extra *extra,
                                uint32_t nextra) {
  uint32_t n = walk(v, bd, extra, nextra, NULL);
  struct hv_flood *fl = calloc(1, sizeof *fl + (size_t)n * sizeof fl->m[0]);
  if (fl) walk(v, bd, extra, nextra, fl);
  return fl;
}

void hv_flood_free(struct hv_flood *fl) { free(fl); }

int hv_view_commit_flood(struct hv_core *c, struct hv_view *n, uint16_t a, uint16_t b) {
  uint16_t bds[2] = {a, b == a ? HV_NO_BD : b};
  struct hv_flood *fresh[2] = {NULL, NULL}, *old[2] = {NULL, NULL};
  for (int i = 0; i < 2; i++) {
    if (bds[i] == HV_NO_BD || !n->bds[bds[i]]) continue;
    fresh[i] = hv_flood_build(n, bds[i], c->flood_extra, c->nflood_extra);
    if (!fresh[i]) {
      hv_flood_free(fresh[0]);
      free(n);
      return -1;
    }
  }
  for (int i = 0; i < 2; i++)
    if (fresh[i]) {
      old[i] = n->flood[bds[i]];
      n->flood[bds[i]] = fresh[i];
    }
  hv_view_commit(c, n);
  hv_flood_free(old[0]);
  hv_flood_free(old[1]);
  return 0;
}

static int extra_find(const struct hv_core *c, uint16_t bd, uint16_t vlan, hv_egress egress) {
  for (uint32_t i = 0; i < c->nflood_extra; i++) {
    const struct hv_flood_extra *x = &c->flood_extra[i];
    if (x->bd == bd && x->vlan == vlan && x->egress == egress) return (int)i;
  }
  return -1;
}

int hv_core_flood_add(struct hv_core *c, uint16_t bd, uint16_t vlan, hv_egress egress, uint16_t group, char *err,
                      size_t errlen) {
  const struct hv_view *v = atomic_load(&c->view);
  if (bd >= HV_MAX_BDS || !v->bds[bd]) {
    snprintf(err, errlen, "bridge-domain index %u does not exist", bd);
    return -1;
  }
  if (vlan == 0 || vlan > HV_VLAN_MAX) {
    snprintf(err, errlen, "vlan %u out of range 1-%u", vlan, HV_VLAN_MAX);
    return -1;
  }
  if (hv_egress_is_port(egress)) {
    snprintf(err, errlen, "egress %u is a local port: ports flood by their VLAN membership", egress);
    return -1;
  }
  int i = extra_find(c, bd, vlan, egress);
  if (i < 0 && c->nflood_extra >= HV_FLOOD_EXTRA_MAX) {
    snprintf(err, errlen, "too many flood-list members (max %d)", HV_FLOOD_EXTRA_MAX);
    return -1;
  }
  if (i < 0 && c->nflood_extra == c->flood_extra_cap) {
    uint32_t cap = c->flood_extra_cap ? 2 * c->flood_extra_cap : 64;
    struct hv_flood_extra *x = realloc(c->flood_extra, cap * sizeof *x);
    if (!x) {
      snprintf(err, errlen, "out of memory");
      return -1;
    }
    c->flood_extra = x;
    c->flood_extra_cap = cap;
  }
  struct hv_flood_extra saved = {0};
  int added = i < 0;
  if (added) i = (int)c->nflood_extra++;
  else saved = c->flood_extra[i];
  c->flood_extra[i] = (struct hv_flood_extra){bd, vlan, group, egress};
  struct hv_view *n = hv_view_copy(c);
  if (!n || hv_view_commit_flood(c, n, bd, HV_NO_BD)) {
    if (added) c->nflood_extra--;
    else c->flood_extra[i] = saved;
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}

int hv_core_flood_del(struct hv_core *c, uint16_t bd, uint16_t vlan, hv_egress egress) {
  int i = extra_find(c, bd, vlan, egress);
  if (i < 0) return -1;
  struct hv_flood_extra saved = c->flood_extra[i];
  memmove(&c->flood_extra[i], &c->flood_extra[i + 1], (c->nflood_extra - (uint32_t)i - 1) * sizeof saved);
  c->nflood_extra--;
  struct hv_view *n = hv_view_copy(c);
  if (!n || hv_view_commit_flood(c, n, bd, HV_NO_BD)) { /* out of memory: keep the member */
    memmove(&c->flood_extra[i + 1], &c->flood_extra[i], (c->nflood_extra - (uint32_t)i) * sizeof saved);
    c->flood_extra[i] = saved;
    c->nflood_extra++;
    return -1;
  }
  return 0;
}

void hv_flood_forget_bd(struct hv_core *c, uint16_t bd) {
  uint32_t k = 0;
  for (uint32_t i = 0; i < c->nflood_extra; i++)
    if (c->flood_extra[i].bd != bd) c->flood_extra[k++] = c->flood_extra[i];
  c->nflood_extra = k;
}

const struct hv_flood *hv_core_flood(struct hv_core *c, uint16_t bd) {
  const struct hv_view *v = atomic_load(&c->view);
  return bd < HV_MAX_BDS ? v->flood[bd] : NULL;
}
