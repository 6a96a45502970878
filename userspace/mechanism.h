/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which kernel mechanism carries each kind of hook and action on this
 * kernel, decided from the feature probes alone.  Each hook class has an
 * ordered list of candidates, best first; the first whose features are all
 * present wins.  `rtenf probe` prints the choices, and the loader asks the
 * same table so that what users are told is what rtenf does.
 *
 *   class            candidates, best first
 *   tracepoint       tracepoint
 *   kprobe_syscall   kprobe.multi, kprobe, fentry, syscall tracepoints
 *   kprobe_function  kprobe.multi, kprobe, fentry
 *   lsmhook          BPF LSM, fmod_ret on security_*, kprobe on security_*
 *                    (observe and signal only)
 *   lsmhook_socket   BPF LSM, fmod_ret, cgroup socket programs, kprobe
 *   override         BPF LSM return, fmod_ret, bpf_override_return
 *   override_socket  BPF LSM return, fmod_ret, cgroup socket programs,
 *                    bpf_override_return
 *   signal           bpf_send_signal
 *   uprobe           uprobe
 *
 * The _socket classes are lsmhooks socket_connect, socket_bind and
 * socket_sendmsg, and Override on connect, bind and sendmsg: cgroup socket
 * programs can deny those without BPF LSM or trampolines.
 */
#ifndef RTENF_MECHANISM_H
#define RTENF_MECHANISM_H

#include <stdbool.h>

#include "feature_probe.h"

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

enum mechanism {
	MECH_UNKNOWN,        /* a probe it depends on did not run (not root) */
	MECH_NONE,           /* nothing on this kernel can do it */
	MECH_TRACEPOINT,
	MECH_KPROBE_MULTI,
	MECH_KPROBE,
	MECH_FENTRY,
	MECH_LSM,
	MECH_FMOD_RET,
	MECH_CGROUP_SOCK,
	MECH_OVERRIDE_RETURN,
	MECH_SEND_SIGNAL,
	MECH_UPROBE,
	MECH_COUNT,
};

struct mechanism_choice {
	enum mechanism mech;
	/* A few words for sentences: "syscall tracepoints". */
	const char *title;
	/* How the mechanism serves this class ("syscall tracepoints
	 * (syscalls/sys_enter_*)"), or for MECH_NONE why nothing can and
	 * what would help; never NULL. */
	const char *detail;
	/* The hook can observe and signal but not deny: a kprobe on
	 * security_* standing in for an LSM hook. */
	bool observe_only;
};

/* Chooses for one class from the probes' answers, indexed by enum feature.
 * Pure: the same answers always give the same choice. */
struct mechanism_choice mechanism_choose(enum hook_class c, const enum feature_state states[FEAT_COUNT]);

/* Whether feature f is needed by a candidate better than the one chosen:
 * its absence is why class c fell back (or has nothing). */
bool mechanism_missed(enum hook_class c, enum feature f, const enum feature_state states[FEAT_COUNT]);

/* The choice from this kernel's own probes (each runs once): the loader's
 * entry point.  Needs the privileges feature_probe() needs. */
struct mechanism_choice mechanism_for(enum hook_class c);

/* "kprobe_syscall": the JSON key. */
const char *hook_class_name(enum hook_class c);
/* "kprobe hooks on syscalls": for people. */
const char *hook_class_label(enum hook_class c);
/* "kprobe.multi", "bpf_send_signal", "none", "unknown": the JSON value. */
const char *mechanism_name(enum mechanism m);

#endif /* RTENF_MECHANISM_H */
