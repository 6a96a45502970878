/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the compiler needs to know about the kernel it compiles for, behind
 * an interface so tests can compile against made-up kernels and `validate`
 * can run without root.
 */
#ifndef RTENF_KERNEL_VIEW_H
#define RTENF_KERNEL_VIEW_H

#include <stdbool.h>

#include <linux/types.h>

#include "feature_probe.h"
#include "rtenf_events.h"
#include "rtenf_hash.h"
#include "tracepoint_format.h"

struct btf;

struct kernel_view {
	/* 0, -ENOENT (no such tracepoint), or -EACCES/-ENODEV (cannot look). */
	int (*tracepoint_format)(const struct kernel_view *kv, const char *subsystem, const char *event,
				 struct tp_format *fmt);
	/* Inode of the host's (pid 1's) namespace; 0, or -errno if unknown. */
	int (*host_ns)(const struct kernel_view *kv, enum rtenf_ns ns, __u32 *inum);
	/* Canonical form of a path on this machine (symlinks resolved), or
	 * NULL; used so "/bin/sh" also matches the file the kernel opens. */
	char *(*canonical_path)(const struct kernel_view *kv, const char *path);
	struct rtenf_hash_key key;
	/* The initial namespaces as the kernel reports them (base sensor), or
	 * NULL to look at /proc/1/ns. */
	const __u32 *host_ns_inums;
	/* Checking without the kernel (rtenf validate): facts that cannot be
	 * learnt are skipped instead of being errors. */
	bool offline;
	/* What the kernel can load; NULL (offline): assume everything, so the
	 * check is about the policy, not the machine. */
	bool (*has)(const struct kernel_view *kv, enum feature f);
	/* The kernel's BTF, NULL if unreadable. */
	const struct btf *btf;
	/* A kernel symbol exists (kallsyms), for functions BTF does not list. */
	bool (*symbol_exists)(const struct kernel_view *kv, const char *sym);
	/* On the error-injection list (bpf_override_return, fmod_ret outside
	 * security_*); -ENOENT when the list cannot be read. */
	int (*error_injectable)(const struct kernel_view *kv, const char *sym);
	/* 0 when path is an ELF file defining sym; -ENOENT (no such symbol),
	 * or -errno for the file. */
	int (*elf_symbol)(const struct kernel_view *kv, const char *path, const char *sym);
	/* Every syscall with tracepoints (names without "sys_"), for
	 * generated_syscalls lists; caller frees.  Functions matching a regex,
	 * from available_filter_functions, for generated_ftrace lists. */
	int (*syscalls)(const struct kernel_view *kv, char ***names, size_t *n);
	int (*ftrace_functions)(const struct kernel_view *kv, const char *regex, char ***names, size_t *n);
	const char *syscall_prefix; /* "__x64_sys_" */
	/* Whether a cgroup v2 path ("/a/b", as /proc/PID/cgroup shows it)
	 * exists: 1 or 0, -ENODEV when no cgroup v2 hierarchy is mounted.
	 * NULL: cannot tell. */
	int (*cgroup_exists)(const struct kernel_view *kv, const char *path);
	void *priv;
};

/* The running kernel: tracefs, /proc/1/ns, realpath(3). */
void kernel_view_init_live(struct kernel_view *kv, const struct rtenf_hash_key *key);

#endif /* RTENF_KERNEL_VIEW_H */
