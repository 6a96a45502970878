// SPDX-License-Identifier: GPL-2.0-only
/* rtenf list: tables and JSON rendered from a fake agent's answer. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli_harness.h"
#include "util.h"

static rtenf_HookInfo hooks[] = {
	{"tracepoint", "syscalls/sys_enter_unshare", "tracepoint", "bpf_send_signal"},
	{"tracepoint", "syscalls/sys_enter_setns", "tracepoint", "bpf_send_signal"},
	{"tracepoint", "syscalls/sys_enter_mount", "tracepoint", "none"},
};

static rtenf_PolicyInfo policies[] = {
	{
		.name = "kill-namespace-escape",
		.id = 1,
		.mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE,
		.file_name = "policies/ns.yaml",
		.hooks_count = 2,
		.hooks = &hooks[0],
		.has_counters = true,
		.counters = {.matched = 12, .posted = 12, .actions_applied = 10, .actions_audited = 2,
			     .actions_failed = 1, .ringbuf_full = 3, .late = 4, .read_errors = 5},
		.kernel_memory = 1258291, /* 1.2 MiB */
		.program_memory = 98304,
		.loaded_at = 1700000000123456789ull,
	},
	{
		.name = "audit-mounts",
		.id = 22,
		.mode = rtenf_PolicyMode_POLICY_MODE_AUDIT,
		.file_name = "policies/mounts.yaml",
		.hooks_count = 1,
		.hooks = &hooks[2],
		.kernel_memory = 512,
	},
};

static rtenf_ClientInfo clients[] = {
	{.id = 3, .pid = 4321, .uid = 0, .events_sent = 100, .events_dropped = 7, .queued_bytes = 2048},
	{.id = 14, .pid = 99, .uid = 1000, .events_sent = 18446744073709551615ull},
};

static void answer_full(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	resp->ok = req->which_request == rtenf_Request_list_tag;
	resp->policies = policies;
	resp->policies_count = ARRAY_SIZE(policies);
	resp->has_agent = true;
	resp->agent = (rtenf_AgentInfo){
		.version = "0.1.0",
		.node_name = "node-a",
		.pid = 777,
		.started_at = 1700000000000000000ull,
		.events_read = 123456,
		.kernel_drops = 8,
		.ringbuf_size = 8u << 20,
		.process_table = 312,
		.agent_rss = 12u << 20,
		.base_kernel_memory = 3u << 20,
		.base_program_memory = 5u << 16,
		.clients_count = ARRAY_SIZE(clients),
		.clients = clients,
		.clients_dropped = 9,
		.process_map_full = 0,
		.bpf_dir = "/sys/fs/bpf/rtenf",
		.adopted_policies = 2,
		.policy_memory_limit = 1u << 20,
		.agent_drops = 6,
	};
}

static void answer_empty(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	(void)req;
	resp->ok = true;
}

static void run_list(fake_respond_fn respond, const char *output, struct run_result *r)
{
	struct fake_agent a = {.respond = respond};

	fake_agent_start(&a);
	if (output)
		RUN(r, cmd_list, "list", "--socket", a.path, "-o", output);
	else
		RUN(r, cmd_list, "list", "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(a.n_requests, 1);
	cr_assert_eq(a.requests[0].which_request, rtenf_Request_list_tag);
	fake_agent_free(&a);
}

Test(cli_list, text_tables, .timeout = 10)
{
	struct run_result r;

	run_list(answer_full, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
		"POLICIES\n"
		"ID  NAME                   MODE     HOOKS  MATCHED  POSTED  APPLIED  AUDITED  FAILED  RB_FULL  LATE  READ_ERR  KERNEL_MEM  PROG_MEM\n"
		" 1  kill-namespace-escape  enforce      2       12      12       10        2       1        3     4         5     1.2 MiB  96.0 KiB\n"
		"22  audit-mounts           audit        1        0       0        0        0       0        0     0         0       512 B       0 B\n"
		"\n"
		"HOOKS\n"
		"POLICY                 KIND        TARGET                      MECHANISM   ENFORCEMENT\n"
		"kill-namespace-escape  tracepoint  syscalls/sys_enter_unshare  tracepoint  bpf_send_signal\n"
		"kill-namespace-escape  tracepoint  syscalls/sys_enter_setns    tracepoint  bpf_send_signal\n"
		"audit-mounts           tracepoint  syscalls/sys_enter_mount    tracepoint  none\n"
		"\n"
		"AGENT\n"
		"version              0.1.0\n"
		"node                 node-a\n"
		"pid                  777\n"
		"started              2023-11-14T22:13:20Z\n"
		"events read          123456\n"
		"kernel drops         8\n"
		"agent drops          6\n"
		"ring buffer          8.0 MiB\n"
		"process table        312 processes\n"
		"process map full     0\n"
		"rss                  12.0 MiB\n"
		"base kernel memory   3.0 MiB\n"
		"base program memory  320.0 KiB\n"
		"clients dropped      9 events\n"
		"pinned in            /sys/fs/bpf/rtenf (2 policies adopted at start)\n"
		"policy mem limit     1.0 MiB\n"
		"\n"
		"CLIENTS\n"
		"ID   PID   UID                  SENT  DROPPED   QUEUED\n"
		" 3  4321     0                   100        7  2.0 KiB\n"
		"14    99  1000  18446744073709551615        0      0 B\n");
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}

Test(cli_list, text_without_policies, .timeout = 10)
{
	struct run_result r;

	run_list(answer_empty, "text", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "POLICIES\n(none loaded)\n\nAGENT\n(the agent sent no information about itself)\n");
	run_result_free(&r);
}

Test(cli_list, json_mirrors_the_protocol, .timeout = 10)
{
	struct run_result r;

	run_list(answer_full, "json", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
		"{\"policies\":["
		"{\"name\":\"kill-namespace-escape\",\"id\":1,\"mode\":\"enforce\",\"file_name\":\"policies/ns.yaml\","
		"\"hooks\":[{\"kind\":\"tracepoint\",\"target\":\"syscalls/sys_enter_unshare\",\"mechanism\":\"tracepoint\","
		"\"enforcement\":\"bpf_send_signal\"},{\"kind\":\"tracepoint\",\"target\":\"syscalls/sys_enter_setns\","
		"\"mechanism\":\"tracepoint\",\"enforcement\":\"bpf_send_signal\"}],"
		"\"counters\":{\"matched\":12,\"posted\":12,\"actions_applied\":10,\"actions_audited\":2,"
		"\"actions_failed\":1,\"ringbuf_full\":3,\"late\":4,\"read_errors\":5},"
		"\"kernel_memory\":1258291,\"program_memory\":98304,\"loaded_at\":1700000000123456789},"
		"{\"name\":\"audit-mounts\",\"id\":22,\"mode\":\"audit\",\"file_name\":\"policies/mounts.yaml\","
		"\"hooks\":[{\"kind\":\"tracepoint\",\"target\":\"syscalls/sys_enter_mount\",\"mechanism\":\"tracepoint\","
		"\"enforcement\":\"none\"}],"
		"\"counters\":{\"matched\":0,\"posted\":0,\"actions_applied\":0,\"actions_audited\":0,"
		"\"actions_failed\":0,\"ringbuf_full\":0,\"late\":0,\"read_errors\":0},"
		"\"kernel_memory\":512,\"program_memory\":0,\"loaded_at\":0}],"
		"\"agent\":{\"version\":\"0.1.0\",\"node_name\":\"node-a\",\"pid\":777,"
		"\"started_at\":1700000000000000000,\"events_read\":123456,\"kernel_drops\":8,"
		"\"ringbuf_size\":8388608,\"process_table\":312,\"agent_rss\":12582912,"
		"\"base_kernel_memory\":3145728,\"base_program_memory\":327680,"
		"\"clients\":[{\"id\":3,\"pid\":4321,\"uid\":0,\"events_sent\":100,\"events_dropped\":7,"
		"\"queued_bytes\":2048},"
		"{\"id\":14,\"pid\":99,\"uid\":1000,\"events_sent\":18446744073709551615,\"events_dropped\":0,"
		"\"queued_bytes\":0}],"
		"\"clients_dropped\":9,\"process_map_full\":0,\"bpf_dir\":\"/sys/fs/bpf/rtenf\",\"adopted_policies\":2,"
		"\"policy_memory_limit\":1048576,\"agent_drops\":6}}\n");
	run_result_free(&r);
}

Test(cli_list, json_without_agent_section, .timeout = 10)
{
	struct run_result r;

	run_list(answer_empty, "json", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "{\"policies\":[],\"agent\":null}\n");
	run_result_free(&r);
}

static void answer_error(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	(void)req;
	resp->ok = false;
	resp->error = "cannot read counters: out of memory";
}

Test(cli_list, agent_error, .timeout = 10)
{
	struct run_result r;

	run_list(answer_error, "json", &r);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert_str_eq(r.err, "{\"error\":\"cannot read counters: out of memory\"}\n");
	run_result_free(&r);
}

Test(cli_list, agent_not_running_in_json)
{
	struct run_result r;

	RUN(&r, cmd_list, "list", "-o", "json", "--socket", "/nonexistent/rtenf.sock");
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.err, "{\"error\":\"agent not running at /nonexistent/rtenf.sock; "
				"start it with `rtenf agent`\"}\n");
	run_result_free(&r);
}

Test(cli_list, usage_errors)
{
	struct run_result r;

	RUN(&r, cmd_list, "list", "extra");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert_not_null(strstr(r.err, "unexpected argument \"extra\""), "%s", r.err);
	run_result_free(&r);

	RUN(&r, cmd_list, "list", "-o", "compact");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert_not_null(strstr(r.err, "unknown output format \"compact\""), "%s", r.err);
	run_result_free(&r);

	RUN(&r, cmd_list, "list", "-h");
	cr_assert_eq(r.status, 0);
	cr_assert(starts_with(r.out, "usage: rtenf list"), "%s", r.out);
	run_result_free(&r);
}

static char *scope_said[] = {"cgroup-paths /rtenf/a", "container-ids 4f797c539e6c"};
static char *scope_now[] = {"/rtenf/a", "/system.slice/docker-4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970.scope",
			    "/kubepods/besteffort/pod1/4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"};
static char *scope_later[] = {"container-ids c0ffee00c0ffee"};

static rtenf_PolicyInfo scoped_policies[] = {
	{.name = "in-containers", .id = 5, .mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE, .file_name = "a.yaml",
	 .hooks_count = 1, .hooks = &hooks[0], .scope_count = 2, .scope = scope_said, .scope_cgroups_count = 3,
	 .scope_cgroups = scope_now},
	{.name = "not-yet", .id = 6, .mode = rtenf_PolicyMode_POLICY_MODE_AUDIT, .file_name = "b.yaml", .hooks_count = 1,
	 .hooks = &hooks[2], .scope_count = 1, .scope = scope_later},
	{.name = "everywhere", .id = 7, .mode = rtenf_PolicyMode_POLICY_MODE_AUDIT, .file_name = "c.yaml",
	 .hooks_count = 1, .hooks = &hooks[2]},
};

static void answer_scoped(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	resp->ok = req->which_request == rtenf_Request_list_tag;
	resp->policies = scoped_policies;
	resp->policies_count = ARRAY_SIZE(scoped_policies);
}

Test(cli_list, scopes_say_where_policies_apply, .timeout = 10)
{
	struct run_result r;

	run_list(answer_scoped, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out,
		"\nSCOPES\n"
		"POLICY         LIMITED TO                    CGROUPS NOW\n"
		"in-containers  cgroup-paths /rtenf/a         /rtenf/a\n"
		"               container-ids 4f797c539e6c    /system.slice/docker-4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970.scope\n"
		"                                             /kubepods/besteffort/pod1/4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970\n"
		"not-yet        container-ids c0ffee00c0ffee  none yet\n"),
		"%s", r.out);
	run_result_free(&r);

	run_list(answer_scoped, "json", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "\"loaded_at\":0,\"scope\":[\"cgroup-paths /rtenf/a\",\"container-ids "
					 "4f797c539e6c\"],\"scope_cgroups\":[\"/rtenf/a\","),
			   "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\"loaded_at\":0,\"scope\":[\"container-ids c0ffee00c0ffee\"]}"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\"name\":\"everywhere\""), "%s", r.out);
	run_result_free(&r);
}
