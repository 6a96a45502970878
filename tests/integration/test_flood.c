// SPDX-License-Identifier: GPL-2.0-only
/*
 * Floods: a matching syscall hammered from several processes.  Every call
 * is either delivered or counted lost, by the kernel (ring buffer full) or
 * by the agent for one client (its queue full), and the counts reach the
 * clients as lost_events records that add up exactly; `rtenf list` keeps
 * answering within a second; a client that stops reading costs only itself.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "util.h"
#include "wire.h"

#define PROCS 4

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(flood, .fini = stop, .timeout = 240);

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Every getppid of the test program, posted (no action). */
static void apply_flood_policy(void)
{
	char *yaml = xasprintf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: flood\nspec:\n"
			       "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_getppid\n"
			       "    selectors:\n    - matchBinaries:\n      - operator: In\n        values: [\"%s\"]\n",
			       testprog_bin());

	apply_ok(&agent, "flood", yaml, NULL);
	free(yaml);
}

/* A client that reads as fast as frames come and only looks at the kind of
 * each event; lost_events records are decoded and summed by source. */
struct reader {
	int fd;
	bool run; /* false: a stalled client until started */
	pthread_t thread;
	volatile bool stop;
	volatile uint64_t hooks;
	volatile uint64_t lost_kernel, lost_client, lost_agent;
	volatile uint64_t last_frame_ms;
	int err;
};

static void frame(void *ctx, const uint8_t *p, size_t len)
{
	struct reader *r = ctx;
	uint32_t kind = wire_event_kind(p, len);
	rtenf_Event ev = rtenf_Event_init_zero;

	r->last_frame_ms = now_ms();
	if (kind == rtenf_Event_process_tracepoint_tag) {
		r->hooks++;
		return;
	}
	if (kind != rtenf_Event_lost_events_tag || wire_decode(rtenf_Event_fields, &ev, p, len))
		return;
	if (!strcmp(ev.event.lost_events.source, "kernel"))
		r->lost_kernel += ev.event.lost_events.count;
	else if (!strcmp(ev.event.lost_events.source, "client"))
		r->lost_client += ev.event.lost_events.count;
	else
		r->lost_agent += ev.event.lost_events.count;
	pb_release(rtenf_Event_fields, &ev);
}

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct wire_reader rd = {0};

	while (!r->stop) {
		struct pollfd pfd = {.fd = r->fd, .events = POLLIN};
		int n;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		n = wire_reader_drain(&rd, r->fd, frame, r);
		if (n < 0) {
			r->err = -n;
			break;
		}
	}
	wire_reader_free(&rd);
	return NULL;
}

static void reader_open(struct reader *r)
{
	struct event_stream s;

	memset(r, 0, sizeof(*r));
	stream_open(&s, &agent, "flood");
	r->fd = s.fd;
}

static void reader_start(struct reader *r)
{
	r->last_frame_ms = now_ms();
	cr_assert_eq(pthread_create(&r->thread, NULL, reader_main, r), 0);
	r->run = true;
}

/* Reads until nothing has come for quiet_ms. */
static void reader_drain(struct reader *r, unsigned quiet_ms)
{
	while (now_ms() - r->last_frame_ms < quiet_ms)
		usleep(50000);
	r->stop = true;
	pthread_join(r->thread, NULL);
	cr_assert_eq(r->err, 0, "the stream broke: %s", strerror(r->err));
}

/* niceness: 0, or 19 to leave the CPU to the agent and the test's readers
 * first (what is tested is then the agent, not the scheduler). */
static pid_t flood_start(pid_t pids[PROCS], const char *calls, int niceness)
{
	for (int i = 0; i < PROCS; i++) {
		pids[i] = fork();
		cr_assert_geq(pids[i], 0);
		if (pids[i] == 0) {
			if (niceness && nice(niceness) < 0)
				_exit(126);
			execl(testprog_bin(), testprog_bin(), "getppid", calls, (char *)NULL);
			_exit(127);
		}
	}
	return pids[0];
}

/* Waits for the flood while timing `rtenf list` round trips (through the
 * harness's own client); returns the slowest in ms. */
static uint64_t flood_wait_timing_list(pid_t pids[PROCS])
{
	uint64_t worst = 0;
	int left = PROCS;

	while (left) {
		rtenf_AgentInfo ai;
		uint64_t t0 = now_ms(), dt;

		agent_info(&agent, &ai);
		dt = now_ms() - t0;
		worst = dt > worst ? dt : worst;
		for (int i = 0; i < PROCS; i++) {
			int status;

			if (pids[i] > 0 && waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				assert_exited(status, 0);
				pids[i] = 0;
				left--;
			}
		}
		usleep(100000);
	}
	return worst;
}

/* The agent has read all it will read: matched reached the total and the
 * records read stopped moving. */
static void wait_agent_quiet(uint64_t total)
{
	rtenf_PolicyCounters c;
	rtenf_AgentInfo a, b;

	for (int i = 0; i < 600; i++) {
		policy_counters(&agent, "flood", &c);
		agent_info(&agent, &a);
		usleep(300000);
		agent_info(&agent, &b);
		if (c.matched >= total && a.events_read == b.events_read)
			return;
	}
	cr_assert_fail("the agent did not settle: matched %llu of %llu", (unsigned long long)c.matched,
		       (unsigned long long)total);
}

/* Drops of one client of this process, from `rtenf list`. */
static void client_counts(int nth, uint64_t *sent, uint64_t *dropped, uint64_t *queued)
{
	char *out = NULL, *p;
	int seen = 0;

	cr_assert_eq(cli(&agent, &out, NULL, "list", "-o", "json", NULL), 0);
	p = strstr(out, "\"clients\":[");
	cr_assert_not_null(p);
	while ((p = strstr(p, "{\"id\":"))) {
		unsigned id, pid;
		unsigned long long s, d, q;

		cr_assert_eq(sscanf(p,
				    "{\"id\":%u,\"pid\":%u,\"uid\":%*u,\"events_sent\":%llu,\"events_dropped\":%llu,"
				    "\"queued_bytes\":%llu",
				    &id, &pid, &s, &d, &q),
			     5, "%s", p);
		p++;
		if (pid != (unsigned)getpid() || seen++ != nth)
			continue;
		*sent = s, *dropped = d, *queued = q;
		free(out);
		return;
	}
	cr_assert_fail("client %d of pid %d not listed: %s", nth, (int)getpid(), out);
}

Test(flood, every_call_is_delivered_or_counted_exactly)
{
	const uint64_t total = 2 * PROCS * 25000ull;
	uint64_t worst, worst2, sent, dropped, queued;
	pid_t pids[PROCS];
	rtenf_PolicyCounters c;
	rtenf_AgentInfo ai;
	struct reader r;

	/* a small ring buffer: the kernel must drop; a small client queue and a
	 * client that starts reading late: the agent must drop for it */
	agent_start(&agent, "--ringbuf-size", "256k", "--client-queue-size", "64k", NULL);
	apply_flood_policy();
	reader_open(&r);
	/* two floods a few agent ticks apart: the second one's kernel drops are
	 * announced while this client's queue is full, and must reach it */
	flood_start(pids, "25000", 0);
	worst = flood_wait_timing_list(pids);
	wait_agent_quiet(total / 2);
	usleep(1500000);
	flood_start(pids, "25000", 0);
	worst2 = flood_wait_timing_list(pids);
	worst = worst2 > worst ? worst2 : worst;
	wait_agent_quiet(total);
	usleep(1500000);
	reader_start(&r);
	reader_drain(&r, 2500); /* past the agent's 1 s tick: every drop announced */

	policy_counters(&agent, "flood", &c);
	agent_info(&agent, &ai);
	client_counts(0, &sent, &dropped, &queued);
	cr_log_info("flood: %llu calls, %llu delivered, %llu lost in the kernel, %llu lost for the client; "
		    "slowest list %llu ms; announced: kernel %llu, client %llu",
		    (unsigned long long)total, (unsigned long long)r.hooks, (unsigned long long)c.ringbuf_full,
		    (unsigned long long)dropped, (unsigned long long)worst, (unsigned long long)r.lost_kernel,
		    (unsigned long long)r.lost_client);
	cr_expect_lt(worst, 1000ull * test_slowdown(), "rtenf list took %llu ms during the flood",
		     (unsigned long long)worst);
	cr_expect_eq(c.matched, total);
	cr_expect_eq(c.posted + c.ringbuf_full, c.matched);
	cr_expect_gt(c.ringbuf_full, 0, "the kernel never dropped: the test tests nothing");
	cr_expect_gt(dropped, 0, "the client never lost events: the test tests nothing");
	/* generated = delivered + counted drops, to the event */
	cr_expect_eq(r.hooks + dropped + c.ringbuf_full, total, "%llu delivered + %llu + %llu lost != %llu",
		     (unsigned long long)r.hooks, (unsigned long long)dropped, (unsigned long long)c.ringbuf_full,
		     (unsigned long long)total);
	/* and the stream says so itself */
	cr_expect_eq(r.lost_client, dropped);
	cr_expect_eq(r.lost_kernel, ai.kernel_drops, "announced %llu kernel drops, the kernel counted %llu",
		     (unsigned long long)r.lost_kernel, (unsigned long long)ai.kernel_drops);
	cr_expect_eq(r.lost_agent, 0);
	cr_expect_eq(ai.agent_drops, 0);
	close(r.fd);
}

Test(flood, a_stalled_client_costs_only_itself)
{
	const uint64_t total = PROCS * 10000ull;
	uint64_t worst, sent_a, dropped_a, queued_a, sent_b, dropped_b, queued_b;
	struct reader stalled, reader;
	pid_t pids[PROCS];
	rtenf_PolicyCounters c;

	/* the default 8 MiB queue: the reader rides out being descheduled by the
	 * flooders; the stalled client fills it, 40000 events do not fit */
	agent_start(&agent, NULL);
	apply_flood_policy();
	reader_open(&stalled); /* subscribed, never reads */
	reader_open(&reader);
	reader_start(&reader);
	/* the flooders at nice 19: the reader must not lose events because the
	 * scheduler starved it (a machine problem), only if the agent let the
	 * stalled client hold it up */
	flood_start(pids, "10000", 19);
	worst = flood_wait_timing_list(pids);
	wait_agent_quiet(total);
	reader_drain(&reader, 1500);

	policy_counters(&agent, "flood", &c);
	client_counts(0, &sent_a, &dropped_a, &queued_a);
	client_counts(1, &sent_b, &dropped_b, &queued_b);
	cr_log_info("stalled client: %llu sent, %llu dropped, %llu bytes queued; reader: %llu received",
		    (unsigned long long)sent_a, (unsigned long long)dropped_a, (unsigned long long)queued_a,
		    (unsigned long long)reader.hooks);
	cr_expect_lt(worst, 1000ull * test_slowdown(), "rtenf list took %llu ms during the flood",
		     (unsigned long long)worst);
	cr_expect_eq(c.matched, total);
	/* the reader got everything the kernel posted, and lost nothing */
	cr_expect_eq(dropped_b, 0);
	cr_expect_eq(reader.hooks, c.posted, "reader %llu, posted %llu", (unsigned long long)reader.hooks,
		     (unsigned long long)c.posted);
	cr_expect_eq(reader.hooks + c.ringbuf_full, total);
	/* the stalled one lost what did not fit its queue, counted */
	cr_expect_gt(dropped_a, 0);
	cr_expect_leq(queued_a, 8u << 20);

	/* once it reads again it gets its queue, then the count of the rest */
	reader_start(&stalled);
	reader_drain(&stalled, 1500);
	cr_expect_eq(stalled.lost_client, dropped_a);
	cr_expect_eq(stalled.hooks + stalled.lost_client, c.posted, "%llu + %llu != %llu",
		     (unsigned long long)stalled.hooks, (unsigned long long)stalled.lost_client,
		     (unsigned long long)c.posted);
	close(stalled.fd);
	close(reader.fd);
}
