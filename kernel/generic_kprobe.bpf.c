// SPDX-License-Identifier: GPL-2.0-only
/*
 * One kprobe hook of one policy, by whichever mechanism the loader chose
 * from the feature probes: kprobe.multi, kprobe, or fentry (entry); a
 * kretprobe or fexit when the hook matches on the return value; fmod_ret or
 * a kprobe with bpf_override_return when it must make the call fail.  Only
 * the chosen programs are loaded.
 */
#include "hook_flow.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe")
int kprobe_enter(struct pt_regs *ctx)
{
	hook_entry(ctx);
	return 0;
}

/* Loaded only where the kernel has CONFIG_BPF_KPROBE_OVERRIDE and the
 * function is on the error-injection list. */
SEC("kprobe")
int kprobe_override(struct pt_regs *ctx)
{
	__u32 err = hook_entry(ctx);

	if (err)
		bpf_override_return(ctx, -(long)err);
	return 0;
}

SEC("kprobe.multi")
int kprobe_multi_enter(struct pt_regs *ctx)
{
	hook_entry(ctx);
	return 0;
}

SEC("kretprobe")
int kprobe_return(struct pt_regs *ctx)
{
	hook_return(ctx, (__s64)regs_return(ctx), false);
	return 0;
}

SEC("fentry")
int fentry_enter(__u64 *ctx)
{
	hook_entry(ctx);
	return 0;
}

SEC("fexit")
int fexit_return(__u64 *ctx)
{
	hook_return(ctx, (__s64)ctx_param(ctx, rtenf_cfg.ret_index), true);
	return 0;
}

/* Runs before the function: a non-zero return skips it and becomes its
 * return value.  An earlier program's verdict is kept. */
SEC("fmod_ret")
int fmod_ret_enter(__u64 *ctx)
{
	__s64 prev = (__s64)ctx_param(ctx, rtenf_cfg.ret_index);
	__u32 err;

	if (prev)
		return (int)prev;
	err = hook_entry(ctx);
	return err ? -(int)err : 0;
}

/* The late decision of an fentry hook: arguments saved at entry. */
SEC("fexit")
int fexit_deferred(__u64 *ctx)
{
	hook_return(ctx, (__s64)ctx_param(ctx, rtenf_cfg.ret_index), false);
	return 0;
}
