// SPDX-License-Identifier: GPL-2.0-only
/*
 * The timed loops.  Each batch is timed as a whole, so the clocks cost
 * nothing per operation, by two clocks at once: CLOCK_MONOTONIC (wall time,
 * what a user waits) and CLOCK_THREAD_CPUTIME_ID (the time this thread ran,
 * its syscalls and the BPF programs they trigger included, but not the time
 * other tasks had the CPU).  The syscalls go through syscall(2) so that no
 * libc caching or wrapper change can remove them.  openat, newfstatat and
 * faccessat name files that exist (bench.c creates them), so every call succeeds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static double now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int run_openat(const char *path, long ops)
{
	for (long i = 0; i < ops; i++) {
		long fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			return -errno;
		syscall(SYS_close, fd);
	}
	return 0;
}

static int run_faccessat(const char *path, long ops)
{
	for (long i = 0; i < ops; i++)
		if (syscall(SYS_faccessat, AT_FDCWD, path, R_OK))
			return -errno;
	return 0;
}

static int run_fstatat(const char *path, long ops)
{
	struct stat st;

	for (long i = 0; i < ops; i++)
		if (syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0))
			return -errno;
	return 0;
}

static void run_nr(long nr, long ops)
{
	for (long i = 0; i < ops; i++)
		syscall(nr);
}

int loop_batch(const struct bench *b, enum bench_loop loop, long ops, double ns[N_CLOCKS])
{
	double w0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	int r = 0;

	switch (loop) {
	case LOOP_OPENAT:
		r = run_openat(b->target, ops);
		break;
	case LOOP_EQUAL_HIT:
	case LOOP_EQUAL_MISS:
		r = run_fstatat(loop == LOOP_EQUAL_HIT ? b->vin : b->vout, ops);
		break;
	case LOOP_PREFIX_HIT:
	case LOOP_PREFIX_MISS:
		r = run_faccessat(loop == LOOP_PREFIX_HIT ? b->vin : b->vout, ops);
		break;
	case LOOP_GETPPID:
	case LOOP_BINARY_HIT:
		run_nr(SYS_getppid, ops);
		break;
	default:
		run_nr(SYS_getpid, ops);
		break;
	}
	ns[CLOCK_CPU] = (now_ns(CLOCK_THREAD_CPUTIME_ID) - c0) / (double)ops;
	ns[CLOCK_WALL] = (now_ns(CLOCK_MONOTONIC) - w0) / (double)ops;
	return r;
}

const char *clock_name(enum bench_clock c)
{
	return c == CLOCK_WALL ? "monotonic" : "cpu";
}

const char *loop_name(enum bench_loop loop)
{
	static const char *const names[N_LOOPS] = {
	    [LOOP_OPENAT] = "openat",
	    [LOOP_GETPPID] = "getppid",
	    [LOOP_EQUAL_HIT] = "equal_matched",
	    [LOOP_EQUAL_MISS] = "equal_unmatched",
	    [LOOP_PREFIX_HIT] = "prefix_matched",
	    [LOOP_PREFIX_MISS] = "prefix_unmatched",
	    [LOOP_BINARY_HIT] = "binaries_matched",
	    [LOOP_BINARY_MISS] = "binaries_unmatched",
	};

	return names[loop];
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double median(const double *v, int n)
{
	double s[BENCH_MAX_ROUNDS > BENCH_MAX_BATCHES ? BENCH_MAX_ROUNDS : BENCH_MAX_BATCHES];

	if (n <= 0)
		return 0;
	memcpy(s, v, (size_t)n * sizeof(*v));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
