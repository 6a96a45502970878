// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf-testprog: makes exactly the syscalls an integration test asks for,
 * so tests can assert on wait status, errno and events.
 *
 *   unshare FLAGS         unshare(2); exit 0 or the errno
 *   unshare-then FLAGS CMD ARGS...
 *                         unshare(2), then run CMD in this same process
 *   setns NSFILE          setns(2) on /proc/self/ns/NSFILE (e.g. uts)
 *   open PATH [N]         open+close PATH N times (default 1)
 *   openat PATH           open(2) PATH once; exit 0 or the errno
 *   mkdir PATH            mkdir(2) PATH; exit 0 or the errno
 *   open-mapped FILE      open(2) the path written in FILE, passing a pointer
 *                         into a fresh mapping of FILE that nothing touched:
 *                         the string's page is not resident at syscall entry
 *   connect ADDR PORT     TCP connect(2) to an IPv4 or IPv6 address
 *   bind ADDR PORT        bind(2) a TCP socket
 *   sendto ADDR PORT      one UDP datagram with sendto(2)
 *   call N TEXT           call rtenf_testprog_probe_target(N, TEXT), the
 *                         function uprobe tests attach to
 *   getppid N             getppid(2) N times
 *   dup                   dup(2) of stdin, closed again; exits 0 (or errno)
 *   dup-i386              the same through the 32-bit syscall entry (int $0x80,
 *                         i386 syscall 41); x86-64 only, else exits ENOSYS
 *   stack-getppid         getppid(2) once from rtenf_testprog_stack_inner,
 *                         called by rtenf_testprog_stack_outer (names the
 *                         stack-trace tests look for), then stay 1 s so
 *                         the agent can read the process's maps
 *   unshare-loop FILE     unshare(0) in a loop, about every 20 us, and after
 *                         each call returns add 1 to the 64-bit counter at
 *                         the start of FILE (shared memory: the count
 *                         survives a kill); exits 0 after 60 s
 *   setuid UID CMD...     setgid/setuid(UID), then CMD (a process that drops root)
 *   kill-self SIG         raise a signal (pid-1-safe via kill(2) of own pid)
 *   capset EFF PRM INH    capset(2) with these 64-bit sets (hex); exit 0 or
 *                         the errno
 *   caps EFF PRM INH CMD ARGS...
 *                         capset, then run CMD (keep-caps across nothing:
 *                         the same process)
 *   gate CMD ARGS...      read one byte from stdin first, then run CMD
 *   spawn CMD ARGS...     run CMD in a child process; exit with its status
 *                         (128+signal if it was killed)
 *   exec PATH ARGS...     execv(2) PATH
 *   cgroup DIR CMD ARGS...
 *                         move into the cgroup v2 directory DIR (write to
 *                         DIR/cgroup.procs), then run CMD
 *   container DIR CMD ARGS...
 *                         a container as runtimes make them: move into
 *                         cgroup DIR, new mount, UTS and PID namespaces, CMD
 *                         as pid 1; dies the way CMD died, as pidns does
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
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

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

static int cmd_openat(char **argv)
{
	int fd = open(argv[0], O_RDONLY);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

static int cmd_open_mapped(char **argv)
{
	int src = open(argv[0], O_RDONLY), fd;
	const char *path;

	if (src < 0)
		return errno;
	path = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, src, 0);
	close(src);
	if (path == MAP_FAILED)
		return errno;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* A global, not inlined function: uprobe tests attach to it by name. */
__attribute__((noinline, used)) int rtenf_testprog_probe_target(int n, const char *text)
{
	/* keeps the call from being folded away */
	__asm__ volatile("" : : "r"(n), "r"(text) : "memory");
	return n + (int)strlen(text);
}

static int cmd_call(char **argv)
{
	return rtenf_testprog_probe_target(atoi(argv[0]), argv[1]) < 0 ? 1 : 0;
}

static socklen_t parse_sockaddr(const char *addr, const char *port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)atoi(port));
		return sizeof(*in4);
	}
	if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)atoi(port));
		return sizeof(*in6);
	}
	return 0;
}

/* op: 'c' connect (TCP), 'b' bind (TCP), 's' sendto (UDP) */
static int cmd_socket(char op, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_sockaddr(argv[0], argv[1], &ss);
	int fd, r;

	if (!len)
		return EINVAL;
	fd = socket(ss.ss_family, op == 's' ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		return errno;
	if (op == 'c')
		r = connect(fd, (struct sockaddr *)&ss, len);
	else if (op == 'b')
		r = bind(fd, (struct sockaddr *)&ss, len);
	else
		r = sendto(fd, "x", 1, 0, (struct sockaddr *)&ss, len) == 1 ? 0 : -1;
	r = r ? errno : 0;
	close(fd);
	return r;
}

/* capset(2) without libcap: version 3, two 32-bit halves per set. */
static int cmd_capset(char **argv)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct data[2];
	unsigned long long eff = strtoull(argv[0], NULL, 16), prm = strtoull(argv[1], NULL, 16),
			   inh = strtoull(argv[2], NULL, 16);

	for (int i = 0; i < 2; i++) {
		data[i].effective = (__u32)(eff >> (32 * i));
		data[i].permitted = (__u32)(prm >> (32 * i));
		data[i].inheritable = (__u32)(inh >> (32 * i));
	}
	return syscall(SYS_capset, &hdr, data) ? errno : 0;
}

static int cmd_getppid(char **argv)
{
	long n = strtol(argv[0], NULL, 10);

	for (long i = 0; i < n; i++)
		(void)getppid();
	return 0;
}

static int cmd_dup(void)
{
	int fd = dup(0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* A 64-bit process may still enter the kernel through the i386 entry: the
 * kernel then marks the task as in a compat syscall, which syscall64
 * arguments report with bit 31. */
static int cmd_dup_i386(void)
{
#if defined(__x86_64__)
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(41L /* i386 dup */), "b"(0L) : "memory");
	if (ret < 0)
		return (int)-ret;
	close((int)ret);
	return 0;
#else
	return ENOSYS;
#endif
}

/* Two frames the user stack of a getppid shows by name (this program is
 * built with frame pointers); the asm keeps calls from becoming jumps. */
__attribute__((noinline, used)) int rtenf_testprog_stack_inner(void)
{
	int r = getppid();

	__asm__ volatile("" ::: "memory");
	return r;
}

__attribute__((noinline, used)) int rtenf_testprog_stack_outer(void)
{
	int r = rtenf_testprog_stack_inner();

	__asm__ volatile("" ::: "memory");
	return r + 1;
}

static int cmd_stack_getppid(void)
{
	if (rtenf_testprog_stack_outer() <= 0)
		return 1;
	sleep(3);
	return 0;
}

/* The counter is bumped only once the call has returned, so after a kill
 * in the syscall it holds exactly the calls that completed. */
static int cmd_unshare_loop(char **argv)
{
	struct timespec pause = {0, 20000}, start, now;
	volatile uint64_t *count;
	int fd = open(argv[0], O_RDWR);

	if (fd < 0)
		return errno;
	if (ftruncate(fd, 4096))
		return errno;
	count = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (count == MAP_FAILED)
		return errno;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (uint64_t i = 0;; i++) {
		if (unshare(0))
			return errno;
		*count = *count + 1;
		nanosleep(&pause, NULL);
		if (i % 1024 == 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec > 60)
				return 0;
		}
	}
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

/* Runs CMD as pid 1 of the PID namespace unshare() just made for children. */
static int run_as_pid1(int argc, char **argv)
{
	int status;
	pid_t pid;

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

static int cmd_pidns(int argc, char **argv)
{
	if (unshare(CLONE_NEWPID))
		return errno;
	return run_as_pid1(argc, argv);
}

static int enter_cgroup(const char *dir)
{
	char path[4096];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	if (write(fd, "0\n", 2) != 2)
		r = errno;
	close(fd);
	return r;
}

static int cmd_cgroup(int argc, char **argv)
{
	int r = enter_cgroup(argv[0]);

	return r ? r : run(argc - 1, argv + 1);
}

static int cmd_container(int argc, char **argv)
{
	int r = enter_cgroup(argv[0]);

	if (r)
		return r;
	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWPID))
		return errno;
	if (sethostname("rtenf-container", 15))
		return errno;
	return run_as_pid1(argc - 1, argv + 1);
}

static int run(int argc, char **argv)
{
	if (argc < 1)
		return 64;
	if (!strcmp(argv[0], "unshare") && argc >= 2)
		return cmd_unshare(argv + 1);
	if (!strcmp(argv[0], "unshare-then") && argc >= 3) {
		int r = cmd_unshare(argv + 1);

		return r ? r : run(argc - 2, argv + 2);
	}
	if (!strcmp(argv[0], "setns") && argc >= 2)
		return cmd_setns(argv + 1);
	if (!strcmp(argv[0], "open") && argc >= 2)
		return cmd_open(argc - 1, argv + 1);
	if (!strcmp(argv[0], "openat") && argc >= 2)
		return cmd_openat(argv + 1);
	if (!strcmp(argv[0], "open-mapped") && argc >= 2)
		return cmd_open_mapped(argv + 1);
	if (!strcmp(argv[0], "mkdir") && argc >= 2)
		return mkdir(argv[1], 0755) ? errno : 0;
	if (!strcmp(argv[0], "call") && argc >= 3)
		return cmd_call(argv + 1);
	if (!strcmp(argv[0], "connect") && argc >= 3)
		return cmd_socket('c', argv + 1);
	if (!strcmp(argv[0], "bind") && argc >= 3)
		return cmd_socket('b', argv + 1);
	if (!strcmp(argv[0], "sendto") && argc >= 3)
		return cmd_socket('s', argv + 1);
	if (!strcmp(argv[0], "dup"))
		return cmd_dup();
	if (!strcmp(argv[0], "dup-i386"))
		return cmd_dup_i386();
	if (!strcmp(argv[0], "stack-getppid"))
		return cmd_stack_getppid();
	if (!strcmp(argv[0], "getppid") && argc >= 2)
		return cmd_getppid(argv + 1);
	if (!strcmp(argv[0], "capset") && argc >= 4)
		return cmd_capset(argv + 1);
	if (!strcmp(argv[0], "caps") && argc >= 5) {
		int r = cmd_capset(argv + 1);

		return r ? r : run(argc - 4, argv + 4);
	}
	if (!strcmp(argv[0], "unshare-loop") && argc >= 2)
		return cmd_unshare_loop(argv + 1);
	/* drops to UID (real, effective and saved) before CMD, as a daemon does */
	if (!strcmp(argv[0], "setuid") && argc >= 3) {
		if (setgid((gid_t)atoi(argv[1])) || setuid((uid_t)atoi(argv[1])))
			return errno;
		return run(argc - 2, argv + 2);
	}
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
	if (!strcmp(argv[0], "cgroup") && argc >= 3)
		return cmd_cgroup(argc - 1, argv + 1);
	if (!strcmp(argv[0], "container") && argc >= 3)
		return cmd_container(argc - 1, argv + 1);
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
