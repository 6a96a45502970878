/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the compiler's files: one hook being compiled, and the pieces
 * each hook family uses. */
#ifndef RTENF_COMPILE_INTERNAL_H
#define RTENF_COMPILE_INTERNAL_H

#include "btf_func.h"
#include "policy_compile.h"
#include "tracepoint_format.h"

struct hook_compiler {
	const struct policy *p;
	const struct policy_hook *h;
	const struct kernel_view *kv;
	struct diag_list *diags;
	struct compiled_hook *out;
	__u32 next_set_id;
	struct tp_format fmt;       /* tracepoints, syscalls */
	bool have_fmt;
	struct btf_proto proto;     /* kernel functions, LSM hooks, raw tracepoints */
	bool have_proto;
	const char *function;       /* kprobes: this hook's function (a list expands to several) */
	bool syscall;
	int data_base;              /* cfg.args slot of the first data entry */
};

#define ERR(hc, loc, ...) diag_error((hc)->diags, (hc)->p->file, (loc), __VA_ARGS__)
/* An error only because the running kernel lacks a facility the hook needs. */
#define ERR_KERNEL(hc, loc, ...)                                                                                       \
	do {                                                                                                           \
		ERR(hc, loc, __VA_ARGS__);                                                                             \
		diag_mark_kernel_lacks((hc)->diags);                                                                   \
	} while (0)

/* policy_compile.c */
/* Whether the kernel can load f; always true offline (kv->has == NULL),
 * where the policy is judged, not the machine. */
bool kv_has(const struct hook_compiler *hc, enum feature f);
/* What provides a missing f, for messages: "CONFIG_KPROBES=y ...". */
const char *remedy_of(enum feature f);

/* compile_scope.c: the policy's cgroup scope; marks every hook of cp. */
void compile_scope(const struct policy *p, const struct kernel_view *kv, struct diag_list *diags,
		   struct compiled_policy *cp);
void compiled_scope_free(struct compiled_scope *s);

/* compile_selectors.c */
void compile_selectors(struct hook_compiler *hc);
void add_value(struct compiled_hook *out, __u32 set_id, __u64 v);
/* A value_sets row whose map value is data (add_value(): 1). */
void add_value_data(struct compiled_hook *out, __u32 set_id, __u64 v, __u64 data);
bool is_string_type(enum rtenf_arg_type t);  /* compared as text: strings, buffers, paths */
bool is_net_type(enum rtenf_arg_type t);
bool is_int_type(enum rtenf_arg_type t);
bool is_signed_type(enum rtenf_arg_type t);
const char *rtenf_arg_type_name(enum rtenf_arg_type t);
enum rtenf_arg_type map_arg_type(enum policy_arg_type t);
bool hook_has_action(const struct policy_hook *h, enum policy_action_kind k);
/* "CAP_SYS_ADMIN" (any case) as its bit in a capability set. */
bool capability_value(const char *s, __u64 *out);
/* Index into cfg.args of the arg a matchArgs index names, or -1. */
int resolve_arg(const struct policy_hook *h, unsigned index);

/* compile_data.c: the hook's data entries, after its arguments */
void compile_task_data(struct hook_compiler *hc);
/* An argument with resolve into cfg.args[slot]; false if refused (said). */
bool compile_arg_resolve(struct hook_compiler *hc, const struct policy_arg *pa, unsigned slot);
/* Index into cfg.args of the data entry a matchData index names, or -1. */
int resolve_data(const struct hook_compiler *hc, unsigned index);

/* compile_substring.c: SubString / SubStringIgnCase values of f */
void compile_substring(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m,
		       bool nocase);

/* compile_tracepoint.c */
void compile_tracepoint(struct hook_compiler *hc);
/* Arguments of a syscall kprobe read from syscalls/sys_enter_NAME's record. */
void compile_syscall_record_args(struct hook_compiler *hc, const char *name);
void finish_record_args(struct hook_compiler *hc);
bool plan_late_decisions(struct hook_compiler *hc);
void record_emitted_args(struct hook_compiler *hc);

/* compile_kprobe.c */
void compile_kprobe(struct hook_compiler *hc);
void compile_lsm(struct hook_compiler *hc);
void compile_uprobe(struct hook_compiler *hc);

#endif /* RTENF_COMPILE_INTERNAL_H */
