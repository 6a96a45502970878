/* SPDX-License-Identifier: GPL-2.0-only */
/* rtenf_hash() as a BPF global function: its loop is verified once per
 * object instead of at every call site. */
#ifndef RTENF_HASH_BPF_H
#define RTENF_HASH_BPF_H

#include "common.bpf.h"

struct rtenf_hash_input {
	__u8 bytes[RTENF_HASH_MAX_LEN];
};

__noinline __u64 rtenf_hash_bytes(const struct rtenf_hash_input *in, __u32 len)
{
	struct rtenf_hash_key key = {.k0 = rtenf_key.k0, .k1 = rtenf_key.k1};

	if (!in)
		return 0;
	return rtenf_hash(in->bytes, len, &key);
}

#endif /* RTENF_HASH_BPF_H */
