// SPDX-License-Identifier: GPL-2.0-only
/*
 * nanopb events against their protobuf-c twins, field by field, for the
 * codec tests.  Every message and argument kind is handled: a kind added
 * to events.proto but not here fails the tests (see the default cases).
 */
#include "codec_twin.h"

#include <linux/types.h>

#include "rtenf_events.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* proto3 has no null string: nanopb's NULL is protobuf-c's "". */
static const char *s_or_empty(const char *s)
{
	return s ? s : "";
}

#define STR_EQ(a, b) cr_assert_str_eq(s_or_empty(a), s_or_empty(b), "%s", #a)

static void cmp_namespace(bool has, const rtenf_Namespace *n, const Rtenf__Namespace *c, const char *what)
{
	cr_assert_eq(has, c != NULL, "presence of ns.%s", what);
	if (!has)
		return;
	cr_assert_eq(n->inum, c->inum, "ns.%s.inum", what);
	cr_assert_eq(n->is_host, (bool)c->is_host, "ns.%s.is_host", what);
}

static void cmp_process(const rtenf_Process *n, const Rtenf__Process *c)
{
	cr_assert_eq(n != NULL, c != NULL, "process presence");
	if (!n)
		return;
	STR_EQ(n->exec_id, c->exec_id);
	cr_assert_eq(n->pid, c->pid);
	cr_assert_eq(n->uid, c->uid);
	STR_EQ(n->cwd, c->cwd);
	STR_EQ(n->binary, c->binary);
	STR_EQ(n->arguments, c->arguments);
	STR_EQ(n->flags, c->flags);
	cr_assert_eq(n->start_time, c->start_time);
	cr_assert_eq(n->auid, c->auid);
	STR_EQ(n->parent_exec_id, c->parent_exec_id);
	cr_assert_eq(n->has_cap, c->cap != NULL);
	if (n->has_cap) {
		cr_assert_eq(n->cap.permitted, c->cap->permitted);
		cr_assert_eq(n->cap.effective, c->cap->effective);
		cr_assert_eq(n->cap.inheritable, c->cap->inheritable);
	}
	cr_assert_eq(n->has_ns, c->ns != NULL);
	if (n->has_ns) {
		cmp_namespace(n->ns.has_uts, &n->ns.uts, c->ns->uts, "uts");
		cmp_namespace(n->ns.has_ipc, &n->ns.ipc, c->ns->ipc, "ipc");
		cmp_namespace(n->ns.has_mnt, &n->ns.mnt, c->ns->mnt, "mnt");
		cmp_namespace(n->ns.has_pid, &n->ns.pid, c->ns->pid, "pid");
		cmp_namespace(n->ns.has_pid_for_children, &n->ns.pid_for_children, c->ns->pid_for_children,
			      "pid_for_children");
		cmp_namespace(n->ns.has_net, &n->ns.net, c->ns->net, "net");
		cmp_namespace(n->ns.has_time, &n->ns.time, c->ns->time, "time");
		cmp_namespace(n->ns.has_time_for_children, &n->ns.time_for_children, c->ns->time_for_children,
			      "time_for_children");
		cmp_namespace(n->ns.has_cgroup, &n->ns.cgroup, c->ns->cgroup, "cgroup");
		cmp_namespace(n->ns.has_user, &n->ns.user, c->ns->user, "user");
	}
	cr_assert_eq(n->tid, c->tid);
	cr_assert_eq(n->has_process_credentials, c->process_credentials != NULL);
	if (n->has_process_credentials) {
		cr_assert_eq(n->process_credentials.uid, c->process_credentials->uid);
		cr_assert_eq(n->process_credentials.gid, c->process_credentials->gid);
		cr_assert_eq(n->process_credentials.euid, c->process_credentials->euid);
		cr_assert_eq(n->process_credentials.egid, c->process_credentials->egid);
	}
	cr_assert_eq(n->in_init_tree, (bool)c->in_init_tree);
	cr_assert_eq(n->cgroup_id, c->cgroup_id);
	cr_assert_eq(n->ns_pid, c->ns_pid);
	STR_EQ(n->container_id, c->container_id);
}

static void cmp_argument(const rtenf_KprobeArgument *n, const Rtenf__KprobeArgument *c)
{
	cr_assert_eq(n->which_arg, (pb_size_t)c->arg_case, "oneof case");
	switch (n->which_arg) {
	case rtenf_KprobeArgument_string_arg_tag:
		STR_EQ(n->arg.string_arg, c->string_arg);
		break;
	case rtenf_KprobeArgument_int_arg_tag:
		cr_assert_eq(n->arg.int_arg, c->int_arg);
		break;
	case rtenf_KprobeArgument_size_arg_tag:
		cr_assert_eq(n->arg.size_arg, c->size_arg);
		break;
	case rtenf_KprobeArgument_bytes_arg_tag: {
		size_t len = n->arg.bytes_arg ? n->arg.bytes_arg->size : 0;

		cr_assert_eq(len, c->bytes_arg.len);
		if (len)
			cr_assert_arr_eq(n->arg.bytes_arg->bytes, c->bytes_arg.data, len);
		break;
	}
	case rtenf_KprobeArgument_long_arg_tag:
		cr_assert_eq(n->arg.long_arg, c->long_arg);
		break;
	case rtenf_KprobeArgument_uint_arg_tag:
		cr_assert_eq(n->arg.uint_arg, c->uint_arg);
		break;
	case rtenf_KprobeArgument_path_arg_tag:
		STR_EQ(n->arg.path_arg.mount, c->path_arg->mount);
		STR_EQ(n->arg.path_arg.path, c->path_arg->path);
		STR_EQ(n->arg.path_arg.flags, c->path_arg->flags);
		STR_EQ(n->arg.path_arg.permission, c->path_arg->permission);
		break;
	case rtenf_KprobeArgument_file_arg_tag:
		STR_EQ(n->arg.file_arg.mount, c->file_arg->mount);
		STR_EQ(n->arg.file_arg.path, c->file_arg->path);
		STR_EQ(n->arg.file_arg.flags, c->file_arg->flags);
		STR_EQ(n->arg.file_arg.permission, c->file_arg->permission);
		break;
	case rtenf_KprobeArgument_linux_binprm_arg_tag:
		STR_EQ(n->arg.linux_binprm_arg.path, c->linux_binprm_arg->path);
		STR_EQ(n->arg.linux_binprm_arg.flags, c->linux_binprm_arg->flags);
		STR_EQ(n->arg.linux_binprm_arg.permission, c->linux_binprm_arg->permission);
		break;
	case rtenf_KprobeArgument_sock_arg_tag: {
		const rtenf_KprobeSock *s = &n->arg.sock_arg;

		STR_EQ(s->family, c->sock_arg->family);
		STR_EQ(s->type, c->sock_arg->type);
		STR_EQ(s->protocol, c->sock_arg->protocol);
		cr_assert_eq(s->mark, c->sock_arg->mark);
		cr_assert_eq(s->priority, c->sock_arg->priority);
		STR_EQ(s->saddr, c->sock_arg->saddr);
		STR_EQ(s->daddr, c->sock_arg->daddr);
		cr_assert_eq(s->sport, c->sock_arg->sport);
		cr_assert_eq(s->dport, c->sock_arg->dport);
		cr_assert_eq(s->cookie, c->sock_arg->cookie);
		STR_EQ(s->state, c->sock_arg->state);
		break;
	}
	case rtenf_KprobeArgument_skb_arg_tag: {
		const rtenf_KprobeSkb *s = &n->arg.skb_arg;
		const Rtenf__KprobeSkb *cs = c->skb_arg;

		STR_EQ(s->family, cs->family);
		STR_EQ(s->protocol, cs->protocol);
		cr_assert_eq(s->len, cs->len);
		cr_assert_eq(s->priority, cs->priority);
		cr_assert_eq(s->mark, cs->mark);
		STR_EQ(s->saddr, cs->saddr);
		STR_EQ(s->daddr, cs->daddr);
		cr_assert_eq(s->sport, cs->sport);
		cr_assert_eq(s->dport, cs->dport);
		break;
	}
	case rtenf_KprobeArgument_sockaddr_arg_tag:
		STR_EQ(n->arg.sockaddr_arg.family, c->sockaddr_arg->family);
		STR_EQ(n->arg.sockaddr_arg.addr, c->sockaddr_arg->addr);
		cr_assert_eq(n->arg.sockaddr_arg.port, c->sockaddr_arg->port);
		break;
	case rtenf_KprobeArgument_syscall_id_tag:
		cr_assert_eq(n->arg.syscall_id.id, c->syscall_id->id);
		STR_EQ(n->arg.syscall_id.abi, c->syscall_id->abi);
		STR_EQ(n->arg.syscall_id.name, c->syscall_id->name);
		break;
	case rtenf_KprobeArgument_process_credentials_arg_tag: {
		const rtenf_KprobeCred *k = &n->arg.process_credentials_arg;
		const Rtenf__KprobeCred *ck = c->process_credentials_arg;

		cr_assert_eq(k->uid, ck->uid);
		cr_assert_eq(k->gid, ck->gid);
		cr_assert_eq(k->euid, ck->euid);
		cr_assert_eq(k->egid, ck->egid);
		cr_assert_eq(k->suid, ck->suid);
		cr_assert_eq(k->sgid, ck->sgid);
		cr_assert_eq(k->fsuid, ck->fsuid);
		cr_assert_eq(k->fsgid, ck->fsgid);
		cr_assert_eq(k->securebits, ck->securebits);
		cr_assert_eq(k->has_caps, ck->caps != NULL, "presence of cred caps");
		if (k->has_caps) {
			cr_assert_eq(k->caps.permitted, ck->caps->permitted);
			cr_assert_eq(k->caps.effective, ck->caps->effective);
			cr_assert_eq(k->caps.inheritable, ck->caps->inheritable);
		}
		cr_assert_eq(k->user_ns, ck->user_ns);
		break;
	}
	case rtenf_KprobeArgument_kernel_cap_t_arg_tag:
		cr_assert_eq(n->arg.kernel_cap_t_arg, c->kernel_cap_t_arg);
		break;
	case rtenf_KprobeArgument_cap_inheritable_arg_tag:
		cr_assert_eq(n->arg.cap_inheritable_arg, c->cap_inheritable_arg);
		break;
	case rtenf_KprobeArgument_cap_permitted_arg_tag:
		cr_assert_eq(n->arg.cap_permitted_arg, c->cap_permitted_arg);
		break;
	case rtenf_KprobeArgument_cap_effective_arg_tag:
		cr_assert_eq(n->arg.cap_effective_arg, c->cap_effective_arg);
		break;
	default:
		cr_assert_eq(n->which_arg, 0, "argument kind %u not compared", n->which_arg);
		break;
	}
	STR_EQ(n->label, c->label);
	cr_assert_eq(n->truncated, (bool)c->truncated);
}

static void cmp_args(const rtenf_KprobeArgument *n, pb_size_t n_count, Rtenf__KprobeArgument **c, size_t c_count)
{
	cr_assert_eq(n_count, c_count, "argument count");
	for (pb_size_t i = 0; i < n_count; i++)
		cmp_argument(&n[i], c[i]);
}

static void cmp_tags(char **n, pb_size_t n_count, char **c, size_t c_count)
{
	cr_assert_eq(n_count, c_count, "tag count");
	for (pb_size_t i = 0; i < n_count; i++)
		STR_EQ(n[i], c[i]);
}

static void cmp_stack(const rtenf_StackTraceEntry *n, pb_size_t n_count, Rtenf__StackTraceEntry **c, size_t c_count)
{
	cr_assert_eq(n_count, c_count, "stack frame count");
	for (pb_size_t i = 0; i < n_count; i++) {
		cr_assert_eq(n[i].address, c[i]->address);
		cr_assert_eq(n[i].offset, c[i]->offset);
		STR_EQ(n[i].symbol, c[i]->symbol);
		STR_EQ(n[i].module, c[i]->module);
	}
}

#define CMP_STACKS(n, c)                                                                                   \
	do {                                                                                               \
		cmp_stack((n)->kernel_stack_trace, (n)->kernel_stack_trace_count, (c)->kernel_stack_trace, \
			  (c)->n_kernel_stack_trace);                                                      \
		cmp_stack((n)->user_stack_trace, (n)->user_stack_trace_count, (c)->user_stack_trace,       \
			  (c)->n_user_stack_trace);                                                        \
	} while (0)

static void cmp_kprobe(const rtenf_ProcessKprobe *k, const Rtenf__ProcessKprobe *c)
{
	cmp_process(k->process, c->process);
	cmp_process(k->parent, c->parent);
	STR_EQ(k->function_name, c->function_name);
	cmp_args(k->args, k->args_count, c->args, c->n_args);
	cr_assert_eq(k->has_return_arg, c->return_arg != NULL, "presence of return");
	if (k->has_return_arg)
		cmp_argument(&k->return_arg, c->return_arg);
	cr_assert_eq((int)k->action, (int)c->action);
	STR_EQ(k->policy_name, c->policy_name);
	STR_EQ(k->message, c->message);
	cmp_tags(k->tags, k->tags_count, c->tags, c->n_tags);
	cr_assert_eq((int)k->policy_mode, (int)c->policy_mode);
	cr_assert_eq(k->enforced, (bool)c->enforced);
	cr_assert_eq(k->signal, c->signal);
	cr_assert_eq(k->error, c->error);
	cr_assert_eq(k->selector, c->selector);
	cr_assert_eq(k->late, (bool)c->late);
	cr_assert_eq(k->return_value, c->return_value);
	STR_EQ(k->mechanism, c->mechanism);
	CMP_STACKS(k, c);
	STR_EQ(k->stack_trace_error, c->stack_trace_error);
}

static void cmp_lsm(const rtenf_ProcessLsm *l, const Rtenf__ProcessLsm *c)
{
	cmp_process(l->process, c->process);
	cmp_process(l->parent, c->parent);
	STR_EQ(l->function_name, c->function_name);
	STR_EQ(l->policy_name, c->policy_name);
	STR_EQ(l->message, c->message);
	cmp_args(l->args, l->args_count, c->args, c->n_args);
	cr_assert_eq((int)l->action, (int)c->action);
	cmp_tags(l->tags, l->tags_count, c->tags, c->n_tags);
	cr_assert_eq((int)l->policy_mode, (int)c->policy_mode);
	cr_assert_eq(l->enforced, (bool)c->enforced);
	cr_assert_eq(l->signal, c->signal);
	cr_assert_eq(l->error, c->error);
	cr_assert_eq(l->selector, c->selector);
	STR_EQ(l->mechanism, c->mechanism);
	CMP_STACKS(l, c);
	STR_EQ(l->stack_trace_error, c->stack_trace_error);
}

static void cmp_uprobe(const rtenf_ProcessUprobe *u, const Rtenf__ProcessUprobe *c)
{
	cmp_process(u->process, c->process);
	cmp_process(u->parent, c->parent);
	STR_EQ(u->path, c->path);
	STR_EQ(u->symbol, c->symbol);
	STR_EQ(u->policy_name, c->policy_name);
	STR_EQ(u->message, c->message);
	cmp_args(u->args, u->args_count, c->args, c->n_args);
	cmp_tags(u->tags, u->tags_count, c->tags, c->n_tags);
	cr_assert_eq((int)u->action, (int)c->action);
	cr_assert_eq((int)u->policy_mode, (int)c->policy_mode);
	cr_assert_eq(u->enforced, (bool)c->enforced);
	cr_assert_eq(u->signal, c->signal);
	cr_assert_eq(u->selector, c->selector);
	CMP_STACKS(u, c);
	STR_EQ(u->stack_trace_error, c->stack_trace_error);
}

void cmp_event(const rtenf_Event *n, const Rtenf__Event *c)
{
	STR_EQ(n->node_name, c->node_name);
	cr_assert_eq(n->time, c->time);
	cr_assert_eq(n->which_event, (pb_size_t)c->event_case, "event case");
	switch (n->which_event) {
	case rtenf_Event_process_exec_tag:
		cmp_process(n->event.process_exec.process, c->process_exec->process);
		cmp_process(n->event.process_exec.parent, c->process_exec->parent);
		break;
	case rtenf_Event_process_exit_tag: {
		const rtenf_ProcessExit *e = &n->event.process_exit;

		cmp_process(e->process, c->process_exit->process);
		cmp_process(e->parent, c->process_exit->parent);
		STR_EQ(e->signal, c->process_exit->signal);
		cr_assert_eq(e->status, c->process_exit->status);
		cr_assert_eq(e->time, c->process_exit->time);
		break;
	}
	case rtenf_Event_process_tracepoint_tag: {
		const rtenf_ProcessTracepoint *t = &n->event.process_tracepoint;
		const Rtenf__ProcessTracepoint *ct = c->process_tracepoint;

		cmp_process(t->process, ct->process);
		cmp_process(t->parent, ct->parent);
		STR_EQ(t->subsys, ct->subsys);
		STR_EQ(t->event, ct->event);
		cmp_args(t->args, t->args_count, ct->args, ct->n_args);
		STR_EQ(t->policy_name, ct->policy_name);
		cr_assert_eq((int)t->action, (int)ct->action);
		STR_EQ(t->message, ct->message);
		cmp_tags(t->tags, t->tags_count, ct->tags, ct->n_tags);
		cr_assert_eq((int)t->policy_mode, (int)ct->policy_mode);
		cr_assert_eq(t->enforced, (bool)ct->enforced);
		cr_assert_eq(t->signal, ct->signal);
		cr_assert_eq(t->error, ct->error);
		cr_assert_eq(t->selector, ct->selector);
		cr_assert_eq(t->late, (bool)ct->late);
		cr_assert_eq(t->return_value, ct->return_value);
		CMP_STACKS(t, ct);
		STR_EQ(t->stack_trace_error, ct->stack_trace_error);
		break;
	}
	case rtenf_Event_process_kprobe_tag:
		cmp_kprobe(&n->event.process_kprobe, c->process_kprobe);
		break;
	case rtenf_Event_process_lsm_tag:
		cmp_lsm(&n->event.process_lsm, c->process_lsm);
		break;
	case rtenf_Event_process_uprobe_tag:
		cmp_uprobe(&n->event.process_uprobe, c->process_uprobe);
		break;
	case rtenf_Event_lost_events_tag:
		cr_assert_eq(n->event.lost_events.count, c->lost_events->count);
		STR_EQ(n->event.lost_events.source, c->lost_events->source);
		break;
	default:
		cr_assert_eq(n->which_event, 0, "event kind %u not compared", n->which_event);
		break;
	}
}

/* Builds the protobuf-c twin of a nanopb process; storage comes from the
 * caller's arrays so nothing needs freeing. */
struct cproc {
	Rtenf__Process p;
	Rtenf__Capabilities cap;
	Rtenf__Namespaces ns;
	Rtenf__Namespace n[10];
	Rtenf__ProcessCredentials cred;
};

static Rtenf__Process *to_c_process(struct cproc *s, const rtenf_Process *p)
{
	if (!p)
		return NULL;

	const bool has[] = {p->ns.has_uts, p->ns.has_ipc, p->ns.has_mnt, p->ns.has_pid, p->ns.has_pid_for_children,
			    p->ns.has_net, p->ns.has_time, p->ns.has_time_for_children, p->ns.has_cgroup,
			    p->ns.has_user};
	const rtenf_Namespace *src[] = {&p->ns.uts, &p->ns.ipc, &p->ns.mnt, &p->ns.pid, &p->ns.pid_for_children,
					&p->ns.net, &p->ns.time, &p->ns.time_for_children, &p->ns.cgroup,
					&p->ns.user};
	Rtenf__Namespace **dst[] = {&s->ns.uts, &s->ns.ipc, &s->ns.mnt, &s->ns.pid, &s->ns.pid_for_children,
				    &s->ns.net, &s->ns.time, &s->ns.time_for_children, &s->ns.cgroup, &s->ns.user};

	rtenf__process__init(&s->p);
	s->p.exec_id = (char *)s_or_empty(p->exec_id);
	s->p.pid = p->pid;
	s->p.uid = p->uid;
	s->p.cwd = (char *)s_or_empty(p->cwd);
	s->p.binary = (char *)s_or_empty(p->binary);
	s->p.arguments = (char *)s_or_empty(p->arguments);
	s->p.flags = (char *)s_or_empty(p->flags);
	s->p.start_time = p->start_time;
	s->p.auid = p->auid;
	s->p.parent_exec_id = (char *)s_or_empty(p->parent_exec_id);
	if (p->has_cap) {
		rtenf__capabilities__init(&s->cap);
		s->cap.permitted = p->cap.permitted;
		s->cap.effective = p->cap.effective;
		s->cap.inheritable = p->cap.inheritable;
		s->p.cap = &s->cap;
	}
	if (p->has_ns) {
		rtenf__namespaces__init(&s->ns);
		for (int i = 0; i < 10; i++) {
			if (!has[i])
				continue;
			rtenf__namespace__init(&s->n[i]);
			s->n[i].inum = src[i]->inum;
			s->n[i].is_host = src[i]->is_host;
			*dst[i] = &s->n[i];
		}
		s->p.ns = &s->ns;
	}
	s->p.tid = p->tid;
	if (p->has_process_credentials) {
		rtenf__process_credentials__init(&s->cred);
		s->cred.uid = p->process_credentials.uid;
		s->cred.gid = p->process_credentials.gid;
		s->cred.euid = p->process_credentials.euid;
		s->cred.egid = p->process_credentials.egid;
		s->p.process_credentials = &s->cred;
	}
	s->p.in_init_tree = p->in_init_tree;
	s->p.cgroup_id = p->cgroup_id;
	s->p.ns_pid = p->ns_pid;
	s->p.container_id = (char *)s_or_empty(p->container_id);
	return &s->p;
}

/* The protobuf-c twin of one argument, with room for whichever
 * submessage its kind needs. */
struct carg {
	Rtenf__KprobeArgument a;
	Rtenf__KprobePath path;
	Rtenf__KprobeFile file;
	Rtenf__KprobeLinuxBinprm binprm;
	Rtenf__KprobeSock sock;
	Rtenf__KprobeSockaddr sockaddr;
	Rtenf__KprobeSyscallId syscall_id;
	Rtenf__KprobeSkb skb;
	Rtenf__KprobeCred cred;
	Rtenf__Capabilities caps;
};

#define CSTR(s) ((char *)s_or_empty(s))

static Rtenf__KprobeArgument *to_c_argument(struct carg *s, const rtenf_KprobeArgument *a)
{
	rtenf__kprobe_argument__init(&s->a);
	s->a.arg_case = (Rtenf__KprobeArgument__ArgCase)a->which_arg;
	switch (a->which_arg) {
	case rtenf_KprobeArgument_string_arg_tag:
		s->a.string_arg = CSTR(a->arg.string_arg);
		break;
	case rtenf_KprobeArgument_int_arg_tag:
		s->a.int_arg = a->arg.int_arg;
		break;
	case rtenf_KprobeArgument_size_arg_tag:
		s->a.size_arg = a->arg.size_arg;
		break;
	case rtenf_KprobeArgument_bytes_arg_tag:
		s->a.bytes_arg.len = a->arg.bytes_arg ? a->arg.bytes_arg->size : 0;
		s->a.bytes_arg.data = a->arg.bytes_arg ? a->arg.bytes_arg->bytes : NULL;
		break;
	case rtenf_KprobeArgument_long_arg_tag:
		s->a.long_arg = a->arg.long_arg;
		break;
	case rtenf_KprobeArgument_uint_arg_tag:
		s->a.uint_arg = a->arg.uint_arg;
		break;
	case rtenf_KprobeArgument_path_arg_tag:
		rtenf__kprobe_path__init(&s->path);
		s->path.mount = CSTR(a->arg.path_arg.mount);
		s->path.path = CSTR(a->arg.path_arg.path);
		s->path.flags = CSTR(a->arg.path_arg.flags);
		s->path.permission = CSTR(a->arg.path_arg.permission);
		s->a.path_arg = &s->path;
		break;
	case rtenf_KprobeArgument_file_arg_tag:
		rtenf__kprobe_file__init(&s->file);
		s->file.mount = CSTR(a->arg.file_arg.mount);
		s->file.path = CSTR(a->arg.file_arg.path);
		s->file.flags = CSTR(a->arg.file_arg.flags);
		s->file.permission = CSTR(a->arg.file_arg.permission);
		s->a.file_arg = &s->file;
		break;
	case rtenf_KprobeArgument_linux_binprm_arg_tag:
		rtenf__kprobe_linux_binprm__init(&s->binprm);
		s->binprm.path = CSTR(a->arg.linux_binprm_arg.path);
		s->binprm.flags = CSTR(a->arg.linux_binprm_arg.flags);
		s->binprm.permission = CSTR(a->arg.linux_binprm_arg.permission);
		s->a.linux_binprm_arg = &s->binprm;
		break;
	case rtenf_KprobeArgument_sock_arg_tag: {
		const rtenf_KprobeSock *k = &a->arg.sock_arg;

		rtenf__kprobe_sock__init(&s->sock);
		s->sock.family = CSTR(k->family);
		s->sock.type = CSTR(k->type);
		s->sock.protocol = CSTR(k->protocol);
		s->sock.mark = k->mark;
		s->sock.priority = k->priority;
		s->sock.saddr = CSTR(k->saddr);
		s->sock.daddr = CSTR(k->daddr);
		s->sock.sport = k->sport;
		s->sock.dport = k->dport;
		s->sock.cookie = k->cookie;
		s->sock.state = CSTR(k->state);
		s->a.sock_arg = &s->sock;
		break;
	}
	case rtenf_KprobeArgument_skb_arg_tag: {
		const rtenf_KprobeSkb *k = &a->arg.skb_arg;

		rtenf__kprobe_skb__init(&s->skb);
		s->skb.family = CSTR(k->family);
		s->skb.protocol = CSTR(k->protocol);
		s->skb.len = k->len;
		s->skb.priority = k->priority;
		s->skb.mark = k->mark;
		s->skb.saddr = CSTR(k->saddr);
		s->skb.daddr = CSTR(k->daddr);
		s->skb.sport = k->sport;
		s->skb.dport = k->dport;
		s->a.skb_arg = &s->skb;
		break;
	}
	case rtenf_KprobeArgument_sockaddr_arg_tag:
		rtenf__kprobe_sockaddr__init(&s->sockaddr);
		s->sockaddr.family = CSTR(a->arg.sockaddr_arg.family);
		s->sockaddr.addr = CSTR(a->arg.sockaddr_arg.addr);
		s->sockaddr.port = a->arg.sockaddr_arg.port;
		s->a.sockaddr_arg = &s->sockaddr;
		break;
	case rtenf_KprobeArgument_syscall_id_tag:
		rtenf__kprobe_syscall_id__init(&s->syscall_id);
		s->syscall_id.id = a->arg.syscall_id.id;
		s->syscall_id.abi = CSTR(a->arg.syscall_id.abi);
		s->syscall_id.name = CSTR(a->arg.syscall_id.name);
		s->a.syscall_id = &s->syscall_id;
		break;
	case rtenf_KprobeArgument_process_credentials_arg_tag: {
		const rtenf_KprobeCred *k = &a->arg.process_credentials_arg;

		rtenf__kprobe_cred__init(&s->cred);
		s->cred.uid = k->uid;
		s->cred.gid = k->gid;
		s->cred.euid = k->euid;
		s->cred.egid = k->egid;
		s->cred.suid = k->suid;
		s->cred.sgid = k->sgid;
		s->cred.fsuid = k->fsuid;
		s->cred.fsgid = k->fsgid;
		s->cred.securebits = k->securebits;
		if (k->has_caps) {
			rtenf__capabilities__init(&s->caps);
			s->caps.permitted = k->caps.permitted;
			s->caps.effective = k->caps.effective;
			s->caps.inheritable = k->caps.inheritable;
			s->cred.caps = &s->caps;
		}
		s->cred.user_ns = k->user_ns;
		s->a.process_credentials_arg = &s->cred;
		break;
	}
	case rtenf_KprobeArgument_kernel_cap_t_arg_tag:
		s->a.kernel_cap_t_arg = a->arg.kernel_cap_t_arg;
		break;
	case rtenf_KprobeArgument_cap_inheritable_arg_tag:
		s->a.cap_inheritable_arg = a->arg.cap_inheritable_arg;
		break;
	case rtenf_KprobeArgument_cap_permitted_arg_tag:
		s->a.cap_permitted_arg = a->arg.cap_permitted_arg;
		break;
	case rtenf_KprobeArgument_cap_effective_arg_tag:
		s->a.cap_effective_arg = a->arg.cap_effective_arg;
		break;
	default:
		cr_assert_eq(a->which_arg, 0, "argument kind %u has no twin", a->which_arg);
		break;
	}
	s->a.label = CSTR(a->label);
	s->a.truncated = a->truncated;
	return &s->a;
}

#define MAX_TWIN_ARGS 32

/* Storage for the twin of one event; nothing in it needs freeing. */
struct ctwin {
	Rtenf__Event ev;
	Rtenf__ProcessExec exec;
	Rtenf__ProcessExit exit;
	Rtenf__ProcessTracepoint tp;
	Rtenf__ProcessKprobe kprobe;
	Rtenf__ProcessLsm lsm;
	Rtenf__ProcessUprobe uprobe;
	Rtenf__LostEvents lost;
	struct cproc proc, parent;
	struct carg args[MAX_TWIN_ARGS], ret;
	Rtenf__KprobeArgument *argp[MAX_TWIN_ARGS];
	Rtenf__StackTraceEntry frames[2][RTENF_STACK_MAX_FRAMES];
	Rtenf__StackTraceEntry *framep[2][RTENF_STACK_MAX_FRAMES];
};

/* which: 0 kernel, 1 user */
static Rtenf__StackTraceEntry **to_c_stack(struct ctwin *w, int which, const rtenf_StackTraceEntry *f, pb_size_t n)
{
	cr_assert_leq(n, RTENF_STACK_MAX_FRAMES);
	for (pb_size_t i = 0; i < n; i++) {
		Rtenf__StackTraceEntry *c = &w->frames[which][i];

		rtenf__stack_trace_entry__init(c);
		c->address = f[i].address;
		c->offset = f[i].offset;
		c->symbol = CSTR(f[i].symbol);
		c->module = CSTR(f[i].module);
		w->framep[which][i] = c;
	}
	return w->framep[which];
}

#define TO_C_STACKS(w, n, c)                                                                                      \
	do {                                                                                                      \
		(c)->n_kernel_stack_trace = (n)->kernel_stack_trace_count;                                        \
		(c)->kernel_stack_trace = to_c_stack(w, 0, (n)->kernel_stack_trace, (n)->kernel_stack_trace_count); \
		(c)->n_user_stack_trace = (n)->user_stack_trace_count;                                            \
		(c)->user_stack_trace = to_c_stack(w, 1, (n)->user_stack_trace, (n)->user_stack_trace_count);     \
		(c)->stack_trace_error = CSTR((n)->stack_trace_error);                                            \
	} while (0)

static Rtenf__KprobeArgument **to_c_args(struct ctwin *t, const rtenf_KprobeArgument *args, pb_size_t n)
{
	cr_assert_leq(n, MAX_TWIN_ARGS);
	for (pb_size_t i = 0; i < n; i++)
		t->argp[i] = to_c_argument(&t->args[i], &args[i]);
	return t->argp;
}

static void to_c_tracepoint(struct ctwin *w, const rtenf_ProcessTracepoint *t)
{
	Rtenf__ProcessTracepoint *c = &w->tp;

	rtenf__process_tracepoint__init(c);
	c->process = to_c_process(&w->proc, t->process);
	c->parent = to_c_process(&w->parent, t->parent);
	c->subsys = CSTR(t->subsys);
	c->event = CSTR(t->event);
	c->n_args = t->args_count;
	c->args = to_c_args(w, t->args, t->args_count);
	c->policy_name = CSTR(t->policy_name);
	c->action = (Rtenf__KprobeAction)t->action;
	c->message = CSTR(t->message);
	c->n_tags = t->tags_count;
	c->tags = t->tags;
	c->policy_mode = (Rtenf__PolicyMode)t->policy_mode;
	c->enforced = t->enforced;
	c->signal = t->signal;
	c->error = t->error;
	c->selector = t->selector;
	c->late = t->late;
	c->return_value = t->return_value;
	TO_C_STACKS(w, t, c);
	w->ev.process_tracepoint = c;
}

static void to_c_kprobe(struct ctwin *w, const rtenf_ProcessKprobe *k)
{
	Rtenf__ProcessKprobe *c = &w->kprobe;

	rtenf__process_kprobe__init(c);
	c->process = to_c_process(&w->proc, k->process);
	c->parent = to_c_process(&w->parent, k->parent);
	c->function_name = CSTR(k->function_name);
	c->n_args = k->args_count;
	c->args = to_c_args(w, k->args, k->args_count);
	if (k->has_return_arg)
		c->return_arg = to_c_argument(&w->ret, &k->return_arg);
	c->action = (Rtenf__KprobeAction)k->action;
	c->policy_name = CSTR(k->policy_name);
	c->message = CSTR(k->message);
	c->n_tags = k->tags_count;
	c->tags = k->tags;
	c->policy_mode = (Rtenf__PolicyMode)k->policy_mode;
	c->enforced = k->enforced;
	c->signal = k->signal;
	c->error = k->error;
	c->selector = k->selector;
	c->late = k->late;
	c->return_value = k->return_value;
	c->mechanism = CSTR(k->mechanism);
	TO_C_STACKS(w, k, c);
	w->ev.process_kprobe = c;
}

static void to_c_lsm(struct ctwin *w, const rtenf_ProcessLsm *l)
{
	Rtenf__ProcessLsm *c = &w->lsm;

	rtenf__process_lsm__init(c);
	c->process = to_c_process(&w->proc, l->process);
	c->parent = to_c_process(&w->parent, l->parent);
	c->function_name = CSTR(l->function_name);
	c->policy_name = CSTR(l->policy_name);
	c->message = CSTR(l->message);
	c->n_args = l->args_count;
	c->args = to_c_args(w, l->args, l->args_count);
	c->action = (Rtenf__KprobeAction)l->action;
	c->n_tags = l->tags_count;
	c->tags = l->tags;
	c->policy_mode = (Rtenf__PolicyMode)l->policy_mode;
	c->enforced = l->enforced;
	c->signal = l->signal;
	c->error = l->error;
	c->selector = l->selector;
	c->mechanism = CSTR(l->mechanism);
	TO_C_STACKS(w, l, c);
	w->ev.process_lsm = c;
}

static void to_c_uprobe(struct ctwin *w, const rtenf_ProcessUprobe *u)
{
	Rtenf__ProcessUprobe *c = &w->uprobe;

	rtenf__process_uprobe__init(c);
	c->process = to_c_process(&w->proc, u->process);
	c->parent = to_c_process(&w->parent, u->parent);
	c->path = CSTR(u->path);
	c->symbol = CSTR(u->symbol);
	c->policy_name = CSTR(u->policy_name);
	c->message = CSTR(u->message);
	c->n_args = u->args_count;
	c->args = to_c_args(w, u->args, u->args_count);
	c->n_tags = u->tags_count;
	c->tags = u->tags;
	c->action = (Rtenf__KprobeAction)u->action;
	c->policy_mode = (Rtenf__PolicyMode)u->policy_mode;
	c->enforced = u->enforced;
	c->signal = u->signal;
	c->selector = u->selector;
	TO_C_STACKS(w, u, c);
	w->ev.process_uprobe = c;
}

uint8_t *pack_c_twin(const rtenf_Event *n, size_t *len)
{
	struct ctwin *w = calloc(1, sizeof(*w));
	uint8_t *buf;

	cr_assert_not_null(w);
	rtenf__event__init(&w->ev);
	w->ev.node_name = CSTR(n->node_name);
	w->ev.time = n->time;
	w->ev.event_case = (Rtenf__Event__EventCase)n->which_event;
	switch (n->which_event) {
	case rtenf_Event_process_exec_tag:
		rtenf__process_exec__init(&w->exec);
		w->exec.process = to_c_process(&w->proc, n->event.process_exec.process);
		w->exec.parent = to_c_process(&w->parent, n->event.process_exec.parent);
		w->ev.process_exec = &w->exec;
		break;
	case rtenf_Event_process_exit_tag:
		rtenf__process_exit__init(&w->exit);
		w->exit.process = to_c_process(&w->proc, n->event.process_exit.process);
		w->exit.parent = to_c_process(&w->parent, n->event.process_exit.parent);
		w->exit.signal = CSTR(n->event.process_exit.signal);
		w->exit.status = n->event.process_exit.status;
		w->exit.time = n->event.process_exit.time;
		w->ev.process_exit = &w->exit;
		break;
	case rtenf_Event_process_tracepoint_tag:
		to_c_tracepoint(w, &n->event.process_tracepoint);
		break;
	case rtenf_Event_process_kprobe_tag:
		to_c_kprobe(w, &n->event.process_kprobe);
		break;
	case rtenf_Event_process_lsm_tag:
		to_c_lsm(w, &n->event.process_lsm);
		break;
	case rtenf_Event_process_uprobe_tag:
		to_c_uprobe(w, &n->event.process_uprobe);
		break;
	case rtenf_Event_lost_events_tag:
		rtenf__lost_events__init(&w->lost);
		w->lost.count = n->event.lost_events.count;
		w->lost.source = CSTR(n->event.lost_events.source);
		w->ev.lost_events = &w->lost;
		break;
	default:
		cr_assert_fail("event kind %u has no twin", n->which_event);
	}
	*len = rtenf__event__get_packed_size(&w->ev);
	buf = malloc(*len ? *len : 1);
	cr_assert_eq(rtenf__event__pack(&w->ev, buf), *len);
	free(w);
	return buf;
}
