// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_compile: the values of filters.  Integers widened to 64 bits the
 * way the BPF program widens the argument they compare with, an immediate
 * for one value and value_sets rows for several, keyed hashes of strings,
 * LPM rows for prefixes and (reversed) postfixes.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "compile_fixture.h"
#include "util.h"

/* --- integer values --------------------------------------------------------------- */

static struct compiled_policy *compile_int_filter(unsigned arg, const char *op, const char *values)
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

/* The value is widened to 64 bits the way the program widens the
 * argument (arg_int() in kernel/hook.bpf.h). */
Test(compile_values, integers_widen_as_their_type_says)
{
	static const struct {
		unsigned arg;
		const char *text;
		__u64 want;
	} cases[] = {
		{0, "-1", ~0ULL},
		{0, "\"4294967295\"", ~0ULL}, /* the same 32 bits */
		{0, "0x80000000", 0xffffffff80000000ULL},
		{0, "2147483647", 0x7fffffff},
		{0, "-2147483648", 0xffffffff80000000ULL},
		{0, "0", 0},
		{1, "4294967295", 0xffffffffULL},
		{1, "0xff", 0xff},
		{2, "-2", 0xfffffffffffffffeULL},
		{2, "0x7fffffffffffffff", 0x7fffffffffffffffULL},
		{2, "-9223372036854775808", 0x8000000000000000ULL},
		{2, "18446744073709551615", ~0ULL},
		{3, "18446744073709551615", ~0ULL},
		{3, "0x10", 16},
		{3, "-1", ~0ULL},
		{4, "4096", 4096},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct compiled_policy *cp = compile_int_filter(cases[i].arg, "Equal", cases[i].text);
		const struct compiled_hook *h = only_hook(cp);
		const struct rtenf_filter *f = &h->cfg.filters[0];

		cr_assert(f->flags & RTENF_FILTER_F_IMM);
		cr_assert_eq(f->imm, cases[i].want, "arg %u value %s: %#llx, expected %#llx", cases[i].arg,
			     cases[i].text, (unsigned long long)f->imm, (unsigned long long)cases[i].want);
		cr_assert_eq(h->n_values, 0);
		compiled_policy_free(cp);
	}
}

Test(compile_values, several_integers_make_a_set)
{
	struct compiled_policy *cp = compile_int_filter(0, "NotEqual", "-1, 5, \"0x10\"");
	const struct compiled_hook *h = only_hook(cp);
	const __u64 want[] = {~0ULL, 5, 16};

	assert_filter(&h->cfg.filters[0], RTENF_FILTER_ARG_INT, RTENF_FOP_NOT_IN, 0, RTENF_FILTER_F_SIGNED, 0);
	assert_set(h, &h->cfg.filters[0], want, 3);
	cr_assert_eq(h->n_values, 3);
	compiled_policy_free(cp);
}

Test(compile_values, mask_ors_every_value)
{
	struct compiled_policy *cp = compile_int_filter(3, "Mask", "1, 0x4, \"0x10\"");
	const struct compiled_hook *h = only_hook(cp);

	assert_filter(&h->cfg.filters[0], RTENF_FILTER_ARG_INT, RTENF_FOP_MASK, 3, 0, 0);
	cr_assert_eq(h->cfg.filters[0].imm, 0x15);
	cr_assert_eq(h->n_values, 0);
	compiled_policy_free(cp);

	cp = compile_int_filter(0, "Mask", "0x80000000");
	cr_assert_eq(only_hook(cp)->cfg.filters[0].imm, 0xffffffff80000000ULL, "int: widened like the argument");
	compiled_policy_free(cp);
}

Test(compile_values, gt_lt_keep_one_value_and_the_signedness)
{
	static const struct {
		unsigned arg;
		const char *op;
		const char *text;
		__u8 fop;
		__u64 imm;
		__u8 flags;
	} cases[] = {
		{0, "GT", "-5", RTENF_FOP_GT, 0xfffffffffffffffbULL, RTENF_FILTER_F_SIGNED},
		{1, "LT", "10", RTENF_FOP_LT, 10, 0},
		{2, "GreaterThan", "0", RTENF_FOP_GT, 0, RTENF_FILTER_F_SIGNED},
		{3, "LessThan", "1", RTENF_FOP_LT, 1, 0},
		{4, "GT", "4096", RTENF_FOP_GT, 4096, 0},
		{1, "GT", "0xffffffff", RTENF_FOP_GT, 0xffffffffULL, 0},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct compiled_policy *cp = compile_int_filter(cases[i].arg, cases[i].op, cases[i].text);
		const struct compiled_hook *h = only_hook(cp);

		assert_filter(&h->cfg.filters[0], RTENF_FILTER_ARG_INT, cases[i].fop, cases[i].arg, cases[i].flags, 0);
		cr_assert_eq(h->cfg.filters[0].imm, cases[i].imm, "case %zu: imm %#llx", i,
			     (unsigned long long)h->cfg.filters[0].imm);
		cr_assert_eq(h->n_values, 0);
		compiled_policy_free(cp);
	}
}

/* --- string values ---------------------------------------------------------------- */

Test(compile_values, string_equal_is_a_keyed_hash)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: Equal\n"
		"        values: [\"/etc/passwd\"]\n"
		"      - index: 0\n"
		"        operator: NotEqual\n"
		"        values: [\"/a\", \"\", \"/etc/shadow\"]\n");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = h->cfg.filters;
	const __u64 set[] = {key_hash("/a"), key_hash(""), key_hash("/etc/shadow")};

	assert_filter(&f[0], RTENF_FILTER_ARG_STR, RTENF_FOP_IN, 0, RTENF_FILTER_F_IMM, 0);
	cr_assert_eq(f[0].imm, key_hash("/etc/passwd"));
	/* a fixed test vector: the key really is used */
	cr_assert_neq(f[0].imm, rtenf_hash((const __u8 *)"/etc/passwd", 11, &(struct rtenf_hash_key){0, 0}));
	assert_filter(&f[1], RTENF_FILTER_ARG_STR, RTENF_FOP_NOT_IN, 0, 0, 0);
	assert_set(h, &f[1], set, 3);
	cr_assert_eq(h->n_prefixes, 0);
	compiled_policy_free(cp);
}

Test(compile_values, prefix_and_postfix_rows)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: Prefix\n"
		"        values: [\"/etc/\", \"\"]\n"
		"      - index: 0\n"
		"        operator: Postfix\n"
		"        values: [\".so\"]\n"
		"      - index: 0\n"
		"        operator: NotPrefix\n"
		"        values: [\"/tmp\"]\n"
		"      - index: 0\n"
		"        operator: NotPostfix\n"
		"        values: [\"x\", \".conf\"]\n");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = h->cfg.filters;

	cr_assert_eq(h->cfg.nfilters, 4);
	assert_filter(&f[0], RTENF_FILTER_ARG_STR, RTENF_FOP_PREFIX, 0, 0, 0);
	assert_filter(&f[1], RTENF_FILTER_ARG_STR, RTENF_FOP_POSTFIX, 0, 0, 0);
	assert_filter(&f[2], RTENF_FILTER_ARG_STR, RTENF_FOP_NOT_PREFIX, 0, 0, 0);
	assert_filter(&f[3], RTENF_FILTER_ARG_STR, RTENF_FOP_NOT_POSTFIX, 0, 0, 0);
	cr_assert_eq(h->n_prefixes, 6);
	cr_assert_eq(h->n_values, 0);
	expect_lpm_row(h, f[0].set_id, "/etc/");
	expect_lpm_row(h, f[0].set_id, ""); /* prefixlen 32: every string of the set */
	expect_lpm_row(h, f[1].set_id, "os.");
	expect_lpm_row(h, f[2].set_id, "/tmp");
	expect_lpm_row(h, f[3].set_id, "x");
	expect_lpm_row(h, f[3].set_id, "fnoc.");
	compiled_policy_free(cp);
}

Test(compile_values, prefix_of_the_longest_allowed_length)
{
	char value[RTENF_LPM_STR_MAX + 1], rev[RTENF_LPM_STR_MAX + 1];
	struct compiled_policy *cp;
	const struct compiled_hook *h;
	struct rtenf_prefix_key k;
	char *yaml;

	for (int i = 0; i < RTENF_LPM_STR_MAX; i++) {
		value[i] = (char)('a' + i % 26);
		rev[RTENF_LPM_STR_MAX - 1 - i] = value[i];
	}
	value[RTENF_LPM_STR_MAX] = rev[RTENF_LPM_STR_MAX] = '\0';
	yaml = xasprintf(OPENAT_SEL
			 "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: Prefix\n"
			 "        values: [\"%s\"]\n"
			 "      - index: 0\n"
			 "        operator: Postfix\n"
			 "        values: [\"%s\"]\n",
			 value, value);
	cp = compile_ok(yaml);
	h = only_hook(cp);
	expect_lpm_row(h, h->cfg.filters[0].set_id, value);
	expect_lpm_row(h, h->cfg.filters[1].set_id, rev);
	/* prefix_key_make() is what the tests of the kernel side use */
	prefix_key_make(&k, h->cfg.filters[0].set_id, value, strlen(value));
	cr_assert_eq(k.prefixlen, 32 + 8 * RTENF_LPM_STR_MAX);
	cr_assert(has_prefix(h, &k));
	compiled_policy_free(cp);
	free(yaml);
}

/* Set ids of real policies stay small; the key must still be big endian,
 * so that the LPM trie's prefix bits start with the set id. */
Test(compile_values, prefix_key_layout)
{
	static const __u8 want[] = {0x01, 0x02, 0x03, 0x04, 'a', 'b', 0};
	struct rtenf_prefix_key k;
	char big[RTENF_LPM_STR_MAX + 10];

	memset(&k, 0xee, sizeof(k));
	prefix_key_make(&k, 0x01020304, "ab", 2);
	cr_assert_eq(k.prefixlen, 32 + 16);
	cr_assert_arr_eq(k.data, want, sizeof(want));
	for (size_t i = sizeof(want); i < sizeof(k.data); i++)
		cr_assert_eq(k.data[i], 0, "byte %zu not cleared", i);
	memset(big, 'z', sizeof(big));
	prefix_key_make(&k, 1, big, sizeof(big));
	cr_assert_eq(k.prefixlen, 32 + 8 * RTENF_LPM_STR_MAX, "clamped to the key");
}


/* An fd argument is the path of the file it names (as in Tetragon): its
 * values are paths, compared by keyed hash like strings. */
Test(compile_values, fd_values_are_paths)
{
	struct compiled_policy *cp = compile_int_filter(5, "Equal", "\"/etc/passwd\"");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = &h->cfg.filters[0];

	cr_assert_eq(f->kind, RTENF_FILTER_ARG_STR);
	cr_assert(f->flags & RTENF_FILTER_F_IMM);
	cr_assert_eq(f->imm, rtenf_hash((const __u8 *)"/etc/passwd", 11, &fake_key));
	cr_assert_eq(h->cfg.args[5].type, RTENF_ARG_FD);
	cr_assert_eq(h->cfg.args[5].source, RTENF_SRC_VALUE, "the program resolves the number to a path");
	compiled_policy_free(cp);
}
