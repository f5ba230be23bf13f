/* The runtime's helper threads under SCHED_BATCH (sched_helpers.c).
 * - Threads named as asked are set, others are not, and the main thread is
 *   never set even when it bears the same name.
 * - A second call finds them set already and counts them again.
 * - A name no thread has sets nothing. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"
#include "sched_helpers.h"

enum { THREADS = 3 };
static atomic_int tids[THREADS];
static atomic_int release;

static void *parked(void *arg) {
  int i = (int)(intptr_t)arg;
  pthread_setname_np(pthread_self(), i < 2 ? "hv-helper-t" : "hv-other-t");
  atomic_store(&tids[i], (int)syscall(SYS_gettid));
  while (!atomic_load(&release)) usleep(1000);
  return NULL;
}

int main(void) {
  pthread_t th[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&th[i], NULL, parked, (void *)(intptr_t)i);
  for (int i = 0; i < THREADS; i++)
    while (!atomic_load(&tids[i])) usleep(1000);
  prctl(PR_SET_NAME, "hv-helper-t"); /* the main thread has the helpers' name: still left alone */

  char err[256] = "";
  CHECK_EQ(hv_sched_batch_threads("hv-helper-t", err, sizeof err), 2);
  CHECK_EQ(sched_getscheduler(atomic_load(&tids[0])), SCHED_BATCH);
  CHECK_EQ(sched_getscheduler(atomic_load(&tids[1])), SCHED_BATCH);
  CHECK_EQ(sched_getscheduler(atomic_load(&tids[2])), SCHED_OTHER);
  CHECK_EQ(sched_getscheduler(0), SCHED_OTHER);
  CHECK_EQ(hv_sched_batch_threads("hv-helper-t", err, sizeof err), 2);
  CHECK_EQ(hv_sched_batch_threads("no-such-thread", err, sizeof err), 0);
  CHECK_EQ(sched_getscheduler(atomic_load(&tids[2])), SCHED_OTHER);

  atomic_store(&release, 1);
  for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
  return tap_done();
}
