// SPDX-License-Identifier: GPL-2.0-only
/*
 * The selector matcher on its own, run with bpf_prog_test_run by
 * tests/integration/test_matcher*.c.  The test writes a hook compiled by the
 * real compiler into rtenf_cfg and passes a u64 array as the context, which
 * stands for the tracepoint record: the compiled argument offsets index into
 * it.  A raw_tp test run executes in the calling task, so string arguments
 * are pointers into the test process and bpf_probe_read_user_str() reads
 * them as it would read a syscall's.
 */
#include "selector.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* For the test to check its copies of these constants. */
const volatile int selector_none = RTENF_SELECTOR_NONE;
const volatile int selector_defer = RTENF_SELECTOR_DEFER;

/* Outcomes a test reads back after each run. */
int matched = -100;     /* selector index, RTENF_SELECTOR_NONE or _DEFER */
__u64 bpf_hash;         /* rtenf_hash_bytes() of the bytes given to hash_run */

SEC("raw_tp")
int match_run(void *ctx)
{
	struct hook_env env;

	matched = -100;
	if (!hook_env_init(&env, ctx))
		return 1;
	/* as the tracepoint program does it (kernel/generic_tracepoint.bpf.c) */
	env.defer_on_fault = rtenf_cfg.flags & RTENF_HOOKCFG_F_DEFER_ON_FAULT;
	matched = match_selectors(&env);
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rtenf_hash_input);
} hash_input SEC(".maps");

/* ctx[0]: a user pointer, ctx[1]: how many bytes to hash.  The bytes are
 * copied into a reused per-CPU buffer, as the exec program hashes a path in
 * a reused buffer: whatever an earlier, longer input left behind must not
 * change the hash. */
SEC("raw_tp")
int hash_run(__u64 *ctx)
{
	struct rtenf_hash_input *in;
	__u32 zero = 0, len = ctx[1];

	in = bpf_map_lookup_elem(&hash_input, &zero);
	if (!in || len > RTENF_HASH_MAX_LEN - 1)
		return 1;
	if (bpf_probe_read_user(in->bytes, len, (void *)ctx[0]))
		return 1;
	bpf_hash = rtenf_hash_bytes(in, len);
	return 0;
}
