// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policies limited to some cgroups (spec.options cgroup-paths and
 * container-ids), enforced in the kernel.  Two "containers" as runtimes make
 * them (testprog container: own cgroup v2 directory named like docker's, new
 * mount, UTS and PID namespaces) open the same file; a Sigkill policy
 * scoped to one must kill there and leave the other, and the host, alone.
 * Cgroups made after the policy was applied are covered too: below a
 * listed path (by the kernel alone) and a container that starts later (by
 * the agent, from the kernel's cgroup_mkdir record).
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

#include "cgroup.h"
#include "harness.h"
#include "util.h"

#define ID_A "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"
#define ID_B "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"
#define ID_C "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"

static struct test_agent agent;
static char base_rel[128]; /* our directory below the cgroup v2 root */
static char *target;	   /* the file the policy guards */

static void cleanup(void)
{
	agent_stop(&agent);
	cgroup_remove_tree(base_rel);
	base_rel[0] = '\0';
	free(target);
	target = NULL;
}

TestSuite(cgroup_scope, .fini = cleanup, .timeout = 120);

static const char scoped_kill[] = "apiVersion: cilium.io/v1alpha1\n"
				  "kind: TracingPolicy\n"
				  "metadata:\n"
				  "  name: scoped\n"
				  "spec:\n"
				  "  options:\n"
				  "  - name: %s\n"
				  "    value: \"%s\"\n"
				  "  tracepoints:\n"
				  "  - subsystem: syscalls\n"
				  "    event: sys_enter_openat\n"
				  "    args:\n"
				  "    - index: 6\n"
				  "      type: string\n"
				  "    selectors:\n"
				  "    - matchArgs:\n"
				  "      - index: 0\n"
				  "        operator: Equal\n"
				  "        values: [\"%s\"]\n"
				  "      matchActions:\n"
				  "      - action: Sigkill\n";

/* Makes base_rel/sub below the cgroup v2 root; returns the full path. */
static char *cgroup_dir(const char *sub)
{
	char *rel = xasprintf("%s%s%s", base_rel, *sub ? "/" : "", sub), *path = cgroup_make(rel);

	free(rel);
	return path;
}

static void setup_base(void)
{
	require_root();
	cr_assert_not_null(cgroup2_root(), "no cgroup v2 hierarchy mounted");
	snprintf(base_rel, sizeof(base_rel), "/rtenf-scope-%d", (int)getpid());
	free(cgroup_dir(""));
	target = xasprintf("/tmp/rtenf-scope-%d-secret", (int)getpid());
}

/* A container in cgroup dir opens the target; returns its wait status. */
static int open_in_container(const char *dir)
{
	char *argv[] = {(char *)testprog_bin(), "container", (char *)dir, "open", target, NULL};

	return run_wait(argv);
}

static int open_on_host(void)
{
	char *argv[] = {(char *)testprog_bin(), "open", target, NULL};

	return run_wait(argv);
}

static void expect_killed(int status, const char *where)
{
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "%s: expected SIGKILL, wait status 0x%x", where,
		  status);
}

static void expect_untouched(int status, const char *where)
{
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: expected exit 0, wait status 0x%x", where,
		  status);
}

static void apply_scoped(const char *option, const char *value)
{
	char *yaml = xasprintf(scoped_kill, option, value, target);

	apply_ok(&agent, "scoped", yaml, "enforce");
	free(yaml);
}

Test(cgroup_scope, policy_on_one_cgroup_path_kills_only_there)
{
	char *a, *b, *a_rel, *later;
	struct event_stream s;
	rtenf_Event ev;

	setup_base();
	a = cgroup_dir("docker-" ID_A ".scope");
	b = cgroup_dir("docker-" ID_B ".scope");
	agent_start(&agent, NULL);
	a_rel = xasprintf("%s/docker-" ID_A ".scope", base_rel);
	apply_scoped("cgroup-paths", a_rel);
	stream_open(&s, &agent, "scoped");

	expect_untouched(open_in_container(b), "container B");
	expect_untouched(open_on_host(), "host");
	expect_killed(open_in_container(a), "container A");

	/* the one event: from A, as its pid 1, with A's id */
	cr_assert_eq(stream_next_hook(&s, 0, &ev, 5000), 0, "no event from container A");
	cr_expect(ev.event.process_tracepoint.enforced);
	cr_expect_eq(ev.event.process_tracepoint.process->ns_pid, 1);
	cr_expect_str_eq(ev.event.process_tracepoint.process->container_id, "9ec39b91f3d70e1beff50a308f77067");
	cr_expect_not(ev.event.process_tracepoint.process->ns.uts.is_host, "its own UTS namespace");
	pb_release(rtenf_Event_fields, &ev);

	/* a cgroup made below A after the policy was applied: the kernel
	 * matches it by ancestor, nothing to update */
	later = cgroup_dir("docker-" ID_A ".scope/made-later");
	expect_killed(open_in_container(later), "a cgroup made below A later");
	expect_untouched(open_in_container(b), "container B, again");

	stream_close(&s);
	free(a);
	free(b);
	free(a_rel);
	free(later);
}

Test(cgroup_scope, policy_on_container_ids_follows_containers_that_start_later)
{
	char *a, *b, *c, ids[64];
	rtenf_PolicyCounters pc;

	setup_base();
	a = cgroup_dir("docker-" ID_A ".scope");
	b = cgroup_dir("docker-" ID_B ".scope");
	agent_start(&agent, NULL);
	/* B by a short id (docker ps shows 12), C that does not exist yet */
	snprintf(ids, sizeof(ids), "%.12s, %.20s", ID_B, ID_C);
	apply_scoped("container-ids", ids);

	expect_untouched(open_in_container(a), "container A");
	expect_killed(open_in_container(b), "container B");
	/* C starts: its cgroup is made after the apply */
	c = cgroup_dir("docker-" ID_C ".scope");
	usleep(200000); /* the agent reads the cgroup_mkdir record */
	expect_killed(open_in_container(c), "container C, started after the apply");
	expect_untouched(open_on_host(), "host");
	policy_counters(&agent, "scoped", &pc);
	cr_expect_eq(pc.actions_applied, 2, "killed in B and C only");
	free(a);
	free(b);
	free(c);
}

Test(cgroup_scope, audit_mode_and_delete_leave_everything_running)
{
	char *a, *a_rel;
	rtenf_PolicyCounters pc;
	char *out = NULL, *err = NULL;

	setup_base();
	a = cgroup_dir("docker-" ID_A ".scope");
	agent_start(&agent, NULL);
	a_rel = xasprintf("%s/docker-" ID_A ".scope", base_rel);
	apply_scoped("cgroup-paths", a_rel);
	cr_assert_eq(cli(&agent, &out, &err, "mode", "scoped", "audit", NULL), 0, "%s", err);
	free(out);
	free(err);
	expect_untouched(open_in_container(a), "container A, audit");
	policy_counters(&agent, "scoped", &pc);
	cr_expect_eq(pc.actions_audited, 1);
	cr_assert_eq(cli(&agent, &out, &err, "delete", "scoped", NULL), 0, "%s", err);
	free(out);
	free(err);
	expect_untouched(open_in_container(a), "container A, deleted");
	free(a);
	free(a_rel);
}

Test(cgroup_scope, errors_name_the_option)
{
	char *yaml, *out = NULL, *err = NULL, *file;
	int rc;

	setup_base();
	agent_start(&agent, NULL);
	yaml = xasprintf(scoped_kill, "cgroup-paths", "/sys/fs/cgroup/unified/nowhere", target);
	file = policy_file(&agent, "bad", yaml);
	rc = cli(&agent, &out, &err, "apply", "-f", file, NULL);
	cr_expect_neq(rc, 0);
	cr_expect(err &&
		      strstr(err, "bad.yaml:8:13: no cgroup /sys/fs/cgroup/unified/nowhere below the cgroup v2 root"),
		  "%s", err ? err : "");
	cr_expect_eq(policy_count(&agent), 0);
	free(out);
	free(err);
	free(file);
	free(yaml);

	/* one id, 33 cgroups that name it: more roots than the kernel checks */
	for (int i = 0; i <= 32; i++) {
		char sub[128];

		snprintf(sub, sizeof(sub), "c%d", i);
		free(cgroup_dir(sub));
		snprintf(sub, sizeof(sub), "c%d/docker-" ID_A ".scope", i);
		free(cgroup_dir(sub));
	}
	usleep(200000); /* the agent reads the cgroup_mkdir records */
	yaml = xasprintf(scoped_kill, "container-ids", "9ec39b91f3d7", target);
	file = policy_file(&agent, "many", yaml);
	out = err = NULL;
	rc = cli(&agent, &out, &err, "apply", "-f", file, NULL);
	cr_expect_neq(rc, 0);
	cr_expect(err &&
		      strstr(err, "many.yaml:8:13: policy scoped: its cgroup-paths and container-ids name 33 cgroups; "
				  "at most 32"),
		  "%s", err ? err : "");
	cr_expect_eq(policy_count(&agent), 0);
	free(out);
	free(err);
	free(file);
	free(yaml);
}

/* The scope is pinned with the policy: it goes on applying while no agent
 * runs (after kill -9, or a stop with --keep-on-exit), and the next agent
 * resolves it again, so a container started in between is covered from the
 * restart on (not before: nobody read its cgroup_mkdir record). */
Test(cgroup_scope, pinned_scope_outlives_the_agent_and_covers_containers_started_meanwhile)
{
	char *a, *b, *c, ids[64], *out = NULL, *c_name;
	rtenf_PolicyCounters pc;
	int status;

	setup_base();
	a = cgroup_dir("docker-" ID_A ".scope");
	b = cgroup_dir("docker-" ID_B ".scope");
	agent_start(&agent, NULL);
	snprintf(ids, sizeof(ids), "%.12s, %.20s", ID_B, ID_C);
	apply_scoped("container-ids", ids);
	expect_killed(open_in_container(b), "container B");

	agent_kill(&agent);
	expect_killed(open_in_container(b), "container B, no agent");
	expect_untouched(open_in_container(a), "container A, no agent");
	c = cgroup_dir("docker-" ID_C ".scope");
	expect_untouched(open_in_container(c), "container C, started while no agent ran");

	agent_restart(&agent, "--keep-on-exit", NULL);
	cr_assert_eq(policy_count(&agent), 1);
	expect_killed(open_in_container(c), "container C, after the restart");
	expect_killed(open_in_container(b), "container B, after the restart");
	expect_untouched(open_in_container(a), "container A, after the restart");
	expect_untouched(open_on_host(), "host");
	policy_counters(&agent, "scoped", &pc);
	cr_expect_eq(pc.actions_applied, 4, "counters continue: %llu", (unsigned long long)pc.actions_applied);
	/* list names the cgroups the adopted scope holds now */
	cr_assert_eq(cli(&agent, &out, NULL, "list", "-o", "json", NULL), 0);
	c_name = strrchr(c, '/') + 1;
	cr_expect(strstr(out, c_name) != NULL, "%s not in the scope: %s", c_name, out);
	free(out);

	/* a clean stop that leaves the policies enforcing leaves their scopes */
	kill(agent.pid, SIGTERM);
	waitpid(agent.pid, &status, 0);
	agent.pid = 0;
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "agent wait status 0x%x", status);
	expect_killed(open_in_container(c), "container C, after a stop with --keep-on-exit");
	expect_untouched(open_in_container(a), "container A, after a stop with --keep-on-exit");

	agent_restart(&agent, NULL);
	cr_assert_eq(cli(&agent, NULL, NULL, "delete", "scoped", NULL), 0);
	expect_untouched(open_in_container(b), "container B, deleted");
	expect_untouched(open_in_container(c), "container C, deleted");
	free(a);
	free(b);
	free(c);
}
