/* Minimal TAP-style assertions for the core's unit tests: each check prints
 * "ok N - ..." or "not ok N - ...", tap_done() returns the exit status. */
#ifndef HV_TEST_TAP_H
#define HV_TEST_TAP_H

void tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tap_done(void);

/* Long randomized loops run a fifth of their steps under the sanitizers
 * (5-20x slower); the plain build runs them in full. */
#ifdef HV_SANITIZED
#define HV_TEST_STEPS(n) ((n) / 5)
#else
#define HV_TEST_STEPS(n) (n)
#endif

#define CHECK(cond) tap_ok((cond), "%s:%d: %s", __FILE__, __LINE__, #cond)
#define CHECK_EQ(a, b)                                                                        \
  do {                                                                                        \
    long long _a = (long long)(a), _b = (long long)(b);                                       \
    tap_ok(_a == _b, "%s:%d: %s == %s (%lld vs %lld)", __FILE__, __LINE__, #a, #b, _a, _b);   \
  } while (0)

#endif
