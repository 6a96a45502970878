// SPDX-License-Identifier: GPL-2.0-only
#include "event_builder.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "names.h"
#include "syscall_names.h"
#include "policy.h"
#include "stack_symbols.h"
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

void event_builder_free(struct event_builder *eb)
{
	kernel_symbols_free(eb->ksyms);
	eb->ksyms = NULL;
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

/* The process's cgroup and the container it names, when the cgroup is known. */
static void set_container(struct event_builder *eb, rtenf_Process *p, uint64_t cgroup_id)
{
	const char *docker = process_cache_docker(eb->pc, cgroup_id);

	p->cgroup_id = cgroup_id;
	p->container_id = docker[0] ? (char *)docker : NULL;
}

static struct proc_entry *event_process(struct event_builder *eb, const struct rtenf_msg_task *t)
{
	struct proc_entry *e = process_cache_lookup(eb->pc, t->tgid, t->exec_id);

	return e ? e : process_cache_lookup(eb->pc, t->tgid, 0);
}

/* Process and parent of an event; a process the cache has never seen still
 * gets its pid (it may have started before the agent and exited since). */
static void fill_process_pair(struct event_builder *eb, const struct rtenf_msg_task *t, rtenf_Process **proc,
			      rtenf_Process **parent, struct scratch *s)
{
	struct proc_entry *e = event_process(eb, t), *pe;

	*proc = scratch_keep(s, xcalloc(1, sizeof(**proc)));
	*parent = NULL;
	if (!e) {
		(*proc)->pid = t->tgid;
		(*proc)->tid = t->tid;
		(*proc)->uid = t->euid;
		(*proc)->cgroup_id = t->cgroup_id;
		(*proc)->binary = "";
		(*proc)->flags = "unknown";
		set_container(eb, *proc, t->cgroup_id);
		return;
	}
	process_cache_fill(eb->pc, e, *proc);
	/* who did it at the time of the event: thread, uid (Tetragon's is the
	 * effective one) and cgroup, which may have changed since the exec */
	(*proc)->tid = t->tid;
	(*proc)->uid = t->euid;
	if (t->cgroup_id && t->cgroup_id != e->cgroup_id)
		set_container(eb, *proc, t->cgroup_id);
	pe = process_cache_parent(eb->pc, e);
	if (pe) {
		*parent = scratch_keep(s, xcalloc(1, sizeof(**parent)));
		process_cache_fill(eb->pc, pe, *parent);
	}
}

/* The parent's parent and up, nearest first, when clients asked for them. */
static void fill_ancestors(struct event_builder *eb, const struct rtenf_msg_task *t, rtenf_Process **list,
			   pb_size_t *count, struct scratch *s)
{
	struct proc_entry *e = event_process(eb, t), *chain[EVENT_ANCESTORS_MAX];
	size_t n = 0;

	*list = NULL;
	*count = 0;
	if (!eb->ancestors || !e)
		return;
	e = process_cache_parent(eb->pc, e);
	for (e = e ? process_cache_parent(eb->pc, e) : NULL; e && n < EVENT_ANCESTORS_MAX;
	     e = process_cache_parent(eb->pc, e))
		chain[n++] = e;
	if (!n)
		return;
	*list = scratch_keep(s, xcalloc(n, sizeof(**list)));
	for (size_t i = 0; i < n; i++)
		process_cache_fill(eb->pc, chain[i], &(*list)[i]);
	*count = (pb_size_t)n;
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
	fill_ancestors(eb, &m->task, &ev.event.process_exec.ancestors, &ev.event.process_exec.ancestors_count, &s);
	eb->sink(eb->sink_ctx, &ev);
	scratch_free(&s);
}

static void handle_clone(struct event_builder *eb, const struct rtenf_msg_clone *m)
{
	process_cache_clone(eb->pc, m);
}

static void handle_cgroup(struct event_builder *eb, const struct rtenf_msg_cgroup *m, size_t len)
{
	const struct cgroup_node *node;
	char *path;

	/* only the root has an empty path (the kernel could not read it otherwise) */
	if (len < sizeof(*m) + m->path_len || m->path_len > RTENF_CGROUP_PATH_MAX || (!m->path_len && m->level)) {
		eb->malformed++;
		return;
	}
	if (m->hdr.op == RTENF_OP_CGROUP_RMDIR) {
		if (eb->scopes)
			cgroup_scopes_cgroup_removed(eb->scopes, m->id);
		cgroup_table_remove(&eb->pc->cgroups, m->id);
		return;
	}
	path = xstrndup((const char *)(m + 1), m->path_len);
	node = cgroup_table_add(&eb->pc->cgroups, m->id, m->parent_id, m->level, path);
	free(path);
	if (eb->scopes)
		cgroup_scopes_cgroup_made(eb->scopes, node);
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
	fill_ancestors(eb, &m->task, &x->ancestors, &x->ancestors_count, &s);
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

/* Kernel numbers as the names Tetragon prints, the number itself when the
 * name is unknown (a newer kernel's family or protocol). */
static char *name_or_number(const char *name, unsigned v)
{
	return name ? xstrdup(name) : xasprintf("%u", v);
}

static char *addr_string(uint16_t family, const uint8_t *addr)
{
	char buf[INET6_ADDRSTRLEN] = "";

	inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, buf, sizeof(buf));
	return xstrdup(buf);
}

static char *permission_string(uint32_t mode)
{
	char buf[INODE_MODE_STRING_SIZE];

	return inode_mode_string(mode, buf) ? xstrdup(buf) : NULL;
}

static char *open_flags_string(uint32_t flags)
{
	struct strbuf sb = {0};

	open_flags_format(&sb, flags);
	return sb_steal(&sb);
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
	case RTENF_ARG_FILENAME:
		if (a->type == RTENF_ARG_FILENAME && a->len >= sizeof(struct rtenf_arg_file)) {
			data += sizeof(struct rtenf_arg_file);
			out->arg.string_arg = scratch_keep(s, xstrndup((const char *)data, a->len - sizeof(struct rtenf_arg_file)));
		} else {
			out->arg.string_arg = scratch_keep(s, xstrndup((const char *)data, a->len));
		}
		out->which_arg = rtenf_KprobeArgument_string_arg_tag;
		return true;
	case RTENF_ARG_CHAR_BUF: {
		pb_bytes_array_t *b = scratch_keep(s, xmalloc(PB_BYTES_ARRAY_T_ALLOCSIZE(a->len)));

		b->size = a->len;
		memcpy(b->bytes, data, a->len);
		out->which_arg = rtenf_KprobeArgument_bytes_arg_tag;
		out->arg.bytes_arg = b;
		return true;
	}
	case RTENF_ARG_FILE:
	case RTENF_ARG_FD:
	case RTENF_ARG_PATH:
	case RTENF_ARG_LINUX_BINPRM: {
		struct rtenf_arg_file fh;
		char *path, *perm;

		if (a->len < sizeof(fh))
			return false;
		memcpy(&fh, data, sizeof(fh));
		path = scratch_keep(s, xstrndup((const char *)data + sizeof(fh), a->len - sizeof(fh)));
		perm = scratch_keep(s, permission_string(fh.mode));
		if (a->type == RTENF_ARG_PATH) {
			out->which_arg = rtenf_KprobeArgument_path_arg_tag;
			out->arg.path_arg.path = path;
			out->arg.path_arg.permission = perm;
		} else if (a->type == RTENF_ARG_LINUX_BINPRM) {
			out->which_arg = rtenf_KprobeArgument_linux_binprm_arg_tag;
			out->arg.linux_binprm_arg.path = path;
			out->arg.linux_binprm_arg.permission = perm;
		} else {
			out->which_arg = rtenf_KprobeArgument_file_arg_tag;
			out->arg.file_arg.path = path;
			out->arg.file_arg.permission = perm;
			out->arg.file_arg.flags = a->type == RTENF_ARG_FILE ? scratch_keep(s, open_flags_string(fh.flags)) : NULL;
		}
		return true;
	}
	case RTENF_ARG_SOCK: {
		struct rtenf_arg_sock k;
		rtenf_KprobeSock *o = &out->arg.sock_arg;

		if (a->len < sizeof(k))
			return false;
		memcpy(&k, data, sizeof(k));
		out->which_arg = rtenf_KprobeArgument_sock_arg_tag;
		o->family = scratch_keep(s, name_or_number(address_family_name(k.family), k.family));
		o->type = scratch_keep(s, name_or_number(socket_type_name(k.type), k.type));
		o->protocol = scratch_keep(s, name_or_number(ip_protocol_name(k.protocol), k.protocol));
		o->state = scratch_keep(s, name_or_number(tcp_state_name(k.state), k.state));
		o->saddr = scratch_keep(s, addr_string(k.family, k.saddr));
		o->daddr = scratch_keep(s, addr_string(k.family, k.daddr));
		o->sport = k.sport;
		o->dport = k.dport;
		o->mark = k.mark;
		return true;
	}
	case RTENF_ARG_SOCKADDR: {
		struct rtenf_arg_sockaddr k;

		if (a->len < sizeof(k))
			return false;
		memcpy(&k, data, sizeof(k));
		out->which_arg = rtenf_KprobeArgument_sockaddr_arg_tag;
		out->arg.sockaddr_arg.family = scratch_keep(s, name_or_number(address_family_name(k.family), k.family));
		out->arg.sockaddr_arg.addr = scratch_keep(s, addr_string(k.family, k.addr));
		out->arg.sockaddr_arg.port = k.port;
		return true;
	}
	case RTENF_ARG_SKB: {
		struct rtenf_arg_skb k;
		rtenf_KprobeSkb *o = &out->arg.skb_arg;
		bool ip;

		if (a->len < sizeof(k))
			return false;
		memcpy(&k, data, sizeof(k));
		ip = k.family == 2 || k.family == 10; /* AF_INET, AF_INET6 */
		out->which_arg = rtenf_KprobeArgument_skb_arg_tag;
		/* a packet that is not IP has no family or addresses to show */
		o->family = ip ? scratch_keep(s, name_or_number(address_family_name(k.family), k.family)) : NULL;
		o->protocol = ip ? scratch_keep(s, name_or_number(ip_protocol_name(k.protocol), k.protocol)) : NULL;
		o->saddr = ip ? scratch_keep(s, addr_string(k.family, k.saddr)) : NULL;
		o->daddr = ip ? scratch_keep(s, addr_string(k.family, k.daddr)) : NULL;
		o->sport = k.sport;
		o->dport = k.dport;
		o->len = k.len;
		o->priority = k.priority;
		o->mark = k.mark;
		return true;
	}
	case RTENF_ARG_CRED: {
		struct rtenf_arg_cred k;
		rtenf_KprobeCred *o = &out->arg.process_credentials_arg;

		if (a->len < sizeof(k))
			return false;
		memcpy(&k, data, sizeof(k));
		out->which_arg = rtenf_KprobeArgument_process_credentials_arg_tag;
		o->uid = k.uid, o->gid = k.gid, o->euid = k.euid, o->egid = k.egid;
		o->suid = k.suid, o->sgid = k.sgid, o->fsuid = k.fsuid, o->fsgid = k.fsgid;
		o->securebits = k.securebits;
		o->user_ns = k.user_ns;
		o->has_caps = true;
		o->caps.permitted = k.cap_permitted;
		o->caps.effective = k.cap_effective;
		o->caps.inheritable = k.cap_inheritable;
		return true;
	}
	default:
		break;
	}
	if (a->len != 8)
		return false;
	memcpy(&v, data, 8);
	switch (a->type) {
	case RTENF_ARG_CAPS:
		switch (meta ? meta->policy_type : PARG_KERNEL_CAP_T) {
		case PARG_CAP_INHERITABLE:
			out->which_arg = rtenf_KprobeArgument_cap_inheritable_arg_tag;
			out->arg.cap_inheritable_arg = v;
			break;
		case PARG_CAP_PERMITTED:
			out->which_arg = rtenf_KprobeArgument_cap_permitted_arg_tag;
			out->arg.cap_permitted_arg = v;
			break;
		case PARG_CAP_EFFECTIVE:
			out->which_arg = rtenf_KprobeArgument_cap_effective_arg_tag;
			out->arg.cap_effective_arg = v;
			break;
		default:
			out->which_arg = rtenf_KprobeArgument_kernel_cap_t_arg_tag;
			out->arg.kernel_cap_t_arg = v;
			break;
		}
		break;
	case RTENF_ARG_INT:
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
	case RTENF_ARG_SYSCALL64: {
		const char *abi, *name = syscall_name(v, &abi);

		out->which_arg = rtenf_KprobeArgument_syscall_id_tag;
		out->arg.syscall_id.id = (uint32_t)(v & ~SYSCALL64_COMPAT_BIT);
		out->arg.syscall_id.abi = scratch_keep(s, xstrdup(abi));
		out->arg.syscall_id.name = name ? scratch_keep(s, xstrdup(name)) : NULL;
		break;
	}
	default:
		out->which_arg = rtenf_KprobeArgument_size_arg_tag;
		out->arg.size_arg = v;
		break;
	}
	return true;
}

/* The return value of a return: true hook, as its declared type. */
static void return_arg(const struct compiled_hook *h, int64_t retval, rtenf_KprobeArgument *out, struct scratch *s)
{
	struct rtenf_msg_arg a = {.type = h->cfg.ret_type, .len = 8};
	struct compiled_arg_meta meta = {.type = h->cfg.ret_type, .policy_type = PARG_AUTO};

	decode_arg(&a, (const uint8_t *)&retval, &meta, out, s);
}

/* What every hook event says, whatever its family. */
struct hook_event {
	rtenf_Process *process;
	rtenf_Process *parent;
	rtenf_Process *ancestors;
	pb_size_t ancestors_count;
	rtenf_KprobeAction action;
	rtenf_PolicyMode mode;
	bool enforced;
	uint32_t signal;
	int32_t error;
	rtenf_KprobeArgument *args;
	pb_size_t args_count;
	rtenf_KprobeArgument *data;  /* the hook's data entries: same record, meta says which */
	pb_size_t data_count;
	rtenf_StackTraceEntry *kstack;
	pb_size_t kstack_count;
	rtenf_StackTraceEntry *ustack;
	pb_size_t ustack_count;
	char *stack_error; /* notes joined by "; " */
};

static void stack_note(struct hook_event *he, struct scratch *s, const char *note)
{
	char *joined;

	if (!note)
		return;
	joined = he->stack_error ? xasprintf("%s; %s", he->stack_error, note) : xstrdup(note);
	he->stack_error = scratch_keep(s, joined);
}

/* One stack section: its frames named, the strings kept for the event. */
static void decode_stack(struct event_builder *eb, const struct rtenf_msg_hook *m, const struct rtenf_msg_stack *st,
			 const uint8_t *frames, struct hook_event *he, struct scratch *s)
{
	uint64_t *addrs = scratch_keep(s, xcalloc(st->nframes ? st->nframes : 1, sizeof(*addrs)));
	rtenf_StackTraceEntry *out = scratch_keep(s, xcalloc(st->nframes ? st->nframes : 1, sizeof(*out)));
	bool kernel = st->kind == RTENF_STACK_KERNEL;
	const char *what = kernel ? "kernel stack" : "user stack";

	memcpy(addrs, frames, (size_t)st->nframes * 8);
	if (st->flags & RTENF_STACK_F_FAILED)
		stack_note(he, s, kernel ? "kernel stack could not be read" : "user stack could not be read");
	if (st->flags & RTENF_STACK_F_FULL) {
		char *note = xasprintf("%s cut at %d frames", what, RTENF_STACK_MAX_FRAMES);

		stack_note(he, s, note);
		free(note);
	}
	/* a hook whose registers are the task's user ones (syscall
	 * tracepoints on some kernels, 6.1 among them) has no kernel frames */
	if (kernel && !st->nframes && !(st->flags & RTENF_STACK_F_FAILED))
		stack_note(he, s, "kernel stack empty: the hook gave user-mode registers (a syscall tracepoint on this "
				  "kernel); a kprobe on the syscall has one");
	if (kernel) {
		if (!eb->ksyms)
			eb->ksyms = kernel_symbols_new();
		stack_note(he, s, st->nframes ? kernel_symbols_resolve(eb->ksyms, addrs, st->nframes, out) : NULL);
		he->kstack = out, he->kstack_count = st->nframes;
	} else {
		stack_note(he, s, st->nframes ? user_symbols_resolve((pid_t)m->task.tgid, addrs, st->nframes, out) : NULL);
		he->ustack = out, he->ustack_count = st->nframes;
	}
	for (size_t i = 0; i < st->nframes; i++) {
		if (out[i].symbol)
			scratch_keep(s, out[i].symbol);
		if (out[i].module)
			scratch_keep(s, out[i].module);
	}
}

/* The stack sections after the arguments (RTENF_HOOK_F_STACKS), each of
 * RTENF_STACK_SECTION bytes.  Checked first, then the user stack is named
 * before the kernel one: the process may exit any moment and take its maps
 * along, while the first kernel stack has /proc/kallsyms to read. */
static void decode_stacks(struct event_builder *eb, const struct rtenf_msg_hook *m, const uint8_t *p,
			  const uint8_t *end, struct hook_event *he, struct scratch *s)
{
	struct rtenf_msg_stack st[2];
	const uint8_t *frames[2] = {NULL, NULL}; /* by kind: [0] kernel, [1] user */

	while (p < end) {
		struct rtenf_msg_stack one;
		int k;

		if ((size_t)(end - p) < RTENF_STACK_SECTION) {
			eb->malformed++;
			break;
		}
		memcpy(&one, p, sizeof(one));
		k = one.kind == RTENF_STACK_KERNEL ? 0 : 1;
		if (one.nframes > RTENF_STACK_MAX_FRAMES ||
		    (one.kind != RTENF_STACK_KERNEL && one.kind != RTENF_STACK_USER) || frames[k]) {
			eb->malformed++;
			break;
		}
		st[k] = one;
		frames[k] = p + sizeof(one);
		p += RTENF_STACK_SECTION;
	}
	if (frames[1])
		decode_stack(eb, m, &st[1], frames[1], he, s);
	if (frames[0])
		decode_stack(eb, m, &st[0], frames[0], he, s);
}

/* The label of the selector that matched, or NULL (the record's number is
 * the kernel's: checked, not trusted). */
static char *selector_label(const struct compiled_hook *h, __u32 selector)
{
	return selector < RTENF_MAX_SELECTORS ? h->selector_labels[selector] : NULL;
}

static void decode_hook(struct event_builder *eb, const struct rtenf_msg_hook *m, size_t len,
			const struct live_policy *lp, const struct compiled_hook *h, struct hook_event *he,
			struct scratch *s)
{
	const uint8_t *p = (const uint8_t *)(m + 1), *end = (const uint8_t *)m + len;
	unsigned args_read = 0;

	fill_process_pair(eb, &m->task, &he->process, &he->parent, s);
	fill_ancestors(eb, &m->task, &he->ancestors, &he->ancestors_count, s);
	he->action = primary_action(m->actions);
	he->enforced = m->hdr.flags & RTENF_HOOK_F_ENFORCED;
	if (he->action == rtenf_KprobeAction_KPROBE_ACTION_SIGKILL || he->action == rtenf_KprobeAction_KPROBE_ACTION_SIGNAL)
		he->signal = m->action_arg;
	if (he->action == rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE)
		he->error = (int32_t)m->action_arg;
	/* the kernel says which mode it acted in; Post-only hooks follow the policy */
	if (m->hdr.flags & RTENF_HOOK_F_AUDIT)
		he->mode = rtenf_PolicyMode_POLICY_MODE_AUDIT;
	else if (m->hdr.flags & (RTENF_HOOK_F_ENFORCED | RTENF_HOOK_F_ACTION_FAILED))
		he->mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE;
	else
		he->mode = lp->mode == RTENF_MODE_ENFORCE ? rtenf_PolicyMode_POLICY_MODE_ENFORCE
							  : rtenf_PolicyMode_POLICY_MODE_AUDIT;
	he->args = scratch_keep(s, xcalloc(m->nargs ? m->nargs : 1, sizeof(*he->args)));
	he->data = scratch_keep(s, xcalloc(m->nargs ? m->nargs : 1, sizeof(*he->data)));
	for (unsigned i = 0; i < m->nargs; i++, args_read++) {
		struct rtenf_msg_arg a; /* copied: the argument before it may end on any byte */

		if (p + sizeof(a) > end) {
			eb->malformed++;
			break;
		}
		memcpy(&a, p, sizeof(a));
		if (p + sizeof(a) + a.len > end) {
			eb->malformed++;
			break;
		}
		const struct compiled_arg_meta *meta = i < h->n_emitted ? &h->emitted[i] : NULL;

		if (meta && meta->is_data) {
			if (decode_arg(&a, p + sizeof(a), meta, &he->data[he->data_count], s))
				he->data_count++;
		} else if (decode_arg(&a, p + sizeof(a), meta, &he->args[he->args_count], s)) {
			he->args_count++;
		}
		p += sizeof(a) + a.len;
	}
	/* only after every argument was read: otherwise p is not at the stacks */
	if ((m->hdr.flags & RTENF_HOOK_F_STACKS) && args_read == m->nargs)
		decode_stacks(eb, m, p, end, he, s);
}

/* Before any client sees it, so a slow client never changes a report.  A
 * deleted policy's late events are not counted: its tally is gone. */
static void tally(struct event_builder *eb, const struct live_policy *lp, const rtenf_Event *ev)
{
	struct report_event e;
	char hook[512];

	if (!eb->report || policy_manager_find(eb->pm, lp->name) != lp)
		return;
	if (report_event_from(ev, &e, hook, sizeof(hook)))
		report_book_add(eb->report, lp->id, &e);
}

static void handle_hook(struct event_builder *eb, const struct rtenf_msg_hook *m, size_t len)
{
	const struct live_policy *lp = policy_manager_by_id(eb->pm, m->policy_id);
	const struct compiled_hook *h;
	struct hook_event he = {0};
	struct scratch s = {0};
	rtenf_Event ev;

	if (!lp || m->hook_id >= lp->cp->n_hooks) {
		eb->unknown_policy++;
		return;
	}
	h = &lp->cp->hooks[m->hook_id];
	decode_hook(eb, m, len, lp, h, &he, &s);
	base_event(eb, &ev, m->hdr.ktime);
	switch (m->hdr.op) {
	case RTENF_OP_KPROBE: {
		rtenf_ProcessKprobe *k = &ev.event.process_kprobe;

		ev.which_event = rtenf_Event_process_kprobe_tag;
		k->process = he.process, k->parent = he.parent;
		k->ancestors = he.ancestors, k->ancestors_count = he.ancestors_count;
		k->function_name = h->function;
		k->args = he.args, k->args_count = he.args_count;
		k->data = he.data, k->data_count = he.data_count;
		if (h->cfg.flags & RTENF_HOOKCFG_F_AT_RETURN) {
			k->has_return_arg = true;
			return_arg(h, m->retval, &k->return_arg, &s);
		}
		k->action = he.action;
		k->policy_name = lp->name;
		k->message = h->message;
		k->tags = h->tags, k->tags_count = (pb_size_t)h->n_tags;
		k->policy_mode = he.mode, k->enforced = he.enforced, k->signal = he.signal, k->error = he.error;
		k->selector = m->selector;
		k->selector_label = selector_label(h, m->selector);
		k->late = m->hdr.flags & RTENF_HOOK_F_LATE;
		k->return_value = m->retval;
		k->mechanism = (char *)hook_mechanism_name(h->mechanism);
		k->kernel_stack_trace = he.kstack, k->kernel_stack_trace_count = he.kstack_count;
		k->user_stack_trace = he.ustack, k->user_stack_trace_count = he.ustack_count;
		k->stack_trace_error = he.stack_error;
		break;
	}
	case RTENF_OP_LSM: {
		rtenf_ProcessLsm *l = &ev.event.process_lsm;

		ev.which_event = rtenf_Event_process_lsm_tag;
		l->process = he.process, l->parent = he.parent;
		l->ancestors = he.ancestors, l->ancestors_count = he.ancestors_count;
		l->function_name = h->function;
		l->policy_name = lp->name;
		l->message = h->message;
		l->args = he.args, l->args_count = he.args_count;
		l->data = he.data, l->data_count = he.data_count;
		l->action = he.action;
		l->tags = h->tags, l->tags_count = (pb_size_t)h->n_tags;
		l->policy_mode = he.mode, l->enforced = he.enforced, l->signal = he.signal, l->error = he.error;
		l->selector = m->selector;
		l->selector_label = selector_label(h, m->selector);
		l->mechanism = (char *)hook_mechanism_name(h->mechanism);
		l->kernel_stack_trace = he.kstack, l->kernel_stack_trace_count = he.kstack_count;
		l->user_stack_trace = he.ustack, l->user_stack_trace_count = he.ustack_count;
		l->stack_trace_error = he.stack_error;
		break;
	}
	case RTENF_OP_UPROBE: {
		rtenf_ProcessUprobe *u = &ev.event.process_uprobe;

		ev.which_event = rtenf_Event_process_uprobe_tag;
		u->process = he.process, u->parent = he.parent;
		u->ancestors = he.ancestors, u->ancestors_count = he.ancestors_count;
		u->path = h->binary;
		u->symbol = h->function;
		u->policy_name = lp->name;
		u->message = h->message;
		u->args = he.args, u->args_count = he.args_count;
		u->data = he.data, u->data_count = he.data_count;
		u->tags = h->tags, u->tags_count = (pb_size_t)h->n_tags;
		u->action = he.action;
		u->policy_mode = he.mode, u->enforced = he.enforced, u->signal = he.signal;
		u->selector = m->selector;
		u->selector_label = selector_label(h, m->selector);
		u->kernel_stack_trace = he.kstack, u->kernel_stack_trace_count = he.kstack_count;
		u->user_stack_trace = he.ustack, u->user_stack_trace_count = he.ustack_count;
		u->stack_trace_error = he.stack_error;
		break;
	}
	default: {
		rtenf_ProcessTracepoint *tp = &ev.event.process_tracepoint;

		ev.which_event = rtenf_Event_process_tracepoint_tag;
		tp->process = he.process, tp->parent = he.parent;
		tp->ancestors = he.ancestors, tp->ancestors_count = he.ancestors_count;
		tp->subsys = h->subsystem;
		tp->event = h->event;
		tp->args = he.args, tp->args_count = he.args_count;
		tp->data = he.data, tp->data_count = he.data_count;
		tp->policy_name = lp->name;
		tp->message = h->message;
		tp->tags = h->tags, tp->tags_count = (pb_size_t)h->n_tags;
		tp->action = he.action;
		tp->policy_mode = he.mode, tp->enforced = he.enforced, tp->signal = he.signal, tp->error = he.error;
		tp->selector = m->selector;
		tp->selector_label = selector_label(h, m->selector);
		tp->late = m->hdr.flags & RTENF_HOOK_F_LATE;
		tp->return_value = m->retval;
		tp->kernel_stack_trace = he.kstack, tp->kernel_stack_trace_count = he.kstack_count;
		tp->user_stack_trace = he.ustack, tp->user_stack_trace_count = he.ustack_count;
		tp->stack_trace_error = he.stack_error;
		break;
	}
	}
	tally(eb, lp, &ev);
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
	case RTENF_OP_CGROUP_MKDIR:
	case RTENF_OP_CGROUP_RMDIR:
		if (len >= sizeof(struct rtenf_msg_cgroup))
			handle_cgroup(eb, data, len);
		else
			eb->malformed++;
		break;
	case RTENF_OP_TRACEPOINT:
	case RTENF_OP_KPROBE:
	case RTENF_OP_LSM:
	case RTENF_OP_UPROBE:
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
