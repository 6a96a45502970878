// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_compile: what a policy that parses can still get wrong against a
 * kernel, each reported once at the line and column of the mistake, the way
 * `rtenf apply` and `rtenf validate` print it.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "compile_fixture.h"
#include "util.h"

/* A string of n copies of c (caller frees). */
static char *repeat(char c, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* --- arguments ------------------------------------------------------------------------ */

Test(compile_errors, unknown_tracepoint)
{
	expect_compile_error_start(POLICY_HEAD
		"  - subsystem: syscalls\n"
		"    event: sys_enter_nope\n",
		"t.yaml:8:12: unknown tracepoint syscalls/sys_enter_nope: this kernel has no such event (see ");
}

Test(compile_errors, unknown_tracepoint_even_offline)
{
	struct fake_kernel fk;

	unit_kernel(&fk);
	fk.kv.offline = true;
	expect_compile_error_start_with(POLICY_HEAD
		"  - subsystem: nosuch\n"
		"    event: x\n", &fk,
		"t.yaml:8:12: unknown tracepoint nosuch/x: this kernel has no such event (see ");
}

Test(compile_errors, arg_index_out_of_range_names_the_field_count)
{
	expect_compile_error(OPENAT
		"    args:\n"
		"    - index: 9\n",
		"t.yaml:10:7: argument index 9 is out of range: syscalls/sys_enter_openat has 9 fields (0-8)");
}

Test(compile_errors, string_on_a_field_that_is_not_a_pointer)
{
	expect_compile_error(OPENAT
		"    args:\n"
		"    - index: 4\n"
		"      type: string\n",
		"t.yaml:11:13: field 4 (int __syscall_nr) of syscalls/sys_enter_openat is not a pointer; "
		"it cannot be read as string");
	expect_compile_error(WIDTHS
		"    args:\n"
		"    - index: 5\n"
		"      type: string\n",
		"t.yaml:11:13: field 5 (u16 half) of test/widths is not a pointer; it cannot be read as string");
	expect_compile_error(WIDTHS
		"    args:\n"
		"    - index: 11\n"
		"      type: string\n",
		"t.yaml:11:13: field 11 (char comm) of test/widths is not a pointer; it cannot be read as string");
}

Test(compile_errors, integer_on_a_data_loc_or_array_field)
{
	expect_compile_error(POLICY_HEAD
		"  - subsystem: sched\n"
		"    event: sched_process_exec\n"
		"    args:\n"
		"    - index: 4\n"
		"      type: int\n",
		"t.yaml:11:13: field 4 (__data_loc char[] filename) of sched/sched_process_exec is not an integer; "
		"use type string for it");
	expect_compile_error(WIDTHS
		"    args:\n"
		"    - index: 12\n"
		"      type: uint64\n",
		"t.yaml:11:13: field 12 (u8 bytes) of test/widths is not an integer; use type string for it");
	/* without a type too: an array is no integer */
	expect_compile_error(WIDTHS
		"    args:\n"
		"    - index: 11\n",
		"t.yaml:10:7: field 11 (char comm) of test/widths is not an integer; use type string for it");
}

Test(compile_errors, field_past_the_bytes_rtenf_reads)
{
	expect_compile_error(WIDTHS
		"    args:\n"
		"    - index: 13\n",
		"t.yaml:10:7: field far of test/widths is at offset 256; rtenf reads the first 256 bytes of a record");
}

Test(compile_errors, too_many_arguments)
{
	struct strbuf sb = {0};

	sb_puts(&sb, OPENAT "    args:\n");
	for (int i = 0; i < 9; i++)
		sb_puts(&sb, "    - index: 5\n"); /* lines 10-18 */
	expect_compile_error(sb.buf, "t.yaml:18:7: too many arguments: 9, a hook reads at most 8");
	sb_free(&sb);
}

Test(compile_errors, char_buf_size_argument)
{
#define WRITE_HEAD                          \
	POLICY_HEAD                         \
	"  - subsystem: syscalls\n"         \
	"    event: sys_enter_write\n"      \
	"    args:\n"                       \
	"    - index: 6\n"                  \
	"      type: char_buf\n"
	expect_compile_error(WRITE_HEAD,
		"t.yaml:10:7: char_buf argument needs sizeArgIndex (1-based index of the argument holding its length)");
	expect_compile_error(WRITE_HEAD "      sizeArgIndex: 0\n",
		"t.yaml:10:7: char_buf argument needs sizeArgIndex (1-based index of the argument holding its length)");
	expect_compile_error(WRITE_HEAD "      sizeArgIndex: 7\n",
		"t.yaml:10:7: sizeArgIndex 7 names argument 6, which is not an integer");
	expect_compile_error(WRITE_HEAD "      sizeArgIndex: 20\n",
		"t.yaml:10:7: argument index 19 is out of range: syscalls/sys_enter_write has 8 fields (0-7)");
	/* the hidden length would be a ninth argument */
	expect_compile_error(WRITE_HEAD
		"      sizeArgIndex: 8\n"
		"    - index: 5\n"
		"    - index: 5\n"
		"    - index: 5\n"
		"    - index: 5\n"
		"    - index: 5\n"
		"    - index: 5\n"
		"    - index: 5\n",
		"t.yaml:10:7: too many arguments: a hook reads at most 8 (including sizes of char_buf arguments)");
#undef WRITE_HEAD
}

/* --- matchArgs ------------------------------------------------------------------------- */

/* Reported once: matchArgs are compiled in two passes (integers, then
 * strings), and both see a bad index. */
Test(compile_errors, match_args_index_names_no_argument)
{
	expect_compile_error(OPENAT_SEL
		"    - matchArgs:\n"
		"      - index: 3\n"
		"        operator: Equal\n"
		"        values: [1]\n",
		"t.yaml:18:16: matchArgs index 3 names no argument: list it in args (index: 3) first");
	expect_compile_error(OPENAT
		"    selectors:\n"
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: Equal\n"
		"        values: [1]\n",
		"t.yaml:11:16: matchArgs index 0 names no argument: list it in args (index: 0) first");
}

Test(compile_errors, operator_and_type_disagree)
{
	static const struct {
		unsigned arg;
		const char *op;
		const char *msg;
	} cases[] = {
		{1, "Prefix", "t.yaml:19:19: operator Prefix needs a string argument; argument 1 is int"},
		{2, "NotPostfix", "t.yaml:19:19: operator NotPostfix needs a string argument; argument 2 is uint32"},
		{0, "GT", "t.yaml:19:19: operator GT needs an integer argument; argument 0 is string"},
		{0, "LessThan", "t.yaml:19:19: operator LT needs an integer argument; argument 0 is string"},
		{0, "Mask", "t.yaml:19:19: operator Mask needs an integer argument; argument 0 is string"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *yaml = xasprintf(OPENAT_SEL
				       "    - matchArgs:\n"
				       "      - index: %u\n"
				       "        operator: %s\n"
				       "        values: [\"1\"]\n",
				       cases[i].arg, cases[i].op);

		expect_compile_error(yaml, cases[i].msg);
		free(yaml);
	}
}

Test(compile_errors, integers_that_do_not_fit_their_type)
{
	static const struct {
		unsigned arg;   /* WIDTHS_INTS: int, uint32, int64, uint64, size_t, fd */
		const char *text;
		const char *msg;
	} cases[] = {
		{0, "abc", "\"abc\" is not a 32-bit integer"},
		{0, "4294967296", "\"4294967296\" is not a 32-bit integer"},
		{0, "-2147483649", "\"-2147483649\" is not a 32-bit integer"},
		{0, "1.5", "\"1.5\" is not a 32-bit integer"},
		{0, "", "\"\" is not a 32-bit integer"},
		{1, "-1", "\"-1\" is not an unsigned 32-bit integer"},
		{1, "4294967296", "\"4294967296\" is not an unsigned 32-bit integer"},
		{1, "0x100000000", "\"0x100000000\" is not an unsigned 32-bit integer"},
		{2, "18446744073709551616", "\"18446744073709551616\" is not a 64-bit integer"},
		{2, "-9223372036854775809", "\"-9223372036854775809\" is not a 64-bit integer"},
		{2, "12x", "\"12x\" is not a 64-bit integer"},
		{3, "18446744073709551616", "\"18446744073709551616\" is not an unsigned 64-bit integer"},
		{3, "-9223372036854775809", "\"-9223372036854775809\" is not an unsigned 64-bit integer"},
		{3, "0xg", "\"0xg\" is not an unsigned 64-bit integer"},
		{4, "four", "\"four\" is not an unsigned 64-bit integer"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *yaml = xasprintf(WIDTHS_INTS
				       "    - matchArgs:\n"
				       "      - index: %u\n"
				       "        operator: Equal\n"
				       "        values: [\"%s\"]\n",
				       cases[i].arg, cases[i].text);
		char *want = xasprintf("t.yaml:26:18: %s", cases[i].msg);

		expect_compile_error(yaml, want);
		free(want);
		free(yaml);
	}
}

Test(compile_errors, bad_integer_in_each_integer_operator)
{
	static const char *const ops[] = {"NotEqual", "GT", "LT", "Mask"};

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		char *yaml = xasprintf(WIDTHS_INTS
				       "    - matchArgs:\n"
				       "      - index: 1\n"
				       "        operator: %s\n"
				       "        values: [\"-3\"]\n",
				       ops[i]);

		expect_compile_error(yaml, "t.yaml:26:18: \"-3\" is not an unsigned 32-bit integer");
		free(yaml);
	}
}

Test(compile_errors, gt_and_lt_take_one_value)
{
	expect_compile_error(WIDTHS_INTS
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: GT\n"
		"        values: [1, 2]\n",
		"t.yaml:26:17: GT takes exactly one value, not 2");
	expect_compile_error(WIDTHS_INTS
		"    - matchArgs:\n"
		"      - index: 3\n"
		"        operator: LessThan\n"
		"        values: [1, 2, 3]\n",
		"t.yaml:26:17: LT takes exactly one value, not 3");
}

Test(compile_errors, prefix_and_postfix_values_longer_than_lpm_keys)
{
	static const char *const ops[] = {"Prefix", "NotPrefix", "Postfix", "NotPostfix"};
	char *long_value = repeat('a', RTENF_LPM_STR_MAX + 1);

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		char *yaml = xasprintf(OPENAT_SEL
				       "    - matchArgs:\n"
				       "      - index: 0\n"
				       "        operator: %s\n"
				       "        values: [\"%s\"]\n",
				       ops[i], long_value);
		char *want = xasprintf("t.yaml:20:18: %s value is 253 bytes; the limit is 252", ops[i]);

		expect_compile_error(yaml, want);
		free(want);
		free(yaml);
	}
	free(long_value);
}

Test(compile_errors, strings_longer_than_a_path)
{
	char *s = repeat('a', RTENF_PATH_MAX);
	char *yaml;

	yaml = xasprintf(OPENAT_SEL
			 "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: NotEqual\n"
			 "        values: [\"/x\", \"%s\"]\n", s);
	expect_compile_error(yaml, "t.yaml:20:24: value is 4096 bytes; strings are compared up to 4095");
	free(yaml);
	s[0] = '/';
	yaml = xasprintf(OPENAT_SEL
			 "    - matchBinaries:\n"
			 "      - operator: In\n"
			 "        values: [\"%s\"]\n", s);
	expect_compile_error(yaml, "t.yaml:19:18: binary path is 4096 bytes; the longest path is 4095");
	free(yaml);
	free(s);
}

Test(compile_errors, match_args_on_char_buf_is_not_supported_yet)
{
	expect_compile_error(POLICY_HEAD
		"  - subsystem: syscalls\n"
		"    event: sys_enter_write\n"
		"    args:\n"
		"    - index: 6\n"
		"      type: char_buf\n"
		"      sizeArgIndex: 8\n"
		"    selectors:\n"
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: Equal\n"
		"        values: [x]\n",
		"t.yaml:16:19: not supported yet: matchArgs on a char_buf argument");
}

/* --- limits ------------------------------------------------------------------------------ */

Test(compile_errors, more_than_32_selectors)
{
	struct strbuf sb = {0};

	sb_puts(&sb, OPENAT_SEL);
	for (int i = 0; i < RTENF_MAX_SELECTORS + 1; i++) /* selector i on line 17 + 3i */
		sb_puts(&sb, "    - matchPIDs:\n"
			     "      - operator: In\n"
			     "        values: [1]\n");
	expect_compile_error(sb.buf, "t.yaml:113:7: too many selectors: 33, a hook has at most 32");
	sb_free(&sb);
}

Test(compile_errors, more_than_128_filters_reported_once)
{
	struct strbuf sb = {0};

	/* 26 selectors of 5 filters: the 129th filter is the 4th of selector 25 */
	sb_puts(&sb, OPENAT_SEL);
	for (int s = 0; s < 26; s++) {
		sb_puts(&sb, "    - matchPIDs:\n");                /* line 17 + 11s */
		for (int f = 0; f < 5; f++)
			sb_puts(&sb, "      - operator: In\n"      /* line 18 + 11s + 2f */
				     "        values: [1]\n");
	}
	expect_compile_error(sb.buf, "t.yaml:299:9: too many filters in this hook: at most 128 across all its selectors");
	sb_free(&sb);
}

Test(compile_errors, more_than_4_actions)
{
	expect_compile_error(OPENAT_SEL
		"    - matchActions:\n"
		"      - action: Post\n"
		"      - action: Post\n"
		"      - action: NoPost\n"
		"      - action: Post\n"
		"      - action: Sigkill\n",
		"t.yaml:22:9: too many actions: 5, a selector has at most 4");
}

/* The parser already insists on argSig; the compiler must not trust it. */
Test(compile_errors, signal_without_a_valid_argsig)
{
	static const char yaml[] = OPENAT_SEL
		"    - matchActions:\n"
		"      - action: Signal\n"
		"        argSig: 10\n";
	struct diag_list d = {0};
	struct fake_kernel fk;
	struct policy *p = policy_parse(yaml, strlen(yaml), "t.yaml", &d);
	struct policy_action *a;

	cr_assert_not_null(p, "%s", diags_dump(&d));
	unit_kernel(&fk);
	a = &p->hooks[0].selectors[0].actions[0];
	a->has_arg_sig = false;
	expect_policy_error(p, &fk, "t.yaml:18:9: Signal needs argSig between 1 and 64");
	a->has_arg_sig = true;
	a->arg_sig = 0;
	expect_policy_error(p, &fk, "t.yaml:18:9: Signal needs argSig between 1 and 64");
	a->arg_sig = 65;
	expect_policy_error(p, &fk, "t.yaml:18:9: Signal needs argSig between 1 and 64");
	policy_free(p);
}

Test(compile_errors, override_on_a_tracepoint)
{
	expect_compile_error(OPENAT_SEL
		"    - matchActions:\n"
		"      - action: Override\n"
		"        argError: -1\n",
		"t.yaml:18:9: Override cannot work on a tracepoint: a tracepoint observes a syscall but cannot change "
		"its result; use a kprobe or lsmhooks hook for Override, or Sigkill here");
}

/* --- namespaces -------------------------------------------------------------------------- */

static void expect_ns_error(const char *ns, struct fake_kernel *fk, const char *want)
{
	char *yaml = xasprintf(OPENAT_SEL
			       "    - matchNamespaces:\n"
			       "      - namespace: %s\n"
			       "        operator: NotIn\n"
			       "        values: [1, host_ns]\n",
			       ns);

	expect_compile_error_with(yaml, fk, want);
	free(yaml);
}

Test(compile_errors, host_ns_that_cannot_be_determined)
{
	struct fake_kernel fk;

	unit_kernel(&fk);
	fk.host_ns_error = -EACCES;
	expect_ns_error("Pid", &fk, "t.yaml:20:21: cannot determine the host's Pid namespace: Permission denied");
	unit_kernel(&fk);
	fk.host_ns[RTENF_NS_UTS] = 0;
	expect_ns_error("Uts", &fk, "t.yaml:20:21: cannot determine the host's Uts namespace: No such file or directory");
	/* the kernel view cannot tell at all */
	unit_kernel(&fk);
	fk.kv.host_ns = NULL;
	expect_ns_error("Net", &fk, "t.yaml:20:21: cannot determine the host's Net namespace: Function not implemented");
}

Test(compile_errors, kernel_without_time_namespaces)
{
	struct fake_kernel fk;

	unit_kernel(&fk);
	fk.host_ns[RTENF_NS_TIME] = 0;
	fk.host_ns[RTENF_NS_TIME_FOR_CHILDREN] = 0;
	expect_ns_error("Time", &fk, "t.yaml:20:21: this kernel has no time namespaces (CONFIG_TIME_NS)");
	expect_ns_error("TimeForChildren", &fk, "t.yaml:20:21: this kernel has no time namespaces (CONFIG_TIME_NS)");
}

/* --- the policy as a whole ------------------------------------------------------------- */

Test(compile_errors, policy_without_hooks)
{
	expect_compile_error("apiVersion: cilium.io/v1alpha1\n"
			     "kind: TracingPolicy\n"
			     "metadata:\n"
			     "  name: empty\n"
			     "spec: {}\n",
			     "t.yaml:1:1: policy empty has no hooks: add spec.tracepoints, kprobes, lsmhooks or uprobes");
}

Test(compile_errors, every_mistake_is_reported)
{
	struct diag_list d = {0};
	struct fake_kernel fk;
	char *a, *b;

	unit_kernel(&fk);
	cr_assert_null(compile_with(POLICY_HEAD
		"  - subsystem: syscalls\n"        /* 7 */
		"    event: sys_enter_nope\n"      /* 8 */
		"  - subsystem: syscalls\n"        /* 9 */
		"    event: sys_enter_openat\n"    /* 10 */
		"    args:\n"                      /* 11 */
		"    - index: 99\n", &fk, &d));    /* 12 */
	cr_assert_eq(d.n, 2, "%s", diags_dump(&d));
	a = diag_format(&d.v[0]);
	b = diag_format(&d.v[1]);
	cr_assert(!strncmp(a, "t.yaml:8:12: unknown tracepoint", 31), "%s", a);
	cr_assert_str_eq(b, "t.yaml:12:7: argument index 99 is out of range: syscalls/sys_enter_openat has 9 fields (0-8)");
	free(a);
	free(b);
	diag_list_free(&d);
}
