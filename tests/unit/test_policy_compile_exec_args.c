// SPDX-License-Identifier: GPL-2.0-only
/*
 * exec_args (an rtenf extension): the argv of the image exec has just put in
 * place, read from the task rather than from the record.  Accepted on the
 * hooks that run after exec replaced the image, refused elsewhere at the
 * type's line and column; compared with the string operators.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "compile_fixture.h"
#include "util.h"

#define EXIT_EXECVE                                  \
	POLICY_HEAD                                  \
	"  - subsystem: syscalls\n"        /* 7 */   \
	"    event: sys_exit_execve\n"     /* 8 */   \
	"    args:\n"                      /* 9 */   \
	"    - index: 0\n"                 /* 10 */  \
	"      type: exec_args\n"          /* 11 */  \
	"      label: args\n"              /* 12 */  \
	"    selectors:\n"                 /* 13 */

/* policy_parse() must refuse yaml with exactly one diagnostic, want. */
static void expect_parse_error(const char *yaml, const char *want)
{
	struct diag_list d = {0};
	struct policy *p = policy_parse(yaml, strlen(yaml), "t.yaml", &d);
	char *got;

	cr_assert_null(p, "accepted, expected %s", want);
	cr_assert_eq(d.n, 1, "expected only %s, got:\n%s", want, diags_dump(&d));
	got = diag_format(&d.v[0]);
	cr_expect_str_eq(got, want);
	free(got);
	diag_list_free(&d);
}

Test(exec_args, substring_at_sys_exit_execve)
{
	struct compiled_policy *cp = compile_ok(EXIT_EXECVE
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: SubString\n"
		"        values: [\"stratum+tcp://\", \"--donate-level\"]\n"
		"      matchActions:\n"
		"      - action: Sigkill\n");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_hook_config *c = &h->cfg;

	cr_assert_eq(c->nargs, 1);
	/* no record field: offset 0 is inside any record */
	assert_arg(&c->args[0], 0, 8, RTENF_ARG_EXEC_ARGS, RTENF_SRC_VALUE, 0);
	cr_expect(c->args[0].flags & RTENF_ARGD_F_EMIT);
	cr_assert_eq(c->nfilters, 1);
	assert_filter(&c->filters[0], RTENF_FILTER_ARG_STR, RTENF_FOP_SUBSTRING, 0, 0, 0);
	/* read from the task, never a user pointer of the record: no late decision */
	cr_expect_not(c->flags & RTENF_HOOKCFG_F_DEFER_ON_FAULT);
	cr_expect_null(h->exit_event);
	compiled_policy_free(cp);
}

Test(exec_args, prefix_and_equal_at_sched_process_exec)
{
	struct compiled_policy *cp = compile_ok(POLICY_HEAD
		"  - subsystem: sched\n"
		"    event: sched_process_exec\n"
		"    args:\n"
		"    - index: 4\n"
		"    - index: 9\n"
		"      type: exec_args\n"
		"    selectors:\n"
		"    - matchArgs:\n"
		"      - index: 9\n"
		"        operator: Prefix\n"
		"        values: [\"/usr/bin/xmrig \"]\n"
		"    - matchArgs:\n"
		"      - index: 9\n"
		"        operator: Equal\n"
		"        values: [\"sh -c true\"]\n");
	const struct rtenf_hook_config *c = &only_hook(cp)->cfg;

	cr_assert_eq(c->nargs, 2);
	assert_arg(&c->args[0], 8, 4, RTENF_ARG_STRING, RTENF_SRC_DATA_LOC, 0);
	assert_arg(&c->args[1], 0, 8, RTENF_ARG_EXEC_ARGS, RTENF_SRC_VALUE, 0);
	cr_assert_eq(c->nfilters, 2);
	assert_filter(&c->filters[0], RTENF_FILTER_ARG_STR, RTENF_FOP_PREFIX, 1, 0, 0);
	assert_filter(&c->filters[1], RTENF_FILTER_ARG_STR, RTENF_FOP_IN, 1, RTENF_FILTER_F_IMM, 1);
	compiled_policy_free(cp);
}

Test(exec_args, refused_where_no_exec_has_completed)
{
	const char *want = "t.yaml:11:13: type exec_args reads the argv of a completed exec: it is allowed on the "
			   "tracepoints syscalls/sys_exit_execve, syscalls/sys_exit_execveat and "
			   "sched/sched_process_exec only";

	expect_parse_error(OPENAT
		"    args:\n"
		"    - index: 6\n"
		"      type: exec_args\n", want);
	/* the entry of execve runs the old image: its argv is the caller's */
	expect_parse_error(POLICY_HEAD
		"  - subsystem: syscalls\n"
		"    event: sys_enter_execve\n"
		"    args:\n"
		"    - index: 0\n"
		"      type: exec_args\n", want);
	expect_parse_error(POLICY_HEAD
		"  - subsystem: sched\n"
		"    event: sched_process_exec\n"
		"    raw: true\n"
		"    args:\n"
		"    - index: 0\n"
		"      type: exec_args\n",
		"t.yaml:12:13: type exec_args reads the argv of a completed exec: it is allowed on the tracepoints "
		"syscalls/sys_exit_execve, syscalls/sys_exit_execveat and sched/sched_process_exec only");
	expect_parse_error("apiVersion: cilium.io/v1alpha1\n"
		"kind: TracingPolicy\n"
		"metadata:\n"
		"  name: test\n"
		"spec:\n"
		"  kprobes:\n"
		"  - call: security_bprm_check\n"
		"    args:\n"
		"    - index: 0\n"
		"      type: exec_args\n",
		"t.yaml:10:13: type exec_args reads the argv of a completed exec: it is allowed on the tracepoints "
		"syscalls/sys_exit_execve, syscalls/sys_exit_execveat and sched/sched_process_exec only");
}

Test(exec_args, index_shared_with_another_argument)
{
	expect_parse_error(POLICY_HEAD
		"  - subsystem: sched\n"
		"    event: sched_process_exec\n"
		"    args:\n"
		"    - index: 4\n"
		"    - index: 4\n"
		"      type: exec_args\n",
		"t.yaml:11:7: exec_args argument has index 4, which another argument uses: its index only names it "
		"for matchArgs, so give it one no other argument has");
}
