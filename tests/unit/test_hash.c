// SPDX-License-Identifier: GPL-2.0-only
/* The shared keyed hash must be SipHash-2-4 exactly: the kernel and user
 * space compute it independently and must agree. */
#include <criterion/criterion.h>

#include "rtenf_hash.h"

/* Reference vectors from the SipHash paper (Aumasson & Bernstein),
 * key 00..0f, message 00..(len-1). */
Test(hash, siphash_reference_vectors)
{
	struct rtenf_hash_key key = {.k0 = 0x0706050403020100ULL, .k1 = 0x0f0e0d0c0b0a0908ULL};
	__u8 msg[64];

	for (unsigned i = 0; i < sizeof(msg); i++)
		msg[i] = (__u8)i;
	cr_assert_eq(rtenf_hash(msg, 0, &key), 0x726fdb47dd0e0e31ULL);
	cr_assert_eq(rtenf_hash(msg, 1, &key), 0x74f839c593dc67fdULL);
	cr_assert_eq(rtenf_hash(msg, 7, &key), 0xab0200f58b01d137ULL);
	cr_assert_eq(rtenf_hash(msg, 8, &key), 0x93f5f5799a932462ULL);
	cr_assert_eq(rtenf_hash(msg, 15, &key), 0xa129ca6149be45e5ULL);
	cr_assert_eq(rtenf_hash(msg, 63, &key), 0x958a324ceb064572ULL);
}

Test(hash, key_changes_result)
{
	struct rtenf_hash_key a = {1, 2}, b = {1, 3};
	const __u8 *s = (const __u8 *)"/usr/bin/xmrig";

	cr_assert_neq(rtenf_hash(s, 14, &a), rtenf_hash(s, 14, &b));
}
