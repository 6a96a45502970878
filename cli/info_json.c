// SPDX-License-Identifier: GPL-2.0-only
#include "info_json.h"

#include <inttypes.h>

#include "event_format.h"
#include "names.h"

void json_put_opt_string(struct strbuf *sb, const char *s)
{
	json_put_string(sb, s ? s : "");
}

static void key(struct strbuf *sb, const char *name, bool first)
{
	sb_printf(sb, "%s\"%s\":", first ? "" : ",", name);
}

static void key_u64(struct strbuf *sb, const char *name, uint64_t v)
{
	key(sb, name, false);
	sb_printf(sb, "%" PRIu64, v);
}

static void json_hook(struct strbuf *sb, const rtenf_HookInfo *h)
{
	key(sb, "kind", true);
	json_put_opt_string(sb, h->kind);
	key(sb, "target", false);
	json_put_opt_string(sb, h->target);
	key(sb, "mechanism", false);
	json_put_opt_string(sb, h->mechanism);
	key(sb, "enforcement", false);
	json_put_opt_string(sb, h->enforcement);
}

static void json_counters(struct strbuf *sb, const rtenf_PolicyCounters *c)
{
	sb_printf(sb, "{\"matched\":%" PRIu64, c->matched);
	key_u64(sb, "posted", c->posted);
	key_u64(sb, "actions_applied", c->actions_applied);
	key_u64(sb, "actions_audited", c->actions_audited);
	key_u64(sb, "actions_failed", c->actions_failed);
	key_u64(sb, "ringbuf_full", c->ringbuf_full);
	key_u64(sb, "late", c->late);
	key_u64(sb, "read_errors", c->read_errors);
	sb_putc(sb, '}');
}

/* "key":[...] of strings, left out when there are none. */
static void json_strings(struct strbuf *sb, const char *name, char *const *v, pb_size_t n)
{
	if (!n)
		return;
	key(sb, name, false);
	sb_putc(sb, '[');
	for (pb_size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		json_put_opt_string(sb, v[i]);
	}
	sb_putc(sb, ']');
}

void json_policy_info(struct strbuf *sb, const rtenf_PolicyInfo *p)
{
	/* Counters the agent left out are zero, as proto3 reads them. */
	static const rtenf_PolicyCounters zero;

	sb_putc(sb, '{');
	key(sb, "name", true);
	json_put_opt_string(sb, p->name);
	key_u64(sb, "id", p->id);
	key(sb, "mode", false);
	json_put_string(sb, policy_mode_wire_name(p->mode));
	key(sb, "file_name", false);
	json_put_opt_string(sb, p->file_name);
	key(sb, "hooks", false);
	sb_putc(sb, '[');
	for (pb_size_t i = 0; i < p->hooks_count; i++) {
		sb_puts(sb, i ? ",{" : "{");
		json_hook(sb, &p->hooks[i]);
		sb_putc(sb, '}');
	}
	sb_putc(sb, ']');
	key(sb, "counters", false);
	json_counters(sb, p->has_counters ? &p->counters : &zero);
	key_u64(sb, "kernel_memory", p->kernel_memory);
	key_u64(sb, "program_memory", p->program_memory);
	key_u64(sb, "loaded_at", p->loaded_at);
	/* a scoped policy always has "scope"; "scope_cgroups" only once a
	 * cgroup it names exists */
	json_strings(sb, "scope", p->scope, p->scope_count);
	json_strings(sb, "scope_cgroups", p->scope_cgroups, p->scope_cgroups_count);
	sb_putc(sb, '}');
}

static void json_client(struct strbuf *sb, const rtenf_ClientInfo *c)
{
	sb_printf(sb, "{\"id\":%" PRIu32, c->id);
	key_u64(sb, "pid", c->pid);
	key_u64(sb, "uid", c->uid);
	key_u64(sb, "events_sent", c->events_sent);
	key_u64(sb, "events_dropped", c->events_dropped);
	key_u64(sb, "queued_bytes", c->queued_bytes);
	sb_putc(sb, '}');
}

void json_agent_info(struct strbuf *sb, const rtenf_AgentInfo *a)
{
	sb_putc(sb, '{');
	key(sb, "version", true);
	json_put_opt_string(sb, a->version);
	key(sb, "node_name", false);
	json_put_opt_string(sb, a->node_name);
	key_u64(sb, "pid", a->pid);
	key_u64(sb, "started_at", a->started_at);
	key_u64(sb, "events_read", a->events_read);
	key_u64(sb, "kernel_drops", a->kernel_drops);
	key_u64(sb, "ringbuf_size", a->ringbuf_size);
	key_u64(sb, "process_table", a->process_table);
	key_u64(sb, "agent_rss", a->agent_rss);
	key_u64(sb, "base_kernel_memory", a->base_kernel_memory);
	key_u64(sb, "base_program_memory", a->base_program_memory);
	key(sb, "clients", false);
	sb_putc(sb, '[');
	for (pb_size_t i = 0; i < a->clients_count; i++) {
		if (i)
			sb_putc(sb, ',');
		json_client(sb, &a->clients[i]);
	}
	sb_putc(sb, ']');
	key_u64(sb, "clients_dropped", a->clients_dropped);
	key_u64(sb, "process_map_full", a->process_map_full);
	key(sb, "bpf_dir", false);
	json_put_opt_string(sb, a->bpf_dir);
	key_u64(sb, "adopted_policies", a->adopted_policies);
	key_u64(sb, "policy_memory_limit", a->policy_memory_limit);
	key_u64(sb, "agent_drops", a->agent_drops);
	sb_putc(sb, '}');
}
