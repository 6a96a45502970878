/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernels for the fuzzers to compile against, without root or tracefs:
 * the record layouts of a few tracepoints as Linux 6.18 has them, any other
 * syscalls/sys_enter_X or sys_exit_X as a generic syscall record, a short
 * syscall and function list for spec.lists, and one of two feature sets:
 *
 *   FUZZ_HOST     tracepoints, uprobes and cgroup socket programs only
 *                 (this project's hardened host: no kprobes, no trampolines)
 *   FUZZ_OFFLINE  what `rtenf validate` compiles against: every feature
 *                 assumed, no BTF, facts that cannot be learnt skipped
 */
#ifndef RTENF_FUZZ_KERNEL_H
#define RTENF_FUZZ_KERNEL_H

#include "fake_kernel.h"

enum fuzz_profile {
	FUZZ_HOST,
	FUZZ_OFFLINE,
};

struct fuzz_kernel {
	struct fake_kernel fk;
	enum fuzz_profile profile;
};

void fuzz_kernel_init(struct fuzz_kernel *k, enum fuzz_profile profile);

/* Quiets the agent's log: the fuzzers only want sanitizer reports. */
void fuzz_quiet(void);

#endif /* RTENF_FUZZ_KERNEL_H */
