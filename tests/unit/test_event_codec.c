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
#include "codec_twin.h"
#include "events.pb-c.h"

#define N_RICH 8

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

/* Every argument kind once, every field set, extremes where they matter;
 * some kinds twice, set but empty, since presence must survive too. */
static void every_argument_kind(rtenf_Event *ev)
{
	rtenf_KprobeArgument *a;
	rtenf_KprobeSock *s;
	rtenf_KprobeSkb *skb;
	rtenf_KprobeCred *c;

	fx_arg_string(ev, "s", "caf\xc3\xa9");
	a = fx_arg(ev, NULL);
	a->which_arg = rtenf_KprobeArgument_int_arg_tag;
	a->arg.int_arg = INT32_MIN;
	fx_arg_size(ev, NULL, UINT64_MAX);
	fx_arg_bytes(ev, "buf", "\x00\x01\xff", 3);
	fx_arg_path(ev, "path", "/mnt", "/mnt/a", "O_RDONLY", "drwxr-xr-x");
	fx_arg_path(ev, NULL, NULL, NULL, NULL, NULL);
	fx_arg_file(ev, "file", "/etc/shadow", "O_RDONLY|O_CLOEXEC", "-rw-r-----");
	ev->event.process_kprobe.args[ev->event.process_kprobe.args_count - 1].arg.file_arg.mount = fx_strdup("/");
	fx_arg_file(ev, NULL, NULL, NULL, NULL);
	s = fx_arg_sock(ev, "sk", "AF_INET6", "IPPROTO_TCP", "2001:db8::2", 65535, "2001:db8::1", 443);
	s->type = fx_strdup("SOCK_STREAM");
	s->mark = UINT32_MAX;
	s->priority = 6;
	s->cookie = UINT64_MAX;
	s->state = fx_strdup("TCP_ESTABLISHED");
	fx_arg_sock(ev, NULL, NULL, NULL, NULL, 0, NULL, 0);
	a = fx_arg(ev, NULL);
	a->which_arg = rtenf_KprobeArgument_long_arg_tag;
	a->arg.long_arg = INT64_MIN;
	a = fx_arg(ev, NULL);
	a->which_arg = rtenf_KprobeArgument_uint_arg_tag;
	a->arg.uint_arg = UINT32_MAX;
	a->truncated = true;
	c = fx_arg_cred(ev, "cred");
	c->uid = 1;
	c->gid = 2;
	c->euid = 3;
	c->egid = 4;
	c->suid = 5;
	c->sgid = 6;
	c->fsuid = 7;
	c->fsgid = UINT32_MAX;
	c->securebits = 0xff;
	c->has_caps = true;
	c->caps.permitted = UINT64_MAX;
	c->caps.effective = 1ull << 21;
	c->caps.inheritable = 1ull << 63;
	c->user_ns = 4026531837u;
	fx_arg_cred(ev, NULL); /* no caps: absence must survive */
	c = fx_arg_cred(ev, NULL);
	c->has_caps = true; /* present but empty */
	fx_arg_caps(ev, "k", rtenf_KprobeArgument_kernel_cap_t_arg_tag, UINT64_MAX);
	fx_arg_caps(ev, NULL, rtenf_KprobeArgument_cap_inheritable_arg_tag, 1);
	fx_arg_caps(ev, NULL, rtenf_KprobeArgument_cap_permitted_arg_tag, 0); /* a zero oneof member is still set */
	fx_arg_caps(ev, NULL, rtenf_KprobeArgument_cap_effective_arg_tag, 1ull << 40);
	fx_arg_binprm(ev, "bprm", "/usr/bin/sudo", "O_RDONLY", "-rwsr-xr-x");
	fx_arg_sockaddr(ev, "to", "AF_INET", "1.1.1.1", 65535);
	fx_arg_sockaddr(ev, NULL, NULL, NULL, 0);
	fx_arg_syscall(ev, "id", 41, "i386", "dup");
	fx_arg_syscall(ev, NULL, 0, "x64", NULL); /* zero and unnamed: still set */
	skb = fx_arg_skb(ev, "pkt", "AF_INET6", "IPPROTO_UDP", "::1", 40000, "fd00::1", 53);
	skb->len = 1500;
	skb->priority = 6;
	skb->mark = UINT32_MAX;
	fx_arg_skb(ev, NULL, NULL, NULL, NULL, 0, NULL, 0); /* not IP: nothing but zeros */
}

static void rich_kprobe(rtenf_Event *ev)
{
	rtenf_ProcessKprobe *k = &ev->event.process_kprobe;

	fx_kprobe(ev, rich_process(), "security_file_open", "deny-open", rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE,
		  rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	k->parent = fx_process_init();
	every_argument_kind(ev);
	/* The return value is a submessage held inline by nanopb. */
	k->has_return_arg = true;
	k->return_arg.which_arg = rtenf_KprobeArgument_file_arg_tag;
	k->return_arg.arg.file_arg.path = fx_strdup("/proc/self/fd/3");
	k->return_arg.label = fx_strdup("ret");
	k->return_arg.truncated = true;
	k->message = fx_strdup("denied");
	fx_add_tag(ev, "a");
	fx_add_tag(ev, "b");
	k->signal = 31;
	k->error = 1;
	k->selector = 4;
	k->late = true;
	k->return_value = INT64_MIN;
	k->mechanism = fx_strdup("fentry");
}

static void rich_lsm(rtenf_Event *ev)
{
	rtenf_ProcessLsm *l = &ev->event.process_lsm;
	rtenf_KprobeCred *c;

	fx_lsm(ev, rich_process(), "file_open", "block", rtenf_KprobeAction_KPROBE_ACTION_SIGNAL,
	       rtenf_PolicyMode_POLICY_MODE_AUDIT, false);
	l->parent = fx_process_simple("/bin/bash", "-c x", 1);
	fx_arg_file(ev, "file", "/etc/passwd", "O_RDONLY", "-rw-r--r--");
	c = fx_arg_cred(ev, NULL);
	c->euid = 1000;
	c->has_caps = true;
	c->caps.effective = 1ull << 12;
	l->message = fx_strdup("m");
	fx_add_tag(ev, "t");
	l->signal = 10;
	l->error = 13;
	l->selector = 255;
	l->mechanism = fx_strdup("lsm");
}

static void rich_uprobe(rtenf_Event *ev)
{
	rtenf_ProcessUprobe *u = &ev->event.process_uprobe;

	/* action is field 100 here, after the tags: its number differs from
	 * the other hook messages'. */
	fx_uprobe(ev, rich_process(), "/usr/lib/libc.so.6", "system", "no-system",
		  rtenf_KprobeAction_KPROBE_ACTION_SIGKILL, rtenf_PolicyMode_POLICY_MODE_ENFORCE, true);
	u->parent = fx_process_init();
	fx_arg_string(ev, "cmd", "id");
	fx_arg_sockaddr(ev, NULL, "AF_UNIX", "/run/x.sock", 0);
	u->message = fx_strdup("m");
	fx_add_tag(ev, "t1");
	fx_add_tag(ev, "t2");
	u->selector = 7;
}

/* One of each kind, every field set somewhere, and a kprobe with an empty
 * return and no process. */
static void rich_events(rtenf_Event ev[N_RICH])
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
	rich_kprobe(&ev[4]);
	rich_lsm(&ev[5]);
	rich_uprobe(&ev[6]);
	fx_kprobe(&ev[7], NULL, "f", NULL, rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN, rtenf_PolicyMode_POLICY_MODE_UNSET,
		  false);
	ev[7].event.process_kprobe.has_return_arg = true;
}

static void release_all(rtenf_Event ev[N_RICH])
{
	for (int i = 0; i < N_RICH; i++)
		fx_release(&ev[i]);
}

Test(event_codec, nanopb_to_protobuf_c)
{
	rtenf_Event ev[N_RICH];

	rich_events(ev);
	for (int i = 0; i < N_RICH; i++) {
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

Test(event_codec, protobuf_c_to_nanopb)
{
	rtenf_Event ev[N_RICH];

	rich_events(ev);
	for (int i = 0; i < N_RICH; i++) {
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
	rtenf_Event ev[N_RICH];

	rich_events(ev);
	for (int i = 0; i < N_RICH; i++) {
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
	rtenf_Event ev[N_RICH], back;
	uint8_t *buf;
	size_t len;

	memset(&back, 0xa5, sizeof(back)); /* decoding must not trust old contents */
	cr_assert_eq(event_decode(&back, garbage, sizeof(garbage)), -EPROTO);
	cr_assert_eq(back.which_event, 0);
	cr_assert_null(back.node_name);

	/* Every proper prefix of a real event fails cleanly (valgrind checks
	 * that the half-decoded strings are freed). */
	rich_events(ev);
	for (int i = 2; i < N_RICH; i++) {
		cr_assert_eq(event_encode(&ev[i], &buf, &len), 0);
		for (size_t cut = 1; cut < len; cut += 7) {
			int rc = event_decode(&back, buf, cut);

			if (rc == 0)
				event_release(&back); /* a cut between fields is a valid shorter event */
			else
				cr_assert_eq(rc, -EPROTO);
		}
		free(buf);
	}
	release_all(ev);

	cr_assert_eq(event_decode(&back, NULL, 0), 0, "the empty message is valid");
	cr_assert_eq(back.which_event, 0);
	event_release(&back);
}
