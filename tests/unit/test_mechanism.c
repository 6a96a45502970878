// SPDX-License-Identifier: GPL-2.0-only
/* The mechanism table: which kernel facility carries each hook class on
 * each kind of kernel. */
#include <string.h>

#include <criterion/criterion.h>

#include "kernel_profiles.h"
#include "mechanism.h"

/* Expected mechanism per class, in enum hook_class order. */
static void expect(enum kernel_profile p, const enum mechanism want[HOOK_CLASS_COUNT])
{
	enum feature_state s[FEAT_COUNT];

	profile_states(p, s);
	for (int c = 0; c < HOOK_CLASS_COUNT; c++) {
		struct mechanism_choice m = mechanism_choose(c, s);

		cr_expect_eq(m.mech, want[c], "profile %d, %s: got %s, want %s", p, hook_class_name(c),
			     mechanism_name(m.mech), mechanism_name(want[c]));
		cr_expect_not_null(m.detail);
		cr_expect_not_null(m.title);
	}
}

Test(mechanism, host_tracepoints_uprobes_cgroup_only)
{
	static const enum mechanism want[HOOK_CLASS_COUNT] = {
		[HOOK_CLASS_TRACEPOINT] = MECH_TRACEPOINT,
		[HOOK_CLASS_KPROBE_SYSCALL] = MECH_TRACEPOINT,
		[HOOK_CLASS_KPROBE_FUNCTION] = MECH_NONE,
		[HOOK_CLASS_LSMHOOK] = MECH_NONE,
		[HOOK_CLASS_LSMHOOK_SOCKET] = MECH_CGROUP_SOCK,
		[HOOK_CLASS_OVERRIDE] = MECH_NONE,
		[HOOK_CLASS_OVERRIDE_SOCKET] = MECH_CGROUP_SOCK,
		[HOOK_CLASS_SIGNAL] = MECH_SEND_SIGNAL,
		[HOOK_CLASS_UPROBE] = MECH_UPROBE,
	};

	expect(PROFILE_HOST, want);
}

Test(mechanism, debian_6_1_kprobes_and_bpf_lsm)
{
	static const enum mechanism want[HOOK_CLASS_COUNT] = {
		[HOOK_CLASS_TRACEPOINT] = MECH_TRACEPOINT,
		[HOOK_CLASS_KPROBE_SYSCALL] = MECH_KPROBE,
		[HOOK_CLASS_KPROBE_FUNCTION] = MECH_KPROBE,
		[HOOK_CLASS_LSMHOOK] = MECH_LSM,
		[HOOK_CLASS_LSMHOOK_SOCKET] = MECH_LSM,
		[HOOK_CLASS_OVERRIDE] = MECH_LSM,
		[HOOK_CLASS_OVERRIDE_SOCKET] = MECH_LSM,
		[HOOK_CLASS_SIGNAL] = MECH_SEND_SIGNAL,
		[HOOK_CLASS_UPROBE] = MECH_UPROBE,
	};

	expect(PROFILE_DEB61, want);
}

Test(mechanism, debian_6_12_prefers_kprobe_multi)
{
	static const enum mechanism want[HOOK_CLASS_COUNT] = {
		[HOOK_CLASS_TRACEPOINT] = MECH_TRACEPOINT,
		[HOOK_CLASS_KPROBE_SYSCALL] = MECH_KPROBE_MULTI,
		[HOOK_CLASS_KPROBE_FUNCTION] = MECH_KPROBE_MULTI,
		[HOOK_CLASS_LSMHOOK] = MECH_LSM,
		[HOOK_CLASS_LSMHOOK_SOCKET] = MECH_LSM,
		[HOOK_CLASS_OVERRIDE] = MECH_LSM,
		[HOOK_CLASS_OVERRIDE_SOCKET] = MECH_LSM,
		[HOOK_CLASS_SIGNAL] = MECH_SEND_SIGNAL,
		[HOOK_CLASS_UPROBE] = MECH_UPROBE,
	};

	expect(PROFILE_DEB612, want);
}

Test(mechanism, override_return_without_trampolines)
{
	static const enum mechanism want[HOOK_CLASS_COUNT] = {
		[HOOK_CLASS_TRACEPOINT] = MECH_TRACEPOINT,
		[HOOK_CLASS_KPROBE_SYSCALL] = MECH_KPROBE,
		[HOOK_CLASS_KPROBE_FUNCTION] = MECH_KPROBE,
		[HOOK_CLASS_LSMHOOK] = MECH_KPROBE,
		[HOOK_CLASS_LSMHOOK_SOCKET] = MECH_CGROUP_SOCK,
		[HOOK_CLASS_OVERRIDE] = MECH_OVERRIDE_RETURN,
		[HOOK_CLASS_OVERRIDE_SOCKET] = MECH_CGROUP_SOCK,
		[HOOK_CLASS_SIGNAL] = MECH_SEND_SIGNAL,
		[HOOK_CLASS_UPROBE] = MECH_UPROBE,
	};
	enum feature_state s[FEAT_COUNT];

	expect(PROFILE_OVERRIDE, want);
	profile_states(PROFILE_OVERRIDE, s);
	/* A kprobe on security_* sees the call but cannot deny it. */
	cr_assert(mechanism_choose(HOOK_CLASS_LSMHOOK, s).observe_only);
	cr_assert_not(mechanism_choose(HOOK_CLASS_LSMHOOK_SOCKET, s).observe_only);
	cr_assert_not(mechanism_choose(HOOK_CLASS_OVERRIDE, s).observe_only);
}

Test(mechanism, without_bpf_in_lsm_list_fmod_ret_stands_in)
{
	static const enum mechanism want[HOOK_CLASS_COUNT] = {
		[HOOK_CLASS_TRACEPOINT] = MECH_TRACEPOINT,
		[HOOK_CLASS_KPROBE_SYSCALL] = MECH_KPROBE,
		[HOOK_CLASS_KPROBE_FUNCTION] = MECH_KPROBE,
		[HOOK_CLASS_LSMHOOK] = MECH_FMOD_RET,
		[HOOK_CLASS_LSMHOOK_SOCKET] = MECH_FMOD_RET,
		[HOOK_CLASS_OVERRIDE] = MECH_FMOD_RET,
		[HOOK_CLASS_OVERRIDE_SOCKET] = MECH_FMOD_RET,
		[HOOK_CLASS_SIGNAL] = MECH_SEND_SIGNAL,
		[HOOK_CLASS_UPROBE] = MECH_UPROBE,
	};

	expect(PROFILE_NO_LSM, want);
}

Test(mechanism, unprivileged_answers_unknown_never_none)
{
	enum feature_state s[FEAT_COUNT];

	profile_states(PROFILE_UNPRIV, s);
	for (int c = 0; c < HOOK_CLASS_COUNT; c++)
		cr_expect_eq(mechanism_choose(c, s).mech, MECH_UNKNOWN, "%s", hook_class_name(c));
}

Test(mechanism, unknown_better_candidate_makes_the_choice_unknown)
{
	enum feature_state s[FEAT_COUNT];

	profile_states(PROFILE_DEB61, s);
	s[FEAT_KPROBE_MULTI] = FEATURE_UNKNOWN;
	cr_assert_eq(mechanism_choose(HOOK_CLASS_KPROBE_SYSCALL, s).mech, MECH_UNKNOWN);
	/* An unknown worse than the winner does not matter. */
	profile_states(PROFILE_DEB612, s);
	s[FEAT_FENTRY] = FEATURE_UNKNOWN;
	cr_assert_eq(mechanism_choose(HOOK_CLASS_KPROBE_SYSCALL, s).mech, MECH_KPROBE_MULTI);
}

Test(mechanism, override_return_needs_kprobes_too)
{
	enum feature_state s[FEAT_COUNT];

	profile_states(PROFILE_OVERRIDE, s);
	s[FEAT_KPROBE] = FEATURE_NO;
	cr_assert_eq(mechanism_choose(HOOK_CLASS_OVERRIDE, s).mech, MECH_NONE);
}

Test(mechanism, missed_names_only_what_changed_the_choice)
{
	enum feature_state s[FEAT_COUNT];

	profile_states(PROFILE_HOST, s);
	cr_assert(mechanism_missed(HOOK_CLASS_KPROBE_SYSCALL, FEAT_KPROBE, s));
	cr_assert(mechanism_missed(HOOK_CLASS_KPROBE_FUNCTION, FEAT_KPROBE, s));
	cr_assert(mechanism_missed(HOOK_CLASS_LSMHOOK, FEAT_KPROBE, s));
	cr_assert(mechanism_missed(HOOK_CLASS_OVERRIDE, FEAT_KPROBE, s));
	/* cgroup socket programs rank above kprobes for socket hooks. */
	cr_assert_not(mechanism_missed(HOOK_CLASS_LSMHOOK_SOCKET, FEAT_KPROBE, s));
	cr_assert_not(mechanism_missed(HOOK_CLASS_UPROBE, FEAT_KPROBE, s));
	/* Present features are never missed. */
	cr_assert_not(mechanism_missed(HOOK_CLASS_KPROBE_SYSCALL, FEAT_PROG_TRACEPOINT, s));

	profile_states(PROFILE_DEB61, s);
	cr_assert(mechanism_missed(HOOK_CLASS_KPROBE_SYSCALL, FEAT_KPROBE_MULTI, s));
	/* BPF LSM overrides, so no error injection costs nothing. */
	cr_assert_not(mechanism_missed(HOOK_CLASS_OVERRIDE, FEAT_HELPER_OVERRIDE_RETURN, s));
}

Test(mechanism, names_are_distinct_and_stable)
{
	cr_assert_str_eq(mechanism_name(MECH_KPROBE_MULTI), "kprobe.multi");
	cr_assert_str_eq(mechanism_name(MECH_NONE), "none");
	cr_assert_str_eq(mechanism_name(MECH_UNKNOWN), "unknown");
	for (int a = 0; a < MECH_COUNT; a++)
		for (int b = a + 1; b < MECH_COUNT; b++)
			cr_expect_str_neq(mechanism_name(a), mechanism_name(b));
	for (int a = 0; a < HOOK_CLASS_COUNT; a++)
		for (int b = a + 1; b < HOOK_CLASS_COUNT; b++)
			cr_expect_str_neq(hook_class_name(a), hook_class_name(b));
}
