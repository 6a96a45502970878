// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bad hooks are rejected at apply, on the running kernel: unknown functions,
 * syscalls and LSM hooks, symbols missing from a uprobe's binary, argument
 * types that do not fit, Override where it cannot work.  Each names the file,
 * line and column; nothing is attached; the policy already running keeps
 * enforcing.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "harness.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(hook_errors, .fini = stop, .timeout = 120);

#define HEAD                                                                                                          \
	"apiVersion: cilium.io/v1alpha1\n"                                                                            \
	"kind: TracingPolicy\n"                                                                                       \
	"metadata:\n"                                                                                                 \
	"  name: bad\n"                                                                                               \
	"spec:\n"

struct bad_case {
	const char *what;
	const char *yaml;     /* %s: the testprog path, where needed */
	const char *location; /* ":LINE:COL: " of the offending field */
	const char *message;  /* part of the message */
};

static const struct bad_case cases[] = {
	{"unknown kernel function",
	 HEAD "  kprobes:\n  - call: \"no_such_function_xyz\"\n    syscall: false\n", ":7:11: ",
	 "unknown kernel function no_such_function_xyz"},
	{"unknown syscall", HEAD "  kprobes:\n  - call: \"sys_no_such_call\"\n", ":7:11: ", "unknown syscall no_such_call"},
	{"unknown LSM hook", HEAD "  lsmhooks:\n  - hook: \"no_such_hook\"\n", ":7:11: ", "unknown LSM hook no_such_hook"},
	{"missing uprobe symbol",
	 HEAD "  uprobes:\n  - path: \"%s\"\n    symbols: [no_such_symbol]\n", ":8:15: ", "has no function no_such_symbol"},
	{"kernel object type on a syscall argument",
	 HEAD "  kprobes:\n  - call: \"sys_openat\"\n    args:\n    - index: 1\n      type: sock\n", ":10:13: ",
	 "type sock"},
	{"argument type that does not fit the LSM hook",
	 HEAD "  lsmhooks:\n  - hook: \"file_open\"\n    args:\n    - index: 0\n      type: sockaddr\n", ":10:13: ",
	 "argument 0 of file_open is struct file *, which type sockaddr does not fit"},
	{"Override of a function that cannot be overridden",
	 HEAD "  kprobes:\n  - call: \"fd_install\"\n    syscall: false\n    selectors:\n    - matchActions:\n"
	      "      - action: Override\n        argError: -1\n",
	 ":7:11: ", "Override of fd_install is not possible"},
	{"Override on a tracepoint",
	 HEAD "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_getppid\n    selectors:\n"
	      "    - matchActions:\n      - action: Override\n        argError: -1\n",
	 ":11:9: ", "Override cannot work on a tracepoint"},
};

/* The policy that must survive every bad apply. */
static const char kill_unshare[] = "apiVersion: cilium.io/v1alpha1\n"
				   "kind: TracingPolicy\n"
				   "metadata:\n"
				   "  name: kill-unshare\n"
				   "spec:\n"
				   "  tracepoints:\n"
				   "  - subsystem: syscalls\n"
				   "    event: sys_enter_unshare\n"
				   "    selectors:\n"
				   "    - matchNamespaces:\n"
				   "      - namespace: Pid\n"
				   "        operator: NotIn\n"
				   "        values: [host_ns]\n"
				   "      matchActions:\n"
				   "      - action: Sigkill\n";

Test(hook_errors, each_rejected_with_its_location_and_nothing_applied)
{
	rtenf_PolicyCounters before, after;
	rtenf_AgentInfo info;
	int status;

	agent_start(&agent, NULL);
	apply_ok(&agent, "kill-unshare", kill_unshare, "enforce");
	policy_counters(&agent, "kill-unshare", &before);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_case *c = &cases[i];
		char *yaml = xasprintf(c->yaml, testprog_bin());
		char *path = policy_file(&agent, "bad", yaml);
		char *where = xasprintf("%s%s", path, c->location);
		char *err = NULL;
		int r = cli(&agent, NULL, &err, "apply", "-f", path, NULL);

		cr_expect_eq(r, 1, "%s: exit %d", c->what, r);
		cr_expect(strstr(err, where) != NULL, "%s: no error at %s in:\n%s", c->what, where, err);
		cr_expect(strstr(err, c->message) != NULL, "%s: no \"%s\" in:\n%s", c->what, c->message, err);
		cr_expect(strstr(err, "nothing applied") != NULL, "%s:\n%s", c->what, err);
		cr_expect_eq(policy_count(&agent), 1, "%s: a policy was added", c->what);
		free(err), free(where), free(path), free(yaml);
	}

	/* the running policy is untouched: same id, same mode, still kills */
	policy_counters(&agent, "kill-unshare", &after);
	cr_expect_eq(after.matched, before.matched);
	{
		char *argv[] = {(char *)testprog_bin(), "pidns", "unshare", "0x04000000", NULL};

		status = run_wait(argv);
	}
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "wait status 0x%x", status);
	/* and the agent survived every one of them */
	agent_info(&agent, &info);
	cr_expect_gt(info.events_read, 0);
}
