// SPDX-License-Identifier: GPL-2.0-only
/*
 * spec.uprobes and raw tracepoints on the running kernel: uprobes attach to
 * a function of rtenf-testprog (rtenf_testprog_probe_target(int, const char
 * *)), raw tracepoints to raw_syscalls/sys_enter.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <pb_decode.h>

#include "harness.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(uprobe, .fini = stop, .timeout = 120);

static int call_target(const char *n, const char *text)
{
	char *argv[] = {(char *)testprog_bin(), "call", (char *)n, (char *)text, NULL};

	return run_wait(argv);
}

static char *uprobe_policy(const char *action)
{
	return xasprintf("apiVersion: cilium.io/v1alpha1\n"
			 "kind: TracingPolicy\n"
			 "metadata:\n"
			 "  name: probe-target\n"
			 "spec:\n"
			 "  uprobes:\n"
			 "  - path: \"%s\"\n"
			 "    symbols: [rtenf_testprog_probe_target]\n"
			 "    message: \"the probe target ran\"\n"
			 "    args:\n"
			 "    - index: 0\n"
			 "      type: int\n"
			 "      label: n\n"
			 "    - index: 1\n"
			 "      type: string\n"
			 "      label: text\n"
			 "    selectors:\n"
			 "    - matchArgs:\n"
			 "      - index: 1\n"
			 "        operator: Prefix\n"
			 "        values: [\"boom\"]\n"
			 "%s",
			 testprog_bin(), action ? action : "");
}

static void expect_exit0(int status)
{
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "expected exit 0, wait status 0x%x", status);
}

static void expect_killed(int status)
{
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "expected death by SIGKILL, wait status 0x%x",
		  status);
}

Test(uprobe, event_with_decoded_arguments)
{
	rtenf_ProcessUprobe *u;
	struct event_stream s;
	char *yaml;
	rtenf_Event ev;

	require_any_feature("uprobes", "uprobe", NULL);
	agent_start(&agent, NULL);
	yaml = uprobe_policy(NULL);
	apply_ok(&agent, "probe-target", yaml, "enforce");
	stream_open(&s, &agent, "probe-target");

	expect_exit0(call_target("41", "quiet"));   /* filtered out in the kernel */
	expect_exit0(call_target("42", "boom-1"));
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_uprobe_tag, 0, &ev, 5000), 0, "no event\n%s",
		     agent_log(&agent));
	u = &ev.event.process_uprobe;
	cr_expect_str_eq(u->symbol, "rtenf_testprog_probe_target");
	cr_expect_str_eq(u->path, testprog_bin());
	cr_expect_str_eq(u->message, "the probe target ran");
	cr_assert_eq(u->args_count, 2);
	cr_expect_eq(u->args[0].which_arg, rtenf_KprobeArgument_int_arg_tag);
	cr_expect_eq(u->args[0].arg.int_arg, 42);
	cr_expect_str_eq(u->args[0].label, "n");
	cr_expect_str_eq(u->args[1].arg.string_arg, "boom-1");
	cr_expect_eq(u->action, rtenf_KprobeAction_KPROBE_ACTION_POST);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(yaml);
}

Test(uprobe, sigkill_in_the_function_and_audit)
{
	static const char sigkill[] = "      matchActions:\n"
				      "      - action: Sigkill\n";
	struct event_stream s;
	char *yaml;
	rtenf_Event ev;

	require_any_feature("uprobes", "uprobe", NULL);
	agent_start(&agent, NULL);
	yaml = uprobe_policy(sigkill);
	apply_ok(&agent, "probe-target", yaml, "enforce");
	stream_open(&s, &agent, "probe-target");

	expect_exit0(call_target("1", "calm"));
	expect_killed(call_target("1", "boom"));
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_uprobe_tag, 0, &ev, 5000), 0);
	cr_expect_eq(ev.event.process_uprobe.action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	cr_expect(ev.event.process_uprobe.enforced);
	pb_release(rtenf_Event_fields, &ev);

	cr_assert_eq(cli(&agent, NULL, NULL, "mode", "probe-target", "audit", NULL), 0);
	expect_exit0(call_target("1", "boom"));
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_uprobe_tag, 0, &ev, 5000), 0);
	cr_expect_eq(ev.event.process_uprobe.action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	cr_expect_not(ev.event.process_uprobe.enforced);
	cr_expect_eq(ev.event.process_uprobe.policy_mode, rtenf_PolicyMode_POLICY_MODE_AUDIT);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(yaml);
}

/* raw: true: the TP_PROTO arguments of raw_syscalls/sys_enter are
 * (struct pt_regs *regs, long id). */
Test(uprobe, raw_tracepoint_syscall_id)
{
	char *yaml, nr[16];
	struct event_stream s;
	rtenf_Event ev;
	char *argv[] = {(char *)testprog_bin(), "getppid", "1", NULL};

	require_any_feature("raw tracepoints", "prog_raw_tp", NULL);
	agent_start(&agent, NULL);
	snprintf(nr, sizeof(nr), "%d", SYS_getppid);
	yaml = xasprintf("apiVersion: cilium.io/v1alpha1\n"
			 "kind: TracingPolicy\n"
			 "metadata:\n"
			 "  name: raw-getppid\n"
			 "spec:\n"
			 "  tracepoints:\n"
			 "  - subsystem: raw_syscalls\n"
			 "    event: sys_enter\n"
			 "    raw: true\n"
			 "    args:\n"
			 "    - index: 1\n"
			 "      type: int64\n"
			 "      label: id\n"
			 "    selectors:\n"
			 "    - matchArgs:\n"
			 "      - index: 1\n"
			 "        operator: Equal\n"
			 "        values: [\"%s\"]\n"
			 "      matchBinaries:\n"
			 "      - operator: In\n"
			 "        values: [\"%s\"]\n"
			 "      matchActions:\n"
			 "      - action: Sigkill\n",
			 nr, testprog_bin());
	apply_ok(&agent, "raw-getppid", yaml, "enforce");
	stream_open(&s, &agent, "raw-getppid");

	expect_killed(run_wait(argv));
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_tracepoint_tag, 0, &ev, 5000), 0);
	cr_expect_str_eq(ev.event.process_tracepoint.subsys, "raw_syscalls");
	cr_expect_str_eq(ev.event.process_tracepoint.event, "sys_enter");
	cr_assert_eq(ev.event.process_tracepoint.args_count, 1);
	cr_expect_eq(ev.event.process_tracepoint.args[0].arg.long_arg, SYS_getppid);
	cr_expect_eq(ev.event.process_tracepoint.action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(yaml);
}
