// SPDX-License-Identifier: GPL-2.0-only
#include "event_fixtures.h"

#include <stdlib.h>
#include <string.h>

#include <pb_decode.h>

#include "util.h"

char *fx_strdup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

rtenf_Process *fx_process_full(void)
{
	rtenf_Process *p = xcalloc(1, sizeof(*p));

	p->exec_id = fx_strdup("dm06MTc5NTUxNDM5ODAwMDAwMDAwMDoxMjM0");
	p->pid = 1234;
	p->uid = 1000;
	p->cwd = fx_strdup("/home/alice");
	p->binary = fx_strdup("/usr/bin/ls");
	p->arguments = fx_strdup("-la");
	p->flags = fx_strdup("execve");
	p->start_time = 1795514398000000005ull; /* 2026-11-24T09:59:58.000000005Z */
	p->auid = 1000;
	p->parent_exec_id = fx_strdup("dm06MTIzNA==");
	p->has_cap = true;
	p->cap.permitted = 1ull << 0 | 1ull << 21 | 1ull << 45; /* 45: no name yet */
	p->cap.effective = 1ull << 21;
	p->has_ns = true;
	p->ns.has_uts = true;
	p->ns.uts.inum = 4026531838u;
	p->ns.uts.is_host = true;
	p->ns.has_pid = true;
	p->ns.pid.inum = 4026532000u;
	p->tid = 1235;
	p->has_process_credentials = true;
	p->process_credentials.uid = 1000;
	p->process_credentials.gid = 1000;
	p->process_credentials.euid = 0;
	p->process_credentials.egid = 1000;
	p->cgroup_id = 12345678901ull;
	p->ns_pid = 7;
	p->container_id = fx_strdup("3f2a9c0d1e");
	return p;
}

rtenf_Process *fx_process_init(void)
{
	rtenf_Process *p = xcalloc(1, sizeof(*p));

	p->exec_id = fx_strdup("dm06MQ==");
	p->pid = 1;
	p->binary = fx_strdup("/usr/lib/systemd/systemd");
	p->auid = 4294967295u;
	p->tid = 1;
	p->in_init_tree = true;
	return p;
}

rtenf_Process *fx_process_simple(const char *binary, const char *arguments, uint32_t pid)
{
	rtenf_Process *p = xcalloc(1, sizeof(*p));

	p->pid = pid;
	p->tid = pid;
	p->binary = fx_strdup(binary);
	p->arguments = fx_strdup(arguments);
	return p;
}

static void fx_header(rtenf_Event *ev, pb_size_t which)
{
	memset(ev, 0, sizeof(*ev));
	ev->which_event = which;
	ev->node_name = fx_strdup("vm");
	ev->time = FX_TIME;
}

void fx_exec(rtenf_Event *ev, rtenf_Process *process, rtenf_Process *parent)
{
	fx_header(ev, rtenf_Event_process_exec_tag);
	ev->event.process_exec.process = process;
	ev->event.process_exec.parent = parent;
}

void fx_exit(rtenf_Event *ev, rtenf_Process *process, const char *signal, uint32_t status)
{
	fx_header(ev, rtenf_Event_process_exit_tag);
	ev->event.process_exit.process = process;
	ev->event.process_exit.signal = fx_strdup(signal);
	ev->event.process_exit.status = status;
	ev->event.process_exit.time = FX_TIME - 1000;
}

void fx_tracepoint(rtenf_Event *ev, rtenf_Process *process, const char *subsys, const char *event,
		   const char *policy, rtenf_KprobeAction action, rtenf_PolicyMode mode, bool enforced)
{
	rtenf_ProcessTracepoint *t = &ev->event.process_tracepoint;

	fx_header(ev, rtenf_Event_process_tracepoint_tag);
	t->process = process;
	t->subsys = fx_strdup(subsys);
	t->event = fx_strdup(event);
	t->policy_name = fx_strdup(policy);
	t->action = action;
	t->policy_mode = mode;
	t->enforced = enforced;
	if (action == rtenf_KprobeAction_KPROBE_ACTION_SIGKILL)
		t->signal = 9;
}

void fx_kprobe(rtenf_Event *ev, rtenf_Process *process, const char *function, const char *policy,
	       rtenf_KprobeAction action, rtenf_PolicyMode mode, bool enforced)
{
	rtenf_ProcessKprobe *k = &ev->event.process_kprobe;

	fx_header(ev, rtenf_Event_process_kprobe_tag);
	k->process = process;
	k->function_name = fx_strdup(function);
	k->policy_name = fx_strdup(policy);
	k->action = action;
	k->policy_mode = mode;
	k->enforced = enforced;
	if (action == rtenf_KprobeAction_KPROBE_ACTION_SIGKILL)
		k->signal = 9;
}

void fx_lsm(rtenf_Event *ev, rtenf_Process *process, const char *hook, const char *policy, rtenf_KprobeAction action,
	    rtenf_PolicyMode mode, bool enforced)
{
	rtenf_ProcessLsm *l = &ev->event.process_lsm;

	fx_header(ev, rtenf_Event_process_lsm_tag);
	l->process = process;
	l->function_name = fx_strdup(hook);
	l->policy_name = fx_strdup(policy);
	l->action = action;
	l->policy_mode = mode;
	l->enforced = enforced;
	if (action == rtenf_KprobeAction_KPROBE_ACTION_SIGKILL)
		l->signal = 9;
}

void fx_uprobe(rtenf_Event *ev, rtenf_Process *process, const char *path, const char *symbol, const char *policy,
	       rtenf_KprobeAction action, rtenf_PolicyMode mode, bool enforced)
{
	rtenf_ProcessUprobe *u = &ev->event.process_uprobe;

	fx_header(ev, rtenf_Event_process_uprobe_tag);
	u->process = process;
	u->path = fx_strdup(path);
	u->symbol = fx_strdup(symbol);
	u->policy_name = fx_strdup(policy);
	u->action = action;
	u->policy_mode = mode;
	u->enforced = enforced;
	if (action == rtenf_KprobeAction_KPROBE_ACTION_SIGKILL)
		u->signal = 9;
}

void fx_lost(rtenf_Event *ev, uint64_t count, const char *source)
{
	fx_header(ev, rtenf_Event_lost_events_tag);
	ev->event.lost_events.count = count;
	ev->event.lost_events.source = fx_strdup(source);
}

/* Where a hook event keeps its arguments and tags, whatever its kind. */
struct hook_lists {
	rtenf_KprobeArgument **args;
	pb_size_t *args_count;
	char ***tags;
	pb_size_t *tags_count;
	rtenf_KprobeArgument **data;
	pb_size_t *data_count;
};

#define LISTS_OF(m) \
	((struct hook_lists){&(m).args, &(m).args_count, &(m).tags, &(m).tags_count, &(m).data, &(m).data_count})

static struct hook_lists hook_lists(rtenf_Event *ev)
{
	switch (ev->which_event) {
	case rtenf_Event_process_tracepoint_tag:
		return LISTS_OF(ev->event.process_tracepoint);
	case rtenf_Event_process_kprobe_tag:
		return LISTS_OF(ev->event.process_kprobe);
	case rtenf_Event_process_lsm_tag:
		return LISTS_OF(ev->event.process_lsm);
	case rtenf_Event_process_uprobe_tag:
		return LISTS_OF(ev->event.process_uprobe);
	}
	abort(); /* a fixture bug: not a hook event */
}

rtenf_KprobeArgument *fx_arg(rtenf_Event *ev, const char *label)
{
	struct hook_lists l = hook_lists(ev);
	rtenf_KprobeArgument *a;

	*l.args = xrealloc(*l.args, (*l.args_count + 1) * sizeof(**l.args));
	a = &(*l.args)[(*l.args_count)++];
	memset(a, 0, sizeof(*a));
	a->label = fx_strdup(label);
	return a;
}

rtenf_KprobeArgument *fx_data(rtenf_Event *ev, const char *label)
{
	struct hook_lists l = hook_lists(ev);
	rtenf_KprobeArgument *a;

	*l.data = xrealloc(*l.data, (*l.data_count + 1) * sizeof(**l.data));
	a = &(*l.data)[(*l.data_count)++];
	memset(a, 0, sizeof(*a));
	a->label = fx_strdup(label);
	return a;
}

void fx_arg_string(rtenf_Event *ev, const char *label, const char *s)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);

	a->which_arg = rtenf_KprobeArgument_string_arg_tag;
	a->arg.string_arg = fx_strdup(s);
}

void fx_arg_size(rtenf_Event *ev, const char *label, uint64_t v)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);

	a->which_arg = rtenf_KprobeArgument_size_arg_tag;
	a->arg.size_arg = v;
}

void fx_arg_bytes(rtenf_Event *ev, const char *label, const void *p, size_t n)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);

	a->which_arg = rtenf_KprobeArgument_bytes_arg_tag;
	a->arg.bytes_arg = xmalloc(PB_BYTES_ARRAY_T_ALLOCSIZE(n));
	a->arg.bytes_arg->size = (pb_size_t)n;
	memcpy(a->arg.bytes_arg->bytes, p, n);
}

void fx_add_tag(rtenf_Event *ev, const char *tag)
{
	struct hook_lists l = hook_lists(ev);

	*l.tags = xrealloc(*l.tags, (*l.tags_count + 1) * sizeof(**l.tags));
	(*l.tags)[(*l.tags_count)++] = fx_strdup(tag);
}

static void file_like(char **mount, char **path, char **flags, char **perm, const char *m, const char *p,
		      const char *f, const char *pe)
{
	if (mount)
		*mount = fx_strdup(m);
	*path = fx_strdup(p);
	*flags = fx_strdup(f);
	*perm = fx_strdup(pe);
}

void fx_arg_file(rtenf_Event *ev, const char *label, const char *path, const char *flags, const char *permission)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);
	rtenf_KprobeFile *f = &a->arg.file_arg;

	a->which_arg = rtenf_KprobeArgument_file_arg_tag;
	file_like(&f->mount, &f->path, &f->flags, &f->permission, NULL, path, flags, permission);
}

void fx_arg_path(rtenf_Event *ev, const char *label, const char *mount, const char *path, const char *flags,
		 const char *permission)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);
	rtenf_KprobePath *p = &a->arg.path_arg;

	a->which_arg = rtenf_KprobeArgument_path_arg_tag;
	file_like(&p->mount, &p->path, &p->flags, &p->permission, mount, path, flags, permission);
}

void fx_arg_binprm(rtenf_Event *ev, const char *label, const char *path, const char *flags, const char *permission)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);
	rtenf_KprobeLinuxBinprm *b = &a->arg.linux_binprm_arg;

	a->which_arg = rtenf_KprobeArgument_linux_binprm_arg_tag;
	file_like(NULL, &b->path, &b->flags, &b->permission, NULL, path, flags, permission);
}

rtenf_KprobeSock *fx_arg_sock(rtenf_Event *ev, const char *label, const char *family, const char *protocol,
			      const char *saddr, uint32_t sport, const char *daddr, uint32_t dport)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);
	rtenf_KprobeSock *s = &a->arg.sock_arg;

	a->which_arg = rtenf_KprobeArgument_sock_arg_tag;
	s->family = fx_strdup(family);
	s->protocol = fx_strdup(protocol);
	s->saddr = fx_strdup(saddr);
	s->sport = sport;
	s->daddr = fx_strdup(daddr);
	s->dport = dport;
	return s;
}

void fx_arg_sockaddr(rtenf_Event *ev, const char *label, const char *family, const char *addr, uint32_t port)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);
	rtenf_KprobeSockaddr *s = &a->arg.sockaddr_arg;

	a->which_arg = rtenf_KprobeArgument_sockaddr_arg_tag;
	s->family = fx_strdup(family);
	s->addr = fx_strdup(addr);
	s->port = port;
}

rtenf_KprobeSkb *fx_arg_skb(rtenf_Event *ev, const char *label, const char *family, const char *protocol,
			    const char *saddr, uint32_t sport, const char *daddr, uint32_t dport)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);
	rtenf_KprobeSkb *s = &a->arg.skb_arg;

	a->which_arg = rtenf_KprobeArgument_skb_arg_tag;
	s->family = fx_strdup(family);
	s->protocol = fx_strdup(protocol);
	s->saddr = fx_strdup(saddr);
	s->sport = sport;
	s->daddr = fx_strdup(daddr);
	s->dport = dport;
	return s;
}

rtenf_KprobeCred *fx_arg_cred(rtenf_Event *ev, const char *label)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);

	a->which_arg = rtenf_KprobeArgument_process_credentials_arg_tag;
	return &a->arg.process_credentials_arg;
}

void fx_arg_caps(rtenf_Event *ev, const char *label, pb_size_t which, uint64_t mask)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);

	a->which_arg = which;
	switch (which) {
	case rtenf_KprobeArgument_kernel_cap_t_arg_tag:
		a->arg.kernel_cap_t_arg = mask;
		break;
	case rtenf_KprobeArgument_cap_inheritable_arg_tag:
		a->arg.cap_inheritable_arg = mask;
		break;
	case rtenf_KprobeArgument_cap_permitted_arg_tag:
		a->arg.cap_permitted_arg = mask;
		break;
	case rtenf_KprobeArgument_cap_effective_arg_tag:
		a->arg.cap_effective_arg = mask;
		break;
	default:
		abort();
	}
}

struct stack_lists {
	rtenf_StackTraceEntry **k, **u;
	pb_size_t *nk, *nu;
	char **error;
};

#define STACKS_OF(m) \
	((struct stack_lists){&(m).kernel_stack_trace, &(m).user_stack_trace, &(m).kernel_stack_trace_count, \
			      &(m).user_stack_trace_count, &(m).stack_trace_error})

static struct stack_lists stack_lists(rtenf_Event *ev)
{
	switch (ev->which_event) {
	case rtenf_Event_process_tracepoint_tag:
		return STACKS_OF(ev->event.process_tracepoint);
	case rtenf_Event_process_kprobe_tag:
		return STACKS_OF(ev->event.process_kprobe);
	case rtenf_Event_process_lsm_tag:
		return STACKS_OF(ev->event.process_lsm);
	case rtenf_Event_process_uprobe_tag:
		return STACKS_OF(ev->event.process_uprobe);
	}
	abort(); /* a fixture bug: not a hook event */
}

void fx_stack_frame(rtenf_Event *ev, bool kernel, uint64_t address, uint64_t offset, const char *symbol,
		    const char *module)
{
	struct stack_lists l = stack_lists(ev);
	rtenf_StackTraceEntry **list = kernel ? l.k : l.u;
	pb_size_t *n = kernel ? l.nk : l.nu;
	rtenf_StackTraceEntry *f;

	*list = realloc(*list, (*n + 1) * sizeof(**list));
	if (!*list)
		abort();
	f = &(*list)[(*n)++];
	memset(f, 0, sizeof(*f));
	f->address = address;
	f->offset = offset;
	f->symbol = symbol ? fx_strdup(symbol) : NULL;
	f->module = module ? fx_strdup(module) : NULL;
}

void fx_stack_error(rtenf_Event *ev, const char *note)
{
	struct stack_lists l = stack_lists(ev);

	free(*l.error);
	*l.error = fx_strdup(note);
}

void fx_release(rtenf_Event *ev)
{
	pb_release(rtenf_Event_fields, ev);
	memset(ev, 0, sizeof(*ev));
}

void fx_arg_syscall(rtenf_Event *ev, const char *label, uint32_t id, const char *abi, const char *name)
{
	rtenf_KprobeArgument *a = fx_arg(ev, label);

	a->which_arg = rtenf_KprobeArgument_syscall_id_tag;
	a->arg.syscall_id.id = id;
	a->arg.syscall_id.abi = fx_strdup(abi);
	a->arg.syscall_id.name = name ? fx_strdup(name) : NULL;
}
