/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The selector matcher: Tetragon's semantics evaluated in the kernel.
 * Selectors are ORed, the filters of one selector ANDed, and the first
 * selector that matches decides the actions.  Filters arrive grouped by
 * selector and, within one, ordered cheap first (pid, namespace, binary,
 * integers, strings) by the compiler, so a non-matching event usually leaves
 * before any argument is read.
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

/* A SubString automaton (userspace/compile_substring.c) run over a string:
 * each step consumes a byte along an edge, stays at the root, or follows a
 * failure link; at most 2 * len steps.  The walk's numbers live in map
 * memory (struct rtenf_substring_walk in the hook scratch): the verifier
 * does not follow values through a callback's pointer to its caller's
 * stack across bpf_loop iterations, and took the first iteration's
 * constants for all of them, deleting the failure branch as dead code. */
struct substring_ctx {
	struct rtenf_str_slot *slot;
	struct rtenf_substring_walk *w;
};

static long substring_step(__u32 index, void *data)
{
	struct substring_ctx *ctx = data;
	struct rtenf_substring_walk *w = ctx->w;
	struct rtenf_str_slot *slot = ctx->slot;
	struct rtenf_value_key k = {};
	__u64 *edge;
	__u8 c;

	if (!slot || !w || w->pos >= w->len)
		return 1;
	c = slot->str[w->pos & (RTENF_PATH_MAX - 1)];
	if (w->nocase && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	k.set_id = w->set_id;
	k.value = (__u64)w->state << 8 | c;
	edge = bpf_map_lookup_elem(&value_sets, &k);
	if (edge) {
		w->state = (__u32)*edge & 0x7fffffff;
		w->fail = *edge >> 32;
		w->pos++;
		if (*edge & 0x80000000) {
			w->found = 1;
			return 1;
		}
		return 0;
	}
	if (!w->state) {
		w->pos++;
		return 0;
	}
	/* the same byte again from the longest suffix that is a path */
	w->state = w->fail;
	if (w->state) {
		__u64 *fail;

		k.set_id = w->set_id + 1;
		k.value = w->state;
		fail = bpf_map_lookup_elem(&value_sets, &k);
		w->fail = fail ? (__u32)*fail : 0;
	}
	return 0;
}

static __always_inline bool substring_in(struct hook_env *env, __u32 i, struct rtenf_str_slot *slot, __u32 len)
{
	struct rtenf_substring_walk *w = &env->hs->walk;
	struct substring_ctx ctx = {.slot = slot, .w = w};

	if (rtenf_cfg.filters[i].imm)
		return true; /* "" is a value */
	w->len = len;
	w->pos = 0;
	w->set_id = rtenf_cfg.filters[i].set_id;
	w->state = 0;
	w->fail = 0;
	w->nocase = rtenf_cfg.filters[i].flags & RTENF_FILTER_F_NOCASE;
	w->found = 0;
	bpf_loop(2 * len + 1, substring_step, &ctx, 0);
	return w->found;
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

/* ---- the process's selector state (proc_sel.bpf.h) ---------------------- */

/* A process that was running before the agent started has no record: it
 * gets one now, its present credentials and namespaces as baseline, its
 * binary read from its mm, the follow sets of its parent and its binary.
 * task is the current task or its parent. */
static __always_inline struct rtenf_proc_sel *proc_sel_create(struct task_struct *task, __u32 tgid)
{
	struct rtenf_proc_sel *ps = proc_sel_scratch(), *parent;
	__u32 slot_idx = RTENF_BINARY_SLOT, ptgid;
	struct rtenf_process *proc = bpf_map_lookup_elem(&processes, &tgid);
	struct rtenf_str_slot *slot = bpf_map_lookup_elem(&str_slots, &slot_idx);
	struct file *exe = BPF_CORE_READ(task, mm, exe_file);
	__u64 *follow = NULL;
	int len = -1;

	if (!ps || !slot)
		return NULL;
	proc_sel_fill_task(ps, task);
	if (exe)
		len = rtenf_path_to_str((__u64)exe + bpf_core_field_offset(struct file, f_path), slot);
	if (len > 0)
		proc_sel_fill_binary(ps, (const __u8 *)slot->str, (__u32)len);
	else
		ps->bin_len = 0;
	ps->flags = 0;
	ptgid = BPF_CORE_READ(task, real_parent, tgid);
	parent = bpf_map_lookup_elem(&proc_sel, &ptgid);
	if (proc && proc->bin_hash)
		follow = bpf_map_lookup_elem(&follow_bins, &proc->bin_hash);
	ps->follow = (parent ? parent->follow : 0) | (follow ? *follow : 0);
	bpf_map_update_elem(&proc_sel, &tgid, ps, BPF_NOEXIST);
	return bpf_map_lookup_elem(&proc_sel, &tgid);
}

static __always_inline struct rtenf_proc_sel *env_proc_sel(struct hook_env *env)
{
	if (!env->psel_looked_up) {
		env->psel = bpf_map_lookup_elem(&proc_sel, &env->tgid);
		if (!env->psel)
			env->psel = proc_sel_create(env->task, env->tgid);
		env->psel_looked_up = true;
	}
	return env->psel;
}

static __always_inline __u64 task_caps(struct task_struct *task, __u32 which)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);

	switch (which) {
	case RTENF_CAPS_PERMITTED:
		return read_caps(&cred->cap_permitted);
	case RTENF_CAPS_EFFECTIVE:
		return read_caps(&cred->cap_effective);
	default:
		return read_caps(&cred->cap_inheritable);
	}
}

/* isNamespaceCapability: only a process outside the host user namespace
 * is judged; in it, neither In nor NotIn holds (as Tetragon). */
static __always_inline bool in_host_userns_skip(struct hook_env *env, __u32 i)
{
	return (rtenf_cfg.filters[i].flags & RTENF_FILTER_F_NS_CAPS) &&
	       task_ns_inum_btf(env->task, RTENF_NS_USER) == rtenf_cfg.filters[i].aux;
}

static __always_inline int filter_caps(struct hook_env *env, __u32 i)
{
	bool any;

	if (in_host_userns_skip(env, i))
		return MATCH_NO;
	any = (task_caps(env->task, rtenf_cfg.filters[i].arg) & rtenf_cfg.filters[i].imm) != 0;
	return negate_if(rtenf_cfg.filters[i].op == RTENF_FOP_NOT_IN, any);
}

/* In: a listed capability came or went since the baseline; NotIn: only
 * others did. */
static __always_inline int filter_caps_change(struct hook_env *env, __u32 i)
{
	struct rtenf_proc_sel *ps = env_proc_sel(env);
	__u32 which = rtenf_cfg.filters[i].arg;
	__u64 mask = rtenf_cfg.filters[i].imm, was, now;

	if (!ps || in_host_userns_skip(env, i))
		return MATCH_NO;
	was = ps->caps[which < 3 ? which : 0];
	now = task_caps(env->task, which);
	if ((was & mask) != (now & mask))
		return rtenf_cfg.filters[i].op == RTENF_FOP_IN;
	if (was != now)
		return rtenf_cfg.filters[i].op == RTENF_FOP_NOT_IN;
	return MATCH_NO;
}

/* In: one of the listed namespaces is not the baseline's; NotIn: one of the
 * others.  A namespace the baseline lacks (0) does not count. */
static __always_inline int filter_ns_change(struct hook_env *env, __u32 i)
{
	struct rtenf_proc_sel *ps = env_proc_sel(env);
	__u64 mask = rtenf_cfg.filters[i].imm;

	if (!ps)
		return MATCH_NO;
	if (rtenf_cfg.filters[i].op == RTENF_FOP_NOT_IN)
		mask = ~mask;
	for (__u32 n = 0; n < RTENF_NS_COUNT; n++) {
		if (!(mask & (1ULL << n)) || !ps->ns[n])
			continue;
		if (ps->ns[n] != task_ns_inum_btf(env->task, n))
			return MATCH_YES;
	}
	return MATCH_NO;
}

/* The selector matched: a change it matched becomes the new baseline. */
static __always_inline int selector_matched(struct hook_env *env, int sel)
{
	__u8 flags = rtenf_cfg.selectors[sel & (RTENF_MAX_SELECTORS - 1)].flags;
	struct rtenf_proc_sel *ps;

	if (!(flags & (RTENF_SEL_F_REBASE_CAPS | RTENF_SEL_F_REBASE_NS)))
		return sel;
	ps = env_proc_sel(env);
	if (!ps)
		return sel;
	if (flags & RTENF_SEL_F_REBASE_CAPS)
		for (__u32 c = 0; c < 3; c++)
			ps->caps[c] = task_caps(env->task, c);
	if (flags & RTENF_SEL_F_REBASE_NS)
		for (__u32 n = 0; n < RTENF_NS_COUNT; n++)
			ps->ns[n] = task_ns_inum_btf(env->task, n);
	return sel;
}

/* Prefix / Postfix of a binary's path: its first or (reversed) last bytes
 * from its record, as an LPM key built in the binary's string slot. */
static __always_inline bool binary_affix_in(__u32 i, const struct rtenf_proc_sel *ps)
{
	__u32 slot_idx = RTENF_BINARY_SLOT, n, op = rtenf_cfg.filters[i].op;
	struct rtenf_str_slot *slot = bpf_map_lookup_elem(&str_slots, &slot_idx);

	if (!slot || !ps || !ps->bin_len)
		return false;
	n = ps->bin_len < RTENF_LPM_STR_MAX ? ps->bin_len : RTENF_LPM_STR_MAX;
	if (op == RTENF_FOP_PREFIX || op == RTENF_FOP_NOT_PREFIX) {
		__builtin_memcpy(slot->str, ps->bin_head, RTENF_LPM_STR_MAX);
		slot->lpm_prefixlen = 32 + 8 * n;
		*(__u32 *)slot->lpm_set = bpf_htonl(rtenf_cfg.filters[i].set_id);
		return bpf_map_lookup_elem(&prefix_sets, &slot->lpm_prefixlen) != NULL;
	}
	__builtin_memcpy(slot->rev, ps->bin_rev, RTENF_LPM_STR_MAX);
	slot->rev_prefixlen = 32 + 8 * n;
	*(__u32 *)slot->rev_set = bpf_htonl(rtenf_cfg.filters[i].set_id);
	return bpf_map_lookup_elem(&prefix_sets, &slot->rev_prefixlen) != NULL;
}

/* followChildren: the process, or an ancestor since the policy came, ran
 * a listed binary.  The set's bit number is a row of set_id + 1. */
static __always_inline bool binary_followed(__u32 i, const struct rtenf_proc_sel *ps)
{
	struct rtenf_value_key k = {.set_id = rtenf_cfg.filters[i].set_id + 1};
	__u64 *bit;

	if (!ps)
		return false;
	bit = bpf_map_lookup_elem(&value_sets, &k);
	return bit && *bit < RTENF_FOLLOW_SETS && (ps->follow & (1ULL << *bit));
}

/* matchBinaries (arg 0) and matchParentBinaries (arg 1).  A process the
 * table does not know has no binary: In and Prefix fail, NotIn and
 * NotPrefix hold. */
static __always_inline int filter_binary(struct hook_env *env, __u32 i)
{
	struct rtenf_process *proc;
	struct rtenf_proc_sel *ps = NULL;
	struct task_struct *parent = NULL;
	__u32 op = rtenf_cfg.filters[i].op, ptgid = 0;
	bool in = false, parent_of = rtenf_cfg.filters[i].arg;

	if (parent_of) {
		parent = env->task->real_parent;
		ptgid = parent->tgid;
		proc = bpf_map_lookup_elem(&processes, &ptgid);
	} else {
		proc = env_process(env);
	}
	if (op == RTENF_FOP_IN || op == RTENF_FOP_NOT_IN) {
		in = proc && proc->bin_hash && filter_in(i, proc->bin_hash);
		if (!in && (rtenf_cfg.filters[i].flags & RTENF_FILTER_F_FOLLOW_CHILDREN))
			in = binary_followed(i, env_proc_sel(env));
		return negate_if(op == RTENF_FOP_NOT_IN, in);
	}
	if (parent_of) {
		ps = bpf_map_lookup_elem(&proc_sel, &ptgid);
		if (!ps && parent)
			ps = proc_sel_create(parent, ptgid);
	} else {
		ps = env_proc_sel(env);
	}
	in = binary_affix_in(i, ps);
	return negate_if(op == RTENF_FOP_NOT_PREFIX || op == RTENF_FOP_NOT_POSTFIX, in);
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
	case RTENF_FOP_IN_RANGE:
		return value_in_range(rtenf_cfg.filters[i].set_id, v, is_signed);
	case RTENF_FOP_NOT_IN_RANGE:
		return !value_in_range(rtenf_cfg.filters[i].set_id, v, is_signed);
	case RTENF_FOP_CAPS_GAINED:
		return (arg_int(env, imm & (RTENF_MAX_ARGS - 1)) & ~v) != 0;
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
	case RTENF_FOP_SUBSTRING:
		return substring_in(env, i, slot, len);
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
	case RTENF_FOP_IN_RANGE:
		return value_in_range(rtenf_cfg.filters[i].set_id, v, false);
	case RTENF_FOP_NOT_IN_RANGE:
		return !value_in_range(rtenf_cfg.filters[i].set_id, v, false);
	}
	return MATCH_NO;
}

/* The file's type (S_IFMT bits of its inode mode); no file has none. */
static __always_inline int filter_arg_filetype(struct hook_env *env, __u32 i)
{
	__u32 type = arg_file_mode(env, rtenf_cfg.filters[i].arg) & 0170000;
	bool in = type && filter_in(i, type);

	return negate_if(rtenf_cfg.filters[i].op == RTENF_FOP_NOT_IN, in);
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
	case RTENF_FILTER_ARG_INT:
		return filter_arg_int(env, i);
	case RTENF_FILTER_ARG_STR:
		return filter_arg_str(env, i);
	case RTENF_FILTER_ARG_NET:
		return filter_arg_net(env, i);
	case RTENF_FILTER_ARG_FILETYPE:
		return filter_arg_filetype(env, i);
	case RTENF_FILTER_CAPS:
		return filter_caps(env, i);
	case RTENF_FILTER_CAPS_CHANGE:
		return filter_caps_change(env, i);
	case RTENF_FILTER_NS_CHANGE:
		return filter_ns_change(env, i);
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
				return selector_matched(env, cur);
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
	return cur >= 0 && ok ? selector_matched(env, cur) : RTENF_SELECTOR_NONE;
}

#endif /* RTENF_SELECTOR_BPF_H */
