// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf report: what one policy would have enforced (audit) and did enforce
 * since it was applied, by rule, binary and container, as the agent tallied
 * it from the hook events it read.  The step between `apply --mode audit`
 * and `mode NAME enforce`.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pb_decode.h>

#include "cli_common.h"
#include "event_format.h"
#include "info_json.h"
#include "names.h"
#include "text_table.h"
#include "util.h"

static const char report_usage[] = "usage: rtenf report NAME [--socket PATH] [-o text|json]\n"
				   "\n"
				   "Summarise what a loaded policy would have enforced (audit mode) and did\n"
				   "enforce since it was applied: events per rule (hook and selector), per\n"
				   "binary and per container, with the action, how many were enforced and\n"
				   "how many audit-only, and when they were first and last seen.\n"
				   "\n"
				   "options:\n"
				   "      --socket PATH    the agent's socket (default: $RTENF_SOCKET, else\n"
				   "                       " RTENF_DEFAULT_SOCKET ")\n"
				   "  -o, --output FORMAT  text (default) or json\n"
				   "  -h, --help           show this help\n"
				   "\n"
				   "exit status: 0 reported, 1 failed (no such policy, no agent), 2 usage error\n";

static const struct option report_options[] = {
    CLI_LONGOPT_OUTPUT,
    CLI_LONGOPT_SOCKET,
    CLI_LONGOPT_HELP,
    {0},
};

enum report_dim {
	DIM_RULE,
	DIM_BINARY,
	DIM_CONTAINER,
};

static const char *str_or(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

/* "SIGKILL", "OVERRIDE", "POST": the action without its enum prefix. */
static const char *action_short(rtenf_KprobeAction a)
{
	const char *n = kprobe_action_name(a);

	return strncmp(n, "KPROBE_ACTION_", 14) ? n : n + 14;
}

static void fmt_time(char *buf, size_t len, uint64_t ns)
{
	time_t s = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (!ns || !gmtime_r(&s, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "-");
}

/* Most events first; ties keep the order the agent saw them in. */
static int by_events(const void *a, const void *b)
{
	const rtenf_ReportRow *x = *(const rtenf_ReportRow *const *)a, *y = *(const rtenf_ReportRow *const *)b;

	if (x->other != y->other)
		return x->other ? 1 : -1;
	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	return x < y ? -1 : x > y;
}

static const rtenf_ReportRow **sorted(const rtenf_ReportRow *rows, pb_size_t n)
{
	const rtenf_ReportRow **v = xcalloc(n ? n : 1, sizeof(*v));

	for (pb_size_t i = 0; i < n; i++)
		v[i] = &rows[i];
	qsort(v, n, sizeof(*v), by_events);
	return v;
}

static void print_table(struct strbuf *out, const char *title, enum report_dim dim, const rtenf_ReportRow *rows,
			pb_size_t n, uint32_t cap)
{
	static const char *const rule_head[] = {"HOOK",	      "SELECTOR",   "ACTION",	 "EVENTS", "ENFORCED",
						"AUDIT-ONLY", "FIRST SEEN", "LAST SEEN", "MESSAGE"};
	static const char *const other_head[] = {"",	       "ACTION",     "EVENTS",	 "ENFORCED",
						 "AUDIT-ONLY", "FIRST SEEN", "LAST SEEN"};
	const char *head[ARRAY_SIZE(rule_head)];
	const rtenf_ReportRow **v;
	const rtenf_ReportRow *other = NULL;
	struct text_table t;
	char first[32], last[32];
	size_t n_cols;

	sb_printf(out, "\n%s\n", title);
	if (!n) {
		sb_puts(out, "(none)\n");
		return;
	}
	if (dim == DIM_RULE) {
		bool messages = false;

		for (pb_size_t i = 0; i < n; i++)
			messages |= !rows[i].other && rows[i].message && *rows[i].message;
		memcpy(head, rule_head, sizeof(rule_head));
		n_cols = ARRAY_SIZE(rule_head) - !messages; /* MESSAGE only when a hook has one */
		table_init(&t, head, n_cols, 0x3a);	    /* SELECTOR, EVENTS, ENFORCED, AUDIT-ONLY */
	} else {
		memcpy(head, other_head, sizeof(other_head));
		head[0] = dim == DIM_BINARY ? "BINARY" : "CONTAINER";
		n_cols = ARRAY_SIZE(other_head);
		table_init(&t, head, n_cols, 0x1c); /* EVENTS, ENFORCED, AUDIT-ONLY */
	}
	v = sorted(rows, n);
	for (pb_size_t i = 0; i < n; i++) {
		const rtenf_ReportRow *r = v[i];

		if (r->other)
			other = r;
		fmt_time(first, sizeof(first), r->first_seen);
		fmt_time(last, sizeof(last), r->last_seen);
		if (dim == DIM_RULE) {
			table_cell(&t, "%s", r->other ? "(other)" : str_or(r->hook, "?"));
			if (r->other)
				table_cell(&t, "-");
			else
				table_cell(&t, "%" PRIu32, r->selector);
		} else {
			table_cell(&t, "%s",
				   r->other	       ? "(other)"
				   : dim == DIM_BINARY ? str_or(r->binary, "?")
						       : str_or(r->container, "host"));
		}
		table_cell(&t, "%s", r->other ? "-" : action_short(r->action));
		table_cell(&t, "%" PRIu64, r->events);
		table_cell(&t, "%" PRIu64, r->enforced);
		table_cell(&t, "%" PRIu64, r->audited);
		table_cell(&t, "%s", first);
		table_cell(&t, "%s", last);
		if (n_cols == ARRAY_SIZE(rule_head))
			table_cell(&t, "%s", r->other ? "" : str_or(r->message, ""));
	}
	table_print(&t, out);
	table_free(&t);
	free(v);
	if (other)
		sb_printf(out,
			  "(other): %" PRIu64 " events past the first %" PRIu32
			  " distinct rows; counted, not itemised\n",
			  other->events, cap);
}

static void print_text(struct strbuf *out, const rtenf_PolicyReport *r)
{
	const rtenf_PolicyCounters *k = &r->counters;
	char since[32];
	uint64_t other = r->events - r->enforced - r->audited;

	fmt_time(since, sizeof(since), r->since);
	sb_printf(out, "policy %s (%s mode), applied %s\n", str_or(r->name, "?"), policy_mode_wire_name(r->mode),
		  since);
	sb_printf(out, "events %" PRIu64 ": %" PRIu64 " enforced, %" PRIu64 " audit-only", r->events, r->enforced,
		  r->audited);
	if (other)
		sb_printf(out, ", %" PRIu64 " neither (no action to enforce, or the action failed)", other);
	sb_putc(out, '\n');
	sb_printf(out,
		  "kernel counters: %" PRIu64 " matched, %" PRIu64 " applied, %" PRIu64 " audited, %" PRIu64
		  " failed, %" PRIu64 " lost (ring buffer full)\n",
		  k->matched, k->actions_applied, k->actions_audited, k->actions_failed, k->ringbuf_full);
	if (k->posted > r->events)
		sb_printf(out, "warning: the kernel posted %" PRIu64 " events the agent has not counted yet\n",
			  k->posted - r->events);
	print_table(out, "RULES", DIM_RULE, r->rules, r->rules_count, r->row_cap);
	print_table(out, "BINARIES", DIM_BINARY, r->binaries, r->binaries_count, r->row_cap);
	print_table(out, "CONTAINERS", DIM_CONTAINER, r->containers, r->containers_count, r->row_cap);
}

static void json_rows(struct strbuf *out, const char *name, enum report_dim dim, const rtenf_ReportRow *rows,
		      pb_size_t n)
{
	sb_printf(out, ",\"%s\":[", name);
	for (pb_size_t i = 0; i < n; i++) {
		const rtenf_ReportRow *r = &rows[i];

		sb_puts(out, i ? ",{" : "{");
		if (r->other) {
			sb_puts(out, "\"other\":true");
		} else if (dim == DIM_RULE) {
			sb_puts(out, "\"hook\":");
			json_put_opt_string(out, r->hook);
			sb_printf(out, ",\"selector\":%" PRIu32 ",\"message\":", r->selector);
			json_put_opt_string(out, r->message);
		} else {
			sb_puts(out, dim == DIM_BINARY ? "\"binary\":" : "\"container\":");
			json_put_opt_string(out, dim == DIM_BINARY ? r->binary : r->container);
		}
		sb_puts(out, ",\"action\":");
		json_put_string(out, r->other ? "" : kprobe_action_name(r->action));
		sb_printf(out,
			  ",\"events\":%" PRIu64 ",\"enforced\":%" PRIu64 ",\"audited\":%" PRIu64
			  ",\"first_seen\":%" PRIu64 ",\"last_seen\":%" PRIu64 "}",
			  r->events, r->enforced, r->audited, r->first_seen, r->last_seen);
	}
	sb_putc(out, ']');
}

static void print_json(struct strbuf *out, const rtenf_PolicyReport *r)
{
	const rtenf_PolicyCounters *k = &r->counters;

	sb_puts(out, "{\"name\":");
	json_put_opt_string(out, r->name);
	sb_printf(out, ",\"id\":%" PRIu32 ",\"mode\":", r->id);
	json_put_string(out, policy_mode_wire_name(r->mode));
	sb_printf(out,
		  ",\"since\":%" PRIu64 ",\"events\":%" PRIu64 ",\"enforced\":%" PRIu64 ",\"audited\":%" PRIu64
		  ",\"row_cap\":%" PRIu32,
		  r->since, r->events, r->enforced, r->audited, r->row_cap);
	json_rows(out, "rules", DIM_RULE, r->rules, r->rules_count);
	json_rows(out, "binaries", DIM_BINARY, r->binaries, r->binaries_count);
	json_rows(out, "containers", DIM_CONTAINER, r->containers, r->containers_count);
	sb_printf(out,
		  ",\"counters\":{\"matched\":%" PRIu64 ",\"posted\":%" PRIu64 ",\"actions_applied\":%" PRIu64
		  ",\"actions_audited\":%" PRIu64 ",\"actions_failed\":%" PRIu64 ",\"ringbuf_full\":%" PRIu64
		  ",\"late\":%" PRIu64 ",\"read_errors\":%" PRIu64 "}}\n",
		  k->matched, k->posted, k->actions_applied, k->actions_audited, k->actions_failed, k->ringbuf_full,
		  k->late, k->read_errors);
}

static int report_run(const struct cli_ctx *c, char *name)
{
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp;
	struct strbuf out = {0};
	int r;

	req.which_request = rtenf_Request_report_tag;
	req.request.report.name = name;
	r = cli_request(c, &req, &resp, CLI_CALL_TIMEOUT_MS);
	if (r)
		return r;
	if (!resp.has_report) {
		pb_release(rtenf_Response_fields, &resp);
		return cli_fail(c, "the agent sent no report; is it the same rtenf version as this client?");
	}
	if (c->output == CLI_OUTPUT_JSON)
		print_json(&out, &resp.report);
	else
		print_text(&out, &resp.report);
	pb_release(rtenf_Response_fields, &resp);
	fputs(out.buf, stdout);
	sb_free(&out);
	return cli_flush_stdout(c);
}

int cmd_report(int argc, char **argv)
{
	struct cli_ctx c = {.verb = "report", .usage = report_usage};
	int r;

	r = cli_parse_common_options(&c, argc, argv, report_options);
	if (r != CLI_CONTINUE)
		return r;
	if (argc - optind != 1)
		return cli_usage_error(&c, "expected one policy name, got %d argument%s", argc - optind,
				       argc - optind == 1 ? "" : "s");
	if (!*argv[optind])
		return cli_usage_error(&c, "a policy name cannot be empty");
	return report_run(&c, argv[optind]);
}
