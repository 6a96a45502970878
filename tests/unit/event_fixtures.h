/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Events for the formatting, filter and codec tests.  Everything is heap
 * allocated the way nanopb's decoder would, so fx_release (pb_release)
 * frees it and valgrind checks the formatters against realistic messages.
 */
#ifndef RTENF_TEST_EVENT_FIXTURES_H
#define RTENF_TEST_EVENT_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events.pb.h"

/* 2026-11-24T10:00:00.123456789Z, the event time of every fixture. */
#define FX_TIME 1795514400123456789ull
#define FX_TIME_JSON "2026-11-24T10:00:00.123456789Z"

/* A process with every field set (see test_event_json.c for its JSON). */
rtenf_Process *fx_process_full(void);
/* pid 1, uid 0, a binary, in_init_tree: few fields, all predictable. */
rtenf_Process *fx_process_init(void);
/* Just a binary, pid and arguments. */
rtenf_Process *fx_process_simple(const char *binary, const char *arguments, uint32_t pid);

void fx_exec(rtenf_Event *ev, rtenf_Process *process, rtenf_Process *parent);
void fx_exit(rtenf_Event *ev, rtenf_Process *process, const char *signal, uint32_t status);
/* A tracepoint of subsys/event by policy, with no arguments yet. */
void fx_tracepoint(rtenf_Event *ev, rtenf_Process *process, const char *subsys, const char *event,
		   const char *policy, rtenf_KprobeAction action, rtenf_PolicyMode mode, bool enforced);
void fx_lost(rtenf_Event *ev, uint64_t count, const char *source);
/* Hook events of the other kinds, with no arguments yet; SIGKILL sets
 * signal 9 as the agent does. */
void fx_kprobe(rtenf_Event *ev, rtenf_Process *process, const char *function, const char *policy,
	       rtenf_KprobeAction action, rtenf_PolicyMode mode, bool enforced);
void fx_lsm(rtenf_Event *ev, rtenf_Process *process, const char *hook, const char *policy, rtenf_KprobeAction action,
	    rtenf_PolicyMode mode, bool enforced);
void fx_uprobe(rtenf_Event *ev, rtenf_Process *process, const char *path, const char *symbol, const char *policy,
	       rtenf_KprobeAction action, rtenf_PolicyMode mode, bool enforced);

/* Appends one argument to a hook event (any kind) and returns it (label
 * may be NULL).  The fx_arg_* helpers fill one kind each; NULL strings stay
 * unset. */
rtenf_KprobeArgument *fx_arg(rtenf_Event *ev, const char *label);
/* One more entry of the hook's data (as fx_arg() for args). */
rtenf_KprobeArgument *fx_data(rtenf_Event *ev, const char *label);
void fx_arg_string(rtenf_Event *ev, const char *label, const char *s);
void fx_arg_size(rtenf_Event *ev, const char *label, uint64_t v);
void fx_arg_bytes(rtenf_Event *ev, const char *label, const void *p, size_t n);
void fx_arg_file(rtenf_Event *ev, const char *label, const char *path, const char *flags, const char *permission);
void fx_arg_path(rtenf_Event *ev, const char *label, const char *mount, const char *path, const char *flags,
		 const char *permission);
void fx_arg_binprm(rtenf_Event *ev, const char *label, const char *path, const char *flags, const char *permission);
/* Returns the sock so a test can set type, state, mark and the rest. */
rtenf_KprobeSock *fx_arg_sock(rtenf_Event *ev, const char *label, const char *family, const char *protocol,
			      const char *saddr, uint32_t sport, const char *daddr, uint32_t dport);
void fx_arg_sockaddr(rtenf_Event *ev, const char *label, const char *family, const char *addr, uint32_t port);
/* Returns the skb so a test can set len, priority and mark. */
rtenf_KprobeSkb *fx_arg_skb(rtenf_Event *ev, const char *label, const char *family, const char *protocol,
			    const char *saddr, uint32_t sport, const char *daddr, uint32_t dport);
/* An all-zero cred for the test to fill in. */
rtenf_KprobeCred *fx_arg_cred(rtenf_Event *ev, const char *label);
/* Appends a frame to the kernel or user stack of a hook event (any kind);
 * NULL strings stay unset. */
void fx_stack_frame(rtenf_Event *ev, bool kernel, uint64_t address, uint64_t offset, const char *symbol,
		    const char *module);
/* Sets the event's stack_trace_error. */
void fx_stack_error(rtenf_Event *ev, const char *note);
/* which: one of the rtenf_KprobeArgument_*cap*_arg_tag values. */
void fx_arg_caps(rtenf_Event *ev, const char *label, pb_size_t which, uint64_t mask);
/* A syscall64 argument; name NULL when the number has none. */
void fx_arg_syscall(rtenf_Event *ev, const char *label, uint32_t id, const char *abi, const char *name);
/* Appends a tag to a hook event (any kind). */
void fx_add_tag(rtenf_Event *ev, const char *tag);

char *fx_strdup(const char *s); /* NULL stays NULL */
void fx_release(rtenf_Event *ev);

#endif /* RTENF_TEST_EVENT_FIXTURES_H */
