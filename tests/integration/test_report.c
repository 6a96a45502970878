// SPDX-License-Identifier: GPL-2.0-only
/*
 * The audit-then-enforce workflow with real processes: `rtenf report`
 * counts exactly the processes that ran, per rule, binary and container,
 * in audit mode and after `rtenf mode NAME enforce`; and the switch is
 * live with no gap: a process that calls unshare(2) in a loop has an event
 * for every call it completed in audit mode and for the one that killed it.
 *
 * The policy is kill-unshare (policies/kill-unshare.yaml) limited
 * to this tree's testprog, so other tests' processes on the same machine
 * cannot change the counts.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "util.h"

#define CLONE_NEWUTS_HEX "0x04000000"
#define DOCKER_ID "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"
#define DOCKER_ID_SHORT "4f797c539e6c745de61a93ca3ff8923"
#define UNSHARE_HOOK "tracepoint syscalls/sys_enter_unshare"
#define SETNS_HOOK "tracepoint syscalls/sys_enter_setns"

static struct test_agent agent;
static char cg_rel[64];

static void stop(void)
{
	agent_stop(&agent);
	if (cg_rel[0])
		cgroup_remove_tree(cg_rel);
	cg_rel[0] = '\0';
}

TestSuite(report, .fini = stop, .timeout = 180);

static const char policy_fmt[] = "apiVersion: cilium.io/v1alpha1\n"
				 "kind: TracingPolicy\n"
				 "metadata:\n"
				 "  name: report-unshare\n"
				 "spec:\n"
				 "  tracepoints:\n"
				 "  - subsystem: syscalls\n"
				 "    event: sys_enter_unshare\n"
				 "    message: \"namespace change in a container\"\n"
				 "    args:\n"
				 "    - index: 5\n"
				 "      type: uint64\n"
				 "      label: flags\n"
				 "    selectors:\n"
				 "    - matchNamespaces:\n"
				 "      - namespace: Pid\n"
				 "        operator: NotIn\n"
				 "        values: [host_ns]\n"
				 "      matchBinaries:\n"
				 "      - operator: In\n"
				 "        values: [\"%s\"]\n"
				 "      matchActions:\n"
				 "      - action: Sigkill\n"
				 "  - subsystem: syscalls\n"
				 "    event: sys_enter_setns\n"
				 "    args:\n"
				 "    - index: 6\n"
				 "      type: int\n"
				 "      label: nstype\n"
				 "    selectors:\n"
				 "    - matchNamespaces:\n"
				 "      - namespace: Pid\n"
				 "        operator: NotIn\n"
				 "        values: [host_ns]\n"
				 "      matchBinaries:\n"
				 "      - operator: In\n"
				 "        values: [\"%s\"]\n"
				 "      matchActions:\n"
				 "      - action: Sigkill\n";

static char testprog_path[PATH_MAX];

static void apply_policy(void)
{
	char *yaml;

	cr_assert_not_null(realpath(testprog_bin(), testprog_path));
	yaml = xasprintf(policy_fmt, testprog_path, testprog_path);
	apply_ok(&agent, "report-unshare", yaml, "audit");
	free(yaml);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Waits until the report counts at least want events (they reach the
 * agent through the ring buffer, a little after the syscalls), then a
 * little longer so that too many would show too; resp holds the report. */
static void report_after(uint64_t want, rtenf_Response *resp)
{
	uint64_t deadline = now_ms() + 5000;

	for (;;) {
		policy_report(&agent, "report-unshare", resp);
		if (resp->report.events >= want || now_ms() > deadline)
			break;
		pb_release(rtenf_Response_fields, resp);
		usleep(50000);
	}
	pb_release(rtenf_Response_fields, resp);
	usleep(200000);
	policy_report(&agent, "report-unshare", resp);
}

static const rtenf_ReportRow *rule(const rtenf_PolicyReport *r, const char *hook)
{
	for (pb_size_t i = 0; i < r->rules_count; i++)
		if (r->rules[i].hook && !strcmp(r->rules[i].hook, hook))
			return &r->rules[i];
	return NULL;
}

static const rtenf_ReportRow *binary(const rtenf_PolicyReport *r, const char *path)
{
	for (pb_size_t i = 0; i < r->binaries_count; i++)
		if (r->binaries[i].binary && !strcmp(r->binaries[i].binary, path))
			return &r->binaries[i];
	return NULL;
}

static const rtenf_ReportRow *container(const rtenf_PolicyReport *r, const char *id)
{
	for (pb_size_t i = 0; i < r->containers_count; i++)
		if (r->containers[i].container && !strcmp(r->containers[i].container, id))
			return &r->containers[i];
	return NULL;
}

static void expect_row(const rtenf_ReportRow *row, const char *what, uint64_t enforced, uint64_t audited)
{
	cr_assert_not_null(row, "no row for %s", what);
	cr_expect_eq(row->events, enforced + audited, "%s: %llu events, want %llu", what,
		     (unsigned long long)row->events, (unsigned long long)(enforced + audited));
	cr_expect_eq(row->enforced, enforced, "%s: %llu enforced, want %llu", what, (unsigned long long)row->enforced,
		     (unsigned long long)enforced);
	cr_expect_eq(row->audited, audited, "%s: %llu audit-only, want %llu", what, (unsigned long long)row->audited,
		     (unsigned long long)audited);
	cr_expect_eq(row->action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL, "%s", what);
	cr_expect(row->first_seen > 0 && row->first_seen <= row->last_seen, "%s: first/last seen", what);
}

static int run(const char *a1, const char *a2, const char *a3, const char *a4)
{
	char *argv[] = {(char *)testprog_bin(), (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL};

	return run_wait(argv);
}

static void expect_exit0(int status, const char *what)
{
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: wait status 0x%x", what, status);
}

static void expect_killed(int status, const char *what)
{
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "%s: expected SIGKILL, wait status 0x%x", what,
		  status);
}

#define HOST_UNSHARES 4
#define HOST_SETNS 2
#define CONTAINER_UNSHARES 3

Test(report, audit_counts_every_process_then_enforce_counts_the_kills)
{
	char *dir, *rel, *out = NULL, *err = NULL;
	const rtenf_PolicyReport *r;
	rtenf_Response resp;

	require_root();
	snprintf(cg_rel, sizeof(cg_rel), "/rtenf-report-%d", (int)getpid());
	free(cgroup_make(cg_rel));
	rel = xasprintf("%s/docker-" DOCKER_ID ".scope", cg_rel);
	dir = cgroup_make(rel);
	free(rel);
	agent_start(&agent, NULL);
	apply_policy();

	/* audit: everything runs to the end, and is counted */
	for (int i = 0; i < HOST_UNSHARES; i++)
		expect_exit0(run("pidns", "unshare", CLONE_NEWUTS_HEX, NULL), "unshare in a new pid namespace");
	for (int i = 0; i < HOST_SETNS; i++)
		expect_exit0(run("pidns", "setns", "uts", NULL), "setns in a new pid namespace");
	for (int i = 0; i < CONTAINER_UNSHARES; i++)
		expect_exit0(run("container", dir, "unshare", CLONE_NEWUTS_HEX), "unshare in a container");
	expect_exit0(run("unshare", CLONE_NEWUTS_HEX, NULL, NULL), "unshare on the host (not matched)");

	report_after(HOST_UNSHARES + HOST_SETNS + CONTAINER_UNSHARES, &resp);
	r = &resp.report;
	cr_expect_str_eq(r->name, "report-unshare");
	cr_expect_eq(r->mode, rtenf_PolicyMode_POLICY_MODE_AUDIT);
	cr_expect_eq(r->events, HOST_UNSHARES + HOST_SETNS + CONTAINER_UNSHARES);
	cr_expect_eq(r->enforced, 0);
	expect_row(rule(r, UNSHARE_HOOK), UNSHARE_HOOK, 0, HOST_UNSHARES + CONTAINER_UNSHARES);
	expect_row(rule(r, SETNS_HOOK), SETNS_HOOK, 0, HOST_SETNS);
	cr_expect_str_eq(rule(r, UNSHARE_HOOK)->message, "namespace change in a container");
	expect_row(binary(r, testprog_path), testprog_path, 0, HOST_UNSHARES + HOST_SETNS + CONTAINER_UNSHARES);
	cr_expect_eq(r->binaries_count, 1);
	expect_row(container(r, "host"), "host", 0, HOST_UNSHARES + HOST_SETNS);
	expect_row(container(r, DOCKER_ID_SHORT), DOCKER_ID_SHORT, 0, CONTAINER_UNSHARES);
	cr_expect_eq(r->counters.actions_audited, r->audited, "the kernel agrees with the events read");
	pb_release(rtenf_Response_fields, &resp);

	/* the human table says the same */
	cr_assert_eq(cli(&agent, &out, &err, "report", "report-unshare", NULL), 0, "%s", err);
	cr_expect(strstr(out, "events 9: 0 enforced, 9 audit-only") != NULL, "%s", out);
	cr_expect(strstr(out, DOCKER_ID_SHORT "  SIGKILL       3         0           3") != NULL, "%s", out);
	free(out);
	free(err);

	/* enforce: the same processes die in the syscall, and the report says so */
	cr_assert_eq(cli(&agent, NULL, &err, "mode", "report-unshare", "enforce", NULL), 0, "%s", err);
	free(err);
	expect_killed(run("pidns", "unshare", CLONE_NEWUTS_HEX, NULL), "unshare in a new pid namespace");
	expect_killed(run("container", dir, "unshare", CLONE_NEWUTS_HEX), "unshare in a container");
	expect_killed(run("pidns", "setns", "uts", NULL), "setns in a new pid namespace");

	report_after(HOST_UNSHARES + HOST_SETNS + CONTAINER_UNSHARES + 3, &resp);
	r = &resp.report;
	cr_expect_eq(r->mode, rtenf_PolicyMode_POLICY_MODE_ENFORCE);
	cr_expect_eq(r->enforced, 3);
	cr_expect_eq(r->audited, HOST_UNSHARES + HOST_SETNS + CONTAINER_UNSHARES);
	expect_row(rule(r, UNSHARE_HOOK), UNSHARE_HOOK, 2, HOST_UNSHARES + CONTAINER_UNSHARES);
	expect_row(rule(r, SETNS_HOOK), SETNS_HOOK, 1, HOST_SETNS);
	expect_row(binary(r, testprog_path), testprog_path, 3, HOST_UNSHARES + HOST_SETNS + CONTAINER_UNSHARES);
	expect_row(container(r, "host"), "host", 2, HOST_UNSHARES + HOST_SETNS);
	expect_row(container(r, DOCKER_ID_SHORT), DOCKER_ID_SHORT, 1, CONTAINER_UNSHARES);
	cr_expect_eq(r->counters.actions_applied, 3);
	pb_release(rtenf_Response_fields, &resp);

	cr_assert_eq(cli(&agent, &out, &err, "report", "report-unshare", "-o", "json", NULL), 0, "%s", err);
	cr_expect(strstr(out, "\"mode\":\"enforce\"") && strstr(out, "\"events\":12,\"enforced\":3,\"audited\":9"),
		  "%s", out);
	free(out);
	free(err);
	free(dir);
}

Test(report, a_replaced_policy_starts_from_zero_and_unknown_names_fail)
{
	char *yaml, *path, *out = NULL, *err = NULL;
	rtenf_Response resp;

	agent_start(&agent, NULL);
	apply_policy();
	expect_exit0(run("pidns", "unshare", CLONE_NEWUTS_HEX, NULL), "unshare in a new pid namespace");
	report_after(1, &resp);
	cr_expect_eq(resp.report.events, 1);
	pb_release(rtenf_Response_fields, &resp);

	yaml = xasprintf(policy_fmt, testprog_path, testprog_path);
	path = policy_file(&agent, "again", yaml);
	cr_assert_eq(cli(&agent, NULL, &err, "apply", "-f", path, "--replace", "--mode", "audit", NULL), 0, "%s", err);
	free(err);
	policy_report(&agent, "report-unshare", &resp);
	cr_expect_eq(resp.report.events, 0, "a new version of the policy reports from when it was applied");
	cr_expect_eq(resp.report.rules_count, 0);
	pb_release(rtenf_Response_fields, &resp);

	cr_expect_eq(cli(&agent, &out, &err, "report", "no-such-policy", NULL), 1);
	cr_expect_str_eq(out, "");
	cr_expect(strstr(err, "no policy named no-such-policy") != NULL, "%s", err);
	free(out);
	free(err);
	free(path);
	free(yaml);
}

/* Three copies of testprog, a cap of two rows: the third binary's events
 * go to the "other" row, and every table still adds up. */
Test(report, binaries_past_the_row_cap_are_counted_in_other)
{
	static const char fmt[] = "apiVersion: cilium.io/v1alpha1\n"
				  "kind: TracingPolicy\n"
				  "metadata:\n"
				  "  name: report-unshare\n"
				  "spec:\n"
				  "  tracepoints:\n"
				  "  - subsystem: syscalls\n"
				  "    event: sys_enter_unshare\n"
				  "    selectors:\n"
				  "    - matchNamespaces:\n"
				  "      - namespace: Pid\n"
				  "        operator: NotIn\n"
				  "        values: [host_ns]\n"
				  "      matchBinaries:\n"
				  "      - operator: In\n"
				  "        values: [\"%s/a\", \"%s/b\", \"%s/c\"]\n"
				  "      matchActions:\n"
				  "      - action: Sigkill\n";
	const char *names[] = {"a", "b", "c"};
	char *yaml, *out = NULL, *err = NULL;
	const rtenf_PolicyReport *r;
	rtenf_Response resp;
	uint64_t sum = 0;

	agent_start(&agent, "--report-rows", "2", NULL);
	for (size_t i = 0; i < 3; i++) {
		char *cmd = xasprintf("cp %s %s/%s", testprog_bin(), agent.dir, names[i]);

		cr_assert_eq(system(cmd), 0, "%s", cmd);
		free(cmd);
	}
	yaml = xasprintf(fmt, agent.dir, agent.dir, agent.dir);
	apply_ok(&agent, "report-unshare", yaml, "audit");
	for (size_t i = 0; i < 3; i++) {
		char *bin = xasprintf("%s/%s", agent.dir, names[i]);
		char *argv[] = {bin, "pidns", "unshare", CLONE_NEWUTS_HEX, NULL};

		/* a, then b twice, then c three times: c is past the cap */
		for (size_t k = 0; k <= i; k++)
			expect_exit0(run_wait(argv), bin);
		free(bin);
	}
	report_after(6, &resp);
	r = &resp.report;
	cr_expect_eq(r->row_cap, 2);
	cr_expect_eq(r->events, 6);
	cr_assert_eq(r->binaries_count, 3, "two rows and the other row");
	for (pb_size_t i = 0; i < r->binaries_count; i++)
		sum += r->binaries[i].events;
	cr_expect_eq(sum, 6, "the binaries table adds up to the total");
	cr_expect(!r->binaries[0].other && !r->binaries[1].other && r->binaries[2].other);
	cr_expect_eq(r->binaries[2].events, 3, "c's three events are in the other row");
	cr_expect_eq(r->binaries[2].audited, 3);
	cr_expect_eq(r->rules_count, 1);
	cr_expect_eq(r->rules[0].events, 6);
	pb_release(rtenf_Response_fields, &resp);

	cr_assert_eq(cli(&agent, &out, &err, "report", "report-unshare", NULL), 0, "%s", err);
	cr_expect(strstr(out, "(other): 3 events past the first 2 distinct rows; counted, not itemised") != NULL, "%s",
		  out);
	free(out);
	free(err);
	free(yaml);
}

/* Shared memory the looping process counts its completed calls in. */
static volatile uint64_t *map_counter(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	void *p;

	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, 4096), 0);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	cr_assert_neq(p, MAP_FAILED);
	return p;
}

/*
 * A process in a new pid namespace calls unshare(0) in a loop (about one
 * call every 20-80 us) and counts each call that returned.  Once it has
 * made a few thousand under audit, the policy is switched to enforce while
 * it runs; its next call kills it.  No gap means: one audit event for each
 * call it counted, and one enforced event for the call it died in.  A
 * switch that detached and re-attached the hook, or reloaded the policy,
 * would leave calls without an event (counted > audited), and a switch
 * that lagged would let calls complete that should have been killed
 * (still counted, but then enforced != 1 or the kill comes late - which
 * this test does not bound, since the CLI's round trip is part of it).
 */
Test(report, mode_switch_under_load_misses_no_call)
{
	char *counter_path, *err = NULL;
	char *argv[5];
	volatile uint64_t *count;
	const rtenf_ReportRow *row;
	uint64_t calls, deadline;
	rtenf_Response resp;
	int status;
	pid_t pid;

	agent_start(&agent, NULL);
	apply_policy();
	counter_path = xasprintf("%s/calls", agent.dir);
	count = map_counter(counter_path);
	argv[0] = (char *)testprog_bin(), argv[1] = "pidns", argv[2] = "unshare-loop", argv[3] = counter_path;
	argv[4] = NULL;
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	deadline = now_ms() + 20000;
	while (*count < 3000 && now_ms() < deadline) {
		cr_assert_eq(waitpid(pid, &status, WNOHANG), 0,
			     "the loop ended in audit mode after %llu calls, wait status 0x%x",
			     (unsigned long long)*count, status);
		usleep(10000);
	}
	cr_assert_geq(*count, 3000, "the loop made only %llu calls in audit mode", (unsigned long long)*count);

	cr_assert_eq(cli(&agent, NULL, &err, "mode", "report-unshare", "enforce", NULL), 0, "%s", err);
	free(err);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
		  "the looping process must die in its first call after the switch; wait status 0x%x", status);
	calls = *count;

	report_after(calls + 1, &resp);
	row = rule(&resp.report, UNSHARE_HOOK);
	cr_assert_not_null(row, "no unshare events at all");
	cr_expect_eq(resp.report.counters.ringbuf_full, 0,
		     "events were lost in the ring buffer: not a mode-switch gap");
	cr_expect_eq(row->audited, calls, "%llu calls completed in audit mode, %llu audit events: %s",
		     (unsigned long long)calls, (unsigned long long)row->audited,
		     row->audited < calls ? "calls were missed" : "more events than calls");
	cr_expect_eq(row->enforced, 1, "one call killed the process, %llu enforced events",
		     (unsigned long long)row->enforced);
	cr_expect_eq(row->events, calls + 1);
	cr_expect_eq(resp.report.counters.actions_audited, calls, "the kernel's count of audited matches");
	cr_expect_eq(resp.report.counters.actions_applied, 1);
	cr_log_info("switched after %llu audited calls; the next one was killed", (unsigned long long)calls);
	pb_release(rtenf_Response_fields, &resp);
	munmap((void *)count, 4096);
	free(counter_path);
}
