// SPDX-License-Identifier: GPL-2.0-only
/* The mechanism plans: what the real compiler chooses for each hook class
 * on each kind of kernel, the fake kernels of kernel_profiles.h standing in
 * for kernels the tests cannot boot. */
#include <string.h>

#include <criterion/criterion.h>

#include "kernel_profiles.h"
#include "mechanism_plan.h"

/* What a class should get: a mechanism, or none when chosen is false. */
struct want {
	bool chosen;
	enum hook_mechanism mech;
	bool observe_only;
};

#define GETS(m)     {true, MECH_##m, false}
#define OBSERVES(m) {true, MECH_##m, true}
#define NOTHING     {false, 0, false}

/*
 * The compiler's choices, a row per class and a column per kernel:
 *   host      no kprobes, no trampolines; tracepoints, uprobes, cgroup
 *   deb61     kprobes, trampolines, BPF LSM; no bpf_override_return
 *   deb612    the same with kprobe.multi
 *   override  kprobes and bpf_override_return only: it fails syscalls,
 *             which are error-injectable, not security_* functions
 *   no_lsm    Debian 6.1 without bpf in lsm=
 * Override prefers bpf_override_return, then fmod_ret, before BPF LSM;
 * an lsmhook without Override takes a kprobe (observe only) before cgroup
 * programs.  The signal class's hook is a tracepoint.  Rows in enum
 * hook_class order: tracepoint, kprobe_syscall, kprobe_function, lsmhook,
 * lsmhook_socket, override, override_socket, signal, uprobe.
 */
static const struct want want[HOOK_CLASS_COUNT][PROFILE_UNPRIV] = {
	/* host                    deb61             deb612              override               no_lsm */
	{GETS(TRACEPOINT),         GETS(TRACEPOINT), GETS(TRACEPOINT),   GETS(TRACEPOINT),      GETS(TRACEPOINT)},
	{GETS(SYSCALL_TRACEPOINT), GETS(KPROBE),     GETS(KPROBE_MULTI), GETS(KPROBE),          GETS(KPROBE)},
	{NOTHING,                  GETS(KPROBE),     GETS(KPROBE_MULTI), GETS(KPROBE),          GETS(KPROBE)},
	{NOTHING,                  GETS(LSM),        GETS(LSM),          OBSERVES(KPROBE),      GETS(FMOD_RET)},
	{GETS(CGROUP_SOCK),        GETS(LSM),        GETS(LSM),          OBSERVES(KPROBE),      GETS(FMOD_RET)},
	{NOTHING,                  GETS(FMOD_RET),   GETS(FMOD_RET),     NOTHING,               GETS(FMOD_RET)},
	{GETS(CGROUP_SOCK),        GETS(FMOD_RET),   GETS(FMOD_RET),     GETS(KPROBE_OVERRIDE), GETS(FMOD_RET)},
	{GETS(TRACEPOINT),         GETS(TRACEPOINT), GETS(TRACEPOINT),   GETS(TRACEPOINT),      GETS(TRACEPOINT)},
	{GETS(UPROBE),             GETS(UPROBE),     GETS(UPROBE),       GETS(UPROBE),          GETS(UPROBE)},
};

static void plan_for(enum kernel_profile p, enum hook_class c, struct mechanism_plan *out)
{
	struct profile_kernel pk;

	profile_kernel(p, &pk);
	mechanism_plan_make(out, c, &pk.fk.kv, pk.states);
}

static void expect(enum kernel_profile p)
{
	for (int c = 0; c < HOOK_CLASS_COUNT; c++) {
		const struct want *w = &want[c][p];
		struct mechanism_plan m;

		plan_for(p, c, &m);
		cr_assert_not_null(m.detail, "%s", hook_class_name(c));
		if (w->chosen) {
			cr_expect_eq(m.outcome, PLAN_CHOSEN, "profile %d, %s: refused: %s", p, hook_class_name(c),
				     m.detail);
			cr_expect(m.outcome != PLAN_CHOSEN || m.mechanism == w->mech,
				  "profile %d, %s: got %s, want %s", p, hook_class_name(c),
				  hook_mechanism_name(m.mechanism), hook_mechanism_name(w->mech));
			cr_expect_eq(m.observe_only, w->observe_only, "profile %d, %s", p, hook_class_name(c));
		} else {
			cr_expect_eq(m.outcome, PLAN_NONE, "profile %d, %s: got %s (%s)", p, hook_class_name(c),
				     mechanism_plan_name(c, &m), m.detail);
		}
		mechanism_plan_free(&m);
	}
}

Test(mechanism_plan, host_tracepoints_uprobes_cgroup_only)
{
	expect(PROFILE_HOST);
}

Test(mechanism_plan, debian_6_1_kprobes_bpf_lsm_and_fmod_ret)
{
	expect(PROFILE_DEB61);
}

Test(mechanism_plan, debian_6_12_prefers_kprobe_multi)
{
	expect(PROFILE_DEB612);
}

Test(mechanism_plan, override_return_without_trampolines)
{
	expect(PROFILE_OVERRIDE);
}

Test(mechanism_plan, without_bpf_in_lsm_list_fmod_ret_stands_in)
{
	expect(PROFILE_NO_LSM);
}

/* The names users see are the compiler's, the signal class's the helper. */
Test(mechanism_plan, names_come_from_the_compiler)
{
	struct mechanism_plan m;

	plan_for(PROFILE_HOST, HOOK_CLASS_KPROBE_SYSCALL, &m);
	cr_assert_str_eq(mechanism_plan_name(HOOK_CLASS_KPROBE_SYSCALL, &m), "syscall tracepoint");
	mechanism_plan_free(&m);
	plan_for(PROFILE_HOST, HOOK_CLASS_OVERRIDE_SOCKET, &m);
	cr_assert_str_eq(mechanism_plan_name(HOOK_CLASS_OVERRIDE_SOCKET, &m), "cgroup socket programs");
	mechanism_plan_free(&m);
	plan_for(PROFILE_HOST, HOOK_CLASS_SIGNAL, &m);
	cr_assert_str_eq(mechanism_plan_name(HOOK_CLASS_SIGNAL, &m), "bpf_send_signal");
	mechanism_plan_free(&m);
	plan_for(PROFILE_HOST, HOOK_CLASS_LSMHOOK, &m);
	cr_assert_str_eq(mechanism_plan_name(HOOK_CLASS_LSMHOOK, &m), "none");
	mechanism_plan_free(&m);
	plan_for(PROFILE_UNPRIV, HOOK_CLASS_LSMHOOK, &m);
	cr_assert_str_eq(mechanism_plan_name(HOOK_CLASS_LSMHOOK, &m), "unknown");
	mechanism_plan_free(&m);
}

/* A refused class shows the compiler's message, which names the fix. */
Test(mechanism_plan, refused_classes_carry_the_compilers_error)
{
	struct profile_kernel pk;
	struct mechanism_plan m;

	plan_for(PROFILE_HOST, HOOK_CLASS_KPROBE_FUNCTION, &m);
	cr_assert_str_eq(m.detail, "cannot hook kernel function security_file_open on this kernel: it needs "
				   "kprobes (CONFIG_KPROBES=y and CONFIG_KPROBE_EVENTS=y) or BPF trampolines "
				   "(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, not blocked by lockdown); only "
				   "syscalls have a tracepoint fallback");
	mechanism_plan_free(&m);

	profile_kernel(PROFILE_HOST, &pk);
	pk.states[FEAT_HELPER_SEND_SIGNAL] = FEATURE_NO;
	mechanism_plan_make(&m, HOOK_CLASS_SIGNAL, &pk.fk.kv, pk.states);
	cr_assert_eq(m.outcome, PLAN_NONE);
	cr_assert_str_eq(m.detail, "Sigkill needs bpf_send_signal, which this kernel lacks (Linux 5.3 or later)");
	mechanism_plan_free(&m);

	pk.states[FEAT_UPROBE] = FEATURE_NO;
	mechanism_plan_make(&m, HOOK_CLASS_UPROBE, &pk.fk.kv, pk.states);
	cr_assert_eq(m.outcome, PLAN_NONE);
	cr_assert_str_eq(m.detail, "uprobes need CONFIG_UPROBE_EVENTS=y");
	mechanism_plan_free(&m);
}

Test(mechanism_plan, unprivileged_answers_unknown_never_none)
{
	for (int c = 0; c < HOOK_CLASS_COUNT; c++) {
		struct mechanism_plan m;

		plan_for(PROFILE_UNPRIV, c, &m);
		cr_expect_eq(m.outcome, PLAN_UNKNOWN, "%s: %s", hook_class_name(c), m.detail);
		mechanism_plan_free(&m);
	}
}

/* Unknown only when the compiler asked about the unknown feature. */
Test(mechanism_plan, unknown_only_where_the_compiler_asked)
{
	struct profile_kernel pk;
	struct mechanism_plan m;

	profile_kernel(PROFILE_DEB61, &pk);
	pk.states[FEAT_KPROBE_MULTI] = FEATURE_UNKNOWN;
	mechanism_plan_make(&m, HOOK_CLASS_KPROBE_SYSCALL, &pk.fk.kv, pk.states);
	cr_assert_eq(m.outcome, PLAN_UNKNOWN);
	cr_assert_str_eq(m.detail, "unknown until run as root: the compiler's choice depends on kprobe_multi");
	mechanism_plan_free(&m);

	/* kprobe.multi wins before fentry is asked about */
	profile_kernel(PROFILE_DEB612, &pk);
	pk.states[FEAT_FENTRY] = FEATURE_UNKNOWN;
	mechanism_plan_make(&m, HOOK_CLASS_KPROBE_SYSCALL, &pk.fk.kv, pk.states);
	cr_assert_eq(m.outcome, PLAN_CHOSEN);
	cr_assert_eq(m.mechanism, MECH_KPROBE_MULTI);
	mechanism_plan_free(&m);
}

Test(mechanism_plan, override_of_a_syscall_needs_kprobes_for_bpf_override_return)
{
	struct profile_kernel pk;
	struct mechanism_plan m;

	profile_kernel(PROFILE_OVERRIDE, &pk);
	pk.states[FEAT_KPROBE] = FEATURE_NO;
	mechanism_plan_make(&m, HOOK_CLASS_OVERRIDE_SOCKET, &pk.fk.kv, pk.states);
	cr_assert_eq(m.outcome, PLAN_CHOSEN);
	cr_assert_eq(m.mechanism, MECH_CGROUP_SOCK, "%s", hook_mechanism_name(m.mechanism));
	mechanism_plan_free(&m);
}

static bool changes(const struct mechanism_plans *p, enum feature f, enum hook_class c)
{
	return p->changes[f] & (1u << c);
}

/* Which missing features matter: the ones whose presence would change the
 * compiler's choice, found by planning again with them present. */
Test(mechanism_plan, changes_name_only_what_would_change_the_choice)
{
	struct profile_kernel pk;
	struct mechanism_plans p;

	profile_kernel(PROFILE_HOST, &pk);
	mechanism_plans_make(&p, &pk.fk.kv, pk.states);
	cr_assert(changes(&p, FEAT_KPROBE, HOOK_CLASS_KPROBE_SYSCALL));
	cr_assert(changes(&p, FEAT_KPROBE, HOOK_CLASS_KPROBE_FUNCTION));
	cr_assert(changes(&p, FEAT_KPROBE, HOOK_CLASS_LSMHOOK));
	/* without Override the compiler takes a kprobe before cgroup programs */
	cr_assert(changes(&p, FEAT_KPROBE, HOOK_CLASS_LSMHOOK_SOCKET));
	/* a kprobe alone cannot override: bpf_override_return is missing too */
	cr_assert_not(changes(&p, FEAT_KPROBE, HOOK_CLASS_OVERRIDE));
	cr_assert_not(changes(&p, FEAT_KPROBE, HOOK_CLASS_UPROBE));
	cr_assert(changes(&p, FEAT_FMOD_RET, HOOK_CLASS_OVERRIDE));
	cr_assert(changes(&p, FEAT_FMOD_RET, HOOK_CLASS_OVERRIDE_SOCKET));
	cr_assert(changes(&p, FEAT_LSM, HOOK_CLASS_LSMHOOK));
	cr_assert(changes(&p, FEAT_LSM, HOOK_CLASS_LSMHOOK_SOCKET));
	/* Override by BPF LSM needs the hook's BTF, which the fake lacks */
	cr_assert_not(changes(&p, FEAT_LSM, HOOK_CLASS_OVERRIDE));
	/* fexit serves return: true only; present features change nothing */
	cr_assert_eq(p.changes[FEAT_FEXIT], 0);
	cr_assert_eq(p.changes[FEAT_PROG_TRACEPOINT], 0);
	cr_assert_eq(p.changes[FEAT_HELPER_OVERRIDE_RETURN], 0);
	mechanism_plans_free(&p);

	profile_kernel(PROFILE_DEB61, &pk);
	mechanism_plans_make(&p, &pk.fk.kv, pk.states);
	cr_assert_eq(p.changes[FEAT_KPROBE_MULTI],
		     (1u << HOOK_CLASS_KPROBE_SYSCALL) | (1u << HOOK_CLASS_KPROBE_FUNCTION));
	/* bpf_override_return would come before fmod_ret for syscalls */
	cr_assert_eq(p.changes[FEAT_HELPER_OVERRIDE_RETURN], 1u << HOOK_CLASS_OVERRIDE_SOCKET);
	mechanism_plans_free(&p);

	profile_kernel(PROFILE_UNPRIV, &pk);
	mechanism_plans_make(&p, &pk.fk.kv, pk.states);
	for (int f = 0; f < FEAT_COUNT; f++)
		cr_expect_eq(p.changes[f], 0, "%s", feature_name(f));
	mechanism_plans_free(&p);
}

Test(mechanism_plan, class_names_are_distinct)
{
	for (int a = 0; a < HOOK_CLASS_COUNT; a++)
		for (int b = a + 1; b < HOOK_CLASS_COUNT; b++) {
			cr_expect_str_neq(hook_class_name(a), hook_class_name(b));
			cr_expect_str_neq(hook_class_label(a), hook_class_label(b));
		}
}
