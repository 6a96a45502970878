// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events as JSON lines in the shape of Tetragon's export (protojson with
 * UseProtoNames), so jq recipes written for Tetragon keep working:
 *
 *  - keys in proto field order, snake_case;
 *  - zero values omitted, except where Tetragon wraps the field
 *    (google.protobuf.UInt32Value) and therefore prints 0: process pid, uid,
 *    auid, tid and the process_credentials ids, so `.uid == 0` selects root;
 *  - 64-bit integers as strings, 32-bit ones as numbers, enums by name;
 *  - times as RFC 3339 in UTC with nanoseconds, bytes as base64;
 *  - oneof members are printed when set, even when zero, as protojson does.
 *
 * rtenf's additions keep Tetragon's key where one exists (container_id is
 * printed as "docker") and otherwise follow their proto names.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "event_format.h"
#include "names.h"
#include "utf8.h"

/* One JSON object being written: knows whether a comma is due. */
struct jobj {
	struct strbuf *sb;
	bool first;
};

static void obj_open(struct jobj *o, struct strbuf *sb)
{
	o->sb = sb;
	o->first = true;
	sb_putc(sb, '{');
}

static void obj_close(struct jobj *o)
{
	sb_putc(o->sb, '}');
}

/* Keys are literals of this file, so they need no escaping. */
static void put_key(struct jobj *o, const char *key)
{
	if (!o->first)
		sb_putc(o->sb, ',');
	o->first = false;
	sb_printf(o->sb, "\"%s\":", key);
}

/* Opens a nested object under key. */
static void obj_open_at(struct jobj *parent, const char *key, struct jobj *child)
{
	put_key(parent, key);
	obj_open(child, parent->sb);
}

static void put_str(struct jobj *o, const char *key, const char *s)
{
	if (!s || !*s)
		return;
	put_key(o, key);
	json_put_string(o->sb, s);
}

static void put_u32(struct jobj *o, const char *key, uint32_t v, bool always)
{
	if (!v && !always)
		return;
	put_key(o, key);
	sb_printf(o->sb, "%" PRIu32, v);
}

static void put_i32(struct jobj *o, const char *key, int32_t v)
{
	if (!v)
		return;
	put_key(o, key);
	sb_printf(o->sb, "%" PRId32, v);
}

/* protojson quotes 64-bit integers: JavaScript numbers lose precision past 2^53. */
static void put_u64(struct jobj *o, const char *key, uint64_t v)
{
	if (!v)
		return;
	put_key(o, key);
	sb_printf(o->sb, "\"%" PRIu64 "\"", v);
}

static void put_i64(struct jobj *o, const char *key, int64_t v)
{
	if (!v)
		return;
	put_key(o, key);
	sb_printf(o->sb, "\"%" PRId64 "\"", v);
}

static void put_bool(struct jobj *o, const char *key, bool v, bool always)
{
	if (!v && !always)
		return;
	put_key(o, key);
	sb_puts(o->sb, v ? "true" : "false");
}

/* google.protobuf.Timestamp: always nine fractional digits, like Tetragon's
 * own rfc3339Nano layout; 0 means unset. */
static void put_time(struct jobj *o, const char *key, uint64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (!ns)
		return;
	if (!gmtime_r(&sec, &tm))
		return;
	put_key(o, key);
	sb_printf(o->sb, "\"%04d-%02d-%02dT%02d:%02d:%02d.%09" PRIu64 "Z\"", tm.tm_year + 1900, tm.tm_mon + 1,
		  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ns % 1000000000u);
}

/* An enum by name; a value this build does not know prints as its number,
 * as protojson does. */
static void put_enum(struct jobj *o, const char *key, const char *name, int v)
{
	put_key(o, key);
	if (name)
		json_put_string(o->sb, name);
	else
		sb_printf(o->sb, "%d", v);
}

static void put_base64(struct strbuf *sb, const uint8_t *p, size_t n)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];

	sb_putc(sb, '"');
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tbl[v >> 18 & 63];
		q[1] = tbl[v >> 12 & 63];
		q[2] = i + 1 < n ? tbl[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tbl[v & 63] : '=';
		sb_append(sb, q, 4);
	}
	sb_putc(sb, '"');
}

void json_put_bytes_string(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	sb_putc(out, '"');
	while (i < len) {
		size_t run = i, seq, bad;
		unsigned char c;
		uint32_t cp;

		/* Copy plain ASCII in one go: the common case by far. */
		while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			sb_append(out, s + i, run - i);
			i = run;
			continue;
		}
		c = p[i];
		switch (c) {
		case '"':
			sb_puts(out, "\\\"");
			i++;
			continue;
		case '\\':
			sb_puts(out, "\\\\");
			i++;
			continue;
		case '\b':
			sb_puts(out, "\\b");
			i++;
			continue;
		case '\f':
			sb_puts(out, "\\f");
			i++;
			continue;
		case '\n':
			sb_puts(out, "\\n");
			i++;
			continue;
		case '\r':
			sb_puts(out, "\\r");
			i++;
			continue;
		case '\t':
			sb_puts(out, "\\t");
			i++;
			continue;
		}
		if (c < 0x20) {
			sb_printf(out, "\\u%04x", c);
			i++;
			continue;
		}
		seq = utf8_decode(p + i, len - i, &cp, &bad);
		if (seq) {
			sb_append(out, s + i, seq);
			i += seq;
		} else {
			sb_puts(out, "\xef\xbf\xbd"); /* U+FFFD */
			i += bad;
		}
	}
	sb_putc(out, '"');
}

void json_put_string(struct strbuf *out, const char *s)
{
	json_put_bytes_string(out, s ? s : "", s ? strlen(s) : 0);
}

/* Capabilities are bit masks on the wire; Tetragon prints arrays of names. */
static void put_cap_set(struct jobj *o, const char *key, uint64_t mask)
{
	bool first = true;

	if (!mask)
		return;
	put_key(o, key);
	sb_putc(o->sb, '[');
	for (unsigned bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(mask & (1ull << bit)))
			continue;
		if (!first)
			sb_putc(o->sb, ',');
		first = false;
		name = capability_name(bit);
		if (name)
			json_put_string(o->sb, name);
		else
			sb_printf(o->sb, "%u", bit);
	}
	sb_putc(o->sb, ']');
}

static void put_caps(struct jobj *o, const rtenf_Capabilities *c)
{
	struct jobj caps;

	obj_open_at(o, "cap", &caps);
	put_cap_set(&caps, "permitted", c->permitted);
	put_cap_set(&caps, "effective", c->effective);
	put_cap_set(&caps, "inheritable", c->inheritable);
	obj_close(&caps);
}

static void put_namespace(struct jobj *o, const char *key, bool has, const rtenf_Namespace *n)
{
	struct jobj ns;

	if (!has)
		return;
	obj_open_at(o, key, &ns);
	put_u32(&ns, "inum", n->inum, false);
	put_bool(&ns, "is_host", n->is_host, false);
	obj_close(&ns);
}

static void put_namespaces(struct jobj *o, const rtenf_Namespaces *n)
{
	struct jobj ns;

	obj_open_at(o, "ns", &ns);
	put_namespace(&ns, "uts", n->has_uts, &n->uts);
	put_namespace(&ns, "ipc", n->has_ipc, &n->ipc);
	put_namespace(&ns, "mnt", n->has_mnt, &n->mnt);
	put_namespace(&ns, "pid", n->has_pid, &n->pid);
	put_namespace(&ns, "pid_for_children", n->has_pid_for_children, &n->pid_for_children);
	put_namespace(&ns, "net", n->has_net, &n->net);
	put_namespace(&ns, "time", n->has_time, &n->time);
	put_namespace(&ns, "time_for_children", n->has_time_for_children, &n->time_for_children);
	put_namespace(&ns, "cgroup", n->has_cgroup, &n->cgroup);
	put_namespace(&ns, "user", n->has_user, &n->user);
	obj_close(&ns);
}

static void put_credentials(struct jobj *o, const rtenf_ProcessCredentials *c)
{
	struct jobj cred;

	/* UInt32Value in Tetragon: root's 0 is printed. */
	obj_open_at(o, "process_credentials", &cred);
	put_u32(&cred, "uid", c->uid, true);
	put_u32(&cred, "gid", c->gid, true);
	put_u32(&cred, "euid", c->euid, true);
	put_u32(&cred, "egid", c->egid, true);
	obj_close(&cred);
}

/* Tetragon's Process field order (exec_id 1 .. in_init_tree 20), then
 * rtenf's fields. */
static void put_process(struct jobj *o, const char *key, const rtenf_Process *p)
{
	struct jobj proc;

	if (!p)
		return;
	obj_open_at(o, key, &proc);
	put_str(&proc, "exec_id", p->exec_id);
	put_u32(&proc, "pid", p->pid, true);
	put_u32(&proc, "uid", p->uid, true);
	put_str(&proc, "cwd", p->cwd);
	put_str(&proc, "binary", p->binary);
	put_str(&proc, "arguments", p->arguments);
	put_str(&proc, "flags", p->flags);
	put_time(&proc, "start_time", p->start_time);
	put_u32(&proc, "auid", p->auid, true);
	put_str(&proc, "docker", p->container_id);
	put_str(&proc, "parent_exec_id", p->parent_exec_id);
	if (p->has_cap)
		put_caps(&proc, &p->cap);
	if (p->has_ns)
		put_namespaces(&proc, &p->ns);
	put_u32(&proc, "tid", p->tid, true);
	if (p->has_process_credentials)
		put_credentials(&proc, &p->process_credentials);
	put_bool(&proc, "in_init_tree", p->in_init_tree, false);
	put_u64(&proc, "cgroup_id", p->cgroup_id);
	put_u32(&proc, "ns_pid", p->ns_pid, false);
	obj_close(&proc);
}

static void put_exec(struct jobj *o, const rtenf_ProcessExec *e)
{
	struct jobj ex;

	obj_open_at(o, "process_exec", &ex);
	put_process(&ex, "process", e->process);
	put_process(&ex, "parent", e->parent);
	obj_close(&ex);
}

static void put_exit(struct jobj *o, const rtenf_ProcessExit *e)
{
	struct jobj ex;

	obj_open_at(o, "process_exit", &ex);
	put_process(&ex, "process", e->process);
	put_process(&ex, "parent", e->parent);
	put_str(&ex, "signal", e->signal);
	/* Always printed: `.status == 0` must select clean exits. */
	put_u32(&ex, "status", e->status, true);
	put_time(&ex, "time", e->time);
	obj_close(&ex);
}

static void put_argument(struct strbuf *sb, const rtenf_KprobeArgument *a)
{
	struct jobj arg;

	obj_open(&arg, sb);
	switch (a->which_arg) {
	case rtenf_KprobeArgument_string_arg_tag:
		put_key(&arg, "string_arg");
		json_put_string(sb, a->arg.string_arg);
		break;
	case rtenf_KprobeArgument_int_arg_tag:
		put_key(&arg, "int_arg");
		sb_printf(sb, "%" PRId32, a->arg.int_arg);
		break;
	case rtenf_KprobeArgument_size_arg_tag:
		put_key(&arg, "size_arg");
		sb_printf(sb, "\"%" PRIu64 "\"", a->arg.size_arg);
		break;
	case rtenf_KprobeArgument_bytes_arg_tag:
		put_key(&arg, "bytes_arg");
		if (a->arg.bytes_arg)
			put_base64(sb, a->arg.bytes_arg->bytes, a->arg.bytes_arg->size);
		else
			sb_puts(sb, "\"\"");
		break;
	case rtenf_KprobeArgument_long_arg_tag:
		put_key(&arg, "long_arg");
		sb_printf(sb, "\"%" PRId64 "\"", a->arg.long_arg);
		break;
	case rtenf_KprobeArgument_uint_arg_tag:
		put_key(&arg, "uint_arg");
		sb_printf(sb, "%" PRIu32, a->arg.uint_arg);
		break;
	}
	put_str(&arg, "label", a->label);
	put_bool(&arg, "truncated", a->truncated, false);
	obj_close(&arg);
}

static void put_tracepoint(struct jobj *o, const rtenf_ProcessTracepoint *t)
{
	bool has_action = t->action != rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN;
	struct jobj tp;

	obj_open_at(o, "process_tracepoint", &tp);
	put_process(&tp, "process", t->process);
	put_process(&tp, "parent", t->parent);
	put_str(&tp, "subsys", t->subsys);
	put_str(&tp, "event", t->event);
	if (t->args_count) {
		put_key(&tp, "args");
		sb_putc(tp.sb, '[');
		for (pb_size_t i = 0; i < t->args_count; i++) {
			if (i)
				sb_putc(tp.sb, ',');
			put_argument(tp.sb, &t->args[i]);
		}
		sb_putc(tp.sb, ']');
	}
	put_str(&tp, "policy_name", t->policy_name);
	if (has_action) {
		bool known = (unsigned)t->action <= _rtenf_KprobeAction_MAX;

		put_enum(&tp, "action", known ? kprobe_action_name(t->action) : NULL, t->action);
	}
	put_str(&tp, "message", t->message);
	if (t->tags_count) {
		put_key(&tp, "tags");
		sb_putc(tp.sb, '[');
		for (pb_size_t i = 0; i < t->tags_count; i++) {
			if (i)
				sb_putc(tp.sb, ',');
			json_put_string(tp.sb, t->tags[i]);
		}
		sb_putc(tp.sb, ']');
	}
	/* Whether an action was audited or applied must never be left for the
	 * reader to infer from a missing key. */
	if (has_action || t->policy_mode != rtenf_PolicyMode_POLICY_MODE_UNSET) {
		bool known = (unsigned)t->policy_mode <= _rtenf_PolicyMode_MAX;

		put_enum(&tp, "policy_mode", known ? policy_mode_wire_name(t->policy_mode) : NULL, t->policy_mode);
	}
	put_bool(&tp, "enforced", t->enforced, has_action);
	put_u32(&tp, "signal", t->signal, false);
	put_i32(&tp, "error", t->error);
	put_u32(&tp, "selector", t->selector, false);
	put_bool(&tp, "late", t->late, false);
	put_i64(&tp, "return_value", t->return_value);
	obj_close(&tp);
}

static void put_lost(struct jobj *o, const rtenf_LostEvents *l)
{
	struct jobj lost;

	obj_open_at(o, "lost_events", &lost);
	put_u64(&lost, "count", l->count);
	put_str(&lost, "source", l->source);
	obj_close(&lost);
}

void event_format_json(struct strbuf *out, const rtenf_Event *ev)
{
	struct jobj top;

	obj_open(&top, out);
	switch (ev->which_event) {
	case rtenf_Event_process_exec_tag:
		put_exec(&top, &ev->event.process_exec);
		break;
	case rtenf_Event_process_exit_tag:
		put_exit(&top, &ev->event.process_exit);
		break;
	case rtenf_Event_process_tracepoint_tag:
		put_tracepoint(&top, &ev->event.process_tracepoint);
		break;
	case rtenf_Event_lost_events_tag:
		put_lost(&top, &ev->event.lost_events);
		break;
	}
	put_str(&top, "node_name", ev->node_name);
	put_time(&top, "time", ev->time);
	obj_close(&top);
	sb_putc(out, '\n');
}
