// SPDX-License-Identifier: GPL-2.0-only
#include "mechanism.h"

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define NEEDS(f) (1ull << (f))
#define MAX_CANDIDATES 5

struct candidate {
	enum mechanism mech;
	uint64_t needs; /* NEEDS() of every feature it takes */
	bool observe_only;
	const char *title;
	const char *detail;
};

struct hook_class_desc {
	const char *name;
	const char *label;
	struct candidate candidates[MAX_CANDIDATES]; /* best first; MECH_UNKNOWN (0) ends */
	const char *none;
};

/* Shared rows: LSM hooks and overrides prefer the same two mechanisms. */
#define CAND_LSM_HOOK                                                                                    \
	{MECH_LSM, NEEDS(FEAT_LSM), false, "BPF LSM programs", "BPF LSM programs: observe and deny"}
#define CAND_FMOD_RET_HOOK                                                                               \
	{MECH_FMOD_RET, NEEDS(FEAT_FMOD_RET), false, "fmod_ret on security_*",                           \
	 "fmod_ret programs on the matching security_* function: observe and deny"}
#define CAND_KPROBE_OBSERVE                                                                              \
	{MECH_KPROBE, NEEDS(FEAT_KPROBE), true, "kprobes on security_* (observe and signal only)",       \
	 "kprobes on the matching security_* function: observe and signal, cannot deny"}
#define CAND_CGROUP_SOCK                                                                                 \
	{MECH_CGROUP_SOCK, NEEDS(FEAT_CGROUP_SOCK_ADDR), false, "cgroup socket programs",                \
	 "cgroup connect, bind and sendmsg programs on the cgroup v2 root: observe and deny (EPERM)"}
#define CAND_LSM_RETURN                                                                                  \
	{MECH_LSM, NEEDS(FEAT_LSM), false, "BPF LSM return values", "the BPF LSM program returns the error"}
#define CAND_FMOD_RET_RETURN                                                                             \
	{MECH_FMOD_RET, NEEDS(FEAT_FMOD_RET), false, "fmod_ret on security_*",                           \
	 "fmod_ret on the security_* function returns the error"}
#define CAND_OVERRIDE_RETURN                                                                             \
	{MECH_OVERRIDE_RETURN, NEEDS(FEAT_HELPER_OVERRIDE_RETURN) | NEEDS(FEAT_KPROBE), false,          \
	 "bpf_override_return", "bpf_override_return from kprobes, on error-injectable functions only"}

static const struct hook_class_desc classes[HOOK_CLASS_COUNT] = {
	[HOOK_CLASS_TRACEPOINT] = {
		"tracepoint", "tracepoint hooks",
		{{MECH_TRACEPOINT, NEEDS(FEAT_PROG_TRACEPOINT), false, "tracepoint programs",
		  "tracepoint programs on the policy's tracepoints"}},
		"cannot attach: tracepoint programs are refused (needs CONFIG_BPF_EVENTS=y)",
	},
	[HOOK_CLASS_KPROBE_SYSCALL] = {
		"kprobe_syscall", "kprobe hooks on syscalls",
		{
			{MECH_KPROBE_MULTI, NEEDS(FEAT_KPROBE_MULTI), false, "kprobe.multi",
			 "one kprobe.multi link for all of a policy's syscalls"},
			{MECH_KPROBE, NEEDS(FEAT_KPROBE), false, "kprobes", "one kprobe per syscall function"},
			{MECH_FENTRY, NEEDS(FEAT_FENTRY), false, "fentry",
			 "fentry programs on the syscall functions (BPF trampolines)"},
			{MECH_TRACEPOINT, NEEDS(FEAT_PROG_TRACEPOINT), false, "syscall tracepoints",
			 "syscall tracepoints (syscalls/sys_enter_*) in place of kprobes"},
		},
		"cannot attach: no kprobes, BPF trampolines or tracepoint programs",
	},
	[HOOK_CLASS_KPROBE_FUNCTION] = {
		"kprobe_function", "kprobe hooks on other kernel functions",
		{
			{MECH_KPROBE_MULTI, NEEDS(FEAT_KPROBE_MULTI), false, "kprobe.multi",
			 "one kprobe.multi link for all of a policy's functions"},
			{MECH_KPROBE, NEEDS(FEAT_KPROBE), false, "kprobes", "one kprobe per function"},
			{MECH_FENTRY, NEEDS(FEAT_FENTRY), false, "fentry",
			 "fentry programs (BPF trampolines), for functions in BTF"},
		},
		"cannot attach: needs kprobes (CONFIG_KPROBES=y) or BPF trampolines (fentry)",
	},
	[HOOK_CLASS_LSMHOOK] = {
		"lsmhook", "lsmhooks",
		{CAND_LSM_HOOK, CAND_FMOD_RET_HOOK, CAND_KPROBE_OBSERVE},
		"cannot attach: needs BPF LSM (bpf in lsm=), BPF trampolines (fmod_ret) or kprobes",
	},
	[HOOK_CLASS_LSMHOOK_SOCKET] = {
		"lsmhook_socket", "lsmhooks socket_connect/bind/sendmsg",
		{CAND_LSM_HOOK, CAND_FMOD_RET_HOOK, CAND_CGROUP_SOCK, CAND_KPROBE_OBSERVE},
		"cannot attach: needs BPF LSM, BPF trampolines, cgroup socket programs or kprobes",
	},
	[HOOK_CLASS_OVERRIDE] = {
		"override", "Override",
		{CAND_LSM_RETURN, CAND_FMOD_RET_RETURN, CAND_OVERRIDE_RETURN},
		"not available: needs BPF LSM, BPF trampolines (fmod_ret) or bpf_override_return; "
		"Sigkill can stop the process instead",
	},
	[HOOK_CLASS_OVERRIDE_SOCKET] = {
		"override_socket", "Override on connect/bind/sendmsg",
		{CAND_LSM_RETURN, CAND_FMOD_RET_RETURN, CAND_CGROUP_SOCK, CAND_OVERRIDE_RETURN},
		"not available: needs BPF LSM, BPF trampolines, cgroup socket programs or bpf_override_return",
	},
	[HOOK_CLASS_SIGNAL] = {
		"signal", "Sigkill and Signal",
		{{MECH_SEND_SIGNAL, NEEDS(FEAT_HELPER_SEND_SIGNAL), false, "bpf_send_signal",
		  "bpf_send_signal from the hook's program; the process dies before it returns to user space"}},
		"not available: needs bpf_send_signal (Linux 5.3 or later)",
	},
	[HOOK_CLASS_UPROBE] = {
		"uprobe", "uprobe hooks",
		{{MECH_UPROBE, NEEDS(FEAT_UPROBE), false, "uprobes", "uprobes on the binaries' functions"}},
		"cannot attach: needs CONFIG_UPROBE_EVENTS=y",
	},
};

static const char *const mechanism_names[MECH_COUNT] = {
	[MECH_UNKNOWN] = "unknown",
	[MECH_NONE] = "none",
	[MECH_TRACEPOINT] = "tracepoint",
	[MECH_KPROBE_MULTI] = "kprobe.multi",
	[MECH_KPROBE] = "kprobe",
	[MECH_FENTRY] = "fentry",
	[MECH_LSM] = "lsm",
	[MECH_FMOD_RET] = "fmod_ret",
	[MECH_CGROUP_SOCK] = "cgroup_sock_addr",
	[MECH_OVERRIDE_RETURN] = "bpf_override_return",
	[MECH_SEND_SIGNAL] = "bpf_send_signal",
	[MECH_UPROBE] = "uprobe",
};

/* states == NULL: ask the live probes, and only the ones a choice needs. */
static enum feature_state state_of(const enum feature_state *states, enum feature f)
{
	if (states)
		return states[f];
	return feature_has(f) ? FEATURE_YES : FEATURE_NO;
}

/* The worst answer among the features a candidate needs. */
static enum feature_state candidate_state(const struct candidate *cand, const enum feature_state *states)
{
	enum feature_state worst = FEATURE_YES;

	for (int f = 0; f < FEAT_COUNT; f++) {
		enum feature_state s;

		if (!(cand->needs & NEEDS(f)))
			continue;
		s = state_of(states, f);
		if (s == FEATURE_NO)
			return FEATURE_NO;
		if (s == FEATURE_UNKNOWN)
			worst = FEATURE_UNKNOWN;
	}
	return worst;
}

/* Index of the chosen candidate; n_candidates when none fits, -1 when an
 * unknown answer stands in the way of a better candidate. */
static int choose_index(const struct hook_class_desc *d, const enum feature_state *states)
{
	int i;

	for (i = 0; i < MAX_CANDIDATES && d->candidates[i].mech; i++) {
		enum feature_state s = candidate_state(&d->candidates[i], states);

		if (s == FEATURE_YES)
			return i;
		if (s == FEATURE_UNKNOWN)
			return -1;
	}
	return i;
}

static struct mechanism_choice choose(enum hook_class c, const enum feature_state *states)
{
	const struct hook_class_desc *d = &classes[c];
	int i = choose_index(d, states);
	const struct candidate *cand;

	if (i < 0)
		return (struct mechanism_choice){MECH_UNKNOWN, "unknown", "unknown: the feature probes need root", false};
	if (i >= MAX_CANDIDATES || !d->candidates[i].mech)
		return (struct mechanism_choice){MECH_NONE, "nothing", d->none, false};
	cand = &d->candidates[i];
	return (struct mechanism_choice){cand->mech, cand->title, cand->detail, cand->observe_only};
}

struct mechanism_choice mechanism_choose(enum hook_class c, const enum feature_state states[FEAT_COUNT])
{
	return choose(c, states);
}

struct mechanism_choice mechanism_for(enum hook_class c)
{
	return choose(c, NULL);
}

bool mechanism_missed(enum hook_class c, enum feature f, const enum feature_state states[FEAT_COUNT])
{
	const struct hook_class_desc *d = &classes[c];
	int chosen = choose_index(d, states);

	if (chosen < 0 || states[f] != FEATURE_NO)
		return false;
	for (int i = 0; i < chosen && i < MAX_CANDIDATES; i++)
		if (d->candidates[i].needs & NEEDS(f))
			return true;
	return false;
}

const char *hook_class_name(enum hook_class c)
{
	return classes[c].name;
}

const char *hook_class_label(enum hook_class c)
{
	return classes[c].label;
}

const char *mechanism_name(enum mechanism m)
{
	return m < MECH_COUNT ? mechanism_names[m] : "?";
}
