#!/usr/bin/env python3
"""Counts the remote MACs a kernel bridge port's FDB gains, as they land.

The reference side of the EVPN control-plane bench (frr.mjs): zebra installs
the remote MACs of EVPN type-2 routes into the FDB of a VXLAN device through
rtnetlink (RTM_NEWNEIGH, family AF_BRIDGE, with NDA_DST the remote VTEP).  A
netlink socket subscribed to RTNLGRP_NEIGH with a large receive buffer sees
each one (`bridge monitor` overflows its default buffer at this rate and loses
events).  Prints "ready" once subscribed, then "done <ns>" when N distinct MACs
with a destination in DST_PREFIX have landed on IFNAME, <ns> on
CLOCK_MONOTONIC (the clock of Node's process.hrtime).
usage: fdbwatch.py IFNAME N DST_PREFIX(e.g. 198.51.100.)"""
import socket
import struct
import sys
import time

RTM_NEWNEIGH, AF_BRIDGE, RTNLGRP_NEIGH = 28, 7, 3
NDA_DST, NDA_LLADDR = 1, 2

ifname, want, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
ifindex = socket.if_nametoindex(ifname)
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.setsockopt(socket.SOL_SOCKET, 33, 64 << 20)  # SO_RCVBUFFORCE (root): no overflow at zebra's rate
s.bind((0, 1 << (RTNLGRP_NEIGH - 1)))
print("ready", flush=True)
macs = set()
while len(macs) < want:
    data = s.recv(1 << 20)
    off = 0
    while off + 16 <= len(data):
        length, mtype = struct.unpack_from("=IH", data, off)
        if length < 16:
            break
        if mtype == RTM_NEWNEIGH:
            family, _p1, _p2, idx = struct.unpack_from("=BBHi", data, off + 16)
            if family == AF_BRIDGE and idx == ifindex:
                a, end, mac, dst = off + 28, off + length, None, None
                while a + 4 <= end:
                    alen, atype = struct.unpack_from("=HH", data, a)
                    if alen < 4:
                        break
                    v = data[a + 4:a + alen]
                    if atype == NDA_LLADDR:
                        mac = bytes(v)
                    elif atype == NDA_DST and len(v) == 4:
                        dst = socket.inet_ntoa(v)
                    a += (alen + 3) & ~3
                if mac and dst and dst.startswith(prefix):
                    macs.add(mac)
        off += (length + 3) & ~3
print("done", time.monotonic_ns(), flush=True)
