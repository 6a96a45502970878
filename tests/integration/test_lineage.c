// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who did it: the process, parent and ancestors of real events.  A process
 * started before the agent (so known only from /proc) forks and execs a
 * child, which forks and execs a grandchild that opens a watched file; the
 * fields are checked against what /proc said and against each other.  And
 * the container id of a process in a cgroup named the way docker names
 * them, for a cgroup made before the agent started and one made after.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pb_decode.h>

#include "cgroup.h"
#include "harness.h"
#include "proc_scan.h"
#include "util.h"

#define DOCKER_ID "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"
#define DOCKER_ID2 "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"

static struct test_agent agent;
static char cg_rel[128]; /* a cgroup directory this suite made, removed at the end */

static void stop(void)
{
	agent_stop(&agent);
	cgroup_remove_tree(cg_rel);
	cg_rel[0] = '\0';
}

TestSuite(lineage, .fini = stop, .timeout = 120);

static const char watch_open[] = "apiVersion: cilium.io/v1alpha1\n"
				 "kind: TracingPolicy\n"
				 "metadata:\n"
				 "  name: lineage\n"
				 "spec:\n"
				 "  tracepoints:\n"
				 "  - subsystem: syscalls\n"
				 "    event: sys_enter_openat\n"
				 "    args:\n"
				 "    - index: 6\n"
				 "      type: string\n"
				 "    selectors:\n"
				 "    - matchArgs:\n"
				 "      - index: 0\n"
				 "        operator: Equal\n"
				 "        values: [\"%s\"]\n";

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Decodes a Tetragon exec id: base64 of "node:ktime:pid". */
static void decode_exec_id(const char *id, char *node, size_t nodelen, unsigned long long *ktime, unsigned *pid)
{
	char raw[256];
	size_t n = 0;
	unsigned v = 0, bits = 0;

	cr_assert_not_null(id, "no exec_id");
	for (const char *p = id; *p && *p != '=' && n < sizeof(raw) - 1; p++) {
		const char *c = strchr(b64, *p);

		cr_assert_not_null(c, "exec_id %s is not base64", id);
		v = v << 6 | (unsigned)(c - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			raw[n++] = (char)(v >> bits);
			v &= (1u << bits) - 1;
		}
	}
	raw[n] = '\0';
	{
		char *last = strrchr(raw, ':'), *mid;

		cr_assert_not_null(last, "exec_id %s decodes to %s", id, raw);
		*last = '\0';
		mid = strrchr(raw, ':');
		cr_assert_not_null(mid, "exec_id %s", id);
		*mid = '\0';
		snprintf(node, nodelen, "%.*s", (int)(nodelen - 1), raw);
		*ktime = strtoull(mid + 1, NULL, 10);
		*pid = (unsigned)strtoul(last + 1, NULL, 10);
	}
}

/* start_time of /proc/PID/stat in ns, as the agent computes it. */
static unsigned long long proc_start_ns(pid_t pid)
{
	char path[64], *text, *p, *save = NULL;
	unsigned long long ticks = 0;
	int field = 3;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = read_file(path, NULL);
	cr_assert_not_null(text);
	p = strrchr(text, ')');
	for (char *tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save), field++)
		if (field == 22)
			ticks = strtoull(tok, NULL, 10);
	free(text);
	return ticks * (1000000000ull / (unsigned long long)sysconf(_SC_CLK_TCK));
}

static unsigned proc_loginuid(void)
{
	char *text = read_file("/proc/self/loginuid", NULL);
	unsigned v = text ? (unsigned)strtoul(text, NULL, 10) : 4294967295u;

	free(text);
	return v;
}

static bool args_are(const rtenf_Process *p, const char *want)
{
	return p && p->arguments && !strcmp(p->arguments, want);
}

/* Reads events until one of kind `which` whose process has these arguments. */
static int next_with_args(struct event_stream *s, pb_size_t which, const char *args, rtenf_Event *ev)
{
	for (int i = 0; i < 5000; i++) {
		const rtenf_Process *p;
		int r = stream_next(s, ev, 5000);

		if (r)
			return r;
		p = ev->which_event == rtenf_Event_process_exec_tag ? ev->event.process_exec.process
								    : hook_event_process(ev);
		if (ev->which_event == which && args_are(p, args))
			return 0;
		pb_release(rtenf_Event_fields, ev);
	}
	return -ETIMEDOUT;
}

static void expect_host_process(const rtenf_Process *p, const char *what)
{
	char cwd[4096];

	cr_assert_not_null(p, "%s missing", what);
	cr_expect_eq(p->tid, p->pid, "%s: tid", what);
	cr_expect_eq(p->ns_pid, p->pid, "%s: ns_pid in the host pid namespace", what);
	cr_expect_eq(p->uid, geteuid(), "%s: uid (effective)", what);
	cr_expect_eq(p->auid, proc_loginuid(), "%s: auid is the loginuid", what);
	cr_expect(p->has_process_credentials && p->process_credentials.uid == getuid() &&
		      p->process_credentials.gid == getgid(),
		  "%s: credentials", what);
	cr_expect(p->has_cap && p->cap.effective, "%s: capabilities (root has some)", what);
	cr_expect(p->has_ns && p->ns.mnt.inum && p->ns.pid.is_host, "%s: namespaces", what);
	cr_expect(p->start_time > 0, "%s: start_time", what);
	cr_expect_str_eq(p->cwd, getcwd(cwd, sizeof(cwd)), "%s: cwd", what);
	cr_expect_eq(p->cgroup_id, proc_cgroup_id(getpid()), "%s: cgroup id", what);
	cr_expect_null(p->container_id, "%s: not in a container", what);
}

Test(lineage, three_deep_tree_rooted_before_the_agent)
{
	char *target, *yaml, *grand_args, *child_args, node[256], *argv[16];
	const rtenf_Process *proc, *parent, *anc0;
	unsigned long long ktime, root_start;
	struct event_stream with, without;
	rtenf_Event hook, hook_bare, child_exec, grand_exec;
	rtenf_ProcessTracepoint *tp;
	struct utsname un;
	unsigned pid;
	int gate, status;
	pid_t root;

	require_root();
	target = xasprintf("/tmp/rtenf-lineage-%d", (int)getpid());
	/* root: started before the agent, waits at its gate; then
	 *   root --fork--> child: exec testprog "spawn exec T open TARGET"
	 *   child --fork--> grandchild: exec testprog "open TARGET" */
	argv[0] = (char *)testprog_bin(), argv[1] = "gate", argv[2] = "spawn", argv[3] = "exec",
	argv[4] = (char *)testprog_bin(), argv[5] = "spawn", argv[6] = "exec", argv[7] = (char *)testprog_bin(),
	argv[8] = "open", argv[9] = target, argv[10] = NULL;
	root = run_gated(argv, &gate);
	usleep(200000); /* it has exec'd testprog and waits */

	agent_start(&agent, NULL);
	yaml = xasprintf(watch_open, target);
	apply_ok(&agent, "lineage", yaml, "audit");
	stream_open_ancestors(&with, &agent, NULL);
	stream_open(&without, &agent, "lineage");
	root_start = proc_start_ns(root);
	status = gate_and_wait(root, gate);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the tree ran: wait status 0x%x", status);

	child_args = xasprintf("spawn exec %s open %s", testprog_bin(), target);
	grand_args = xasprintf("open %s", target);
	cr_assert_eq(next_with_args(&with, rtenf_Event_process_exec_tag, child_args, &child_exec), 0,
		     "no exec event of the child");
	cr_assert_eq(next_with_args(&with, rtenf_Event_process_exec_tag, grand_args, &grand_exec), 0,
		     "no exec event of the grandchild");
	cr_assert_eq(next_with_args(&with, rtenf_Event_process_tracepoint_tag, grand_args, &hook), 0,
		     "no hook event of the grandchild");
	cr_assert_eq(next_with_args(&without, rtenf_Event_process_tracepoint_tag, grand_args, &hook_bare), 0,
		     "no hook event on the stream without ancestors");

	/* the root, as /proc showed it when the agent started */
	parent = child_exec.event.process_exec.parent;
	cr_assert_not_null(parent);
	cr_expect_eq(parent->pid, (uint32_t)root);
	cr_expect_str_eq(parent->flags, "procFS");
	cr_expect_str_eq(parent->binary, testprog_bin());
	decode_exec_id(parent->exec_id, node, sizeof(node), &ktime, &pid);
	uname(&un);
	cr_expect_str_eq(node, un.nodename);
	cr_expect_eq(pid, (unsigned)root);
	cr_expect_eq(ktime, root_start, "the root's exec id holds its /proc start time");
	expect_host_process(parent, "root");

	/* the child: exec'd after a fork, its parent the root */
	proc = child_exec.event.process_exec.process;
	expect_host_process(proc, "child");
	cr_expect_str_eq(proc->flags, "execve clone");
	cr_expect_str_eq(proc->binary, testprog_bin());
	cr_expect_str_eq(proc->parent_exec_id, parent->exec_id, "child's parent_exec_id is the root's exec id");
	decode_exec_id(proc->exec_id, node, sizeof(node), &ktime, &pid);
	cr_expect_eq(pid, proc->pid);
	cr_expect_neq(proc->pid, (uint32_t)root);

	/* the grandchild's exec and its hook event agree on who is who */
	cr_expect_str_eq(grand_exec.event.process_exec.parent->exec_id, proc->exec_id);
	cr_expect_str_eq(grand_exec.event.process_exec.process->parent_exec_id, proc->exec_id);
	tp = &hook.event.process_tracepoint;
	expect_host_process(tp->process, "grandchild");
	cr_expect_str_eq(tp->process->exec_id, grand_exec.event.process_exec.process->exec_id);
	cr_expect_str_eq(tp->process->flags, "execve clone");
	cr_expect_str_eq(tp->parent->exec_id, proc->exec_id);
	cr_expect_eq(tp->parent->pid, proc->pid);
	cr_expect_str_eq(tp->parent->parent_exec_id, parent->exec_id, "the parent names its own parent");

	/* ancestors: the root, then the test runner that started it */
	cr_assert_geq(tp->ancestors_count, 2, "ancestors: %u", (unsigned)tp->ancestors_count);
	anc0 = &tp->ancestors[0];
	cr_expect_eq(anc0->pid, (uint32_t)root);
	cr_expect_str_eq(anc0->exec_id, parent->exec_id);
	cr_expect_str_eq(anc0->flags, "procFS");
	cr_expect_eq(tp->ancestors[1].pid, (uint32_t)getpid());
	cr_expect_str_eq(anc0->parent_exec_id, tp->ancestors[1].exec_id);
	for (pb_size_t i = 0; i + 1 < tp->ancestors_count; i++)
		cr_expect_str_eq(tp->ancestors[i].parent_exec_id, tp->ancestors[i + 1].exec_id, "ancestor %u",
				 (unsigned)i);
	cr_expect_eq(grand_exec.event.process_exec.ancestors_count, tp->ancestors_count,
		     "exec events carry the same ancestors");

	/* a client that did not ask gets the same event without them */
	cr_expect_eq(hook_bare.event.process_tracepoint.ancestors_count, 0);
	cr_expect_str_eq(hook_bare.event.process_tracepoint.process->exec_id, tp->process->exec_id);

	pb_release(rtenf_Event_fields, &hook);
	pb_release(rtenf_Event_fields, &hook_bare);
	pb_release(rtenf_Event_fields, &child_exec);
	pb_release(rtenf_Event_fields, &grand_exec);
	stream_close(&with);
	stream_close(&without);
	free(child_args);
	free(grand_args);
	free(yaml);
	free(target);
}

/* Runs testprog in cgroup dir and returns the docker field of its exec
 * event and of its exit event (both must be there). */
static void expect_container(struct event_stream *s, const char *dir, const char *want)
{
	char *tag = xasprintf("getppid %d", (int)getpid());
	char *argv[] = {(char *)testprog_bin(), "cgroup",  (char *)dir, "exec",
			(char *)testprog_bin(), "getppid", tag + 8,	NULL};
	rtenf_Event ev;
	int status = run_wait(argv);

	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "testprog in %s: wait status 0x%x", dir, status);
	cr_assert_eq(next_with_args(s, rtenf_Event_process_exec_tag, tag, &ev), 0, "no exec event in %s", dir);
	cr_expect_str_eq(ev.event.process_exec.process->container_id, want, "exec in %s", dir);
	cr_expect_eq(ev.event.process_exec.process->cgroup_id, cgroup2_id(dir + strlen(cgroup2_root())));
	pb_release(rtenf_Event_fields, &ev);
	free(tag);
}

Test(lineage, container_id_from_docker_cgroup_names)
{
	char *base_rel = xasprintf("/rtenf-lineage-%d", (int)getpid()), *rel, *before, *after, *nested;
	struct event_stream s;

	require_root();
	cr_assert_not_null(cgroup2_root(), "no cgroup v2 hierarchy mounted");
	snprintf(cg_rel, sizeof(cg_rel), "%s", base_rel);
	free(cgroup_make(base_rel));
	/* made before the agent: found by its scan of the hierarchy */
	rel = xasprintf("%s/docker-" DOCKER_ID ".scope", base_rel);
	before = cgroup_make(rel);
	free(rel);

	agent_start(&agent, NULL);
	stream_open(&s, &agent, NULL);
	/* made after: learnt from the kernel's cgroup_mkdir */
	rel = xasprintf("%s/system.slice", base_rel);
	free(cgroup_make(rel));
	free(rel);
	rel = xasprintf("%s/system.slice/docker-" DOCKER_ID2 ".scope", base_rel);
	after = cgroup_make(rel);
	free(rel);
	/* a cgroup of the container's own (systemd inside it) */
	rel = xasprintf("%s/system.slice/docker-" DOCKER_ID2 ".scope/init.scope", base_rel);
	nested = cgroup_make(rel);
	free(rel);

	expect_container(&s, before, "9ec39b91f3d70e1beff50a308f77067");
	expect_container(&s, after, "4f797c539e6c745de61a93ca3ff8923");
	expect_container(&s, nested, "4f797c539e6c745de61a93ca3ff8923");
	stream_close(&s);
	free(before);
	free(after);
	free(nested);
	free(base_rel);
}
