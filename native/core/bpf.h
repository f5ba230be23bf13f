/* Classic BPF (McCanne & Jacobson, "The BSD Packet Filter", 1993): the
 * filter language tcpdump expressions compile to (pcap_compile), run by the
 * core on captured frames (capture.h) so a frame the filter rejects is never
 * copied.
 *
 * The instruction format and opcodes are those of <pcap/bpf.h> and Linux's
 * <linux/filter.h> (struct bpf_insn / sock_filter: code, jt, jf, k), so a
 * program libpcap compiled is passed as is.  Supported: every classic
 * instruction (loads of words, halfwords and bytes absolute and indirect, the
 * IP header length MSH load, the scratch memory, ALU with K or X, jumps, RET,
 * TAX/TXA).  Not supported: Linux's ancillary loads (SKF_AD_OFF, negative
 * offsets) — libpcap emits them only for a live Linux socket, never for a
 * dead handle; such a load fails like an out-of-bounds one.
 *
 * The frame is given as an iovec (the bytes as sent can be several pieces:
 * outer header, MACs, tag, rest, port.h), so neither side copies to filter.
 * A load past the captured bytes rejects the frame (returns 0), as libpcap's
 * bpf_filter() does.  hv_bpf_validate() is bpf_validate(): every jump lands
 * inside the program, scratch indices are < 16, no division by a constant
 * zero, the last instruction returns; a program is validated once, when the
 * capture is attached, so the interpreter checks nothing but bounds. */
#ifndef HV_BPF_H
#define HV_BPF_H

#include <stdint.h>
#include <sys/uio.h>

struct hv_bpf_insn {
  uint16_t code;
  uint8_t jt, jf;
  uint32_t k;
};

#define HV_BPF_MAX_INSNS 4096 /* BPF_MAXINSNS */
#define HV_BPF_MEMWORDS 16

/* 0 if `prog` (n instructions) is a valid classic BPF program, else -1. */
int hv_bpf_validate(const struct hv_bpf_insn *prog, uint32_t n);

/* Runs a validated program over the frame in iov[0..cnt) (buflen bytes in
 * all; wirelen its length on the wire).  Returns how many bytes to keep, 0 to
 * reject. */
uint32_t hv_bpf_run(const struct hv_bpf_insn *prog, const struct iovec *iov, int cnt, uint32_t buflen,
                    uint32_t wirelen);

#endif
