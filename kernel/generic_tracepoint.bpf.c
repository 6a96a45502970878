// SPDX-License-Identifier: GPL-2.0-only
/*
 * One hook of one policy on a tracepoint: a policy's tracepoints, and its
 * syscall kprobes on kernels without kprobes or trampolines (the matching
 * syscalls:sys_enter_* tracepoint, same argument semantics).  The loader
 * opens this object once per hook, writes the compiled hook into rtenf_cfg
 * and attaches tp_enter (or tp_raw for raw: true), plus tp_exit on the
 * matching sys_exit_* when the hook decides at return (see hook_flow.bpf.h).
 */
#include "hook_flow.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tracepoint")
int tp_enter(void *ctx)
{
	hook_entry(ctx);
	return 0;
}

SEC("tracepoint")
int tp_exit(void *ctx)
{
	__s64 ret = 0;

	/* sys_exit_*: common fields, int __syscall_nr, long ret at 16 */
	bpf_probe_read_kernel(&ret, sizeof(ret), ctx + 16);
	hook_return(ctx, ret, false);
	return 0;
}

SEC("raw_tp")
int tp_raw(__u64 *ctx)
{
	hook_entry(ctx);
	return 0;
}
