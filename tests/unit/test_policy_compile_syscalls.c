// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_compile: syscall64 arguments.  Their values are syscall names
 * (with or without "sys_"), numbers, and "list:NAME" of a spec.lists list
 * of type syscalls or generated_syscalls, resolved to this architecture's
 * numbers.  The expected numbers come from the C library's SYS_* macros,
 * not from rtenf's generated table.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/syscall.h>

#include "compile_fixture.h"
#include "syscall_names.h"
#include "util.h"

/* Lines 1-22; the matchArgs entry is on lines 23-26, its first value at
 * column 18 of line 26.  test/widths arg 0 is syscall64, arg 1 int64. */
#define SYSCALL_POLICY                                                                                                 \
	"apiVersion: cilium.io/v1alpha1\n"	    /* 1 */                                                            \
	"kind: TracingPolicy\n"			    /* 2 */                                                            \
	"metadata:\n"				    /* 3 */                                                            \
	"  name: test\n"			    /* 4 */                                                            \
	"spec:\n"				    /* 5 */                                                            \
	"  lists:\n"				    /* 6 */                                                            \
	"  - name: dups\n"			    /* 7 */                                                            \
	"    type: syscalls\n"			    /* 8 */                                                            \
	"    values: [\"sys_dup\", \"dup2\", %s]\n" /* 9, col 33 */                                                    \
	"  - name: fns\n"			    /* 10 */                                                           \
	"    values: [\"vfs_read\"]\n"		    /* 11 */                                                           \
	"  - name: all\n"			    /* 12 */                                                           \
	"    type: generated_syscalls\n"	    /* 13 */                                                           \
	"  tracepoints:\n"			    /* 14 */                                                           \
	"  - subsystem: test\n"			    /* 15 */                                                           \
	"    event: widths\n"			    /* 16 */                                                           \
	"    args:\n"				    /* 17 */                                                           \
	"    - index: 7\n"			    /* 18 */                                                           \
	"      type: syscall64\n"		    /* 19 */                                                           \
	"    - index: 8\n"			    /* 20 */                                                           \
	"      type: int64\n"			    /* 21 */                                                           \
	"    selectors:\n"			    /* 22 */                                                           \
	"    - matchArgs:\n"			    /* 23 */                                                           \
	"      - index: %u\n"			    /* 24 */                                                           \
	"        operator: %s\n"		    /* 25 */                                                           \
	"        values: [%s]\n"		    /* 26 */

static char *syscall_policy(const char *extra_list_value, unsigned arg, const char *op, const char *values)
{
	return xasprintf(SYSCALL_POLICY, extra_list_value, arg, op, values);
}

Test(compile_syscalls, the_argument_is_typed_syscall64)
{
	char *yaml = syscall_policy("\"dup3\"", 0, "Equal", "\"dup\"");
	struct compiled_policy *cp = compile_ok(yaml);
	const struct compiled_hook *h = only_hook(cp);

	cr_assert_eq(h->cfg.args[0].type, RTENF_ARG_SYSCALL64);
	cr_assert_eq(h->cfg.filters[0].imm, SYS_dup);
	compiled_policy_free(cp);
	free(yaml);
}

Test(compile_syscalls, in_map_expands_a_list_next_to_names_and_numbers)
{
	char *yaml = syscall_policy("\"dup3\"", 0, "InMap", "\"list:dups\", \"sys_getppid\", 39");
	struct compiled_policy *cp = compile_ok(yaml);
	const struct compiled_hook *h = only_hook(cp);
	const __u64 want[] = {SYS_dup, SYS_dup2, SYS_dup3, SYS_getppid, 39};

	assert_filter(&h->cfg.filters[0], RTENF_FILTER_ARG_INT, RTENF_FOP_IN, 0, 0, 0);
	assert_set(h, &h->cfg.filters[0], want, ARRAY_SIZE(want));
	compiled_policy_free(cp);
	free(yaml);
}

Test(compile_syscalls, not_in_map_is_the_same_set_negated)
{
	char *yaml = syscall_policy("\"dup3\"", 0, "NotInMap", "\"list:dups\"");
	struct compiled_policy *cp = compile_ok(yaml);
	const struct compiled_hook *h = only_hook(cp);
	const __u64 want[] = {SYS_dup, SYS_dup2, SYS_dup3};

	assert_filter(&h->cfg.filters[0], RTENF_FILTER_ARG_INT, RTENF_FOP_NOT_IN, 0, 0, 0);
	assert_set(h, &h->cfg.filters[0], want, ARRAY_SIZE(want));
	compiled_policy_free(cp);
	free(yaml);
}

Test(compile_syscalls, generated_syscalls_is_every_syscall)
{
	char *yaml = syscall_policy("\"dup3\"", 0, "InMap", "\"list:all\"");
	struct compiled_policy *cp = compile_ok(yaml);
	const struct compiled_hook *h = only_hook(cp);
	__u32 set = h->cfg.filters[0].set_id;

	cr_assert_gt(syscall_count(), 300, "the generated table is nearly empty");
	cr_assert_eq(rows_in_set(h, set), syscall_count());
	cr_assert(has_row(h, set, SYS_openat) && has_row(h, set, SYS_dup) && has_row(h, set, SYS_read));
	compiled_policy_free(cp);
	free(yaml);
}

static void expect_syscall_error(const char *extra, unsigned arg, const char *op, const char *values, const char *want)
{
	char *yaml = syscall_policy(extra, arg, op, values);

	expect_compile_error(yaml, want);
	free(yaml);
}

Test(compile_syscalls, bad_values_are_reported_where_they_are_written)
{
	expect_syscall_error("\"dup3\"", 0, "InMap", "\"list:nope\"",
			     "t.yaml:26:18: no list named \"nope\" in spec.lists");
	expect_syscall_error("\"dup3\"", 0, "InMap", "\"list:fns\"",
			     "t.yaml:26:18: list \"fns\" is of type plain (kernel functions): a syscall64 argument "
			     "takes lists of type syscalls or generated_syscalls");
	expect_syscall_error("\"dup3\"", 0, "Equal", "\"sys_nosuchcall\"",
			     "t.yaml:26:18: unknown syscall \"sys_nosuchcall\": write a syscall of this architecture "
			     "(\"dup\" or \"sys_dup\") or its number");
	/* a bad name in the list is reported in the list */
	expect_syscall_error("\"dupe\"", 0, "InMap", "\"list:dups\"",
			     "t.yaml:9:33: unknown syscall \"dupe\": write a syscall of this architecture "
			     "(\"dup\" or \"sys_dup\") or its number");
	/* list: values only where syscalls are */
	expect_syscall_error("\"dup3\"", 1, "InMap", "\"list:dups\"",
			     "t.yaml:26:18: list: values are for syscall64 arguments; argument 1 is int64");
	expect_syscall_error("\"dup3\"", 0, "GT", "\"list:dups\"",
			     "t.yaml:26:18: list: values are for Equal, NotEqual, InMap and NotInMap, not GT");
}

Test(compile_syscalls, names_map_to_numbers_and_back)
{
	uint64_t nr;
	const char *abi;

	cr_assert(syscall_number("dup", &nr) && nr == SYS_dup);
	cr_assert(syscall_number("sys_dup", &nr) && nr == SYS_dup);
	cr_assert(!syscall_number("sys_", &nr));
	cr_assert(!syscall_number("nosuchcall", &nr));
	cr_assert_str_eq(syscall_name(SYS_getppid, &abi), "getppid");
	cr_assert_str_eq(abi, syscall_native_abi());
	cr_assert_null(syscall_name(100000, NULL));
#if defined(__x86_64__)
	/* bit 31: the ia32 table, where 41 is dup (arch/x86/entry/syscalls/syscall_32.tbl) */
	cr_assert_str_eq(syscall_name(SYSCALL64_COMPAT_BIT | 41, &abi), "dup");
	cr_assert_str_eq(abi, "i386");
#endif
}
