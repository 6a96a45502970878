// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_compile: InMap, NotInMap, InRange, NotInRange and port ranges.
 * A range becomes aligned power-of-two blocks in range_sets (an LPM trie),
 * so the kernel answers with one lookup however many ranges there are;
 * these tests check the blocks cover exactly the range, and every way of
 * writing a range wrong.
 */
#include <criterion/criterion.h>
#include <endian.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "compile_fixture.h"
#include "util.h"

/* What the LPM trie answers for v in set set_id: some block holds it. */
static bool range_hit(const struct compiled_hook *h, __u32 set_id, __u64 v)
{
	for (size_t i = 0; i < h->n_ranges; i++) {
		const struct rtenf_range_key *k = &h->ranges[i];
		unsigned bits = k->prefixlen - 32;
		__u64 start = be64toh(k->value);
		__u64 mask = bits ? ~0ULL << (64 - bits) : 0;

		if (ntohl(k->set_id) == set_id && (v & mask) == start)
			return true;
	}
	return false;
}

static size_t blocks_in_set(const struct compiled_hook *h, __u32 set_id)
{
	size_t n = 0;

	for (size_t i = 0; i < h->n_ranges; i++)
		n += ntohl(h->ranges[i].set_id) == set_id;
	return n;
}

/* Blocks must be aligned: no bit below the prefix set. */
static void assert_blocks_aligned(const struct compiled_hook *h)
{
	for (size_t i = 0; i < h->n_ranges; i++) {
		unsigned bits = h->ranges[i].prefixlen - 32;
		__u64 start = be64toh(h->ranges[i].value);

		cr_assert_leq(bits, 64);
		if (bits < 64) /* bits 0: the whole space, whose low bits are all 64 (no shift by 64) */
			cr_assert_eq(start & (bits ? (1ULL << (64 - bits)) - 1 : ~0ULL), 0, "block %zu not aligned", i);
	}
}

Test(compile_ranges, range_add_covers_exactly_the_range)
{
	static const struct {
		__u64 lo, hi;
	} cases[] = {
		{0, 0}, {5, 5}, {0, ~0ULL}, {1, ~0ULL}, {0, ~0ULL - 1}, {1024, 65535}, {1, 65534},
		{0x7fffffffffffffffULL, 0x8000000000000000ULL}, {3, 17}, {~0ULL, ~0ULL}, {100, 100000},
		{0x123456789ULL, 0xfedcba987654ULL},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct compiled_hook h = {0};
		__u64 lo = cases[i].lo, hi = cases[i].hi;

		range_add(&h, 7, lo, hi);
		assert_blocks_aligned(&h);
		cr_assert_leq(h.n_ranges, 126, "case %zu: %zu blocks", i, h.n_ranges);
		cr_assert(range_hit(&h, 7, lo) && range_hit(&h, 7, hi), "case %zu: ends not covered", i);
		cr_assert(range_hit(&h, 7, lo + (hi - lo) / 2), "case %zu: middle not covered", i);
		if (lo > 0)
			cr_assert(!range_hit(&h, 7, lo - 1), "case %zu: below the range", i);
		if (hi < ~0ULL)
			cr_assert(!range_hit(&h, 7, hi + 1), "case %zu: above the range", i);
		cr_assert(!range_hit(&h, 8, lo), "case %zu: another set", i);
		free(h.ranges);
	}
}

/* Every value of small ranges, both ways. */
Test(compile_ranges, range_add_small_ranges_value_by_value)
{
	for (__u64 lo = 0; lo < 40; lo++)
		for (__u64 hi = lo; hi < 40; hi++) {
			struct compiled_hook h = {0};

			range_add(&h, 1, lo, hi);
			for (__u64 v = 0; v < 48; v++)
				cr_assert_eq(range_hit(&h, 1, v), v >= lo && v <= hi, "%llu:%llu at %llu",
					     (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)v);
			free(h.ranges);
		}
}

Test(compile_ranges, a_range_is_few_blocks)
{
	struct compiled_hook h = {0};

	range_add(&h, 1, 1024, 65535); /* 1024-2047, 2048-4095, ... 32768-65535 */
	cr_assert_eq(h.n_ranges, 6);
	free(h.ranges);
	memset(&h, 0, sizeof(h));
	range_add(&h, 1, 0, ~0ULL);
	cr_assert_eq(h.n_ranges, 1);
	cr_assert_eq(h.ranges[0].prefixlen, 32);
	free(h.ranges);
}

static struct compiled_policy *compile_int(unsigned arg, const char *op, const char *values)
{
	char *yaml = xasprintf(WIDTHS_INTS
			       "    - matchArgs:\n"
			       "      - index: %u\n"
			       "        operator: %s\n"
			       "        values: [%s]\n",
			       arg, op, values);
	struct compiled_policy *cp = compile_ok(yaml);

	free(yaml);
	return cp;
}

Test(compile_ranges, in_map_of_plain_values_is_a_hash_set)
{
	struct compiled_policy *cp = compile_int(3, "InMap", "1, 2, 0x10");
	const struct compiled_hook *h = only_hook(cp);
	const __u64 want[] = {1, 2, 16};

	assert_filter(&h->cfg.filters[0], RTENF_FILTER_ARG_INT, RTENF_FOP_IN, 3, 0, 0);
	assert_set(h, &h->cfg.filters[0], want, 3);
	cr_assert_eq(h->n_ranges, 0);
	compiled_policy_free(cp);

	cp = compile_int(0, "NotInMap", "-1");
	h = only_hook(cp);
	assert_filter(&h->cfg.filters[0], RTENF_FILTER_ARG_INT, RTENF_FOP_NOT_IN, 0,
		      RTENF_FILTER_F_SIGNED | RTENF_FILTER_F_IMM, 0);
	cr_assert_eq(h->cfg.filters[0].imm, ~0ULL);
	compiled_policy_free(cp);
}

Test(compile_ranges, in_map_with_a_range_is_a_range_set)
{
	struct compiled_policy *cp = compile_int(3, "InMap", "7, 100:199");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = &h->cfg.filters[0];

	assert_filter(f, RTENF_FILTER_ARG_INT, RTENF_FOP_IN_RANGE, 3, 0, 0);
	cr_assert_eq(h->n_values, 0);
	cr_assert(range_hit(h, f->set_id, 7) && range_hit(h, f->set_id, 100) && range_hit(h, f->set_id, 199));
	cr_assert(!range_hit(h, f->set_id, 8) && !range_hit(h, f->set_id, 99) && !range_hit(h, f->set_id, 200));
	compiled_policy_free(cp);
}

/* Signed arguments compare with the sign bit flipped, so -5:5 is one
 * contiguous range of the unsigned keys the kernel looks up. */
Test(compile_ranges, signed_ranges_flip_the_sign_bit)
{
	struct compiled_policy *cp = compile_int(0, "InRange", "\"-5:5\"");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = &h->cfg.filters[0];
	const __u64 flip = RTENF_RANGE_SIGN_FLIP;

	assert_filter(f, RTENF_FILTER_ARG_INT, RTENF_FOP_IN_RANGE, 0, RTENF_FILTER_F_SIGNED, 0);
	cr_assert(range_hit(h, f->set_id, (__u64)-5 ^ flip) && range_hit(h, f->set_id, 0 ^ flip) &&
		  range_hit(h, f->set_id, 5 ^ flip));
	cr_assert(!range_hit(h, f->set_id, (__u64)-6 ^ flip) && !range_hit(h, f->set_id, 6 ^ flip));
	compiled_policy_free(cp);

	/* int64 across the whole signed space */
	cp = compile_int(2, "NotInRange", "\"-9223372036854775808:-1\"");
	h = only_hook(cp);
	f = &h->cfg.filters[0];
	assert_filter(f, RTENF_FILTER_ARG_INT, RTENF_FOP_NOT_IN_RANGE, 2, RTENF_FILTER_F_SIGNED, 0);
	cr_assert_eq(blocks_in_set(h, f->set_id), 1, "the negative half is one block");
	cr_assert(range_hit(h, f->set_id, 0x8000000000000000ULL ^ flip) && !range_hit(h, f->set_id, 0 ^ flip));
	compiled_policy_free(cp);
}

Test(compile_ranges, unsigned_ranges_and_widening)
{
	/* uint32: the low 32 bits; hex is accepted on both sides */
	struct compiled_policy *cp = compile_int(1, "InRange", "\"0x10:0xffffffff\"");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = &h->cfg.filters[0];

	assert_filter(f, RTENF_FILTER_ARG_INT, RTENF_FOP_IN_RANGE, 1, 0, 0);
	cr_assert(range_hit(h, f->set_id, 16) && range_hit(h, f->set_id, 0xffffffffULL));
	cr_assert(!range_hit(h, f->set_id, 15) && !range_hit(h, f->set_id, 0x100000000ULL));
	compiled_policy_free(cp);

	/* int: a value is widened with its sign, so 0x80000000 is -2^31 */
	cp = compile_int(0, "InRange", "\"0x80000000:0\"");
	h = only_hook(cp);
	f = &h->cfg.filters[0];
	cr_assert(range_hit(h, f->set_id, 0xffffffff80000000ULL ^ RTENF_RANGE_SIGN_FLIP));
	cr_assert(range_hit(h, f->set_id, 0 ^ RTENF_RANGE_SIGN_FLIP));
	cr_assert(!range_hit(h, f->set_id, 1 ^ RTENF_RANGE_SIGN_FLIP));
	compiled_policy_free(cp);
}

/* Ten thousand ranges in one filter: the hook compiles, and each range
 * costs a bounded number of rows. */
Test(compile_ranges, ten_thousand_ranges)
{
	struct strbuf sb = {0};
	struct compiled_policy *cp;
	const struct compiled_hook *h;

	for (unsigned i = 0; i < 10000; i++)
		sb_printf(&sb, "%s\"%u:%u\"", i ? ", " : "", i * 100, i * 100 + 49);
	cp = compile_int(3, "InRange", sb.buf);
	h = only_hook(cp);
	cr_assert_leq(h->n_ranges, 10000 * 126);
	for (unsigned i = 0; i < 10000; i += 997) {
		cr_assert(range_hit(h, h->cfg.filters[0].set_id, i * 100 + 49));
		cr_assert(!range_hit(h, h->cfg.filters[0].set_id, i * 100 + 50));
	}
	compiled_policy_free(cp);
	sb_free(&sb);
}

/* --- ports --------------------------------------------------------------------- */

#define CONNECT_SEL                                          \
	"apiVersion: cilium.io/v1alpha1\n"           /* 1 */ \
	"kind: TracingPolicy\n"                      /* 2 */ \
	"metadata:\n"                                /* 3 */ \
	"  name: test\n"                             /* 4 */ \
	"spec:\n"                                    /* 5 */ \
	"  kprobes:\n"                               /* 6 */ \
	"  - call: tcp_connect\n"                    /* 7 */ \
	"    syscall: false\n"                       /* 8 */ \
	"    args:\n"                                /* 9 */ \
	"    - index: 0\n"                           /* 10 */ \
	"      type: sock\n"                         /* 11 */ \
	"    selectors:\n"                           /* 12 */ \
	"    - matchArgs:\n"                         /* 13 */ \
	"      - index: 0\n"                         /* 14 */

static struct compiled_policy *compile_port(const char *op, const char *values)
{
	char *yaml = xasprintf(CONNECT_SEL "        operator: %s\n        values: [%s]\n", op, values);
	struct compiled_policy *cp = compile_ok(yaml);

	free(yaml);
	return cp;
}

Test(compile_ranges, port_ranges)
{
	struct compiled_policy *cp = compile_port("DPort", "80, \"8000:8999\"");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = &h->cfg.filters[0];

	cr_assert_eq(f->kind, RTENF_FILTER_ARG_NET);
	cr_assert_eq(f->field, RTENF_NET_DPORT);
	cr_assert_eq(f->op, RTENF_FOP_IN_RANGE);
	cr_assert(range_hit(h, f->set_id, 80) && range_hit(h, f->set_id, 8000) && range_hit(h, f->set_id, 8999));
	cr_assert(!range_hit(h, f->set_id, 81) && !range_hit(h, f->set_id, 9000) && !range_hit(h, f->set_id, 7999));
	compiled_policy_free(cp);

	cp = compile_port("NotSPort", "\"0:1023\"");
	h = only_hook(cp);
	f = &h->cfg.filters[0];
	cr_assert_eq(f->field, RTENF_NET_SPORT);
	cr_assert_eq(f->op, RTENF_FOP_NOT_IN_RANGE);
	cr_assert_eq(blocks_in_set(h, f->set_id), 1);
	compiled_policy_free(cp);

	/* without a range, ports stay a hash set */
	cp = compile_port("DPort", "80, 443");
	cr_assert_eq(only_hook(cp)->cfg.filters[0].op, RTENF_FOP_IN);
	cr_assert_eq(only_hook(cp)->n_ranges, 0);
	compiled_policy_free(cp);
}

/* --- mistakes -------------------------------------------------------------------- */

Test(compile_ranges, bad_ranges_are_reported_at_the_value)
{
	static const struct {
		unsigned arg; /* WIDTHS_INTS: int, uint32, int64, uint64, size_t, fd */
		const char *op;
		const char *text;
		const char *msg;
	} cases[] = {
		{3, "InRange", "5", "\"5\" is not a range; write min:max (e.g. 1000:1999)"},
		{3, "InRange", "1:2:3", "\"1:2:3\" is not a range; write min:max (e.g. 1000:1999)"},
		{3, "NotInRange", "9:1", "\"9:1\" is an empty range: its minimum is above its maximum; write min:max"},
		{0, "InRange", "5:-5", "\"5:-5\" is an empty range: its minimum is above its maximum; write min:max"},
		{1, "InRange", "0:4294967296", "\"4294967296\" is not an unsigned 32-bit integer"},
		{1, "InRange", "-1:5", "\"-1\" is not an unsigned 32-bit integer"},
		{0, "InRange", "a:5", "\"a\" is not a 32-bit integer"},
		{3, "InRange", ":5", "\"\" is not an unsigned 64-bit integer"},
		{3, "InMap", "1:", "\"\" is not an unsigned 64-bit integer"},
		{3, "InMap", "10:1", "\"10:1\" is an empty range: its minimum is above its maximum; write min:max"},
		{3, "NotInMap", "x", "\"x\" is not an unsigned 64-bit integer"},
		{3, "InMap", "list:dups", "list: values are for syscall64 arguments; argument 3 is uint64"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *yaml = xasprintf(WIDTHS_INTS
				       "    - matchArgs:\n"
				       "      - index: %u\n"
				       "        operator: %s\n"
				       "        values: [\"%s\"]\n",
				       cases[i].arg, cases[i].op, cases[i].text);
		char *want = xasprintf("t.yaml:26:18: %s", cases[i].msg);

		expect_compile_error(yaml, want);
		free(want);
		free(yaml);
	}
}

Test(compile_ranges, range_operators_need_an_integer_argument)
{
	static const char *const ops[] = {"InMap", "NotInMap", "InRange", "NotInRange"};

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		char *yaml = xasprintf(OPENAT_SEL
				       "    - matchArgs:\n"
				       "      - index: 0\n"
				       "        operator: %s\n"
				       "        values: [\"1:2\"]\n",
				       ops[i]);
		char *want = xasprintf("t.yaml:19:19: operator %s needs an integer argument; argument 0 is string", ops[i]);

		expect_compile_error(yaml, want);
		free(want);
		free(yaml);
	}
	expect_compile_error(CONNECT_SEL "        operator: InRange\n        values: [\"1:2\"]\n",
			     "t.yaml:15:19: operator InRange does not apply to a sock argument; use SPort, DPort, SAddr, "
			     "DAddr, Family, Protocol or State");
}

Test(compile_ranges, bad_port_ranges)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{"2000:1000", "\"2000:1000\" is an empty port range: its minimum is above its maximum; write min:max"},
		{"1:65536", "\"1:65536\" is not a port (0-65535) or a port range (min:max, e.g. 1024:65535)"},
		{"http:80", "\"http:80\" is not a port (0-65535) or a port range (min:max, e.g. 1024:65535)"},
		{"1:2:3", "\"1:2:3\" is not a port (0-65535) or a port range (min:max, e.g. 1024:65535)"},
		{":80", "\":80\" is not a port (0-65535) or a port range (min:max, e.g. 1024:65535)"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *yaml = xasprintf(CONNECT_SEL "        operator: DPort\n        values: [\"%s\"]\n", cases[i].text);
		char *want = xasprintf("t.yaml:16:18: %s", cases[i].msg);

		expect_compile_error(yaml, want);
		free(want);
		free(yaml);
	}
}
