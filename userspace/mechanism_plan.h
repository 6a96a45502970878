/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which mechanism rtenf would use for each kind of hook and action on a
 * kernel, found by asking the policy compiler, not a table of our own: each
 * hook class has a small representative TracingPolicy, compiled against a
 * kernel whose feature probes answered as given.  `rtenf probe` prints the
 * result, so what it tells users is what `rtenf apply` does.
 *
 *   class            representative hook
 *   tracepoint       tracepoint syscalls/sys_enter_getppid
 *   kprobe_syscall   kprobe on sys_getppid, syscall: true
 *   kprobe_function  kprobe on security_file_open with a file argument
 *   lsmhook          lsmhooks file_open with a file argument
 *   lsmhook_socket   lsmhooks socket_connect with a sockaddr argument
 *   override         kprobe on security_file_open, Override argError -1
 *   override_socket  kprobe on sys_connect with a sockaddr argument,
 *                    Override argError -1 (what cgroup programs accept)
 *   signal           the tracepoint above with Sigkill
 *   uprobe           uprobe on a function of rtenf's own executable
 */
#ifndef RTENF_MECHANISM_PLAN_H
#define RTENF_MECHANISM_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "feature_probe.h"
#include "kernel_view.h"
#include "policy_compile.h"

enum hook_class {
	HOOK_CLASS_TRACEPOINT,
	HOOK_CLASS_KPROBE_SYSCALL,
	HOOK_CLASS_KPROBE_FUNCTION,
	HOOK_CLASS_LSMHOOK,
	HOOK_CLASS_LSMHOOK_SOCKET,
	HOOK_CLASS_OVERRIDE,
	HOOK_CLASS_OVERRIDE_SOCKET,
	HOOK_CLASS_SIGNAL,
	HOOK_CLASS_UPROBE,
	HOOK_CLASS_COUNT,
};

enum plan_outcome {
	PLAN_CHOSEN,  /* the compiler accepted the hook and chose a mechanism */
	PLAN_NONE,    /* the compiler refused it: nothing on this kernel can */
	PLAN_UNKNOWN, /* the compiler asked about a feature whose probe did not run (not root) */
};

struct mechanism_plan {
	enum plan_outcome outcome;
	enum hook_mechanism mechanism; /* PLAN_CHOSEN only */
	/* The class is about denying (lsmhooks, Override) but the mechanism
	 * can only observe and signal: a kprobe on security_*. */
	bool observe_only;
	/* How the mechanism serves the class; for PLAN_NONE the compiler's
	 * own error, which names what is missing and what would provide it. */
	char *detail;
	uint64_t asked; /* bit f: the compiler asked whether the kernel has feature f */
};

struct mechanism_plans {
	struct mechanism_plan of[HOOK_CLASS_COUNT];
	/* Bit c of changes[f]: feature f is missing, and with it class c
	 * would get a different mechanism (or one at all). */
	unsigned changes[FEAT_COUNT];
};

/* Compiles class c's representative policy against kv, with kv's has()
 * answered from states (indexed by enum feature; UNKNOWN reads as no and
 * makes the plan unknown if the compiler asks).  kv supplies everything
 * else: tracepoint formats, BTF, kernel symbols, ELF symbols. */
void mechanism_plan_make(struct mechanism_plan *out, enum hook_class c, const struct kernel_view *kv,
			 const enum feature_state states[FEAT_COUNT]);
void mechanism_plan_free(struct mechanism_plan *p);

/* Every class, and for every missing feature the compiler asked about
 * which classes it changes: each is planned again with that feature
 * present.  A feature the compiler never asked about cannot change a plan,
 * so only those are tried. */
void mechanism_plans_make(struct mechanism_plans *out, const struct kernel_view *kv,
			  const enum feature_state states[FEAT_COUNT]);
void mechanism_plans_free(struct mechanism_plans *p);

/* "kprobe.multi", "BPF LSM", "bpf_send_signal", "none", "unknown": the
 * compiler's name for the mechanism (hook_mechanism_name), or for the
 * signal class the helper that carries the action. */
const char *mechanism_plan_name(enum hook_class c, const struct mechanism_plan *p);

/* "kprobe_syscall": the JSON key. */
const char *hook_class_name(enum hook_class c);
/* "kprobe hooks on syscalls": for people. */
const char *hook_class_label(enum hook_class c);

#endif /* RTENF_MECHANISM_PLAN_H */
