// SPDX-License-Identifier: GPL-2.0-only
/*
 * spec.lsmhooks on the running kernel: BPF LSM where `bpf` is an active LSM
 * and trampolines work, else fmod_ret on security_X, else (observe only) a
 * kprobe on it.  On a kernel with none of them these tests skip with the
 * reason and run in the vmtest matrix.  Socket hooks, which have a cgroup
 * fallback, are tested in test_socket_override.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(lsm, .fini = stop, .timeout = 120);

static const char override_eperm[] = "      matchActions:\n"
				     "      - action: Override\n"
				     "        argError: -1\n";

static char *lsm_policy(const char *name, const char *hook, const char *type, const char *value, const char *action)
{
	return xasprintf("apiVersion: cilium.io/v1alpha1\n"
			 "kind: TracingPolicy\n"
			 "metadata:\n"
			 "  name: %s\n"
			 "spec:\n"
			 "  lsmhooks:\n"
			 "  - hook: \"%s\"\n"
			 "    args:\n"
			 "    - index: 0\n"
			 "      type: %s\n"
			 "    selectors:\n"
			 "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: Equal\n"
			 "        values: [\"%s\"]\n"
			 "%s",
			 name, hook, type, value, action ? action : "");
}

static int testprog(const char *cmd, const char *arg)
{
	char *argv[] = {(char *)testprog_bin(), (char *)cmd, (char *)arg, NULL};

	return run_wait(argv);
}

static void expect_exit(int status, int code)
{
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == code, "expected exit %d, wait status 0x%x", code, status);
}

static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", agent.dir, name);
}

static void create_file(const char *path)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs("secret\n", f);
	fclose(f);
}

static void next_lsm_event(struct event_stream *s, rtenf_Event *ev)
{
	cr_assert_eq(stream_next_of(s, rtenf_Event_process_lsm_tag, 0, ev, 5000), 0, "no process_lsm event\n%s",
		     agent_log(&agent));
}

Test(lsm, file_open_event_and_override)
{
	char *path, *yaml;
	struct event_stream s;
	rtenf_Event ev;

	require_any_feature("Override from an LSM hook", "lsm", "fmod_ret", NULL);
	agent_start(&agent, NULL);
	path = in_dir("shadow");
	create_file(path);
	yaml = lsm_policy("deny-open", "file_open", "file", path, override_eperm);
	apply_ok(&agent, "deny-open", yaml, "enforce");
	stream_open(&s, &agent, "deny-open");

	expect_exit(testprog("openat", path), EPERM);
	next_lsm_event(&s, &ev);
	cr_expect_str_eq(ev.event.process_lsm.function_name, "file_open");
	cr_assert_eq(ev.event.process_lsm.args_count, 1);
	cr_assert_eq(ev.event.process_lsm.args[0].which_arg, rtenf_KprobeArgument_file_arg_tag);
	cr_expect_str_eq(ev.event.process_lsm.args[0].arg.file_arg.path, path);
	cr_expect_eq(ev.event.process_lsm.action, rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE);
	cr_expect_eq(abs(ev.event.process_lsm.error), EPERM);
	cr_expect(ev.event.process_lsm.enforced);
	pb_release(rtenf_Event_fields, &ev);
	/* other files open */
	expect_exit(testprog("openat", agent.dir), 0);

	cr_assert_eq(cli(&agent, NULL, NULL, "mode", "deny-open", "audit", NULL), 0);
	expect_exit(testprog("openat", path), 0);
	next_lsm_event(&s, &ev);
	cr_expect_not(ev.event.process_lsm.enforced);
	cr_expect_eq(abs(ev.event.process_lsm.error), EPERM);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(yaml), free(path);
}

Test(lsm, path_mkdir_override_creates_nothing)
{
	char *target, *yaml;
	struct event_stream s;
	struct stat st;
	rtenf_Event ev;

	require_any_feature("Override from an LSM hook", "lsm", "fmod_ret", NULL);
	agent_start(&agent, NULL);
	target = in_dir("made-by-attacker");
	yaml = lsm_policy("deny-mkdir", "path_mkdir", "path", agent.dir, override_eperm);
	apply_ok(&agent, "deny-mkdir", yaml, "enforce");
	stream_open(&s, &agent, "deny-mkdir");

	expect_exit(testprog("mkdir", target), EPERM);
	cr_expect(stat(target, &st) && errno == ENOENT, "%s was created", target);
	next_lsm_event(&s, &ev);
	cr_expect_str_eq(ev.event.process_lsm.function_name, "path_mkdir");
	cr_assert_eq(ev.event.process_lsm.args[0].which_arg, rtenf_KprobeArgument_path_arg_tag);
	cr_expect_str_eq(ev.event.process_lsm.args[0].arg.path_arg.path, agent.dir);
	cr_expect(ev.event.process_lsm.enforced);
	pb_release(rtenf_Event_fields, &ev);

	cr_assert_eq(cli(&agent, NULL, NULL, "mode", "deny-mkdir", "audit", NULL), 0);
	expect_exit(testprog("mkdir", target), 0);
	cr_expect_eq(stat(target, &st), 0, "in audit mode %s was not created", target);
	next_lsm_event(&s, &ev);
	cr_expect_not(ev.event.process_lsm.enforced);
	pb_release(rtenf_Event_fields, &ev);
	rmdir(target);
	stream_close(&s);
	free(yaml), free(target);
}

/* Sigkill at bprm_check_security: the copy of the binary never runs. */
Test(lsm, bprm_check_security_sigkill)
{
	static const char sigkill[] = "      matchActions:\n"
				      "      - action: Sigkill\n";
	char *victim, *yaml, *cmd;
	struct event_stream s;
	rtenf_Event ev;
	int status;

	require_any_feature("LSM hooks", "lsm", "fmod_ret", "kprobe", NULL);
	agent_start(&agent, NULL);
	victim = in_dir("miner");
	cmd = xasprintf("cp %s %s", testprog_bin(), victim);
	cr_assert_eq(system(cmd), 0);
	yaml = lsm_policy("kill-miner", "bprm_check_security", "linux_binprm", victim, sigkill);
	apply_ok(&agent, "kill-miner", yaml, "enforce");
	stream_open(&s, &agent, "kill-miner");

	{
		char *argv[] = {victim, "getppid", "1", NULL};

		status = run_wait(argv);
	}
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "wait status 0x%x", status);
	next_lsm_event(&s, &ev);
	cr_expect_str_eq(ev.event.process_lsm.function_name, "bprm_check_security");
	cr_assert_eq(ev.event.process_lsm.args[0].which_arg, rtenf_KprobeArgument_linux_binprm_arg_tag);
	cr_expect_str_eq(ev.event.process_lsm.args[0].arg.linux_binprm_arg.path, victim);
	cr_expect_eq(ev.event.process_lsm.action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	pb_release(rtenf_Event_fields, &ev);
	/* the original binary still runs */
	expect_exit(testprog("getppid", "1"), 0);
	stream_close(&s);
	free(yaml), free(victim), free(cmd);
}
