/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What this kernel can do, found by trying, never guessed from its version:
 * a kernel that lacks a program type refuses it at load time, often with
 * EPERM and an empty verifier log.  Each probe says what it tries and what
 * rtenf uses it for, so `rtenf probe` and the agent's start-up log can tell
 * users why something is off.
 */
#ifndef RTENF_FEATURE_PROBE_H
#define RTENF_FEATURE_PROBE_H

#include <stdbool.h>

enum feature {
	FEAT_BTF,               /* /sys/kernel/btf/vmlinux */
	FEAT_RINGBUF,           /* BPF_MAP_TYPE_RINGBUF */
	FEAT_LPM_TRIE,          /* BPF_MAP_TYPE_LPM_TRIE */
	FEAT_PROG_TRACEPOINT,   /* BPF_PROG_TYPE_TRACEPOINT */
	FEAT_PROG_TP_BTF,       /* BPF_PROG_TYPE_TRACING / BPF_TRACE_RAW_TP */
	FEAT_HELPER_SEND_SIGNAL,
	FEAT_HELPER_TASK_BTF,   /* bpf_get_current_task_btf */
	FEAT_PROG_RAW_TP,       /* BPF_PROG_TYPE_RAW_TRACEPOINT */
	FEAT_KPROBE,            /* a kprobe attached to vfs_read */
	FEAT_KPROBE_MULTI,      /* kprobe.multi (fprobe) */
	FEAT_FENTRY,            /* fentry: BPF trampolines */
	FEAT_FEXIT,
	FEAT_FMOD_RET,          /* fmod_ret on security_file_open */
	FEAT_LSM,               /* BPF LSM program attached (needs bpf in lsm=) */
	FEAT_HELPER_D_PATH,     /* bpf_d_path from a sleepable LSM program */
	FEAT_HELPER_OVERRIDE_RETURN, /* CONFIG_BPF_KPROBE_OVERRIDE */
	FEAT_UPROBE,
	FEAT_CGROUP_SOCK_ADDR,  /* cgroup/connect4 attached to the cgroup v2 root */
	FEAT_CGROUP_TASK_BTF,   /* bpf_get_current_task_btf in cgroup socket programs */
	FEAT_COUNT,
};

struct feature_result {
	bool supported;
	int err;          /* -errno of the attempt when unsupported */
};

const char *feature_name(enum feature f);
/* "load a BPF_PROG_TYPE_TRACEPOINT program" */
const char *feature_attempt(enum feature f);
/* "syscall hooks on every kernel" */
const char *feature_use(enum feature f);

/* What a missing facility needs, for error messages ("CONFIG_KPROBES=y");
 * NULL when there is nothing specific to say. */
const char *feature_remedy(enum feature f);

/* A function of rtenf's own executable for uprobes to attach to: the
 * uprobe probe's target, and the one `rtenf probe` plans a uprobe hook on. */
#define RTENF_UPROBE_TARGET "rtenf_uprobe_probe_target"
void rtenf_uprobe_probe_target(void);

/* Probes once and caches. */
const struct feature_result *feature_probe(enum feature f);
bool feature_has(enum feature f);

/* An answer that may be missing: a probe that needs privileges it does not
 * have would fail with EPERM and wrongly read as "this kernel cannot". */
enum feature_state {
	FEATURE_UNKNOWN,
	FEATURE_NO,
	FEATURE_YES,
};

/* True when the probe loads or attaches a BPF program, which takes root
 * (CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON and CAP_NET_ADMIN). */
bool feature_needs_privilege(enum feature f);

#endif /* RTENF_FEATURE_PROBE_H */
