// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf-testprog: makes exactly the syscalls an integration test asks for,
 * so tests can assert on wait status, errno and events.
 *
 *   unshare FLAGS         unshare(2); exit 0 or the errno
 *   setns NSFILE          setns(2) on /proc/self/ns/NSFILE (e.g. uts)
 *   open PATH [N]         open+close PATH N times (default 1)
 *   getppid N             getppid(2) N times
 *   kill-self SIG         raise a signal (pid-1-safe via kill(2) of own pid)
 *   gate CMD ARGS...      read one byte from stdin first, then run CMD
 *   spawn CMD ARGS...     run CMD in a child process; exit with its status
 *                         (128+signal if it was killed)
 *   exec PATH ARGS...     execv(2) PATH
 *   pidns CMD ARGS...     like `unshare -fp`: run CMD as pid 1 of a new PID
 *                         namespace, then die the way it died (util-linux
 *                         2.38's unshare cannot pass on a SIGKILL)
 *
 * The exit code is 0 on success or the errno of the failing call, so a test
 * can tell "denied" (EPERM) from "killed" (wait status) from "ran".
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int run(int argc, char **argv);

static int cmd_unshare(char **argv)
{
	unsigned long flags = strtoul(argv[0], NULL, 0);

	return unshare((int)flags) ? errno : 0;
}

static int cmd_setns(char **argv)
{
	char path[128];
	int fd, r;

	snprintf(path, sizeof(path), "/proc/self/ns/%s", argv[0]);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	r = setns(fd, 0) ? errno : 0;
	close(fd);
	return r;
}

static int cmd_open(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1;

	for (long i = 0; i < n; i++) {
		int fd = open(argv[0], O_RDONLY);

		if (fd >= 0)
			close(fd);
	}
	return 0;
}

static int cmd_getppid(char **argv)
{
	long n = strtol(argv[0], NULL, 10);

	for (long i = 0; i < n; i++)
		(void)getppid();
	return 0;
}

static int cmd_spawn(int argc, char **argv)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(run(argc, argv));
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static int cmd_pidns(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (unshare(CLONE_NEWPID))
		return errno;
	pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0)
		_exit(run(argc, argv));
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	if (WIFSIGNALED(status)) {
		signal(WTERMSIG(status), SIG_DFL);
		kill(getpid(), WTERMSIG(status));
	}
	return WEXITSTATUS(status);
}

static int run(int argc, char **argv)
{
	if (argc < 1)
		return 64;
	if (!strcmp(argv[0], "unshare") && argc >= 2)
		return cmd_unshare(argv + 1);
	if (!strcmp(argv[0], "setns") && argc >= 2)
		return cmd_setns(argv + 1);
	if (!strcmp(argv[0], "open") && argc >= 2)
		return cmd_open(argc - 1, argv + 1);
	if (!strcmp(argv[0], "getppid") && argc >= 2)
		return cmd_getppid(argv + 1);
	if (!strcmp(argv[0], "kill-self") && argc >= 2)
		return kill(getpid(), atoi(argv[1])) ? errno : 0;
	if (!strcmp(argv[0], "gate") && argc >= 2) {
		char c;

		if (read(0, &c, 1) != 1)
			return 65;
		return run(argc - 1, argv + 1);
	}
	if (!strcmp(argv[0], "spawn") && argc >= 2)
		return cmd_spawn(argc - 1, argv + 1);
	if (!strcmp(argv[0], "pidns") && argc >= 2)
		return cmd_pidns(argc - 1, argv + 1);
	if (!strcmp(argv[0], "exec") && argc >= 2) {
		execv(argv[1], argv + 1);
		return errno;
	}
	fprintf(stderr, "rtenf-testprog: unknown command %s\n", argv[0]);
	return 64;
}

int main(int argc, char **argv)
{
	return run(argc - 1, argv + 1);
}
