/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Probe answers of kernels the unit tests cannot boot, as measured by hand
 * on those kernels (the VM matrix checks them for real):
 *   host      hardened 6.18: tracepoints, uprobes, cgroup socket programs;
 *             no kprobes, no BPF trampolines
 *   deb61     Debian 6.1: kprobes, fentry, fmod_ret, BPF LSM; no kprobe.multi,
 *             no bpf_override_return
 *   deb612    Debian 6.12: the same plus kprobe.multi
 *   override  kprobes with error injection but no BPF trampolines (arm64
 *             before 6.0): bpf_override_return is the only way to override,
 *             and only error-injectable functions such as syscalls
 *   no_lsm    Debian 6.1 booted without bpf in lsm=
 *   unpriv    run without root: only BTF is known
 */
#ifndef RTENF_TEST_KERNEL_PROFILES_H
#define RTENF_TEST_KERNEL_PROFILES_H

#include "fake_kernel.h"
#include "feature_probe.h"
#include "probe_format.h"

enum kernel_profile {
	PROFILE_HOST,
	PROFILE_DEB61,
	PROFILE_DEB612,
	PROFILE_OVERRIDE,
	PROFILE_NO_LSM,
	PROFILE_UNPRIV,
};

void profile_states(enum kernel_profile p, enum feature_state out[FEAT_COUNT]);

/* The kernel the mechanism plans compile against: the profile's probe
 * answers, and what the plans' representative hooks find on x86-64
 * Linux 6.x: the sys_enter_getppid tracepoint; __x64_sys_getppid,
 * __x64_sys_connect and security_file_open in kallsyms; the syscalls (not
 * security_*) on the error-injection list; rtenf's uprobe target in every
 * ELF file.  No BTF.  Filled in place: fk points into the struct. */
struct profile_kernel {
	struct fake_kernel fk;
	struct fake_facts facts;
	enum feature_state states[FEAT_COUNT];
};

void profile_kernel(enum kernel_profile p, struct profile_kernel *pk);

/* States, the errors those kernels gave, kernel facts to match, and the
 * plans for that kernel; free with probe_report_free(). */
void profile_report(enum kernel_profile p, struct probe_report *r);

#endif /* RTENF_TEST_KERNEL_PROFILES_H */
