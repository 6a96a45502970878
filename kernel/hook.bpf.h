/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every policy hook program has: its compiled configuration (read-only
 * data, so the verifier sees constants and drops code the policy does not
 * use), its own value maps (sized by the loader from the policy), and lazy
 * access to its arguments: a field is read from the record at most once, a
 * string at most once, and only when a filter or the event needs it.
 */
#ifndef RTENF_HOOK_BPF_H
#define RTENF_HOOK_BPF_H

#include "common.bpf.h"
#include "hash.bpf.h"
#include "maps.bpf.h"
#include "task.bpf.h"

const volatile struct rtenf_hook_config rtenf_cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1); /* sized by the loader */
	__type(key, struct rtenf_value_key);
	__type(value, __u8);
} value_sets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1); /* sized by the loader */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rtenf_prefix_key);
	__type(value, __u8);
} prefix_sets SEC(".maps");

struct hook_env {
	void *ctx;                     /* the tracepoint record (or probe regs) */
	struct task_struct *task;
	struct rtenf_hook_scratch *hs;
	struct rtenf_process *proc;    /* NULL: not in the process table */
	__u32 tgid;
	__u32 tid;
	bool proc_looked_up;
	bool defer_on_fault;           /* a fault may be retried at syscall exit */
};

static __always_inline struct rtenf_process *env_process(struct hook_env *env)
{
	if (!env->proc_looked_up) {
		env->proc = bpf_map_lookup_elem(&processes, &env->tgid);
		env->proc_looked_up = true;
	}
	return env->proc;
}

static __always_inline bool value_in_set(__u32 set_id, __u64 value)
{
	struct rtenf_value_key k = {.set_id = set_id, .value = value};

	return bpf_map_lookup_elem(&value_sets, &k) != NULL;
}

/* Reads every argument field in one helper call.  The compiler records how
 * far into the record the fields reach (rtenf_cfg.record_size). */
static __always_inline void load_raw_args(struct hook_env *env)
{
	struct rtenf_hook_scratch *hs = env->hs;
	__u8 *rec = hs->rec;

	if (hs->raw_loaded)
		return;
	hs->raw_loaded = 1;
	if (bpf_probe_read_kernel(rec, rtenf_cfg.record_size & (RTENF_RECORD_MAX - 1), env->ctx))
		__builtin_memset(rec, 0, RTENF_RECORD_MAX);
	for (int a = 0; a < RTENF_MAX_ARGS; a++) {
		/* Any offset: fields of 4 bytes and less need not be 8-aligned
		 * (sched_process_exec's pid is at 12); rec has room for an
		 * 8-byte read at the last one. */
		__u32 off = rtenf_cfg.args[a].offset & (RTENF_RECORD_MAX - 1);
		__u64 v;

		if (a >= rtenf_cfg.nargs)
			break;
		switch (rtenf_cfg.args[a].size) {
		case 1:
			v = rtenf_cfg.args[a].is_signed ? (__u64)(__s64) * (__s8 *)&rec[off] : rec[off];
			break;
		case 2:
			v = rtenf_cfg.args[a].is_signed ? (__u64)(__s64) * (__s16 *)&rec[off] : *(__u16 *)&rec[off];
			break;
		case 4:
			v = rtenf_cfg.args[a].is_signed ? (__u64)(__s64) * (__s32 *)&rec[off] : *(__u32 *)&rec[off];
			break;
		default:
			v = *(__u64 *)&rec[off];
			break;
		}
		hs->raw[a] = v;
	}
}

/* An integer argument widened to 64 bits the way its declared type says:
 * "int" in a policy means the low 32 bits, signed, even where the
 * tracepoint field is a 64-bit register copy. */
static __always_inline __u64 arg_int(struct hook_env *env, __u32 a)
{
	__u64 v;

	load_raw_args(env);
	v = env->hs->raw[a & (RTENF_MAX_ARGS - 1)];
	switch (rtenf_cfg.args[a].type) {
	case RTENF_ARG_INT:
	case RTENF_ARG_FD:
		return (__u64)(__s64)(__s32)v;
	case RTENF_ARG_UINT32:
		return (__u32)v;
	default:
		return v;
	}
}

/* The string argument a, read once into its slot.  Returns its length or a
 * RTENF_STR_* code; *slotp is set either way (str is "" on failure). */
static __always_inline __s32 arg_string(struct hook_env *env, __u32 a, struct rtenf_str_slot **slotp)
{
	struct rtenf_hook_scratch *hs = env->hs;
	struct rtenf_str_slot *slot;
	__u32 idx = a & (RTENF_MAX_ARGS - 1);
	long n = -1;

	slot = bpf_map_lookup_elem(&str_slots, &idx);
	*slotp = slot;
	if (!slot)
		return RTENF_STR_INVALID;
	if (hs->str_len[idx] != RTENF_STR_UNREAD)
		return hs->str_len[idx];
	load_raw_args(env);
	switch (rtenf_cfg.args[a].source) {
	case RTENF_SRC_USER_PTR:
		n = bpf_probe_read_user_str(slot->str, RTENF_PATH_MAX, (void *)hs->raw[idx]);
		break;
	case RTENF_SRC_KERNEL_PTR:
		n = bpf_probe_read_kernel_str(slot->str, RTENF_PATH_MAX, (void *)hs->raw[idx]);
		break;
	case RTENF_SRC_DATA_LOC:
		n = bpf_probe_read_kernel_str(slot->str, RTENF_PATH_MAX,
					      env->ctx + (hs->raw[idx] & 0xffff));
		break;
	}
	if (n > 0) {
		hs->str_len[idx] = n - 1;
	} else {
		slot->str[0] = '\0';
		/* A user string the task has not touched yet may sit in a page
		 * that is not mapped in; the syscall itself will fault it in. */
		if (n == -14 /* EFAULT */ && hs->raw[idx] && rtenf_cfg.args[a].source == RTENF_SRC_USER_PTR)
			hs->str_len[idx] = RTENF_STR_FAULT;
		else
			hs->str_len[idx] = n == 0 ? 0 : RTENF_STR_INVALID;
	}
	return hs->str_len[idx];
}

static __always_inline void hook_scratch_reset(struct rtenf_hook_scratch *hs)
{
	hs->raw_loaded = 0;
	for (int a = 0; a < RTENF_MAX_ARGS; a++) {
		hs->str_len[a] = RTENF_STR_UNREAD;
		hs->hashed[a] = 0;
		hs->reversed[a] = 0;
	}
}

static __always_inline bool hook_env_init(struct hook_env *env, void *ctx)
{
	__u32 zero = 0;
	__u64 id = bpf_get_current_pid_tgid();

	env->ctx = ctx;
	env->task = bpf_get_current_task_btf();
	env->hs = bpf_map_lookup_elem(&hook_scratch, &zero);
	env->proc = NULL;
	env->proc_looked_up = false;
	env->tgid = id >> 32;
	env->tid = (__u32)id;
	env->defer_on_fault = false;
	if (!env->hs)
		return false;
	hook_scratch_reset(env->hs);
	return true;
}

#endif /* RTENF_HOOK_BPF_H */
