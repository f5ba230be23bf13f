/* Ethernet segments and aliasing groups: control side and packet-path helpers (es.h). */
#include "es.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bond.h"
#include "core_int.h"
#include "pkt.h"

/* ---- Ethernet segments ---------------------------------------------------- */

const struct hv_es_entry *hv_es_find(const struct hv_es_map *m, uint32_t port) {
  if (!m) return NULL;
  uint32_t lo = 0, hi = m->n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (m->e[mid].port == port) return &m->e[mid];
    if (m->e[mid].port < port) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

int hv_es_filter(const struct hv_es_map *m, uint32_t port, const struct hv_pkt *p) {
  const struct hv_es_entry *e = hv_es_find(m, port);
  if (!e) return 0;
  /* local bias first: the reason that holds whatever the election says */
  for (uint32_t i = 0; i < e->npeers; i++)
    if (e->peers[i].af == p->outer_af && !memcmp(e->peers[i].addr, p->outer_src, p->outer_af == 4 ? 4 : 16))
      return HV_CTR_drop_es_local_bias;
  if (p->vlan <= HV_VLAN_MAX && (e->ndf[p->vlan >> 3] >> (p->vlan & 7) & 1)) return HV_CTR_drop_es_not_df;
  return 0;
}

/* Publishes a copy of the view with segment map `m` (the old one freed after). */
static void publish_es(struct hv_core *c, struct hv_view *n, struct hv_es_map *m) {
  struct hv_es_map *old = n->es;
  n->es = m;
  hv_view_commit(c, n);
  free(old);
}

int hv_core_es_set(struct hv_core *c, uint16_t port, const uint16_t *ndf_vlans, uint32_t nndf,
                   const struct hv_vtep_entry *peers, uint32_t npeers, char *err, size_t errlen) {
  if (port >= HV_MAX_PORTS) return snprintf(err, errlen, "port: %u out of range", port), -1;
  if (npeers > HV_ES_PEERS) return snprintf(err, errlen, "peers: at most %d, got %u", HV_ES_PEERS, npeers), -1;
  struct hv_es_entry e = {.port = port, .npeers = (uint8_t)npeers};
  for (uint32_t i = 0; i < nndf; i++) {
    if (ndf_vlans[i] > HV_VLAN_MAX) return snprintf(err, errlen, "ndf_vlans[%u]: VLAN %u out of range", i, ndf_vlans[i]), -1;
    e.ndf[ndf_vlans[i] >> 3] |= (uint8_t)(1u << (ndf_vlans[i] & 7));
  }
  for (uint32_t i = 0; i < npeers; i++) {
    if (peers[i].af != 4 && peers[i].af != 6) return snprintf(err, errlen, "peers[%u].af: must be 4 or 6", i), -1;
    e.peers[i] = peers[i];
  }
  struct hv_view *n = hv_view_copy(c);
  const struct hv_es_map *cur = n ? n->es : NULL;
  uint32_t have = cur ? cur->n : 0, at = 0;
  int found = hv_es_find(cur, port) != NULL;
  if (!found && have >= HV_ES_MAX) {
    free(n);
    return snprintf(err, errlen, "port: at most %d Ethernet segments", HV_ES_MAX), -1;
  }
  struct hv_es_map *m = n ? malloc(sizeof *m + (have + !found) * sizeof m->e[0]) : NULL;
  if (!m) {
    free(n);
    return snprintf(err, errlen, "out of memory"), -1;
  }
  m->n = 0;
  for (; at < have && cur->e[at].port < port; at++) m->e[m->n++] = cur->e[at];
  m->e[m->n++] = e;
  if (found) at++;
  for (; at < have; at++) m->e[m->n++] = cur->e[at];
  publish_es(c, n, m);
  return 0;
}

int hv_core_es_del(struct hv_core *c, uint16_t port) {
  const struct hv_view *v = atomic_load(&c->view);
  if (!hv_es_find(v->es, port)) return -1;
  struct hv_view *n = hv_view_copy(c);
  struct hv_es_map *m = n && n->es->n > 1 ? malloc(sizeof *m + (n->es->n - 1) * sizeof m->e[0]) : NULL;
  if (!n || (n->es->n > 1 && !m)) {
    free(n);
    return -1;
  }
  if (m) {
    m->n = 0;
    for (uint32_t i = 0; i < n->es->n; i++)
      if (n->es->e[i].port != port) m->e[m->n++] = n->es->e[i];
  }
  publish_es(c, n, m);
  return 0;
}

/* ---- aliasing groups ------------------------------------------------------ */

hv_egress hv_group_pick(const struct hv_group_map *g, hv_egress e, const struct hv_pkt *p) {
  uint32_t id = hv_egress_index(e);
  if (!g || id >= g->n || !g->g[id].n) return HV_EGRESS_NONE;
  const struct hv_group *gr = &g->g[id];
  if (gr->n == 1) return gr->m[0];
  uint64_t h = hv_bond_flow_hash(HV_BOND_HASH_L3L4, p);
  return gr->m[(uint32_t)((h >> 32) ^ h) % gr->n];
}

/* A copy of the group map with room for ids 0..want-1 (a shorter map if the
 * top ids are gone); NULL if out of memory. */
static struct hv_group_map *group_copy(const struct hv_group_map *cur, uint32_t want) {
  struct hv_group_map *m = calloc(1, sizeof *m + (size_t)want * sizeof m->g[0]);
  if (!m) return NULL;
  m->n = want;
  if (cur) memcpy(m->g, cur->g, (size_t)(cur->n < want ? cur->n : want) * sizeof m->g[0]);
  return m;
}

static void publish_groups(struct hv_core *c, struct hv_view *n, struct hv_group_map *m) {
  struct hv_group_map *old = n->groups;
  n->groups = m;
  hv_view_commit(c, n);
  free(old);
}

int hv_core_group_set(struct hv_core *c, uint32_t id, const uint32_t *tunnels, uint32_t n, char *err, size_t errlen) {
  if (id >= HV_GROUP_MAX) return snprintf(err, errlen, "id: %u out of range (0-%d)", id, HV_GROUP_MAX - 1), -1;
  if (n < 1 || n > HV_GROUP_MEMBERS) return snprintf(err, errlen, "tunnels: 1 to %d tunnel ids, got %u", HV_GROUP_MEMBERS, n), -1;
  for (uint32_t i = 0; i < n; i++)
    if (tunnels[i] >= HV_MAX_TUNNELS) return snprintf(err, errlen, "tunnels[%u]: %u out of range", i, tunnels[i]), -1;
  struct hv_view *v = hv_view_copy(c);
  uint32_t have = v && v->groups ? v->groups->n : 0;
  struct hv_group_map *m = v ? group_copy(v->groups, id >= have ? id + 1 : have) : NULL;
  if (!m) {
    free(v);
    return snprintf(err, errlen, "out of memory"), -1;
  }
  m->g[id].n = n;
  for (uint32_t i = 0; i < n; i++) m->g[id].m[i] = hv_egress_make(HV_EGRESS_TUNNEL, tunnels[i]);
  publish_groups(c, v, m);
  return 0;
}

int hv_core_group_del(struct hv_core *c, uint32_t id) {
  const struct hv_view *cur = atomic_load(&c->view);
  if (!cur->groups || id >= cur->groups->n || !cur->groups->g[id].n) return -1;
  uint32_t want = cur->groups->n;
  while (want > 0 && (want - 1 == id || !cur->groups->g[want - 1].n)) want--;
  struct hv_view *v = hv_view_copy(c);
  struct hv_group_map *m = v && want ? group_copy(v->groups, want) : NULL;
  if (!v || (want && !m)) {
    free(v);
    return -1;
  }
  if (m && id < m->n) m->g[id].n = 0;
  publish_groups(c, v, m);
  return 0;
}

uint32_t hv_core_group_get(struct hv_core *c, uint32_t id, uint32_t *out, uint32_t max) {
  const struct hv_view *v = atomic_load(&c->view);
  if (!v->groups || id >= v->groups->n) return 0;
  const struct hv_group *g = &v->groups->g[id];
  uint32_t k = 0;
  for (; k < g->n && k < max; k++) out[k] = hv_egress_index(g->m[k]);
  return g->n;
}

void hv_es_view_free(struct hv_es_map *es, struct hv_group_map *groups) {
  free(es);
  free(groups);
}
