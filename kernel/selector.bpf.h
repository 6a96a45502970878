/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The selector matcher: Tetragon's semantics evaluated in the kernel.
 * Selectors are ORed, the filters of one selector ANDed, and the first
 * selector that matches decides the actions.  Filters arrive grouped by
 * selector and, within one, ordered cheap first (pid, namespace,
 * capabilities, binary, integers, strings) by the compiler, so a
 * non-matching event usually leaves before any argument is read.
 *
 * Stand-alone on purpose: tests/bpf/matcher_test.bpf.c includes this header
 * and runs it through bpf_prog_test_run with configurations made by the real
 * compiler.
 */
#ifndef RTENF_SELECTOR_BPF_H
#define RTENF_SELECTOR_BPF_H

#include "hook.bpf.h"

enum {
	MATCH_NO = 0,
	MATCH_YES = 1,
	MATCH_DEFER = 2, /* a string could not be read yet: decide at syscall exit */
};
#define RTENF_SELECTOR_NONE  (-1)
#define RTENF_SELECTOR_DEFER (-2)

/* Global functions: verified once, whatever the number of call sites. */
__noinline int rtenf_reverse_tail(struct rtenf_str_slot *slot, __u32 len)
{
	__u32 n;

	if (!slot)
		return 0;
	n = len < RTENF_LPM_STR_MAX ? len : RTENF_LPM_STR_MAX;
	for (__u32 j = 0; j < RTENF_LPM_STR_MAX; j++) {
		__u32 src = len - 1 - j;

		if (j >= n)
			break;
		RTENF_OPAQUE(src);
		slot->rev[j] = slot->str[src & (RTENF_PATH_MAX - 1)];
	}
	return n;
}

static __always_inline bool filter_in(__u32 i, __u64 value)
{
	if (rtenf_cfg.filters[i].flags & RTENF_FILTER_F_IMM)
		return value == rtenf_cfg.filters[i].imm;
	return value_in_set(rtenf_cfg.filters[i].set_id, value);
}

static __always_inline int negate_if(__u32 op_not, bool in)
{
	return op_not ? !in : in;
}

static __always_inline int filter_pid(struct hook_env *env, __u32 i)
{
	bool ns_pid = rtenf_cfg.filters[i].flags & RTENF_FILTER_F_NS_PID;
	struct task_struct *t = env->task;
	__u32 pid = ns_pid ? task_ns_tgid(t) : env->tgid;
	bool in = filter_in(i, pid);

	if (!in && (rtenf_cfg.filters[i].flags & RTENF_FILTER_F_FOLLOW_FORKS)) {
		for (int d = 0; d < RTENF_FOLLOW_FORKS_DEPTH; d++) {
			t = BPF_CORE_READ(t, real_parent);
			if (!t || BPF_CORE_READ(t, tgid) == 0)
				break;
			pid = ns_pid ? task_ns_tgid(t) : BPF_CORE_READ(t, tgid);
			if (filter_in(i, pid)) {
				in = true;
				break;
			}
			if (BPF_CORE_READ(t, tgid) == 1)
				break;
		}
	}
	return negate_if(rtenf_cfg.filters[i].op == RTENF_FOP_NOT_IN, in);
}

static __always_inline int filter_namespace(struct hook_env *env, __u32 i)
{
	__u32 inum = task_ns_inum_btf(env->task, rtenf_cfg.filters[i].arg);

	return negate_if(rtenf_cfg.filters[i].op == RTENF_FOP_NOT_IN, filter_in(i, inum));
}

/* A process the table does not know has no binary: In fails, NotIn holds. */
static __always_inline int filter_binary(struct hook_env *env, __u32 i)
{
	struct rtenf_process *proc = env_process(env);
	bool in = proc && proc->bin_hash && filter_in(i, proc->bin_hash);

	return negate_if(rtenf_cfg.filters[i].op == RTENF_FOP_NOT_IN, in);
}

/* matchCapabilities: In when the set holds any capability of the mask,
 * NotIn when it holds none.  kernel_cap_t is 64 bits on every kernel
 * (u32 cap[2] before 6.3, u64 val since), so it is read whole. */
static __always_inline int filter_caps(struct hook_env *env, __u32 i)
{
	struct task_struct *task = env->task;
	const struct cred *cred = BPF_CORE_READ(task, cred);
	__u64 caps = 0;

	switch (rtenf_cfg.filters[i].arg) {
	case RTENF_CAPS_EFFECTIVE:
		bpf_core_read(&caps, sizeof(caps), &cred->cap_effective);
		break;
	case RTENF_CAPS_INHERITABLE:
		bpf_core_read(&caps, sizeof(caps), &cred->cap_inheritable);
		break;
	case RTENF_CAPS_PERMITTED:
		bpf_core_read(&caps, sizeof(caps), &cred->cap_permitted);
		break;
	}
	return negate_if(rtenf_cfg.filters[i].op == RTENF_FOP_NOT_IN, (caps & rtenf_cfg.filters[i].imm) != 0);
}

static __always_inline int filter_arg_int(struct hook_env *env, __u32 i)
{
	__u32 a = rtenf_cfg.filters[i].arg;
	__u64 v = arg_int(env, a), imm = rtenf_cfg.filters[i].imm;
	bool is_signed = rtenf_cfg.filters[i].flags & RTENF_FILTER_F_SIGNED;

	switch (rtenf_cfg.filters[i].op) {
	case RTENF_FOP_IN:
		return filter_in(i, v);
	case RTENF_FOP_NOT_IN:
		return !filter_in(i, v);
	case RTENF_FOP_GT:
		return is_signed ? (__s64)v > (__s64)imm : v > imm;
	case RTENF_FOP_LT:
		return is_signed ? (__s64)v < (__s64)imm : v < imm;
	case RTENF_FOP_MASK:
		return (v & imm) != 0;
	}
	return MATCH_NO;
}

static __always_inline int filter_arg_str(struct hook_env *env, __u32 i)
{
	struct rtenf_hook_scratch *hs = env->hs;
	__u64 a = rtenf_cfg.filters[i].arg & (RTENF_MAX_ARGS - 1); /* 64 bits: see arg_string() */
	__u32 set_id = rtenf_cfg.filters[i].set_id;
	struct rtenf_str_slot *slot;
	__s32 len = arg_string(env, a, &slot);
	__u32 op = rtenf_cfg.filters[i].op, n;
	bool in;

	if (!slot)
		return MATCH_NO;
	if (len == RTENF_STR_FAULT) {
		if (env->defer_on_fault)
			return MATCH_DEFER;
		len = 0; /* matched as the empty string; counted by the caller */
	}
	if (len < 0)
		len = 0;

	switch (op) {
	case RTENF_FOP_IN:
	case RTENF_FOP_NOT_IN:
		if (!hs->hashed[a]) {
			hs->str_hash[a] = rtenf_hash_bytes((const struct rtenf_hash_input *)slot->str, len);
			hs->hashed[a] = 1;
		}
		in = filter_in(i, hs->str_hash[a]);
		return negate_if(op == RTENF_FOP_NOT_IN, in);
	case RTENF_FOP_PREFIX:
	case RTENF_FOP_NOT_PREFIX:
		n = (__u32)len < RTENF_LPM_STR_MAX ? (__u32)len : RTENF_LPM_STR_MAX;
		slot->lpm_prefixlen = 32 + 8 * n;
		*(__u32 *)slot->lpm_set = bpf_htonl(set_id);
		in = bpf_map_lookup_elem(&prefix_sets, &slot->lpm_prefixlen) != NULL;
		return negate_if(op == RTENF_FOP_NOT_PREFIX, in);
	case RTENF_FOP_POSTFIX:
	case RTENF_FOP_NOT_POSTFIX:
		if (!hs->reversed[a]) {
			slot->rev_prefixlen = 32 + 8 * rtenf_reverse_tail(slot, len);
			hs->reversed[a] = 1;
		}
		*(__u32 *)slot->rev_set = bpf_htonl(set_id);
		in = bpf_map_lookup_elem(&prefix_sets, &slot->rev_prefixlen) != NULL;
		return negate_if(op == RTENF_FOP_NOT_POSTFIX, in);
	}
	return MATCH_NO;
}

/* An address in a CIDR set: the LPM key is built in the argument's (unused)
 * string slot; IPv6 values live in set_id + 1. */
static __always_inline bool addr_in_set(struct hook_env *env, __u32 i, __u32 a, const __u8 *addr, __u16 family)
{
	__u32 idx = a & (RTENF_MAX_ARGS - 1), set_id = rtenf_cfg.filters[i].set_id;
	struct rtenf_str_slot *slot = bpf_map_lookup_elem(&str_slots, &idx);

	if (!slot)
		return false;
	if (family == 10 /* AF_INET6 */) {
		slot->lpm_prefixlen = 32 + 128;
		set_id += 1;
		__builtin_memcpy(slot->str, addr, 16);
	} else {
		slot->lpm_prefixlen = 32 + 32;
		__builtin_memcpy(slot->str, addr, 4);
	}
	*(__u32 *)slot->lpm_set = bpf_htonl(set_id);
	return bpf_map_lookup_elem(&prefix_sets, &slot->lpm_prefixlen) != NULL;
}

static __always_inline int filter_arg_net(struct hook_env *env, __u32 i)
{
	__u32 a = rtenf_cfg.filters[i].arg;
	struct rtenf_arg_sock *n = arg_net(env, a);
	__u64 v = 0, imm = rtenf_cfg.filters[i].imm;
	bool in;

	switch (rtenf_cfg.filters[i].field) {
	case RTENF_NET_SPORT:
		v = n->sport;
		break;
	case RTENF_NET_DPORT:
		v = n->dport;
		break;
	case RTENF_NET_FAMILY:
		v = n->family;
		break;
	case RTENF_NET_PROTOCOL:
		v = n->protocol;
		break;
	case RTENF_NET_STATE:
		v = n->state;
		break;
	case RTENF_NET_SADDR:
	case RTENF_NET_DADDR:
		if (n->family != 2 /* AF_INET */ && n->family != 10 /* AF_INET6 */)
			in = false;
		else
			in = addr_in_set(env, i, a, rtenf_cfg.filters[i].field == RTENF_NET_SADDR ? n->saddr : n->daddr,
					 n->family);
		return negate_if(rtenf_cfg.filters[i].op == RTENF_FOP_NOT_IN, in);
	}
	switch (rtenf_cfg.filters[i].op) {
	case RTENF_FOP_IN:
		return filter_in(i, v);
	case RTENF_FOP_NOT_IN:
		return !filter_in(i, v);
	case RTENF_FOP_LT:
		return v < imm;
	case RTENF_FOP_GT:
		return v > imm;
	}
	return MATCH_NO;
}

static __always_inline int filter_eval(struct hook_env *env, __u32 i)
{
	switch (rtenf_cfg.filters[i].kind) {
	case RTENF_FILTER_ALWAYS:
		return MATCH_YES;
	case RTENF_FILTER_PID:
		return filter_pid(env, i);
	case RTENF_FILTER_NAMESPACE:
		return filter_namespace(env, i);
	case RTENF_FILTER_BINARY:
		return filter_binary(env, i);
	case RTENF_FILTER_CAPS:
		return filter_caps(env, i);
	case RTENF_FILTER_ARG_INT:
		return filter_arg_int(env, i);
	case RTENF_FILTER_ARG_STR:
		return filter_arg_str(env, i);
	case RTENF_FILTER_ARG_NET:
		return filter_arg_net(env, i);
	}
	return MATCH_NO;
}

/* Index of the first matching selector, RTENF_SELECTOR_NONE, or
 * RTENF_SELECTOR_DEFER when a string could not be read and the answer may
 * depend on it. */
static __always_inline int match_selectors(struct hook_env *env)
{
	int cur = -1;
	bool ok = false;

	for (__u32 i = 0; i < RTENF_MAX_FILTERS; i++) {
		int r;

		if (i >= rtenf_cfg.nfilters)
			break;
		if (rtenf_cfg.filters[i].selector != cur) {
			if (cur >= 0 && ok)
				return cur;
			cur = rtenf_cfg.filters[i].selector;
			ok = true;
		}
		if (!ok)
			continue;
		r = filter_eval(env, i);
		if (r == MATCH_DEFER)
			return RTENF_SELECTOR_DEFER;
		ok = r == MATCH_YES;
	}
	return cur >= 0 && ok ? cur : RTENF_SELECTOR_NONE;
}

#endif /* RTENF_SELECTOR_BPF_H */
