/* wakeup: what it costs on this machine to wake a thread on another CPU (or
 * on the same one), the floor under any switch whose worker sleeps between
 * frames (docs/polling.md, "The platform's floor").
 *
 * Two threads play ping-pong over two pipes, as ping and a switch worker do
 * over a veth: the "sender" (pinned to -a, ping's CPU in the bench) sleeps
 * -g µs between rounds (ping's 10 ms interval), writes one byte and blocks in
 * read(2) for the answer; the "peer" (pinned to -b, the worker's CPU) waits
 * for the byte in one of four ways, answers at once and waits again:
 *   asleep   poll(2) with no timeout: the interrupt worker between frames
 *   spinning poll(2) with timeout 0 in a loop: the busy worker
 *   nap-N    ppoll(2) with an N µs timeout in a loop: a worker that dozes in
 *            short sleeps instead of spinning (its vCPU halts between them)
 * For each case: the round trip (sender's write to its read returning), the
 * one-way wake-up of the peer (sender's write to the peer's poll returning,
 * both CLOCK_MONOTONIC) as p50/p90/p99 over -n rounds, and the peer's CPU
 * time over the case as a share of one CPU (CLOCK_THREAD_CPUTIME_ID).
 * Cases: peer on the other CPU, then on the same CPU as the sender.
 *
 * Build and run: `npm run bench -- --wakeup` (bench/run.sh builds it into
 * build/bench/wakeup), or gcc -O2 -pthread bench/wake/wakeup.c. No root. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum wait_kind { ASLEEP, SPINNING, NAP };

struct peer {
  int cpu;
  enum wait_kind kind;
  long nap_us;
  int rx, tx;              /* pipe ends: the sender's byte in, the answer out */
  _Atomic double woke_us;  /* when the peer's wait returned with the byte */
  double cpu_s;            /* the peer's CPU time over the case */
};

static double now_us(clockid_t c) {
  struct timespec t;
  clock_gettime(c, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void pin(int cpu) {
  cpu_set_t s;
  CPU_ZERO(&s);
  CPU_SET(cpu, &s);
  if (pthread_setaffinity_np(pthread_self(), sizeof s, &s)) {
    fprintf(stderr, "wakeup: cannot pin to CPU %d\n", cpu);
    exit(1);
  }
}

static void *peer_main(void *arg) {
  struct peer *p = arg;
  pin(p->cpu);
  double c0 = now_us(CLOCK_THREAD_CPUTIME_ID);
  struct pollfd pf = {p->rx, POLLIN, 0};
  const struct timespec nap = {0, p->nap_us * 1000};
  for (;;) {
    int r;
    switch (p->kind) {
      case ASLEEP: r = poll(&pf, 1, -1); break;
      case SPINNING: do r = poll(&pf, 1, 0); while (r == 0); break;
      default: do r = ppoll(&pf, 1, &nap, NULL); while (r == 0); break;
    }
    if (r < 0 && errno == EINTR) continue;
    atomic_store(&p->woke_us, now_us(CLOCK_MONOTONIC));
    char c;
    if (read(p->rx, &c, 1) != 1 || c == 'q') break;
    if (write(p->tx, &c, 1) != 1) break;
  }
  p->cpu_s = (now_us(CLOCK_THREAD_CPUTIME_ID) - c0) / 1e6;
  return NULL;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double q(const double *v, int n, double f) { return v[(int)(f * (n - 1) + 0.5)]; }

static void run(const char *name, int cpu_a, int cpu_b, enum wait_kind kind, long nap_us, int rounds, long gap_us) {
  int to_peer[2], to_sender[2];
  if (pipe(to_peer) || pipe(to_sender)) {
    perror("pipe");
    exit(1);
  }
  struct peer p = {.cpu = cpu_b, .kind = kind, .nap_us = nap_us, .rx = to_peer[0], .tx = to_sender[1]};
  pthread_t t;
  pthread_create(&t, NULL, peer_main, &p);
  pin(cpu_a);
  double *rtt = calloc((size_t)rounds, sizeof *rtt), *oneway = calloc((size_t)rounds, sizeof *oneway);
  const struct timespec gap = {gap_us / 1000000, (gap_us % 1000000) * 1000};
  double t_start = now_us(CLOCK_MONOTONIC);
  char c = 'x';
  for (int i = 0; i < rounds; i++) {
    nanosleep(&gap, NULL);
    double t0 = now_us(CLOCK_MONOTONIC);
    if (write(to_peer[1], &c, 1) != 1 || read(to_sender[0], &c, 1) != 1) {
      perror("pipe i/o");
      exit(1);
    }
    rtt[i] = now_us(CLOCK_MONOTONIC) - t0;
    oneway[i] = atomic_load(&p.woke_us) - t0;
  }
  double wall_s = (now_us(CLOCK_MONOTONIC) - t_start) / 1e6;
  c = 'q';
  if (write(to_peer[1], &c, 1) != 1) exit(1);
  pthread_join(t, NULL);
  qsort(rtt, (size_t)rounds, sizeof *rtt, cmp);
  qsort(oneway, (size_t)rounds, sizeof *oneway, cmp);
  printf("%-9s CPU %d->%d  %-9s  round trip p50 %6.1f p90 %6.1f p99 %7.1f us   wake-up of the peer p50 %6.1f p90 %6.1f us   peer CPU %5.1f%%\n",
         cpu_a == cpu_b ? "same-cpu" : "cross-cpu", cpu_a, cpu_b, name, q(rtt, rounds, .5), q(rtt, rounds, .9),
         q(rtt, rounds, .99), q(oneway, rounds, .5), q(oneway, rounds, .9), 100.0 * p.cpu_s / wall_s);
  fflush(stdout);
  free(rtt);
  free(oneway);
  close(to_peer[0]), close(to_peer[1]), close(to_sender[0]), close(to_sender[1]);
}

int main(int argc, char **argv) {
  int cpu_a = 0, cpu_b = 1, rounds = 200, opt;
  long gap_us = 10000;
  while ((opt = getopt(argc, argv, "a:b:n:g:h")) != -1) {
    switch (opt) {
      case 'a': cpu_a = atoi(optarg); break;
      case 'b': cpu_b = atoi(optarg); break;
      case 'n': rounds = atoi(optarg); break;
      case 'g': gap_us = atol(optarg); break;
      default:
        fprintf(stderr, "usage: wakeup [-a sender CPU (0)] [-b peer CPU (1)] [-n rounds (200)] [-g gap µs (10000)]\n");
        return opt == 'h' ? 0 : 2;
    }
  }
  if (rounds < 2 || gap_us < 0) return 2;
  printf("# wakeup: %d rounds, sender sleeps %ld us between rounds; microseconds, CLOCK_MONOTONIC\n", rounds, gap_us);
  static const long naps[] = {20, 100, 1000, 5000};
  for (int same = 0; same < 2; same++) {
    int b = same ? cpu_a : cpu_b;
    run("asleep", cpu_a, b, ASLEEP, 0, rounds, gap_us);
    run("spinning", cpu_a, b, SPINNING, 0, rounds, gap_us);
    for (size_t i = 0; i < sizeof naps / sizeof *naps; i++) {
      char name[16];
      snprintf(name, sizeof name, "nap-%ld", naps[i]);
      run(name, cpu_a, b, NAP, naps[i], rounds, gap_us);
    }
  }
  return 0;
}
