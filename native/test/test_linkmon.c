/* Link monitor (linkmon.c): rtnetlink link notifications parsed from bytes
 * built as the kernel lays them out (RFC 3549 §2.3.3.1, linux/rtnetlink.h). */
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <unistd.h>

#include "linkmon.h"
#include "tap.h"

/* Appends one link message (type, index, flags, optional IFLA_IFNAME) at `at`; returns its aligned length. */
static size_t put_link(uint8_t *at, uint16_t type, int index, unsigned flags, const char *name) {
  struct nlmsghdr *h = (struct nlmsghdr *)(void *)at;
  memset(at, 0, 256);
  h->nlmsg_type = type;
  struct ifinfomsg *ifi = NLMSG_DATA(h);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  ifi->ifi_flags = flags;
  size_t len = NLMSG_LENGTH(sizeof *ifi);
  /* an attribute before the name, as the kernel sends IFLA_ADDRESS etc. */
  struct rtattr *mtu = (struct rtattr *)(void *)(at + NLMSG_ALIGN(len));
  mtu->rta_type = IFLA_MTU;
  mtu->rta_len = RTA_LENGTH(4);
  len = NLMSG_ALIGN(len) + RTA_ALIGN(mtu->rta_len);
  if (name) {
    struct rtattr *a = (struct rtattr *)(void *)(at + len);
    a->rta_type = IFLA_IFNAME;
    a->rta_len = (unsigned short)RTA_LENGTH(strlen(name) + 1);
    memcpy(RTA_DATA(a), name, strlen(name) + 1);
    len += RTA_ALIGN(a->rta_len);
  }
  h->nlmsg_len = (uint32_t)len;
  return NLMSG_ALIGN(len);
}

int main(void) {
  static uint8_t buf[4096] __attribute__((aligned(4)));
  struct hv_link_event ev[8];

  /* RTM_NEWLINK then RTM_DELLINK in one datagram; an RTM_NEWADDR between them is skipped */
  size_t len = put_link(buf, RTM_NEWLINK, 7, IFF_UP | IFF_RUNNING, "hvl-up0");
  size_t other = put_link(buf + len, RTM_NEWADDR, 9, 0, "x");
  len += other;
  len += put_link(buf + len, RTM_DELLINK, 8, 0, "hvl-gone");
  int n = hv_linkmon_parse(buf, len, ev, 8);
  CHECK_EQ(n, 2);
  CHECK_EQ(ev[0].kind, HV_LINK_NEW);
  CHECK_EQ(ev[0].ifindex, 7);
  CHECK(ev[0].flags & IFF_UP);
  CHECK(strcmp(ev[0].name, "hvl-up0") == 0);
  CHECK_EQ(ev[1].kind, HV_LINK_DEL);
  CHECK_EQ(ev[1].ifindex, 8);
  CHECK(strcmp(ev[1].name, "hvl-gone") == 0);

  /* `max` bounds the events written */
  CHECK_EQ(hv_linkmon_parse(buf, len, ev, 1), 1);

  /* a message without IFLA_IFNAME: an empty name */
  len = put_link(buf, RTM_NEWLINK, 3, 0, NULL);
  CHECK_EQ(hv_linkmon_parse(buf, len, ev, 8), 1);
  CHECK_EQ(ev[0].name[0], 0);

  /* a name longer than IFNAMSIZ-1 is cut, still terminated */
  len = put_link(buf, RTM_NEWLINK, 4, 0, "abcdefghijklmnopqrst");
  CHECK_EQ(hv_linkmon_parse(buf, len, ev, 8), 1);
  CHECK_EQ(strlen(ev[0].name), 15);

  /* truncated: the second message's length runs past the datagram; the first is kept */
  len = put_link(buf, RTM_NEWLINK, 5, 0, "ok0");
  size_t second = put_link(buf + len, RTM_DELLINK, 6, 0, "cut0");
  CHECK_EQ(hv_linkmon_parse(buf, len + second - 8, ev, 8), 1);
  CHECK_EQ(ev[0].ifindex, 5);

  /* a header shorter than an ifinfomsg is not a link message */
  len = put_link(buf, RTM_NEWLINK, 5, 0, NULL);
  ((struct nlmsghdr *)(void *)buf)->nlmsg_len = NLMSG_LENGTH(4);
  CHECK_EQ(hv_linkmon_parse(buf, NLMSG_ALIGN(NLMSG_LENGTH(4)), ev, 8), 0);

  /* the live socket: opens without privileges, nothing pending right after */
  char err[128];
  int fd = hv_linkmon_open(err, sizeof err);
  CHECK(fd >= 0);
  if (fd >= 0) {
    CHECK(hv_linkmon_read(fd, ev, 8) >= 0);
    close(fd);
  }
  CHECK(hv_link_index("lo") > 0);
  CHECK_EQ(hv_link_index("hvl-none-such0"), 0);
  return tap_done();
}
