/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Maps shared by every rtenf BPF object.  The base sensor creates them; every
 * other object is opened with bpf_map__reuse_fd() on the same maps, so all
 * programs write one ring buffer, read one process table and one policy
 * state array, and share the per-CPU scratch buffers (programs on one CPU do
 * not nest: tracepoint programs run with preemption off and the kernel skips
 * a program that would recurse).
 */
#ifndef RTENF_MAPS_BPF_H
#define RTENF_MAPS_BPF_H

#include "common.bpf.h"

/* Sized by the loader (--ringbuf-size). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} events SEC(".maps");

/* tgid -> process.  No preallocation: memory follows the number of live
 * processes, not the worst case. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct rtenf_process);
} processes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RTENF_MAX_POLICIES);
	__type(key, __u32);
	__type(value, struct rtenf_policy_state);
} policy_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RTENF_MAX_POLICIES);
	__type(key, __u32);
	__type(value, struct rtenf_policy_counters);
} policy_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RTENF_CNT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} global_counters SEC(".maps");

/* Per-CPU scratch, shared by all objects (see the note at the top). */
#include "path.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2); /* two walks per exec: binary and cwd */
	__type(key, __u32);
	__type(value, struct rtenf_path_buf);
} path_scratch SEC(".maps");

static __always_inline struct rtenf_path_buf *path_scratch_get(__u32 which)
{
	return bpf_map_lookup_elem(&path_scratch, &which);
}

/* One string argument, laid out so that LPM keys can be built in place:
 * &lpm_prefixlen is a struct rtenf_prefix_key over the first
 * RTENF_LPM_STR_MAX bytes of str, &rev_prefixlen one over the reversed
 * tail. */
struct rtenf_str_slot {
	__u32 lpm_prefixlen;
	__u8 lpm_set[4];
	char str[RTENF_PATH_MAX];
	__u32 rev_prefixlen;
	__u8 rev_set[4];
	char rev[RTENF_LPM_STR_MAX];
};

/* One slot per argument, and one more (RTENF_BINARY_SLOT) for the path of
 * a process's binary when a hook has to read it itself. */
#define RTENF_BINARY_SLOT RTENF_MAX_ARGS
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, RTENF_MAX_ARGS + 1);
	__type(key, __u32);
	__type(value, struct rtenf_str_slot);
} str_slots SEC(".maps");

#define RTENF_STR_UNREAD  (-1)    /* not read yet */
#define RTENF_STR_FAULT   (-2)    /* user page not resident: retry later */
#define RTENF_STR_INVALID (-3)    /* NULL or unreadable pointer */

/* A SubString automaton's walk over one string (kernel/selector.bpf.h). */
struct rtenf_substring_walk {
	__u32 len;
	__u32 pos;
	__u32 set_id;
	__u32 state;
	__u32 fail;   /* the current state's failure link */
	__u32 nocase;
	__u32 found;
	__u32 pad;
};

/* What one hook invocation knows about its arguments.  In map memory, not
 * on the stack: 512 bytes of stack are not enough, and values loaded from
 * memory keep the verifier's state count small. */
struct rtenf_hook_scratch {
	__u64 raw[RTENF_MAX_ARGS];      /* field values as read from the record */
	__s32 str_len[RTENF_MAX_ARGS];  /* >= 0, or RTENF_STR_* */
	__u64 str_hash[RTENF_MAX_ARGS];
	__u8 hashed[RTENF_MAX_ARGS];
	__u8 reversed[RTENF_MAX_ARGS];
	__u32 raw_loaded;
	__u32 out_off;                  /* write offset while building an event */
	__s64 retval;                   /* the hook's return value, at return */
	__u32 file_mode[RTENF_MAX_ARGS];  /* file-like arguments: inode mode */
	__u8 mode_read[RTENF_MAX_ARGS];   /* file_mode is set (by a path read or arg_file_mode()) */
	__u32 file_flags[RTENF_MAX_ARGS]; /* and open flags */
	struct rtenf_arg_sock net[RTENF_MAX_ARGS]; /* sock / sockaddr arguments */
	__u8 net_state[RTENF_MAX_ARGS];   /* 0: not read yet */
	struct rtenf_substring_walk walk;
	__u8 rec[RTENF_RECORD_MAX + 8]; /* copy of the record's argument area, and slack */
};

/* A hook record with its arguments. */
#define RTENF_EVENT_DATA_MAX  16384 /* arguments beyond this are cut (flagged) */
#define RTENF_EVENT_ARG_MAX   4096  /* one argument's bytes */
#define RTENF_STACK_BYTES     (RTENF_STACK_MAX_FRAMES * 8)
/* room after the arguments for a kernel and a user stack section */
#define RTENF_EVENT_STACKS_MAX (2 * RTENF_STACK_SECTION)
struct rtenf_event_buf {
	struct rtenf_msg_hook m;
	__u8 data[RTENF_EVENT_DATA_MAX + sizeof(struct rtenf_msg_arg) + RTENF_EVENT_ARG_MAX + RTENF_EVENT_STACKS_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtenf_hook_scratch);
} hook_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtenf_event_buf);
} event_heap SEC(".maps");

/* When an event of a rate-limited selector was last posted (boot ns), by
 * struct rtenf_rate_key; LRU, so forgotten kinds make room. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct rtenf_rate_key);
	__type(value, __u64);
} rate_limits SEC(".maps");

static __always_inline void count_global(__u32 which)
{
	__u64 *v = bpf_map_lookup_elem(&global_counters, &which);

	if (v)
		*v += 1;
}

static __always_inline struct rtenf_policy_counters *policy_counters_of(__u32 slot)
{
	return bpf_map_lookup_elem(&policy_counters, &slot);
}

#endif /* RTENF_MAPS_BPF_H */
