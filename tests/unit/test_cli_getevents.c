// SPDX-License-Identifier: GPL-2.0-only
/* rtenf getevents against a fake agent: the request it sends, and how the
 * stream ends (count, timeout, agent gone, reader gone). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "cli_harness.h"
#include "event_filter.h"
#include "util.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

Test(cli_getevents, request_carries_the_filters, .timeout = 10)
{
	struct fake_agent a = {.n_events = 1, .after = FAKE_HOLD};
	const rtenf_GetEventsRequest *req;
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_getevents, "getevents", "--socket", a.path, "--policy", "kill-unshare",
	    "--policy", "a,b", "--event-types", "process_exec,PROCESS_TRACEPOINT",
	    "--event-types", "lost_events", "--process", "^/usr/bin/(curl|wget)$", "--count", "1");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(a.n_requests, 1);
	cr_assert_eq(a.requests[0].which_request, rtenf_Request_get_events_tag);
	req = &a.requests[0].request.get_events;
	cr_assert_eq(req->policy_names_count, 3);
	cr_assert_str_eq(req->policy_names[0], "kill-unshare");
	cr_assert_str_eq(req->policy_names[1], "a");
	cr_assert_str_eq(req->policy_names[2], "b");
	cr_assert_eq(req->event_types_count, 3);
	cr_assert_eq(req->event_types[0], rtenf_EventType_EVENT_TYPE_PROCESS_EXEC);
	cr_assert_eq(req->event_types[1], rtenf_EventType_EVENT_TYPE_PROCESS_TRACEPOINT);
	cr_assert_eq(req->event_types[2], rtenf_EventType_EVENT_TYPE_LOST_EVENTS);
	cr_assert_str_eq(req->process_regex, "^/usr/bin/(curl|wget)$");
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_getevents, no_filters_means_an_empty_request, .timeout = 10)
{
	struct fake_agent a = {.n_events = 1, .after = FAKE_HOLD};
	const rtenf_GetEventsRequest *req;
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_getevents, "getevents", "--socket", a.path, "--count", "1");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	req = &a.requests[0].request.get_events;
	cr_assert_eq(req->policy_names_count, 0);
	cr_assert_eq(req->event_types_count, 0);
	cr_assert(!req->process_regex || !*req->process_regex);
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_getevents, count_stops_after_n_events, .timeout = 10)
{
	struct fake_agent a = {.n_events = 10, .after = FAKE_HOLD};
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_getevents, "getevents", "--socket", a.path, "--count", "3", "-o", "compact",
	    "--color", "never");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out), 3, "%s", r.out);
	cr_assert_str_eq(r.err, "");
	cr_assert_null(strchr(r.out, '\033'), "no color with --color never");
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_getevents, timeout_ends_the_stream_normally, .timeout = 10)
{
	struct fake_agent a = {.n_events = 2, .after = FAKE_HOLD};
	struct run_result r;
	double t0, elapsed;

	fake_agent_start(&a);
	t0 = now_s();
	RUN(&r, cmd_getevents, "getevents", "--socket", a.path, "--timeout", "0.3", "-o", "json");
	elapsed = now_s() - t0;
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out), 2, "%s", r.out);
	cr_assert_geq(elapsed, 0.29);
	cr_assert_lt(elapsed, 5.0);
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_getevents, agent_going_away_is_a_failure, .timeout = 10)
{
	struct fake_agent a = {.n_events = 3, .after = FAKE_CLOSE};
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_getevents, "getevents", "--socket", a.path, "-o", "compact");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 1);
	cr_assert_eq(count_lines(r.out), 3, "events before the disconnect are printed: %s", r.out);
	cr_assert_not_null(strstr(r.err, "closed the connection"), "%s", r.err);
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_getevents, count_reached_before_disconnect_is_success, .timeout = 10)
{
	struct fake_agent a = {.n_events = 3, .after = FAKE_CLOSE};
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_getevents, "getevents", "--socket", a.path, "--count", "3");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out), 3);
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_getevents, reader_going_away_is_a_quiet_success, .timeout = 10)
{
	struct fake_agent a = {.n_events = 1000, .after = FAKE_HOLD};
	struct run_result r;

	fake_agent_start(&a);
	run_verb_head(cmd_getevents, (const char *const[]){"getevents", "--socket", a.path, NULL}, 2, &r);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out), 2);
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
	fake_agent_free(&a);
}

/* The reader leaves while no events come: getevents notices without waiting
 * for the next event. */
Test(cli_getevents, reader_gone_noticed_while_idle, .timeout = 10)
{
	struct fake_agent a = {.n_events = 1, .after = FAKE_HOLD};
	struct run_result r;

	fake_agent_start(&a);
	run_verb_head(cmd_getevents, (const char *const[]){"getevents", "--socket", a.path, NULL}, 1, &r);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out), 1);
	run_result_free(&r);
	fake_agent_free(&a);
}

static void answer_refused(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	(void)req;
	resp->ok = false;
	resp->error = "no policy named \"nope\"";
}

Test(cli_getevents, refused_request, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_refused, .n_events = 5};
	struct run_result r;

	fake_agent_start(&a);
	RUN(&r, cmd_getevents, "getevents", "--socket", a.path, "--policy", "nope", "-o", "json");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert_str_eq(r.err, "{\"error\":\"no policy named \\\"nope\\\"\"}\n");
	run_result_free(&r);
	fake_agent_free(&a);
}

Test(cli_getevents, agent_not_running)
{
	struct run_result r;

	RUN(&r, cmd_getevents, "getevents", "--socket", "/nonexistent/rtenf.sock");
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.err, "rtenf getevents: agent not running at /nonexistent/rtenf.sock; "
				"start it with `rtenf agent`\n");
	run_result_free(&r);
}

Test(cli_getevents, unknown_event_type_lists_the_valid_ones)
{
	struct run_result r;

	RUN(&r, cmd_getevents, "getevents", "--event-types", "process_exec,process_bogus");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert(starts_with(r.err, "rtenf getevents: unknown event type \"process_bogus\"; valid types: "
				     "process_exec, process_exit, process_kprobe, process_tracepoint, process_uprobe, process_lsm, lost_events\n"),
		  "%s", r.err);
	run_result_free(&r);
}

Test(cli_getevents, usage_errors)
{
	static const struct {
		const char *args[3];
		const char *message;
	} cases[] = {
		{{"--count", "0"}, "--count needs a positive whole number"},
		{{"--count", "-3"}, "--count needs a positive whole number"},
		{{"--count", "5x"}, "--count needs a positive whole number"},
		{{"--timeout", "0"}, "--timeout needs a number of seconds above 0"},
		{{"--timeout", "soon"}, "--timeout needs a number of seconds above 0"},
		{{"--timeout", "nan"}, "--timeout needs a number of seconds above 0"},
		{{"--process", "(unclosed"}, "bad --process regex \"(unclosed\""},
		{{"--process", "((a{1,255}){1,255}){1,255}"}, "bad --process regex: regex repeats too much"},
		{{"--process", "(a)\\1"}, "bad --process regex: backreferences (\\1 to \\9) are not allowed"},
		{{"--color", "sometimes"}, "unknown --color \"sometimes\""},
		{{"-o", "text"}, "unknown output format \"text\"; use json or compact"},
		{{"--event-types", ""}, "unknown event type \"\""},
		{{"--policy", ""}, "--policy needs a policy name"},
		{{"extra"}, "unexpected argument \"extra\""},
		{{"--count"}, "option --count needs a value"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *argv[6] = {"getevents", "--socket", "/nonexistent/rtenf.sock"};
		struct run_result r;

		for (size_t j = 0; cases[i].args[j]; j++)
			argv[j + 3] = cases[i].args[j];
		run_verb(cmd_getevents, argv, &r);
		cr_expect_eq(r.status, EXIT_USAGE, "case %zu: status %d", i, r.status);
		cr_expect_not_null(strstr(r.err, cases[i].message), "case %zu: %s", i, r.err);
		cr_expect_not_null(strstr(r.err, "usage: rtenf getevents"), "case %zu", i);
		run_result_free(&r);
	}
}

Test(cli_getevents, help)
{
	struct run_result r;

	RUN(&r, cmd_getevents, "getevents", "-h");
	cr_assert_eq(r.status, 0);
	cr_assert(starts_with(r.out, "usage: rtenf getevents"), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}
