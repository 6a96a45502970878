// SPDX-License-Identifier: GPL-2.0-only
/*
 * One lsmhooks hook of one policy as a BPF LSM program.  Returning -errno
 * denies the operation (Override); a verdict an earlier LSM already gave is
 * passed through unchanged, never turned into success.
 */
#include "hook_flow.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Linux 6.12's verifier wants proof that an LSM program returns 0 or a
 * -errno, in all 64 bits of r0: two separate signed checks on a 64-bit
 * value (the barrier keeps clang from fusing them into one unsigned compare
 * the verifier cannot relate back to v), and a program declared to return
 * long, so that clang does not narrow r0 with a zero-extending 32-bit move.
 * Out of range cannot happen; it would deny. */
static __always_inline long lsm_verdict(long v)
{
	RTENF_OPAQUE(v);
	if (v > 0)
		v = -1;
	RTENF_OPAQUE(v);
	if (v < -4095)
		v = -1;
	return v;
}

SEC("lsm")
long lsm_hook(__u64 *ctx)
{
	__u32 err;

	if (rtenf_cfg.ret_index != 0xff) {
		long prev = (int)ctx_param(ctx, rtenf_cfg.ret_index);

		if (prev)
			return lsm_verdict(prev);
	}
	err = hook_entry(ctx);
	return err ? lsm_verdict(-(long)err) : 0;
}
