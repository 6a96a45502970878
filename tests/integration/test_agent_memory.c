// SPDX-License-Identifier: GPL-2.0-only
/*
 * The agent over a long life: apply a policy, stream an event of it, delete
 * it, RTENF_MEMORY_CYCLES times (default 1000).  Its RSS, as it reports it
 * in `rtenf list`, must end within 10% of where it was after a few warm-up
 * cycles (one-time costs: BTF, libbpf's caches, the first policy slot's
 * maps, malloc's arenas).  Under ASan (make asan-integration-test) RSS
 * measures ASan's quarantine, so the ratio is only printed; there the test
 * is the leak check: LeakSanitizer runs when the agent exits, and
 * agent_stop() fails on its exit code.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "util.h"

#define WARMUP 10
#define RSS_MAX 1.10

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(agent_memory, .fini = stop, .timeout = 1800);

static char *policy_yaml(void)
{
	return xasprintf("apiVersion: cilium.io/v1alpha1\n"
			 "kind: TracingPolicy\n"
			 "metadata:\n"
			 "  name: cycle\n"
			 "spec:\n"
			 "  tracepoints:\n"
			 "  - subsystem: syscalls\n"
			 "    event: sys_enter_openat\n"
			 "    args:\n"
			 "    - index: 6\n"
			 "      type: string\n"
			 "    - index: 7\n"
			 "      type: int\n"
			 "    selectors:\n"
			 "    - matchPIDs:\n"
			 "      - operator: In\n"
			 "        values: [%d]\n",
			 (int)getpid());
}

static void request_ok(const rtenf_Request *req, const char *what)
{
	rtenf_Response resp = rtenf_Response_init_zero;
	int r = agent_request(&agent, req, &resp);

	cr_assert_eq(r, 0, "%s: no answer (%d)", what, r);
	cr_assert(resp.ok, "%s refused: %s", what, resp.error ? resp.error : "?");
	pb_release(rtenf_Response_fields, &resp);
}

static void cycle(char *yaml)
{
	rtenf_PolicyFile file = {.file_name = "cycle.yaml", .yaml = yaml};
	rtenf_Request req = rtenf_Request_init_zero;
	struct event_stream s;
	rtenf_Event ev;
	int fd;

	req.which_request = rtenf_Request_apply_tag;
	req.request.apply.files = &file;
	req.request.apply.files_count = 1;
	req.request.apply.mode = rtenf_PolicyMode_POLICY_MODE_AUDIT;
	request_ok(&req, "apply");

	stream_open(&s, &agent, "cycle");
	fd = open("/dev/null", O_RDONLY);
	cr_assert_geq(fd, 0);
	close(fd);
	cr_assert_eq(stream_next_hook(&s, (uint32_t)getpid(), &ev, 5000), 0, "no event from the policy");
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);

	memset(&req, 0, sizeof(req));
	req.which_request = rtenf_Request_delete_tag;
	req.request.delete.name = "cycle";
	request_ok(&req, "delete");
}

static uint64_t rss(void)
{
	rtenf_AgentInfo info;

	agent_info(&agent, &info);
	return info.agent_rss;
}

Test(agent_memory, apply_getevents_delete_cycles_keep_rss)
{
	const char *env = getenv("RTENF_MEMORY_CYCLES");
	int cycles = env ? atoi(env) : 1000;
	bool asan = getenv("RTENF_ASAN") != NULL;
	char *yaml = policy_yaml();
	struct timespec t0, t1;
	uint64_t before, after;
	double ratio, secs;

	cr_assert_gt(cycles, 0);
	agent_start(&agent, NULL);
	for (int i = 0; i < WARMUP; i++)
		cycle(yaml);
	before = rss();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < cycles; i++)
		cycle(yaml);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	after = rss();
	cr_assert_eq(policy_count(&agent), 0);
	ratio = (double)after / (double)before;
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* criterion shows cr_log_info only with --verbose: the numbers are the point */
	fprintf(stderr,
		"[INFO] agent_memory: RSS %llu kB after %d warm-up cycles, %llu kB after %d more "
		"(apply, getevents, delete; %.1f ms each): ratio %.3f%s\n",
		(unsigned long long)before / 1024, WARMUP, (unsigned long long)after / 1024, cycles,
		secs * 1000 / cycles, ratio, asan ? " (ASan: not checked, its quarantine holds freed memory)" : "");
	if (!asan)
		cr_assert_leq(ratio, RSS_MAX, "agent RSS grew from %llu to %llu kB over %d cycles (ratio %.3f > %.2f)",
			      (unsigned long long)before / 1024, (unsigned long long)after / 1024, cycles, ratio,
			      RSS_MAX);
	free(yaml);
	agent_stop(&agent); /* here, not in .fini, so an unclean exit fails the test */
}
