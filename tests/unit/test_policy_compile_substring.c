// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_compile: SubString and SubStringIgnCase.  The values of a filter
 * become one Aho-Corasick automaton in value_sets; these tests run the
 * automaton from the compiled rows, step for step as the kernel does
 * (substring_step() in kernel/selector.bpf.h), and compare with strstr().
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "compile_fixture.h"
#include "util.h"

static bool row(const struct compiled_hook *h, __u32 set_id, __u64 key, __u64 *data)
{
	for (size_t i = 0; i < h->n_values; i++)
		if (h->values[i].set_id == set_id && h->values[i].value == key) {
			*data = h->value_data[i];
			return true;
		}
	return false;
}

/* The kernel's walk; also checks it ends within 2 * len + 1 steps. */
static bool walk(const struct compiled_hook *h, const struct rtenf_filter *f, const char *s)
{
	__u32 len = (__u32)strlen(s), pos = 0, state = 0, fail = 0, steps = 0;
	bool nocase = f->flags & RTENF_FILTER_F_NOCASE;
	__u64 d;

	if (f->imm)
		return true;
	while (pos < len) {
		__u8 c = (__u8)s[pos];

		cr_assert_lt(steps++, 2 * len + 1, "\"%s\": more steps than the kernel allows", s);
		if (nocase && c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (row(h, f->set_id, (__u64)state << 8 | c, &d)) {
			state = (__u32)d & 0x7fffffff;
			fail = (__u32)(d >> 32);
			pos++;
			if (d & 0x80000000)
				return true;
		} else if (!state) {
			pos++;
		} else {
			state = fail;
			fail = state && row(h, f->set_id + 1, state, &d) ? (__u32)d : 0;
		}
	}
	return false;
}

static struct compiled_policy *compile_sub(const char *op, const char *values)
{
	char *yaml = xasprintf(OPENAT_SEL
			       "    - matchArgs:\n"
			       "      - index: 6\n"
			       "        operator: %s\n"
			       "        values: [%s]\n",
			       op, values);
	struct compiled_policy *cp = compile_ok(yaml);

	free(yaml);
	return cp;
}

Test(compile_substring, rows_of_a_small_automaton)
{
	struct compiled_policy *cp = compile_sub("SubString", "\"ab\", \"b\"");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = &h->cfg.filters[0];
	__u64 d;

	assert_filter(f, RTENF_FILTER_ARG_STR, RTENF_FOP_SUBSTRING, 0, 0, 0);
	/* nodes: 0 root, a, ab, b: three edges, three failure links */
	cr_assert_eq(rows_in_set(h, f->set_id), 3);
	cr_assert_eq(rows_in_set(h, f->set_id + 1), 3);
	cr_assert(row(h, f->set_id, 'a', &d));
	cr_assert_eq(d & 0x80000000, 0, "a is no value");
	cr_assert(row(h, f->set_id, (d & 0x7fffffff) << 8 | 'b', &d));
	cr_assert(d & 0x80000000, "ab is a value");
	cr_assert(row(h, f->set_id, 'b', &d) && (d & 0x80000000), "b is a value");
	compiled_policy_free(cp);
}

Test(compile_substring, automaton_agrees_with_strstr)
{
	unsigned seed = 99;

	for (int round = 0; round < 300; round++) {
		char values[8][8], text[64];
		struct strbuf sb = {0};
		int nv = 1 + rand_r(&seed) % 8;
		struct compiled_policy *cp;
		const struct compiled_hook *h;

		for (int v = 0; v < nv; v++) {
			int len = 1 + rand_r(&seed) % 6;

			for (int c = 0; c < len; c++)
				values[v][c] = (char)('a' + rand_r(&seed) % 3);
			values[v][len] = '\0';
			sb_printf(&sb, "%s\"%s\"", v ? ", " : "", values[v]);
		}
		cp = compile_sub("SubString", sb.buf);
		h = only_hook(cp);
		for (int t = 0; t < 100; t++) {
			int len = rand_r(&seed) % 40;
			bool want = false;

			for (int c = 0; c < len; c++)
				text[c] = (char)('a' + rand_r(&seed) % 3);
			text[len] = '\0';
			for (int v = 0; v < nv; v++)
				want |= strstr(text, values[v]) != NULL;
			cr_assert_eq(walk(h, &h->cfg.filters[0], text), want, "values %s, text \"%s\"", sb.buf, text);
		}
		sb_free(&sb);
		compiled_policy_free(cp);
	}
}

Test(compile_substring, ignore_case_folds_the_values)
{
	struct compiled_policy *cp = compile_sub("SubStringIgnCase", "\"XMRig\"");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = &h->cfg.filters[0];

	assert_filter(f, RTENF_FILTER_ARG_STR, RTENF_FOP_SUBSTRING, 0, RTENF_FILTER_F_NOCASE, 0);
	cr_assert(walk(h, f, "/tmp/xmrig") && walk(h, f, "/tmp/XMRIG") && walk(h, f, "/tmp/XmRiG"));
	cr_assert_not(walk(h, f, "/tmp/xmr1g"));
	compiled_policy_free(cp);

	cp = compile_sub("SubString", "\"XMRig\"");
	h = only_hook(cp);
	cr_assert(walk(h, &h->cfg.filters[0], "/XMRig/"));
	cr_assert_not(walk(h, &h->cfg.filters[0], "/xmrig/"));
	compiled_policy_free(cp);
}

Test(compile_substring, empty_value_matches_everything)
{
	struct compiled_policy *cp = compile_sub("SubString", "\"\", \"x\"");
	const struct compiled_hook *h = only_hook(cp);

	cr_assert_eq(h->cfg.filters[0].imm, 1);
	compiled_policy_free(cp);
}

Test(compile_substring, ten_thousand_values)
{
	struct strbuf sb = {0};
	struct compiled_policy *cp;
	const struct compiled_hook *h;

	for (unsigned i = 0; i < 10000; i++)
		sb_printf(&sb, "%s\"/bad-%u/\"", i ? ", " : "", i * 7);
	cp = compile_sub("SubString", sb.buf);
	h = only_hook(cp);
	cr_assert(walk(h, &h->cfg.filters[0], "/opt/bad-69993/x"));
	cr_assert_not(walk(h, &h->cfg.filters[0], "/opt/bad-69994/x"));
	compiled_policy_free(cp);
	sb_free(&sb);
}

Test(compile_substring, mistakes)
{
	char *long_value = xmalloc(RTENF_PATH_MAX + 3), *yaml;

	memset(long_value, 'a', RTENF_PATH_MAX);
	long_value[RTENF_PATH_MAX] = '\0';
	yaml = xasprintf(OPENAT_SEL "    - matchArgs:\n      - index: 6\n        operator: SubString\n"
				    "        values: [\"%s\"]\n", long_value);
	expect_compile_error(yaml, "t.yaml:20:18: value is 4096 bytes; strings are compared up to 4095");
	free(yaml);
	free(long_value);

	expect_compile_error(OPENAT_SEL "    - matchArgs:\n      - index: 5\n        operator: SubString\n"
					"        values: [\"1\"]\n",
			     "t.yaml:19:19: operator SubString needs a string argument; argument 5 is int");
	expect_compile_error(OPENAT_SEL "    - matchArgs:\n      - index: 7\n        operator: SubStringIgnCase\n"
					"        values: [\"1\"]\n",
			     "t.yaml:19:19: operator SubStringIgnCase needs a string argument; argument 7 is uint32");
}

/* All values of one filter together may hold RTENF_SUBSTRING_MAX_BYTES. */
Test(compile_substring, too_many_bytes_in_one_filter)
{
	struct strbuf sb = {0};
	size_t per = 4000, n = RTENF_SUBSTRING_MAX_BYTES / per + 1;
	char *value = xmalloc(per + 1), *want;

	for (size_t i = 0; i < n; i++) {
		memset(value, 'a' + (char)(i % 26), per);
		snprintf(value, 12, "%010zu", i);
		value[10] = 'a';
		value[per] = '\0';
		sb_printf(&sb, "        - \"%s\"\n", value);
	}
	{
		char *yaml = xasprintf(OPENAT_SEL "    - matchArgs:\n      - index: 6\n        operator: SubString\n"
						  "        values:\n%s", sb.buf);

		want = xasprintf("t.yaml:%zu:11: too many SubString bytes in this filter: at most %d in all its values",
				 21 + n - 1, RTENF_SUBSTRING_MAX_BYTES);
		expect_compile_error(yaml, want);
		free(yaml);
	}
	free(want);
	free(value);
	sb_free(&sb);
}
