// SPDX-License-Identifier: GPL-2.0-only
/*
 * Clients that do everything wrong, on raw sockets: garbage, a huge length
 * prefix, a frame cut short, half a frame and then silence, requests sent
 * without reading the answers, more connections than the agent serves, and
 * an agent out of file descriptors.  Each must get an error response or be
 * dropped, never crash or stall the agent, and never keep it from serving
 * a well-behaved client at the same time.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "server.h"
#include "util.h"
#include "wire.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

/* These exercise the agent's socket protocol, which is the same on every
 * kernel; they run on the host, also under ASan.  Under QEMU's emulation
 * the 1000-client and out-of-descriptors cases outrun their time bounds
 * (vmtest/expected-skips). */
static void skip_in_vmtest_guest(void)
{
	if (getenv("RTENF_VMTEST"))
		cr_skip_test("socket protocol tests run on the host, not in the emulated vmtest guest");
}

TestSuite(hostile_clients, .init = skip_in_vmtest_guest, .fini = stop, .timeout = 120);

static int raw_connect(const struct test_agent *a)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	cr_assert_lt(strlen(a->sock), sizeof(sa.sun_path));
	memcpy(sa.sun_path, a->sock, strlen(a->sock) + 1);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0, "connect %s: %s", a->sock, strerror(errno));
	return fd;
}

static void send_bytes(int fd, const void *p, size_t len)
{
	cr_assert_eq(send(fd, p, len, MSG_NOSIGNAL), (ssize_t)len, "send: %s", strerror(errno));
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* The agent's answer on fd: an error response containing msg. */
static void expect_error(int fd, const char *msg)
{
	rtenf_Response resp = rtenf_Response_init_zero;
	int r = wire_recv(fd, rtenf_Response_fields, &resp, 5000);

	cr_assert_eq(r, 0, "no response from the agent: %s", strerror(-r));
	cr_assert_not(resp.ok);
	cr_assert_not_null(resp.error, "a response without an error");
	cr_assert(strstr(resp.error, msg), "error \"%s\" lacks \"%s\"", resp.error, msg);
	pb_release(rtenf_Response_fields, &resp);
}

/* The agent closes fd within timeout_ms.  Closing a socket with unread
 * input resets it: the answer already sent is still read first. */
static void expect_closed(int fd, int timeout_ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t n;
	char c;

	cr_assert_eq(poll(&p, 1, timeout_ms), 1, "the agent left the connection open");
	n = read(fd, &c, 1);
	cr_assert(n == 0 || (n < 0 && errno == ECONNRESET), "the agent sent more than its answer (%zd, %s)", n,
		  n < 0 ? strerror(errno) : "data");
	close(fd);
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A well-behaved client is answered, quickly. */
static void expect_served(const struct test_agent *a)
{
	struct timespec t0;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	(void)policy_count(a);
	ms = elapsed_ms(&t0);
	cr_assert_lt(ms, 2000, "list took %ld ms", ms);
}

/* A field of /proc/PID/status in kB ("VmSize", "VmRSS"). */
static long status_kb(pid_t pid, const char *field)
{
	char path[64], *s, *p;
	long v = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	s = read_file(path, NULL);
	cr_assert_not_null(s);
	p = strstr(s, field);
	if (p)
		sscanf(p + strlen(field) + 1, "%ld", &v);
	free(s);
	cr_assert_geq(v, 0, "no %s in %s", field, path);
	return v;
}

Test(hostile_clients, garbage_gets_an_error_and_a_close)
{
	uint8_t frame[4 + 64];
	int fd;

	agent_start(&agent, NULL);
	/* a frame whose payload is not a protobuf message */
	put_le32(frame, 64);
	memset(frame + 4, 0xff, 64);
	fd = raw_connect(&agent);
	send_bytes(fd, frame, sizeof(frame));
	expect_error(fd, "malformed request: not an rtenf.Request");
	expect_closed(fd, 2000);
	/* a client speaking another protocol: "GET " reads as 542 MB */
	fd = raw_connect(&agent);
	send_bytes(fd, "GET / HTTP/1.1\r\nHost: rtenf\r\n\r\n", 31);
	expect_error(fd, "request of 542393671 bytes refused: the limit is 33554432 bytes");
	expect_closed(fd, 2000);
	/* a request that decodes but asks for nothing */
	fd = raw_connect(&agent);
	put_le32(frame, 0);
	send_bytes(fd, frame, 4);
	expect_error(fd, "empty request");
	expect_served(&agent);
	close(fd);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}

Test(hostile_clients, huge_length_prefix_is_refused_unread)
{
	uint8_t hdr[4];
	long vm0;
	int fd;

	agent_start(&agent, NULL);
	vm0 = status_kb(agent.pid, "VmSize");
	put_le32(hdr, 0xffffffffu);
	fd = raw_connect(&agent);
	send_bytes(fd, hdr, sizeof(hdr));
	expect_error(fd, "request of 4294967295 bytes refused");
	expect_closed(fd, 2000);
	/* just over the limit, with data behind it the agent must not read */
	put_le32(hdr, WIRE_MAX_FRAME + 1);
	fd = raw_connect(&agent);
	/* the agent may have answered and closed already */
	cr_assert_eq(send(fd, hdr, sizeof(hdr), MSG_NOSIGNAL), (ssize_t)sizeof(hdr));
	(void)send(fd, "\x22\x00", 2, MSG_NOSIGNAL);
	expect_error(fd, "request of 33554433 bytes refused");
	expect_closed(fd, 2000);
	expect_served(&agent);
	cr_assert_lt(status_kb(agent.pid, "VmSize") - vm0, 16 * 1024, "the agent's address space grew by %ld kB",
		     status_kb(agent.pid, "VmSize") - vm0);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}

Test(hostile_clients, truncated_frame_is_dropped)
{
	uint8_t frame[4 + 50];
	int fd;

	agent_start(&agent, NULL);
	put_le32(frame, 100); /* announces 100, sends 50, leaves */
	memset(frame + 4, 0x0a, 50);
	fd = raw_connect(&agent);
	send_bytes(fd, frame, sizeof(frame));
	close(fd);
	/* the same, but the client half-closes and waits for an answer */
	fd = raw_connect(&agent);
	send_bytes(fd, frame, sizeof(frame));
	shutdown(fd, SHUT_WR);
	expect_closed(fd, 2000);
	expect_served(&agent);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}

/* Clients that send part of a frame and stall hold nothing up: the agent
 * reads what comes and serves everyone else meanwhile, and a stalled frame
 * announcing 32 MiB costs what was sent, not what was announced. */
Test(hostile_clients, slow_loris_does_not_stall_others)
{
	enum { N_STALLED = 200 };
	static const uint8_t list_frame[] = {2, 0, 0, 0, 0x22, 0x00}; /* Request{list{}} */
	int stalled[N_STALLED], fd;
	long vm0, grown;
	uint8_t hdr[4 + 100];

	agent_start(&agent, NULL);
	vm0 = status_kb(agent.pid, "VmSize");
	put_le32(hdr, WIRE_MAX_FRAME);
	memset(hdr + 4, 0x0a, 100);
	for (int i = 0; i < N_STALLED; i++) {
		stalled[i] = raw_connect(&agent);
		/* half a header, or a header and a little of 32 MiB */
		send_bytes(stalled[i], hdr, i % 2 ? 2 : sizeof(hdr));
	}
	for (int i = 0; i < 5; i++)
		expect_served(&agent);
	/* a request split across writes with pauses is still answered */
	fd = raw_connect(&agent);
	for (size_t i = 0; i < sizeof(list_frame); i++) {
		send_bytes(fd, list_frame + i, 1);
		usleep(100000);
	}
	{
		rtenf_Response resp = rtenf_Response_init_zero;

		cr_assert_eq(wire_recv(fd, rtenf_Response_fields, &resp, 5000), 0);
		cr_assert(resp.ok);
		pb_release(rtenf_Response_fields, &resp);
	}
	close(fd);
	grown = status_kb(agent.pid, "VmSize") - vm0;
	cr_assert_lt(grown, 64 * 1024, "%d stalled clients grew the agent's address space by %ld kB", N_STALLED, grown);
	for (int i = 0; i < N_STALLED; i++)
		close(stalled[i]);
	expect_served(&agent);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}

/* A client that sends requests and never reads the answers: the agent
 * stops reading it once 1 MiB of answers wait, so its memory stays put. */
Test(hostile_clients, requests_without_reading_are_not_queued_without_bound)
{
	static const uint8_t list_frame[] = {2, 0, 0, 0, 0x22, 0x00};
	enum { PER_SEND = 1000, SENDS = 200 };
	uint8_t *batch = xmalloc(PER_SEND * sizeof(list_frame));
	long rss0, grown;
	size_t sent = 0;
	int fd, sndbuf = 4 << 20;

	agent_start(&agent, NULL);
	expect_served(&agent);
	rss0 = status_kb(agent.pid, "VmRSS");
	fd = raw_connect(&agent);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	for (int i = 0; i < PER_SEND; i++)
		memcpy(batch + i * sizeof(list_frame), list_frame, sizeof(list_frame));
	/* up to 200,000 list requests, whose answers would be tens of MB */
	for (int i = 0; i < SENDS; i++) {
		size_t off = 0;
		int stuck = 0;

		while (off < PER_SEND * sizeof(list_frame) && stuck < 20) {
			ssize_t n =
			    send(fd, batch + off, PER_SEND * sizeof(list_frame) - off, MSG_NOSIGNAL | MSG_DONTWAIT);

			if (n > 0) {
				off += (size_t)n;
				stuck = 0;
			} else {
				stuck++;
				usleep(10000);
			}
		}
		sent += off / sizeof(list_frame);
		if (stuck)
			break; /* the agent stopped reading: what we wanted */
	}
	free(batch);
	usleep(500000);
	expect_served(&agent);
	grown = status_kb(agent.pid, "VmRSS") - rss0;
	cr_log_info("%zu list requests sent unread; agent RSS grew by %ld kB", sent, grown);
	cr_assert_gt(sent, 10000, "only %zu requests went out", sent);
	/* under ASan, freed memory stays in its quarantine: RSS says nothing */
	if (!getenv("RTENF_ASAN"))
		cr_assert_lt(grown, 8 * 1024, "agent RSS grew by %ld kB for a client that does not read", grown);
	close(fd);
	expect_served(&agent);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}

Test(hostile_clients, too_many_clients_are_told_and_closed)
{
	int *fds = xcalloc(SERVER_MAX_CLIENTS, sizeof(*fds)), extra;

	agent_start(&agent, NULL);
	for (int i = 0; i < SERVER_MAX_CLIENTS; i++)
		fds[i] = raw_connect(&agent);
	extra = raw_connect(&agent); /* accepted after them: connections queue in order */
	expect_error(extra, "the agent serves at most 1000 clients at once");
	expect_closed(extra, 2000);
	close(fds[0]);
	usleep(100000);
	expect_served(&agent);
	for (int i = 1; i < SERVER_MAX_CLIENTS; i++)
		close(fds[i]);
	free(fds);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}

static double cpu_seconds(pid_t pid)
{
	char path[64], *s, *p;
	unsigned long ut = 0, st = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	s = read_file(path, NULL);
	cr_assert_not_null(s);
	p = strrchr(s, ')');
	/* fields after the command: state is 3, utime 14, stime 15 */
	cr_assert_eq(sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st), 2);
	free(s);
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int open_fds(pid_t pid)
{
	char *cmd = xasprintf("ls /proc/%d/fd | wc -l", (int)pid);
	FILE *f = popen(cmd, "r");
	int n = -1;

	cr_assert_not_null(f);
	cr_assert_eq(fscanf(f, "%d", &n), 1);
	pclose(f);
	free(cmd);
	return n;
}

/* An agent out of file descriptors cannot accept: it must not spin on the
 * pending connection, and must accept again once descriptors are free. */
Test(hostile_clients, out_of_file_descriptors_does_not_spin)
{
	struct rlimit rl;
	int fds[40], n;
	double cpu0, cpu;

	agent_start(&agent, NULL);
	n = open_fds(agent.pid);
	rl.rlim_cur = rl.rlim_max = (rlim_t)n + 10;
	cr_assert_eq(prlimit(agent.pid, RLIMIT_NOFILE, &rl, NULL), 0, "prlimit: %s", strerror(errno));
	for (int i = 0; i < 40; i++)
		fds[i] = raw_connect(&agent); /* the backlog takes them; the agent accepts 10 */
	usleep(300000);
	cpu0 = cpu_seconds(agent.pid);
	sleep(2);
	cpu = cpu_seconds(agent.pid) - cpu0;
	cr_assert_lt(cpu, 0.5, "the agent used %.2f s of CPU in 2 s with connections it cannot accept", cpu);
	for (int i = 0; i < 40; i++)
		close(fds[i]);
	rl.rlim_cur = rl.rlim_max = 20000;
	prlimit(agent.pid, RLIMIT_NOFILE, &rl, NULL);
	sleep(1);
	expect_served(&agent);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}
