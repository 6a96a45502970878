// SPDX-License-Identifier: GPL-2.0-only
/*
 * One lsmhooks hook of one policy as a BPF LSM program.  Returning -errno
 * denies the operation (Override); a verdict an earlier LSM already gave is
 * passed through unchanged, never turned into success.
 */
#include "hook_flow.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("lsm")
int lsm_hook(__u64 *ctx)
{
	__u32 err;

	if (rtenf_cfg.ret_index != 0xff) {
		int prev = (int)ctx_param(ctx, rtenf_cfg.ret_index);

		if (prev)
			return prev;
	}
	err = hook_entry(ctx);
	return err ? -(int)err : 0;
}
