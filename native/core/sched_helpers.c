/* Helper threads under SCHED_BATCH (sched_helpers.h): /proc/self/task lists the
 * process's threads, each one's comm names it, and sched_setscheduler() on a
 * thread id sets that thread alone (Linux). */
#include "sched_helpers.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The thread's comm, without its newline; 0 when read. */
static int thread_comm(long tid, char *out, size_t len) {
  char path[64];
  snprintf(path, sizeof path, "/proc/self/task/%ld/comm", tid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  int ok = fgets(out, (int)len, f) != NULL;
  fclose(f);
  if (!ok) return -1;
  out[strcspn(out, "\n")] = '\0';
  return 0;
}

int hv_sched_batch_threads(const char *comm, char *err, size_t errlen) {
  DIR *d = opendir("/proc/self/task");
  if (!d) {
    snprintf(err, errlen, "/proc/self/task: %s", strerror(errno));
    return -1;
  }
  const long self = (long)getpid();
  const struct sched_param param = {.sched_priority = 0};
  int n = 0, rc = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    char *end;
    long tid = strtol(e->d_name, &end, 10);
    if (*end != '\0' || tid <= 0 || tid == self) continue;
    char name[32];
    /* a thread that ended since the listing has no comm: not ours to set */
    if (thread_comm(tid, name, sizeof name) < 0 || strcmp(name, comm) != 0) continue;
    if (sched_setscheduler((pid_t)tid, SCHED_BATCH, &param) < 0) {
      if (errno == ESRCH) continue;
      snprintf(err, errlen, "thread %ld (%s): sched_setscheduler SCHED_BATCH: %s", tid, name, strerror(errno));
      rc = -1;
      break;
    }
    n++;
  }
  closedir(d);
  return rc < 0 ? -1 : n;
}
