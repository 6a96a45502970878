// SPDX-License-Identifier: GPL-2.0-only
#include "event_builder.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "names.h"
#include "util.h"

/* Strings and buffers made for one event, freed once the sink has it. */
struct scratch {
	void **v;
	size_t n;
};

static void *scratch_keep(struct scratch *s, void *p)
{
	*VEC_PUSH(s->v, s->n) = p;
	return p;
}

static void scratch_free(struct scratch *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void event_builder_init(struct event_builder *eb, struct process_cache *pc, const struct policy_manager *pm,
			event_sink_fn sink, void *sink_ctx)
{
	memset(eb, 0, sizeof(*eb));
	eb->pc = pc;
	eb->pm = pm;
	eb->sink = sink;
	eb->sink_ctx = sink_ctx;
}

static uint64_t wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void base_event(struct event_builder *eb, rtenf_Event *ev, uint64_t ktime)
{
	memset(ev, 0, sizeof(*ev));
	ev->node_name = eb->pc->node_name;
	ev->time = ktime ? process_cache_wall_ns(eb->pc, ktime) : wall_now();
}

/* Process and parent of an event; a process the cache has never seen still
 * gets its pid (it may have started before the agent and exited since). */
static void fill_process_pair(struct event_builder *eb, const struct rtenf_msg_task *t, rtenf_Process **proc,
			      rtenf_Process **parent, struct scratch *s)
{
	struct proc_entry *e = process_cache_lookup(eb->pc, t->tgid, t->exec_id), *pe;

	if (!e)
		e = process_cache_lookup(eb->pc, t->tgid, 0);
	*proc = scratch_keep(s, xcalloc(1, sizeof(**proc)));
	*parent = NULL;
	if (!e) {
		(*proc)->pid = t->tgid;
		(*proc)->tid = t->tid;
		(*proc)->uid = t->uid;
		(*proc)->cgroup_id = t->cgroup_id;
		(*proc)->binary = "";
		return;
	}
	process_cache_fill(eb->pc, e, *proc);
	(*proc)->tid = t->tid;
	(*proc)->uid = t->uid;
	pe = process_cache_parent(eb->pc, e);
	if (pe) {
		*parent = scratch_keep(s, xcalloc(1, sizeof(**parent)));
		process_cache_fill(eb->pc, pe, *parent);
		(*proc)->parent_exec_id = pe->exec_id;
	}
}

static void handle_exec(struct event_builder *eb, const struct rtenf_msg_exec *m, size_t len)
{
	const char *data = (const char *)(m + 1);
	size_t need = sizeof(*m) + (size_t)m->path_len + m->args_len + m->cwd_len;
	char *path, *cwd;
	struct scratch s = {0};
	rtenf_Event ev;

	if (len < need) {
		eb->malformed++;
		return;
	}
	path = xstrndup(data, m->path_len);
	cwd = xstrndup(data + m->path_len + m->args_len, m->cwd_len);
	process_cache_exec(eb->pc, m, path, data + m->path_len, m->args_len, cwd);
	free(path);
	free(cwd);

	base_event(eb, &ev, m->hdr.ktime);
	ev.which_event = rtenf_Event_process_exec_tag;
	fill_process_pair(eb, &m->task, &ev.event.process_exec.process, &ev.event.process_exec.parent, &s);
	eb->sink(eb->sink_ctx, &ev);
	scratch_free(&s);
}

static void handle_clone(struct event_builder *eb, const struct rtenf_msg_clone *m)
{
	process_cache_clone(eb->pc, m);
}

static void handle_exit(struct event_builder *eb, const struct rtenf_msg_exit *m)
{
	struct scratch s = {0};
	rtenf_ProcessExit *x;
	rtenf_Event ev;
	unsigned sig = m->code & 0x7f;

	base_event(eb, &ev, m->hdr.ktime);
	ev.which_event = rtenf_Event_process_exit_tag;
	x = &ev.event.process_exit;
	fill_process_pair(eb, &m->task, &x->process, &x->parent, &s);
	if (sig) {
		const char *name = signal_name(sig);

		x->signal = scratch_keep(&s, name ? xstrdup(name) : xasprintf("%u", sig));
	} else {
		x->status = (m->code >> 8) & 0xff;
	}
	x->time = ev.time;
	eb->sink(eb->sink_ctx, &ev);
	scratch_free(&s);
	process_cache_exit(eb->pc, m->task.tgid, m->task.exec_id, mono_now_ns());
}

static rtenf_KprobeAction primary_action(uint32_t bits)
{
	if (bits & RTENF_ACTION_BIT(RTENF_ACTION_SIGKILL))
		return rtenf_KprobeAction_KPROBE_ACTION_SIGKILL;
	if (bits & RTENF_ACTION_BIT(RTENF_ACTION_SIGNAL))
		return rtenf_KprobeAction_KPROBE_ACTION_SIGNAL;
	if (bits & RTENF_ACTION_BIT(RTENF_ACTION_OVERRIDE))
		return rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE;
	if (bits & RTENF_ACTION_BIT(RTENF_ACTION_NOPOST))
		return rtenf_KprobeAction_KPROBE_ACTION_NOPOST;
	return rtenf_KprobeAction_KPROBE_ACTION_POST;
}

static bool decode_arg(const struct rtenf_msg_arg *a, const uint8_t *data, const struct compiled_arg_meta *meta,
		       rtenf_KprobeArgument *out, struct scratch *s)
{
	uint64_t v = 0;

	memset(out, 0, sizeof(*out));
	if (meta && meta->label)
		out->label = meta->label;
	out->truncated = a->flags & RTENF_ARG_F_TRUNCATED;
	switch (a->type) {
	case RTENF_ARG_STRING:
		out->which_arg = rtenf_KprobeArgument_string_arg_tag;
		out->arg.string_arg = scratch_keep(s, xstrndup((const char *)data, a->len));
		return true;
	case RTENF_ARG_CHAR_BUF: {
		pb_bytes_array_t *b = scratch_keep(s, xmalloc(PB_BYTES_ARRAY_T_ALLOCSIZE(a->len)));

		b->size = a->len;
		memcpy(b->bytes, data, a->len);
		out->which_arg = rtenf_KprobeArgument_bytes_arg_tag;
		out->arg.bytes_arg = b;
		return true;
	}
	default:
		break;
	}
	if (a->len != 8)
		return false;
	memcpy(&v, data, 8);
	switch (a->type) {
	case RTENF_ARG_INT:
	case RTENF_ARG_FD:
		out->which_arg = rtenf_KprobeArgument_int_arg_tag;
		out->arg.int_arg = (int32_t)v;
		break;
	case RTENF_ARG_UINT32:
		out->which_arg = rtenf_KprobeArgument_uint_arg_tag;
		out->arg.uint_arg = (uint32_t)v;
		break;
	case RTENF_ARG_INT64:
		out->which_arg = rtenf_KprobeArgument_long_arg_tag;
		out->arg.long_arg = (int64_t)v;
		break;
	default:
		out->which_arg = rtenf_KprobeArgument_size_arg_tag;
		out->arg.size_arg = v;
		break;
	}
	return true;
}

static void handle_hook(struct event_builder *eb, const struct rtenf_msg_hook *m, size_t len)
{
	const struct live_policy *lp = policy_manager_by_id(eb->pm, m->policy_id);
	const struct compiled_hook *h;
	const uint8_t *p = (const uint8_t *)(m + 1), *end = (const uint8_t *)m + len;
	struct scratch s = {0};
	rtenf_ProcessTracepoint *tp;
	rtenf_Event ev;
	bool sig_action;

	if (!lp || m->hook_id >= lp->cp->n_hooks) {
		eb->unknown_policy++;
		return;
	}
	h = &lp->cp->hooks[m->hook_id];
	base_event(eb, &ev, m->hdr.ktime);
	ev.which_event = rtenf_Event_process_tracepoint_tag;
	tp = &ev.event.process_tracepoint;
	fill_process_pair(eb, &m->task, &tp->process, &tp->parent, &s);
	tp->subsys = h->subsystem;
	tp->event = h->event;
	tp->policy_name = lp->name;
	tp->message = h->message;
	tp->tags = h->tags;
	tp->tags_count = (pb_size_t)h->n_tags;
	tp->action = primary_action(m->actions);
	tp->selector = m->selector;
	tp->late = m->hdr.flags & RTENF_HOOK_F_LATE;
	tp->return_value = m->retval;
	tp->enforced = m->hdr.flags & RTENF_HOOK_F_ENFORCED;
	sig_action = tp->action == rtenf_KprobeAction_KPROBE_ACTION_SIGKILL ||
		     tp->action == rtenf_KprobeAction_KPROBE_ACTION_SIGNAL;
	if (sig_action)
		tp->signal = m->action_arg;
	/* the kernel says which mode it acted in; Post-only hooks follow the policy */
	if (m->hdr.flags & RTENF_HOOK_F_AUDIT)
		tp->policy_mode = rtenf_PolicyMode_POLICY_MODE_AUDIT;
	else if (m->hdr.flags & (RTENF_HOOK_F_ENFORCED | RTENF_HOOK_F_ACTION_FAILED))
		tp->policy_mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE;
	else
		tp->policy_mode = lp->mode == RTENF_MODE_ENFORCE ? rtenf_PolicyMode_POLICY_MODE_ENFORCE
								 : rtenf_PolicyMode_POLICY_MODE_AUDIT;

	tp->args = scratch_keep(&s, xcalloc(m->nargs ? m->nargs : 1, sizeof(*tp->args)));
	for (unsigned i = 0; i < m->nargs; i++) {
		const struct rtenf_msg_arg *a = (const void *)p;

		if (p + sizeof(*a) > end || p + sizeof(*a) + a->len > end) {
			eb->malformed++;
			break;
		}
		if (decode_arg(a, p + sizeof(*a), i < h->n_emitted ? &h->emitted[i] : NULL, &tp->args[tp->args_count],
			       &s))
			tp->args_count++;
		p += sizeof(*a) + a->len;
	}
	eb->sink(eb->sink_ctx, &ev);
	scratch_free(&s);
}

int event_builder_handle(struct event_builder *eb, const void *data, size_t len)
{
	const struct rtenf_msg_header *hdr = data;

	eb->records++;
	if (len < sizeof(*hdr) || hdr->size > len) {
		eb->malformed++;
		return 0;
	}
	len = hdr->size;
	switch (hdr->op) {
	case RTENF_OP_EXEC:
		if (len >= sizeof(struct rtenf_msg_exec))
			handle_exec(eb, data, len);
		else
			eb->malformed++;
		break;
	case RTENF_OP_CLONE:
		if (len >= sizeof(struct rtenf_msg_clone))
			handle_clone(eb, data);
		else
			eb->malformed++;
		break;
	case RTENF_OP_EXIT:
		if (len >= sizeof(struct rtenf_msg_exit))
			handle_exit(eb, data);
		else
			eb->malformed++;
		break;
	case RTENF_OP_TRACEPOINT:
		if (len >= sizeof(struct rtenf_msg_hook))
			handle_hook(eb, data, len);
		else
			eb->malformed++;
		break;
	default:
		eb->malformed++;
		break;
	}
	return 0;
}

void event_builder_lost(struct event_builder *eb, uint64_t count, const char *source)
{
	rtenf_Event ev;

	base_event(eb, &ev, 0);
	ev.which_event = rtenf_Event_lost_events_tag;
	ev.event.lost_events.count = count;
	ev.event.lost_events.source = (char *)source;
	eb->sink(eb->sink_ctx, &ev);
}
