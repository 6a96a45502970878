// SPDX-License-Identifier: GPL-2.0-only
/*
 * Enforcement outlives the agent.  Each test has its own --bpf-dir; the
 * kernel's side is checked from outside the agent: the BPF links whose
 * programs write this agent's ring buffer (an id no other agent shares),
 * the pins in bpffs and the wait status of real offending processes.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <pb_decode.h>

#include "bpf_inspect.h"
#include "harness.h"
#include "pin_store.h"
#include "util.h"

#define NEWUTS "0x04000000"
#define NEWIPC "0x08000000"
#define NEWUTS_IPC "0x0c000000"
#define MAX_LINKS 64

static struct test_agent agent;
static char foreign_inside[160], foreign_beside[160]; /* pins a test made itself */
static char kill_unshare_file[96];
static char families_dir[64]; /* every_hook_family's files */

static void stop(void)
{
	agent_stop(&agent);
	if (kill_unshare_file[0])
		unlink(kill_unshare_file);
	kill_unshare_file[0] = '\0';
	if (families_dir[0]) {
		char *cmd = xasprintf("rm -rf %s", families_dir);

		if (system(cmd))
			cr_log_info("could not remove %s", families_dir);
		free(cmd);
	}
	families_dir[0] = '\0';
	/* whatever an assertion cut short: leave the bpffs as it was */
	if (foreign_inside[0]) {
		unlink(foreign_inside);
		rmdir(agent.bpf_dir);
	}
	if (foreign_beside[0])
		unlink(foreign_beside);
	foreign_inside[0] = foreign_beside[0] = '\0';
}

TestSuite(pinning, .fini = stop, .timeout = 180);

/* policies/kill-unshare.yaml limited to this build's rtenf-testprog: the
 * shipped policy acts on the whole machine, and suites of other builds
 * running at the same time must neither be killed by it nor add to its
 * counters. */
static const char *kill_unshare(void)
{
	static const char sel[] = "    selectors:\n    - matchNamespaces:\n      - namespace: Pid\n"
				  "        operator: NotIn\n        values: [host_ns]\n      matchBinaries:\n"
				  "      - operator: In\n        values: [\"%s\"]\n      matchActions:\n"
				  "      - action: Sigkill\n";
	char *yaml, *fmt;
	FILE *f;

	if (kill_unshare_file[0])
		return kill_unshare_file;
	snprintf(kill_unshare_file, sizeof(kill_unshare_file), "/tmp/rtenf-pinning-%d-kill-unshare.yaml",
		 (int)getpid());
	fmt = xasprintf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: kill-unshare\nspec:\n"
			"  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_unshare\n    args:\n"
			"    - index: 5\n      type: uint64\n      label: flags\n%s"
			"  - subsystem: syscalls\n    event: sys_enter_setns\n    args:\n"
			"    - index: 5\n      type: int\n      label: fd\n%s",
			sel, sel);
	yaml = xasprintf(fmt, testprog_bin(), testprog_bin());
	f = fopen(kill_unshare_file, "w");
	cr_assert_not_null(f, "cannot write %s", kill_unshare_file);
	fputs(yaml, f);
	fclose(f);
	free(fmt);
	free(yaml);
	return kill_unshare_file;
}

/* unshare(flags) as pid 1 of a new PID namespace: kill-unshare kills it. */
static int offend(const char *flags)
{
	char *argv[] = {(char *)testprog_bin(), "pidns", "unshare", (char *)flags, NULL};

	return run_wait(argv);
}

static char *pin(const char *rel)
{
	return xasprintf("%s/%s", agent.bpf_dir, rel);
}

/* Links of this agent: their programs write its ring buffer. */
static size_t our_links(uint32_t events_id, uint32_t *ids)
{
	return links_using_map(events_id, ids, MAX_LINKS);
}

/* Links of the base sensor (exec, fork, exit, cgroup mkdir and rmdir...):
 * as many as it pinned. */
static size_t base_links(void)
{
	char *p = pin("base");
	long n = tree_entries(p);

	free(p);
	cr_assert_geq(n, 3, "base links pinned: %ld", n);
	return (size_t)n;
}

static uint32_t events_map_id(void)
{
	char *p = pin("maps/events");
	uint32_t id = pinned_map_id(p);

	free(p);
	return id;
}

/* The flags argument of the next kill-unshare event, or 0 on timeout. */
static uint64_t next_unshare_flags(struct event_stream *s, int timeout_ms, bool *enforced)
{
	rtenf_Event ev;
	uint64_t flags;

	for (;;) {
		if (stream_next_hook(s, 0, &ev, timeout_ms))
			return 0;
		if (!strcmp(ev.event.process_tracepoint.event, "sys_enter_unshare"))
			break;
		pb_release(rtenf_Event_fields, &ev);
	}
	cr_assert_eq(ev.event.process_tracepoint.args_count, 1);
	flags = ev.event.process_tracepoint.args[0].arg.size_arg;
	if (enforced)
		*enforced = ev.event.process_tracepoint.enforced;
	pb_release(rtenf_Event_fields, &ev);
	return flags;
}

/* Fields of one policy from `rtenf list -o json` (keys in proto order). */
static void policy_info(const char *name, uint32_t *id, rtenf_PolicyMode *mode, size_t *hooks, uint64_t *memory)
{
	char *out = NULL, *needle = xasprintf("{\"name\":\"%s\"", name), *p, *counters;
	unsigned long long mem;

	cr_assert_eq(cli(&agent, &out, NULL, "list", "-o", "json", NULL), 0);
	p = strstr(out, needle);
	cr_assert_not_null(p, "policy %s not listed: %s", name, out);
	counters = strstr(p, "\"counters\":");
	cr_assert_not_null(counters);
	if (id)
		cr_assert_eq(sscanf(strstr(p, "\"id\":"), "\"id\":%u", id), 1);
	if (mode)
		*mode = !strncmp(strstr(p, "\"mode\":"), "\"mode\":\"enforce\"", 16)
			    ? rtenf_PolicyMode_POLICY_MODE_ENFORCE
			    : rtenf_PolicyMode_POLICY_MODE_AUDIT;
	if (hooks) {
		*hooks = 0;
		for (char *h = strstr(p, "\"kind\":"); h && h < counters; h = strstr(h + 1, "\"kind\":"))
			(*hooks)++;
	}
	if (memory) {
		cr_assert_eq(sscanf(strstr(p, "\"kernel_memory\":"), "\"kernel_memory\":%llu", &mem), 1);
		*memory = mem;
	}
	free(needle);
	free(out);
}

Test(pinning, kill9_keeps_enforcing_and_a_restart_adopts_everything)
{
	uint32_t events_id, before[MAX_LINKS], after[MAX_LINKS], id_before, id_after;
	size_t n_before, n_after, hooks;
	rtenf_PolicyMode mode;
	rtenf_PolicyCounters c;
	struct event_stream s;
	bool enforced;

	agent_start(&agent, "--policy", kill_unshare(), NULL);
	stream_open(&s, &agent, "kill-unshare");
	assert_killed_by(offend(NEWUTS), SIGKILL);
	cr_assert_eq(next_unshare_flags(&s, 5000, NULL), 0x04000000);
	stream_close(&s);
	policy_info("kill-unshare", &id_before, NULL, NULL, NULL);
	events_id = events_map_id();
	n_before = our_links(events_id, before);
	/* the base sensor's and the two hooks' */
	cr_assert_eq(n_before, base_links() + 2, "%zu links use the agent's ring buffer", n_before);

	agent_kill(&agent);
	/* no agent: the pinned programs still kill, count and record */
	assert_killed_by(offend(NEWIPC), SIGKILL);
	cr_assert_eq(our_links(events_id, after), n_before);

	/* the same start-up policy again: adopted, not attached a second time */
	agent_restart(&agent, "--policy", kill_unshare(), NULL);
	n_after = our_links(events_id, after);
	cr_assert_eq(n_after, n_before, "%zu links after the restart, %zu before", n_after, n_before);
	cr_assert_arr_eq(after, before, n_before * sizeof(*before), "the links are not the ones pinned");
	policy_info("kill-unshare", &id_after, &mode, &hooks, NULL);
	cr_expect_eq(id_after, id_before);
	cr_expect_eq(mode, rtenf_PolicyMode_POLICY_MODE_ENFORCE);
	cr_expect_eq(hooks, 2);
	cr_expect_eq(policy_count(&agent), 1);
	policy_counters(&agent, "kill-unshare", &c);
	cr_expect_eq(c.matched, 2, "counters continue: matched %llu", (unsigned long long)c.matched);
	cr_expect_eq(c.actions_applied, 2);
	cr_expect_eq(c.posted, 2);

	/* the event of the kill while no agent ran comes first, once; the one
	 * delivered before the crash does not come again */
	stream_open(&s, &agent, "kill-unshare");
	cr_assert_eq(next_unshare_flags(&s, 5000, &enforced), 0x08000000, "the event made while down is missing");
	cr_expect(enforced);
	assert_killed_by(offend(NEWUTS_IPC), SIGKILL);
	cr_assert_eq(next_unshare_flags(&s, 5000, NULL), 0x0c000000);
	cr_expect_eq(next_unshare_flags(&s, 1000, NULL), 0, "an event came twice");
	stream_close(&s);
	policy_counters(&agent, "kill-unshare", &c);
	cr_expect_eq(c.matched, 3);

	agent_stop(&agent); /* SIGTERM: unloads, unpins (the harness checks bpffs) */
	cr_expect_eq(our_links(events_id, after), 0, "links left after SIGTERM");
	assert_exited(offend(NEWUTS), 0);
}

Test(pinning, keep_on_exit_leaves_policies_enforcing_for_the_next_agent)
{
	uint32_t events_id, ids[MAX_LINKS];
	size_t base;
	int status;

	agent_start(&agent, "--policy", kill_unshare(), "--keep-on-exit", NULL);
	events_id = events_map_id();
	base = base_links();
	kill(agent.pid, SIGTERM);
	waitpid(agent.pid, &status, 0);
	agent.pid = 0;
	assert_exited(status, 0);
	assert_killed_by(offend(NEWUTS), SIGKILL);
	cr_assert_eq(our_links(events_id, ids), base + 2);

	agent_restart(&agent, NULL); /* no --policy: adopts what is pinned */
	cr_expect_eq(policy_count(&agent), 1);
	cr_expect_eq(our_links(events_id, ids), base + 2);
	agent_stop(&agent);
	cr_expect_eq(our_links(events_id, ids), 0);
}

Test(pinning, mode_switch_survives_a_crash)
{
	rtenf_PolicyMode mode;

	agent_start(&agent, "--policy", kill_unshare(), NULL);
	cr_assert_eq(cli(&agent, NULL, NULL, "mode", "kill-unshare", "audit", NULL), 0);
	agent_kill(&agent);
	assert_exited(offend(NEWUTS), 0); /* audit: recorded, not killed */
	agent_restart(&agent, NULL);
	policy_info("kill-unshare", NULL, &mode, NULL, NULL);
	cr_expect_eq(mode, rtenf_PolicyMode_POLICY_MODE_AUDIT);
}

Test(pinning, delete_removes_the_policy_pins_and_nothing_else)
{
	static const char other[] = "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: other\n"
				    "spec:\n  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_getppid\n";
	uint32_t events_id, ids[MAX_LINKS], kill_id, other_id;
	char *dir_kill, *dir_other, *rel;
	size_t base;

	agent_start(&agent, "--policy", kill_unshare(), NULL);
	apply_ok(&agent, "other", other, NULL);
	policy_info("kill-unshare", &kill_id, NULL, NULL, NULL);
	policy_info("other", &other_id, NULL, NULL, NULL);
	rel = xasprintf("policies/%u", kill_id);
	dir_kill = pin(rel);
	free(rel);
	rel = xasprintf("policies/%u", other_id);
	dir_other = pin(rel);
	free(rel);
	events_id = events_map_id();
	base = base_links();
	cr_assert_eq(our_links(events_id, ids), base + 3);
	cr_assert_gt(tree_entries(dir_kill), 0);

	cr_assert_eq(cli(&agent, NULL, NULL, "delete", "kill-unshare", NULL), 0);
	cr_expect_eq(tree_entries(dir_kill), -1, "%s is still there", dir_kill);
	cr_expect_gt(tree_entries(dir_other), 0, "the other policy's pins went too");
	cr_expect_eq(our_links(events_id, ids), base + 1);
	assert_exited(offend(NEWUTS), 0);

	/* and a restart does not bring it back */
	agent_kill(&agent);
	agent_restart(&agent, NULL);
	cr_expect_eq(policy_count(&agent), 1);
	assert_exited(offend(NEWUTS), 0);
	/* an adopted policy is deleted the same way */
	cr_assert_eq(cli(&agent, NULL, NULL, "delete", "other", NULL), 0);
	cr_expect_eq(tree_entries(dir_other), -1, "%s is still there", dir_other);
	cr_expect_eq(our_links(events_id, ids), base, "only the base sensor's links stay");
	free(dir_kill);
	free(dir_other);
}

Test(pinning, cleanup_removes_what_rtenf_pinned_and_nothing_else)
{
	uint32_t events_id, ids[MAX_LINKS];
	char *err = NULL;
	int fd, status;

	agent_start(&agent, "--policy", kill_unshare(), "--keep-on-exit", NULL);
	snprintf(foreign_inside, sizeof(foreign_inside), "%s/foreign", agent.bpf_dir);
	snprintf(foreign_beside, sizeof(foreign_beside), "%s-foreign", agent.bpf_dir);
	agent.pins_may_stay = true;
	events_id = events_map_id();
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "not_rtenf", 4, 4, 1, NULL);
	cr_assert_geq(fd, 0);
	cr_assert_eq(bpf_obj_pin(fd, foreign_inside), 0);
	cr_assert_eq(bpf_obj_pin(fd, foreign_beside), 0);
	close(fd);

	/* never from under a running agent */
	cr_expect_eq(agent_cleanup_pins(&agent, &err), 1);
	cr_expect(strstr(err, "an rtenf agent is running") != NULL, "%s", err);
	free(err);
	cr_expect_eq(our_links(events_id, ids), base_links() + 2);

	kill(agent.pid, SIGTERM);
	waitpid(agent.pid, &status, 0);
	agent.pid = 0;
	assert_killed_by(offend(NEWUTS), SIGKILL);
	cr_expect_eq(agent_cleanup_pins(&agent, &err), 0, "%s", err);
	cr_expect(strstr(err, "kill-unshare") != NULL, "%s", err);
	free(err);
	cr_expect_eq(our_links(events_id, ids), 0, "links left after --cleanup");
	assert_exited(offend(NEWUTS), 0);
	/* only the foreign pins are left */
	cr_expect_eq(tree_entries(agent.bpf_dir), 1);
	cr_expect_eq(access(foreign_inside, F_OK), 0);
	cr_expect_eq(access(foreign_beside, F_OK), 0);
	stop();
	/* nothing to do is fine */
	cr_expect_eq(agent_cleanup_pins(&agent, NULL), 0);
}

/* Pins of another build: refused with the reason; they keep enforcing. */
Test(pinning, another_build_is_refused_and_its_pins_keep_enforcing)
{
	struct pin_meta m;
	char *meta = NULL, *log;
	__u32 key = 0;
	uint64_t real;
	int fd, status;

	agent_start(&agent, "--policy", kill_unshare(), NULL);
	meta = pin("meta");
	agent_kill(&agent);
	fd = bpf_obj_get(meta);
	cr_assert_geq(fd, 0);
	cr_assert_eq(bpf_map_lookup_elem(fd, &key, &m), 0);
	real = m.bpf_build;
	m.bpf_build ^= 1;
	cr_assert_eq(bpf_map_update_elem(fd, &key, &m, BPF_ANY), 0);

	status = cli(NULL, NULL, &log, "agent", "--socket", agent.sock, "--bpf-dir", agent.bpf_dir, NULL);
	cr_expect_eq(status, 1);
	cr_expect(strstr(log, "another build of rtenf") && strstr(log, "--cleanup"), "%s", log);
	free(log);
	assert_killed_by(offend(NEWUTS), SIGKILL);

	/* the same for a ring buffer size the pins do not have */
	m.bpf_build = real;
	cr_assert_eq(bpf_map_update_elem(fd, &key, &m, BPF_ANY), 0);
	close(fd);
	status = cli(NULL, NULL, &log, "agent", "--socket", agent.sock, "--bpf-dir", agent.bpf_dir, "--ringbuf-size",
		     "16M", NULL);
	cr_expect_eq(status, 1);
	cr_expect(strstr(log, "--ringbuf-size asks for") != NULL, "%s", log);
	free(log);
	assert_killed_by(offend(NEWUTS), SIGKILL);

	agent_restart(&agent, NULL);
	cr_expect_eq(policy_count(&agent), 1);
	free(meta);
}

/* /sys/fs/bpf is world-writable on many systems: a directory another user
 * made there, or one others may write, could have rtenf's pins removed. */
Test(pinning, a_directory_others_can_write_is_refused)
{
	char dir[] = "/sys/fs/bpf/rtenf-test-openXXXXXX", *err = NULL;
	int rc;

	require_root();
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chmod(dir, 0777), 0);
	rc = cli(NULL, NULL, &err, "agent", "--socket", "/tmp/rtenf-test-open.sock", "--bpf-dir", dir, NULL);
	cr_expect_eq(rc, 1);
	cr_expect(strstr(err, "writable only by it") != NULL, "%s", err);
	free(err);
	cr_expect_eq(tree_entries(dir), 0, "something was pinned in %s", dir);
	rmdir(dir);
}

/* A policy whose slot says "disabled" never finished its apply (or its
 * delete): the next agent removes it instead of adopting it. */
Test(pinning, unfinished_transaction_is_removed_not_adopted)
{
	struct rtenf_policy_state off = {.mode = RTENF_MODE_DISABLED};
	char *state = NULL, *dir = NULL, *rel;
	uint32_t id, slot = 0, events_id, ids[MAX_LINKS];
	int fd;

	agent_start(&agent, "--policy", kill_unshare(), NULL);
	policy_info("kill-unshare", &id, NULL, NULL, NULL);
	rel = xasprintf("policies/%u", id);
	dir = pin(rel);
	free(rel);
	state = pin("maps/policy_state");
	events_id = events_map_id();
	agent_kill(&agent);
	fd = bpf_obj_get(state);
	cr_assert_geq(fd, 0);
	off.policy_id = id;
	cr_assert_eq(bpf_map_update_elem(fd, &slot, &off, BPF_ANY), 0);
	close(fd);

	agent_restart(&agent, NULL);
	cr_expect_eq(policy_count(&agent), 0);
	cr_expect_eq(tree_entries(dir), -1);
	cr_expect_eq(our_links(events_id, ids), base_links(), "only the base sensor's links stay");
	free(state);
	free(dir);
}

/* Override of connect by cgroup programs on the cgroup v2 root (or by
 * whatever this kernel has): pinned and adopted like any other hook. */
Test(pinning, connect_override_outlives_the_agent)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	char port[16], *yaml, *mech = NULL, *enf = NULL;
	char *argv[] = {(char *)testprog_bin(), "connect", "127.0.0.1", port, NULL};
	rtenf_PolicyCounters c;
	int l;

	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert_geq(l, 0);
	cr_assert_eq(bind(l, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(listen(l, 8), 0);
	cr_assert_eq(getsockname(l, (struct sockaddr *)&sa, &len), 0);
	snprintf(port, sizeof(port), "%u", ntohs(sa.sin_port));
	yaml = xasprintf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: block-port\nspec:\n"
			 "  kprobes:\n  - call: \"sys_connect\"\n    syscall: true\n    args:\n    - index: 1\n"
			 "      type: sockaddr\n    selectors:\n    - matchArgs:\n      - index: 1\n"
			 "        operator: DPort\n        values: [\"%s\"]\n      matchActions:\n"
			 "      - action: Override\n        argError: -1\n",
			 port);
	agent_start(&agent, NULL);
	apply_ok(&agent, "block-port", yaml, "enforce");
	policy_hook_info(&agent, "block-port", 0, &mech, &enf);
	cr_log_info("connect is overridden by: %s (%s)", mech, enf);
	assert_exited(run_wait(argv), EPERM);

	agent_kill(&agent);
	assert_exited(run_wait(argv), EPERM); /* without the agent */
	agent_restart(&agent, NULL);
	policy_counters(&agent, "block-port", &c);
	cr_expect_eq(c.actions_applied, 2);
	agent_stop(&agent);
	assert_exited(run_wait(argv), 0); /* SIGTERM unloaded it */
	close(l);
	free(yaml);
	free(mech);
	free(enf);
}

/* A process that exec'd under the old agent and acts under the new one has
 * the same exec_id in its events as in its exec event: the new agent knows
 * it by the kernel's exec id, not by its /proc start time. */
Test(pinning, process_started_before_the_restart_is_named)
{
	char *path, *yaml, *exec_id;
	char *argv[5];
	struct event_stream s;
	rtenf_Event ev;
	pid_t pid;
	int gate;

	agent_start(&agent, NULL);
	path = xasprintf("%s/watched", agent.dir);
	yaml = xasprintf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: watch\nspec:\n"
			 "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n"
			 "    args:\n    - index: 6\n      type: string\n    selectors:\n"
			 "    - matchArgs:\n      - index: 0\n        operator: Equal\n        values: [\"%s\"]\n",
			 path);
	apply_ok(&agent, "watch", yaml, NULL);
	argv[0] = (char *)testprog_bin(), argv[1] = "gate", argv[2] = "open", argv[3] = path, argv[4] = NULL;
	stream_open(&s, &agent, NULL);
	pid = run_gated(argv, &gate);
	for (;;) {
		cr_assert_eq(stream_next_of(&s, rtenf_Event_process_exec_tag, 0, &ev, 5000), 0, "no exec event");
		if (ev.event.process_exec.process && ev.event.process_exec.process->pid == (uint32_t)pid)
			break;
		pb_release(rtenf_Event_fields, &ev);
	}
	exec_id = xstrdup(ev.event.process_exec.process->exec_id);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	agent_kill(&agent);
	agent_restart(&agent, NULL);
	stream_open(&s, &agent, "watch");
	assert_exited(gate_and_wait(pid, gate), 0);
	cr_assert_eq(stream_next_hook(&s, (uint32_t)pid, &ev, 5000), 0, "no event from pid %d", (int)pid);
	cr_assert_not_null(ev.event.process_tracepoint.process);
	cr_expect(ev.event.process_tracepoint.process->binary &&
		      strstr(ev.event.process_tracepoint.process->binary, "rtenf-testprog"),
		  "binary \"%s\"",
		  ev.event.process_tracepoint.process->binary ? ev.event.process_tracepoint.process->binary : "");
	cr_expect_str_eq(ev.event.process_tracepoint.process->exec_id, exec_id);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(exec_id);
	free(path);
	free(yaml);
}

/* ---- every hook family -------------------------------------------------- */

#define HEAD "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: %s\nspec:\n"

/* One policy per hook family this kernel can attach, each stopping its own
 * offender: killed (SIGKILL) or failed with EPERM (Override). */
struct family {
	const char *name;
	char *yaml;
	char *argv[5];
	int sig;    /* expected death, or 0 */
	int errno_; /* expected exit code when sig is 0 */
};

static void family_add(struct family *f, size_t *n, const char *name, char *yaml, const char *cmd, const char *arg1,
		       const char *arg2, int sig, int err)
{
	struct family *x = &f[(*n)++];

	x->name = name;
	x->yaml = yaml;
	x->argv[0] = (char *)testprog_bin();
	x->argv[1] = (char *)cmd;
	x->argv[2] = (char *)arg1;
	x->argv[3] = (char *)arg2;
	x->argv[4] = NULL;
	x->sig = sig;
	x->errno_ = err;
}

static void family_offends(const struct family *f, bool stopped)
{
	int status = run_wait(f->argv);

	if (stopped && f->sig)
		cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == f->sig, "%s: expected signal %d, wait status 0x%x",
			  f->name, f->sig, status);
	else
		cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == (stopped ? f->errno_ : 0),
			  "%s: expected exit %d, wait status 0x%x", f->name, stopped ? f->errno_ : 0, status);
}

static void touch(const char *path)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp, "cannot create %s", path);
	fclose(fp);
}

/* Tracepoints, raw tracepoints, kprobes on syscalls and on kernel functions,
 * LSM hooks and uprobes, whichever mechanism this kernel gives each (the
 * cgroup socket programs of connect: connect_override_outlives_the_agent):
 * all keep acting without the agent, and a restart adopts the very links. */
Test(pinning, every_hook_family_outlives_the_agent)
{
	struct family f[8];
	size_t n = 0, n_before, n_after;
	uint32_t events_id, before[MAX_LINKS], after[MAX_LINKS];
	char nr[16], *dir = families_dir, *k_sys, *k_fn, *lsm;
	rtenf_PolicyCounters c;

	/* not the agent's directory: the files must outlive it */
	snprintf(families_dir, sizeof(families_dir), "/tmp/rtenf-families-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	k_sys = xasprintf("%s/k-syscall", dir);
	k_fn = xasprintf("%s/k-function", dir);
	lsm = xasprintf("%s/lsm", dir);
	touch(k_sys), touch(k_fn), touch(lsm);
	snprintf(nr, sizeof(nr), "%d", SYS_getppid);
	agent_start(&agent, NULL);

	family_add(f, &n, "tracepoint",
		   xasprintf(HEAD "  tracepoints:\n  - subsystem: syscalls\n"
				  "    event: sys_enter_unshare\n    selectors:\n"
				  "    - matchNamespaces:\n      - namespace: Pid\n"
				  "        operator: NotIn\n        values: [host_ns]\n"
				  "      matchBinaries:\n      - operator: In\n        values: [\"%s\"]\n"
				  "      matchActions:\n      - action: Sigkill\n",
			     "tracepoint", testprog_bin()),
		   "pidns", "unshare", NEWUTS, SIGKILL, 0);
	/* on a syscall: kprobe.multi, kprobe, fentry or its tracepoints; the
	 * string filter adds the exit program of late decisions */
	family_add(f, &n, "kprobe-syscall",
		   xasprintf(HEAD "  kprobes:\n  - call: \"sys_openat\"\n    syscall: true\n"
				  "    args:\n    - index: 1\n      type: string\n"
				  "    selectors:\n    - matchArgs:\n      - index: 1\n"
				  "        operator: Equal\n        values: [\"%s\"]\n"
				  "      matchActions:\n      - action: Sigkill\n",
			     "kprobe-syscall", k_sys),
		   "openat", k_sys, NULL, SIGKILL, 0);
	if (kernel_has("prog_raw_tp"))
		family_add(f, &n, "raw-tracepoint",
			   xasprintf(HEAD
				     "  tracepoints:\n  - subsystem: raw_syscalls\n    event: sys_enter\n"
				     "    raw: true\n    args:\n    - index: 1\n      type: int64\n"
				     "    selectors:\n    - matchArgs:\n      - index: 1\n        operator: Equal\n"
				     "        values: [\"%s\"]\n      matchBinaries:\n      - operator: In\n"
				     "        values: [\"%s\"]\n      matchActions:\n      - action: Sigkill\n",
				     "raw-tracepoint", nr, testprog_bin()),
			   "getppid", "1", NULL, SIGKILL, 0);
	if (kernel_has("kprobe_multi") || kernel_has("kprobe") || kernel_has("fentry"))
		family_add(f, &n, "kprobe-function",
			   xasprintf(HEAD "  kprobes:\n  - call: \"security_file_open\"\n    syscall: false\n"
					  "    args:\n    - index: 0\n      type: file\n    selectors:\n"
					  "    - matchArgs:\n      - index: 0\n        operator: Equal\n"
					  "        values: [\"%s\"]\n      matchActions:\n      - action: Sigkill\n",
				     "kprobe-function", k_fn),
			   "openat", k_fn, NULL, SIGKILL, 0);
	if (kernel_has("lsm") || kernel_has("fmod_ret"))
		family_add(f, &n, "lsm",
			   xasprintf(HEAD "  lsmhooks:\n  - hook: \"file_open\"\n    args:\n    - index: 0\n"
					  "      type: file\n    selectors:\n    - matchArgs:\n      - index: 0\n"
					  "        operator: Equal\n        values: [\"%s\"]\n      matchActions:\n"
					  "      - action: Override\n        argError: -1\n",
				     "lsm", lsm),
			   "openat", lsm, NULL, 0, EPERM);
	if (kernel_has("uprobe"))
		family_add(f, &n, "uprobe",
			   xasprintf(HEAD "  uprobes:\n  - path: \"%s\"\n    symbols: [rtenf_testprog_probe_target]\n"
					  "    args:\n    - index: 1\n      type: string\n    selectors:\n"
					  "    - matchArgs:\n      - index: 1\n        operator: Prefix\n"
					  "        values: [\"boom\"]\n      matchActions:\n      - action: Sigkill\n",
				     "uprobe", testprog_bin()),
			   "call", "1", "boom", SIGKILL, 0);

	for (size_t i = 0; i < n; i++) {
		char *mech = NULL, *enf = NULL;

		apply_ok(&agent, f[i].name, f[i].yaml, "enforce");
		policy_hook_info(&agent, f[i].name, 0, &mech, &enf);
		cr_log_info("%s: %s (%s)", f[i].name, mech, enf);
		free(mech), free(enf);
		family_offends(&f[i], true);
	}
	events_id = events_map_id();
	n_before = our_links(events_id, before);
	cr_assert_geq(n_before, base_links() + n, "%zu links for %zu policies", n_before, n);

	agent_kill(&agent);
	for (size_t i = 0; i < n; i++)
		family_offends(&f[i], true); /* without the agent */
	cr_assert_eq(our_links(events_id, after), n_before);

	agent_restart(&agent, NULL);
	n_after = our_links(events_id, after);
	cr_assert_eq(n_after, n_before, "%zu links after the restart, %zu before", n_after, n_before);
	cr_assert_arr_eq(after, before, n_before * sizeof(*before), "the links are not the ones pinned");
	cr_expect_eq(policy_count(&agent), n);
	for (size_t i = 0; i < n; i++) {
		family_offends(&f[i], true);
		policy_counters(&agent, f[i].name, &c);
		cr_expect_eq(c.actions_applied, 3, "%s: %llu actions applied, 3 expected", f[i].name,
			     (unsigned long long)c.actions_applied);
	}

	agent_stop(&agent); /* SIGTERM: everything unloaded */
	cr_expect_eq(our_links(events_id, after), 0, "links left after SIGTERM");
	for (size_t i = 0; i < n; i++) {
		family_offends(&f[i], false);
		free(f[i].yaml);
	}
	free(k_sys), free(k_fn), free(lsm);
}

/* matchBinaries followChildren: each such filter owns one of 64 bits shared
 * by all policies.  An adopted hook keeps its bit: a policy applied after
 * the restart gets another, so the adopted one goes on following the
 * children of its own binary, not of the new policy's. */
Test(pinning, followchildren_bits_are_kept_across_a_restart)
{
	static const char fmt[] =
	    "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: %s\nspec:\n"
	    "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n"
	    "    args:\n    - index: 6\n      type: string\n    selectors:\n"
	    "    - matchBinaries:\n      - operator: In\n        followChildren: true\n"
	    "        values: [\"%s\"]\n      matchArgs:\n      - index: 6\n        operator: Equal\n"
	    "        values: [\"%s\"]\n      matchActions:\n      - action: Sigkill\n";
	char *bin_a, *bin_b, *child, *path_a, *path_b, *yaml, *cmd;

	agent_start(&agent, NULL);
	bin_a = xasprintf("%s/parent-a", agent.dir);
	bin_b = xasprintf("%s/parent-b", agent.dir);
	child = xasprintf("%s/child", agent.dir);
	path_a = xasprintf("%s/guarded-a", agent.dir);
	path_b = xasprintf("%s/guarded-b", agent.dir);
	cmd = xasprintf("cp %s %s && cp %s %s && cp %s %s && touch %s %s", testprog_bin(), bin_a, testprog_bin(), bin_b,
			testprog_bin(), child, path_a, path_b);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
	yaml = xasprintf(fmt, "follow-a", bin_a, path_a);
	apply_ok(&agent, "follow-a", yaml, "enforce");
	free(yaml);
	{
		char *argv[] = {bin_a, "spawn", "exec", child, "open", path_a, NULL};

		assert_exited(run_wait(argv), 128 + SIGKILL); /* spawn: its child was killed */
	}

	agent_kill(&agent);
	agent_restart(&agent, NULL);
	yaml = xasprintf(fmt, "follow-b", bin_b, path_b);
	apply_ok(&agent, "follow-b", yaml, "enforce");
	free(yaml);
	{
		char *a_child_a[] = {bin_a, "spawn", "exec", child, "open", path_a, NULL};
		char *b_child_a[] = {bin_b, "spawn", "exec", child, "open", path_a, NULL};
		char *b_child_b[] = {bin_b, "spawn", "exec", child, "open", path_b, NULL};
		char *a_child_b[] = {bin_a, "spawn", "exec", child, "open", path_b, NULL};

		assert_exited(run_wait(a_child_a), 128 + SIGKILL);
		assert_exited(run_wait(b_child_a), 0);
		assert_exited(run_wait(b_child_b), 128 + SIGKILL);
		assert_exited(run_wait(a_child_b), 0);
	}
	free(bin_a), free(bin_b), free(child), free(path_a), free(path_b);
}
