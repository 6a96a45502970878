// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF matcher on the operators beyond equality and prefixes: integer
 * ranges and maps (InRange, NotInRange, InMap, NotInMap), each matching and
 * not, on records passed to bpf_prog_test_run (field layout in
 * matcher_fixture.h), with values compiled by the real compiler.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

TestSuite(matcher_ops, .init = setup, .fini = teardown, .timeout = 120);

static void load_arg(unsigned index, const char *op, const char *values)
{
	char *sel = xasprintf("    - matchArgs:\n"
			      "      - index: %u\n"
			      "        operator: %s\n"
			      "        values: [%s]\n",
			      index, op, values);

	matcher_load(&m, sel);
	free(sel);
}

static int run_int(unsigned slot, __u64 v)
{
	__u64 rec[MATCHER_SLOTS] = {0};

	rec[slot] = v;
	return matcher_run(&m, rec);
}

#define expect_int(slot, v, want)                                                                    \
	cr_assert_eq(run_int((slot), (v)), (want), "line %d: slot %u = %#llx", __LINE__, (unsigned)(slot), \
		     (unsigned long long)(v))

/* --- ranges ---------------------------------------------------------------------------- */

Test(matcher_ops, in_range_signed_64)
{
	load_arg(0, "InRange", "\"-5:5\", \"1000:1000\"");
	expect_int(0, (__u64)-5, 0);
	expect_int(0, 0, 0);
	expect_int(0, 5, 0);
	expect_int(0, 1000, 0);
	expect_int(0, (__u64)-6, MATCH_NONE);
	expect_int(0, 6, MATCH_NONE);
	expect_int(0, 999, MATCH_NONE);
	expect_int(0, 0x8000000000000000ULL, MATCH_NONE);
	matcher_unload(&m);

	load_arg(0, "InRange", "\"-9223372036854775808:-9223372036854775807\"");
	expect_int(0, 0x8000000000000000ULL, 0);
	expect_int(0, 0x8000000000000001ULL, 0);
	expect_int(0, 0x8000000000000002ULL, MATCH_NONE);
	expect_int(0, 0x7fffffffffffffffULL, MATCH_NONE);
}

Test(matcher_ops, not_in_range)
{
	load_arg(0, "NotInRange", "\"-5:5\"");
	expect_int(0, (__u64)-5, MATCH_NONE);
	expect_int(0, 5, MATCH_NONE);
	expect_int(0, (__u64)-6, 0);
	expect_int(0, 6, 0);
	matcher_unload(&m);

	load_arg(1, "NotInRange", "\"0:9\", \"20:29\"");
	expect_int(1, 0, MATCH_NONE);
	expect_int(1, 25, MATCH_NONE);
	expect_int(1, 10, 0);
	expect_int(1, ~0ULL, 0);
}

/* "int" compares its low 32 bits, sign-extended, whatever the upper half
 * of the register holds; "uint32" its low 32 bits as they are. */
Test(matcher_ops, in_range_32_bit_types)
{
	load_arg(2, "InRange", "\"-100:-1\"");
	expect_int(2, 0xffffff9c, 0);
	expect_int(2, 0x12345678ffffffffULL, 0);
	expect_int(2, 0, MATCH_NONE);
	expect_int(2, 0xffffff9b, MATCH_NONE);
	matcher_unload(&m);

	load_arg(3, "InRange", "\"0xfffffff0:0xffffffff\"");
	expect_int(3, 0xfffffff0, 0);
	expect_int(3, 0xabcdef00ffffffffULL, 0);
	expect_int(3, 0xffffffef, MATCH_NONE);
	expect_int(3, 0x1fffffff0ULL & 0xffffffef, MATCH_NONE);
}

Test(matcher_ops, in_range_unsigned_64)
{
	load_arg(1, "InRange", "\"18446744073709551000:18446744073709551615\", \"1024:65535\"");
	expect_int(1, ~0ULL, 0);
	expect_int(1, 18446744073709551000ULL, 0);
	expect_int(1, 18446744073709550999ULL, MATCH_NONE);
	expect_int(1, 1024, 0);
	expect_int(1, 65535, 0);
	expect_int(1, 1023, MATCH_NONE);
	expect_int(1, 65536, MATCH_NONE);
	expect_int(1, 0x8000000000000000ULL, MATCH_NONE); /* unsigned: no sign flip */
}

/* --- maps ------------------------------------------------------------------------------ */

Test(matcher_ops, in_map_values_and_ranges)
{
	load_arg(1, "InMap", "3, 7, \"100:199\"");
	expect_int(1, 3, 0);
	expect_int(1, 7, 0);
	expect_int(1, 150, 0);
	expect_int(1, 4, MATCH_NONE);
	expect_int(1, 200, MATCH_NONE);
	matcher_unload(&m);

	load_arg(1, "InMap", "3, 7");
	expect_int(1, 3, 0);
	expect_int(1, 5, MATCH_NONE);
	matcher_unload(&m);

	load_arg(0, "NotInMap", "-1, \"10:20\"");
	expect_int(0, (__u64)-1, MATCH_NONE);
	expect_int(0, 15, MATCH_NONE);
	expect_int(0, 0, 0);
	expect_int(0, 21, 0);
	matcher_unload(&m);

	load_arg(0, "NotInMap", "-1, 2");
	expect_int(0, 2, MATCH_NONE);
	expect_int(0, 1, 0);
}

/* Ten thousand ranges: the first, the last and one in the middle match,
 * the gaps between them do not. */
Test(matcher_ops, ten_thousand_ranges)
{
	struct strbuf sb = {0};

	for (unsigned i = 0; i < 10000; i++)
		sb_printf(&sb, "%s\"%u:%u\"", i ? ", " : "", i * 100, i * 100 + 49);
	load_arg(1, "InRange", sb.buf);
	sb_free(&sb);
	expect_int(1, 0, 0);
	expect_int(1, 49, 0);
	expect_int(1, 50, MATCH_NONE);
	expect_int(1, 500017, 0);
	expect_int(1, 500077, MATCH_NONE);
	expect_int(1, 999949, 0);
	expect_int(1, 999950, MATCH_NONE);
}
