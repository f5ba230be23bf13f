/* The systemd notification protocol (sd_notify(3), "$NOTIFY_SOCKET" in
 * systemd.exec(5)) without libsystemd: the service manager listens on an
 * AF_UNIX datagram socket whose path it passes in $NOTIFY_SOCKET; a message
 * is one datagram of newline-separated VAR=VALUE assignments (READY=1,
 * STATUS=..., RELOADING=1, STOPPING=1, WATCHDOG=1).  The manager learns the
 * sender's PID from the kernel (SCM_CREDENTIALS), which is how
 * NotifyAccess=main accepts only the main process.
 * Supported addresses: a filesystem path ("/run/systemd/notify") and an
 * abstract name ("@name": the '@' stands for the leading NUL byte).  Not
 * supported: "vsock:" addresses (systemd 254+, for VMs). */
#ifndef HV_SD_NOTIFY_H
#define HV_SD_NOTIFY_H

#include <stddef.h>

/* Sends `msg` (`len` bytes) as one datagram to `socket_path`.  Returns 0, or
 * -1 with the reason in `err`.  Never blocks (MSG_DONTWAIT): a manager that
 * does not read its socket costs us a lost message, not a stuck thread. */
int hv_sd_notify(const char *socket_path, const char *msg, size_t len, char *err, size_t errlen);

#endif
