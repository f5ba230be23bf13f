/* Classic BPF interpreter and validator (bpf.h). */
#include "bpf.h"

/* Instruction classes and fields, as in <pcap/bpf.h>. */
#define CLASS(c) ((c) & 0x07)
#define C_LD 0x00
#define C_LDX 0x01
#define C_ST 0x02
#define C_STX 0x03
#define C_ALU 0x04
#define C_JMP 0x05
#define C_RET 0x06
#define C_MISC 0x07
#define SIZE(c) ((c) & 0x18)
#define S_W 0x00
#define S_H 0x08
#define S_B 0x10
#define MODE(c) ((c) & 0xe0)
#define M_IMM 0x00
#define M_ABS 0x20
#define M_IND 0x40
#define M_MEM 0x60
#define M_LEN 0x80
#define M_MSH 0xa0
#define OP(c) ((c) & 0xf0)
#define SRC_X 0x08
#define RVAL(c) ((c) & 0x18)
#define R_A 0x10
#define R_X 0x08
#define MISC_TXA 0x80

enum { ALU_ADD = 0x00, ALU_SUB = 0x10, ALU_MUL = 0x20, ALU_DIV = 0x30, ALU_OR = 0x40, ALU_AND = 0x50,
       ALU_LSH = 0x60, ALU_RSH = 0x70, ALU_NEG = 0x80, ALU_MOD = 0x90, ALU_XOR = 0xa0 };
enum { J_JA = 0x00, J_JEQ = 0x10, J_JGT = 0x20, J_JGE = 0x30, J_JSET = 0x40 };

/* Reads `size` (1, 2, 4) bytes big-endian at `off` of the frame; 0 if out of bounds. */
static int load(const struct iovec *iov, int cnt, uint32_t buflen, uint32_t off, uint32_t size, uint32_t *v) {
  if (off >= buflen || size > buflen - off) return 0;
  uint32_t x = 0;
  int i = 0;
  while (i < cnt && off >= iov[i].iov_len) off -= (uint32_t)iov[i++].iov_len;
  for (uint32_t k = 0; k < size; k++) {
    while (i < cnt && off >= iov[i].iov_len) off = 0, i++; /* the next piece */
    if (i >= cnt) return 0;
    x = x << 8 | ((const uint8_t *)iov[i].iov_base)[off++];
  }
  *v = x;
  return 1;
}

static int alu(uint32_t *a, uint16_t op, uint32_t v) {
  switch (op) {
    case ALU_ADD: *a += v; break;
    case ALU_SUB: *a -= v; break;
    case ALU_MUL: *a *= v; break;
    case ALU_DIV: if (!v) return 0; *a /= v; break;
    case ALU_MOD: if (!v) return 0; *a %= v; break;
    case ALU_OR: *a |= v; break;
    case ALU_AND: *a &= v; break;
    case ALU_XOR: *a ^= v; break;
    case ALU_LSH: *a = v < 32 ? *a << v : 0; break;
    case ALU_RSH: *a = v < 32 ? *a >> v : 0; break;
    case ALU_NEG: *a = (uint32_t)-(int64_t)*a; break;
    default: return 0;
  }
  return 1;
}

static uint32_t jump(const struct hv_bpf_insn *in, uint32_t a, uint32_t v) {
  switch (OP(in->code)) {
    case J_JEQ: return a == v ? in->jt : in->jf;
    case J_JGT: return a > v ? in->jt : in->jf;
    case J_JGE: return a >= v ? in->jt : in->jf;
    case J_JSET: return (a & v) ? in->jt : in->jf;
    default: return in->k; /* J_JA */
  }
}

/* One load into A (C_LD) or X (C_LDX); 0 rejects the frame. */
static int ld(const struct hv_bpf_insn *in, const struct iovec *iov, int cnt, uint32_t buflen, uint32_t wirelen,
              const uint32_t *mem, uint32_t x, uint32_t *dst) {
  static const uint32_t bytes[4] = {[S_W >> 3] = 4, [S_H >> 3] = 2, [S_B >> 3] = 1, [3] = 0};
  uint32_t v;
  switch (MODE(in->code)) {
    case M_IMM: *dst = in->k; return 1;
    case M_LEN: *dst = wirelen; return 1;
    case M_MEM: *dst = mem[in->k]; return 1;
    case M_ABS: return load(iov, cnt, buflen, in->k, bytes[SIZE(in->code) >> 3], dst);
    case M_IND:
      if (in->k > UINT32_MAX - x) return 0;
      return load(iov, cnt, buflen, x + in->k, bytes[SIZE(in->code) >> 3], dst);
    case M_MSH: /* X = 4 * (P[k] & 0xf), the IPv4 header length */
      if (!load(iov, cnt, buflen, in->k, 1, &v)) return 0;
      *dst = (v & 0xf) << 2;
      return 1;
    default: return 0;
  }
}

uint32_t hv_bpf_run(const struct hv_bpf_insn *prog, const struct iovec *iov, int cnt, uint32_t buflen,
                    uint32_t wirelen) {
  uint32_t a = 0, x = 0, mem[HV_BPF_MEMWORDS] = {0};
  for (const struct hv_bpf_insn *in = prog;; in++) {
    switch (CLASS(in->code)) {
      case C_RET: return RVAL(in->code) == R_A ? a : RVAL(in->code) == R_X ? x : in->k;
      case C_LD: if (!ld(in, iov, cnt, buflen, wirelen, mem, x, &a)) return 0; break;
      case C_LDX: if (!ld(in, iov, cnt, buflen, wirelen, mem, x, &x)) return 0; break;
      case C_ST: mem[in->k] = a; break;
      case C_STX: mem[in->k] = x; break;
      case C_ALU: if (!alu(&a, OP(in->code), (in->code & SRC_X) ? x : in->k)) return 0; break;
      case C_JMP: in += jump(in, a, (in->code & SRC_X) ? x : in->k); break;
      default: /* C_MISC */
        if ((in->code & 0xf8) == MISC_TXA) a = x;
        else x = a;
        break;
    }
  }
}

static int valid_ld(uint16_t code, uint32_t k, int is_x) {
  switch (MODE(code)) {
    case M_IMM: case M_LEN: return 1;
    case M_MEM: return k < HV_BPF_MEMWORDS;
    case M_ABS: case M_IND: return !is_x && SIZE(code) != 0x18;
    case M_MSH: return is_x && SIZE(code) == S_B;
    default: return 0;
  }
}

static int valid_alu(uint16_t code, uint32_t k) {
  uint16_t op = OP(code);
  if (op > ALU_XOR) return 0;
  if ((op == ALU_DIV || op == ALU_MOD) && !(code & SRC_X) && k == 0) return 0;
  return 1;
}

static int valid_jmp(const struct hv_bpf_insn *in, uint32_t pc, uint32_t n) {
  uint32_t rest = n - pc - 1; /* instructions after this one */
  if (OP(in->code) == J_JA) return in->k < rest;
  if (OP(in->code) > J_JSET) return 0;
  return in->jt < rest && in->jf < rest;
}

int hv_bpf_validate(const struct hv_bpf_insn *prog, uint32_t n) {
  if (!prog || n == 0 || n > HV_BPF_MAX_INSNS) return -1;
  for (uint32_t pc = 0; pc < n; pc++) {
    const struct hv_bpf_insn *in = &prog[pc];
    int ok;
    switch (CLASS(in->code)) {
      case C_LD: ok = valid_ld(in->code, in->k, 0); break;
      case C_LDX: ok = valid_ld(in->code, in->k, 1); break;
      case C_ST: case C_STX: ok = in->k < HV_BPF_MEMWORDS; break;
      case C_ALU: ok = valid_alu(in->code, in->k); break;
      case C_JMP: ok = valid_jmp(in, pc, n); break;
      case C_RET: ok = RVAL(in->code) != 0x18; break;
      default: ok = 1; break; /* C_MISC: TAX or TXA */
    }
    if (!ok) return -1;
  }
  return CLASS(prog[n - 1].code) == C_RET ? 0 : -1;
}
