/* Control side of the core, layer 3: VRFs (each an IPv4 and an IPv6 FIB,
 * published in the view copy-on-write) and the writes into their FIBs and the
 * next-hop table.  Route writes go straight into the FIBs, which have their
 * own grace-period reclaim (fib_common.h); a full group pool may only be
 * waiting for a grace period, so a write that finds it full synchronizes once
 * and tries again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "fib4.h"
#include "fib6.h"

int hv_core_vrf_add(struct hv_core *c, uint16_t index, char *err, size_t errlen) {
  if (index >= HV_MAX_VRFS) {
    snprintf(err, errlen, "vrf index %u out of range (max %u)", index, HV_MAX_VRFS - 1);
    return -1;
  }
  if (atomic_load(&c->view)->vrfs[index]) {
    snprintf(err, errlen, "vrf index %u already in use", index);
    return -1;
  }
  struct hv_vrf *vrf = calloc(1, sizeof *vrf);
  struct hv_view *n = hv_view_copy(c);
  if (vrf) {
    vrf->fib4 = hv_fib4_create(0);
    vrf->fib6 = hv_fib6_create(0);
  }
  if (!vrf || !vrf->fib4 || !vrf->fib6 || !n) {
    if (vrf) {
      hv_fib4_destroy(vrf->fib4);
      hv_fib6_destroy(vrf->fib6);
    }
    free(vrf);
    free(n);
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  vrf->index = index;
  n->vrfs[index] = vrf;
  hv_view_commit(c, n);
  return 0;
}

int hv_core_vrf_del(struct hv_core *c, uint16_t index) {
  const struct hv_view *v = atomic_load(&c->view);
  if (index >= HV_MAX_VRFS || !v->vrfs[index]) return -1;
  for (uint32_t i = 0; i < v->nports; i++)
    if (v->ports[i].port && hv_port_is_l3(&v->ports[i]) && v->ports[i].l3.vrf == index) return -2;
  struct hv_view *n = hv_view_copy(c);
  if (!n) return -1;
  struct hv_vrf *vrf = n->vrfs[index];
  n->vrfs[index] = NULL;
  hv_view_commit(c, n);
  hv_fib4_destroy(vrf->fib4);
  hv_fib6_destroy(vrf->fib6);
  free(vrf);
  return 0;
}

static struct hv_vrf *vrf_of(struct hv_core *c, uint16_t vrf) {
  const struct hv_view *v = atomic_load(&c->view);
  return vrf < HV_MAX_VRFS ? v->vrfs[vrf] : NULL;
}

/* A full group pool may only be waiting for a grace period (fib4.h): wait for
 * one, reclaim, and try once more. */
int hv_core_route4(struct hv_core *c, uint16_t vrf, uint32_t prefix, uint8_t len, uint32_t nh, int del) {
  struct hv_vrf *r = vrf_of(c, vrf);
  if (!r) return -ENOENT;
  if (del) return hv_fib4_del(r->fib4, prefix, len);
  int rc = hv_fib4_add(r->fib4, prefix, len, nh);
  if (rc == -ENOSPC) {
    hv_core_synchronize(c);
    rc = hv_fib4_add(r->fib4, prefix, len, nh);
  }
  return rc;
}

int hv_core_route6(struct hv_core *c, uint16_t vrf, const uint8_t prefix[16], uint8_t len, uint32_t nh, int del) {
  struct hv_vrf *r = vrf_of(c, vrf);
  if (!r) return -ENOENT;
  if (del) return hv_fib6_del(r->fib6, prefix, len);
  int rc = hv_fib6_add(r->fib6, prefix, len, nh);
  if (rc == -ENOSPC) {
    hv_core_synchronize(c);
    rc = hv_fib6_add(r->fib6, prefix, len, nh);
  }
  return rc;
}

size_t hv_core_fib_retired(struct hv_core *c) {
  const struct hv_view *v = atomic_load(&c->view);
  size_t n = 0;
  for (uint32_t r = 0; r < HV_MAX_VRFS; r++) {
    if (!v->vrfs[r]) continue;
    struct hv_fib4_stats s4;
    struct hv_fib6_stats s6;
    hv_fib4_stats(v->vrfs[r]->fib4, &s4);
    hv_fib6_stats(v->vrfs[r]->fib6, &s6);
    n += s4.tbl8_retired + s6.groups_retired;
  }
  return n;
}

int hv_core_route4_get(struct hv_core *c, uint16_t vrf, uint32_t prefix, uint8_t len, uint32_t *nh) {
  struct hv_vrf *r = vrf_of(c, vrf);
  return r ? hv_fib4_get(r->fib4, prefix, len, nh) : -ENOENT;
}

int hv_core_route6_get(struct hv_core *c, uint16_t vrf, const uint8_t prefix[16], uint8_t len, uint32_t *nh) {
  struct hv_vrf *r = vrf_of(c, vrf);
  return r ? hv_fib6_get(r->fib6, prefix, len, nh) : -ENOENT;
}

int hv_core_route_walk(struct hv_core *c, uint16_t vrf,
                       int (*fn4)(void *ctx, uint32_t prefix, uint8_t len, uint32_t nh),
                       int (*fn6)(void *ctx, const uint8_t prefix[16], uint8_t len, uint32_t nh), void *ctx) {
  struct hv_vrf *r = vrf_of(c, vrf);
  if (!r) return -ENOENT;
  int rc = hv_fib4_walk(r->fib4, fn4, ctx);
  return rc ? rc : hv_fib6_walk(r->fib6, fn6, ctx);
}

int hv_core_route_count(struct hv_core *c, uint16_t vrf, size_t *n4, size_t *n6) {
  struct hv_vrf *r = vrf_of(c, vrf);
  if (!r) return -ENOENT;
  struct hv_fib4_stats s4;
  struct hv_fib6_stats s6;
  hv_fib4_stats(r->fib4, &s4);
  hv_fib6_stats(r->fib6, &s6);
  *n4 = s4.routes;
  *n6 = s6.routes;
  return 0;
}

int hv_core_nh_set(struct hv_core *c, uint32_t id, const struct hv_nh *nh) {
  if (id >= HV_MAX_NH) return -1;
  /* The controller rewrites an entry only while no route refers to it (l3.h);
   * a release store keeps workers from seeing it before routes that follow. */
  memcpy(&c->nh[id], nh, sizeof *nh);
  atomic_thread_fence(memory_order_release);
  return 0;
}

