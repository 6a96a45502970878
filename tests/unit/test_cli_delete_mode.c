// SPDX-License-Identifier: GPL-2.0-only
/* rtenf delete and rtenf mode against a fake agent. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli_harness.h"
#include "util.h"

/* Knows every policy but "missing". */
static void answer_by_name(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	const char *name = req->which_request == rtenf_Request_delete_tag ? req->request.delete.name
			 : req->which_request == rtenf_Request_mode_tag   ? req->request.mode.name
									  : NULL;

	(void)a;
	if (!name || !strcmp(name, "missing")) {
		resp->ok = false;
		resp->error = "no policy named \"missing\"; see `rtenf list`";
	}
}

Test(cli_delete, each_name_is_one_request, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_by_name};
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_delete, "delete", "--socket", a.path, "kill-unshare", "audit-mounts");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(a.n_requests, 2);
	cr_assert_eq(a.requests[0].which_request, rtenf_Request_delete_tag);
	cr_assert_str_eq(a.requests[0].request.delete.name, "kill-unshare");
	cr_assert_str_eq(a.requests[1].request.delete.name, "audit-mounts");
	cr_assert_str_eq(r.out, "deleted kill-unshare\ndeleted audit-mounts\n");
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_delete, a_failure_does_not_stop_the_rest, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_by_name};
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_delete, "delete", "--socket", a.path, "a", "missing", "b");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 1);
	cr_assert_eq(a.n_requests, 3);
	cr_assert_str_eq(r.out, "deleted a\ndeleted b\n");
	cr_assert_str_eq(r.err, "rtenf delete: no policy named \"missing\"; see `rtenf list`\n");
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_delete, json_lists_what_was_deleted, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_by_name};
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_delete, "delete", "-o", "json", "--socket", a.path, "a", "missing", "b");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "{\"deleted\":[\"a\",\"b\"]}\n");
	cr_assert_str_eq(r.err, "{\"error\":\"no policy named \\\"missing\\\"; see `rtenf list`\"}\n");
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_delete, unreachable_agent_stops_at_once)
{
	struct run_result r;

	RUN(&r, cmd_delete, "delete", "--socket", "/nonexistent/rtenf.sock", "a", "b");
	cr_assert_eq(r.status, 1);
	cr_assert_eq(count_lines(r.err), 1, "one message, not one per name: %s", r.err);
	cr_assert_not_null(strstr(r.err, "agent not running at /nonexistent/rtenf.sock"), "%s", r.err);
	run_result_free(&r);
}

Test(cli_delete, usage_errors)
{
	struct run_result r;

	RUN(&r, cmd_delete, "delete");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert_not_null(strstr(r.err, "no policy name given"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "usage: rtenf delete NAME..."), "%s", r.err);
	run_result_free(&r);

	RUN(&r, cmd_delete, "delete", "a", "");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert_not_null(strstr(r.err, "a policy name cannot be empty"), "%s", r.err);
	run_result_free(&r);

	RUN(&r, cmd_delete, "delete", "--all");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert_not_null(strstr(r.err, "unknown option --all"), "%s", r.err);
	run_result_free(&r);

	RUN(&r, cmd_delete, "delete", "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(starts_with(r.out, "usage: rtenf delete NAME..."), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}

Test(cli_mode, switches_one_policy, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_by_name};
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_mode, "mode", "kill-unshare", "enforce", "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(a.n_requests, 1);
	cr_assert_eq(a.requests[0].which_request, rtenf_Request_mode_tag);
	cr_assert_str_eq(a.requests[0].request.mode.name, "kill-unshare");
	cr_assert_eq(a.requests[0].request.mode.mode, rtenf_PolicyMode_POLICY_MODE_ENFORCE);
	cr_assert_str_eq(r.out, "policy kill-unshare is now in enforce mode\n");
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_mode, json_and_agent_error, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_by_name};
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_mode, "mode", "-o", "json", "--socket", a.path, "kill-unshare", "audit");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "{\"name\":\"kill-unshare\",\"mode\":\"audit\"}\n");
	run_result_free(&r);

	RUN(&r, cmd_mode, "mode", "--socket", a.path, "missing", "audit");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert_str_eq(r.err, "rtenf mode: no policy named \"missing\"; see `rtenf list`\n");
	cr_assert_eq(a.requests[1].request.mode.mode, rtenf_PolicyMode_POLICY_MODE_AUDIT);
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_mode, usage_errors)
{
	static const struct {
		const char *args[5];
		const char *message;
	} cases[] = {
		{{NULL}, "expected a policy name and a mode, got 0 arguments"},
		{{"kill-unshare"}, "expected a policy name and a mode, got 1 argument"},
		{{"a", "audit", "b"}, "got 3 arguments"},
		{{"kill-unshare", "block"}, "unknown mode \"block\"; use audit or enforce"},
		{{"", "audit"}, "a policy name cannot be empty"},
		{{"-o", "xml", "a", "audit"}, "unknown output format \"xml\""},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *argv[7] = {"mode"};
		struct run_result r;

		for (size_t j = 0; cases[i].args[j]; j++)
			argv[j + 1] = cases[i].args[j];
		run_verb(cmd_mode, argv, &r);
		cr_expect_eq(r.status, EXIT_USAGE, "case %zu", i);
		cr_expect_not_null(strstr(r.err, cases[i].message), "case %zu: %s", i, r.err);
		cr_expect_not_null(strstr(r.err, "usage: rtenf mode NAME audit|enforce"), "case %zu", i);
		run_result_free(&r);
	}
}
