// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_compile against kernels that lack something: the hook is refused
 * where the policy names it, with the facility that is missing, instead of
 * failing later when the program is loaded.  `rtenf probe` shows these
 * messages too, so they must name what would help.
 */
#include <criterion/criterion.h>

#include "compile_fixture.h"
#include "util.h"

static enum feature_state states[FEAT_COUNT];
static const char *const syscalls[] = {"__x64_sys_openat", NULL};
static const struct fake_facts facts = {.states = states, .symbols = syscalls};

/* The unit kernel, able to do everything but the features listed. */
static void kernel_without(struct fake_kernel *fk, const enum feature *missing, size_t n)
{
	for (int f = 0; f < FEAT_COUNT; f++)
		states[f] = FEATURE_YES;
	for (size_t i = 0; i < n; i++)
		states[missing[i]] = FEATURE_NO;
	unit_kernel(fk);
	fake_kernel_use_facts(fk, &facts);
}

Test(compile_kernel, sigkill_without_bpf_send_signal)
{
	static const enum feature missing[] = {FEAT_HELPER_SEND_SIGNAL};
	struct fake_kernel fk;

	kernel_without(&fk, missing, 1);
	expect_compile_error_with(OPENAT
		"    selectors:\n"
		"    - matchActions:\n"
		"      - action: Sigkill\n",
		&fk, "t.yaml:11:9: Sigkill needs bpf_send_signal, which this kernel lacks (Linux 5.3 or later)");
}

Test(compile_kernel, tracepoint_without_tracepoint_programs)
{
	static const enum feature missing[] = {FEAT_PROG_TRACEPOINT};
	struct fake_kernel fk;

	kernel_without(&fk, missing, 1);
	expect_compile_error_with(OPENAT, &fk,
				  "t.yaml:7:5: this kernel refuses tracepoint programs: tracepoint hooks need "
				  "CONFIG_BPF_EVENTS=y");
}

#define OPENAT_KPROBE                                \
	"apiVersion: cilium.io/v1alpha1\n"           \
	"kind: TracingPolicy\n"                      \
	"metadata:\n"                                \
	"  name: test\n"                             \
	"spec:\n"                                    \
	"  kprobes:\n"                               \
	"  - call: sys_openat\n"                     \
	"    syscall: true\n"

/* The syscall tracepoint is the last resort, and it too needs a program
 * type the kernel may refuse. */
Test(compile_kernel, syscall_kprobe_with_nothing_to_attach)
{
	static const enum feature missing[] = {FEAT_KPROBE_MULTI, FEAT_KPROBE, FEAT_FENTRY, FEAT_PROG_TRACEPOINT};
	struct fake_kernel fk;

	kernel_without(&fk, missing, ARRAY_SIZE(missing));
	expect_compile_error_with(OPENAT_KPROBE, &fk,
				  "t.yaml:7:11: cannot hook syscall openat on this kernel: it needs kprobes "
				  "(CONFIG_KPROBES=y and CONFIG_KPROBE_EVENTS=y), BPF trampolines "
				  "(CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS, not blocked by lockdown) or tracepoint "
				  "programs (CONFIG_BPF_EVENTS=y)");
}

Test(compile_kernel, syscall_kprobe_falls_back_to_the_syscall_tracepoint)
{
	static const enum feature missing[] = {FEAT_KPROBE_MULTI, FEAT_KPROBE, FEAT_FENTRY};
	struct diag_list d = {0};
	struct compiled_policy *cp;
	struct fake_kernel fk;

	kernel_without(&fk, missing, ARRAY_SIZE(missing));
	cp = compile_with(OPENAT_KPROBE, &fk, &d);
	cr_assert_not_null(cp, "%s", diags_dump(&d));
	cr_assert_eq(only_hook(cp)->mechanism, MECH_SYSCALL_TRACEPOINT);
	cr_assert_str_eq(only_hook(cp)->event, "sys_enter_openat");
	compiled_policy_free(cp);
	diag_list_free(&d);
}
