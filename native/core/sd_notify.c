/* sd_notify(3) datagrams (sd_notify.h).  One socket per message: messages are
 * rare (readiness, status changes, a watchdog ping every few seconds), and a
 * fresh socket needs no state shared with the caller. */
#include "sd_notify.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Fills `sa` from a $NOTIFY_SOCKET value; returns the address length or -1. */
static int notify_address(const char *path, struct sockaddr_un *sa, char *err, size_t errlen) {
  size_t n = path ? strlen(path) : 0;
  memset(sa, 0, sizeof *sa);
  sa->sun_family = AF_UNIX;
  if (n < 2 || (path[0] != '/' && path[0] != '@')) {
    snprintf(err, errlen, "NOTIFY_SOCKET \"%s\": not an absolute path nor an abstract (@) name", path ? path : "");
    return -1;
  }
  if (n > sizeof sa->sun_path - (path[0] == '/')) {
    snprintf(err, errlen, "NOTIFY_SOCKET \"%s\": longer than %zu bytes", path, sizeof sa->sun_path - 1);
    return -1;
  }
  memcpy(sa->sun_path, path, n);
  if (path[0] == '@') sa->sun_path[0] = '\0'; /* abstract: exact length, no trailing NUL */
  return (int)(offsetof(struct sockaddr_un, sun_path) + n);
}

int hv_sd_notify(const char *socket_path, const char *msg, size_t len, char *err, size_t errlen) {
  struct sockaddr_un sa;
  int salen = notify_address(socket_path, &sa, err, errlen);
  if (salen < 0) return -1;
  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    snprintf(err, errlen, "NOTIFY_SOCKET: socket: %s", strerror(errno));
    return -1;
  }
  ssize_t sent = sendto(fd, msg, len, MSG_NOSIGNAL | MSG_DONTWAIT, (const struct sockaddr *)&sa, (socklen_t)salen);
  int e = errno;
  close(fd);
  if (sent < 0) {
    snprintf(err, errlen, "NOTIFY_SOCKET %s: sendto: %s", socket_path, strerror(e));
    return -1;
  }
  if ((size_t)sent != len) {
    snprintf(err, errlen, "NOTIFY_SOCKET %s: short send (%zd of %zu bytes)", socket_path, sent, len);
    return -1;
  }
  return 0;
}
