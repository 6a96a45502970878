// SPDX-License-Identifier: GPL-2.0-only
/*
 * Each selector kind, matching and not matching, evaluated by the kernel on
 * real processes.  Positives are checked on the event stream; negatives on
 * the policy's kernel counters, which the program updates before the
 * syscall returns, so they are exact once the process has exited.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "rtenf_policy.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(selectors, .fini = stop, .timeout = 120);

/* An openat policy with the given selector body, on filename (args[0]). */
static char *open_policy(const char *name, const char *selector)
{
	return xasprintf("apiVersion: cilium.io/v1alpha1\n"
			 "kind: TracingPolicy\n"
			 "metadata:\n"
			 "  name: %s\n"
			 "spec:\n"
			 "  tracepoints:\n"
			 "  - subsystem: syscalls\n"
			 "    event: sys_enter_openat\n"
			 "    args:\n"
			 "    - index: 6\n"
			 "      type: string\n"
			 "      label: path\n"
			 "    selectors:\n"
			 "%s",
			 name, selector);
}

static char *unshare_policy(const char *name, const char *selector)
{
	return xasprintf("apiVersion: cilium.io/v1alpha1\n"
			 "kind: TracingPolicy\n"
			 "metadata:\n"
			 "  name: %s\n"
			 "spec:\n"
			 "  tracepoints:\n"
			 "  - subsystem: syscalls\n"
			 "    event: sys_enter_unshare\n"
			 "    args:\n"
			 "    - index: 5\n"
			 "      type: uint64\n"
			 "    selectors:\n"
			 "%s",
			 name, selector);
}

static void apply_text(const char *name, char *yaml)
{
	apply_ok(&agent, name, yaml, NULL);
	free(yaml);
}

static uint64_t matched(const char *name)
{
	rtenf_PolicyCounters c;

	policy_counters(&agent, name, &c);
	return c.matched;
}

static int open_path(const char *path)
{
	char *argv[] = {(char *)testprog_bin(), "open", (char *)path, NULL};

	return run_wait(argv);
}

static int unshare_flags(const char *flags)
{
	char *argv[] = {(char *)testprog_bin(), "unshare", (char *)flags, NULL};

	return run_wait(argv);
}

/* The test's own file name space: nothing else on the machine opens it
 * (not even `rtenf apply`, which reads the policies in agent.dir).  Only
 * valid once the agent, and its directory, exist. */
static char *tpath(const char *leaf)
{
	char *dir;

	cr_assert(agent.dir[0], "tpath() before agent_start()");
	dir = xasprintf("%s/t", agent.dir);
	mkdir(dir, 0700);
	free(dir);
	return xasprintf("%s/t/%s", agent.dir, leaf);
}

static char *tdir(void)
{
	return xasprintf("%s/t", agent.dir);
}

Test(selectors, match_args_string_operators)
{
	char *m, *other, *sel, *dir;

	agent_start(&agent, NULL);
	m = tpath("match-me.conf");
	other = tpath("other.txt");
	dir = tdir();
	sel = xasprintf("    - matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n", m);
	apply_text("eq", open_policy("eq", sel));
	free(sel);
	sel = xasprintf("    - matchArgs:\n      - index: 0\n        operator: Prefix\n        values: [\"%s/match\"]\n",
			dir);
	apply_text("prefix", open_policy("prefix", sel));
	free(sel);
	sel = xasprintf("    - matchArgs:\n      - index: 0\n        operator: Prefix\n        values: [\"%s/\"]\n"
			"      - index: 0\n        operator: Postfix\n        values: [\".conf\"]\n",
			dir);
	apply_text("postfix", open_policy("postfix", sel));
	free(sel);
	sel = xasprintf("    - matchArgs:\n      - index: 0\n        operator: Prefix\n        values: [\"%s/\"]\n"
			"      - index: 0\n        operator: NotPostfix\n        values: [\".conf\"]\n",
			dir);
	apply_text("notpostfix", open_policy("notpostfix", sel));
	free(sel);
	sel = xasprintf("    - matchArgs:\n      - index: 0\n        operator: Prefix\n        values: [\"%s/\"]\n"
			"      - index: 0\n        operator: NotPrefix\n        values: [\"%s/match\"]\n",
			dir, dir);
	apply_text("notprefix", open_policy("notprefix", sel));
	free(sel);
	sel = xasprintf("    - matchArgs:\n      - index: 0\n        operator: Prefix\n        values: [\"%s/\"]\n"
			"      - index: 0\n        operator: NotEqual\n        values: [\"%s\"]\n",
			dir, m);
	apply_text("noteq", open_policy("noteq", sel));
	free(sel);

	open_path(m);
	cr_expect_eq(matched("eq"), 1);
	cr_expect_eq(matched("prefix"), 1);
	cr_expect_eq(matched("postfix"), 1);
	cr_expect_eq(matched("notpostfix"), 0);
	cr_expect_eq(matched("notprefix"), 0);
	cr_expect_eq(matched("noteq"), 0);

	open_path(other);
	cr_expect_eq(matched("eq"), 1);
	cr_expect_eq(matched("prefix"), 1);
	cr_expect_eq(matched("postfix"), 1);
	cr_expect_eq(matched("notpostfix"), 1);
	cr_expect_eq(matched("notprefix"), 1);
	cr_expect_eq(matched("noteq"), 1);
	free(m);
	free(other);
	free(dir);
}

Test(selectors, match_args_integer_operators)
{
	agent_start(&agent, NULL);
	/* CLONE_NEWUTS 0x04000000, CLONE_FILES 0x400, CLONE_FS 0x200: harmless for a test process */
	apply_text("eq", unshare_policy("eq", "    - matchArgs:\n      - index: 0\n        operator: Equal\n"
					       "        values: [0x04000000, 1024]\n"));
	apply_text("neq", unshare_policy("neq", "    - matchArgs:\n      - index: 0\n        operator: NotEqual\n"
						 "        values: [0x04000000]\n"));
	apply_text("gt", unshare_policy("gt", "    - matchArgs:\n      - index: 0\n        operator: GT\n"
					       "        values: [0x1000]\n"));
	apply_text("lt", unshare_policy("lt", "    - matchArgs:\n      - index: 0\n        operator: LessThan\n"
					       "        values: [0x1000]\n"));
	apply_text("mask", unshare_policy("mask", "    - matchArgs:\n      - index: 0\n        operator: Mask\n"
						   "        values: [0x200, 0x04000000]\n"));

	unshare_flags("0x04000000");
	cr_expect_eq(matched("eq"), 1);
	cr_expect_eq(matched("neq"), 0);
	cr_expect_eq(matched("gt"), 1);
	cr_expect_eq(matched("lt"), 0);
	cr_expect_eq(matched("mask"), 1);

	unshare_flags("0x400");
	cr_expect_eq(matched("eq"), 2);
	cr_expect_eq(matched("neq"), 1);
	cr_expect_eq(matched("gt"), 1);
	cr_expect_eq(matched("lt"), 1);
	cr_expect_eq(matched("mask"), 1);
}

Test(selectors, match_pids_in_notin_and_follow_forks)
{
	char *m, *sel;
	int gate;
	pid_t pid;

	agent_start(&agent, NULL);
	m = tpath("pid-target");
	char *direct[] = {(char *)testprog_bin(), "gate", "open", m, NULL};
	char *forked[] = {(char *)testprog_bin(), "gate", "spawn", "open", m, NULL};

	/* In: only the named process */
	pid = run_gated(direct, &gate);
	sel = xasprintf("    - matchPIDs:\n      - operator: In\n        values: [%d]\n"
			"      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			pid, m);
	apply_text("in", open_policy("in", sel));
	free(sel);
	sel = xasprintf("    - matchPIDs:\n      - operator: NotIn\n        values: [%d]\n"
			"      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			pid, m);
	apply_text("notin", open_policy("notin", sel));
	free(sel);
	gate_and_wait(pid, gate);
	cr_expect_eq(matched("in"), 1);
	cr_expect_eq(matched("notin"), 0);
	open_path(m); /* another pid */
	cr_expect_eq(matched("in"), 1);
	cr_expect_eq(matched("notin"), 1);

	/* followForks: a child of the named process matches too, without it does not */
	pid = run_gated(forked, &gate);
	sel = xasprintf("    - matchPIDs:\n      - operator: In\n        followForks: true\n        values: [%d]\n"
			"      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			pid, m);
	apply_text("follow", open_policy("follow", sel));
	free(sel);
	sel = xasprintf("    - matchPIDs:\n      - operator: In\n        values: [%d]\n"
			"      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			pid, m);
	apply_text("nofollow", open_policy("nofollow", sel));
	free(sel);
	gate_and_wait(pid, gate);
	cr_expect_eq(matched("follow"), 1);
	cr_expect_eq(matched("nofollow"), 0);
	free(m);
}

Test(selectors, match_pids_namespace_pid)
{
	char *m, *sel;

	agent_start(&agent, NULL);
	m = tpath("nspid");
	char *in_ns[] = {(char *)testprog_bin(), "pidns", "open", m, NULL};
	sel = xasprintf("    - matchPIDs:\n      - operator: In\n        isNamespacePID: true\n        values: [1]\n"
			"      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			m);
	apply_text("nspid", open_policy("nspid", sel));
	free(sel);
	open_path(m); /* host pid is not 1 */
	cr_expect_eq(matched("nspid"), 0);
	run_wait(in_ns); /* pid 1 of a fresh namespace */
	cr_expect_eq(matched("nspid"), 1);
	free(m);
}

Test(selectors, match_namespaces)
{
	char *m, *sel;

	agent_start(&agent, NULL);
	m = tpath("ns");
	char *in_ns[] = {(char *)testprog_bin(), "pidns", "open", m, NULL};
	sel = xasprintf("    - matchNamespaces:\n      - namespace: Pid\n        operator: In\n        values: [host_ns]\n"
			"      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			m);
	apply_text("host", open_policy("host", sel));
	free(sel);
	sel = xasprintf("    - matchNamespaces:\n      - namespace: Pid\n        operator: NotIn\n        values: [host_ns]\n"
			"      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			m);
	apply_text("container", open_policy("container", sel));
	free(sel);
	open_path(m);
	cr_expect_eq(matched("host"), 1);
	cr_expect_eq(matched("container"), 0);
	run_wait(in_ns);
	cr_expect_eq(matched("host"), 1);
	cr_expect_eq(matched("container"), 1);
	free(m);
}

Test(selectors, match_binaries)
{
	char *m, *copy, *sel, *cmd;

	agent_start(&agent, NULL);
	m = tpath("bin");
	copy = tpath("other-binary");
	char *argv[] = {copy, "open", m, NULL};
	cmd = xasprintf("cp %s %s", testprog_bin(), copy);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	sel = xasprintf("    - matchBinaries:\n      - operator: In\n        values: [\"%s\"]\n"
			"      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			testprog_bin(), m);
	apply_text("in", open_policy("in", sel));
	free(sel);
	sel = xasprintf("    - matchBinaries:\n      - operator: NotIn\n        values: [\"%s\"]\n"
			"      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			testprog_bin(), m);
	apply_text("notin", open_policy("notin", sel));
	free(sel);
	open_path(m);
	cr_expect_eq(matched("in"), 1);
	cr_expect_eq(matched("notin"), 0);
	run_wait(argv);
	cr_expect_eq(matched("in"), 1);
	cr_expect_eq(matched("notin"), 1);
	free(m);
	free(copy);
}

Test(selectors, match_actions_nopost_and_signal)
{
	char *m, *sel;
	rtenf_PolicyCounters c;
	int status;

	agent_start(&agent, NULL);
	m = tpath("sig");
	sel = xasprintf("    - matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n"
			"      matchActions:\n      - action: Signal\n        argSig: 10\n      - action: NoPost\n",
			m);
	apply_text("usr1", open_policy("usr1", sel));
	free(sel);
	status = open_path(m);
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGUSR1, "wait status 0x%x", status);
	policy_counters(&agent, "usr1", &c);
	cr_expect_eq(c.matched, 1);
	cr_expect_eq(c.actions_applied, 1);
	cr_expect_eq(c.posted, 0, "NoPost: no event");
	free(m);
}

Test(selectors, selectors_are_ored_and_first_match_decides)
{
	char *m, *sel, *dir;
	struct event_stream s;
	rtenf_Event ev;

	agent_start(&agent, NULL);
	m = tpath("first");
	dir = tdir();
	sel = xasprintf("    - matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"/nonexistent\"]\n"
			"    - matchArgs:\n      - index: 0\n        operator: Prefix\n        values: [\"%s/\"]\n"
			"    - matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n"
			"      matchActions:\n      - action: Sigkill\n",
			dir, m);
	apply_text("ored", open_policy("ored", sel));
	free(sel);
	stream_open(&s, &agent, "ored");
	cr_expect(WIFEXITED(open_path(m)), "the second selector (Post) decides, not the third (Sigkill)");
	cr_assert_eq(stream_next_hook(&s, 0, &ev, 5000), 0);
	cr_expect_eq(ev.event.process_tracepoint.selector, 1);
	cr_expect_eq(ev.event.process_tracepoint.action, rtenf_KprobeAction_KPROBE_ACTION_POST);
	cr_expect_str_eq(ev.event.process_tracepoint.args[0].arg.string_arg, m);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(m);
	free(dir);
}

/* As many selectors as a hook may have (Tetragon: 5), each of them the
 * one that decides for its own file: selector i matches only path i, by
 * Equal, Prefix or Postfix in turn, and the event names it, by number
 * and by label. */
Test(selectors, every_selector_of_a_full_hook_decides)
{
	struct strbuf sb = {0};
	char *dir, *paths[RTENF_MAX_SELECTORS], *other, label[16];
	struct event_stream s;
	rtenf_Event ev;

	cr_assert_geq(RTENF_MAX_SELECTORS, 16, "issue 4 asks for at least 16 selectors per hook");
	agent_start(&agent, NULL);
	dir = tdir();
	other = tpath("none-of-them");
	for (int i = 0; i < RTENF_MAX_SELECTORS; i++) {
		const char *op = i % 3 == 0 ? "Equal" : i % 3 == 1 ? "Prefix" : "Postfix";
		char *value;

		if (i % 3 == 0) {
			paths[i] = xasprintf("%s/t/eq%d", agent.dir, i);
			value = xstrdup(paths[i]);
		} else if (i % 3 == 1) {
			paths[i] = xasprintf("%s/t/p%d-file", agent.dir, i);
			value = xasprintf("%s/t/p%d-", agent.dir, i);
		} else {
			paths[i] = xasprintf("%s/t/file/s%d.end", agent.dir, i);
			value = xasprintf("/s%d.end", i);
		}
		sb_printf(&sb,
			  "    - label: sel-%d\n      matchArgs:\n      - index: 0\n        operator: %s\n"
			  "        values: [\"%s\"]\n",
			  i, op, value);
		free(value);
	}
	apply_text("full", open_policy("full", sb.buf));
	stream_open(&s, &agent, "full");
	for (int i = RTENF_MAX_SELECTORS - 1; i >= 0; i--) {
		open_path(paths[i]);
		cr_assert_eq(stream_next_hook(&s, 0, &ev, 5000), 0, "no event for %s", paths[i]);
		cr_expect_eq(ev.event.process_tracepoint.selector, (uint32_t)i, "%s decided by selector %u, not %d",
			     paths[i], ev.event.process_tracepoint.selector, i);
		cr_expect_str_eq(ev.event.process_tracepoint.args[0].arg.string_arg, paths[i]);
		snprintf(label, sizeof(label), "sel-%d", i);
		cr_expect_str_eq(ev.event.process_tracepoint.selector_label, label, "the event carries the label");
		pb_release(rtenf_Event_fields, &ev);
	}
	open_path(other);
	cr_expect_eq(matched("full"), RTENF_MAX_SELECTORS, "only the %d files matched", RTENF_MAX_SELECTORS);
	stream_close(&s);
	for (int i = 0; i < RTENF_MAX_SELECTORS; i++)
		free(paths[i]);
	free(other);
	free(dir);
	sb_free(&sb);
}

/* ", \"fmt(0)\", \"fmt(1)\", ..." : n made-up values to list after real ones. */
static void made_up(struct strbuf *sb, const char *fmt, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		sb_puts(sb, ", \"");
		sb_printf(sb, fmt, i);
		sb_putc(sb, '"');
	}
}

/* 10,000 values per operator (Tetragon: 4, and 8 per matchBinaries) on a
 * real agent and real processes: each filter passes only for its one real
 * value among 10,000 others, and the counters are exact. */
Test(selectors, ten_thousand_values_per_operator, .timeout = 300)
{
	char *m, *other, *copy, *dir, *cmd;
	struct strbuf sb = {0};

	agent_start(&agent, NULL);
	m = tpath("pre-match");
	other = tpath("pre-other");
	copy = tpath("copy-of-testprog");
	dir = tdir();
	cmd = xasprintf("cp %s %s", testprog_bin(), copy);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	sb_printf(&sb, "    - matchBinaries:\n      - operator: In\n        values: [\"%s\"", testprog_bin());
	made_up(&sb, "/opt/tool-%u", 9999);
	sb_printf(&sb, "]\n      matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"", m);
	made_up(&sb, "/etc/app-%u.conf", 9999);
	sb_printf(&sb, "]\n      - index: 0\n        operator: Prefix\n        values: [\"%s/pre-\"", dir);
	made_up(&sb, "/srv/tenant-%u/", 9999);
	sb_puts(&sb, "]\n");
	apply_text("tenk", open_policy("tenk", sb.buf));
	open_path(m);
	cr_expect_eq(matched("tenk"), 1, "the listed binary opening the listed file matches");
	open_path(other);
	cr_expect_eq(matched("tenk"), 1, "a file under the prefix but not listed does not");
	{
		char *argv[] = {copy, "open", m, NULL};

		run_wait(argv);
	}
	cr_expect_eq(matched("tenk"), 1, "an unlisted binary does not");
	open_path(m);
	cr_expect_eq(matched("tenk"), 2);
	sb_free(&sb);
	free(m);
	free(other);
	free(copy);
	free(dir);
}
