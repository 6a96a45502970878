// SPDX-License-Identifier: GPL-2.0-only
/*
 * (d) and (d'): bpftrace with the filters of (c) and (c'), written the way
 * a bpftrace user would: the pid namespace of the task, then the argument.
 * bpftrace evaluates && lazily (its generated code branches after the
 * namespace compare), so (d) is an early exit as well.  Differences that
 * remain, said in docs/bench.md: bpftrace reads the namespace through
 * nsproxy->pid_ns_for_children (3 loads; rtenf walks thread_pid, 4 loads),
 * and str() copies at most 64 bytes (rtenf reads up to the NUL, 4 KiB max).
 *
 * bpftrace prints "Attaching N probes..." before it attaches, so the bench
 * waits for that line and then until its programs show up on both
 * tracepoints (tracers.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "util.h"

#define NEVER_PREFIX "/nonexistent-rtenf-bench/"

void bpftrace_find(struct bench *b)
{
	static char found[PATH_MAX];
	const char *env = getenv("BPFTRACE"), *path = getenv("PATH");
	char *argv[3] = {NULL, "--version", NULL}, *out = NULL;

	b->bpftrace = NULL;
	if (env && *env) {
		if (access(env, X_OK) == 0)
			b->bpftrace = env;
	} else {
		char *dirs = xstrdup(path ? path : "/usr/local/bin:/usr/bin:/bin"), *save = NULL;

		for (char *d = strtok_r(dirs, ":", &save); d && !b->bpftrace; d = strtok_r(NULL, ":", &save)) {
			snprintf(found, sizeof(found), "%s/bpftrace", d);
			if (access(found, X_OK) == 0)
				b->bpftrace = found;
		}
		free(dirs);
	}
	if (!b->bpftrace)
		return;
	argv[0] = (char *)b->bpftrace;
	if (child_run(b, argv, &out) == 0)
		snprintf(b->bpftrace_version, sizeof(b->bpftrace_version), "%.*s", (int)strcspn(out, "\n"), out);
	free(out);
}

char *bpftrace_script(const struct bench *b, enum cfg_id id)
{
	const char *op = id == CFG_BPFTRACE_NS ? "!=" : "==";

	return xasprintf("tracepoint:syscalls:sys_enter_openat\n"
			 "/curtask->nsproxy->pid_ns_for_children->ns.inum %s %u &&\n"
			 " strncmp(str(args->filename), \"%s\", %zu) == 0/\n"
			 "{ @openat = count(); }\n"
			 "tracepoint:syscalls:sys_enter_getppid\n"
			 "/curtask->nsproxy->pid_ns_for_children->ns.inum %s %u &&\n"
			 " args->__syscall_nr == -1/\n"
			 "{ @getppid = count(); }\n",
			 op, b->pidns, NEVER_PREFIX, strlen(NEVER_PREFIX), op, b->pidns);
}

/* Both tracepoints carry a program of this bpftrace (an fd each, perhaps
 * more than one per tracepoint: count tracepoints, not fds). */
static bool attached(const struct bench *b)
{
	static const char *const want[] = {"sys_enter_openat", "sys_enter_getppid"};
	struct foreign_tracer t[16];
	int n = syscall_tracers(b->bpftrace_pid, t, 16), found = 0;

	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++)
		for (int i = 0; i < n && i < 16; i++)
			if (!strcmp(t[i].tp, want[w])) {
				found++;
				break;
			}
	return found == (int)(sizeof(want) / sizeof(want[0]));
}

static bool log_has(const struct bench *b, const char *what)
{
	char *log = read_file(b->bpftrace_log, NULL);
	bool has = log && strstr(log, what);

	free(log);
	return has;
}

/* A count() map as bpftrace prints it on exit: "@openat: 0". */
static uint64_t map_count(const struct bench *b, const char *name)
{
	char *log = read_file(b->bpftrace_log, NULL), *p = log ? strstr(log, name) : NULL;
	uint64_t n = p ? strtoull(p + strlen(name), NULL, 10) : 0;

	free(log);
	return n;
}

static void print_log(const struct bench *b)
{
	char *log = read_file(b->bpftrace_log, NULL);

	fprintf(stderr, "--- %s ---\n%s--- end ---\n", b->bpftrace_log, log ? log : "");
	free(log);
}

int bpftrace_setup(struct bench *b, enum cfg_id id)
{
	char *script = bpftrace_script(b, id);
	char *argv[] = {(char *)b->bpftrace, "-e", script, NULL};

	snprintf(b->bpftrace_log, sizeof(b->bpftrace_log), "%s/bpftrace.log", b->dir);
	b->bpftrace_pid = child_start(b, argv, b->bpftrace_log);
	free(script);
	if (b->bpftrace_pid < 0) {
		fprintf(stderr, "bench: cannot start %s: %s\n", b->bpftrace, strerror(errno));
		return -1;
	}
	for (int waited = 0;; waited += 20) {
		if (log_has(b, "Attaching") && attached(b))
			return 0;
		if (!child_alive(b->bpftrace_pid) || waited > 30000 || bench_stop) {
			fprintf(stderr, "bench: bpftrace %s\n", bench_stop ? "start was interrupted"
					: child_alive(b->bpftrace_pid) ? "did not attach within 30 s" : "exited");
			if (!bench_stop)
				print_log(b);
			bpftrace_teardown(b, id);
			return -1;
		}
		sleep_ms(20);
	}
}

void bpftrace_inspect(struct bench *b, enum cfg_id id)
{
	struct bench_mem *m = &b->mem[id];

	m->valid = true;
	m->rss = process_rss(b->bpftrace_pid);
	m->policy_kernel = process_map_memory(b->bpftrace_pid);
	m->prog_kernel = syscall_prog_memory(b->bpftrace_pid);
}

void bpftrace_teardown(struct bench *b, enum cfg_id id)
{
	if (b->bpftrace_pid <= 0)
		return;
	/* SIGINT is how bpftrace is meant to end: it detaches, prints its maps
	 * (all zero: nothing matched) and exits. */
	child_stop(b->bpftrace_pid, SIGINT, 10000);
	b->bpftrace_pid = 0;
	b->mem[id].matched += map_count(b, "@openat: ") + map_count(b, "@getppid: ");
}
