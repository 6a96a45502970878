/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compiles a parsed TracingPolicy for one kernel into what the loader puts
 * into BPF: per hook a struct rtenf_hook_config (read-only data of the hook's
 * program) and the entries of its two value maps.  The format is documented
 * at the top of policy_compile.c.
 */
#ifndef RTENF_POLICY_COMPILE_H
#define RTENF_POLICY_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "kernel_view.h"
#include "policy.h"
#include "rtenf_policy.h"

/* How to show one emitted argument in events. */
struct compiled_arg_meta {
	enum rtenf_arg_type type;
	enum policy_arg_type policy_type; /* tells the capability sets apart */
	char *label; /* NULL when the policy gave none */
	bool is_data; /* a data entry: events carry it under data, not args */
};

/* How a compiled hook is attached, chosen per hook from what the kernel can
 * do (see compile_kprobe.c for the order of preference). */
enum hook_mechanism {
	MECH_TRACEPOINT,         /* tp_enter (+ tp_exit on sys_exit_*) */
	MECH_RAW_TRACEPOINT,     /* tp_raw */
	MECH_SYSCALL_TRACEPOINT, /* a syscall kprobe through syscalls/sys_enter_* (+ sys_exit_*) */
	MECH_KPROBE,             /* kprobe_enter (+ kprobe_return) */
	MECH_KPROBE_MULTI,       /* kprobe_multi_enter (+ kprobe_return) */
	MECH_KPROBE_OVERRIDE,    /* kprobe_override: bpf_override_return */
	MECH_FENTRY,             /* fentry_enter (+ fexit_deferred) */
	MECH_FEXIT,              /* fexit_return: return: true */
	MECH_FMOD_RET,           /* fmod_ret_enter: Override on security_* or syscalls */
	MECH_LSM,                /* lsm_hook */
	MECH_UPROBE,             /* uprobe_enter */
	MECH_CGROUP_SOCK,        /* sock_* on the cgroup v2 root: Override of connect/bind/sendmsg */
};

const char *hook_mechanism_name(enum hook_mechanism m);

/* Which cgroup socket programs a MECH_CGROUP_SOCK hook needs. */
#define RTENF_SOCK_CONNECT 0x1
#define RTENF_SOCK_BIND    0x2
#define RTENF_SOCK_SENDMSG 0x4

struct compiled_hook {
	enum policy_hook_kind kind;
	enum hook_mechanism mechanism;
	char *subsystem;            /* tracepoints */
	char *event;
	char *exit_event;           /* sys_exit_* to attach for decisions at return, or NULL */
	char *function;             /* kprobes: the kernel symbol; lsmhooks: the hook; uprobes: the symbol */
	char *attach;               /* what the program attaches to (symbol, LSM hook, tracepoint event) */
	char *binary;               /* uprobes: the file */
	unsigned sock_ops;          /* MECH_CGROUP_SOCK: RTENF_SOCK_* */
	bool return_program;        /* also attach the return program (kretprobe, fexit_deferred, tp_exit) */
	struct rtenf_hook_config cfg; /* policy_slot and policy_id are set by the loader */
	struct rtenf_value_key *values;
	__u64 *value_data;          /* the map value of each row of values */
	size_t n_values;
	struct rtenf_prefix_key *prefixes;
	size_t n_prefixes;
	struct rtenf_range_key *ranges;
	size_t n_ranges;
	struct compiled_arg_meta *emitted; /* in the order events carry them */
	size_t n_emitted;
	char *message;
	char **tags;
	size_t n_tags;
	char *selector_labels[RTENF_MAX_SELECTORS]; /* selectors[i].label, NULL when none */
};

/* Where the policy applies (spec.options cgroup-paths, container-ids):
 * resolved to cgroup ids when the policy is loaded, and again whenever a
 * cgroup is made (cgroup_scope.h).  set: the policy is limited to these;
 * every hook then carries RTENF_HOOKCFG_F_CGROUP_SCOPE. */
struct compiled_scope {
	bool set;
	struct src_loc loc;         /* of the first value, for errors at load */
	char **cgroup_paths;
	size_t n_cgroup_paths;
	char **container_ids;
	size_t n_container_ids;
};

struct compiled_policy {
	char *name;
	char *file;
	enum policy_mode mode;      /* POLICY_MODE_UNSET: the policy did not say */
	struct compiled_hook *hooks;
	size_t n_hooks;
	bool kernel_checked;        /* tracepoints were checked against the kernel */
	struct compiled_scope scope;
};

/* Returns NULL with errors in diags, or the compiled policy (warnings may be
 * in diags).  kv supplies the kernel's formats, host namespaces and the hash
 * key; a kv that cannot read tracepoints makes an offline compile that
 * checks everything else (kernel_checked == false). */
struct compiled_policy *policy_compile(const struct policy *p, const struct kernel_view *kv,
				       struct diag_list *diags);
void compiled_policy_free(struct compiled_policy *cp);

/* The LPM key for value bytes s[0..len) in set set_id (exported for tests). */
void prefix_key_make(struct rtenf_prefix_key *k, __u32 set_id, const char *s, size_t len);
/* Adds the integers lo..hi (unsigned order) to range set set_id as the
 * fewest aligned power-of-two blocks (at most 126). */
void range_add(struct compiled_hook *h, __u32 set_id, __u64 lo, __u64 hi);

#endif /* RTENF_POLICY_COMPILE_H */
