/* Link monitor over rtnetlink: see linkmon.h.  One datagram is read per
 * recv() and parsed in place; a datagram larger than the buffer is truncated
 * by the kernel (MSG_TRUNC) and its remainder dropped, which cannot happen
 * with link notifications (a few hundred bytes each) and a 32 KiB buffer. */
#include "linkmon.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LINKMON_BUF 32768

int hv_linkmon_open(char *err, size_t errlen) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) {
    snprintf(err, errlen, "rtnetlink socket: %s", strerror(errno));
    return -1;
  }
  int rcvbuf = 1 << 20; /* a burst of VM starts must not overrun it */
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_nl sa;
  memset(&sa, 0, sizeof sa);
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = RTMGRP_LINK;
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    snprintf(err, errlen, "rtnetlink bind RTMGRP_LINK: %s", strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

/* One RTM_NEWLINK / RTM_DELLINK message into `ev`; 0 if it is not one. */
static int parse_link(const struct nlmsghdr *h, struct hv_link_event *ev) {
  if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) return 0;
  if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg))) return 0;
  const struct ifinfomsg *ifi = NLMSG_DATA(h);
  memset(ev, 0, sizeof *ev);
  ev->kind = h->nlmsg_type == RTM_NEWLINK ? HV_LINK_NEW : HV_LINK_DEL;
  ev->ifindex = (uint32_t)ifi->ifi_index;
  ev->flags = ifi->ifi_flags;
  int alen = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof *ifi));
  for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
    if (a->rta_type != IFLA_IFNAME) continue;
    size_t n = RTA_PAYLOAD(a);
    const char *s = RTA_DATA(a);
    size_t k = 0;
    while (k < n && k < sizeof ev->name - 1 && s[k]) k++;
    memcpy(ev->name, s, k);
    ev->name[k] = 0;
  }
  return 1;
}

int hv_linkmon_parse(const uint8_t *buf, size_t len, struct hv_link_event *out, int max) {
  int n = 0;
  size_t off = 0;
  /* NLMSG_OK/NLMSG_NEXT spelled out over size_t (the macros mix int and u32) */
  while (n < max && len - off >= sizeof(struct nlmsghdr)) {
    const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)(buf + off);
    if (h->nlmsg_len < sizeof(struct nlmsghdr) || h->nlmsg_len > len - off) break;
    if (h->nlmsg_type == NLMSG_DONE) break;
    n += parse_link(h, &out[n]);
    off += NLMSG_ALIGN((size_t)h->nlmsg_len);
    if (off > len) break;
  }
  return n;
}

int hv_linkmon_read(int fd, struct hv_link_event *out, int max) {
  static __thread uint8_t buf[LINKMON_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
  int n = 0;
  while (n < max) {
    ssize_t r = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == ENOBUFS) { /* notifications were lost: the reader rescans */
        memset(&out[n], 0, sizeof out[n]);
        out[n++].kind = HV_LINK_OVERRUN;
        continue;
      }
      return n ? n : -1;
    }
    n += hv_linkmon_parse(buf, (size_t)r, out + n, max - n);
  }
  return n;
}

uint32_t hv_link_index(const char *name) {
  return if_nametoindex(name);
}
