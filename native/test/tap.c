#include "tap.h"

#include <stdarg.h>
#include <stdio.h>

static int tap_count, tap_failed;

void tap_ok(int cond, const char *fmt, ...) {
  va_list ap;
  ++tap_count;
  if (!cond) ++tap_failed;
  /* Passing checks are summarized; only failures are printed in full. */
  if (cond) return;
  printf("not ok %d - ", tap_count);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

int tap_done(void) {
  printf("1..%d\n# %d passed, %d failed\n", tap_count, tap_count - tap_failed, tap_failed);
  return tap_failed ? 1 : 0;
}
