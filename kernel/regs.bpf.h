/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Function and syscall parameters by number, per architecture.  libbpf's
 * PT_REGS_PARMn macros stop at 5 and the syscall ones differ from the
 * function ones (x86-64 passes the 4th syscall argument in r10).
 */
#ifndef RTENF_REGS_BPF_H
#define RTENF_REGS_BPF_H

#include "common.bpf.h"

/* One 8-byte load at a constant offset from a context pointer.  The verifier
 * refuses a context pointer that was moved before the load ("dereference of
 * modified ctx ptr"); written in C, a switch of such loads is folded by clang
 * into exactly that (ctx + 8 * n), so each load is spelled out. */
#define RTENF_CTX_LOAD(ctx, off)                                                                    \
	({                                                                                          \
		__u64 __v;                                                                          \
		asm volatile("%[v] = *(u64 *)(%[c] + %[o])" : [v] "=r"(__v) : [c] "r"(ctx), [o] "i"(off)); \
		__v;                                                                                \
	})

#if defined(__TARGET_ARCH_x86)
/* A kprobe/uprobe context (ctx accesses with constant offsets). */
static __always_inline __u64 regs_param(struct pt_regs *regs, __u32 n)
{
	switch (n) {
	case 0: return RTENF_CTX_LOAD(regs, offsetof(struct pt_regs, di));
	case 1: return RTENF_CTX_LOAD(regs, offsetof(struct pt_regs, si));
	case 2: return RTENF_CTX_LOAD(regs, offsetof(struct pt_regs, dx));
	case 3: return RTENF_CTX_LOAD(regs, offsetof(struct pt_regs, cx));
	case 4: return RTENF_CTX_LOAD(regs, offsetof(struct pt_regs, r8));
	case 5: return RTENF_CTX_LOAD(regs, offsetof(struct pt_regs, r9));
	}
	return 0;
}

static __always_inline __u64 regs_return(struct pt_regs *regs)
{
	return regs->ax;
}

/* The user registers a syscall wrapper received: a kernel pointer, read. */
static __always_inline __u64 syscall_param(const struct pt_regs *regs, __u32 n)
{
	switch (n) {
	case 0: return BPF_CORE_READ(regs, di);
	case 1: return BPF_CORE_READ(regs, si);
	case 2: return BPF_CORE_READ(regs, dx);
	case 3: return BPF_CORE_READ(regs, r10);
	case 4: return BPF_CORE_READ(regs, r8);
	case 5: return BPF_CORE_READ(regs, r9);
	}
	return 0;
}
#else
#error "rtenf: add this architecture's parameter registers to kernel/regs.bpf.h"
#endif

/* A BTF-typed context (fentry, fexit, fmod_ret, lsm, raw_tp): u64 per
 * parameter.  n is a constant from read-only data, so only one load stays
 * after the verifier's dead-code pass. */
static __always_inline __u64 ctx_param(__u64 *ctx, __u32 n)
{
	switch (n) {
	case 0: return RTENF_CTX_LOAD(ctx, 0);
	case 1: return RTENF_CTX_LOAD(ctx, 8);
	case 2: return RTENF_CTX_LOAD(ctx, 16);
	case 3: return RTENF_CTX_LOAD(ctx, 24);
	case 4: return RTENF_CTX_LOAD(ctx, 32);
	case 5: return RTENF_CTX_LOAD(ctx, 40);
	case 6: return RTENF_CTX_LOAD(ctx, 48);
	case 7: return RTENF_CTX_LOAD(ctx, 56);
	case 8: return RTENF_CTX_LOAD(ctx, 64);
	case 9: return RTENF_CTX_LOAD(ctx, 72);
	case 10: return RTENF_CTX_LOAD(ctx, 80);
	case 11: return RTENF_CTX_LOAD(ctx, 88);
	}
	return 0;
}

#endif /* RTENF_REGS_BPF_H */
