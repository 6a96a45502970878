// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reaction (docs/bench.md): how fast rtenf stops an offending process, for
 * two scenarios, side by side.
 *
 *   cryptominer  the bench execs RTENF_FAKEMINER copied to DIR/xmrig; a
 *                policy on syscalls/sys_exit_execve with matchBinaries
 *                In [DIR/xmrig] kills it before execve returns.  The miner
 *                has no libc: its first instructions write a byte to fd 3
 *                (a file of ours).
 *   breakout     a process that is pid 1 of a new pid namespace calls
 *                unshare(CLONE_NEWUTS); policies/kill-unshare.yaml's
 *                selectors kill it.  Right after the call returns it stores 1
 *                in shared memory.
 *
 * For each run: did it die by SIGKILL, did it run code of its own after the
 * hooked syscall (the byte or the store: must never happen), and the time
 * from just before the syscall to the moment the event line reached a
 * `rtenf getevents -o json` client (read from its stdout by the bench, both
 * times by CLOCK_REALTIME).  The runs of the two scenarios alternate.
 *
 * Both policies also name the bench's own files in matchBinaries, so that a
 * bench in enforce mode never kills anyone else's process on a shared
 * machine.  A control run of each scenario in audit mode comes first: the
 * marker must appear there, or the marker could not show anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "util.h"

#define MINER_POLICY "rtenf-bench-miner"
#define BREAKOUT_POLICY "rtenf-bench-breakout"
#define EVENT_WAIT_MS 5000

/* At sys_exit_execve the new program is in place and has not run; the
 * kill is delivered on the way back to user space.  (Not sched_process_exec:
 * a perf tracepoint program there runs before the base sensor's tp_btf
 * program has recorded the new binary whenever another tool's perf event
 * on sched_process_exec was there first, and matchBinaries then sees the
 * program that called execve.) */
static const char miner_fmt[] = "# Written by tests/bench (make bench, reaction): kill the exec of a miner.\n"
				"apiVersion: cilium.io/v1alpha1\n"
				"kind: TracingPolicy\n"
				"metadata:\n"
				"  name: " MINER_POLICY "\n"
				"spec:\n"
				"  tracepoints:\n"
				"  - subsystem: syscalls\n"
				"    event: sys_exit_execve\n"
				"    selectors:\n"
				"    - matchBinaries:\n"
				"      - operator: In\n"
				"        values: [\"%s\"]\n"
				"      matchActions:\n"
				"      - action: Sigkill\n";

/* policies/kill-unshare.yaml's unshare hook, limited to the bench. */
static const char breakout_fmt[] = "# Written by tests/bench (make bench, reaction): kill-unshare.yaml's\n"
				   "# unshare hook, limited to the bench's own binary.\n"
				   "apiVersion: cilium.io/v1alpha1\n"
				   "kind: TracingPolicy\n"
				   "metadata:\n"
				   "  name: " BREAKOUT_POLICY "\n"
				   "spec:\n"
				   "  tracepoints:\n"
				   "  - subsystem: syscalls\n"
				   "    event: sys_enter_unshare\n"
				   "    args:\n"
				   "    - index: 5\n"
				   "      type: uint64\n"
				   "      label: flags\n"
				   "    selectors:\n"
				   "    - matchNamespaces:\n"
				   "      - namespace: Pid\n"
				   "        operator: NotIn\n"
				   "        values:\n"
				   "        - host_ns\n"
				   "      matchBinaries:\n"
				   "      - operator: In\n"
				   "        values: [\"%s\"]\n"
				   "      matchActions:\n"
				   "      - action: Sigkill\n";

/* Shared with the offending processes (MAP_SHARED before the fork). */
struct shared {
	volatile uint64_t t0_ns; /* CLOCK_REALTIME just before the syscall */
	volatile uint64_t after; /* breakout: stored once the syscall returned */
	volatile int grandchild_status;
};

struct reaction {
	struct bench *b;
	struct shared *sh;
	char miner[PATH_MAX];  /* DIR/xmrig */
	char marker[PATH_MAX]; /* the miner's fd 3 */
	char self[PATH_MAX];   /* the bench binary: the breakout process */
	pid_t events_pid;
	int events_fd;
	char buf[65536];
	size_t len;
};

const char *const reaction_scenario_names[N_SCENARIOS] = {
    [SCN_MINER] = "cryptominer",
    [SCN_BREAKOUT] = "breakout",
};

static uint64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int write_policy(const struct reaction *r, const char *name, const char *fmt, const char *binary)
{
	char *path = xasprintf("%s/%s.yaml", r->b->dir, name);
	FILE *f = fopen(path, "w");
	int rc = 0;

	if (!f || fprintf(f, fmt, binary) < 0 || fclose(f)) {
		fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	free(path);
	return rc;
}

static int rtenf_cli(const struct reaction *r, char *const args[])
{
	char *argv[16];
	char *out = NULL;
	int n = 0, rc;

	argv[n++] = (char *)r->b->rtenf;
	for (; *args && n < 13; args++)
		argv[n++] = *args;
	argv[n++] = "--socket";
	argv[n++] = r->b->agent_sock;
	argv[n] = NULL;
	rc = child_run(r->b, argv, &out);
	if (rc)
		fprintf(stderr, "bench: rtenf %s failed (%d):\n%s\n", argv[1], rc, out ? out : "");
	free(out);
	return rc;
}

static int copy_file(const char *from, const char *to)
{
	char buf[8192];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;
	int rc = 0;

	if (in < 0)
		return -1;
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = -1;
	if (n < 0 || close(out))
		rc = -1;
	close(in);
	return rc;
}

/* `rtenf getevents -o json` for both policies, its stdout a pipe to us. */
static int events_start(struct reaction *r)
{
	char *argv[] = {(char *)r->b->rtenf, "getevents",	   "-o",       "json",
			"--event-types",     "process_tracepoint", "--policy", MINER_POLICY "," BREAKOUT_POLICY,
			"--socket",	     r->b->agent_sock,	   NULL};
	int p[2];

	if (pipe2(p, O_CLOEXEC))
		return -1;
	r->events_pid = fork();
	if (r->events_pid < 0)
		return -1;
	if (r->events_pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (r->b->others)
			sched_setaffinity(0, r->b->others_size, r->b->others);
		dup2(p[1], 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	r->events_fd = p[0];
	sleep_ms(300); /* subscribed before the first run */
	return 0;
}

/* The event's own "time" (when its BPF program ran, as the agent turns
 * the kernel's boot-time clock into wall time): "2026-11-24T06:33:54.123456789Z". */
static uint64_t event_time_ns(const char *line)
{
	const char *p = strstr(line, "\"time\":\"");
	struct tm tm = {0};
	uint64_t frac = 0;
	int digits = 0;
	char *end;

	if (!p)
		return 0;
	end = strptime(p + 8, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!end)
		return 0;
	if (*end == '.')
		for (end++; *end >= '0' && *end <= '9'; end++, digits++)
			frac = frac * 10 + (uint64_t)(*end - '0');
	for (; digits < 9; digits++)
		frac *= 10;
	return (uint64_t)timegm(&tm) * 1000000000ull + frac;
}

/* The next event line naming policy; *at_ns: when it was read, *ev_ns:
 * the event's own time. */
static int next_event(struct reaction *r, const char *policy, uint64_t *at_ns, uint64_t *ev_ns)
{
	char want[96];
	int waited = 0;

	snprintf(want, sizeof(want), "\"policy_name\":\"%s\"", policy);
	for (;;) {
		char *nl = memchr(r->buf, '\n', r->len);
		struct pollfd pfd = {.fd = r->events_fd, .events = POLLIN};
		uint64_t t0;
		ssize_t n;

		while (nl) {
			bool mine;

			*nl = '\0';
			mine = strstr(r->buf, want) != NULL;
			if (mine)
				*ev_ns = event_time_ns(r->buf);
			r->len -= (size_t)(nl + 1 - r->buf);
			memmove(r->buf, nl + 1, r->len);
			if (mine)
				return 0;
			nl = memchr(r->buf, '\n', r->len);
		}
		if (r->len == sizeof(r->buf)) /* a line longer than the buffer */
			r->len = 0;
		t0 = realtime_ns();
		if (poll(&pfd, 1, EVENT_WAIT_MS - waited) <= 0)
			return -ETIMEDOUT;
		n = read(r->events_fd, r->buf + r->len, sizeof(r->buf) - r->len);
		*at_ns = realtime_ns();
		if (n <= 0)
			return -EPIPE;
		r->len += (size_t)n;
		waited += (int)((*at_ns - t0) / 1000000);
	}
}

/* The miner: exec DIR/xmrig with the marker file as fd 3. */
static pid_t start_miner(struct reaction *r)
{
	int fd = open(r->marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	pid_t pid;

	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char *argv[] = {r->miner, "-o", "stratum+tcp://pool.example:3333", NULL};

		if (dup2(fd, 3) != 3)
			_exit(126);
		r->sh->t0_ns = realtime_ns();
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd);
	return pid;
}

static bool miner_ran(const struct reaction *r)
{
	struct stat st;

	return !stat(r->marker, &st) && st.st_size > 0;
}

/* The breakout: pid 1 of a new pid namespace calls unshare(CLONE_NEWUTS).
 * The child dies the way its pid 1 died, so the caller sees the kill. */
static pid_t start_breakout(struct reaction *r)
{
	pid_t pid;

	/* binds syscall() now: a lazy binding on its first call would run the
	 * dynamic linker between t0 and the syscall */
	syscall(SYS_getppid);
	pid = fork();

	if (pid != 0)
		return pid;
	if (unshare(CLONE_NEWPID))
		_exit(126);
	pid = fork();
	if (pid == 0) {
		r->sh->t0_ns = realtime_ns();
		syscall(SYS_unshare, CLONE_NEWUTS);
		r->sh->after = 1;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, (int *)&r->sh->grandchild_status, 0) != pid)
		_exit(125);
	if (WIFSIGNALED(r->sh->grandchild_status)) {
		signal(WTERMSIG(r->sh->grandchild_status), SIG_DFL);
		kill(getpid(), WTERMSIG(r->sh->grandchild_status));
	}
	_exit(WEXITSTATUS(r->sh->grandchild_status));
}

/* One run; 0 or -1 when something other than rtenf failed. */
static int run_once(struct reaction *r, enum reaction_scenario s, bool *killed, bool *ran_after, uint64_t *lat_ns,
		    uint64_t *hook_ns)
{
	const char *policy = s == SCN_MINER ? MINER_POLICY : BREAKOUT_POLICY;
	uint64_t at = 0, ev = 0;
	int status, rc;
	pid_t pid;

	memset((void *)r->sh, 0, sizeof(*r->sh));
	pid = s == SCN_MINER ? start_miner(r) : start_breakout(r);
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		fprintf(stderr, "bench: cannot run the %s: %s\n", reaction_scenario_names[s], strerror(errno));
		return -1;
	}
	*killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	if (!*killed && WIFEXITED(status) && WEXITSTATUS(status) >= 125) {
		fprintf(stderr, "bench: the %s could not start (exit %d)\n", reaction_scenario_names[s],
			WEXITSTATUS(status));
		return -1;
	}
	*ran_after = s == SCN_MINER ? miner_ran(r) : r->sh->after != 0;
	rc = next_event(r, policy, &at, &ev);
	if (rc) {
		fprintf(stderr, "bench: no %s event reached getevents within %d ms\n", policy, EVENT_WAIT_MS);
		*lat_ns = 0;
		return 1;
	}
	*lat_ns = at > r->sh->t0_ns ? at - r->sh->t0_ns : 0;
	*hook_ns = ev > r->sh->t0_ns ? ev - r->sh->t0_ns : 0;
	return 0;
}

static int setup(struct reaction *r)
{
	struct bench *b = r->b;
	char *apply[] = {"apply", "-f", NULL, "--mode", "audit", NULL};
	const char *fakeminer = getenv("RTENF_FAKEMINER");
	ssize_t n;
	int rc;

	if (!fakeminer || access(fakeminer, X_OK)) {
		fprintf(stderr, "bench: no fake miner at %s (set RTENF_FAKEMINER, or run `make bench`)\n",
			fakeminer ? fakeminer : "$RTENF_FAKEMINER");
		return -1;
	}
	snprintf(r->miner, sizeof(r->miner), "%s/xmrig", b->dir);
	snprintf(r->marker, sizeof(r->marker), "%s/xmrig.marker", b->dir);
	n = readlink("/proc/self/exe", r->self, sizeof(r->self) - 1);
	if (n <= 0 || copy_file(fakeminer, r->miner)) {
		fprintf(stderr, "bench: cannot set up the miner at %s: %s\n", r->miner, strerror(errno));
		return -1;
	}
	r->self[n] = '\0';
	if (write_policy(r, MINER_POLICY, miner_fmt, r->miner) ||
	    write_policy(r, BREAKOUT_POLICY, breakout_fmt, r->self))
		return -1;
	r->sh = mmap(NULL, sizeof(*r->sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r->sh == MAP_FAILED)
		return -1;
	if (rtenf_agent_start(b))
		return -1;
	apply[2] = xasprintf("%s/" MINER_POLICY ".yaml", b->dir);
	rc = rtenf_cli(r, apply);
	free(apply[2]);
	apply[2] = xasprintf("%s/" BREAKOUT_POLICY ".yaml", b->dir);
	rc = rc ? rc : rtenf_cli(r, apply);
	free(apply[2]);
	if (rc)
		return -1;
	return events_start(r);
}

static void teardown(struct reaction *r)
{
	if (r->events_pid > 0)
		child_stop(r->events_pid, SIGTERM, 5000);
	if (r->events_fd > 0)
		close(r->events_fd);
	rtenf_teardown(r->b, CFG_RTENF_NS);
	if (r->sh && r->sh != MAP_FAILED)
		munmap((void *)r->sh, sizeof(*r->sh));
}

int reaction_run(struct bench *b)
{
	static struct reaction r;
	struct reaction_result *res = b->reaction;
	char *enforce_miner[] = {"mode", MINER_POLICY, "enforce", NULL};
	char *enforce_breakout[] = {"mode", BREAKOUT_POLICY, "enforce", NULL};
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.b = b;
	r.events_fd = -1;
	if (setup(&r))
		goto out;
	/* control: in audit mode the marker must show, or it could not show anything */
	for (int s = 0; s < N_SCENARIOS; s++) {
		bool killed, ran;
		uint64_t lat, hook;
		int k = run_once(&r, s, &killed, &ran, &lat, &hook);

		if (k < 0)
			goto out;
		res[s].control_ran = ran && !killed;
		res[s].control_event = k == 0;
	}
	if (rtenf_cli(&r, enforce_miner) || rtenf_cli(&r, enforce_breakout))
		goto out;
	for (int i = 0; i < b->o.runs && !bench_stop; i++)
		for (int s = 0; s < N_SCENARIOS; s++) {
			bool killed, ran;
			uint64_t lat, hook;
			int k = run_once(&r, s, &killed, &ran, &lat, &hook);

			if (k < 0)
				goto out;
			res[s].runs++;
			res[s].killed += killed;
			res[s].ran_after += ran;
			if (k == 0) {
				res[s].hook_ns[res[s].n_lat] = (double)hook;
				res[s].lat_ns[res[s].n_lat++] = (double)lat;
			} else {
				res[s].no_event++;
			}
		}
	rc = bench_stop ? -1 : 0;
out:
	teardown(&r);
	return rc;
}
