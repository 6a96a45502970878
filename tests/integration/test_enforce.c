// SPDX-License-Identifier: GPL-2.0-only
/*
 * Enforcement end to end with the shipped policies/kill-unshare.yaml: real
 * processes in fresh PID namespaces (testprog pidns, i.e. unshare -fp), real
 * wait statuses, the
 * events the agent streams, and live mode switches.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <pb_decode.h>

#include "harness.h"

#define CLONE_NEWUTS_HEX "0x04000000"

static struct test_agent agent;

/* A process that is pid 1 of a new PID namespace calls unshare(CLONE_NEWUTS). */
static int unshare_in_new_pidns(void)
{
	char *argv[] = {(char *)testprog_bin(), "pidns", "unshare", CLONE_NEWUTS_HEX, NULL};

	return run_wait(argv);
}

static int unshare_on_host(void)
{
	char *argv[] = {(char *)testprog_bin(), "unshare", CLONE_NEWUTS_HEX, NULL};

	return run_wait(argv);
}

static void expect_killed(int status)
{
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "expected death by SIGKILL, wait status 0x%x",
		  status);
}

static void expect_exit0(int status)
{
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "expected exit 0, wait status 0x%x", status);
}

static void expect_unshare_event(struct event_stream *s, bool enforced)
{
	rtenf_Event ev;
	rtenf_ProcessTracepoint *tp;

	cr_assert_eq(stream_next_hook(s, 0, &ev, 5000), 0, "no event from kill-unshare within 5 s");
	tp = &ev.event.process_tracepoint;
	cr_expect_str_eq(tp->policy_name, "kill-unshare");
	cr_expect_str_eq(tp->subsys, "syscalls");
	cr_expect_str_eq(tp->event, "sys_enter_unshare");
	cr_expect_eq(tp->action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	cr_expect_eq(tp->signal, SIGKILL);
	cr_expect_eq(tp->enforced, enforced);
	cr_expect_eq(tp->policy_mode, enforced ? rtenf_PolicyMode_POLICY_MODE_ENFORCE : rtenf_PolicyMode_POLICY_MODE_AUDIT);
	cr_assert_not_null(tp->process);
	cr_expect_eq(tp->process->ns_pid, 1, "the caller is pid 1 of its namespace");
	cr_expect(tp->process->binary && strstr(tp->process->binary, "rtenf-testprog"), "binary %s",
		  tp->process->binary ? tp->process->binary : "(none)");
	cr_assert_eq(tp->args_count, 1);
	cr_expect_eq(tp->args[0].which_arg, rtenf_KprobeArgument_size_arg_tag);
	cr_expect_eq(tp->args[0].arg.size_arg, 0x04000000);
	cr_expect_str_eq(tp->args[0].label, "flags");
	pb_release(rtenf_Event_fields, &ev);
}

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(enforce, .fini = stop, .timeout = 120);

Test(enforce, unshare_from_new_pid_namespace_is_killed)
{
	struct event_stream s;

	agent_start(&agent, "--policy", "policies/kill-unshare.yaml", NULL);
	stream_open(&s, &agent, "kill-unshare");
	expect_killed(unshare_in_new_pidns());
	expect_unshare_event(&s, true);
	stream_close(&s);
}

Test(enforce, same_call_from_host_namespace_is_untouched)
{
	rtenf_PolicyCounters c;

	agent_start(&agent, "--policy", "policies/kill-unshare.yaml", NULL);
	expect_exit0(unshare_on_host());
	policy_counters(&agent, "kill-unshare", &c);
	cr_expect_eq(c.matched, 0);
	cr_expect_eq(c.actions_applied, 0);
}

Test(enforce, setns_from_new_pid_namespace_is_killed)
{
	char *argv[] = {(char *)testprog_bin(), "pidns", "setns", "uts", NULL};
	rtenf_PolicyCounters c;

	agent_start(&agent, "--policy", "policies/kill-unshare.yaml", NULL);
	expect_killed(run_wait(argv));
	policy_counters(&agent, "kill-unshare", &c);
	cr_expect_eq(c.actions_applied, 1);
}

Test(enforce, audit_mode_lets_the_process_live_and_says_what_it_would_do)
{
	struct event_stream s;
	rtenf_PolicyCounters c;

	agent_start(&agent, "--policy", "policies/kill-unshare.yaml", "--mode", "audit", NULL);
	stream_open(&s, &agent, "kill-unshare");
	expect_exit0(unshare_in_new_pidns());
	expect_unshare_event(&s, false);
	policy_counters(&agent, "kill-unshare", &c);
	cr_expect_eq(c.actions_audited, 1);
	cr_expect_eq(c.actions_applied, 0);
	stream_close(&s);
}

Test(enforce, mode_switches_live_both_ways)
{
	struct event_stream s;
	char *err = NULL;

	agent_start(&agent, "--policy", "policies/kill-unshare.yaml", "--mode", "audit", NULL);
	stream_open(&s, &agent, "kill-unshare");
	expect_exit0(unshare_in_new_pidns());
	expect_unshare_event(&s, false);

	cr_assert_eq(cli(&agent, NULL, &err, "mode", "kill-unshare", "enforce", NULL), 0, "%s", err);
	free(err);
	expect_killed(unshare_in_new_pidns());
	expect_unshare_event(&s, true);

	cr_assert_eq(cli(&agent, NULL, &err, "mode", "kill-unshare", "audit", NULL), 0, "%s", err);
	free(err);
	expect_exit0(unshare_in_new_pidns());
	expect_unshare_event(&s, false);
	stream_close(&s);
}

Test(enforce, invalid_policy_leaves_running_policies_working)
{
	static const char broken[] = "apiVersion: cilium.io/v1alpha1\n"
				     "kind: TracingPolicy\n"
				     "metadata:\n"
				     "  name: broken\n"
				     "spec:\n"
				     "  tracepoints:\n"
				     "  - subsystem: syscalls\n"
				     "    event: sys_enter_no_such_call\n";
	char *path, *err = NULL, *out = NULL;
	rtenf_PolicyCounters c;
	int rc;

	agent_start(&agent, "--policy", "policies/kill-unshare.yaml", NULL);
	path = policy_file(&agent, "broken", broken);
	rc = cli(&agent, &out, &err, "apply", "-f", path, NULL);
	cr_expect_neq(rc, 0);
	cr_expect(strstr(err, "broken.yaml:8:12:") != NULL, "no file:line:col in: %s", err);
	cr_expect(strstr(err, "sys_enter_no_such_call") != NULL, "%s", err);
	free(out);
	free(err);
	free(path);

	expect_killed(unshare_in_new_pidns());
	policy_counters(&agent, "kill-unshare", &c);
	cr_expect_eq(c.actions_applied, 1);
	cr_expect_eq(cli(&agent, &out, NULL, "list", "-o", "json", NULL), 0);
	cr_expect(strstr(out, "\"broken\"") == NULL, "the broken policy must not be listed: %s", out);
	free(out);
}
