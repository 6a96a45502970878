/* SPDX-License-Identifier: GPL-2.0-only */
/* rtenf_hash() as a BPF global function, verified once per object instead
 * of at every call site, with its block loop under bpf_loop(): the 6.1
 * verifier walks a plain loop of up to 511 blocks from several starting
 * states and gives up at a million instructions; a bpf_loop callback is
 * verified once. */
#ifndef RTENF_HASH_BPF_H
#define RTENF_HASH_BPF_H

#include "common.bpf.h"

struct rtenf_hash_input {
	__u8 bytes[RTENF_HASH_MAX_LEN];
};

struct rtenf_hash_loop {
	const __u8 *buf;
	struct rtenf_sip sip;
};

static long rtenf_hash_block(__u32 i, void *data)
{
	struct rtenf_hash_loop *c = data;

	rtenf_sip_block(&c->sip, c->buf, i);
	return 0;
}

__noinline __u64 rtenf_hash_bytes(const struct rtenf_hash_input *in, __u32 len)
{
	struct rtenf_hash_key key = {.k0 = rtenf_key.k0, .k1 = rtenf_key.k1};
	struct rtenf_hash_loop c;

	if (!in)
		return 0;
	c.buf = in->bytes;
	rtenf_sip_init(&c.sip, &key);
	len = rtenf_sip_len(len);
	bpf_loop(len / 8, rtenf_hash_block, &c, 0);
	return rtenf_sip_finish(&c.sip, in->bytes, len);
}

#endif /* RTENF_HASH_BPF_H */
