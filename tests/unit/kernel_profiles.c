// SPDX-License-Identifier: GPL-2.0-only
#include "kernel_profiles.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

/* Every kernel rtenf supports has these. */
static const enum feature base[] = {
	FEAT_BTF, FEAT_RINGBUF, FEAT_LPM_TRIE, FEAT_PROG_TRACEPOINT, FEAT_PROG_TP_BTF,
	FEAT_HELPER_SEND_SIGNAL, FEAT_HELPER_TASK_BTF, FEAT_PROG_RAW_TP, FEAT_UPROBE,
	FEAT_CGROUP_SOCK_ADDR, FEAT_CGROUP_TASK_BTF,
};
static const enum feature trampolines[] = {FEAT_FENTRY, FEAT_FEXIT, FEAT_FMOD_RET};
static const enum feature bpf_lsm[] = {FEAT_LSM, FEAT_HELPER_D_PATH};

static void set(enum feature_state out[FEAT_COUNT], const enum feature *fs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[fs[i]] = FEATURE_YES;
}

void profile_states(enum kernel_profile p, enum feature_state out[FEAT_COUNT])
{
	for (int f = 0; f < FEAT_COUNT; f++)
		out[f] = p == PROFILE_UNPRIV ? FEATURE_UNKNOWN : FEATURE_NO;
	if (p == PROFILE_UNPRIV) {
		out[FEAT_BTF] = FEATURE_YES;
		return;
	}
	set(out, base, ARRAY_SIZE(base));
	switch (p) {
	case PROFILE_DEB612:
		out[FEAT_KPROBE_MULTI] = FEATURE_YES;
		/* fallthrough */
	case PROFILE_DEB61:
		set(out, bpf_lsm, ARRAY_SIZE(bpf_lsm));
		/* fallthrough */
	case PROFILE_NO_LSM:
		out[FEAT_KPROBE] = FEATURE_YES;
		set(out, trampolines, ARRAY_SIZE(trampolines));
		break;
	case PROFILE_OVERRIDE:
		out[FEAT_KPROBE] = FEATURE_YES;
		out[FEAT_HELPER_OVERRIDE_RETURN] = FEATURE_YES;
		break;
	case PROFILE_HOST:
	case PROFILE_UNPRIV:
		break;
	}
}

static const char getppid_format[] =
	"name: sys_enter_getppid\n"
	"ID: 305\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"\"\n";

static const struct fake_tracepoint plan_tracepoints[] = {
	{"syscalls", "sys_enter_getppid", getppid_format},
};
static const char *const plan_symbols[] = {"__x64_sys_getppid", "__x64_sys_connect", "security_file_open", NULL};
static const char *const plan_injectable[] = {"__x64_sys_getppid", "__x64_sys_connect", NULL};
static const char *const plan_elf_functions[] = {RTENF_UPROBE_TARGET, NULL};

void profile_kernel(enum kernel_profile p, struct profile_kernel *pk)
{
	profile_states(p, pk->states);
	pk->facts = (struct fake_facts){
		.states = pk->states,
		.symbols = plan_symbols,
		.injectable = plan_injectable,
		.elf_functions = plan_elf_functions,
	};
	fake_kernel_init(&pk->fk, plan_tracepoints, ARRAY_SIZE(plan_tracepoints));
	fake_kernel_use_facts(&pk->fk, &pk->facts);
}

/* The errno each refused probe gave on the host. */
static int host_error(enum feature f)
{
	switch (f) {
	case FEAT_KPROBE:
		return -ENOENT;
	case FEAT_KPROBE_MULTI:
		return -EOPNOTSUPP;
	case FEAT_HELPER_OVERRIDE_RETURN:
		return -EINVAL;
	default:
		return -EPERM;
	}
}

void profile_report(enum kernel_profile p, struct probe_report *r)
{
	struct kernel_info *k = &r->kernel;
	bool lsm = p == PROFILE_HOST || p == PROFILE_DEB61 || p == PROFILE_DEB612;
	struct profile_kernel pk;

	memset(r, 0, sizeof(*r));
	profile_states(p, r->state);
	for (int f = 0; f < FEAT_COUNT; f++)
		if (r->state[f] == FEATURE_NO)
			r->err[f] = host_error(f);
	profile_kernel(p, &pk);
	mechanism_plans_make(&r->plans, &pk.fk.kv, r->state);
	snprintf(k->release, sizeof(k->release), "%s",
		 p == PROFILE_HOST ? "6.18.0-test" : p == PROFILE_DEB612 ? "6.12.0-test" : "6.1.0-test");
	k->btf = true;
	k->privileged = p != PROFILE_UNPRIV;
	k->unprivileged_bpf_disabled = 2;
	k->jit_enable = 1;
	k->cgroup2_root = xstrdup("/sys/fs/cgroup");
	if (p == PROFILE_UNPRIV) {
		k->bpf_lsm_active = -1;
		k->unknown_why = "securityfs is not mounted; run as root to mount it";
		return;
	}
	kernel_info_parse_lsm(k, lsm ? "lockdown,capability,landlock,bpf" : "lockdown,capability,apparmor");
	snprintf(k->lockdown, sizeof(k->lockdown), "%s", p == PROFILE_HOST ? "integrity" : "none");
}
