/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-process state of the selector language (struct rtenf_proc_sel in
 * rtenf_policy.h): what a process's credentials and namespaces were at exec
 * (matchCapabilityChanges, matchNamespaceChanges), which followChildren
 * sets it belongs to, and its binary's path for matchBinaries Prefix and
 * Postfix.  The base sensor keeps it with the three functions below, one
 * call each from its exec, fork and exit programs; the hook programs read
 * it (selector.bpf.h).  Kept apart from the process table on purpose: it
 * is the selectors' business, and the table stays small.
 */
#ifndef RTENF_PROC_SEL_BPF_H
#define RTENF_PROC_SEL_BPF_H

#include "common.bpf.h"
#include "maps.bpf.h"
#include "task.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536); /* the loader sizes it like the process table */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct rtenf_proc_sel);
} proc_sel SEC(".maps");

/* Where a new record is built: too big for the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtenf_proc_sel);
} proc_sel_heap SEC(".maps");

/* Binary hash -> the followChildren sets (bits, RTENF_FOLLOW_SETS) that
 * list it; written by the agent as policies come and go. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RTENF_FOLLOW_BINARIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, __u64);
} follow_bins SEC(".maps");

static __always_inline struct rtenf_proc_sel *proc_sel_scratch(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&proc_sel_heap, &zero);
}

/* The task's credentials and namespaces, now. */
static __always_inline void proc_sel_fill_task(struct rtenf_proc_sel *ps, struct task_struct *task)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);

	ps->caps[RTENF_CAPS_PERMITTED] = read_caps(&cred->cap_permitted);
	ps->caps[RTENF_CAPS_EFFECTIVE] = read_caps(&cred->cap_effective);
	ps->caps[RTENF_CAPS_INHERITABLE] = read_caps(&cred->cap_inheritable);
	for (__u32 i = 0; i < RTENF_NS_COUNT; i++)
		ps->ns[i] = task_ns_inum(task, i);
}

/* The binary's first and (reversed) last bytes, from path[0..len). */
static __always_inline void proc_sel_fill_binary(struct rtenf_proc_sel *ps, const __u8 *path, __u32 len)
{
	__u32 n = len < RTENF_LPM_STR_MAX ? len : RTENF_LPM_STR_MAX;

	ps->bin_len = len;
	RTENF_OPAQUE(n); /* keep the mask: clang knows n <= 252, older verifiers may not */
	bpf_probe_read_kernel(ps->bin_head, n & 0xff, path);
	for (__u32 j = 0; j < RTENF_LPM_STR_MAX; j++) {
		__u32 src = len - 1 - j;

		if (j >= n)
			break;
		RTENF_OPAQUE(src);
		ps->bin_rev[j] = path[src & (RTENF_PATH_MAX - 1)];
	}
}

/* exec: a new baseline and binary; the follow sets it had (from its
 * parent, through fork) stay, and those listing the new binary join. */
static __always_inline void proc_sel_exec(struct task_struct *task, __u32 tgid, const __u8 *path, __u32 len,
					  __u64 bin_hash)
{
	struct rtenf_proc_sel *ps = proc_sel_scratch(), *old = bpf_map_lookup_elem(&proc_sel, &tgid);
	__u64 *follow = bpf_map_lookup_elem(&follow_bins, &bin_hash);

	if (!ps)
		return;
	proc_sel_fill_task(ps, task);
	proc_sel_fill_binary(ps, path, len);
	ps->flags = RTENF_PSEL_F_EXEC;
	ps->follow = (old ? old->follow : 0) | (follow ? *follow : 0);
	bpf_map_update_elem(&proc_sel, &tgid, ps, BPF_ANY);
}

/* fork: the child starts as a copy of its parent. */
static __always_inline void proc_sel_fork(__u32 child, __u32 parent)
{
	struct rtenf_proc_sel *ps = bpf_map_lookup_elem(&proc_sel, &parent);

	if (ps)
		bpf_map_update_elem(&proc_sel, &child, ps, BPF_ANY);
}

static __always_inline void proc_sel_exit(__u32 tgid)
{
	bpf_map_delete_elem(&proc_sel, &tgid);
}

#endif /* RTENF_PROC_SEL_BPF_H */
