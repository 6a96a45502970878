// SPDX-License-Identifier: GPL-2.0-only
/* The process cache: lineage across /proc and sensor records, Tetragon's
 * flags, and the container a process's cgroup names. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "process_cache.h"
#include "util.h"

#define DOCKER_ID "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"

static struct process_cache pc;

static void setup(void)
{
	process_cache_init(&pc, "node");
}

static void teardown(void)
{
	process_cache_free(&pc);
}

TestSuite(process_cache, .init = setup, .fini = teardown);

/* A process as proc_scan records one. */
static struct proc_entry *procfs(uint32_t pid, uint32_t ppid, uint64_t ktime, uint64_t parent_ktime, uint64_t cg)
{
	struct proc_entry *e = xcalloc(1, sizeof(*e));

	e->pid = pid;
	e->ppid = ppid;
	e->ktime = ktime;
	e->parent_ktime = parent_ktime;
	e->binary = xstrdup("/usr/bin/bash");
	e->arguments = xstrdup("");
	e->cwd = xstrdup("/");
	e->uid = 1000;
	e->euid = 0;
	e->cgroup_id = cg;
	return process_cache_add(&pc, e);
}

static struct proc_entry *exec_record(uint32_t pid, uint32_t ppid, uint64_t ktime, uint64_t parent_ktime, uint8_t flags,
				      const char *cwd, uint64_t cg)
{
	struct rtenf_msg_exec m = {0};
	static const char argv[] = "prog\0-a\0b c";

	m.hdr.op = RTENF_OP_EXEC;
	m.hdr.flags = flags;
	m.task.tgid = pid;
	m.task.tid = pid;
	m.task.exec_id = ktime;
	m.task.cgroup_id = cg;
	m.task.uid = 1000;
	m.task.euid = 1000;
	m.parent_exec_id = parent_ktime;
	m.ppid = ppid;
	m.auid = 1000;
	return process_cache_exec(&pc, &m, "/usr/bin/prog", argv, sizeof(argv) - 1, cwd);
}

static struct proc_entry *clone_record(uint32_t pid, uint32_t ppid, uint64_t ktime, uint64_t parent_ktime, uint64_t cg)
{
	struct rtenf_msg_clone m = {0};

	m.hdr.op = RTENF_OP_CLONE;
	m.task.tgid = pid;
	m.task.exec_id = ktime;
	m.task.cgroup_id = cg;
	m.parent_exec_id = parent_ktime;
	m.ppid = ppid;
	return process_cache_clone(&pc, &m);
}

Test(process_cache, tree_started_before_the_agent_links_to_its_children)
{
	struct proc_entry *root = procfs(100, 1, 5000000000ull, 0, 1), *child, *grandchild;
	rtenf_Process p;

	/* forked and exec'd after the agent started: the kernel took the
	 * parent's exec id from the table proc_scan filled */
	clone_record(200, 100, 6000000000ull, root->ktime, 1);
	child = exec_record(200, 100, 6000000100ull, root->ktime, RTENF_EXEC_F_CLONE, "/tmp", 1);
	clone_record(300, 200, 7000000000ull, child->ktime, 1);
	grandchild = exec_record(300, 200, 7000000100ull, child->ktime, RTENF_EXEC_F_CLONE, "/", 1);

	cr_assert_eq(process_cache_parent(&pc, grandchild), child);
	cr_assert_eq(process_cache_parent(&pc, child), root);
	cr_assert_null(process_cache_parent(&pc, root), "pid 1 was not recorded");

	process_cache_fill(&pc, root, &p);
	cr_expect_str_eq(p.flags, "procFS rootcwd");
	cr_expect_str_eq(p.exec_id, make_exec_id("node", 5000000000ull, 100));
	cr_expect_eq(p.uid, 0, "process.uid is the effective uid, as in Tetragon");
	cr_expect_eq(p.process_credentials.uid, 1000);
	process_cache_fill(&pc, child, &p);
	cr_expect_str_eq(p.flags, "execve clone");
	cr_expect_str_eq(p.arguments, "-a b c");
	process_cache_fill(&pc, grandchild, &p);
	cr_expect_str_eq(p.flags, "execve rootcwd clone");
}

Test(process_cache, exec_without_fork_is_not_clone)
{
	struct proc_entry *e =
	    exec_record(400, 1, 1000, 0, RTENF_EXEC_F_ARGS_TRUNCATED | RTENF_EXEC_F_PATH_TRUNCATED, "/home", 1);
	rtenf_Process p;

	process_cache_fill(&pc, e, &p);
	cr_expect_str_eq(p.flags, "execve truncFilename truncArgs");
}

Test(process_cache, newer_image_wins_over_proc_scan)
{
	struct proc_entry *exec = exec_record(500, 1, 9000, 0, 0, "/", 1), *scanned;

	/* proc_scan read an older start time for the same pid: dropped */
	scanned = procfs(500, 1, 8000, 0, 1);
	cr_assert_eq(scanned, exec);
	cr_assert_eq(process_cache_lookup(&pc, 500, 0), exec);
}

Test(process_cache, container_of_the_cgroup)
{
	struct proc_entry *in, *out;
	rtenf_Process p;

	cgroup_table_add(&pc.cgroups, 1, 0, 0, "/");
	cgroup_table_add(&pc.cgroups, 44, 1, 2, "/system.slice/docker-" DOCKER_ID ".scope");
	cgroup_table_add(&pc.cgroups, 45, 44, 3, "/system.slice/docker-" DOCKER_ID ".scope/init.scope");
	in = exec_record(600, 1, 100, 0, 0, "/", 45);
	out = exec_record(601, 1, 100, 0, 0, "/", 1);

	process_cache_fill(&pc, in, &p);
	cr_expect_str_eq(p.container_id, "9ec39b91f3d70e1beff50a308f77067", "the first 31 characters, as Tetragon");
	cr_expect_eq(p.cgroup_id, 45);
	process_cache_fill(&pc, out, &p);
	cr_expect_null(p.container_id);
	cr_expect_str_eq(process_cache_docker(&pc, 44), "9ec39b91f3d70e1beff50a308f77067");
	cr_expect_str_eq(process_cache_docker(&pc, 999), "", "unknown cgroup");
	/* a clone into a container's cgroup (CLONE_INTO_CGROUP) */
	process_cache_fill(&pc, clone_record(602, 601, 200, 100, 44), &p);
	cr_expect_str_eq(p.container_id, "9ec39b91f3d70e1beff50a308f77067");
}

Test(process_cache, cgroup_table_grows_and_forgets)
{
	for (uint64_t id = 1; id <= 2000; id++) {
		char path[32];

		snprintf(path, sizeof(path), "/c%llu", (unsigned long long)id);
		cgroup_table_add(&pc.cgroups, id, 1, 1, path);
	}
	cr_assert_eq(pc.cgroups.count, 2000);
	cr_assert_str_eq(cgroup_table_get(&pc.cgroups, 1234)->path, "/c1234");
	cgroup_table_remove(&pc.cgroups, 1234);
	cr_assert_null(cgroup_table_get(&pc.cgroups, 1234));
	cr_assert_eq(pc.cgroups.count, 1999);
	/* re-adding updates in place */
	cgroup_table_add(&pc.cgroups, 7, 1, 1, "/renamed");
	cr_assert_str_eq(cgroup_table_get(&pc.cgroups, 7)->path, "/renamed");
	cr_assert_eq(pc.cgroups.count, 1999);
}

Test(process_cache, a_clone_has_its_own_namespaces)
{
	struct proc_entry *parent = exec_record(700, 1, 100, 0, 0, "/", 1);
	struct rtenf_msg_clone m = {0};
	rtenf_Process p;

	parent->ns[RTENF_NS_UTS] = 4026531838u;
	parent->ns[RTENF_NS_MNT] = 4026531832u;
	pc.host_ns[RTENF_NS_UTS] = 4026531838u;
	/* the child was cloned with CLONE_NEWUTS */
	m.hdr.op = RTENF_OP_CLONE;
	m.task.tgid = 701;
	m.task.exec_id = 200;
	m.ppid = 700;
	m.parent_exec_id = 100;
	m.ns_pid = 1;
	m.ns[RTENF_NS_UTS] = 4026532500u;
	m.ns[RTENF_NS_MNT] = 4026532501u;
	process_cache_fill(&pc, process_cache_clone(&pc, &m), &p);
	cr_expect_eq(p.ns.uts.inum, 4026532500u);
	cr_expect_not(p.ns.uts.is_host);
	cr_expect_eq(p.ns.mnt.inum, 4026532501u);
	cr_expect_str_eq(p.binary, "/usr/bin/prog", "the rest is the parent's");
	cr_expect_eq(p.ns_pid, 1);
}

/* A process in a PID namespace; fills ns[PID] and ns_pid. */
static struct proc_entry *in_pidns(struct proc_entry *e, uint32_t pidns, uint32_t ns_pid)
{
	e->ns[RTENF_NS_PID] = pidns;
	e->ns_pid = ns_pid;
	return e;
}

Test(process_cache, in_init_tree_only_below_the_namespaces_pid_1)
{
	const uint32_t host = 4026531836u, ctr = 4026532179u;
	struct proc_entry *shim, *init, *worker, *entered;
	rtenf_Process p;

	pc.host_ns[RTENF_NS_PID] = host;
	shim = in_pidns(exec_record(800, 1, 100, 0, 0, "/", 1), host, 800);
	init = in_pidns(exec_record(801, 800, 200, 100, 0, "/", 1), ctr, 1);
	worker = in_pidns(exec_record(802, 801, 300, 200, 0, "/", 1), ctr, 2);
	/* docker exec: runc joined the namespace, its child runs inside */
	entered = in_pidns(exec_record(803, 800, 400, 100, 0, "/", 1), ctr, 3);

	process_cache_fill(&pc, shim, &p);
	cr_expect_not(p.in_init_tree, "a host process");
	process_cache_fill(&pc, init, &p);
	cr_expect(p.in_init_tree, "the container's pid 1");
	process_cache_fill(&pc, worker, &p);
	cr_expect(p.in_init_tree, "a descendant of it");
	process_cache_fill(&pc, entered, &p);
	cr_expect_not(p.in_init_tree, "entered from outside");
}
