// SPDX-License-Identifier: GPL-2.0-only
/*
 * One hook of one policy on a tracepoint.  The loader opens this object once
 * per hook, writes the compiled hook into rtenf_cfg and attaches
 * tp_enter to the tracepoint.  For syscall tracepoints whose filters read
 * user strings it also attaches tp_exit to the matching sys_exit_*: a string
 * in a page the task never touched cannot be read at entry (the kernel
 * faults it in during the syscall), so the decision is taken at exit
 * instead of silently matching an empty string.
 */
#include "actions.bpf.h"
#include "selector.bpf.h"

char LICENSE[] SEC("license") = "GPL";

struct deferred_call {
	__u64 raw[RTENF_MAX_ARGS];
};

/* tid -> arguments of a call whose decision waits for syscall exit.  Only
 * calls whose string page was not resident land here, and only until their
 * syscall returns, so a few hundred slots are plenty; LRU so that even a
 * thread that never returns cannot pin a slot forever. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, struct deferred_call);
} deferred SEC(".maps");

static __always_inline struct rtenf_policy_state *live_state(void)
{
	__u32 slot = rtenf_cfg.policy_slot;
	struct rtenf_policy_state *st = bpf_map_lookup_elem(&policy_state, &slot);

	if (!st || st->mode == RTENF_MODE_DISABLED || st->policy_id != rtenf_cfg.policy_id)
		return NULL;
	return st;
}

SEC("tracepoint")
int tp_enter(void *ctx)
{
	struct rtenf_policy_state *st = live_state();
	struct hook_env env;
	int sel;

	if (!st || !hook_env_init(&env, ctx))
		return 0;
	env.defer_on_fault = rtenf_cfg.flags & RTENF_HOOKCFG_F_DEFER_ON_FAULT;
	sel = match_selectors(&env);
	if (sel == RTENF_SELECTOR_DEFER) {
		struct deferred_call call;

		__builtin_memcpy(call.raw, env.hs->raw, sizeof(call.raw));
		if (bpf_map_update_elem(&deferred, &env.tid, &call, BPF_ANY))
			count_global(RTENF_CNT_DEFERRED_MAP_FULL);
		return 0;
	}
	if (sel < 0)
		return 0;
	hook_act(&env, sel, st->mode, 0, 0);
	return 0;
}

SEC("tracepoint")
int tp_exit(void *ctx)
{
	struct rtenf_policy_state *st;
	struct deferred_call *call;
	struct hook_env env;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__s64 ret = 0;
	int sel;

	call = bpf_map_lookup_elem(&deferred, &tid);
	if (!call)
		return 0;
	st = live_state();
	if (!st || !hook_env_init(&env, ctx)) {
		bpf_map_delete_elem(&deferred, &tid);
		return 0;
	}
	__builtin_memcpy(env.hs->raw, call->raw, sizeof(call->raw));
	env.hs->raw_loaded = 1;
	bpf_map_delete_elem(&deferred, &tid);
	/* sys_exit_*: common fields, int __syscall_nr, long ret at 16. */
	bpf_probe_read_kernel(&ret, sizeof(ret), ctx + 16);
	sel = match_selectors(&env);
	if (sel < 0)
		return 0;
	hook_act(&env, sel, st->mode, RTENF_HOOK_F_LATE, ret);
	return 0;
}
