// SPDX-License-Identifier: GPL-2.0-only
/* Records as the kernel writes them, through the event builder: cgroup
 * records name containers, exec events carry them, ancestors only when
 * asked, malformed records counted. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "event_builder.h"
#include "util.h"

#define ID "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"

static struct process_cache pc;
static struct event_builder eb;
static int n_events;
static pb_size_t last_ancestors;
static char last_docker[64];
static char first_ancestor_exec_id[128];

static void sink(void *ctx, const rtenf_Event *ev)
{
	const rtenf_ProcessExec *x = &ev->event.process_exec;

	(void)ctx;
	n_events++;
	last_ancestors = 0;
	last_docker[0] = first_ancestor_exec_id[0] = '\0';
	if (ev->which_event != rtenf_Event_process_exec_tag)
		return;
	last_ancestors = x->ancestors_count;
	snprintf(last_docker, sizeof(last_docker), "%s", x->process->container_id ? x->process->container_id : "");
	if (x->ancestors_count)
		snprintf(first_ancestor_exec_id, sizeof(first_ancestor_exec_id), "%s", x->ancestors[0].exec_id);
}

static void setup(void)
{
	process_cache_init(&pc, "node");
	event_builder_init(&eb, &pc, NULL, sink, NULL);
	n_events = 0;
}

static void teardown(void)
{
	event_builder_free(&eb);
	process_cache_free(&pc);
}

TestSuite(event_builder, .init = setup, .fini = teardown);

static void cgroup_record(uint8_t op, uint64_t id, uint32_t level, const char *path)
{
	size_t len = strlen(path);
	struct rtenf_msg_cgroup *m = xcalloc(1, sizeof(*m) + len);

	m->hdr.op = op;
	m->hdr.size = (uint32_t)(sizeof(*m) + len);
	m->id = id;
	m->level = level;
	m->path_len = (uint32_t)len;
	memcpy(m + 1, path, len);
	event_builder_handle(&eb, m, m->hdr.size);
	free(m);
}

static void exec_record(uint32_t pid, uint32_t ppid, uint64_t ktime, uint64_t parent_ktime, uint64_t cg)
{
	static const char data[] = "/usr/bin/prog"
				   "prog\0-x"
				   "/";
	struct {
		struct rtenf_msg_exec m;
		char data[sizeof(data)];
	} r = {0};

	r.m.hdr.op = RTENF_OP_EXEC;
	r.m.hdr.size = sizeof(r.m) + sizeof(data) - 1;
	r.m.hdr.ktime = ktime;
	r.m.task.tgid = r.m.task.tid = pid;
	r.m.task.exec_id = ktime;
	r.m.task.cgroup_id = cg;
	r.m.ppid = ppid;
	r.m.parent_exec_id = parent_ktime;
	r.m.path_len = 13;
	r.m.args_len = 7;
	r.m.cwd_len = 1;
	memcpy(r.data, data, sizeof(data));
	event_builder_handle(&eb, &r, r.m.hdr.size);
}

Test(event_builder, cgroup_records_name_the_container_of_later_execs)
{
	cgroup_record(RTENF_OP_CGROUP_MKDIR, 44, 2, "/system.slice/docker-" ID ".scope");
	cr_assert_eq(n_events, 0, "cgroup records are not events");
	exec_record(10, 1, 1000, 0, 44);
	cr_assert_eq(n_events, 1);
	cr_expect_str_eq(last_docker, "9ec39b91f3d70e1beff50a308f77067");
	cgroup_record(RTENF_OP_CGROUP_RMDIR, 44, 2, "/system.slice/docker-" ID ".scope");
	exec_record(11, 1, 2000, 0, 44);
	cr_expect_str_eq(last_docker, "", "the cgroup is gone");
	cr_expect_eq(eb.malformed, 0);
}

Test(event_builder, ancestors_only_when_asked)
{
	exec_record(20, 1, 100, 0, 1);
	exec_record(21, 20, 200, 100, 1);
	exec_record(22, 21, 300, 200, 1);
	cr_expect_eq(last_ancestors, 0, "nobody asked");
	eb.ancestors = true;
	exec_record(23, 22, 400, 300, 1);
	cr_assert_eq(last_ancestors, 2, "21 and 20 beyond the parent 22");
	{
		char *want = make_exec_id("node", 200, 21);

		cr_expect_str_eq(first_ancestor_exec_id, want, "nearest first");
		free(want);
	}
}

Test(event_builder, bad_cgroup_records_are_counted)
{
	struct rtenf_msg_cgroup m = {.hdr = {.op = RTENF_OP_CGROUP_MKDIR, .size = sizeof(m)}, .id = 5, .level = 3};

	event_builder_handle(&eb, &m, sizeof(m));
	cr_expect_eq(eb.malformed, 1, "no path below the root");
	m.path_len = 100;
	event_builder_handle(&eb, &m, sizeof(m));
	cr_expect_eq(eb.malformed, 2, "shorter than it says");
	cr_expect_null(cgroup_table_get(&pc.cgroups, 5));
}
