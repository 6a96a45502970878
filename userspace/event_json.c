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
 * printed as "docker", ProcessKprobe.return_arg as "return") and otherwise
 * follow their proto names.  Hook events (tracepoint, kprobe, lsm, uprobe)
 * add the same enforcement fields: policy_mode and enforced whenever an
 * action is set, then signal, error, selector and the like when non-zero.
 *
 * ancestors (getevents --ancestors) are a list of processes where
 * Tetragon's field numbers put them: after the parent of process_exec,
 * after the time of process_exit, after the tags of hook events.
 *
 * "error" is the errno exactly as the event carries it, with no name
 * beside it: a key of our own ("error_name") would make these lines fail
 * protojson decoding against events.proto, and jq maps numbers easily.  The
 * compact format prints the name ("OVERRIDE -EPERM").
 *
 * Arguments are in event_json_args.c.
 */

#include "event_format.h"
#include "event_json_args.h"
#include "json_writer.h"
#include "names.h"

static void put_namespace(struct jobj *o, const char *key, bool has, const rtenf_Namespace *n)
{
	struct jobj ns;

	if (!has)
		return;
	jobj_open_at(o, key, &ns);
	jobj_u32(&ns, "inum", n->inum, false);
	jobj_bool(&ns, "is_host", n->is_host, false);
	jobj_close(&ns);
}

static void put_namespaces(struct jobj *o, const rtenf_Namespaces *n)
{
	struct jobj ns;

	jobj_open_at(o, "ns", &ns);
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
	jobj_close(&ns);
}

static void put_credentials(struct jobj *o, const rtenf_ProcessCredentials *c)
{
	struct jobj cred;

	/* UInt32Value in Tetragon: root's 0 is printed. */
	jobj_open_at(o, "process_credentials", &cred);
	jobj_u32(&cred, "uid", c->uid, true);
	jobj_u32(&cred, "gid", c->gid, true);
	jobj_u32(&cred, "euid", c->euid, true);
	jobj_u32(&cred, "egid", c->egid, true);
	jobj_close(&cred);
}

/* Tetragon's Process field order (exec_id 1 .. in_init_tree 20), then
 * rtenf's fields. */
static void put_process_fields(struct jobj *o, const rtenf_Process *p)
{
	struct jobj proc = *o;

	jobj_str(&proc, "exec_id", p->exec_id);
	jobj_u32(&proc, "pid", p->pid, true);
	jobj_u32(&proc, "uid", p->uid, true);
	jobj_str(&proc, "cwd", p->cwd);
	jobj_str(&proc, "binary", p->binary);
	jobj_str(&proc, "arguments", p->arguments);
	jobj_str(&proc, "flags", p->flags);
	jobj_time(&proc, "start_time", p->start_time);
	jobj_u32(&proc, "auid", p->auid, true);
	jobj_str(&proc, "docker", p->container_id);
	jobj_str(&proc, "parent_exec_id", p->parent_exec_id);
	if (p->has_cap)
		json_put_capabilities(&proc, "cap", &p->cap);
	if (p->has_ns)
		put_namespaces(&proc, &p->ns);
	jobj_u32(&proc, "tid", p->tid, true);
	if (p->has_process_credentials)
		put_credentials(&proc, &p->process_credentials);
	jobj_bool(&proc, "in_init_tree", p->in_init_tree, false);
	jobj_u64(&proc, "cgroup_id", p->cgroup_id);
	jobj_u32(&proc, "ns_pid", p->ns_pid, false);
	*o = proc;
}

static void put_process(struct jobj *o, const char *key, const rtenf_Process *p)
{
	struct jobj proc;

	if (!p)
		return;
	jobj_open_at(o, key, &proc);
	put_process_fields(&proc, p);
	jobj_close(&proc);
}

static void put_ancestors(struct jobj *o, const rtenf_Process *list, pb_size_t n)
{
	if (!n)
		return;
	jobj_array_open(o, "ancestors");
	for (pb_size_t i = 0; i < n; i++) {
		struct jobj proc;

		jarr_next(o->sb, i);
		jobj_open(&proc, o->sb);
		put_process_fields(&proc, &list[i]);
		jobj_close(&proc);
	}
	jobj_array_close(o);
}

/* kernel_stack_trace / user_stack_trace: frames innermost first, each
 * {address, offset, symbol, module} as Tetragon's StackTraceEntry. */
static void put_stack(struct jobj *o, const char *key, const rtenf_StackTraceEntry *frames, pb_size_t n)
{
	if (!n)
		return;
	jobj_array_open(o, key);
	for (pb_size_t i = 0; i < n; i++) {
		struct jobj f;

		jarr_next(o->sb, i);
		jobj_open(&f, o->sb);
		jobj_u64(&f, "address", frames[i].address);
		jobj_u64(&f, "offset", frames[i].offset);
		jobj_str(&f, "symbol", frames[i].symbol);
		jobj_str(&f, "module", frames[i].module);
		jobj_close(&f);
	}
	jobj_array_close(o);
}

static void put_stacks(struct jobj *o, const rtenf_StackTraceEntry *k, pb_size_t nk, const rtenf_StackTraceEntry *u,
		       pb_size_t nu)
{
	put_stack(o, "kernel_stack_trace", k, nk);
	put_stack(o, "user_stack_trace", u, nu);
}

static void put_exec(struct jobj *o, const rtenf_ProcessExec *e)
{
	struct jobj ex;

	jobj_open_at(o, "process_exec", &ex);
	put_process(&ex, "process", e->process);
	put_process(&ex, "parent", e->parent);
	put_ancestors(&ex, e->ancestors, e->ancestors_count);
	jobj_close(&ex);
}

static void put_exit(struct jobj *o, const rtenf_ProcessExit *e)
{
	struct jobj ex;

	jobj_open_at(o, "process_exit", &ex);
	put_process(&ex, "process", e->process);
	put_process(&ex, "parent", e->parent);
	jobj_str(&ex, "signal", e->signal);
	/* Always printed: `.status == 0` must select clean exits. */
	jobj_u32(&ex, "status", e->status, true);
	jobj_time(&ex, "time", e->time);
	put_ancestors(&ex, e->ancestors, e->ancestors_count);
	jobj_close(&ex);
}

static void put_args(struct jobj *o, const char *key, const rtenf_KprobeArgument *args, pb_size_t n)
{
	if (!n)
		return;
	jobj_array_open(o, key);
	for (pb_size_t i = 0; i < n; i++) {
		jarr_next(o->sb, i);
		json_put_argument(o->sb, &args[i]);
	}
	jobj_array_close(o);
}

static void put_tags(struct jobj *o, char *const *tags, pb_size_t n)
{
	if (!n)
		return;
	jobj_array_open(o, "tags");
	for (pb_size_t i = 0; i < n; i++) {
		jarr_next(o->sb, i);
		json_put_string(o->sb, tags[i]);
	}
	jobj_array_close(o);
}

static bool has_action(rtenf_KprobeAction a)
{
	return a != rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN;
}

static void put_action(struct jobj *o, rtenf_KprobeAction a)
{
	bool known = (unsigned)a <= _rtenf_KprobeAction_MAX;

	if (has_action(a))
		jobj_enum(o, "action", known ? kprobe_action_name(a) : NULL, a);
}

/* Whether an action was audited or applied must never be left for the
 * reader to infer from a missing key: with an action, policy_mode and
 * enforced are always printed, whatever their value. */
static void put_enforcement(struct jobj *o, rtenf_KprobeAction action, rtenf_PolicyMode mode, bool enforced)
{
	if (has_action(action) || mode != rtenf_PolicyMode_POLICY_MODE_UNSET) {
		bool known = (unsigned)mode <= _rtenf_PolicyMode_MAX;

		jobj_enum(o, "policy_mode", known ? policy_mode_wire_name(mode) : NULL, mode);
	}
	jobj_bool(o, "enforced", enforced, has_action(action));
}

static void put_tracepoint(struct jobj *o, const rtenf_ProcessTracepoint *t)
{
	struct jobj tp;

	jobj_open_at(o, "process_tracepoint", &tp);
	put_process(&tp, "process", t->process);
	put_process(&tp, "parent", t->parent);
	jobj_str(&tp, "subsys", t->subsys);
	jobj_str(&tp, "event", t->event);
	put_args(&tp, "args", t->args, t->args_count);
	put_args(&tp, "data", t->data, t->data_count);
	jobj_str(&tp, "policy_name", t->policy_name);
	put_action(&tp, t->action);
	jobj_str(&tp, "message", t->message);
	put_tags(&tp, t->tags, t->tags_count);
	put_ancestors(&tp, t->ancestors, t->ancestors_count);
	put_enforcement(&tp, t->action, t->policy_mode, t->enforced);
	jobj_u32(&tp, "signal", t->signal, false);
	jobj_i32(&tp, "error", t->error);
	jobj_u32(&tp, "selector", t->selector, false);
	jobj_str(&tp, "selector_label", t->selector_label);
	jobj_bool(&tp, "late", t->late, false);
	jobj_i64(&tp, "return_value", t->return_value);
	put_stacks(&tp, t->kernel_stack_trace, t->kernel_stack_trace_count, t->user_stack_trace,
		   t->user_stack_trace_count);
	jobj_str(&tp, "stack_trace_error", t->stack_trace_error);
	jobj_close(&tp);
}

static void put_kprobe(struct jobj *o, const rtenf_ProcessKprobe *k)
{
	struct jobj kp;

	jobj_open_at(o, "process_kprobe", &kp);
	put_process(&kp, "process", k->process);
	put_process(&kp, "parent", k->parent);
	jobj_str(&kp, "function_name", k->function_name);
	put_args(&kp, "args", k->args, k->args_count);
	put_args(&kp, "data", k->data, k->data_count);
	/* Tetragon's field is "return"; the proto calls it return_arg only
	 * because "return" is a C keyword. */
	if (k->has_return_arg) {
		jobj_key(&kp, "return");
		json_put_argument(kp.sb, &k->return_arg);
	}
	put_action(&kp, k->action);
	jobj_str(&kp, "policy_name", k->policy_name);
	jobj_str(&kp, "message", k->message);
	put_tags(&kp, k->tags, k->tags_count);
	put_ancestors(&kp, k->ancestors, k->ancestors_count);
	/* Tetragon's field numbers (15, 17): before rtenf's additions */
	put_stacks(&kp, k->kernel_stack_trace, k->kernel_stack_trace_count, k->user_stack_trace,
		   k->user_stack_trace_count);
	put_enforcement(&kp, k->action, k->policy_mode, k->enforced);
	jobj_u32(&kp, "signal", k->signal, false);
	jobj_i32(&kp, "error", k->error);
	jobj_u32(&kp, "selector", k->selector, false);
	jobj_str(&kp, "selector_label", k->selector_label);
	jobj_bool(&kp, "late", k->late, false);
	jobj_i64(&kp, "return_value", k->return_value);
	jobj_str(&kp, "mechanism", k->mechanism);
	jobj_str(&kp, "stack_trace_error", k->stack_trace_error);
	jobj_close(&kp);
}

static void put_lsm(struct jobj *o, const rtenf_ProcessLsm *l)
{
	struct jobj lsm;

	jobj_open_at(o, "process_lsm", &lsm);
	put_process(&lsm, "process", l->process);
	put_process(&lsm, "parent", l->parent);
	jobj_str(&lsm, "function_name", l->function_name);
	jobj_str(&lsm, "policy_name", l->policy_name);
	jobj_str(&lsm, "message", l->message);
	put_args(&lsm, "args", l->args, l->args_count);
	put_args(&lsm, "data", l->data, l->data_count);
	put_action(&lsm, l->action);
	put_tags(&lsm, l->tags, l->tags_count);
	put_ancestors(&lsm, l->ancestors, l->ancestors_count);
	put_enforcement(&lsm, l->action, l->policy_mode, l->enforced);
	jobj_u32(&lsm, "signal", l->signal, false);
	jobj_i32(&lsm, "error", l->error);
	jobj_u32(&lsm, "selector", l->selector, false);
	jobj_str(&lsm, "selector_label", l->selector_label);
	jobj_str(&lsm, "mechanism", l->mechanism);
	put_stacks(&lsm, l->kernel_stack_trace, l->kernel_stack_trace_count, l->user_stack_trace,
		   l->user_stack_trace_count);
	jobj_str(&lsm, "stack_trace_error", l->stack_trace_error);
	jobj_close(&lsm);
}

/* Tetragon's ProcessUprobe has no action; rtenf's comes after the tags,
 * with the rest of its additions. */
static void put_uprobe(struct jobj *o, const rtenf_ProcessUprobe *u)
{
	struct jobj up;

	jobj_open_at(o, "process_uprobe", &up);
	put_process(&up, "process", u->process);
	put_process(&up, "parent", u->parent);
	jobj_str(&up, "path", u->path);
	jobj_str(&up, "symbol", u->symbol);
	jobj_str(&up, "policy_name", u->policy_name);
	jobj_str(&up, "message", u->message);
	put_args(&up, "args", u->args, u->args_count);
	put_args(&up, "data", u->data, u->data_count);
	put_tags(&up, u->tags, u->tags_count);
	put_ancestors(&up, u->ancestors, u->ancestors_count);
	put_action(&up, u->action);
	put_enforcement(&up, u->action, u->policy_mode, u->enforced);
	jobj_u32(&up, "signal", u->signal, false);
	jobj_u32(&up, "selector", u->selector, false);
	jobj_str(&up, "selector_label", u->selector_label);
	put_stacks(&up, u->kernel_stack_trace, u->kernel_stack_trace_count, u->user_stack_trace,
		   u->user_stack_trace_count);
	jobj_str(&up, "stack_trace_error", u->stack_trace_error);
	jobj_close(&up);
}

static void put_lost(struct jobj *o, const rtenf_LostEvents *l)
{
	struct jobj lost;

	jobj_open_at(o, "lost_events", &lost);
	jobj_u64(&lost, "count", l->count);
	jobj_str(&lost, "source", l->source);
	jobj_close(&lost);
}

void event_format_json(struct strbuf *out, const rtenf_Event *ev)
{
	struct jobj top;

	jobj_open(&top, out);
	switch (ev->which_event) {
	case rtenf_Event_process_exec_tag:
		put_exec(&top, &ev->event.process_exec);
		break;
	case rtenf_Event_process_exit_tag:
		put_exit(&top, &ev->event.process_exit);
		break;
	case rtenf_Event_process_kprobe_tag:
		put_kprobe(&top, &ev->event.process_kprobe);
		break;
	case rtenf_Event_process_tracepoint_tag:
		put_tracepoint(&top, &ev->event.process_tracepoint);
		break;
	case rtenf_Event_process_uprobe_tag:
		put_uprobe(&top, &ev->event.process_uprobe);
		break;
	case rtenf_Event_process_lsm_tag:
		put_lsm(&top, &ev->event.process_lsm);
		break;
	case rtenf_Event_lost_events_tag:
		put_lost(&top, &ev->event.lost_events);
		break;
	}
	jobj_str(&top, "node_name", ev->node_name);
	jobj_time(&top, "time", ev->time);
	jobj_close(&top);
	sb_putc(out, '\n');
}
