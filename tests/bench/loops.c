// SPDX-License-Identifier: GPL-2.0-only
/*
 * The timed loops.  Each batch is timed as a whole, so the clocks cost
 * nothing per operation, by two clocks at once: CLOCK_MONOTONIC (wall time,
 * what a user waits) and CLOCK_THREAD_CPUTIME_ID (the time this thread ran,
 * its syscalls and the BPF programs they trigger included, but not the time
 * other tasks had the CPU).  The syscalls go through syscall(2) so that no
 * libc caching or wrapper change can remove them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
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

static void run_getppid(long ops)
{
	for (long i = 0; i < ops; i++)
		syscall(SYS_getppid);
}

int loop_batch(enum bench_loop loop, const char *path, long ops, double ns[N_CLOCKS])
{
	double w0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
	int r = 0;

	if (loop == LOOP_OPENAT)
		r = run_openat(path, ops);
	else
		run_getppid(ops);
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
	return loop == LOOP_OPENAT ? "openat" : "getppid";
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
