#!/usr/bin/env python3
"""A service manager's notify socket for tests (sd_notify(3)): binds an AF_UNIX
datagram socket at argv[1] (a path, or @name for an abstract socket), prints
"listening", then one JSON line per datagram received: the message, the
sender's PID from SCM_CREDENTIALS (as systemd checks NotifyAccess=main) and a
CLOCK_MONOTONIC time in ms.  Node cannot bind AF_UNIX datagram sockets, hence
Python.  Runs until SIGTERM or stdin closes."""
import json, os, select, signal, socket, struct, sys, time

path = sys.argv[1]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
sock.bind("\0" + path[1:] if path.startswith("@") else path)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print("listening", flush=True)
while True:
    ready, _, _ = select.select([sock, sys.stdin], [], [])
    if sys.stdin in ready and not sys.stdin.buffer.read1(4096):
        break
    if sock in ready:
        data, anc, _, _ = sock.recvmsg(65536, socket.CMSG_SPACE(12))
        pid = None
        for level, kind, payload in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("iII", payload[:12])[0]
        line = {"msg": data.decode(), "pid": pid, "ms": time.monotonic() * 1000}
        print(json.dumps(line), flush=True)
if not path.startswith("@"):
    os.unlink(path)
