/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SipHash-2-4, the one keyed hash both sides use for strings: executable
 * paths in the process table and string values in value_sets.  Keyed with a
 * per-node random secret, so nobody can choose a path that collides with an
 * allow-listed one; 64 bits make an accidental collision (a false match) a
 * 2^-64 event per lookup.  Same source for BPF and user space so the two can
 * never disagree; tests check it against the published test vector and
 * against the kernel through bpf_prog_test_run.
 */
#ifndef RTENF_HASH_H
#define RTENF_HASH_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#include <string.h>
#endif

#define RTENF_HASH_MAX_BLOCKS (RTENF_HASH_MAX_LEN / 8)
#define RTENF_HASH_MAX_LEN    4096

struct rtenf_hash_key {
	__u64 k0;
	__u64 k1;
};

#define RTENF_ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define RTENF_SIPROUND(v0, v1, v2, v3)                                  \
	do {                                                            \
		v0 += v1; v1 = RTENF_ROTL(v1, 13); v1 ^= v0; v0 = RTENF_ROTL(v0, 32); \
		v2 += v3; v3 = RTENF_ROTL(v3, 16); v3 ^= v2;            \
		v0 += v3; v3 = RTENF_ROTL(v3, 21); v3 ^= v0;            \
		v2 += v1; v1 = RTENF_ROTL(v1, 17); v1 ^= v2; v2 = RTENF_ROTL(v2, 32); \
	} while (0)

/* Hides a value from the optimiser so a bounds mask the compiler can prove
 * redundant still reaches the BPF verifier, which cannot. */
#define RTENF_OPAQUE(x) __asm__ __volatile__("" : "+r"(x))

static inline __u64 rtenf_load_le64(const __u8 *p)
{
#ifdef __VMLINUX_H__
	return *(const __u64 *)p; /* x86 and arm64 BPF allow unaligned loads */
#else
	__u64 v;
	memcpy(&v, p, sizeof(v));
	return v;
#endif
}

/* The last 0..7 bytes as a little-endian integer.  BPF reads 8 bytes inside
 * its fixed-size buffer and masks (straight-line code, cheap to verify);
 * user space must not read past the string. */
static inline __u64 rtenf_load_tail(const __u8 *buf, __u32 off, __u32 tail_len)
{
#ifdef __VMLINUX_H__
	__u64 mask = (1ULL << (8 * tail_len)) - 1;

	RTENF_OPAQUE(off);
	return rtenf_load_le64(buf + (off & (RTENF_HASH_MAX_LEN - 8))) & mask;
#else
	__u64 v = 0;

	memcpy(&v, buf + off, tail_len);
	return v;
#endif
}

/* SipHash's state, and its three steps, so that the BPF side can run the
 * block step under bpf_loop() (older verifiers give up on the plain loop)
 * while user space and tests run the same steps in a for loop. */
struct rtenf_sip {
	__u64 v0, v1, v2, v3;
};

static inline void rtenf_sip_init(struct rtenf_sip *s, const struct rtenf_hash_key *key)
{
	s->v0 = key->k0 ^ 0x736f6d6570736575ULL;
	s->v1 = key->k1 ^ 0x646f72616e646f6dULL;
	s->v2 = key->k0 ^ 0x6c7967656e657261ULL;
	s->v3 = key->k1 ^ 0x7465646279746573ULL;
}

/* Block i (8 bytes at i * 8) of buf. */
static inline void rtenf_sip_block(struct rtenf_sip *s, const __u8 *buf, __u32 i)
{
	__u64 v0 = s->v0, v1 = s->v1, v2 = s->v2, v3 = s->v3, m;
	__u32 off = i * 8;

	RTENF_OPAQUE(off);
	m = rtenf_load_le64(buf + (off & (RTENF_HASH_MAX_LEN - 8)));
	v3 ^= m;
	RTENF_SIPROUND(v0, v1, v2, v3);
	RTENF_SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	s->v0 = v0, s->v1 = v1, s->v2 = v2, s->v3 = v3;
}

/* len clamped the way every step expects it. */
static inline __u32 rtenf_sip_len(__u32 len)
{
	if (len > RTENF_HASH_MAX_LEN - 1)
		len = RTENF_HASH_MAX_LEN - 1;
	RTENF_OPAQUE(len); /* keep the bound visible to the verifier */
	return len & (RTENF_HASH_MAX_LEN - 1);
}

/* The tail after the len / 8 whole blocks, and the finalisation. */
static inline __u64 rtenf_sip_finish(struct rtenf_sip *s, const __u8 *buf, __u32 len)
{
	__u64 v0 = s->v0, v1 = s->v1, v2 = s->v2, v3 = s->v3;
	__u64 last = (__u64)(len & 0xff) << 56;

	last |= rtenf_load_tail(buf, (len / 8) * 8, len & 7);
	v3 ^= last;
	RTENF_SIPROUND(v0, v1, v2, v3);
	RTENF_SIPROUND(v0, v1, v2, v3);
	v0 ^= last;
	v2 ^= 0xff;
	RTENF_SIPROUND(v0, v1, v2, v3);
	RTENF_SIPROUND(v0, v1, v2, v3);
	RTENF_SIPROUND(v0, v1, v2, v3);
	RTENF_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* buf must be readable for RTENF_HASH_MAX_LEN bytes on the BPF side (a
 * fixed-size heap buffer); len is clamped to that. */
static inline __u64 rtenf_hash(const __u8 *buf, __u32 len, const struct rtenf_hash_key *key)
{
	struct rtenf_sip s;
	__u32 nblocks;

	rtenf_sip_init(&s, key);
	len = rtenf_sip_len(len);
	nblocks = len / 8;
	for (__u32 i = 0; i < RTENF_HASH_MAX_BLOCKS; i++) {
		if (i >= nblocks)
			break;
		rtenf_sip_block(&s, buf, i);
	}
	return rtenf_sip_finish(&s, buf, len);
}

#endif /* RTENF_HASH_H */
