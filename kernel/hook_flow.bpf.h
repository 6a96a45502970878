/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry and return of a hooked call, the same for every hook family.
 *
 * Most hooks decide at entry.  Two kinds decide at return instead, with the
 * arguments saved at entry (per thread): hooks with `return: true`, which
 * match on the return value, and syscall hooks whose user string was in a
 * page not yet faulted in at entry (the syscall faults it in; deciding then
 * is better than matching an empty string).
 */
#ifndef RTENF_HOOK_FLOW_BPF_H
#define RTENF_HOOK_FLOW_BPF_H

#include "actions.bpf.h"
#include "selector.bpf.h"

struct saved_call {
	__u64 raw[RTENF_MAX_ARGS];
};

/* tid -> arguments of a call whose decision waits for its return.  Entries
 * live from entry to return only; LRU so that a thread that never returns
 * cannot pin a slot. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 512); /* the loader sizes it to 1 when the hook never defers */
	__type(key, __u32);
	__type(value, struct saved_call);
} saved_calls SEC(".maps");

/* Calls saved and not yet taken back.  Deferring on a fault is rare, but the
 * return program runs on every return of the syscall, by every task: when
 * nothing is pending it leaves before the map lookup.  A thread that never
 * returns (or an LRU eviction) leaves the count high, which only costs the
 * lookup again. */
__u64 pending_calls;

static __always_inline void save_call(struct hook_env *env)
{
	struct saved_call call;

	load_raw_args(env);
	__builtin_memcpy(call.raw, env->hs->raw, sizeof(call.raw));
	if (bpf_map_update_elem(&saved_calls, &env->tid, &call, BPF_ANY))
		count_global(RTENF_CNT_DEFERRED_MAP_FULL);
	else
		__sync_fetch_and_add(&pending_calls, 1);
}

static __always_inline void take_back_call(__u32 tid)
{
	bpf_map_delete_elem(&saved_calls, &tid);
	if (pending_calls)
		__sync_fetch_and_add(&pending_calls, -1);
}

/* At entry.  Returns the errno the call must fail with, else 0. */
static __always_inline __u32 hook_entry(void *ctx)
{
	struct rtenf_policy_state *st = live_state();
	struct hook_env env;
	int sel;

	if (!st || !hook_env_init(&env, ctx))
		return 0;
	if (rtenf_cfg.flags & RTENF_HOOKCFG_F_AT_RETURN) {
		save_call(&env);
		return 0;
	}
	env.defer_on_fault = rtenf_cfg.flags & RTENF_HOOKCFG_F_DEFER_ON_FAULT;
	sel = match_selectors(&env);
	if (sel == RTENF_SELECTOR_DEFER) {
		save_call(&env);
		return 0;
	}
	if (sel < 0)
		return 0;
	return hook_act(&env, sel, st->mode, 0);
}

/* At return, with the call's return value.  args_in_ctx: the program sees
 * the arguments itself (fexit); otherwise they were saved at entry. */
static __always_inline __u32 hook_return(void *ctx, __s64 retval, bool args_in_ctx)
{
	struct rtenf_policy_state *st;
	struct saved_call *call = NULL;
	struct hook_env env;
	__u32 tid = 0;
	__u8 flags;
	int sel;

	if (!args_in_ctx) {
		if (!(rtenf_cfg.flags & RTENF_HOOKCFG_F_AT_RETURN) && !pending_calls)
			return 0;
		tid = (__u32)bpf_get_current_pid_tgid();
		call = bpf_map_lookup_elem(&saved_calls, &tid);
		if (!call)
			return 0;
	}
	st = live_state();
	if (!st || !hook_env_init(&env, ctx)) {
		if (call)
			take_back_call(tid);
		return 0;
	}
	if (call) {
		__builtin_memcpy(env.hs->raw, call->raw, sizeof(call->raw));
		env.hs->raw_loaded = 1;
		take_back_call(tid);
	}
	env.hs->retval = retval;
	flags = rtenf_cfg.flags & RTENF_HOOKCFG_F_AT_RETURN ? 0 : RTENF_HOOK_F_LATE;
	sel = match_selectors(&env);
	if (sel < 0)
		return 0;
	return hook_act(&env, sel, st->mode, flags);
}

#endif /* RTENF_HOOK_FLOW_BPF_H */
