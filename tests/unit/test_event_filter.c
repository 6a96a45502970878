// SPDX-License-Identifier: GPL-2.0-only
/* The per-client filters of `rtenf getevents`. */
#include <criterion/criterion.h>
#include <string.h>

#include "event_filter.h"
#include "event_fixtures.h"

/* One event of each kind, from different binaries and policies; the
 * policies span kinds (watch-shadow: a tracepoint and an LSM hook,
 * net-watch: a kprobe and a uprobe). */
enum { EXEC, EXIT, TP_KILL, TP_WATCH, KPROBE, LSM, UPROBE, LOST, N_EVENTS };

struct sample {
	rtenf_Event ev[N_EVENTS];
};

static void sample_init(struct sample *s)
{
	fx_exec(&s->ev[EXEC], fx_process_simple("/usr/bin/ls", "-la", 10), NULL);
	fx_exit(&s->ev[EXIT], fx_process_simple("/usr/bin/cat", NULL, 11), NULL, 0);
	fx_tracepoint(&s->ev[TP_KILL], fx_process_simple("/usr/bin/unshare", NULL, 12), "syscalls",
		      "sys_enter_unshare", "kill-unshare", rtenf_KprobeAction_KPROBE_ACTION_SIGKILL,
		      rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	fx_tracepoint(&s->ev[TP_WATCH], fx_process_simple("/usr/bin/cat", NULL, 13), "syscalls", "sys_enter_openat",
		      "watch-shadow", rtenf_KprobeAction_KPROBE_ACTION_POST, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	fx_kprobe(&s->ev[KPROBE], fx_process_simple("/usr/bin/curl", NULL, 14), "tcp_connect", "net-watch",
		  rtenf_KprobeAction_KPROBE_ACTION_POST, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	fx_lsm(&s->ev[LSM], fx_process_simple("/usr/bin/cat", NULL, 15), "file_open", "watch-shadow",
	       rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE, rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	fx_uprobe(&s->ev[UPROBE], fx_process_simple("/usr/bin/bash", NULL, 16), "/usr/bin/bash", "readline",
		  "net-watch", rtenf_KprobeAction_KPROBE_ACTION_POST, rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	fx_lost(&s->ev[LOST], 3, "kernel");
}

static void sample_free(struct sample *s)
{
	for (int i = 0; i < N_EVENTS; i++)
		fx_release(&s->ev[i]);
}

/* Runs the filter over the sample; want[i] says whether event i passes. */
static void expect_matches(const rtenf_GetEventsRequest *req, const bool want[N_EVENTS])
{
	static const char *const names[N_EVENTS] = {"exec",   "exit", "tp_kill", "tp_watch",
						    "kprobe", "lsm",  "uprobe",  "lost"};
	struct event_filter f;
	struct sample s;
	char err[256] = "";

	cr_assert_eq(event_filter_init(&f, req, err, sizeof(err)), 0, "init: %s", err);
	sample_init(&s);
	for (int i = 0; i < N_EVENTS; i++)
		cr_assert_eq(event_filter_match(&f, &s.ev[i]), want[i], "%s: expected %s", names[i],
			     want[i] ? "pass" : "drop");
	sample_free(&s);
	event_filter_free(&f);
}

Test(event_filter, empty_request_passes_everything)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	char empty[] = "";

	expect_matches(&req, (bool[]){true, true, true, true, true, true, true, true});
	req.process_regex = empty; /* empty regex = no regex */
	expect_matches(&req, (bool[]){true, true, true, true, true, true, true, true});
}

Test(event_filter, event_types)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	rtenf_EventType types[2] = {rtenf_EventType_EVENT_TYPE_PROCESS_EXEC};

	req.event_types = types;
	req.event_types_count = 1;
	expect_matches(&req, (bool[]){true, false, false, false, false, false, false, true});

	types[0] = rtenf_EventType_EVENT_TYPE_PROCESS_TRACEPOINT;
	types[1] = rtenf_EventType_EVENT_TYPE_PROCESS_EXIT;
	req.event_types_count = 2;
	expect_matches(&req, (bool[]){false, true, true, true, false, false, false, true});

	types[0] = rtenf_EventType_EVENT_TYPE_PROCESS_KPROBE;
	types[1] = rtenf_EventType_EVENT_TYPE_PROCESS_LSM;
	expect_matches(&req, (bool[]){false, false, false, false, true, true, false, true});

	types[0] = rtenf_EventType_EVENT_TYPE_PROCESS_UPROBE;
	req.event_types_count = 1;
	expect_matches(&req, (bool[]){false, false, false, false, false, false, true, true});

	types[0] = rtenf_EventType_EVENT_TYPE_LOST_EVENTS;
	expect_matches(&req, (bool[]){false, false, false, false, false, false, false, true});
}

Test(event_filter, policies_select_hook_events_only)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	char kill[] = "kill-unshare", other[] = "other";
	char *names[] = {other, kill};

	req.policy_names = names;
	req.policy_names_count = 2;
	expect_matches(&req, (bool[]){false, false, true, false, false, false, false, true});
	req.policy_names_count = 1;
	expect_matches(&req, (bool[]){false, false, false, false, false, false, false, true});
}

/* --policy selects hook events of every kind, not just tracepoints. */
Test(event_filter, policies_span_hook_kinds)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	char watch[] = "watch-shadow", net[] = "net-watch";
	char *names[] = {watch, net};

	req.policy_names = names;
	req.policy_names_count = 1;
	expect_matches(&req, (bool[]){false, false, false, true, false, true, false, true});
	req.policy_names = &names[1];
	expect_matches(&req, (bool[]){false, false, false, false, true, false, true, true});
	req.policy_names = names;
	req.policy_names_count = 2;
	expect_matches(&req, (bool[]){false, false, false, true, true, true, true, true});
}

Test(event_filter, process_regex_on_binary)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	char cat[] = "/cat$", alt[] = "^/usr/bin/(ls|unshare)$", net[] = "/(curl|bash)$", any[] = ".*";

	req.process_regex = cat;
	expect_matches(&req, (bool[]){false, true, false, true, false, true, false, true});
	req.process_regex = alt; /* extended syntax: groups and alternation */
	expect_matches(&req, (bool[]){true, false, true, false, false, false, false, true});
	req.process_regex = net; /* the process of kprobe and uprobe events */
	expect_matches(&req, (bool[]){false, false, false, false, true, false, true, true});
	req.process_regex = any;
	expect_matches(&req, (bool[]){true, true, true, true, true, true, true, true});
}

Test(event_filter, filters_combine)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	rtenf_EventType types[] = {rtenf_EventType_EVENT_TYPE_PROCESS_TRACEPOINT,
				   rtenf_EventType_EVENT_TYPE_PROCESS_EXIT};
	char cat[] = "cat", watch[] = "watch-shadow";
	char *names[] = {watch};

	req.event_types = types;
	req.event_types_count = 2;
	req.process_regex = cat;
	expect_matches(&req, (bool[]){false, true, false, true, false, false, false, true});
	req.policy_names = names;
	req.policy_names_count = 1;
	expect_matches(&req, (bool[]){false, false, false, true, false, false, false, true});
	types[1] = rtenf_EventType_EVENT_TYPE_PROCESS_LSM;
	expect_matches(&req, (bool[]){false, false, false, true, false, true, false, true});
}

Test(event_filter, event_without_process)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	char empty_ok[] = "^$", some[] = "x";
	struct event_filter f;
	rtenf_Event ev;
	char err[64];

	for (int kind = 0; kind < 3; kind++) {
		if (kind == 0)
			fx_tracepoint(&ev, NULL, "s", "e", NULL, rtenf_KprobeAction_KPROBE_ACTION_POST,
				      rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
		else if (kind == 1)
			fx_kprobe(&ev, NULL, "f", NULL, rtenf_KprobeAction_KPROBE_ACTION_POST,
				  rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
		else
			fx_uprobe(&ev, NULL, "/bin/x", "s", NULL, rtenf_KprobeAction_KPROBE_ACTION_POST,
				  rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
		req.process_regex = empty_ok;
		cr_assert_eq(event_filter_init(&f, &req, err, sizeof(err)), 0);
		cr_assert(event_filter_match(&f, &ev), "kind %d", kind);
		event_filter_free(&f);
		req.process_regex = some;
		cr_assert_eq(event_filter_init(&f, &req, err, sizeof(err)), 0);
		cr_assert_not(event_filter_match(&f, &ev), "kind %d", kind);
		event_filter_free(&f);
		fx_release(&ev);
	}
}

Test(event_filter, bad_regex_is_reported)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	char bad[] = "(unclosed";
	struct event_filter f;
	char err[256] = "";

	req.process_regex = bad;
	cr_assert_eq(event_filter_init(&f, &req, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "(unclosed"), "%s", err);
	event_filter_free(&f); /* harmless after a failed init */
}

Test(event_filter, unknown_event_type_is_reported)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	rtenf_EventType types[] = {rtenf_EventType_EVENT_TYPE_PROCESS_EXEC, (rtenf_EventType)7};
	struct event_filter f;
	char err[256] = "";

	req.event_types = types;
	req.event_types_count = 2;
	cr_assert_eq(event_filter_init(&f, &req, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "7"), "%s", err);
	cr_assert_not_null(strstr(err, "known: process_exec, process_exit, process_kprobe, process_tracepoint, "
				   "process_uprobe, process_lsm, lost_events"), "%s", err);
	event_filter_free(&f);

	types[1] = rtenf_EventType_EVENT_TYPE_UNDEF;
	cr_assert_eq(event_filter_init(&f, &req, err, sizeof(err)), -1);
	event_filter_free(&f);
}

Test(event_filter, free_is_idempotent)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	char re[] = "a", p[] = "p";
	char *names[] = {p};
	struct event_filter f;
	char err[64];

	req.process_regex = re;
	req.policy_names = names;
	req.policy_names_count = 1;
	cr_assert_eq(event_filter_init(&f, &req, err, sizeof(err)), 0);
	event_filter_free(&f);
	event_filter_free(&f);
}

Test(event_filter, type_names)
{
	static const struct {
		rtenf_EventType t;
		const char *name;
	} types[] = {
		{rtenf_EventType_EVENT_TYPE_PROCESS_EXEC, "process_exec"},
		{rtenf_EventType_EVENT_TYPE_PROCESS_EXIT, "process_exit"},
		{rtenf_EventType_EVENT_TYPE_PROCESS_KPROBE, "process_kprobe"},
		{rtenf_EventType_EVENT_TYPE_PROCESS_TRACEPOINT, "process_tracepoint"},
		{rtenf_EventType_EVENT_TYPE_PROCESS_UPROBE, "process_uprobe"},
		{rtenf_EventType_EVENT_TYPE_PROCESS_LSM, "process_lsm"},
		{rtenf_EventType_EVENT_TYPE_LOST_EVENTS, "lost_events"},
	};
	unsigned long long seen = 0;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		unsigned long long bit = event_type_bit(types[i].t);

		cr_assert_eq(event_type_from_name(types[i].name), types[i].t);
		cr_assert_str_eq(event_type_name(types[i].t), types[i].name);
		cr_assert_eq(__builtin_popcountll(bit), 1);
		cr_assert_eq(seen & bit, 0, "%s shares a bit", types[i].name);
		seen |= bit;
	}
	/* Tetragon's spelling, and any other case. */
	cr_assert_eq(event_type_from_name("PROCESS_EXEC"), rtenf_EventType_EVENT_TYPE_PROCESS_EXEC);
	cr_assert_eq(event_type_from_name("PROCESS_KPROBE"), rtenf_EventType_EVENT_TYPE_PROCESS_KPROBE);
	cr_assert_eq(event_type_from_name("PROCESS_LSM"), rtenf_EventType_EVENT_TYPE_PROCESS_LSM);
	cr_assert_eq(event_type_from_name("Process_Uprobe"), rtenf_EventType_EVENT_TYPE_PROCESS_UPROBE);
	cr_assert_eq(event_type_from_name("process_bogus"), rtenf_EventType_EVENT_TYPE_UNDEF);
	cr_assert_eq(event_type_from_name("process_kprobe "), rtenf_EventType_EVENT_TYPE_UNDEF);
	cr_assert_eq(event_type_from_name("kprobe"), rtenf_EventType_EVENT_TYPE_UNDEF);
	cr_assert_eq(event_type_from_name("EVENT_TYPE_PROCESS_KPROBE"), rtenf_EventType_EVENT_TYPE_UNDEF);
	cr_assert_eq(event_type_from_name(""), rtenf_EventType_EVENT_TYPE_UNDEF);
	cr_assert_eq(event_type_from_name(NULL), rtenf_EventType_EVENT_TYPE_UNDEF);
	cr_assert_null(event_type_name(rtenf_EventType_EVENT_TYPE_UNDEF));
	cr_assert_null(event_type_name((rtenf_EventType)7));
}

Test(event_filter, type_of_event)
{
	struct sample s;
	rtenf_Event none = rtenf_Event_init_zero;

	sample_init(&s);
	cr_assert_eq(event_type_of(&s.ev[EXEC]), rtenf_EventType_EVENT_TYPE_PROCESS_EXEC);
	cr_assert_eq(event_type_of(&s.ev[EXIT]), rtenf_EventType_EVENT_TYPE_PROCESS_EXIT);
	cr_assert_eq(event_type_of(&s.ev[TP_KILL]), rtenf_EventType_EVENT_TYPE_PROCESS_TRACEPOINT);
	cr_assert_eq(event_type_of(&s.ev[KPROBE]), rtenf_EventType_EVENT_TYPE_PROCESS_KPROBE);
	cr_assert_eq(event_type_of(&s.ev[LSM]), rtenf_EventType_EVENT_TYPE_PROCESS_LSM);
	cr_assert_eq(event_type_of(&s.ev[UPROBE]), rtenf_EventType_EVENT_TYPE_PROCESS_UPROBE);
	cr_assert_eq(event_type_of(&s.ev[LOST]), rtenf_EventType_EVENT_TYPE_LOST_EVENTS);
	cr_assert_eq(event_type_of(&none), rtenf_EventType_EVENT_TYPE_UNDEF);
	sample_free(&s);
}
