// SPDX-License-Identifier: GPL-2.0-only
/*
 * spec.lists of syscalls and the syscall64 argument type on
 * raw_syscalls/sys_enter, end to end: the policy names the dup family
 * through "list:NAME", rtenf resolves the names to this architecture's
 * numbers, and real test processes calling dup(2) or other syscalls are
 * killed or left alone; the events carry the syscall's name.
 *
 * Every policy is scoped to the test program with matchBinaries: a
 * raw_syscalls hook sees every syscall of the machine.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <pb_decode.h>

#include "harness.h"
#include "syscall_names.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(syscall_lists, .fini = stop, .timeout = 120);

/* A policy on raw_syscalls/sys_enter whose one selector matches the test
 * program's syscalls for which `operator` over `values` holds, and takes
 * `action` (a matchActions entry, or NULL to only report). */
static char *sys_enter_policy(const char *name, const char *op, const char *values, const char *action)
{
	char *actions = action ? xasprintf("      matchActions:\n      - action: %s\n", action) : xasprintf("%s", "");
	char *yaml = xasprintf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: %s\nspec:\n"
			       "  lists:\n"
			       "  - name: dups\n    type: syscalls\n    values: [\"sys_dup\", \"sys_dup2\", \"dup3\"]\n"
			       "  tracepoints:\n  - subsystem: raw_syscalls\n    event: sys_enter\n"
			       "    args:\n    - index: 4\n      type: syscall64\n      label: id\n"
			       "    selectors:\n    - matchBinaries:\n      - operator: In\n        values: [\"%s\"]\n"
			       "      matchArgs:\n      - index: 0\n        operator: %s\n        values: [%s]\n%s",
			       name, testprog_bin(), op, values, actions);

	free(actions);
	return yaml;
}

static int run_testprog(const char *what)
{
	char *argv[] = {(char *)testprog_bin(), (char *)what, "1", NULL};

	return run_wait(argv);
}

/* The next event of the policy from pid 0 (any) carries syscall name. */
static void expect_syscall_event(struct event_stream *s, const char *name)
{
	rtenf_Event ev;
	rtenf_ProcessTracepoint *tp;

	cr_assert_eq(stream_next_hook(s, 0, &ev, 5000), 0, "no event within 5 s");
	tp = &ev.event.process_tracepoint;
	cr_expect_str_eq(tp->subsys, "raw_syscalls");
	cr_expect_str_eq(tp->event, "sys_enter");
	cr_assert_eq(tp->args_count, 1);
	cr_assert_eq(tp->args[0].which_arg, rtenf_KprobeArgument_syscall_id_tag);
	cr_expect_str_eq(tp->args[0].arg.syscall_id.name, name);
	cr_expect_str_eq(tp->args[0].arg.syscall_id.abi, syscall_native_abi());
	cr_expect_str_eq(tp->args[0].label, "id");
	pb_release(rtenf_Event_fields, &ev);
}

Test(syscall_lists, dup_through_a_list_is_killed_and_getppid_is_not)
{
	char *yaml = sys_enter_policy("kill-dups", "InMap", "\"list:dups\"", "Sigkill");
	struct event_stream s;

	require_root();
	agent_start(&agent, NULL);
	apply_ok(&agent, "kill-dups", yaml, "enforce");
	stream_open(&s, &agent, "kill-dups");
	assert_killed_by(run_testprog("dup"), SIGKILL);
	expect_syscall_event(&s, "dup");
	assert_exited(run_testprog("getppid"), 0);
	stream_close(&s);
	free(yaml);
}

Test(syscall_lists, not_in_map_reports_the_other_syscalls_only)
{
	/* every syscall of the test program but the dup family, reported */
	char *yaml = sys_enter_policy("not-dups", "NotInMap", "\"list:dups\"", NULL);
	struct event_stream s;
	rtenf_Event ev;
	bool saw_getppid = false, saw_dup = false;

	require_root();
	agent_start(&agent, NULL);
	apply_ok(&agent, "not-dups", yaml, "enforce");
	stream_open(&s, &agent, "not-dups");
	assert_exited(run_testprog("dup"), 0);
	assert_exited(run_testprog("getppid"), 0);
	while (stream_next_hook(&s, 0, &ev, 2000) == 0) {
		const rtenf_ProcessTracepoint *tp = &ev.event.process_tracepoint;
		const char *name = tp->args_count ? tp->args[0].arg.syscall_id.name : NULL;

		cr_assert_eq(tp->args[0].which_arg, rtenf_KprobeArgument_syscall_id_tag);
		saw_getppid |= name && !strcmp(name, "getppid");
		saw_dup |= name && !strncmp(name, "dup", 3);
		pb_release(rtenf_Event_fields, &ev);
	}
	cr_expect(saw_getppid, "getppid, not in the list, was not reported");
	cr_expect(!saw_dup, "a dup syscall, in the list, was reported");
	stream_close(&s);
	free(yaml);
}

Test(syscall_lists, syscall_names_without_a_list_match_too)
{
	char *yaml = sys_enter_policy("getppid-by-name", "Equal", "\"sys_getppid\"", NULL);
	struct event_stream s;

	require_root();
	agent_start(&agent, NULL);
	apply_ok(&agent, "getppid-by-name", yaml, "enforce");
	stream_open(&s, &agent, "getppid-by-name");
	assert_exited(run_testprog("getppid"), 0);
	expect_syscall_event(&s, "getppid");
	stream_close(&s);
	free(yaml);
}

/* Bit 31 of a syscall64 value marks a 32-bit syscall: the i386 dup (41 in
 * arch/x86/entry/syscalls/syscall_32.tbl) is 0x80000029, and the 64-bit
 * dup does not match it.  Events name it by the i386 table. */
Test(syscall_lists, compat_syscalls_carry_bit_31)
{
	char *yaml;
	struct event_stream s;
	rtenf_Event ev;
	const rtenf_KprobeSyscallId *id;

#if !defined(__x86_64__)
	cr_skip_test("the i386 syscall entry exists on x86-64 only");
#endif
	require_root();
	yaml = sys_enter_policy("kill-dup-i386", "InMap", "\"0x80000029\"", "Sigkill");
	agent_start(&agent, NULL);
	apply_ok(&agent, "kill-dup-i386", yaml, "enforce");
	stream_open(&s, &agent, "kill-dup-i386");
	assert_exited(run_testprog("dup"), 0);
	assert_killed_by(run_testprog("dup-i386"), SIGKILL);
	cr_assert_eq(stream_next_hook(&s, 0, &ev, 5000), 0, "no event within 5 s");
	cr_assert_eq(ev.event.process_tracepoint.args_count, 1);
	id = &ev.event.process_tracepoint.args[0].arg.syscall_id;
	cr_expect_eq(id->id, 41);
	cr_expect_str_eq(id->abi, "i386");
	cr_expect_str_eq(id->name, "dup");
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(yaml);
}
