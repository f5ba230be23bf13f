/* The core's test harness, linked into every test executable: one core driven
 * without threads (hv_core_poll_once) over memory ports, and the helpers every
 * forwarding test needs (add a port, inject a frame and run a loop, pop what a
 * port transmitted, read a counter).  Frame builders are in frames.h. */
#ifndef HV_TEST_HARNESS_H
#define HV_TEST_HARNESS_H

#include <stdint.h>

#include "core.h"
#include "frames.h"
#include "tap.h"

/* The core under test, and the buffer pop() copies a transmitted frame into. */
extern struct hv_core *core;
extern uint8_t out[HV_MAX_FRAME];

/* Creates `core` with `workers` workers (0: 1) and a poll timeout (0: default). */
struct hv_core *harness_core(uint32_t workers, uint32_t poll_ms);

/* Adds a memory port named `name` with settings `s`; returns its id, or -1 (the error printed). */
int add_port_with(const char *name, const struct hv_port_settings *s);
/* Adds a memory port to bridge domain 0: access (`vlan`) or trunk (native `vlan`,
 * allowed VLANs from the 0-terminated list `allowed`, may be NULL). */
int add_l2_port(const char *name, uint8_t mode, uint16_t vlan, const int *allowed);

/* Injects a frame on `port` and runs one worker-0 loop. */
void inject(int port, const uint8_t *f, uint32_t len);
/* Pops one frame transmitted on `port` into `out`; returns its length, 0 if none. */
int pop(int port);
/* Drains what `port` transmitted; returns how many frames. */
int drain(int port);
/* Polls `port` until it has transmitted a frame into `out` (its length), or 5 s
 * pass (0: a failure, not a wait) — for tests where the core's worker runs. */
int pop_wait(int port);
/* Brings up `lo` in the test's own network namespace; 0 on success. */
int lo_up(void);
uint64_t ctr(int port, enum hv_port_counter k);

#endif
