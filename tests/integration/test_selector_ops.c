// SPDX-License-Identifier: GPL-2.0-only
/*
 * The operators and selectors beyond equality and prefixes, evaluated by the
 * kernel on real processes, matching and not: integer ranges and maps,
 * port ranges.  Positives and negatives are read from the policy's kernel
 * counters, exact once the process has exited; enforcement from exit codes.
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

#include "harness.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(selector_ops, .fini = stop, .timeout = 120);

static char *policy(const char *name, const char *hook, const char *selectors)
{
	return xasprintf("apiVersion: cilium.io/v1alpha1\n"
			 "kind: TracingPolicy\n"
			 "metadata:\n"
			 "  name: %s\n"
			 "spec:\n"
			 "%s"
			 "    selectors:\n"
			 "%s",
			 name, hook, selectors);
}

static void apply_text(const char *name, char *yaml, const char *mode)
{
	apply_ok(&agent, name, yaml, mode);
	free(yaml);
}

static uint64_t matched(const char *name)
{
	rtenf_PolicyCounters c;

	policy_counters(&agent, name, &c);
	return c.matched;
}

static int testprog(const char *a, const char *b, const char *c)
{
	char *argv[] = {(char *)testprog_bin(), (char *)a, (char *)b, (char *)c, NULL};

	return run_wait(argv);
}

static void expect_exit(int status, int code)
{
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == code, "expected exit %d (%s), wait status 0x%x", code,
		  strerror(code), status);
}

static const char unshare_hook[] = "  tracepoints:\n"
				   "  - subsystem: syscalls\n"
				   "    event: sys_enter_unshare\n"
				   "    args:\n"
				   "    - index: 5\n"
				   "      type: uint64\n";

static char *unshare_sel(const char *op, const char *values)
{
	return xasprintf("    - matchArgs:\n      - index: 5\n        operator: %s\n        values: [%s]\n", op, values);
}

/* CLONE_FILES 0x400, CLONE_FS 0x200, CLONE_NEWUTS 0x04000000: harmless for a
 * test process. */
Test(selector_ops, integer_ranges_and_maps)
{
	static const struct {
		const char *name, *op, *values;
		unsigned files, fs, uts; /* matches so far after each call */
	} cases[] = {
		{"inrange", "InRange", "\"0x400:0x7ff\"", 1, 1, 1},
		{"notinrange", "NotInRange", "\"0x400:0x7ff\"", 0, 1, 2},
		{"inmap", "InMap", "\"0x200\", \"0x04000000:0x04000001\"", 0, 1, 2},
		{"notinmap", "NotInMap", "\"0x200\", \"0x04000000\"", 1, 1, 1},
	};

	agent_start(&agent, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *sel = unshare_sel(cases[i].op, cases[i].values);

		apply_text(cases[i].name, policy(cases[i].name, unshare_hook, sel), NULL);
		free(sel);
	}
	expect_exit(testprog("unshare", "0x400", NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cr_expect_eq(matched(cases[i].name), cases[i].files, "%s after CLONE_FILES", cases[i].name);
	expect_exit(testprog("unshare", "0x200", NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cr_expect_eq(matched(cases[i].name), cases[i].fs, "%s after CLONE_FS", cases[i].name);
	expect_exit(testprog("unshare", "0x04000000", NULL), 0);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cr_expect_eq(matched(cases[i].name), cases[i].uts, "%s after CLONE_NEWUTS", cases[i].name);
}

/* A connect to a closed loopback port is refused (ECONNREFUSED); one the
 * policy denies fails with EPERM before it leaves the host.  Works on
 * every kernel: through the cgroup socket programs where nothing better
 * exists. */
Test(selector_ops, destination_port_ranges_deny_connect)
{
	static const char hook[] = "  kprobes:\n"
				   "  - call: \"sys_connect\"\n"
				   "    syscall: true\n"
				   "    args:\n"
				   "    - index: 1\n"
				   "      type: sockaddr\n";

	agent_start(&agent, NULL);
	apply_text("ports",
		   policy("ports", hook,
			  "    - matchArgs:\n      - index: 1\n        operator: DPort\n        values: [\"40000:40099\", 40500]\n"
			  "      - index: 1\n        operator: DAddr\n        values: [127.0.0.0/8, \"::1\"]\n"
			  "      matchActions:\n      - action: Override\n        argError: -1\n"),
		   "enforce");
	expect_exit(testprog("connect", "127.0.0.1", "40000"), EPERM);
	expect_exit(testprog("connect", "127.0.0.1", "40099"), EPERM);
	expect_exit(testprog("connect", "127.0.0.1", "40500"), EPERM);
	expect_exit(testprog("connect", "::1", "40042"), EPERM);
	expect_exit(testprog("connect", "127.0.0.1", "39999"), ECONNREFUSED);
	expect_exit(testprog("connect", "127.0.0.1", "40100"), ECONNREFUSED);
	expect_exit(testprog("connect", "127.0.0.1", "40499"), ECONNREFUSED);
	cr_expect_eq(matched("ports"), 4);

	/* the complement: everything outside the range is denied */
	apply_text("notports",
		   policy("notports", hook,
			  "    - matchArgs:\n      - index: 1\n        operator: NotDPort\n        values: [\"1:40099\"]\n"
			  "      - index: 1\n        operator: DAddr\n        values: [127.0.0.0/8]\n"
			  "      matchActions:\n      - action: Override\n        argError: -1\n"),
		   "enforce");
	expect_exit(testprog("connect", "127.0.0.1", "40100"), EPERM);
	expect_exit(testprog("connect", "127.0.0.1", "39999"), ECONNREFUSED);
	cr_expect_eq(matched("notports"), 1);
}

static const char openat_hook[] = "  tracepoints:\n"
				  "  - subsystem: syscalls\n"
				  "    event: sys_enter_openat\n"
				  "    args:\n"
				  "    - index: 6\n"
				  "      type: string\n";

/* A path of this test's own: nothing else on the machine opens it, not
 * even `rtenf apply`, which reads the policies in agent.dir. */
static char *tpath(const char *leaf)
{
	char *dir;

	cr_assert(agent.dir[0], "tpath() before agent_start()");
	dir = xasprintf("%s/t", agent.dir);
	mkdir(dir, 0700);
	free(dir);
	return xasprintf("%s/t/%s", agent.dir, leaf);
}

Test(selector_ops, substring_of_a_path)
{
	char *hit, *hit_case, *miss, *sel;

	agent_start(&agent, NULL);
	hit = tpath("miners/xmrig-6.21/run");
	hit_case = tpath("miners/XMRig");
	miss = tpath("miners/xmr-ig");
	sel = xasprintf("    - matchArgs:\n      - index: 6\n        operator: Prefix\n        values: [\"%s/t/\"]\n"
			"      - index: 6\n        operator: SubString\n        values: [\"xmrig\", \"minerd\"]\n",
			agent.dir);
	apply_text("sub", policy("sub", openat_hook, sel), NULL);
	free(sel);
	sel = xasprintf("    - matchArgs:\n      - index: 6\n        operator: Prefix\n        values: [\"%s/t/\"]\n"
			"      - index: 6\n        operator: SubStringIgnCase\n        values: [\"xmrig\"]\n",
			agent.dir);
	apply_text("subcase", policy("subcase", openat_hook, sel), NULL);
	free(sel);

	testprog("open", hit, NULL);
	cr_expect_eq(matched("sub"), 1);
	cr_expect_eq(matched("subcase"), 1);
	testprog("open", hit_case, NULL);
	cr_expect_eq(matched("sub"), 1, "SubString is case-sensitive");
	cr_expect_eq(matched("subcase"), 2);
	testprog("open", miss, NULL);
	cr_expect_eq(matched("sub"), 1);
	cr_expect_eq(matched("subcase"), 2);
	free(hit);
	free(hit_case);
	free(miss);
}

/* close(2) of what testprog opened: a directory or a regular file. */
Test(selector_ops, file_type_of_a_closed_descriptor)
{
	static const char close_hook[] = "  tracepoints:\n"
					 "  - subsystem: syscalls\n"
					 "    event: sys_enter_close\n"
					 "    args:\n"
					 "    - index: 5\n"
					 "      type: fd\n";
	char *sel, *file;
	uint64_t loader;

	agent_start(&agent, NULL);
	file = tpath("plain");
	sel = xasprintf("touch %s", file);
	cr_assert_eq(system(sel), 0);
	free(sel);
	sel = xasprintf("    - matchBinaries:\n      - operator: In\n        values: [\"%s\"]\n"
			"      matchArgs:\n      - index: 5\n        operator: FileType\n        values: [dir]\n",
			testprog_bin());
	apply_text("dirs", policy("dirs", close_hook, sel), NULL);
	free(sel);
	sel = xasprintf("    - matchBinaries:\n      - operator: In\n        values: [\"%s\"]\n"
			"      matchArgs:\n      - index: 5\n        operator: NotFileType\n        values: [dir, chr]\n",
			testprog_bin());
	apply_text("notdirs", policy("notdirs", close_hook, sel), NULL);
	free(sel);

	/* the dynamic loader closes the libraries it opened: the same regular
	 * files in both runs, which only the second adds to */
	testprog("open", agent.dir, NULL);
	cr_expect_eq(matched("dirs"), 1);
	loader = matched("notdirs");
	testprog("open", file, NULL);
	cr_expect_eq(matched("dirs"), 1);
	cr_expect_eq(matched("notdirs"), 2 * loader + 1, "%llu closes of non-directories by the loader",
		     (unsigned long long)loader);
	free(file);
}

/* This process's capability set of one kind from /proc/self/status, in
 * hex ("CapPrm"). */
static char *own_caps(const char *which)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256], *out = NULL;
	size_t n = strlen(which);

	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, which, n) && line[n] == ':') {
			out = xstrdup(line + n + 1 + strspn(line + n + 1, " \t"));
			out[strcspn(out, "\n")] = '\0';
		}
	fclose(f);
	cr_assert_not_null(out, "no %s in /proc/self/status", which);
	return out;
}

/* security_capset gets the requested sets as kernel_cap_t pointers:
 * CapabilitiesGained between two of them, and a Mask on one.  Needs a
 * kernel-function hook (kprobe, fentry or BPF LSM): runs in vmtest. */
Test(selector_ops, capability_arguments_and_capabilities_gained)
{
	static const char capset_hook[] = "  kprobes:\n"
					  "  - call: security_capset\n"
					  "    syscall: false\n"
					  "    args:\n"
					  "    - index: 2\n"
					  "      type: kernel_cap_t\n"
					  "    - index: 3\n"
					  "      type: kernel_cap_t\n";
	char *prm;

	require_any_feature("a kprobe on security_capset", "kprobe_multi", "kprobe", "fentry", NULL);
	agent_start(&agent, NULL);
	prm = own_caps("CapPrm");
	/* effective (position 0) holds a capability inheritable (position 1) lacks */
	apply_text("gained", policy("gained", capset_hook,
				    "    - matchArgs:\n      - args: [1, 0]\n        operator: CapabilitiesGained\n"), NULL);
	apply_text("netraw", policy("netraw", capset_hook,
				    "    - matchArgs:\n      - index: 2\n        operator: Mask\n        values: [CAP_NET_RAW]\n"),
		   NULL);

	{
		char *argv[] = {(char *)testprog_bin(), "capset", "0", prm, "0", NULL}; /* effective 0: nothing gained */

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("gained"), 0);
	cr_expect_eq(matched("netraw"), 0);
	{
		char *argv[] = {(char *)testprog_bin(), "capset", "2000", prm, "0", NULL}; /* CAP_NET_RAW only */

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("gained"), 1);
	cr_expect_eq(matched("netraw"), 1);
	{
		char *argv[] = {(char *)testprog_bin(), "capset", "2000", prm, "2000", NULL}; /* also inheritable */

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("gained"), 1, "effective equals inheritable: nothing gained");
	cr_expect_eq(matched("netraw"), 2);
	free(prm);
}

/* An openat policy on this test's directory with extra selector filters. */
static char *own_open_policy(const char *name, const char *filters)
{
	char *sel = xasprintf("    - matchArgs:\n      - index: 6\n        operator: Prefix\n        values: [\"%s/t/\"]\n%s",
			      agent.dir, filters);
	char *yaml = policy(name, openat_hook, sel);

	free(sel);
	return yaml;
}

/* A process that dropped its effective capabilities (testprog caps ...). */
Test(selector_ops, match_capabilities_of_a_process_that_dropped_them)
{
	char *path, *prm;

	agent_start(&agent, NULL);
	path = tpath("caps");
	prm = own_caps("CapPrm");
	apply_text("hasraw", own_open_policy("hasraw", "      matchCapabilities:\n      - operator: In\n"
						       "        values: [CAP_NET_RAW]\n"), NULL);
	apply_text("noraw", own_open_policy("noraw", "      matchCapabilities:\n      - operator: NotIn\n"
						     "        values: [CAP_NET_RAW]\n"), NULL);
	apply_text("prmraw", own_open_policy("prmraw", "      matchCapabilities:\n      - type: Permitted\n"
						       "        operator: In\n        values: [CAP_NET_RAW]\n"), NULL);

	testprog("open", path, NULL);
	cr_expect_eq(matched("hasraw"), 1);
	cr_expect_eq(matched("noraw"), 0);
	cr_expect_eq(matched("prmraw"), 1);
	{
		char *argv[] = {(char *)testprog_bin(), "caps", "0", prm, "0", "open", path, NULL};

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("hasraw"), 1, "no effective capabilities left");
	cr_expect_eq(matched("noraw"), 1);
	cr_expect_eq(matched("prmraw"), 2, "the permitted set kept them");
	free(prm);
	free(path);
}

/* The baseline is what the process had at exec: dropping a capability
 * afterwards is a change, matched once. */
Test(selector_ops, match_capability_changes_after_exec)
{
	char *path, *prm, *eff, *eff_noraw;

	agent_start(&agent, NULL);
	path = tpath("capchange");
	prm = own_caps("CapPrm");
	eff = own_caps("CapEff");
	eff_noraw = xasprintf("%llx", strtoull(eff, NULL, 16) & ~(1ULL << 13));
	apply_text("rawchanged", own_open_policy("rawchanged", "      matchCapabilityChanges:\n      - operator: In\n"
							       "        values: [CAP_NET_RAW]\n"), NULL);
	apply_text("otherchanged", own_open_policy("otherchanged", "      matchCapabilityChanges:\n"
								   "      - operator: NotIn\n"
								   "        values: [CAP_NET_RAW]\n"), NULL);

	testprog("open", path, "2");
	cr_expect_eq(matched("rawchanged"), 0, "nothing changed since exec");
	cr_expect_eq(matched("otherchanged"), 0);
	{
		char *argv[] = {(char *)testprog_bin(), "caps", eff_noraw, prm, "0", "open", path, "2", NULL};

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("rawchanged"), 1, "two opens after the drop: the change matches once");
	cr_expect_eq(matched("otherchanged"), 0);
	{
		char *argv[] = {(char *)testprog_bin(), "caps", "0", prm, "0", "open", path, "2", NULL};

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("rawchanged"), 2);
	cr_expect_eq(matched("otherchanged"), 0, "CAP_NET_RAW changed too: not only others");
	free(eff_noraw);
	free(eff);
	free(prm);
	free(path);
}

Test(selector_ops, match_namespace_changes_after_unshare)
{
	char *path;

	agent_start(&agent, NULL);
	path = tpath("nschange");
	apply_text("uts", own_open_policy("uts", "      matchNamespaceChanges:\n      - operator: In\n"
						 "        values: [Uts]\n"), NULL);
	apply_text("notuts", own_open_policy("notuts", "      matchNamespaceChanges:\n      - operator: NotIn\n"
						       "        values: [Uts]\n"), NULL);

	testprog("open", path, "2");
	cr_expect_eq(matched("uts"), 0);
	cr_expect_eq(matched("notuts"), 0);
	{
		char *argv[] = {(char *)testprog_bin(), "unshare-then", "0x04000000", "open", path, "2", NULL};

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("uts"), 1, "two opens in the new UTS namespace: matched once");
	cr_expect_eq(matched("notuts"), 0);
	{
		char *argv[] = {(char *)testprog_bin(), "unshare-then", "0x08000000", "open", path, NULL}; /* IPC */

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("uts"), 1);
	cr_expect_eq(matched("notuts"), 1);
	free(path);
}

/* A copy of testprog at DIR/t/bin/NAME (caller frees). */
static char *testprog_copy(const char *name)
{
	char *dir = tpath("bin"), *path = xasprintf("%s/%s", dir, name), *cmd;

	mkdir(dir, 0700);
	cmd = xasprintf("cp %s %s", testprog_bin(), path);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	free(dir);
	return path;
}

/* The brief's example: Postfix /xmrig kills .../xmrig, not .../xmrig2. */
Test(selector_ops, binary_postfix_kills_xmrig_not_xmrig2)
{
	char *xmrig, *xmrig2, *path, *sel;
	int status;

	agent_start(&agent, NULL);
	xmrig = testprog_copy("xmrig");
	xmrig2 = testprog_copy("xmrig2");
	path = tpath("wallet");
	sel = xasprintf("    - matchBinaries:\n      - operator: Postfix\n        values: [\"/xmrig\"]\n"
			"      matchArgs:\n      - index: 6\n        operator: Equal\n        values: [\"%s\"]\n"
			"      matchActions:\n      - action: Sigkill\n",
			path);
	apply_text("miner", policy("miner", openat_hook, sel), "enforce");
	free(sel);
	{
		char *argv[] = {xmrig, "open", path, NULL};

		status = run_wait(argv);
		cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "xmrig: wait status 0x%x", status);
	}
	{
		char *argv[] = {xmrig2, "open", path, NULL};

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("miner"), 1);
	free(xmrig);
	free(xmrig2);
	free(path);
}

/* followChildren: children of a listed binary match, through forks and
 * execs, including children of a process that was running before the
 * policy came. */
Test(selector_ops, binaries_follow_children)
{
	char *parent, *child, *path, *sel;
	int gate;
	pid_t pid;

	agent_start(&agent, NULL);
	parent = testprog_copy("parentbin");
	child = testprog_copy("childbin");
	path = tpath("followed");
	char *before[] = {parent, "gate", "spawn", "exec", child, "open", path, NULL};
	pid = run_gated(before, &gate); /* runs before the policy exists */
	sel = xasprintf("    - matchBinaries:\n      - operator: In\n        followChildren: true\n        values: [\"%s\"]\n"
			"      matchArgs:\n      - index: 6\n        operator: Equal\n        values: [\"%s\"]\n",
			parent, path);
	apply_text("follow", policy("follow", openat_hook, sel), NULL);
	free(sel);
	sel = xasprintf("    - matchBinaries:\n      - operator: NotIn\n        followChildren: true\n        values: [\"%s\"]\n"
			"      matchArgs:\n      - index: 6\n        operator: Equal\n        values: [\"%s\"]\n",
			parent, path);
	apply_text("notfollow", policy("notfollow", openat_hook, sel), NULL);
	free(sel);
	sel = xasprintf("    - matchBinaries:\n      - operator: In\n        values: [\"%s\"]\n"
			"      matchArgs:\n      - index: 6\n        operator: Equal\n        values: [\"%s\"]\n",
			parent, path);
	apply_text("nofollow", policy("nofollow", openat_hook, sel), NULL);
	free(sel);

	{
		char *argv[] = {child, "open", path, NULL};

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("follow"), 0, "childbin on its own");
	cr_expect_eq(matched("notfollow"), 1);
	{
		char *argv[] = {parent, "spawn", "exec", child, "open", path, NULL};

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("follow"), 1, "childbin run by parentbin's child");
	cr_expect_eq(matched("notfollow"), 1);
	cr_expect_eq(matched("nofollow"), 0);
	expect_exit(gate_and_wait(pid, gate), 0);
	cr_expect_eq(matched("follow"), 2, "a child of a parentbin that predates the policy");
	cr_expect_eq(matched("notfollow"), 1);
	free(parent);
	free(child);
	free(path);
}

Test(selector_ops, parent_binaries)
{
	char *parent, *other, *path, *sel;

	agent_start(&agent, NULL);
	parent = testprog_copy("parentbin");
	other = testprog_copy("otherbin");
	path = tpath("parented");
	sel = xasprintf("    - matchParentBinaries:\n      - operator: In\n        values: [\"%s\"]\n"
			"      matchArgs:\n      - index: 6\n        operator: Equal\n        values: [\"%s\"]\n",
			parent, path);
	apply_text("pin", policy("pin", openat_hook, sel), NULL);
	free(sel);
	sel = xasprintf("    - matchParentBinaries:\n      - operator: Postfix\n        values: [\"/otherbin\"]\n"
			"      matchArgs:\n      - index: 6\n        operator: Equal\n        values: [\"%s\"]\n",
			path);
	apply_text("ppostfix", policy("ppostfix", openat_hook, sel), NULL);
	free(sel);

	{
		char *argv[] = {parent, "open", path, NULL}; /* its parent is this test */

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("pin"), 0);
	{
		char *argv[] = {parent, "spawn", "open", path, NULL};

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("pin"), 1, "a child of parentbin");
	cr_expect_eq(matched("ppostfix"), 0);
	{
		char *argv[] = {other, "spawn", "open", path, NULL};

		expect_exit(run_wait(argv), 0);
	}
	cr_expect_eq(matched("pin"), 1);
	cr_expect_eq(matched("ppostfix"), 1, "a child of otherbin");
	free(parent);
	free(other);
	free(path);
}

static uint64_t posted(const char *name)
{
	rtenf_PolicyCounters c;

	policy_counters(&agent, name, &c);
	return c.posted;
}

/* rateLimit: repeats within the window are matched (counted) and not
 * posted; the scope says whose repeats; other arguments are other events. */
Test(selector_ops, rate_limit_posts_fewer_events_than_calls)
{
	static const char *const scopes[] = {"thread", "process", "global"};
	char *a, *b;

	agent_start(&agent, NULL);
	a = tpath("rate-a");
	b = tpath("rate-b");
	for (size_t i = 0; i < ARRAY_SIZE(scopes); i++) {
		char *filters = xasprintf("      matchActions:\n      - action: Post\n        rateLimit: 10m\n"
					  "        rateLimitScope: %s\n", scopes[i]);

		apply_text(scopes[i], own_open_policy(scopes[i], filters), NULL);
		free(filters);
	}
	testprog("open", a, "5");
	for (size_t i = 0; i < ARRAY_SIZE(scopes); i++) {
		cr_expect_eq(matched(scopes[i]), 5, "%s", scopes[i]);
		cr_expect_eq(posted(scopes[i]), 1, "%s: five opens of one path, one event", scopes[i]);
	}
	testprog("open", b, "3"); /* another argument: another event */
	for (size_t i = 0; i < ARRAY_SIZE(scopes); i++)
		cr_expect_eq(posted(scopes[i]), 2, "%s", scopes[i]);
	testprog("open", a, "2"); /* another process */
	cr_expect_eq(posted("thread"), 3);
	cr_expect_eq(posted("process"), 3);
	cr_expect_eq(posted("global"), 2, "global: anyone's repeat is held back");
	cr_expect_eq(matched("global"), 10);
	free(a);
	free(b);
}
