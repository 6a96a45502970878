// SPDX-License-Identifier: GPL-2.0-only
/* rtenf report against a fake agent: the request, the tables, JSON, errors. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli_harness.h"
#include "util.h"

#define T0 1700000000000000000ull /* 2023-11-14T22:13:20Z */

static rtenf_ReportRow rules[] = {
    {.hook = "tracepoint syscalls/sys_enter_setns",
     .selector = 0,
     .action = rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
     .events = 1,
     .audited = 1,
     .first_seen = T0 + 5000000000ull,
     .last_seen = T0 + 5000000000ull},
    {.hook = "tracepoint syscalls/sys_enter_unshare",
     .selector = 0,
     .message = "namespace change",
     .action = rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
     .events = 3,
     .enforced = 1,
     .audited = 2,
     .first_seen = T0,
     .last_seen = T0 + 60000000000ull},
};

static rtenf_ReportRow binaries[] = {
    {.other = true, .events = 2, .audited = 2, .first_seen = T0, .last_seen = T0},
    {.binary = "/usr/bin/unshare",
     .action = rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
     .events = 2,
     .enforced = 1,
     .audited = 1,
     .first_seen = T0,
     .last_seen = T0 + 60000000000ull},
};

static rtenf_ReportRow containers[] = {
    {.container = "4f797c539e6c745de61a93ca3ff8923",
     .action = rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
     .events = 4,
     .enforced = 1,
     .audited = 3,
     .first_seen = T0,
     .last_seen = T0 + 60000000000ull},
};

static void answer_report(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	if (req->which_request != rtenf_Request_report_tag || strcmp(req->request.report.name, "kill-unshare")) {
		resp->ok = false;
		resp->error = "no policy named missing; `rtenf list` shows the loaded ones";
		return;
	}
	resp->ok = true;
	resp->has_report = true;
	resp->report = (rtenf_PolicyReport){
	    .name = "kill-unshare",
	    .id = 3,
	    .mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE,
	    .since = T0 - 1000000000ull,
	    .events = 4,
	    .enforced = 1,
	    .audited = 3,
	    .rules = rules,
	    .rules_count = ARRAY_SIZE(rules),
	    .binaries = binaries,
	    .binaries_count = ARRAY_SIZE(binaries),
	    .containers = containers,
	    .containers_count = ARRAY_SIZE(containers),
	    .row_cap = 1,
	    .has_counters = true,
	    .counters = {.matched = 4, .posted = 4, .actions_applied = 1, .actions_audited = 3},
	};
}

static void run_report(const char *name, const char *output, struct run_result *r)
{
	struct fake_agent a = {.respond = answer_report};

	fake_agent_start(&a);
	if (output)
		RUN(r, cmd_report, "report", "--socket", a.path, "-o", output, name);
	else
		RUN(r, cmd_report, "report", "--socket", a.path, name);
	fake_agent_stop(&a);
	cr_assert_eq(a.n_requests, 1);
	cr_assert_eq(a.requests[0].which_request, rtenf_Request_report_tag);
	cr_assert_str_eq(a.requests[0].request.report.name, name);
	fake_agent_free(&a);
}

Test(cli_report, text_tables_most_events_first_other_last, .timeout = 10)
{
	struct run_result r;

	run_report("kill-unshare", NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(
	    r.out,
	    "policy kill-unshare (enforce mode), applied 2023-11-14T22:13:19Z\n"
	    "events 4: 1 enforced, 3 audit-only\n"
	    "kernel counters: 4 matched, 1 applied, 3 audited, 0 failed, 0 lost (ring buffer full)\n"
	    "\n"
	    "RULES\n"
	    "HOOK                                   SELECTOR  ACTION   EVENTS  ENFORCED  AUDIT-ONLY  FIRST SEEN        "
	    "    LAST SEEN             MESSAGE\n"
	    "tracepoint syscalls/sys_enter_unshare         0  SIGKILL       3         1           2  "
	    "2023-11-14T22:13:20Z  2023-11-14T22:14:20Z  namespace change\n"
	    "tracepoint syscalls/sys_enter_setns           0  SIGKILL       1         0           1  "
	    "2023-11-14T22:13:25Z  2023-11-14T22:13:25Z  \n"
	    "\n"
	    "BINARIES\n"
	    "BINARY            ACTION   EVENTS  ENFORCED  AUDIT-ONLY  FIRST SEEN            LAST SEEN\n"
	    "/usr/bin/unshare  SIGKILL       2         1           1  2023-11-14T22:13:20Z  2023-11-14T22:14:20Z\n"
	    "(other)           -             2         0           2  2023-11-14T22:13:20Z  2023-11-14T22:13:20Z\n"
	    "(other): 2 events past the first 1 distinct rows; counted, not itemised\n"
	    "\n"
	    "CONTAINERS\n"
	    "CONTAINER                        ACTION   EVENTS  ENFORCED  AUDIT-ONLY  FIRST SEEN            LAST SEEN\n"
	    "4f797c539e6c745de61a93ca3ff8923  SIGKILL       4         1           3  2023-11-14T22:13:20Z  "
	    "2023-11-14T22:14:20Z\n");
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}

Test(cli_report, json_has_every_row, .timeout = 10)
{
	struct run_result r;

	run_report("kill-unshare", "json", &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(
	    r.out,
	    "{\"name\":\"kill-unshare\",\"id\":3,\"mode\":\"enforce\",\"since\":1699999999000000000,"
	    "\"events\":4,\"enforced\":1,\"audited\":3,\"row_cap\":1,"
	    "\"rules\":[{\"hook\":\"tracepoint syscalls/sys_enter_setns\",\"selector\":0,\"message\":\"\","
	    "\"action\":\"KPROBE_ACTION_SIGKILL\",\"events\":1,\"enforced\":0,\"audited\":1,"
	    "\"first_seen\":1700000005000000000,\"last_seen\":1700000005000000000},"
	    "{\"hook\":\"tracepoint syscalls/sys_enter_unshare\",\"selector\":0,\"message\":\"namespace change\","
	    "\"action\":\"KPROBE_ACTION_SIGKILL\",\"events\":3,\"enforced\":1,\"audited\":2,"
	    "\"first_seen\":1700000000000000000,\"last_seen\":1700000060000000000}],"
	    "\"binaries\":[{\"other\":true,\"action\":\"\",\"events\":2,\"enforced\":0,\"audited\":2,"
	    "\"first_seen\":1700000000000000000,\"last_seen\":1700000000000000000},"
	    "{\"binary\":\"/usr/bin/unshare\",\"action\":\"KPROBE_ACTION_SIGKILL\",\"events\":2,\"enforced\":1,"
	    "\"audited\":1,\"first_seen\":1700000000000000000,\"last_seen\":1700000060000000000}],"
	    "\"containers\":[{\"container\":\"4f797c539e6c745de61a93ca3ff8923\",\"action\":\"KPROBE_ACTION_SIGKILL\","
	    "\"events\":4,\"enforced\":1,\"audited\":3,\"first_seen\":1700000000000000000,"
	    "\"last_seen\":1700000060000000000}],"
	    "\"counters\":{\"matched\":4,\"posted\":4,\"actions_applied\":1,\"actions_audited\":3,"
	    "\"actions_failed\":0,\"ringbuf_full\":0,\"late\":0,\"read_errors\":0}}\n");
	run_result_free(&r);
}

Test(cli_report, unknown_policy_fails_on_stderr, .timeout = 10)
{
	struct run_result r;

	run_report("missing", NULL, &r);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert_str_eq(r.err, "rtenf report: no policy named missing; `rtenf list` shows the loaded ones\n");
	run_result_free(&r);
	run_report("missing", "json", &r);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert_str_eq(r.err, "{\"error\":\"no policy named missing; `rtenf list` shows the loaded ones\"}\n");
	run_result_free(&r);
}

Test(cli_report, usage_errors, .timeout = 10)
{
	struct run_result r;

	RUN(&r, cmd_report, "report");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "rtenf report: expected one policy name, got 0 arguments") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "usage: rtenf report NAME") != NULL, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	run_result_free(&r);
	RUN(&r, cmd_report, "report", "a", "b");
	cr_assert_eq(r.status, 2);
	run_result_free(&r);
	RUN(&r, cmd_report, "report", "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(starts_with(r.out, "usage: rtenf report NAME"), "%s", r.out);
	run_result_free(&r);
}

Test(cli_report, unreachable_agent, .timeout = 10)
{
	struct run_result r;

	RUN(&r, cmd_report, "report", "--socket", "/nonexistent/rtenf.sock", "kill-unshare");
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert(strstr(r.err, "rtenf report: ") != NULL, "%s", r.err);
	run_result_free(&r);
}
