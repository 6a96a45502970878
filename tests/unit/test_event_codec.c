// SPDX-License-Identifier: GPL-2.0-only
/*
 * The agent encodes with nanopb; clients in other languages decode with
 * whatever protobuf library they have.  Check the bytes against an
 * independent implementation (protobuf-c) in both directions, field by
 * field, so a wrong option in proto/events.options or a codec slip shows.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "event_codec.h"
#include "event_fixtures.h"
#include "event_format.h"
#include "events.pb-c.h"

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
	}
	STR_EQ(n->label, c->label);
	cr_assert_eq(n->truncated, (bool)c->truncated);
}

static void cmp_event(const rtenf_Event *n, const Rtenf__Event *c)
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
		cr_assert_eq(t->args_count, ct->n_args);
		for (pb_size_t i = 0; i < t->args_count; i++)
			cmp_argument(&t->args[i], ct->args[i]);
		STR_EQ(t->policy_name, ct->policy_name);
		cr_assert_eq((int)t->action, (int)ct->action);
		STR_EQ(t->message, ct->message);
		cr_assert_eq(t->tags_count, ct->n_tags);
		for (pb_size_t i = 0; i < t->tags_count; i++)
			STR_EQ(t->tags[i], ct->tags[i]);
		cr_assert_eq((int)t->policy_mode, (int)ct->policy_mode);
		cr_assert_eq(t->enforced, (bool)ct->enforced);
		cr_assert_eq(t->signal, ct->signal);
		cr_assert_eq(t->error, ct->error);
		cr_assert_eq(t->selector, ct->selector);
		cr_assert_eq(t->late, (bool)ct->late);
		cr_assert_eq(t->return_value, ct->return_value);
		break;
	}
	case rtenf_Event_lost_events_tag:
		cr_assert_eq(n->event.lost_events.count, c->lost_events->count);
		STR_EQ(n->event.lost_events.source, c->lost_events->source);
		break;
	}
}

/* A process with every namespace and extreme values. */
static rtenf_Process *rich_process(void)
{
	rtenf_Process *p = fx_process_full();
	rtenf_Namespace *all[] = {&p->ns.uts, &p->ns.ipc, &p->ns.mnt, &p->ns.pid, &p->ns.pid_for_children,
				  &p->ns.net, &p->ns.time, &p->ns.time_for_children, &p->ns.cgroup, &p->ns.user};
	bool *has[] = {&p->ns.has_uts, &p->ns.has_ipc, &p->ns.has_mnt, &p->ns.has_pid, &p->ns.has_pid_for_children,
		       &p->ns.has_net, &p->ns.has_time, &p->ns.has_time_for_children, &p->ns.has_cgroup,
		       &p->ns.has_user};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		*has[i] = i != 4; /* one left out: absence must survive too */
		all[i]->inum = 4026531835u + (uint32_t)i;
		all[i]->is_host = i % 2;
	}
	p->cap.permitted = UINT64_MAX;
	p->cap.inheritable = 1ull << 40;
	p->uid = UINT32_MAX;
	p->in_init_tree = true;
	p->cgroup_id = UINT64_MAX;
	free(p->arguments);
	p->arguments = fx_strdup("caf\xc3\xa9 \"quoted\" \xff raw"); /* protobuf-c does not check UTF-8 */
	return p;
}

/* One of each kind, every field set somewhere. */
static void rich_events(rtenf_Event ev[4])
{
	rtenf_ProcessTracepoint *t;
	rtenf_KprobeArgument *a;

	fx_exec(&ev[0], rich_process(), fx_process_init());

	fx_exit(&ev[1], rich_process(), "SIGKILL", 137);
	ev[1].event.process_exit.parent = fx_process_simple("/bin/bash", NULL, 1);

	fx_tracepoint(&ev[2], rich_process(), "syscalls", "sys_enter_openat", "deny-open",
		      rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE, rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	t = &ev[2].event.process_tracepoint;
	t->parent = fx_process_init();
	fx_arg_string(&ev[2], "path", "/etc/shadow");
	a = fx_arg(&ev[2], "fd");
	a->which_arg = rtenf_KprobeArgument_int_arg_tag;
	a->arg.int_arg = INT32_MIN;
	fx_arg_size(&ev[2], NULL, UINT64_MAX);
	fx_arg_bytes(&ev[2], "buf", "\x00\x01\xff", 3);
	a = fx_arg(&ev[2], NULL);
	a->which_arg = rtenf_KprobeArgument_long_arg_tag;
	a->arg.long_arg = INT64_MIN;
	a = fx_arg(&ev[2], NULL);
	a->which_arg = rtenf_KprobeArgument_uint_arg_tag;
	a->arg.uint_arg = UINT32_MAX;
	a->truncated = true;
	a = fx_arg(&ev[2], NULL);
	a->which_arg = rtenf_KprobeArgument_int_arg_tag; /* a zero oneof member is still set */
	t->message = fx_strdup("denied");
	fx_add_tag(&ev[2], "a");
	fx_add_tag(&ev[2], "b");
	t->signal = 31;
	t->error = -13;
	t->selector = 4;
	t->late = true;
	t->return_value = INT64_MIN;

	fx_lost(&ev[3], UINT64_MAX, "client");
}

static void release_all(rtenf_Event ev[4])
{
	for (int i = 0; i < 4; i++)
		fx_release(&ev[i]);
}

Test(event_codec, nanopb_to_protobuf_c)
{
	rtenf_Event ev[4];

	rich_events(ev);
	for (int i = 0; i < 4; i++) {
		Rtenf__Event *c;
		uint8_t *buf;
		size_t len;

		cr_assert_eq(event_encode(&ev[i], &buf, &len), 0);
		c = rtenf__event__unpack(NULL, len, buf);
		cr_assert_not_null(c, "protobuf-c rejects event %d", i);
		cmp_event(&ev[i], c);
		cr_assert_eq(rtenf__event__get_packed_size(c), len, "same encoding size");
		rtenf__event__free_unpacked(c, NULL);
		free(buf);
	}
	release_all(ev);
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

/* The protobuf-c twin of a nanopb event, packed to bytes. */
static uint8_t *pack_c_twin(const rtenf_Event *n, size_t *len)
{
	Rtenf__Event c = RTENF__EVENT__INIT;
	Rtenf__ProcessExec exec = RTENF__PROCESS_EXEC__INIT;
	Rtenf__ProcessExit exit_ = RTENF__PROCESS_EXIT__INIT;
	Rtenf__ProcessTracepoint tp = RTENF__PROCESS_TRACEPOINT__INIT;
	Rtenf__LostEvents lost = RTENF__LOST_EVENTS__INIT;
	Rtenf__KprobeArgument args[16], *argp[16];
	struct cproc proc, parent;
	uint8_t *buf;

	c.node_name = (char *)s_or_empty(n->node_name);
	c.time = n->time;
	c.event_case = (Rtenf__Event__EventCase)n->which_event;
	switch (n->which_event) {
	case rtenf_Event_process_exec_tag:
		exec.process = to_c_process(&proc, n->event.process_exec.process);
		exec.parent = to_c_process(&parent, n->event.process_exec.parent);
		c.process_exec = &exec;
		break;
	case rtenf_Event_process_exit_tag:
		exit_.process = to_c_process(&proc, n->event.process_exit.process);
		exit_.parent = to_c_process(&parent, n->event.process_exit.parent);
		exit_.signal = (char *)s_or_empty(n->event.process_exit.signal);
		exit_.status = n->event.process_exit.status;
		exit_.time = n->event.process_exit.time;
		c.process_exit = &exit_;
		break;
	case rtenf_Event_process_tracepoint_tag: {
		const rtenf_ProcessTracepoint *t = &n->event.process_tracepoint;

		cr_assert_leq(t->args_count, 16);
		tp.process = to_c_process(&proc, t->process);
		tp.parent = to_c_process(&parent, t->parent);
		tp.subsys = (char *)s_or_empty(t->subsys);
		tp.event = (char *)s_or_empty(t->event);
		for (pb_size_t i = 0; i < t->args_count; i++) {
			const rtenf_KprobeArgument *a = &t->args[i];

			rtenf__kprobe_argument__init(&args[i]);
			args[i].arg_case = (Rtenf__KprobeArgument__ArgCase)a->which_arg;
			switch (a->which_arg) {
			case rtenf_KprobeArgument_string_arg_tag:
				args[i].string_arg = (char *)s_or_empty(a->arg.string_arg);
				break;
			case rtenf_KprobeArgument_int_arg_tag:
				args[i].int_arg = a->arg.int_arg;
				break;
			case rtenf_KprobeArgument_size_arg_tag:
				args[i].size_arg = a->arg.size_arg;
				break;
			case rtenf_KprobeArgument_bytes_arg_tag:
				args[i].bytes_arg.len = a->arg.bytes_arg ? a->arg.bytes_arg->size : 0;
				args[i].bytes_arg.data = a->arg.bytes_arg ? a->arg.bytes_arg->bytes : NULL;
				break;
			case rtenf_KprobeArgument_long_arg_tag:
				args[i].long_arg = a->arg.long_arg;
				break;
			case rtenf_KprobeArgument_uint_arg_tag:
				args[i].uint_arg = a->arg.uint_arg;
				break;
			}
			args[i].label = (char *)s_or_empty(a->label);
			args[i].truncated = a->truncated;
			argp[i] = &args[i];
		}
		tp.n_args = t->args_count;
		tp.args = argp;
		tp.policy_name = (char *)s_or_empty(t->policy_name);
		tp.action = (Rtenf__KprobeAction)t->action;
		tp.message = (char *)s_or_empty(t->message);
		tp.n_tags = t->tags_count;
		tp.tags = t->tags;
		tp.policy_mode = (Rtenf__PolicyMode)t->policy_mode;
		tp.enforced = t->enforced;
		tp.signal = t->signal;
		tp.error = t->error;
		tp.selector = t->selector;
		tp.late = t->late;
		tp.return_value = t->return_value;
		c.process_tracepoint = &tp;
		break;
	}
	case rtenf_Event_lost_events_tag:
		lost.count = n->event.lost_events.count;
		lost.source = (char *)s_or_empty(n->event.lost_events.source);
		c.lost_events = &lost;
		break;
	}
	*len = rtenf__event__get_packed_size(&c);
	buf = malloc(*len ? *len : 1);
	cr_assert_eq(rtenf__event__pack(&c, buf), *len);
	return buf;
}

Test(event_codec, protobuf_c_to_nanopb)
{
	rtenf_Event ev[4];

	rich_events(ev);
	for (int i = 0; i < 4; i++) {
		rtenf_Event back;
		Rtenf__Event *check;
		uint8_t *buf;
		size_t len;

		buf = pack_c_twin(&ev[i], &len);
		cr_assert_eq(event_decode(&back, buf, len), 0, "nanopb rejects event %d", i);
		/* The decoded nanopb event must equal the original; compare
		 * both against the protobuf-c reading of the same bytes. */
		check = rtenf__event__unpack(NULL, len, buf);
		cr_assert_not_null(check);
		cmp_event(&back, check);
		cmp_event(&ev[i], check);
		rtenf__event__free_unpacked(check, NULL);
		event_release(&back);
		free(buf);
	}
	release_all(ev);
}

/* What goes out as JSON is the same before and after the socket. */
Test(event_codec, round_trip_keeps_json)
{
	rtenf_Event ev[4];

	rich_events(ev);
	for (int i = 0; i < 4; i++) {
		struct strbuf before = {0}, after = {0};
		rtenf_Event back;
		uint8_t *buf;
		size_t len;

		cr_assert_eq(event_encode(&ev[i], &buf, &len), 0);
		cr_assert_eq(event_decode(&back, buf, len), 0);
		event_format_json(&before, &ev[i]);
		event_format_json(&after, &back);
		cr_assert_str_eq(after.buf, before.buf);
		sb_free(&before);
		sb_free(&after);
		event_release(&back);
		event_release(&back); /* twice is harmless */
		free(buf);
	}
	release_all(ev);
}

Test(event_codec, bad_input_is_refused_without_leaks)
{
	static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	rtenf_Event ev[4], back;
	uint8_t *buf;
	size_t len;

	memset(&back, 0xa5, sizeof(back)); /* decoding must not trust old contents */
	cr_assert_eq(event_decode(&back, garbage, sizeof(garbage)), -EPROTO);
	cr_assert_eq(back.which_event, 0);
	cr_assert_null(back.node_name);

	/* Every proper prefix of a real event fails cleanly (valgrind checks
	 * that the half-decoded strings are freed). */
	rich_events(ev);
	cr_assert_eq(event_encode(&ev[2], &buf, &len), 0);
	for (size_t cut = 1; cut < len; cut += 7) {
		int rc = event_decode(&back, buf, cut);

		if (rc == 0)
			event_release(&back); /* a cut between fields is a valid shorter event */
		else
			cr_assert_eq(rc, -EPROTO);
	}
	free(buf);
	release_all(ev);

	cr_assert_eq(event_decode(&back, NULL, 0), 0, "the empty message is valid");
	cr_assert_eq(back.which_event, 0);
	event_release(&back);
}
