// SPDX-License-Identifier: GPL-2.0-only
/* The agent's tally behind `rtenf report`: counts per rule, binary and
 * container, bounded rows with an "other" row, and events to rows. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pb_decode.h>

#include "policy_report.h"
#include "util.h"

#define UNSHARE "tracepoint syscalls/sys_enter_unshare"
#define SETNS "tracepoint syscalls/sys_enter_setns"

static struct report_event ev(const char *hook, uint32_t sel, const char *binary, const char *container, bool enforced,
			      uint64_t time)
{
	return (struct report_event){
	    .hook = hook,
	    .selector = sel,
	    .binary = binary,
	    .container = container,
	    .action = rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
	    .enforced = enforced,
	    .audited = !enforced,
	    .time = time,
	};
}

static const struct report_row *row_of(const struct report_table *t, const char *hook_or_value, uint32_t sel)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct report_row *r = &t->rows[i];

		if ((r->hook && !strcmp(r->hook, hook_or_value) && r->selector == sel) ||
		    (r->value && !strcmp(r->value, hook_or_value)))
			return r;
	}
	return NULL;
}

static uint64_t table_sum(const struct report_table *t)
{
	uint64_t n = t->other.events;

	for (size_t i = 0; i < t->n; i++)
		n += t->rows[i].events;
	return n;
}

Test(policy_report, counts_per_rule_binary_and_container)
{
	struct report_book b = {0};
	const struct policy_tally *t;
	const struct report_row *r;
	struct report_event e;

	e = ev(UNSHARE, 0, "/usr/bin/unshare", NULL, false, 100);
	report_book_add(&b, 7, &e);
	e = ev(UNSHARE, 0, "/usr/bin/unshare", "4f797c539e6c", false, 300);
	report_book_add(&b, 7, &e);
	e = ev(UNSHARE, 0, "/usr/bin/unshare", "4f797c539e6c", true, 200);
	report_book_add(&b, 7, &e);
	e = ev(SETNS, 1, "/usr/bin/nsenter", "", true, 400);
	report_book_add(&b, 7, &e);

	t = report_book_find(&b, 7);
	cr_assert_not_null(t);
	cr_expect_null(report_book_find(&b, 8));
	cr_expect_eq(t->events, 4);
	cr_expect_eq(t->enforced, 2);
	cr_expect_eq(t->audited, 2);

	cr_assert_eq(t->rules.n, 2);
	r = row_of(&t->rules, UNSHARE, 0);
	cr_assert_not_null(r);
	cr_expect_eq(r->events, 3);
	cr_expect_eq(r->enforced, 1);
	cr_expect_eq(r->audited, 2);
	cr_expect_eq(r->first_seen, 100, "the earliest time, whatever the order of arrival");
	cr_expect_eq(r->last_seen, 300);
	cr_expect_eq(r->action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	r = row_of(&t->rules, SETNS, 1);
	cr_assert_not_null(r);
	cr_expect_eq(r->events, 1);

	cr_assert_eq(t->binaries.n, 2);
	cr_expect_eq(row_of(&t->binaries, "/usr/bin/unshare", 0)->events, 3);
	cr_expect_eq(row_of(&t->binaries, "/usr/bin/nsenter", 0)->events, 1);

	cr_assert_eq(t->containers.n, 2);
	r = row_of(&t->containers, "host", 0);
	cr_assert_not_null(r, "no container id is the host");
	cr_expect_eq(r->events, 2);
	cr_expect_eq(row_of(&t->containers, "4f797c539e6c", 0)->events, 2);
	report_book_free(&b);
}

Test(policy_report, selectors_and_actions_are_rows_of_their_own)
{
	struct report_book b = {0};
	const struct policy_tally *t;
	struct report_event e = ev(UNSHARE, 0, "/bin/x", NULL, false, 1);

	report_book_add(&b, 1, &e);
	e.selector = 1;
	report_book_add(&b, 1, &e);
	e.action = rtenf_KprobeAction_KPROBE_ACTION_POST;
	report_book_add(&b, 1, &e);
	t = report_book_find(&b, 1);
	cr_expect_eq(t->rules.n, 3);
	cr_expect_eq(t->binaries.n, 2, "one binary, two actions");
	cr_expect_eq(t->containers.n, 2);
	report_book_free(&b);
}

Test(policy_report, policies_are_tallied_apart_and_dropped)
{
	struct report_book b = {0};
	struct report_event e = ev(UNSHARE, 0, "/bin/x", NULL, false, 1);

	report_book_add(&b, 1, &e);
	report_book_add(&b, 2, &e);
	report_book_add(&b, 2, &e);
	cr_expect_eq(report_book_find(&b, 1)->events, 1);
	cr_expect_eq(report_book_find(&b, 2)->events, 2);
	report_book_drop(&b, 1);
	cr_expect_null(report_book_find(&b, 1));
	cr_expect_eq(report_book_find(&b, 2)->events, 2);
	report_book_drop(&b, 99);
	cr_expect_eq(b.n, 1);
	report_book_free(&b);
}

/* Past the cap every new binary goes to "other", and nothing is lost:
 * each table still adds up to the total. */
Test(policy_report, rows_past_the_cap_are_counted_in_other)
{
	struct report_book b = {.row_cap = 4};
	const struct policy_tally *t;
	char path[32];

	for (int i = 0; i < 10; i++) {
		struct report_event e;

		snprintf(path, sizeof(path), "/bin/b%d", i);
		e = ev(UNSHARE, 0, path, NULL, i % 2, (uint64_t)(1000 + i));
		report_book_add(&b, 3, &e);
		report_book_add(&b, 3, &e); /* twice each */
	}
	t = report_book_find(&b, 3);
	cr_expect_eq(t->events, 20);
	cr_expect_eq(t->binaries.n, 4);
	cr_expect_eq(t->binaries.other.events, 12, "6 binaries past the cap, 2 events each");
	cr_expect_eq(t->binaries.other.first_seen, 1004);
	cr_expect_eq(t->binaries.other.last_seen, 1009);
	cr_expect_eq(t->binaries.other.enforced + t->binaries.other.audited, 12);
	cr_expect_eq(table_sum(&t->binaries), 20);
	cr_expect_eq(table_sum(&t->rules), 20);
	cr_expect_eq(table_sum(&t->containers), 20);
	cr_expect_eq(t->rules.other.events, 0);
	/* a binary that has a row keeps counting in it after the table is full */
	{
		struct report_event e = ev(UNSHARE, 0, "/bin/b0", NULL, true, 5000);

		report_book_add(&b, 3, &e);
	}
	cr_expect_eq(row_of(&t->binaries, "/bin/b0", 0)->events, 3);
	cr_expect_eq(t->binaries.other.events, 12);
	report_book_free(&b);
}

Test(policy_report, many_rows_still_find_their_own)
{
	struct report_book b = {.row_cap = 1000};
	const struct policy_tally *t;
	char path[32];

	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 1000; i++) {
			struct report_event e;

			snprintf(path, sizeof(path), "/bin/b%d", i);
			e = ev(UNSHARE, 0, path, NULL, false, 1);
			report_book_add(&b, 1, &e);
		}
	t = report_book_find(&b, 1);
	cr_assert_eq(t->binaries.n, 1000);
	cr_expect_eq(t->binaries.other.events, 0);
	for (size_t i = 0; i < t->binaries.n; i++)
		cr_expect_eq(t->binaries.rows[i].events, 3, "%s", t->binaries.rows[i].value);
	report_book_free(&b);
}

Test(policy_report, hook_events_of_every_kind_become_report_events)
{
	rtenf_Process p = {.binary = "/usr/bin/xmrig", .container_id = "c0ffee"};
	struct report_event e;
	rtenf_Event x;
	char buf[128];

	memset(&x, 0, sizeof(x));
	x.time = 42;
	x.which_event = rtenf_Event_process_tracepoint_tag;
	x.event.process_tracepoint.process = &p;
	x.event.process_tracepoint.subsys = "syscalls";
	x.event.process_tracepoint.event = "sys_enter_execve";
	x.event.process_tracepoint.selector = 2;
	x.event.process_tracepoint.action = rtenf_KprobeAction_KPROBE_ACTION_SIGKILL;
	x.event.process_tracepoint.policy_mode = rtenf_PolicyMode_POLICY_MODE_AUDIT;
	cr_assert(report_event_from(&x, &e, buf, sizeof(buf)));
	cr_expect_str_eq(e.hook, "tracepoint syscalls/sys_enter_execve");
	cr_expect_eq(e.selector, 2);
	cr_expect_str_eq(e.binary, "/usr/bin/xmrig");
	cr_expect_str_eq(e.container, "c0ffee");
	cr_expect(e.audited && !e.enforced);
	cr_expect_eq(e.time, 42);

	memset(&x, 0, sizeof(x));
	x.which_event = rtenf_Event_process_kprobe_tag;
	x.event.process_kprobe.process = &p;
	x.event.process_kprobe.function_name = "__x64_sys_setns";
	x.event.process_kprobe.enforced = true;
	x.event.process_kprobe.policy_mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE;
	cr_assert(report_event_from(&x, &e, buf, sizeof(buf)));
	cr_expect_str_eq(e.hook, "kprobe __x64_sys_setns");
	cr_expect(e.enforced && !e.audited);

	memset(&x, 0, sizeof(x));
	x.which_event = rtenf_Event_process_lsm_tag;
	x.event.process_lsm.function_name = "file_open";
	x.event.process_lsm.policy_mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE;
	cr_assert(report_event_from(&x, &e, buf, sizeof(buf)));
	cr_expect_str_eq(e.hook, "lsm file_open");
	cr_expect(!e.enforced && !e.audited, "enforce mode, not applied: neither (a failure or no action)");
	cr_expect_null(e.binary);

	memset(&x, 0, sizeof(x));
	x.which_event = rtenf_Event_process_uprobe_tag;
	x.event.process_uprobe.path = "/bin/bash";
	x.event.process_uprobe.symbol = "readline";
	cr_assert(report_event_from(&x, &e, buf, sizeof(buf)));
	cr_expect_str_eq(e.hook, "uprobe /bin/bash:readline");

	memset(&x, 0, sizeof(x));
	x.which_event = rtenf_Event_process_exec_tag;
	cr_expect_not(report_event_from(&x, &e, buf, sizeof(buf)), "exec events are not policy matches");
	x.which_event = rtenf_Event_lost_events_tag;
	cr_expect_not(report_event_from(&x, &e, buf, sizeof(buf)));
}

Test(policy_report, fill_puts_other_last_and_releases_cleanly)
{
	struct report_book b = {.row_cap = 2};
	rtenf_PolicyReport r = rtenf_PolicyReport_init_zero;

	for (int i = 0; i < 3; i++) {
		char path[16];
		struct report_event e;

		snprintf(path, sizeof(path), "/bin/%d", i);
		e = ev(UNSHARE, 0, path, NULL, false, 1);
		e.message = "namespace change in a container";
		report_book_add(&b, 5, &e);
	}
	report_fill(&b, report_book_find(&b, 5), &r);
	cr_expect_eq(r.row_cap, 2);
	cr_expect_eq(r.events, 3);
	cr_expect_eq(r.audited, 3);
	cr_assert_eq(r.rules_count, 1);
	cr_expect_str_eq(r.rules[0].hook, UNSHARE);
	cr_expect_str_eq(r.rules[0].message, "namespace change in a container");
	cr_assert_eq(r.binaries_count, 3);
	cr_expect_str_eq(r.binaries[0].binary, "/bin/0");
	cr_expect_not(r.binaries[0].other);
	cr_expect(r.binaries[2].other);
	cr_expect_eq(r.binaries[2].events, 1);
	cr_expect_null(r.binaries[2].binary);
	cr_assert_eq(r.containers_count, 1);
	cr_expect_str_eq(r.containers[0].container, "host");
	pb_release(rtenf_PolicyReport_fields, &r);

	/* a policy nothing matched yet: empty tables, zero totals */
	memset(&r, 0, sizeof(r));
	report_fill(&b, NULL, &r);
	cr_expect_eq(r.events, 0);
	cr_expect_eq(r.rules_count + r.binaries_count + r.containers_count, 0);
	pb_release(rtenf_PolicyReport_fields, &r);
	report_book_free(&b);
}
