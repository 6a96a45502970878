/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Facts about the running kernel that explain the feature probes' answers
 * but are read, not tried: release, BTF, the active LSMs and the lockdown
 * level (securityfs), BPF sysctls, the cgroup v2 mount.  A BPF LSM program
 * cannot attach unless "bpf" is in the active LSM list, and lockdown
 * "confidentiality" forbids kprobes and reading kernel memory, so these are
 * what a user checks first when a probe says no.
 */
#ifndef RTENF_KERNEL_INFO_H
#define RTENF_KERNEL_INFO_H

#include <stdbool.h>
#include <stddef.h>

#define KERNEL_INFO_MAX_LSMS 32

/* -1 in an int field, NULL or "" in a string field: could not be read. */
struct kernel_info {
	char release[65];              /* uname -r */
	bool btf;                      /* /sys/kernel/btf/vmlinux readable */
	bool lsm_known;
	char *lsm[KERNEL_INFO_MAX_LSMS]; /* active LSMs, in order */
	size_t n_lsm;
	char lockdown[32];             /* "none", "integrity", "confidentiality"; "" unknown */
	int bpf_lsm_active;            /* "bpf" in the LSM list: 1, 0, -1 */
	int unprivileged_bpf_disabled; /* kernel.unprivileged_bpf_disabled: 0, 1, 2, -1 */
	int jit_enable;                /* net.core.bpf_jit_enable: 0, 1, 2, -1 */
	char *cgroup2_root;            /* the cgroup v2 mount point, NULL if none */
	bool privileged;               /* this process may load and attach BPF */
	const char *unknown_why;       /* why lsm/lockdown are unknown, or NULL */
};

/* Reads everything; mounts securityfs at /sys/kernel/security when it is
 * missing and this process may (systemd does the same at boot).  Never
 * fails: what cannot be read is left unknown. */
void kernel_info_read(struct kernel_info *ki);
void kernel_info_free(struct kernel_info *ki);

/* Parsers of the securityfs files, for tests. */
/* "lockdown,capability,bpf" -> ki->lsm; false if the text is not a list. */
bool kernel_info_parse_lsm(struct kernel_info *ki, const char *text);
/* "none [integrity] confidentiality" -> "integrity"; false without brackets. */
bool kernel_info_parse_lockdown(const char *text, char *out, size_t out_size);

/* Whether the effective capabilities suffice for BPF probes: CAP_SYS_ADMIN,
 * or CAP_BPF with CAP_PERFMON and CAP_NET_ADMIN, in the initial user
 * namespace. */
bool process_may_probe_bpf(void);

#endif /* RTENF_KERNEL_INFO_H */
