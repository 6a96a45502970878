// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helper processes (the agent, the CLI, bpftrace).  Each runs in its own
 * process group so that Ctrl-C reaches only the bench, which then tears
 * things down in order; each dies with the bench (PR_SET_PDEATHSIG) so that
 * even a killed bench leaves no agent or tracer behind; and each runs on
 * the CPUs the timed loops do not use.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "util.h"

static __attribute__((noreturn)) void child_exec(const struct bench *b, char *const argv[], pid_t parent,
						 int out_fd, int err_fd)
{
	int null_fd = open("/dev/null", O_RDONLY);

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent) /* the bench died before prctl() */
		_exit(127);
	if (b->others)
		sched_setaffinity(0, b->others_size, b->others);
	dup2(null_fd, 0);
	dup2(out_fd, 1);
	dup2(err_fd, 2);
	execv(argv[0], argv);
	dprintf(2, "bench: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

pid_t child_start(const struct bench *b, char *const argv[], const char *out_path)
{
	pid_t parent = getpid(), pid;
	int fd = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0)
		child_exec(b, argv, parent, fd, fd);
	close(fd);
	return pid;
}

bool child_alive(pid_t pid)
{
	return pid > 0 && waitpid(pid, NULL, WNOHANG) == 0;
}

void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};

	nanosleep(&ts, NULL);
}

int child_stop(pid_t pid, int sig, int timeout_ms)
{
	int status = 0;

	if (pid <= 0)
		return 0;
	kill(pid, sig);
	for (int waited = 0; waited < timeout_ms; waited += 10) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return status;
		sleep_ms(10);
	}
	fprintf(stderr, "bench: pid %d did not exit within %d ms of signal %d; killing it\n", (int)pid, timeout_ms,
		sig);
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

int child_run(const struct bench *b, char *const argv[], char **out)
{
	struct strbuf sb = {0};
	pid_t parent = getpid(), pid;
	int p[2], status;
	char buf[4096];
	ssize_t n;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child_exec(b, argv, parent, p[1], p[1]);
	close(p[1]);
	for (;;) {
		n = read(p[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sb_append(&sb, buf, (size_t)n);
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (out)
		*out = sb.buf ? sb_steal(&sb) : xstrdup("");
	else
		sb_free(&sb);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int remove_tree(const char *dir)
{
	return nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}
