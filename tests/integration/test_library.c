// SPDX-License-Identifier: GPL-2.0-only
/*
 * The policy library (the files in policies/) against attacks played for real in a
 * "container" the test builds: a busybox root file system in a temporary
 * directory, its own cgroup v2 directory, new mount, PID, network, UTS and
 * IPC namespaces, chroot.  The workload is the container's second process
 * (its pid 1 is a small reaper, as with `docker exec`).
 *
 * The shipped policy files are applied as they are, with one addition: a
 * cgroup-paths option naming the test's cgroup, so that the rules act on
 * the test's container only and never on other processes of the machine
 * (other tests may run at the same time).  Every event a policy sends is
 * therefore the container's.
 *
 * The attacker (tests/helpers/attacker.c, static) creates /ran-NAME in the
 * container's root as its first act: a process killed in execve leaves no
 * marker.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pb_decode.h>

#include "cgroup.h"
#include "harness.h"
#include "util.h"

static struct test_agent agent;
static char root[128];	 /* the container's root file system */
static char cg_rel[128]; /* its cgroup, below the cgroup v2 root */
static char *cg_path;

static void cleanup(void)
{
	agent_stop(&agent);
	if (cg_rel[0])
		cgroup_remove_tree(cg_rel);
	cg_rel[0] = '\0';
	free(cg_path);
	cg_path = NULL;
	if (root[0]) {
		char *argv[] = {"/bin/rm", "-rf", root, NULL};

		if (access(argv[0], X_OK))
			argv[0] = "/usr/bin/rm";
		run_wait(argv);
	}
	root[0] = '\0';
}

TestSuite(library, .fini = cleanup, .timeout = 180);

/* ---- the container -------------------------------------------------------- */

static const char *busybox_bin(void)
{
	static const char *const where[] = {"/bin/busybox", "/usr/bin/busybox", "/sbin/busybox"};

	for (size_t i = 0; i < ARRAY_SIZE(where); i++)
		if (!access(where[i], X_OK))
			return where[i];
	return NULL;
}

/* Next to the testprog, in the build tree and in the vmtest image alike. */
static char *attacker_bin(void)
{
	char *tp = xstrdup(testprog_bin()), *p = xasprintf("%s/rtenf-attacker", dirname(tp));

	free(tp);
	return p;
}

static void skip(const char *why)
{
	/* criterion shows skip messages only with --verbose: say it here */
	fprintf(stderr, "[SKIP] %s::%s: %s\n", criterion_current_test->category, criterion_current_test->name, why);
	cr_skip_test("%s", why);
}

static void copy_file(const char *src, const char *dst, mode_t mode)
{
	size_t len;
	char *data = read_file(src, &len);
	int fd;

	cr_assert_not_null(data, "cannot read %s: %s", src, strerror(errno));
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode);
	cr_assert_geq(fd, 0, "cannot create %s: %s", dst, strerror(errno));
	cr_assert_eq(write(fd, data, len), (ssize_t)len, "cannot write %s", dst);
	close(fd);
	free(data);
}

static char *at_root(const char *rel)
{
	return xasprintf("%s%s", root, rel);
}

static void mkdir_root(const char *rel)
{
	char *p = at_root(rel);

	cr_assert(!mkdir(p, 0755) || errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
	free(p);
}

static void write_root(const char *rel, const char *text, mode_t mode)
{
	char *p = at_root(rel);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);

	cr_assert_geq(fd, 0, "cannot create %s: %s", p, strerror(errno));
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	free(p);
}

static bool exists_root(const char *rel)
{
	char *p = at_root(rel);
	bool r = !access(p, F_OK);

	free(p);
	return r;
}

/* busybox applets the workloads use, linked in /bin */
static const char applets[] = "sh ls cat echo sed awk grep sort uniq wc tar gzip gunzip mkdir rm cp mv find chmod "
			      "date id uname hostname env head tail tr cut md5sum sha256sum xargs touch seq sleep "
			      "printf test expr basename dirname ln true false mount unshare";

/* The root file system, the cgroup and a clean slate of markers. */
static void container_build(void)
{
	const char *bb;
	char *p, *att;

	require_root();
	bb = busybox_bin();
	if (!bb)
		skip("no busybox binary (make deps installs busybox-static)");
	att = attacker_bin();
	if (access(att, X_OK)) {
		free(att);
		skip("no rtenf-attacker next to the testprog (make integration-test builds it)");
	}
	if (!cgroup2_root())
		skip("no cgroup v2 hierarchy mounted");

	snprintf(root, sizeof(root), "/tmp/rtenf-library-%d", (int)getpid());
	cr_assert(!mkdir(root, 0755) || errno == EEXIST);
	for (const char *const *d = (const char *const[]){"/bin", "/usr", "/usr/bin", "/usr/local", "/usr/local/bin",
							  "/etc", "/tmp", "/dev", "/build", NULL};
	     *d; d++)
		mkdir_root(*d);
	p = at_root("/bin/busybox");
	copy_file(bb, p, 0755);
	free(p);
	for (const char *a = applets; *a;) {
		size_t n = strcspn(a, " ");

		p = xasprintf("%s/bin/%.*s", root, (int)n, a);
		cr_assert(!symlink("busybox", p) || errno == EEXIST, "symlink %s: %s", p, strerror(errno));
		free(p);
		a += n + (a[n] == ' ');
	}
	p = at_root("/usr/bin/nsenter");
	cr_assert(!symlink("/bin/busybox", p) || errno == EEXIST);
	free(p);
	/* the miner behind a symlink with another name */
	p = at_root("/usr/local/bin/helper");
	cr_assert(!symlink("/usr/bin/xmrig", p) || errno == EEXIST);
	free(p);
	/* the miner under its real name, the same bytes renamed, the breakout tool */
	for (const char *const *n =
		 (const char *const[]){"/usr/bin/xmrig", "/usr/local/bin/kworker", "/usr/bin/escape", NULL};
	     *n; n++) {
		p = at_root(*n);
		copy_file(att, p, 0755);
		free(p);
	}
	free(att);
	write_root("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n", 0644);
	write_root("/etc/group", "root:x:0:\nnogroup:x:65534:\n", 0644);
	write_root("/hostns-uts", "", 0644); /* a bind mount of the host's UTS namespace lands here */
	p = at_root("/dev/null");
	cr_assert(!mknod(p, S_IFCHR | 0666, makedev(1, 3)) || errno == EEXIST, "mknod %s: %s", p, strerror(errno));
	free(p);

	snprintf(cg_rel, sizeof(cg_rel), "/rtenf-library-%d", (int)getpid());
	cg_path = cgroup_make(cg_rel);
}

static void loopback_up(void)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return;
	strcpy(ifr.ifr_name, "lo");
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr)) {
		ifr.ifr_flags |= IFF_UP;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	close(fd);
}

/* The container's first process: still in the host's PID namespace (so
 * the library's rules, which watch processes outside it, leave its set-up
 * alone), it joins the cgroup, makes the namespaces, pins the host's UTS
 * namespace at /hostns-uts, chroots and starts pid 1, which starts the
 * workload and reports its wait status on status_fd. */
static void __attribute__((noreturn)) container_init(char *const argv[], int status_fd)
{
	char *procs = xasprintf("%s/cgroup.procs", cg_path), *pin = at_root("/hostns-uts"), self[64];
	int fd = open(procs, O_WRONLY), host_uts, status;
	pid_t pid1, work;

	if (fd < 0 || write(fd, "0\n", 2) != 2)
		_exit(120);
	close(fd);
	host_uts = open("/proc/self/ns/uts", O_RDONLY);
	if (host_uts < 0)
		_exit(121);
	if (unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC))
		_exit(122);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		_exit(123);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", host_uts);
	if (mount(self, pin, NULL, MS_BIND, NULL))
		_exit(124);
	close(host_uts);
	if (sethostname("library-ctr", 11))
		_exit(125);
	loopback_up();
	if (chroot(root) || chdir("/"))
		_exit(126);
	pid1 = fork();
	if (pid1 < 0)
		_exit(127);
	if (pid1 > 0)
		_exit(waitpid(pid1, &status, 0) == pid1 && WIFEXITED(status) ? WEXITSTATUS(status) : 128);

	/* pid 1 of the container */
	work = fork();
	if (work < 0)
		_exit(1);
	if (work == 0) {
		char *const envp[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/", NULL};

		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (waitpid(work, &status, 0) != work)
		_exit(2);
	_exit(write(status_fd, &status, sizeof(status)) == sizeof(status) ? 0 : 3);
}

/* Runs argv (a path in the container) as the container's workload and
 * returns its wait status. */
static int container_run(char *const argv[])
{
	int pfd[2], status, ws = -1;
	pid_t pid;

	cr_assert_eq(pipe(pfd), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		container_init(argv, pfd[1]);
	}
	close(pfd[1]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the container could not run %s: wait status 0x%x",
		  argv[0], status);
	cr_assert_eq(read(pfd[0], &ws, sizeof(ws)), (ssize_t)sizeof(ws), "no status from the container");
	close(pfd[0]);
	return ws;
}

/* ---- policies --------------------------------------------------------------- */

/* policies/NAME.yaml with a cgroup-paths option naming the container's cgroup. */
static char *scoped_policy(const char *name)
{
	char *path = xasprintf("policies/%s.yaml", name), *yaml = read_file(path, NULL), *spec, *out;

	cr_assert_not_null(yaml, "cannot read %s (run the tests from the repository root)", path);
	spec = strstr(yaml, "\nspec:\n");
	cr_assert_not_null(spec, "%s has no spec", path);
	spec += strlen("\nspec:\n");
	out = xasprintf("%.*s  options:\n  - name: cgroup-paths\n    value: \"%s\"\n%s", (int)(spec - yaml), yaml,
			cg_rel, spec);
	free(yaml);
	free(path);
	return out;
}

static void apply_library(const char *name, const char *mode)
{
	char *yaml = scoped_policy(name);

	apply_ok(&agent, name, yaml, mode);
	free(yaml);
}

static void expect_killed(int status, const char *what)
{
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "%s: expected death by SIGKILL, wait status 0x%x",
		  what, status);
}

static void expect_exit(int status, int code, const char *what)
{
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == code, "%s: expected exit %d, wait status 0x%x", what,
		  code, status);
}

/* The next tracepoint event of policy: asserts its event, action and mode. */
static void expect_tp_event(struct event_stream *s, const char *policy, const char *event, bool enforced)
{
	rtenf_ProcessTracepoint *tp;
	rtenf_Event ev;

	cr_assert_eq(stream_next_hook(s, 0, &ev, 5000), 0, "no %s event from %s within 5 s", event, policy);
	tp = &ev.event.process_tracepoint;
	cr_expect_str_eq(tp->policy_name, policy);
	cr_expect_str_eq(tp->event, event);
	cr_expect_eq(tp->action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	cr_expect_eq(tp->enforced, enforced);
	cr_expect_eq(tp->policy_mode,
		     enforced ? rtenf_PolicyMode_POLICY_MODE_ENFORCE : rtenf_PolicyMode_POLICY_MODE_AUDIT);
	cr_assert_not_null(tp->process);
	cr_expect_neq(tp->process->ns_pid, tp->process->pid, "the process is in the container's PID namespace");
	pb_release(rtenf_Event_fields, &ev);
}

/* The next connect event of cryptominer (a kprobe on sys_connect, whatever
 * mechanism runs it). */
static void expect_pool_event(struct event_stream *s, bool enforced)
{
	rtenf_ProcessKprobe *kp;
	rtenf_Event ev;

	cr_assert_eq(stream_next_of(s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0,
		     "no connect event from cryptominer within 5 s");
	kp = &ev.event.process_kprobe;
	cr_expect_str_eq(kp->policy_name, "cryptominer");
	cr_expect_eq(kp->action, rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE);
	cr_expect_eq(kp->enforced, enforced);
	cr_expect_eq(kp->error, EPERM);
	pb_release(rtenf_Event_fields, &ev);
}

/* ---- cryptominer ------------------------------------------------------------ */

static char *const miner_by_name[] = {"/usr/bin/xmrig", "-o", "stratum+tcp://127.0.0.1:3333",
				      "--donate-level", "1",  NULL};
static char *const miner_symlink[] = {"/usr/local/bin/helper", "-o", "stratum+tcp://127.0.0.1:3333", NULL};
static char *const miner_renamed[] = {"/usr/local/bin/kworker", "--url=stratum+tcp://127.0.0.1:14444", "--donate-level",
				      "1", NULL};

Test(library, miner_by_name_is_killed_before_it_runs)
{
	struct event_stream s;

	container_build();
	agent_start(&agent, NULL);
	apply_library("cryptominer", "enforce");
	stream_open(&s, &agent, "cryptominer");

	expect_killed(container_run(miner_by_name), "xmrig");
	cr_expect(!exists_root("/ran-xmrig"), "xmrig ran: its marker exists");
	expect_tp_event(&s, "cryptominer", "sys_exit_execve", true);
	stream_close(&s);
}

Test(library, miner_by_name_is_reported_in_audit_mode)
{
	struct event_stream s;

	container_build();
	agent_start(&agent, NULL);
	apply_library("cryptominer", "audit");
	stream_open(&s, &agent, "cryptominer");

	expect_exit(container_run(miner_by_name), 0, "xmrig in audit mode");
	cr_expect(exists_root("/ran-xmrig"), "audit mode stopped xmrig");
	expect_tp_event(&s, "cryptominer", "sys_exit_execve", false);
	expect_pool_event(&s, false);
	stream_close(&s);
}

/* matchBinaries compares the file executed: a symlink with another name
 * that leads to the miner is the miner. */
Test(library, miner_behind_a_symlink_is_killed_before_it_runs)
{
	struct event_stream s;

	container_build();
	agent_start(&agent, NULL);
	apply_library("cryptominer", "enforce");
	stream_open(&s, &agent, "cryptominer");

	expect_killed(container_run(miner_symlink), "xmrig run as helper");
	cr_expect(!exists_root("/ran-helper"), "xmrig ran: its marker exists");
	expect_tp_event(&s, "cryptominer", "sys_exit_execve", true);
	stream_close(&s);
}

/* exec_args: a miner under any name is killed at sys_exit_execve when its
 * command line names a stratum pool or --donate-level. */
Test(library, renamed_miner_with_pool_arguments_is_killed_before_it_runs)
{
	struct event_stream s;

	container_build();
	agent_start(&agent, NULL);
	apply_library("cryptominer", "enforce");
	stream_open(&s, &agent, "cryptominer");

	expect_killed(container_run(miner_renamed), "renamed miner with stratum arguments");
	cr_expect(!exists_root("/ran-kworker"), "the renamed miner ran: its marker exists");
	expect_tp_event(&s, "cryptominer", "sys_exit_execve", true);
	stream_close(&s);
}

/* Audit mode: it runs; the event shows its command line. */
Test(library, renamed_miner_with_pool_arguments_is_reported_in_audit_mode)
{
	rtenf_ProcessTracepoint *tp;
	struct event_stream s;
	rtenf_Event ev;

	container_build();
	agent_start(&agent, NULL);
	apply_library("cryptominer", "audit");
	stream_open(&s, &agent, "cryptominer");

	expect_exit(container_run(miner_renamed), 0, "renamed miner in audit mode");
	cr_expect(exists_root("/ran-kworker"), "audit mode stopped the renamed miner");
	cr_assert_eq(stream_next_hook(&s, 0, &ev, 5000), 0, "no exec event from cryptominer within 5 s");
	tp = &ev.event.process_tracepoint;
	cr_expect_str_eq(tp->event, "sys_exit_execve");
	cr_expect_eq(tp->action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	cr_expect_not(tp->enforced);
	cr_assert_eq(tp->args_count, 2);
	cr_expect_eq(tp->args[0].which_arg, rtenf_KprobeArgument_string_arg_tag);
	cr_expect_str_eq(tp->args[0].label, "args");
	cr_expect_str_eq(tp->args[0].arg.string_arg,
			 "/usr/local/bin/kworker --url=stratum+tcp://127.0.0.1:14444 --donate-level 1");
	cr_expect_str_eq(tp->args[1].label, "ret");
	cr_expect_eq(tp->args[1].arg.int_arg, 0);
	pb_release(rtenf_Event_fields, &ev);
	expect_pool_event(&s, false);
	stream_close(&s);
}

/* Arguments that come close (the words apart, another scheme) are not a
 * pool's: the same binary runs and connects to a port not listed. */
Test(library, renamed_miner_without_pool_arguments_runs)
{
	static char *const benign[] = {
	    "/usr/local/bin/kworker", "--url=tcp://127.0.0.1:8080", "stratum+udp://x", "--donate", "level", NULL};

	container_build();
	agent_start(&agent, NULL);
	apply_library("cryptominer", "enforce");

	expect_exit(container_run(benign), 0, "kworker with arguments close to a miner's");
	cr_expect(exists_root("/ran-kworker"), "kworker did not run");
}

/* Without its pool arguments the renamed miner runs, and is stopped where
 * it connects to its pool. */
Test(library, renamed_miner_is_denied_its_pool)
{
	static char *const quiet[] = {"/usr/local/bin/kworker", "-o", "tcp://127.0.0.1:14444", NULL};
	struct event_stream s;

	container_build();
	agent_start(&agent, NULL);
	apply_library("cryptominer", "enforce");
	stream_open(&s, &agent, "cryptominer");

	expect_exit(container_run(quiet), EPERM, "renamed miner connecting to port 14444");
	cr_expect(exists_root("/ran-kworker"), "the renamed miner without pool arguments did not run");
	expect_pool_event(&s, true);
	stream_close(&s);
}

/* ---- namespace-breakout ----------------------------------------------------- */

static char *const nsenter_host[] = {"/usr/bin/nsenter", "--uts=/hostns-uts", "/bin/true", NULL};
static char *const setns_host[] = {"/usr/bin/escape", "--setns", "/hostns-uts", NULL};
/* no /proc in the container: even a policy that fails cannot touch the
 * host's core_pattern, and the attacker never writes anyway */
static char *const mount_tmpfs[] = {"/bin/mount", "-t", "tmpfs", "none", "/tmp", NULL};
static char *const unshare_user[] = {"/bin/unshare", "-U", "-r", "/bin/true", NULL};
static char *const core_pattern[] = {"/usr/bin/escape", "--open-write", "/proc/sys/kernel/core_pattern", NULL};

Test(library, breakout_steps_are_killed)
{
	struct event_stream s;

	container_build();
	agent_start(&agent, NULL);
	apply_library("namespace-breakout", "enforce");
	stream_open(&s, &agent, "namespace-breakout");

	expect_killed(container_run(nsenter_host), "nsenter into the host's UTS namespace");
	expect_tp_event(&s, "namespace-breakout", "sched_process_exec", true);

	expect_killed(container_run(setns_host), "setns into the host's UTS namespace");
	cr_expect(exists_root("/ran-escape"), "the breakout tool should have started");
	expect_tp_event(&s, "namespace-breakout", "sys_enter_setns", true);

	expect_killed(container_run(core_pattern), "open core_pattern for writing");
	expect_tp_event(&s, "namespace-breakout", "sys_enter_openat", true);

	expect_killed(container_run(mount_tmpfs), "mount in the container");
	expect_tp_event(&s, "namespace-breakout", "sys_enter_mount", true);

	expect_killed(container_run(unshare_user), "unshare of a user namespace");
	expect_tp_event(&s, "namespace-breakout", "sys_enter_unshare", true);
	stream_close(&s);
}

Test(library, breakout_steps_are_reported_in_audit_mode)
{
	struct event_stream s;

	container_build();
	agent_start(&agent, NULL);
	apply_library("namespace-breakout", "audit");
	stream_open(&s, &agent, "namespace-breakout");

	expect_exit(container_run(setns_host), 0, "setns in audit mode");
	expect_tp_event(&s, "namespace-breakout", "sys_enter_setns", false);

	expect_exit(container_run(core_pattern), ENOENT, "open core_pattern in audit mode (no /proc in the container)");
	expect_tp_event(&s, "namespace-breakout", "sys_enter_openat", false);
	stream_close(&s);
}

/* ---- privilege-escalation --------------------------------------------------- */

/* root in the container becomes nobody, then tries to be root again */
static char *const setuid0[] = {"/usr/bin/escape", "--setuid0", NULL};

Test(library, setuid0_by_non_root_is_killed)
{
	struct event_stream s;

	container_build();
	agent_start(&agent, NULL);
	apply_library("privilege-escalation", "enforce");
	stream_open(&s, &agent, "privilege-escalation");

	expect_killed(container_run(setuid0), "setuid(0) by nobody");
	expect_tp_event(&s, "privilege-escalation", "sys_enter_setuid", true);
	stream_close(&s);
}

Test(library, setuid0_by_non_root_is_reported_in_audit_mode)
{
	struct event_stream s;

	container_build();
	agent_start(&agent, NULL);
	apply_library("privilege-escalation", "audit");
	stream_open(&s, &agent, "privilege-escalation");

	expect_exit(container_run(setuid0), EPERM, "setuid(0) by nobody in audit mode");
	expect_tp_event(&s, "privilege-escalation", "sys_enter_setuid", false);
	stream_close(&s);
}

/* ---- sensitive-files -------------------------------------------------------- */

Test(library, credential_file_read_is_killed)
{
	char *const cat_shadow[] = {"/bin/cat", "/etc/shadow", NULL};
	struct event_stream s;

	container_build();
	write_root("/etc/shadow", "root:$6$not-a-real-hash:19000:0:99999:7:::\n", 0600);
	agent_start(&agent, NULL);
	apply_library("sensitive-files", "enforce");
	stream_open(&s, &agent, "sensitive-files");

	expect_killed(container_run(cat_shadow), "cat /etc/shadow");
	expect_tp_event(&s, "sensitive-files", "sys_enter_openat", true);
	stream_close(&s);
}

/* ---- benign work ------------------------------------------------------------ */

/* A build, a package-style install into the container's root and a loop of
 * everyday tools, as a container's entrypoint script. */
static const char benign_script[] =
    "set -e\n"
    "cd build\n"
    "mkdir -p src/lib out\n"
    "for i in $(seq 1 20); do printf 'int f%d(void) { return %d; }\\n' $i $i > src/lib/f$i.c; done\n"
    "cat src/lib/*.c | sed 's/int/long/' | awk '{ n++ } END { print n }' > out/lines\n"
    "test \"$(cat out/lines)\" = 20\n"
    "grep -l 'return 7;' src/lib/*.c | xargs basename > out/found\n"
    "find src -name '*.c' | sort | head -3 | wc -l > /dev/null\n"
    "tar -cf out/src.tar src && gzip -f out/src.tar && gunzip -c out/src.tar.gz | tar -tf - > out/list\n"
    "md5sum out/list | cut -d' ' -f1 > out/sum\n"
    "mkdir -p pkg/usr/local/bin pkg/usr/local/share/tool\n"
    "printf '#!/bin/sh\\necho tool 1.0\\n' > pkg/usr/local/bin/tool && chmod 755 pkg/usr/local/bin/tool\n"
    "echo data > pkg/usr/local/share/tool/data\n"
    "(cd pkg && tar -czf ../tool.tar.gz .)\n"
    "tar -xzf tool.tar.gz -C /\n"
    "test -x /usr/local/bin/tool\n"
    "for i in 1 2 3 4 5; do\n"
    "  date > /dev/null; id -u > /dev/null; uname -a > /dev/null; hostname > /dev/null\n"
    "  ls -l /etc | tail -1 | tr a-z A-Z > /dev/null\n"
    "  env | sort | uniq | wc -l > /dev/null\n"
    "  cp out/sum out/sum.$i && mv out/sum.$i out/old.$i && rm out/old.$i\n"
    "  touch out/stamp; expr $i + 1 > /dev/null\n"
    "done\n"
    "rm -rf src pkg out tool.tar.gz\n";

static const char *const library[] = {"cryptominer", "namespace-breakout", "sensitive-files", "privilege-escalation",
				      "shell-in-container"};

Test(library, benign_workload_is_left_alone)
{
	/* relative to the container's working directory, its root */
	char *const script[] = {"/bin/sh", "build/benign.sh", NULL};
	rtenf_PolicyCounters c;

	container_build();
	write_root("/build/benign.sh", benign_script, 0755);
	agent_start(&agent, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(library); i++)
		apply_library(library[i], "enforce");

	expect_exit(container_run(script), 0, "the benign workload under every library policy, enforcing");
	cr_expect(exists_root("/usr/local/bin/tool"), "the package was not installed");
	for (size_t i = 0; i < ARRAY_SIZE(library); i++) {
		/* shell-in-container cannot tell a script's shell from a person's
		 * (see its header): it reports the entrypoint's one shell */
		uint64_t expected = !strcmp(library[i], "shell-in-container") ? 1 : 0;

		policy_counters(&agent, library[i], &c);
		cr_expect_eq(c.matched, expected, "%s matched %llu times on the benign workload, expected %llu",
			     library[i], (unsigned long long)c.matched, (unsigned long long)expected);
		cr_expect_eq(c.actions_applied, 0, "%s acted on the benign workload", library[i]);
	}
}

Test(library, shell_in_container_is_reported)
{
	char *const shell[] = {"/bin/sh", "-c", "exit 0", NULL};
	struct event_stream s;
	rtenf_Event ev;

	container_build();
	agent_start(&agent, NULL);
	apply_library("shell-in-container", "enforce");
	stream_open(&s, &agent, "shell-in-container");

	expect_exit(container_run(shell), 0, "a shell in the container (observed only)");
	cr_assert_eq(stream_next_hook(&s, 0, &ev, 5000), 0, "no event from shell-in-container within 5 s");
	cr_expect_str_eq(ev.event.process_tracepoint.policy_name, "shell-in-container");
	cr_expect_eq(ev.event.process_tracepoint.action, rtenf_KprobeAction_KPROBE_ACTION_POST);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
}

/* ---- the files as shipped --------------------------------------------------- */

/* Applies one file to the agent and deletes it again; fails with the
 * agent's reasons when this kernel cannot run it. */
static void applies_here(const char *path)
{
	char *out = NULL, *err = NULL, name[128];
	int rc = cli(&agent, &out, &err, "apply", "-f", path, "--mode", "audit", NULL);

	cr_expect_eq(rc, 0, "%s does not apply on this kernel (exit %d):\n%s", path, rc, err);
	if (rc == 0 && sscanf(out, "applied %127s", name) == 1) {
		free(err);
		err = NULL;
		cr_expect_eq(cli(&agent, NULL, &err, "delete", name, NULL), 0, "delete %s: %s", name, err);
	}
	free(out);
	free(err);
}

static void each_yaml(const char *dir, void (*fn)(const char *dir, const char *name))
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	cr_assert_geq(n, 0, "cannot read %s (run the tests from the repository root)", dir);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]->d_name);

		if (names[i]->d_name[0] != '.' && len > 5 && !strcmp(names[i]->d_name + len - 5, ".yaml"))
			fn(dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

static void check_applies(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);

	applies_here(path);
	free(path);
}

/* policies/default/ holds copies: they must not drift from the library. */
static void check_same_as_library(const char *dir, const char *name)
{
	char *a = xasprintf("%s/%s", dir, name), *b = xasprintf("policies/%s", name);
	char *ta = read_file(a, NULL), *tb = read_file(b, NULL);

	cr_expect_not_null(tb, "%s has no counterpart %s", a, b);
	if (ta && tb)
		cr_expect_str_eq(ta, tb, "%s differs from %s", a, b);
	free(ta), free(tb), free(a), free(b);
}

Test(library, every_shipped_policy_applies_on_this_kernel)
{
	require_root();
	agent_start(&agent, NULL);
	each_yaml("policies", check_applies);
	each_yaml("policies/default", check_applies);
	each_yaml("policies/default", check_same_as_library);
	cr_expect_eq(policy_count(&agent), 0);
}

static const char good_policy[] = "apiVersion: cilium.io/v1alpha1\n"
				  "kind: TracingPolicy\n"
				  "metadata:\n"
				  "  name: good\n"
				  "spec:\n"
				  "  tracepoints:\n"
				  "  - subsystem: syscalls\n"
				  "    event: sys_enter_getppid\n";

/* an LSM hook: BPF LSM, fmod_ret on security_file_open or a kprobe on it */
static const char lsm_policy[] = "apiVersion: cilium.io/v1alpha1\n"
				 "kind: TracingPolicy\n"
				 "metadata:\n"
				 "  name: watch-open\n"
				 "spec:\n"
				 "  lsmhooks:\n"
				 "  - hook: file_open\n"
				 "    args:\n"
				 "    - index: 0\n"
				 "      type: file\n";

/* a syscall no kernel has */
static const char missing_policy[] = "apiVersion: cilium.io/v1alpha1\n"
				     "kind: TracingPolicy\n"
				     "metadata:\n"
				     "  name: no-such-event\n"
				     "spec:\n"
				     "  tracepoints:\n"
				     "  - subsystem: syscalls\n"
				     "    event: sys_enter_rtenf_no_such_call\n";

static char *mixed_dir(const char *base)
{
	char *dir = xasprintf("%s/mixed", base), *p;
	FILE *f;
	const char *const files[][2] = {
	    {"10-good.yaml", good_policy}, {"20-lsm.yaml", lsm_policy}, {"30-missing.yaml", missing_policy}};

	cr_assert_eq(mkdir(dir, 0755), 0);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		p = xasprintf("%s/%s", dir, files[i][0]);
		f = fopen(p, "w");
		cr_assert_not_null(f);
		fputs(files[i][1], f);
		fclose(f);
		free(p);
	}
	return dir;
}

Test(library, apply_refuses_a_directory_with_unsupported_policies)
{
	bool lsm_here = kernel_has("lsm") || kernel_has("fmod_ret") || kernel_has("kprobe");
	char *dir, *out = NULL, *err = NULL;
	int rc;

	require_root();
	agent_start(&agent, NULL);
	dir = mixed_dir(agent.dir);
	rc = cli(&agent, &out, &err, "apply", "-f", dir, "--mode", "audit", NULL);
	cr_expect_eq(rc, 1, "exit %d\n%s%s", rc, out, err);
	cr_expect_str_eq(out, "");
	cr_expect_not_null(strstr(err, lsm_here ? "1 policy cannot be applied on this kernel: no-such-event"
						: "2 policies cannot be applied on this kernel: watch-open"),
			   "%s", err);
	cr_expect_not_null(strstr(err, "nothing applied"), "%s", err);
	cr_expect_not_null(
	    strstr(err, "30-missing.yaml:8:12: unknown tracepoint syscalls/sys_enter_rtenf_no_such_call"), "%s", err);
	if (!lsm_here)
		cr_expect_not_null(strstr(err, "20-lsm.yaml:7:11: cannot hook LSM hook file_open on this kernel"), "%s",
				   err);
	cr_expect_eq(policy_count(&agent), 0, "something was applied");
	free(out), free(err), free(dir);
}

Test(library, skip_unsupported_applies_the_rest)
{
	bool lsm_here = kernel_has("lsm") || kernel_has("fmod_ret") || kernel_has("kprobe");
	char *dir, *out = NULL, *err = NULL, *expect;
	int rc;

	require_root();
	agent_start(&agent, NULL);
	dir = mixed_dir(agent.dir);
	rc = cli(&agent, &out, &err, "apply", "-f", dir, "--mode", "audit", "--skip-unsupported", NULL);
	cr_expect_eq(rc, 0, "exit %d\n%s%s", rc, out, err);
	expect = xasprintf("applied good (audit, 1 hook)\n"
			   "%s"
			   "%s"
			   "skipped no-such-event (this kernel cannot run it; see the warnings)\n",
			   lsm_here ? "applied watch-open (audit, 1 hook)\n" : "",
			   lsm_here ? "" : "skipped watch-open (this kernel cannot run it; see the warnings)\n");
	cr_expect_str_eq(out, expect);
	cr_expect_not_null(strstr(err, "30-missing.yaml:8:12: warning: unknown tracepoint"), "%s", err);
	if (!lsm_here)
		cr_expect_not_null(strstr(err, "20-lsm.yaml:7:11: warning: cannot hook LSM hook file_open"), "%s", err);
	cr_expect_eq(policy_count(&agent), lsm_here ? 2 : 1);
	free(out), free(err), free(dir), free(expect);
}

Test(library, agent_start_skips_unsupported_policies)
{
	bool lsm_here = kernel_has("lsm") || kernel_has("fmod_ret") || kernel_has("kprobe");
	char *dir, *log;

	require_root();
	snprintf(root, sizeof(root), "/tmp/rtenf-library-%d", (int)getpid());
	cr_assert(!mkdir(root, 0755) || errno == EEXIST);
	dir = mixed_dir(root);
	agent_start(&agent, "--policy", dir, "--skip-unsupported", "--mode", "audit", NULL);
	log = agent_log(&agent);
	cr_expect_eq(policy_count(&agent), lsm_here ? 2 : 1, "%s", log);
	cr_expect_not_null(strstr(log, "skipped no-such-event"), "%s", log);
	cr_expect_not_null(strstr(log, "30-missing.yaml:8:12: warning: unknown tracepoint"), "%s", log);
	free(log), free(dir);
}
