/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Function and syscall parameters by number, per architecture.  libbpf's
 * PT_REGS_PARMn macros stop at 5 and the syscall ones differ from the
 * function ones (x86-64 passes the 4th syscall argument in r10).
 */
#ifndef RTENF_REGS_BPF_H
#define RTENF_REGS_BPF_H

#include "common.bpf.h"

#if defined(__TARGET_ARCH_x86)
/* A kprobe/uprobe context (ctx accesses with constant offsets). */
static __always_inline __u64 regs_param(struct pt_regs *regs, __u32 n)
{
	switch (n) {
	case 0: return regs->di;
	case 1: return regs->si;
	case 2: return regs->dx;
	case 3: return regs->cx;
	case 4: return regs->r8;
	case 5: return regs->r9;
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
 * parameter.  n is a constant from read-only data, so only one load stays. */
static __always_inline __u64 ctx_param(__u64 *ctx, __u32 n)
{
	switch (n) {
	case 0: return ctx[0];
	case 1: return ctx[1];
	case 2: return ctx[2];
	case 3: return ctx[3];
	case 4: return ctx[4];
	case 5: return ctx[5];
	case 6: return ctx[6];
	case 7: return ctx[7];
	case 8: return ctx[8];
	case 9: return ctx[9];
	case 10: return ctx[10];
	case 11: return ctx[11];
	}
	return 0;
}

#endif /* RTENF_REGS_BPF_H */
