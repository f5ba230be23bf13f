/* libFuzzer target: software segmentation and checksum completion (gso.h).
 * The input is [virtio-net header: 10 bytes][frame]; the frame is segmented
 * and, in a copy, its checksum completed.  Any read or write past a buffer
 * (ASan) or undefined behaviour (UBSan) is a finding; the result is checked
 * only for staying inside the output storage.
 * Run: build/fuzz/fuzz_gso -max_total_time=60 native/fuzz/corpus-fuzz_gso */
#include <stdlib.h>
#include <string.h>

#include "gso.h"

static uint8_t out[1 << 18];
static uint8_t copy[1 << 16];
static struct hv_seg segs[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < HV_VNET_HDR_LEN || size - HV_VNET_HDR_LEN > sizeof copy) return 0;
  struct hv_vnet_hdr v = {
      .flags = data[0],
      .gso_type = data[1],
      .hdr_len = (uint16_t)(data[2] | data[3] << 8),
      .gso_size = (uint16_t)(data[4] | data[5] << 8),
      .csum_start = (uint16_t)(data[6] | data[7] << 8),
      .csum_offset = (uint16_t)(data[8] | data[9] << 8),
  };
  const uint8_t *frame = data + HV_VNET_HDR_LEN;
  uint32_t len = (uint32_t)(size - HV_VNET_HDR_LEN);
  int n = hv_gso_segment(frame, len, &v, out, sizeof out, segs, 64);
  for (int i = 0; i < n; i++)
    if (segs[i].off + segs[i].len > sizeof out) abort();
  memcpy(copy, frame, len);
  hv_csum_complete(copy, len, &v);
  return 0;
}
