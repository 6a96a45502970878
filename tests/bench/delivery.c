// SPDX-License-Identifier: GPL-2.0-only
/*
 * Delivery: how many matched events per second the agent gets to a client
 * with none lost, and what each costs the agent.
 *
 * One agent (--bpf-dir none: nothing of the bench may outlive it), one
 * policy that matches every getppid of the bench process and posts it, one
 * client in a thread of the bench (on the helper CPUs, like the agent) that
 * subscribes to the policy and counts hook events and lost_events records.
 * The generating loop runs on the loops' CPU and paces getppid calls to a
 * target rate for --delivery-seconds.  A trial ends when every call is
 * accounted for (delivered, or counted lost); it is lossless when the
 * client received every call the loop made, the policy matched every one
 * and no lost_events record came.  The rate doubles until a trial loses
 * events or the loop cannot go faster, then bisects.
 *
 * Agent CPU is utime+stime of the agent process over the trial (from the
 * end of the previous drain to the end of this one), per 100k events
 * delivered.  The loop's own thread CPU time per call is what a matched
 * getppid costs in the kernel (the syscall, the program, the ring buffer
 * write), next to the same loop's cost without the agent measured in the
 * same run: (a) of the getppid table.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>

#include "api.pb.h"
#include "bench.h"
#include "events.pb.h"
#include "util.h"
#include "wire.h"

#define POLICY "bench-delivery"

static const char policy_fmt[] = "# Written by tests/bench (make bench): every getppid of the bench, posted.\n"
				 "apiVersion: cilium.io/v1alpha1\n"
				 "kind: TracingPolicy\n"
				 "metadata:\n"
				 "  name: " POLICY "\n"
				 "spec:\n"
				 "  tracepoints:\n"
				 "  - subsystem: syscalls\n"
				 "    event: sys_enter_getppid\n"
				 "    selectors:\n"
				 "    - matchPIDs:\n"
				 "      - operator: In\n"
				 "        followForks: false\n"
				 "        isNamespacePID: false\n"
				 "        values: [%d]\n";

/* What the client thread has seen; written by it, read by the bench. */
struct client {
	int fd;
	pthread_t thread;
	volatile uint64_t hook_events;
	volatile uint64_t lost[3]; /* kernel, client, agent */
	volatile uint64_t cpu_ns;  /* its thread CPU time */
	volatile int stop;
	int err;
};

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void count_frame(void *ctx, const uint8_t *p, size_t len)
{
	struct client *c = ctx;
	uint32_t kind = wire_event_kind(p, len);
	rtenf_Event ev = rtenf_Event_init_zero;
	const char *src;

	if (kind == rtenf_Event_process_tracepoint_tag) {
		c->hook_events++;
		return;
	}
	if (kind != rtenf_Event_lost_events_tag || wire_decode(rtenf_Event_fields, &ev, p, len))
		return;
	src = ev.event.lost_events.source ? ev.event.lost_events.source : "";
	c->lost[!strcmp(src, "client") ? 1 : !strcmp(src, "agent") ? 2 : 0] += ev.event.lost_events.count;
	pb_release(rtenf_Event_fields, &ev);
}

/* Reads frames as fast as they come; only lost_events records are decoded. */
static void *client_main(void *arg)
{
	struct client *c = arg;
	struct wire_reader rd = {0};

	while (!c->stop) {
		struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
		int r;

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		r = wire_reader_drain(&rd, c->fd, count_frame, c);
		if (r < 0) {
			c->err = -r;
			break;
		}
		c->cpu_ns = now_ns(CLOCK_THREAD_CPUTIME_ID);
	}
	wire_reader_free(&rd);
	return NULL;
}

static int client_start(struct bench *b, struct client *c)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp = rtenf_Response_init_zero;
	char *names[1] = {POLICY};
	int r;

	memset(c, 0, sizeof(*c));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", b->agent_sock);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -errno;
	req.which_request = rtenf_Request_get_events_tag;
	req.request.get_events.policy_names = names;
	req.request.get_events.policy_names_count = 1;
	r = wire_send(c->fd, rtenf_Request_fields, &req);
	if (!r)
		r = wire_recv(c->fd, rtenf_Response_fields, &resp, 10000);
	if (!r && !resp.ok)
		r = -EPROTO;
	pb_release(rtenf_Response_fields, &resp);
	if (r)
		return r;
	r = pthread_create(&c->thread, NULL, client_main, c);
	if (!r && b->others)
		pthread_setaffinity_np(c->thread, b->others_size, b->others);
	return -r;
}

static void client_stop(struct client *c)
{
	if (c->fd < 0)
		return;
	c->stop = 1;
	pthread_join(c->thread, NULL);
	close(c->fd);
	c->fd = -1;
}

static uint64_t proc_cpu_ns(pid_t pid)
{
	char path[64], *s, *p;
	unsigned long long ut = 0, st = 0;
	uint64_t tick = 1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK);

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	s = read_file(path, NULL);
	if (!s)
		return 0;
	p = strrchr(s, ')');
	/* fields 14 and 15 after the comm: 12th and 13th after ") " */
	if (p)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st);
	free(s);
	return (uint64_t)(ut + st) * tick;
}

/* getppid at `rate` per second for `seconds`, in chunks on an absolute
 * schedule; returns calls made, *cpu_ns the loop's thread CPU time. */
static uint64_t generate(double rate, int seconds, uint64_t *cpu_ns, double *wall_s)
{
	const uint64_t chunk = 64, total = (uint64_t)(rate * seconds);
	uint64_t t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_THREAD_CPUTIME_ID), done = 0;

	while (done < total && !bench_stop) {
		uint64_t due = t0 + (uint64_t)((double)done * 1e9 / rate);
		struct timespec ts = {(time_t)(due / 1000000000ull), (long)(due % 1000000000ull)};

		if (now_ns(CLOCK_MONOTONIC) < due)
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		for (uint64_t i = 0; i < chunk && done < total; i++, done++)
			syscall(SYS_getppid);
	}
	*cpu_ns = now_ns(CLOCK_THREAD_CPUTIME_ID) - c0;
	*wall_s = (double)(now_ns(CLOCK_MONOTONIC) - t0) / 1e9;
	return done;
}

static char *list_json(struct bench *b)
{
	char *argv[] = {(char *)b->rtenf, "list", "-o", "json", "--socket", b->agent_sock, NULL};
	char *out = NULL;

	if (child_run(b, argv, &out) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

struct counts {
	uint64_t matched, ringbuf_full, kernel_drops;
};

static int read_counts(struct bench *b, struct counts *k)
{
	char anchor[64], *json = list_json(b);

	if (!json)
		return -1;
	snprintf(anchor, sizeof(anchor), "\"name\":\"%s\"", POLICY);
	k->matched = json_u64(json, anchor, "matched");
	k->ringbuf_full = json_u64(json, anchor, "ringbuf_full");
	k->kernel_drops = json_u64(json, "\"agent\":{", "kernel_drops");
	free(json);
	return 0;
}

static uint64_t lost_total(const struct client *c)
{
	return c->lost[0] + c->lost[1] + c->lost[2];
}

/* One trial.  It ends when every call is accounted for: delivered, or lost
 * in the kernel (the policy's ringbuf_full) or for the client (announced);
 * so nothing of one trial spills into the next. */
static int trial(struct bench *b, struct client *c, double rate, struct delivery_trial *t)
{
	uint64_t base_events = c->hook_events, base_lost = lost_total(c), base_client_lost = c->lost[1];
	uint64_t cpu0 = proc_cpu_ns(b->agent), ccpu0 = c->cpu_ns, gen_cpu, deadline;
	struct counts k0, k1;

	if (read_counts(b, &k0))
		return -1;
	memset(t, 0, sizeof(*t));
	t->rate_asked = rate;
	t->generated = generate(rate, b->o.delivery_seconds, &gen_cpu, &t->seconds);
	t->rate_done = (double)t->generated / t->seconds;
	t->gen_ns_per_call = (double)gen_cpu / (double)(t->generated ? t->generated : 1);
	t->backlog = base_events + t->generated - c->hook_events;
	deadline = now_ns(CLOCK_MONOTONIC) + 60ull * 1000000000ull;
	for (;;) {
		uint64_t delivered = c->hook_events - base_events, client_lost = c->lost[1] - base_client_lost;

		if (read_counts(b, &k1))
			return -1;
		if (k1.matched - k0.matched >= t->generated &&
		    delivered + (k1.ringbuf_full - k0.ringbuf_full) + client_lost >= t->generated)
			break;
		if (bench_stop || c->err || now_ns(CLOCK_MONOTONIC) > deadline) {
			fprintf(stderr,
				"bench: delivery trial at %.0f/s: %llu of %llu calls unaccounted for after 60 s\n",
				rate, (unsigned long long)(t->generated - delivered), (unsigned long long)t->generated);
			return -1;
		}
		sleep_ms(200);
	}
	/* the kernel's drops are announced on the agent's next 1 s tick */
	for (int i = 0; i < 30 && lost_total(c) - base_lost < k1.kernel_drops - k0.kernel_drops; i++)
		sleep_ms(100);
	t->delivered = c->hook_events - base_events;
	t->agent_cpu_ns = proc_cpu_ns(b->agent) - cpu0;
	t->client_cpu_ns = c->cpu_ns - ccpu0;
	t->lost_announced = lost_total(c) - base_lost;
	t->matched = k1.matched - k0.matched;
	t->kernel_drops = k1.kernel_drops - k0.kernel_drops;
	t->lossless =
	    t->delivered == t->generated && t->matched == t->generated && !t->lost_announced && !t->kernel_drops;
	return c->err ? -1 : 0;
}

int delivery_run(struct bench *b)
{
	char *path = xasprintf("%s/%s.yaml", b->dir, POLICY), *out = NULL;
	char *agent_argv[] = {(char *)b->rtenf, "agent", "--socket",	b->agent_sock, "--bpf-dir", "none",
			      "--stdout",	"none",	 "--log-level", "warn",	       NULL};
	char *apply_argv[] = {(char *)b->rtenf, "apply", "-f", path, "--socket", b->agent_sock, NULL};
	struct delivery *d = &b->delivery;
	struct client c = {.fd = -1};
	double good = 0, bad = 0, rate = 5000;
	FILE *f;
	int r = -1;

	d->best = d->kept_up = -1;
	snprintf(b->agent_sock, sizeof(b->agent_sock), "%s/delivery.sock", b->dir);
	snprintf(b->agent_log, sizeof(b->agent_log), "%s/delivery-agent.log", b->dir);
	f = fopen(path, "w");
	if (!f || fprintf(f, policy_fmt, (int)getpid()) < 0 || fclose(f)) {
		fprintf(stderr, "bench: cannot write %s\n", path);
		goto out;
	}
	b->agent = child_start(b, agent_argv, b->agent_log);
	for (int waited = 0; b->agent > 0; waited += 20) {
		struct sockaddr_un sa = {.sun_family = AF_UNIX};
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), ok;

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", b->agent_sock);
		ok = fd >= 0 && !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
		if (fd >= 0)
			close(fd);
		if (ok)
			break;
		if (!child_alive(b->agent) || waited > 10000 || bench_stop) {
			fprintf(stderr, "bench: the delivery agent did not start (log: %s)\n", b->agent_log);
			goto out;
		}
		sleep_ms(20);
	}
	if (child_run(b, apply_argv, &out) != 0) {
		fprintf(stderr, "bench: rtenf apply -f %s failed:\n%s\n", path, out ? out : "");
		goto out;
	}
	if (client_start(b, &c)) {
		fprintf(stderr, "bench: cannot subscribe to the delivery agent: %s\n", strerror(errno));
		goto out;
	}
	d->ringbuf = 8u << 20;
	/* double while lossless, then bisect between the last good and first bad */
	while (d->n < DELIVERY_MAX_TRIALS && !bench_stop) {
		struct delivery_trial *t = &d->trials[d->n];

		if (trial(b, &c, rate, t))
			goto out;
		d->n++;
		if (t->lossless && t->rate_done < 0.9 * t->rate_asked) {
			d->generator_bound = true; /* the loop itself cannot go faster */
			good = rate;
			break;
		}
		if (t->lossless)
			good = rate;
		else
			bad = rate;
		if (!bad)
			rate *= 2;
		else if (bad - good <= good / 8 || !good)
			break;
		else
			rate = (good + bad) / 2;
	}
	for (int i = 0; i < d->n; i++) {
		const struct delivery_trial *t = &d->trials[i];

		if (t->lossless && (d->best < 0 || t->rate_done > d->trials[d->best].rate_done))
			d->best = i;
		if (t->lossless && t->backlog * 20 <= t->generated &&
		    (d->kept_up < 0 || t->rate_done > d->trials[d->kept_up].rate_done))
			d->kept_up = i;
	}
	d->valid = !bench_stop;
	r = 0;
out:
	client_stop(&c);
	if (b->agent > 0)
		child_stop(b->agent, SIGTERM, 10000);
	b->agent = 0;
	unlink(b->agent_sock);
	free(out);
	free(path);
	return r;
}
