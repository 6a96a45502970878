// SPDX-License-Identifier: GPL-2.0-only
/* The digests pinned state is checked with: every byte counts (rtenf_hash()
 * alone stops at 4095), and the same input always gives the same value. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "pin_store.h"
#include "sensor_hook.h"

Test(pin_digest, every_byte_counts_however_long)
{
	size_t len = 3 * 4096 + 17;
	unsigned char *a = calloc(1, len), *b = calloc(1, len);
	uint64_t d;

	cr_assert(a && b);
	d = pin_digest(1, a, len);
	cr_expect_eq(pin_digest(1, b, len), d, "same bytes, same digest");
	for (size_t at = 0; at < len; at += 1021) {
		b[at] ^= 1;
		cr_expect_neq(pin_digest(1, b, len), d, "a change at byte %zu went unseen", at);
		b[at] ^= 1;
	}
	b[len - 1] ^= 0x80;
	cr_expect_neq(pin_digest(1, b, len), d, "the last byte went unseen");
	cr_expect_neq(pin_digest(2, a, len), d, "the seed went unseen");
	cr_expect_neq(pin_digest(1, a, len - 1), d, "the length went unseen");
	cr_expect_neq(pin_digest(1, a, 0), pin_digest(2, a, 0));
	free(a);
	free(b);
}

Test(pin_digest, build_id_is_stable_and_not_trivial)
{
	uint64_t id = hook_bpf_build_id();

	cr_expect_eq(hook_bpf_build_id(), id);
	cr_expect_neq(id, 0);
}
