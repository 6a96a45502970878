/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A TracingPolicy as parsed from YAML, before it meets a kernel.  Every node
 * keeps where it came from so the compiler can report
 * "file:line:col: message" for problems it finds later (an argument index
 * that does not exist in this kernel's tracepoint, a value that does not fit
 * the argument's type).  Values stay text until the compiler knows the type
 * they are compared against.
 */
#ifndef RTENF_POLICY_AST_H
#define RTENF_POLICY_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct policy_value {
	char *text;          /* the scalar as written, without quotes */
	struct src_loc loc;
};

struct policy_value_list {
	struct policy_value *v;
	size_t n;
	struct src_loc loc; /* of the "values:" sequence */
};

enum policy_hook_kind {
	POLICY_HOOK_TRACEPOINT,
	POLICY_HOOK_KPROBE,
	POLICY_HOOK_LSM,
	POLICY_HOOK_UPROBE,
};

/* Argument types of spec.*.args[].type.  PARG_UNSUPPORTED is a known
 * Tetragon type rtenf does not handle yet: the parser reports it. */
enum policy_arg_type {
	PARG_AUTO = 0,
	PARG_INT,
	PARG_UINT32,
	PARG_INT32,
	PARG_INT64,
	PARG_UINT64,
	PARG_SIZE_T,
	PARG_STRING,
	PARG_CHAR_BUF,
	PARG_FD,
	/* kernel objects, read through BTF */
	PARG_FILE,          /* struct file *: its path */
	PARG_PATH,          /* struct path *: its path */
	PARG_FILENAME,      /* struct filename *: ->name */
	PARG_LINUX_BINPRM,  /* struct linux_binprm *: the file being executed */
	PARG_SOCK,          /* struct sock * */
	PARG_SOCKADDR,      /* struct sockaddr * */
	PARG_CRED,          /* struct cred * */
	PARG_CAP_INHERITABLE, /* kernel_cap_t */
	PARG_CAP_PERMITTED,
	PARG_CAP_EFFECTIVE,
	PARG_KERNEL_CAP_T,
	/* rtenf's own */
	PARG_EXEC_ARGS,     /* the argv exec just installed: exit of execve, execveat; sched_process_exec */
	/* Tetragon's again, added later */
	PARG_SYSCALL64,     /* a syscall number; bit 31 marks a 32-bit (compat) syscall */
	PARG_SKB,           /* struct sk_buff *: its IP and TCP/UDP headers */
};

struct policy_arg {
	unsigned index;
	enum policy_arg_type type;
	bool has_size_arg_index;
	unsigned size_arg_index;
	bool return_copy;
	char *label;          /* NULL when absent */
	char *resolve;        /* members of the struct the argument points to, or NULL */
	struct src_loc loc;   /* of the mapping */
	struct src_loc type_loc;
	struct src_loc resolve_loc;
};

/* data: a value read from the current task when the hook runs, named by
 * index for matchData.  source is current_task (the only one). */
struct policy_data {
	unsigned index;
	enum policy_arg_type type; /* an integer type or string */
	char *resolve;        /* members from struct task_struct: "cred.uid.val" */
	char *label;          /* NULL when absent */
	struct src_loc loc;
	struct src_loc type_loc;
	struct src_loc resolve_loc;
};

/* Operators of matchArgs / matchPIDs / matchNamespaces / matchBinaries. */
enum policy_op {
	POP_IN = 1,
	POP_NOT_IN,
	POP_EQUAL,
	POP_NOT_EQUAL,
	POP_PREFIX,
	POP_NOT_PREFIX,
	POP_POSTFIX,
	POP_NOT_POSTFIX,
	POP_GT,   /* "GT" or "GreaterThan" */
	POP_LT,   /* "LT" or "LessThan" */
	POP_MASK,
	POP_IN_MAP,       /* integers: values, "min:max" ranges */
	POP_NOT_IN_MAP,
	POP_IN_RANGE,     /* integers: "min:max" ranges */
	POP_NOT_IN_RANGE,
	POP_SUBSTRING,    /* strings */
	POP_SUBSTRING_IGN_CASE,
	POP_FILE_TYPE,    /* file, path, fd, linux_binprm */
	POP_NOT_FILE_TYPE,
	POP_CAPABILITIES_GAINED, /* two capability arguments, named by args */
	/* sock, sockaddr and skb arguments */
	POP_SPORT,
	POP_NOT_SPORT,
	POP_SPORT_PRIV,
	POP_NOT_SPORT_PRIV,
	POP_DPORT,
	POP_NOT_DPORT,
	POP_DPORT_PRIV,
	POP_NOT_DPORT_PRIV,
	POP_SADDR,
	POP_NOT_SADDR,
	POP_DADDR,
	POP_NOT_DADDR,
	POP_PROTOCOL,
	POP_FAMILY,
	POP_STATE,
};

struct policy_match_pids {
	enum policy_op op;    /* In, NotIn */
	bool follow_forks;
	bool is_namespace_pid;
	struct policy_value_list values;
	struct src_loc loc;
	struct src_loc op_loc;
};

enum policy_ns {
	PNS_UTS = 0,
	PNS_IPC,
	PNS_MNT,
	PNS_PID,
	PNS_PID_FOR_CHILDREN,
	PNS_NET,
	PNS_TIME,
	PNS_TIME_FOR_CHILDREN,
	PNS_CGROUP,
	PNS_USER,
}; /* same order as enum rtenf_ns */

struct policy_match_namespaces {
	enum policy_ns ns;
	enum policy_op op;    /* In, NotIn */
	struct policy_value_list values; /* inode numbers or "host_ns" */
	struct src_loc loc;
	struct src_loc op_loc;
};

struct policy_match_binaries {
	enum policy_op op;    /* In, NotIn, Prefix, NotPrefix, Postfix, NotPostfix */
	bool follow_children; /* In, NotIn: descendants of a matching process too */
	struct policy_value_list values;
	struct src_loc loc;
	struct src_loc op_loc;
};

struct policy_match_args {
	unsigned index;
	enum policy_op op;
	struct policy_value_list values;
	unsigned positions[2]; /* args: positions in the hook's args list, used instead of index */
	size_t n_positions;
	struct src_loc loc;
	struct src_loc op_loc;
	struct src_loc index_loc;
	struct src_loc positions_loc;
};

/* matchCapabilities, matchCapabilityChanges. */
enum policy_caps_type {
	PCAPS_PERMITTED = 0, /* the values of RTENF_CAPS_* */
	PCAPS_EFFECTIVE,
	PCAPS_INHERITABLE,
};

struct policy_match_caps {
	enum policy_caps_type type; /* default Effective, as in Tetragon */
	enum policy_op op;          /* In, NotIn */
	bool is_namespace_capability;
	struct policy_value_list values; /* capability names */
	struct src_loc loc;
	struct src_loc op_loc;
};

struct policy_match_ns_changes {
	enum policy_op op;               /* In, NotIn */
	struct policy_value_list values; /* namespace names */
	struct src_loc loc;
	struct src_loc op_loc;
};

enum policy_action_kind {
	PACT_POST = 1,
	PACT_NOPOST,
	PACT_SIGKILL,
	PACT_SIGNAL,
	PACT_OVERRIDE,
};

enum policy_rate_scope {
	PRATE_THREAD = 0, /* Tetragon's default */
	PRATE_PROCESS,
	PRATE_GLOBAL,
};

struct policy_action {
	enum policy_action_kind kind;
	bool has_arg_sig;
	unsigned arg_sig;
	bool has_arg_error;
	int arg_error;
	bool has_rate_limit;         /* Post: rateLimit */
	unsigned rate_limit_ms;      /* 0: no limit */
	enum policy_rate_scope rate_limit_scope;
	struct src_loc rate_limit_loc;
	bool kernel_stack;           /* Post: kernelStackTrace */
	bool user_stack;             /* Post: userStackTrace */
	struct src_loc loc;
};

struct policy_selector {
	struct policy_match_pids *pids;
	size_t n_pids;
	struct policy_match_namespaces *namespaces;
	size_t n_namespaces;
	struct policy_match_binaries *binaries;
	size_t n_binaries;
	struct policy_match_binaries *parent_binaries; /* matchParentBinaries */
	size_t n_parent_binaries;
	struct policy_match_args *args;
	size_t n_args;
	struct policy_action *actions;
	size_t n_actions;
	char *label;          /* NULL when absent; from a macro if the selector has none */
	struct src_loc label_loc;
	struct policy_match_args *return_args; /* matchReturnArgs: index is ignored (there is one return value) */
	size_t n_return_args;
	struct policy_match_caps *caps;        /* matchCapabilities */
	size_t n_caps;
	struct policy_match_caps *cap_changes; /* matchCapabilityChanges */
	size_t n_cap_changes;
	struct policy_match_ns_changes *ns_changes; /* matchNamespaceChanges */
	size_t n_ns_changes;
	struct policy_match_args *data;        /* matchData: index names a data entry */
	size_t n_data;
	struct src_loc loc;
};

struct policy_hook {
	enum policy_hook_kind kind;
	char *subsystem;      /* tracepoints */
	char *event;          /* tracepoints */
	struct src_loc subsystem_loc;
	struct src_loc event_loc;
	bool raw;             /* tracepoints: raw: true */
	char *call;           /* kprobes: function, or "list:NAME" */
	struct src_loc call_loc;
	bool syscall;         /* kprobes: default true, as in Tetragon's CRD */
	bool syscall_set;     /* the policy said syscall: explicitly */
	bool ret;             /* kprobes: return: true */
	bool has_return_arg;
	struct policy_arg return_arg; /* kprobes: returnArg (index unused) */
	char *lsm_hook;       /* lsmhooks: hook name, e.g. "file_open" */
	struct src_loc lsm_hook_loc;
	char *path;           /* uprobes: the binary or library */
	struct src_loc path_loc;
	char **symbols;       /* uprobes */
	struct src_loc *symbol_locs;
	size_t n_symbols;
	struct policy_arg *args;
	size_t n_args;
	struct policy_data *data;
	size_t n_data;
	struct policy_selector *selectors;
	size_t n_selectors;
	char *message;        /* NULL when absent */
	char **tags;
	size_t n_tags;
	struct src_loc loc;
};

enum policy_mode {
	POLICY_MODE_UNSET = 0,
	POLICY_MODE_AUDIT,    /* "audit", or Tetragon's "monitor" */
	POLICY_MODE_ENFORCE,
};

/* spec.lists: named lists of functions for kprobe calls "list:NAME". */
struct policy_list {
	char *name;
	struct src_loc loc;
	char *type;           /* "", "syscalls", "generated_syscalls", "generated_ftrace" */
	struct src_loc type_loc;
	struct policy_value_list values;
	char *pattern;        /* generated_ftrace: a regular expression */
	struct src_loc pattern_loc;
};

/* spec.selectorsMacros: a named selector whose filters and actions
 * selectors pull in with macros: [NAME]. */
struct policy_macro {
	char *name;
	struct src_loc loc;   /* of the name */
	struct policy_selector sel;
};

/* spec.options cgroup-paths and container-ids: the cgroups a policy applies
 * in (it applies everywhere when both are empty).  Paths are as
 * /proc/PID/cgroup shows them ("/a/b"); ids are 12 to 64 lower-case hex
 * digits, a prefix of the full id. */
struct policy_scope {
	struct policy_value *cgroup_paths;
	size_t n_cgroup_paths;
	struct policy_value *container_ids;
	size_t n_container_ids;
};

struct policy {
	char *file;           /* as given to the parser, used in diagnostics */
	char *name;           /* metadata.name */
	struct src_loc name_loc;
	enum policy_mode mode; /* spec.options policy-mode */
	struct src_loc mode_loc;
	struct policy_hook *hooks;
	size_t n_hooks;
	struct policy_list *lists;
	size_t n_lists;
	struct policy_macro *macros;
	size_t n_macros;
	struct policy_scope scope;
	struct src_loc loc;
};

/* Parses one YAML document.  On success returns a policy and leaves diags
 * empty; on failure returns NULL with at least one error in diags.  file is
 * used for locations only. */
struct policy *policy_parse(const char *yaml, size_t len, const char *file, struct diag_list *diags);
struct policy *policy_parse_file(const char *path, struct diag_list *diags);
void policy_free(struct policy *p);

void policy_scope_free(struct policy_scope *s);

const char *policy_op_name(enum policy_op op);
const char *policy_arg_type_name(enum policy_arg_type t);
const char *policy_ns_name(enum policy_ns ns);
const char *policy_action_name(enum policy_action_kind k);
const char *policy_mode_name(enum policy_mode m);

#endif /* RTENF_POLICY_AST_H */
