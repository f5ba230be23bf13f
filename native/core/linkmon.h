/* Link monitor: the kernel's link notifications (rtnetlink, RFC 3549 §2.3.3.1:
 * RTM_NEWLINK / RTM_DELLINK on the RTMGRP_LINK multicast group), so the
 * controller learns at once when an interface a port names appears or goes
 * (an uplink brought up late, a VM's interface created by libvirt) instead of
 * polling for it.
 *
 * The socket is non-blocking and never touched by the workers: the controller
 * waits for it in its own event loop (the addon's libuv poll handle) and reads
 * every pending message per wake-up, a batch per call.  A socket that overran
 * (ENOBUFS: the kernel dropped notifications) yields one HV_LINK_OVERRUN event,
 * which tells the reader to look at every interface it cares about again. */
#ifndef HV_LINKMON_H
#define HV_LINKMON_H

#include <stddef.h>
#include <stdint.h>

enum hv_link_event_kind { HV_LINK_NEW = 1, HV_LINK_DEL = 2, HV_LINK_OVERRUN = 3 };

struct hv_link_event {
  uint8_t kind;     /* enum hv_link_event_kind */
  uint32_t ifindex;
  uint32_t flags;   /* IFF_* of the link (IFF_UP, IFF_RUNNING, ...) */
  char name[16];    /* IFLA_IFNAME; empty if the message had none */
};

/* Opens the rtnetlink socket subscribed to link notifications (non-blocking,
 * close-on-exec).  Returns the fd, or -1 with a message in `err`. */
int hv_linkmon_open(char *err, size_t errlen);

/* Reads what is pending on `fd` into `out` (at most `max` events, max >= 1).
 * Returns the count (0: nothing pending), or -1 on a socket error (errno).
 * Messages that are not link notifications are skipped. */
int hv_linkmon_read(int fd, struct hv_link_event *out, int max);

/* Parses one datagram of netlink messages; returns the events written (<= max).
 * Truncated or malformed messages end the parse (what came before is kept). */
int hv_linkmon_parse(const uint8_t *buf, size_t len, struct hv_link_event *out, int max);

/* The index of interface `name` in this network namespace, 0 if there is none. */
uint32_t hv_link_index(const char *name);

#endif
