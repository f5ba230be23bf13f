/* Fuzz target: the classic BPF validator and interpreter (bpf.h).  The input
 * is a program (its first byte: the instruction count, 8 bytes each) then a
 * frame cut in up to three pieces.  Any program the validator accepts must
 * run to a RET without reading outside the program, its scratch memory or the
 * frame (ASan/UBSan watch), whatever the frame; one it refuses is not run.
 * Run: build/fuzz/fuzz_bpf -max_total_time=60 native/fuzz/corpus-fuzz_bpf */
#include <stdint.h>
#include <string.h>

#include "bpf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  uint32_t n = data[0] % 64 + 1;
  if (size < 1 + (size_t)n * 8) return 0;
  struct hv_bpf_insn prog[64];
  memcpy(prog, data + 1, (size_t)n * 8);
  const uint8_t *f = data + 1 + (size_t)n * 8;
  size_t flen = size - 1 - (size_t)n * 8;
  if (hv_bpf_validate(prog, n)) return 0;
  /* the frame in three pieces, split where its first two bytes say */
  size_t a = flen ? f[0] % (flen + 1) : 0, b = flen > 1 ? a + f[1] % (flen - a + 1) : a;
  struct iovec iov[3] = {{(void *)f, a}, {(void *)(f + a), b - a}, {(void *)(f + b), flen - b}};
  (void)hv_bpf_run(prog, iov, 3, (uint32_t)flen, (uint32_t)flen);
  return 0;
}
