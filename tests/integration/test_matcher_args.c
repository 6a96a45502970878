// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF matcher on matchArgs: every integer and string operator, matching
 * and not, on records passed to bpf_prog_test_run (field layout in
 * matcher_fixture.h).  String fields point into this process, read with
 * bpf_probe_read_user_str as at a real syscall, including the pointers a
 * syscall may get that cannot be read: NULL, and a page not faulted in yet.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "matcher_fixture.h"
#include "util.h"

static struct matcher m;

static void setup(void)
{
	matcher_init(&m);
}

static void teardown(void)
{
	matcher_unload(&m);
}

TestSuite(matcher_args, .init = setup, .fini = teardown, .timeout = 120);

/* a raw pointer, for pages the test wants unresident; strings go through
 * matcher_user_str() */
#define PTR(s) ((__u64)(uintptr_t)(s))


/* --- integers ------------------------------------------------------------------------------- */

Test(matcher_args, equal_one_value)
{
	matcher_load_arg(&m, 0, "Equal", "-7");
	expect_int(0, (__u64)-7, 0);
	expect_int(0, 7, MATCH_NONE);
	expect_int(0, 0xfffffff9, MATCH_NONE); /* int64: all 64 bits count */
	matcher_unload(&m);

	matcher_load_arg(&m, 1, "NotEqual", "0x10");
	expect_int(1, 16, MATCH_NONE);
	expect_int(1, 17, 0);
}

Test(matcher_args, equal_a_set_of_values)
{
	matcher_load_arg(&m, 1, "Equal", "1, 2, 18446744073709551615");
	expect_int(1, 1, 0);
	expect_int(1, 2, 0);
	expect_int(1, ~0ULL, 0);
	expect_int(1, 3, MATCH_NONE);
	expect_int(1, 0, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 1, "NotEqual", "1, 2, 3");
	expect_int(1, 2, MATCH_NONE);
	expect_int(1, 4, 0);
}

/* "int" is the low 32 bits, signed, whatever the register's upper half
 * holds; "uint32" the low 32 bits as they are. */
Test(matcher_args, int_and_uint32_read_the_low_half)
{
	matcher_load_arg(&m, 2, "Equal", "-100");
	expect_int(2, 0x00000000ffffff9cULL, 0);
	expect_int(2, 0xffffffffffffff9cULL, 0);
	expect_int(2, 0x12345678ffffff9cULL, 0);
	expect_int(2, 0xffffff9c00000000ULL, MATCH_NONE);
	expect_int(2, 100, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 2, "Equal", "4294967196, 5"); /* the same 32 bits as -100, in a set */
	expect_int(2, 0xffffff9c, 0);
	expect_int(2, 5, 0);
	expect_int(2, 0x100000005ULL, 0);
	matcher_unload(&m);

	matcher_load_arg(&m, 3, "Equal", "4294967295");
	expect_int(3, 0xabcdef01ffffffffULL, 0);
	expect_int(3, 0x7fffffff, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 3, "Equal", "4294967295, 1");
	expect_int(3, 0x1ffffffffULL, 0);
	expect_int(3, 0x100000001ULL, 0);
	expect_int(3, 2, MATCH_NONE);
}

Test(matcher_args, greater_and_less_than_signed)
{
	matcher_load_arg(&m, 0, "GT", "-1"); /* int64 */
	expect_int(0, 0, 0);
	expect_int(0, (__u64)-1, MATCH_NONE);
	expect_int(0, (__u64)-2, MATCH_NONE);
	expect_int(0, 0x7fffffffffffffffULL, 0);
	matcher_unload(&m);

	matcher_load_arg(&m, 2, "LT", "0"); /* int */
	expect_int(2, 0xffffffff, 0);
	expect_int(2, 0x80000000, 0);
	expect_int(2, 0x7fffffff, MATCH_NONE);
	expect_int(2, 0, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 6, "GreaterThan", "-5"); /* int, 4 bytes */
	expect_int(6, (__u64)0xfffffffcu << 32, 0);
	expect_int(6, (__u64)0xfffffffbu << 32, MATCH_NONE);
}

Test(matcher_args, greater_and_less_than_unsigned)
{
	matcher_load_arg(&m, 1, "GT", "5"); /* uint64 */
	expect_int(1, ~0ULL, 0);
	expect_int(1, 6, 0);
	expect_int(1, 5, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 1, "LT", "5"); /* uint64: the top bit is no sign */
	expect_int(1, ~0ULL, MATCH_NONE);
	expect_int(1, 0x8000000000000000ULL, MATCH_NONE);
	expect_int(1, 4, 0);
	matcher_unload(&m);

	matcher_load_arg(&m, 3, "LessThan", "5"); /* uint32 */
	expect_int(3, 0xffffffff, MATCH_NONE);
	expect_int(3, 0x100000004ULL, 0);
	expect_int(3, 5, MATCH_NONE);
	expect_int(3, 0, 0);
}

Test(matcher_args, mask)
{
	matcher_load_arg(&m, 1, "Mask", "1, 0x40");
	expect_int(1, 0x41, 0);
	expect_int(1, 0x40, 0);
	expect_int(1, 0x1000001, 0);
	expect_int(1, 0x3e, MATCH_NONE);
	expect_int(1, 0, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 3, "Mask", "0x80000000"); /* uint32: the upper half is not the argument */
	expect_int(3, 0x80000000, 0);
	expect_int(3, 0x8000000000000000ULL, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 2, "Mask", "0x80000000"); /* int: sign-extended on both sides */
	expect_int(2, 0x80000000, 0);
	expect_int(2, 0x7fffffff, MATCH_NONE);
}

/* A 4-byte field that does not start on an 8-byte boundary (many
 * tracepoints have one: sched_process_exec's pid is at offset 12). */
Test(matcher_args, field_in_the_upper_half_of_a_word)
{
	matcher_load_arg(&m, 6, "Equal", "-7");
	expect_int(6, (__u64)0xfffffff9u << 32 | 0x11111111, 0);
	expect_int(6, 0xfffffff9, MATCH_NONE);
}

/* --- strings ------------------------------------------------------------------------------- */

static int run_ptr(__u64 ptr)
{
	__u64 rec[MATCHER_SLOTS] = {[4] = ptr};

	return matcher_run(&m, rec);
}

static int run_str(const char *s)
{
	return run_ptr(matcher_user_str(s));
}

#define expect_str(s, want) cr_assert_eq(run_str(s), (want), "line %d: \"%s\"", __LINE__, (s) ? (s) : "(null)")
/* p is left as it is: a page the test keeps unresident */
#define expect_unresident(p, want) cr_assert_eq(run_ptr(PTR(p)), (want), "line %d", __LINE__)

Test(matcher_args, string_equal)
{
	matcher_load_arg(&m, 4, "Equal", "\"/etc/passwd\"");
	expect_str("/etc/passwd", 0);
	expect_str("/etc/passw", MATCH_NONE);
	expect_str("/etc/passwdx", MATCH_NONE);
	expect_str("", MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 4, "Equal", "\"/a\", \"\", \"/etc/shadow\"");
	expect_str("/a", 0);
	expect_str("", 0);
	expect_str("/etc/shadow", 0);
	expect_str("/b", MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 4, "NotEqual", "\"/a\", \"/b\"");
	expect_str("/a", MATCH_NONE);
	expect_str("/c", 0);
	expect_str("", 0);
	matcher_unload(&m);

	matcher_load_arg(&m, 4, "NotEqual", "\"\"");
	expect_str("", MATCH_NONE);
	expect_str("x", 0);
}

/* A string of len bytes, distinct for each length. */
static char *str_of_len(size_t len)
{
	char *s = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		s[i] = (char)('a' + (i * 5 + len) % 26);
	s[len] = '\0';
	return s;
}

/* The user-space hash of the policy's values meets the BPF hash of the
 * string read from this process, for every length to 300. */
Test(matcher_args, string_equal_every_length, .timeout = 300)
{
	struct strbuf values = {0};

	for (size_t len = 0; len <= 300; len++) {
		char *s = str_of_len(len);

		sb_printf(&values, "%s\"%s\"", len ? ", " : "", s);
		free(s);
	}
	matcher_load_arg(&m, 4, "Equal", values.buf);
	for (size_t len = 0; len <= 300; len++) {
		char *s = str_of_len(len);

		cr_assert_eq(run_str(s), 0, "%zu bytes", len);
		s[len ? len - 1 : 0] = len ? '#' : '\0';
		if (len)
			cr_assert_eq(run_str(s), MATCH_NONE, "%zu bytes, last one changed", len);
		free(s);
	}
	sb_free(&values);
}

Test(matcher_args, string_equal_as_long_as_a_path)
{
	char *s = str_of_len(RTENF_PATH_MAX - 1), *value = xasprintf("\"%s\"", s);

	matcher_load_arg(&m, 4, "Equal", value);
	expect_str(s, 0);
	s[RTENF_PATH_MAX - 2] = '#';
	expect_str(s, MATCH_NONE);
	free(value);
	free(s);
}

Test(matcher_args, prefix)
{
	matcher_load_arg(&m, 4, "Prefix", "\"/etc/\", \"/usr/lib\"");
	expect_str("/etc/passwd", 0);
	expect_str("/etc/", 0);
	expect_str("/etc", MATCH_NONE);
	expect_str("/usr/lib64/libc.so", 0);
	expect_str("/usr/li", MATCH_NONE);
	expect_str("/tmp/etc/", MATCH_NONE);
	expect_str("", MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 4, "NotPrefix", "\"/etc/\", \"/usr/lib\"");
	expect_str("/etc/passwd", MATCH_NONE);
	expect_str("/usr/lib", MATCH_NONE);
	expect_str("/etc", 0);
	expect_str("", 0);
}

Test(matcher_args, postfix)
{
	matcher_load_arg(&m, 4, "Postfix", "\".so\", \"passwd\"");
	expect_str("/lib/libc.so", 0);
	expect_str(".so", 0);
	expect_str("/etc/passwd", 0);
	expect_str("/lib/libc.so.6", MATCH_NONE);
	expect_str("so", MATCH_NONE);
	expect_str("", MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 4, "NotPostfix", "\".so\", \"passwd\"");
	expect_str("/lib/libc.so", MATCH_NONE);
	expect_str("/etc/passwd", MATCH_NONE);
	expect_str("/etc/shadow", 0);
	expect_str("", 0);
}

/* "" is a prefix and a postfix of every string, the empty one included. */
Test(matcher_args, empty_prefix_and_postfix)
{
	static const char *const ops[] = {"Prefix", "Postfix"};

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		matcher_load_arg(&m, 4, ops[i], "\"\"");
		expect_str("", 0);
		expect_str("/anything", 0);
		matcher_unload(&m);
	}
	matcher_load_arg(&m, 4, "NotPrefix", "\"\"");
	expect_str("", MATCH_NONE);
	expect_str("/x", MATCH_NONE);
}

/* Prefixes and postfixes are compared over 252 bytes (the LPM key): values
 * up to that long work on strings of any length. */
Test(matcher_args, prefix_and_postfix_of_long_strings)
{
	char *s = str_of_len(300), *value;

	value = xasprintf("\"%.*s\"", RTENF_LPM_STR_MAX, s);
	matcher_load_arg(&m, 4, "Prefix", value);
	expect_str(s, 0);
	s[RTENF_LPM_STR_MAX - 1] ^= 1;
	expect_str(s, MATCH_NONE);
	s[RTENF_LPM_STR_MAX - 1] ^= 1;
	s[RTENF_LPM_STR_MAX] ^= 1; /* past the prefix */
	expect_str(s, 0);
	s[RTENF_LPM_STR_MAX] ^= 1;
	matcher_unload(&m);
	free(value);

	value = xasprintf("\"%s\"", s + 300 - RTENF_LPM_STR_MAX);
	matcher_load_arg(&m, 4, "Postfix", value);
	expect_str(s, 0);
	expect_str(s + 300 - RTENF_LPM_STR_MAX, 0);
	expect_str(s + 300 - RTENF_LPM_STR_MAX + 1, MATCH_NONE);
	s[300 - RTENF_LPM_STR_MAX] ^= 1;
	expect_str(s, MATCH_NONE);
	s[300 - RTENF_LPM_STR_MAX] ^= 1;
	s[0] ^= 1; /* before the postfix */
	expect_str(s, 0);
	matcher_unload(&m);
	free(value);

	matcher_load_arg(&m, 4, "Postfix", "\"xyz\"");
	s[299] = 'z';
	s[298] = 'y';
	s[297] = 'x';
	expect_str(s, 0);
	s[297] = 'w';
	expect_str(s, MATCH_NONE);
	free(s);
}

Test(matcher_args, two_string_filters_on_one_argument)
{
	matcher_load(&m, "    - matchArgs:\n"
			 "      - index: 4\n"
			 "        operator: Prefix\n"
			 "        values: [\"/etc/\"]\n"
			 "      - index: 4\n"
			 "        operator: Postfix\n"
			 "        values: [\".conf\"]\n"
			 "      - index: 4\n"
			 "        operator: NotEqual\n"
			 "        values: [\"/etc/x.conf\"]\n");
	expect_str("/etc/a.conf", 0);
	expect_str("/etc/x.conf", MATCH_NONE);
	expect_str("/etc/a.txt", MATCH_NONE);
	expect_str("/usr/a.conf", MATCH_NONE);
	matcher_unload(&m);

	/* the same argument in several selectors: read once, compared in each */
	matcher_load(&m, "    - matchArgs:\n"
			 "      - index: 4\n"
			 "        operator: Postfix\n"
			 "        values: [\".so\"]\n"
			 "    - matchArgs:\n"
			 "      - index: 4\n"
			 "        operator: Equal\n"
			 "        values: [\"/bin/sh\"]\n"
			 "    - matchArgs:\n"
			 "      - index: 4\n"
			 "        operator: NotPrefix\n"
			 "        values: [\"/usr/\"]\n");
	expect_str("/x.so", 0);
	expect_str("/bin/sh", 1);
	expect_str("/bin/bash", 2);
	expect_str("/usr/bin/bash", MATCH_NONE);
}

Test(matcher_args, strings_in_two_arguments)
{
	__u64 rec[MATCHER_SLOTS] = {[4] = matcher_user_str("/etc/passwd"), [5] = matcher_user_str("/tmp/x")};

	matcher_load(&m, "    - matchArgs:\n"
			 "      - index: 4\n"
			 "        operator: Prefix\n"
			 "        values: [\"/etc/\"]\n"
			 "      - index: 5\n"
			 "        operator: Prefix\n"
			 "        values: [\"/tmp/\"]\n");
	expect_match(&m, rec, 0);
	rec[5] = matcher_user_str("/etc/y");
	expect_match(&m, rec, MATCH_NONE);
}

Test(matcher_args, data_loc_strings_from_the_record)
{
	__u64 rec[MATCHER_SLOTS] = {0};

	matcher_load_arg(&m, 7, "Equal", "\"/usr/bin/true\"");
	matcher_data_loc(rec, "/usr/bin/true");
	expect_match(&m, rec, 0);
	matcher_data_loc(rec, "/usr/bin/false");
	expect_match(&m, rec, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 7, "Postfix", "\"/true\"");
	matcher_data_loc(rec, "/usr/bin/true");
	expect_match(&m, rec, 0);
	matcher_data_loc(rec, "");
	expect_match(&m, rec, MATCH_NONE);
}

/* --- strings that cannot be read ---------------------------------------------------------- */

/* NULL is not a page fault to wait for: it compares as "". */
Test(matcher_args, null_string_compares_as_empty)
{
	matcher_load_arg(&m, 4, "Equal", "\"\"");
	expect_str(NULL, 0);
	matcher_unload(&m);
	matcher_load_arg(&m, 4, "NotEqual", "\"/x\"");
	expect_str(NULL, 0);
	matcher_unload(&m);
	matcher_load_arg(&m, 4, "Prefix", "\"/\"");
	expect_str(NULL, MATCH_NONE);
	matcher_unload(&m);
	m.no_defer = true;
	matcher_load_arg(&m, 4, "Postfix", "\"x\"");
	expect_str(NULL, MATCH_NONE);
}

/* A page this process never touched: bpf_probe_read_user_str cannot fault
 * it in and fails with -EFAULT, as for a string literal on a first call. */
static char *untouched_page(void)
{
	char *p = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cr_assert_neq(p, MAP_FAILED);
	return p;
}

Test(matcher_args, unresident_string_defers_the_decision)
{
	char *p = untouched_page();

	matcher_load_arg(&m, 4, "Equal", "\"\"");
	cr_assert(m.cp->hooks[0].cfg.flags & RTENF_HOOKCFG_F_DEFER_ON_FAULT,
		  "the compiler should let a syscall hook with a user string filter decide late");
	expect_unresident(p, MATCH_DEFER);
	expect_str("", 0);
	matcher_unload(&m);

	matcher_load_arg(&m, 4, "NotPrefix", "\"/\"");
	expect_unresident(p, MATCH_DEFER);
	munmap(p, (size_t)sysconf(_SC_PAGESIZE));
}

/* Without late decisions the unreadable string compares as "". */
Test(matcher_args, unresident_string_without_defer_is_empty)
{
	char *p = untouched_page();

	m.no_defer = true;
	matcher_load_arg(&m, 4, "Equal", "\"\"");
	expect_unresident(p, 0);
	matcher_unload(&m);
	matcher_load_arg(&m, 4, "Prefix", "\"/\"");
	expect_unresident(p, MATCH_NONE);
	matcher_unload(&m);
	matcher_load_arg(&m, 4, "NotPostfix", "\"x\"");
	expect_unresident(p, 0);
	munmap(p, (size_t)sysconf(_SC_PAGESIZE));
}

/* Deferring is for when the string decides: a selector already matched,
 * or one whose cheaper filters fail, never reads it. */
Test(matcher_args, defer_only_when_the_string_decides)
{
	char *p = untouched_page();
	__u64 rec[MATCHER_SLOTS] = {[4] = PTR(p)};

	matcher_load(&m, "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: Equal\n"
			 "        values: [1]\n"
			 "    - matchArgs:\n"
			 "      - index: 4\n"
			 "        operator: Prefix\n"
			 "        values: [\"/\"]\n"
			 "      - index: 1\n"
			 "        operator: Equal\n"
			 "        values: [2]\n");
	rec[0] = 1;
	expect_match(&m, rec, 0);
	rec[0] = 0;
	rec[1] = 3; /* selector 1's integer fails before its string is read */
	expect_match(&m, rec, MATCH_NONE);
	rec[1] = 2;
	expect_match(&m, rec, MATCH_DEFER);
	munmap(p, (size_t)sysconf(_SC_PAGESIZE));
}
