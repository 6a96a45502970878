// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf list: the loaded policies with their hooks and counters, then the
 * agent's own counters, as tables for people or one JSON object for scripts.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <pb_decode.h>

#include "cli_common.h"
#include "info_json.h"
#include "names.h"
#include "text_table.h"
#include "util.h"

static const char list_usage[] =
	"usage: rtenf list [--socket PATH] [-o text|json]\n"
	"\n"
	"Show the loaded policies (hooks, mode, counters, kernel memory) and the\n"
	"agent's counters (events read and dropped, clients, memory).\n"
	"\n"
	"options:\n"
	"      --socket PATH    the agent's socket (default: $RTENF_SOCKET, else\n"
	"                       " RTENF_DEFAULT_SOCKET ")\n"
	"  -o, --output FORMAT  text (default) or json\n"
	"  -h, --help           show this help\n"
	"\n"
	"exit status: 0 listed, 1 failed, 2 usage error\n";

static const struct option list_options[] = {
	CLI_LONGOPT_OUTPUT,
	CLI_LONGOPT_SOCKET,
	CLI_LONGOPT_HELP,
	{0},
};

static const char *str_or(const char *s, const char *fallback)
{
	return s && *s ? s : fallback;
}

/* "512 B", "1.5 KiB", "8.0 MiB": sizes people compare at a glance. */
static void put_bytes(struct text_table *t, uint64_t n)
{
	static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB"};
	double v = (double)n;
	size_t u = 0;

	if (n < 1024) {
		table_cell(t, "%" PRIu64 " B", n);
		return;
	}
	v /= 1024;
	while (v >= 1024 && u < ARRAY_SIZE(unit) - 1) {
		v /= 1024;
		u++;
	}
	table_cell(t, "%.1f %s", v, unit[u]);
}

static void print_policies(struct strbuf *out, const rtenf_Response *resp)
{
	static const char *const head[] = {
		"ID", "NAME", "MODE", "HOOKS", "MATCHED", "POSTED", "APPLIED", "AUDITED",
		"FAILED", "RB_FULL", "LATE", "READ_ERR", "KERNEL_MEM", "PROG_MEM",
	};
	struct text_table t;

	sb_puts(out, "POLICIES\n");
	if (!resp->policies_count) {
		sb_puts(out, "(none loaded)\n");
		return;
	}
	/* Every column but NAME and MODE holds a number. */
	table_init(&t, head, ARRAY_SIZE(head), ~0ul & ~(1ul << 1) & ~(1ul << 2));
	for (pb_size_t i = 0; i < resp->policies_count; i++) {
		const rtenf_PolicyInfo *p = &resp->policies[i];
		const rtenf_PolicyCounters *k = &p->counters; /* zero when absent */

		table_cell(&t, "%" PRIu32, p->id);
		table_cell(&t, "%s", str_or(p->name, "?"));
		table_cell(&t, "%s", policy_mode_wire_name(p->mode));
		table_cell(&t, "%u", (unsigned)p->hooks_count);
		table_cell(&t, "%" PRIu64, k->matched);
		table_cell(&t, "%" PRIu64, k->posted);
		table_cell(&t, "%" PRIu64, k->actions_applied);
		table_cell(&t, "%" PRIu64, k->actions_audited);
		table_cell(&t, "%" PRIu64, k->actions_failed);
		table_cell(&t, "%" PRIu64, k->ringbuf_full);
		table_cell(&t, "%" PRIu64, k->late);
		table_cell(&t, "%" PRIu64, k->read_errors);
		put_bytes(&t, p->kernel_memory);
		put_bytes(&t, p->program_memory);
	}
	table_print(&t, out);
	table_free(&t);
}

static void print_hooks(struct strbuf *out, const rtenf_Response *resp)
{
	static const char *const head[] = {"POLICY", "KIND", "TARGET", "MECHANISM", "ENFORCEMENT"};
	struct text_table t;
	size_t n = 0;

	for (pb_size_t i = 0; i < resp->policies_count; i++)
		n += resp->policies[i].hooks_count;
	if (!n)
		return;
	sb_puts(out, "\nHOOKS\n");
	table_init(&t, head, ARRAY_SIZE(head), 0);
	for (pb_size_t i = 0; i < resp->policies_count; i++) {
		const rtenf_PolicyInfo *p = &resp->policies[i];

		for (pb_size_t j = 0; j < p->hooks_count; j++) {
			const rtenf_HookInfo *h = &p->hooks[j];

			table_cell(&t, "%s", str_or(p->name, "?"));
			table_cell(&t, "%s", str_or(h->kind, "-"));
			table_cell(&t, "%s", str_or(h->target, "-"));
			table_cell(&t, "%s", str_or(h->mechanism, "-"));
			table_cell(&t, "%s", str_or(h->enforcement, "-"));
		}
	}
	table_print(&t, out);
	table_free(&t);
}

/* Policies limited to some cgroups: what they say, and the cgroups that
 * names now (none: the policy applies nowhere yet). */
static void print_scopes(struct strbuf *out, const rtenf_Response *resp)
{
	static const char *const head[] = {"POLICY", "LIMITED TO", "CGROUPS NOW"};
	struct text_table t;
	bool any = false;

	for (pb_size_t i = 0; i < resp->policies_count; i++)
		any |= resp->policies[i].scope_count > 0;
	if (!any)
		return;
	sb_puts(out, "\nSCOPES\n");
	table_init(&t, head, ARRAY_SIZE(head), 0);
	for (pb_size_t i = 0; i < resp->policies_count; i++) {
		const rtenf_PolicyInfo *p = &resp->policies[i];
		pb_size_t rows = p->scope_count > p->scope_cgroups_count ? p->scope_count : p->scope_cgroups_count;

		for (pb_size_t r = 0; r < rows && p->scope_count; r++) {
			table_cell(&t, "%s", r ? "" : str_or(p->name, "?"));
			table_cell(&t, "%s", r < p->scope_count ? p->scope[r] : "");
			table_cell(&t, "%s", r < p->scope_cgroups_count ? p->scope_cgroups[r] : r ? "" : "none yet");
		}
	}
	table_print(&t, out);
	table_free(&t);
}

static void put_time(struct text_table *t, uint64_t ns)
{
	time_t s = (time_t)(ns / 1000000000u);
	struct tm tm;
	char buf[64];

	if (!ns || !gmtime_r(&s, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
		table_cell(t, "-");
		return;
	}
	table_cell(t, "%s", buf);
}

static void label(struct text_table *t, const char *name)
{
	table_cell(t, "%s", name);
}

static void print_agent_counters(struct strbuf *out, const rtenf_AgentInfo *a)
{
	struct text_table t;

	table_init(&t, NULL, 2, 0);
	label(&t, "version");
	table_cell(&t, "%s", str_or(a->version, "-"));
	label(&t, "node");
	table_cell(&t, "%s", str_or(a->node_name, "-"));
	label(&t, "pid");
	table_cell(&t, "%" PRIu32, a->pid);
	label(&t, "started");
	put_time(&t, a->started_at);
	label(&t, "events read");
	table_cell(&t, "%" PRIu64, a->events_read);
	label(&t, "kernel drops");
	table_cell(&t, "%" PRIu64, a->kernel_drops);
	label(&t, "agent drops");
	table_cell(&t, "%" PRIu64, a->agent_drops);
	label(&t, "ring buffer");
	put_bytes(&t, a->ringbuf_size);
	label(&t, "process table");
	table_cell(&t, "%" PRIu64 " processes", a->process_table);
	label(&t, "process map full");
	table_cell(&t, "%" PRIu64, a->process_map_full);
	label(&t, "rss");
	put_bytes(&t, a->agent_rss);
	label(&t, "base kernel memory");
	put_bytes(&t, a->base_kernel_memory);
	label(&t, "base program memory");
	put_bytes(&t, a->base_program_memory);
	label(&t, "clients dropped");
	table_cell(&t, "%" PRIu64 " events", a->clients_dropped);
	label(&t, "pinned in");
	if (a->bpf_dir && *a->bpf_dir)
		table_cell(&t, "%s (%" PRIu32 " polic%s adopted at start)", a->bpf_dir, a->adopted_policies,
			   a->adopted_policies == 1 ? "y" : "ies");
	else
		table_cell(&t, "nothing (enforcement ends with the agent)");
	label(&t, "policy mem limit");
	if (a->policy_memory_limit)
		put_bytes(&t, a->policy_memory_limit);
	else
		table_cell(&t, "none");
	table_print(&t, out);
	table_free(&t);
}

static void print_clients(struct strbuf *out, const rtenf_AgentInfo *a)
{
	static const char *const head[] = {"ID", "PID", "UID", "SENT", "DROPPED", "QUEUED"};
	struct text_table t;

	sb_puts(out, "\nCLIENTS\n");
	if (!a->clients_count) {
		sb_puts(out, "(none)\n");
		return;
	}
	table_init(&t, head, ARRAY_SIZE(head), ~0ul);
	for (pb_size_t i = 0; i < a->clients_count; i++) {
		const rtenf_ClientInfo *c = &a->clients[i];

		table_cell(&t, "%" PRIu32, c->id);
		table_cell(&t, "%" PRIu32, c->pid);
		table_cell(&t, "%" PRIu32, c->uid);
		table_cell(&t, "%" PRIu64, c->events_sent);
		table_cell(&t, "%" PRIu64, c->events_dropped);
		put_bytes(&t, c->queued_bytes);
	}
	table_print(&t, out);
	table_free(&t);
}

static void print_agent(struct strbuf *out, const rtenf_Response *resp)
{
	sb_puts(out, "\nAGENT\n");
	if (!resp->has_agent) {
		sb_puts(out, "(the agent sent no information about itself)\n");
		return;
	}
	print_agent_counters(out, &resp->agent);
	print_clients(out, &resp->agent);
}

static void print_json(struct strbuf *out, const rtenf_Response *resp)
{
	sb_puts(out, "{\"policies\":[");
	for (pb_size_t i = 0; i < resp->policies_count; i++) {
		if (i)
			sb_putc(out, ',');
		json_policy_info(out, &resp->policies[i]);
	}
	sb_puts(out, "],\"agent\":");
	if (resp->has_agent)
		json_agent_info(out, &resp->agent);
	else
		sb_puts(out, "null");
	sb_puts(out, "}\n");
}

static int list_run(const struct cli_ctx *c)
{
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp;
	struct strbuf out = {0};
	int r;

	req.which_request = rtenf_Request_list_tag;
	r = cli_request(c, &req, &resp, CLI_CALL_TIMEOUT_MS);
	if (r)
		return r;
	if (c->output == CLI_OUTPUT_JSON) {
		print_json(&out, &resp);
	} else {
		print_policies(&out, &resp);
		print_hooks(&out, &resp);
		print_scopes(&out, &resp);
		print_agent(&out, &resp);
	}
	pb_release(rtenf_Response_fields, &resp);
	fputs(out.buf, stdout);
	sb_free(&out);
	return cli_flush_stdout(c);
}

int cmd_list(int argc, char **argv)
{
	struct cli_ctx c = {.verb = "list", .usage = list_usage};
	int r;

	r = cli_parse_common_options(&c, argc, argv, list_options);
	if (r != CLI_CONTINUE)
		return r;
	if (optind < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
	return list_run(&c);
}
