/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiled form of one policy hook, shared by the compiler
 * (userspace/policy_compile.c, which documents the format in full) and the
 * BPF matcher (kernel/selector.bpf.h).
 *
 * A hook instance is one loaded copy of a generic program.  Its
 * struct rtenf_hook_config lives in the program's read-only data, so the
 * verifier sees every field as a constant: loops run exactly as many times as
 * there are filters, and code for filter kinds the policy does not use is
 * dropped before JIT.  Values live in two maps per instance, so the cost of a
 * lookup does not depend on how many values a filter lists:
 *
 *   value_sets  hash  {set_id, 64-bit value}       integers, pids, namespace
 *                     -> 64-bit data                inodes, keyed hashes of
 *                                                  strings and binaries, and
 *                                                  SubString automata
 *   prefix_sets LPM   {set_id (big endian), bytes} string prefixes, and
 *                                                  postfixes as reversed
 *                                                  strings
 *   range_sets  LPM   {set_id, 64-bit value}       integer ranges ("min:max"),
 *                     (both big endian)             each cut into aligned
 *                                                  power-of-two blocks
 */
#ifndef RTENF_POLICY_H
#define RTENF_POLICY_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#include "rtenf_events.h"

#define RTENF_MAX_ARGS         8   /* arguments a hook can read */
#define RTENF_MAX_SELECTORS    32  /* selectors per hook (Tetragon: 5) */
#define RTENF_MAX_FILTERS      128 /* filters per hook, all selectors together */
#define RTENF_MAX_ACTIONS      4   /* actions per selector */
#define RTENF_LPM_STR_MAX      252 /* longest Prefix/Postfix value: LPM keys hold 256 bytes */
#define RTENF_FOLLOW_FORKS_DEPTH 16 /* ancestors checked by matchPIDs followForks */
#define RTENF_RECORD_MAX       256 /* bytes of a tracepoint record arguments may live in */
#define RTENF_SUBSTRING_MAX_BYTES (1 << 20) /* all values of one SubString filter together */

/* How a hook argument is presented and compared. */
enum rtenf_arg_type {
	RTENF_ARG_NONE = 0,
	RTENF_ARG_INT,      /* signed 32-bit */
	RTENF_ARG_UINT32,
	RTENF_ARG_INT64,
	RTENF_ARG_UINT64,
	RTENF_ARG_SIZE_T,
	RTENF_ARG_STRING,   /* NUL-terminated string */
	RTENF_ARG_CHAR_BUF, /* bytes, length in another argument */
	RTENF_ARG_FD,       /* file descriptor number */
	RTENF_ARG_FILE,     /* struct file *: emitted as rtenf_arg_file + path, compared as its path */
	RTENF_ARG_PATH,     /* struct path * */
	RTENF_ARG_FILENAME, /* struct filename * */
	RTENF_ARG_LINUX_BINPRM, /* struct linux_binprm *: its file */
	RTENF_ARG_SOCK,     /* struct sock * */
	RTENF_ARG_SOCKADDR, /* struct sockaddr * */
	RTENF_ARG_CRED,     /* struct cred * */
	RTENF_ARG_CAPS,     /* kernel_cap_t (by value or pointer, see source) */
	RTENF_ARG_EXEC_ARGS, /* the current task's argv (mm->arg_start..arg_end), NULs as spaces */
	RTENF_ARG_SYSCALL64, /* a syscall number; the program sets bit 31 for a 32-bit (compat) task */
	RTENF_ARG_SKB,      /* struct sk_buff *: its IPv4/IPv6 and TCP/UDP headers, compared like a sock */
};

/* Where a hook finds its arguments (struct rtenf_hook_config.arg_origin). */
enum rtenf_arg_origin {
	RTENF_ORIGIN_RECORD = 0, /* tracepoint record: rtenf_arg_desc.offset is a byte offset */
	RTENF_ORIGIN_REGS,       /* kprobe / uprobe pt_regs: offset is the parameter number */
	RTENF_ORIGIN_SYSCALL_REGS, /* kprobe on a syscall wrapper: the user pt_regs it got */
	RTENF_ORIGIN_CTX_ARRAY,  /* fentry, fexit, fmod_ret, lsm, raw_tp: u64 ctx[offset] */
	RTENF_ORIGIN_SYSCALL_CTX, /* fentry/fexit/fmod_ret on a syscall wrapper: ctx[0] is the user pt_regs */
	RTENF_ORIGIN_SOCK_ADDR,  /* cgroup socket-address programs: the address being connected/bound */
};

/* matchReturnArgs filters name this argument index: the hook's return value. */
#define RTENF_ARG_RETVAL 0xff

/* Where the argument's bytes come from. */
enum rtenf_arg_source {
	RTENF_SRC_VALUE = 0,  /* the field itself holds the value */
	RTENF_SRC_USER_PTR,   /* the field is a user-space pointer (syscall args) */
	RTENF_SRC_KERNEL_PTR, /* the field is a kernel pointer */
	RTENF_SRC_DATA_LOC,   /* __data_loc: offset | len << 16 into the record */
	RTENF_SRC_TASK,       /* a hook's data: resolve[] walks from the current task_struct */
};

/* data with source current_task: a path of task_struct members compiled to
 * steps.  Step i adds off[i] to the address, then, if bit i of deref is set,
 * loads the pointer stored there.  The address at the end holds the value
 * (integers: size bytes) or the string's bytes.  Every deref is one
 * bpf_probe_read_kernel, so the walk is bounded by the step count. */
#define RTENF_RESOLVE_MAX_STEPS 8
struct rtenf_resolve {
	__u8 nsteps;
	__u8 deref;  /* bit i: step i loads a pointer */
	__u8 pad[2];
	__u32 off[RTENF_RESOLVE_MAX_STEPS];
};

struct rtenf_arg_desc {
	__u16 offset;   /* of the field in the tracepoint record */
	__u8 size;      /* of the field: 1, 2, 4 or 8 */
	__u8 type;      /* enum rtenf_arg_type */
	__u8 source;    /* enum rtenf_arg_source */
	__u8 is_signed; /* sign-extend the field when widening */
	__u8 size_arg;  /* char_buf: index of the argument holding the length */
	__u8 flags;     /* RTENF_ARGD_F_* */
};
#define RTENF_ARGD_F_EMIT     0x01 /* copy into the event */
#define RTENF_ARGD_F_FILTERED 0x02 /* some filter reads it */
#define RTENF_ARGD_F_VIA_SOCKET 0x04 /* SOCK: the parameter is a struct socket *; read its ->sk */
#define RTENF_ARGD_F_DATA     0x08 /* a data entry (matchData), not an argument */
#define RTENF_ARGD_F_RESOLVE  0x10 /* an argument with resolve: resolve[] walks from the object it points to */

enum rtenf_filter_kind {
	RTENF_FILTER_ALWAYS = 1, /* a selector without match* filters */
	RTENF_FILTER_PID,        /* arg unused */
	RTENF_FILTER_NAMESPACE,  /* arg = enum rtenf_ns */
	RTENF_FILTER_BINARY,     /* arg 0: the executable, 1: the parent's; IN/NOT_IN by keyed hash, (NOT_)PREFIX/POSTFIX by LPM */
	RTENF_FILTER_ARG_INT,    /* arg = argument index, or RTENF_ARG_RETVAL */
	RTENF_FILTER_ARG_STR,    /* arg = argument index: strings, and paths of file-like args */
	RTENF_FILTER_ARG_NET,    /* arg = sock / sockaddr / skb argument; field = enum rtenf_net_field */
	RTENF_FILTER_ARG_FILETYPE, /* arg = file, path, fd or linux_binprm: its inode's S_IFMT bits, IN/NOT_IN */
	RTENF_FILTER_CAPS,         /* arg = RTENF_CAPS_*: the task's set has any of imm (IN) or none (NOT_IN) */
	RTENF_FILTER_CAPS_CHANGE,  /* arg = RTENF_CAPS_*: the set differs from the baseline in imm (IN) or only outside it (NOT_IN) */
	RTENF_FILTER_NS_CHANGE,    /* imm = namespaces (bit per enum rtenf_ns): one of them (IN) or of the others (NOT_IN) changed */
};

/* Which part of a socket or address a network filter compares. */
enum rtenf_net_field {
	RTENF_NET_SPORT = 1,
	RTENF_NET_DPORT,
	RTENF_NET_SADDR,     /* IN/NOT_IN by LPM: set_id for IPv4, set_id + 1 for IPv6 */
	RTENF_NET_DADDR,
	RTENF_NET_FAMILY,
	RTENF_NET_PROTOCOL,
	RTENF_NET_STATE,
};

enum rtenf_filter_op {
	RTENF_FOP_IN = 1,    /* value in set (or == imm) */
	RTENF_FOP_NOT_IN,
	RTENF_FOP_PREFIX,    /* LPM over the string */
	RTENF_FOP_NOT_PREFIX,
	RTENF_FOP_POSTFIX,   /* LPM over the reversed string */
	RTENF_FOP_NOT_POSTFIX,
	RTENF_FOP_GT,        /* signed or unsigned by the argument's type */
	RTENF_FOP_LT,
	RTENF_FOP_MASK,      /* (value & imm) != 0 */
	RTENF_FOP_IN_RANGE,  /* value in one of the ranges of set_id (range_sets) */
	RTENF_FOP_NOT_IN_RANGE,
	RTENF_FOP_SUBSTRING, /* an automaton in set_id (edges), set_id + 1 (failure links); imm 1: "" listed */
	RTENF_FOP_CAPS_GAINED, /* capability arguments: arg (old) lacks a capability argument imm (new) has */
};

#define RTENF_FILTER_F_IMM          0x01 /* one value: compare with imm, no lookup */
#define RTENF_FILTER_F_FOLLOW_FORKS 0x02 /* PID: an ancestor may match */
#define RTENF_FILTER_F_NS_PID       0x04 /* PID: compare the namespace pid */
#define RTENF_FILTER_F_SIGNED       0x08 /* ARG_INT GT/LT, ranges: signed compare */
#define RTENF_FILTER_F_NOCASE       0x10 /* SUBSTRING: ASCII letters compare case-insensitively */
#define RTENF_FILTER_F_NS_CAPS      0x20 /* CAPS, CAPS_CHANGE: only outside the host user namespace (aux) */
#define RTENF_FILTER_F_FOLLOW_CHILDREN 0x40 /* BINARY IN/NOT_IN: descendants too; the follow set's bit is row {set_id + 1, 0} */

struct rtenf_filter {
	__u8 kind;     /* enum rtenf_filter_kind */
	__u8 op;       /* enum rtenf_filter_op */
	__u8 arg;      /* argument index or namespace */
	__u8 flags;    /* RTENF_FILTER_F_* */
	__u8 selector; /* index of the selector this filter belongs to */
	__u8 field;    /* ARG_NET: enum rtenf_net_field */
	__u8 pad[2];
	__u32 set_id;  /* values in value_sets / prefix_sets */
	__u32 aux;     /* CAPS, CAPS_CHANGE with F_NS_CAPS: the host user namespace's inode */
	__u64 imm;     /* the value for F_IMM, GT, LT, MASK */
};

enum rtenf_action_kind {
	RTENF_ACTION_POST = 1,
	RTENF_ACTION_NOPOST,
	RTENF_ACTION_SIGKILL,
	RTENF_ACTION_SIGNAL,
	RTENF_ACTION_OVERRIDE, /* arg: the errno (positive) the operation fails with */
};
#define RTENF_ACTION_BIT(kind) (1u << (kind))

/* A selector with a change filter: when it matches, the process's baseline
 * becomes what it has now, so the same change matches once (as Tetragon). */
#define RTENF_SEL_F_REBASE_CAPS 0x01
#define RTENF_SEL_F_REBASE_NS   0x02
/* Post with kernelStackTrace / userStackTrace: the event carries the stack. */
#define RTENF_SEL_F_KERNEL_STACK 0x04
#define RTENF_SEL_F_USER_STACK   0x08

struct rtenf_action {
	__u8 kind; /* enum rtenf_action_kind */
	__u8 pad[3];
	__u32 arg; /* signal number, errno */
};

struct rtenf_selector_desc {
	__u8 nactions;
	__u8 flags;         /* RTENF_SEL_F_* */
	__u8 rate_scope;    /* RTENF_RATE_* */
	__u8 pad;
	__u32 action_bits;  /* RTENF_ACTION_BIT of every action, for the event */
	__u32 rate_limit_ms; /* Post's rateLimit: 0, none */
	__u32 pad2;
	struct rtenf_action actions[RTENF_MAX_ACTIONS];
};

/* rateLimitScope: whose repeats of an event are held back. */
enum rtenf_rate_scope {
	RTENF_RATE_THREAD = 0,
	RTENF_RATE_PROCESS,
	RTENF_RATE_GLOBAL,
};
#define RTENF_RATE_ARG_BYTES 40 /* bytes of each argument that tell events apart, as Tetragon */

/* Key of the shared rate_limits map: one event kind of one selector. */
struct rtenf_rate_key {
	__u32 policy_id;
	__u16 hook_id;
	__u8 selector;
	__u8 scope;
	__u32 who;       /* tid, tgid or 0 by scope */
	__u32 pad;
	__u64 args_hash; /* of the first RTENF_RATE_ARG_BYTES of each argument */
};

#define RTENF_HOOKCFG_F_DEFER_ON_FAULT 0x01 /* retry at sys_exit when a user string page is not resident */
#define RTENF_HOOKCFG_F_AT_RETURN      0x02 /* evaluate at function return (return: true), args saved at entry */
#define RTENF_HOOKCFG_F_CGROUP_SCOPE   0x04 /* the policy applies in some cgroups only (map cgroup_scopes) */
/* some selector's Post asks for a stack: the programs of every other hook
 * leave the stack path out at load time (a constant the verifier knows) */
#define RTENF_HOOKCFG_F_STACKS         0x08

struct rtenf_hook_config {
	__u32 policy_slot; /* index into policy_state / policy_counters */
	__u32 policy_id;
	__u16 hook_id;
	__u8 op;           /* enum rtenf_op of the records this hook writes */
	__u8 nargs;
	__u8 nselectors;
	__u8 flags;        /* RTENF_HOOKCFG_F_* */
	__u16 nfilters;
	__u16 record_size; /* bytes of the record to read to reach every argument field */
	__u8 arg_origin;   /* enum rtenf_arg_origin */
	__u8 ret_type;     /* enum rtenf_arg_type of the return value (kretprobe, fexit), or NONE */
	__u8 ret_index;    /* fexit/fmod_ret/lsm: ctx index of the return value (= number of params) */
	__u8 pad[3];
	struct rtenf_arg_desc args[RTENF_MAX_ARGS];
	struct rtenf_selector_desc selectors[RTENF_MAX_SELECTORS];
	struct rtenf_filter filters[RTENF_MAX_FILTERS]; /* grouped by selector, in order */
	struct rtenf_resolve resolve[RTENF_MAX_ARGS];    /* args with source RTENF_SRC_TASK */
};

/* Keys of the value maps. */
struct rtenf_value_key {
	__u32 set_id;
	__u32 pad;
	__u64 value;
};

struct rtenf_prefix_key {
	__u32 prefixlen;                      /* bits, set id included */
	__u8 data[4 + RTENF_LPM_STR_MAX];     /* set id (big endian), then bytes */
};

/* A block of integers: the values whose top (prefixlen - 32) bits equal
 * those of value.  Signed values are compared with their sign bit flipped,
 * which orders them as unsigned numbers do. */
struct rtenf_range_key {
	__u32 prefixlen; /* bits, set id included: 32 + 0..64 */
	__u32 set_id;    /* big endian */
	__u64 value;     /* big endian */
};
#define RTENF_RANGE_SIGN_FLIP 0x8000000000000000ULL

/* What the selector language needs to know about a process beyond the
 * process table (map "proc_sel", key tgid; kernel/proc_sel.bpf.h): its
 * credentials and namespaces as they were at exec, to tell when they
 * change; the matchBinaries followChildren sets it belongs to; and its
 * binary's path, as the Prefix and Postfix lookups of matchBinaries need
 * it.  Written at exec, copied at fork, deleted at exit; a process already
 * running when the agent started gets one the first time a hook asks. */
#define RTENF_CAPS_PERMITTED   0
#define RTENF_CAPS_EFFECTIVE   1
#define RTENF_CAPS_INHERITABLE 2
struct rtenf_proc_sel {
	__u64 caps[3];              /* RTENF_CAPS_*: at exec, or at the last change a selector matched */
	__u32 ns[RTENF_NS_COUNT];   /* namespace inodes, likewise */
	__u32 flags;                /* RTENF_PSEL_F_* */
	__u32 pad0;
	__u64 follow;               /* bit n: in follow set n (a matching binary, or one of its ancestors) */
	__u32 bin_len;              /* bytes of the binary's path */
	__u32 pad;
	__u8 bin_head[RTENF_LPM_STR_MAX]; /* its first bytes */
	__u8 bin_rev[RTENF_LPM_STR_MAX];  /* its last bytes, last first */
};
#define RTENF_PSEL_F_EXEC    0x1 /* made at exec (not from a running process) */
#define RTENF_FOLLOW_SETS    64  /* matchBinaries followChildren sets, all policies together */
#define RTENF_FOLLOW_BINARIES 16384 /* binaries in those sets: entries of follow_bins */

_Static_assert(sizeof(struct rtenf_arg_desc) == 8, "arg desc layout");
_Static_assert(sizeof(struct rtenf_filter) == 24, "filter layout");
_Static_assert(sizeof(struct rtenf_action) == 8, "action layout");
_Static_assert(sizeof(struct rtenf_value_key) == 16, "value key layout");
_Static_assert(sizeof(struct rtenf_prefix_key) == 260, "prefix key layout");
_Static_assert(sizeof(struct rtenf_range_key) == 16, "range key layout");
_Static_assert(sizeof(struct rtenf_selector_desc) == 48, "selector layout");
_Static_assert(sizeof(struct rtenf_rate_key) == 24, "rate key layout");
_Static_assert(sizeof(struct rtenf_proc_sel) == 592, "proc_sel layout");
_Static_assert(sizeof(struct rtenf_resolve) == 4 + 4 * RTENF_RESOLVE_MAX_STEPS, "resolve layout");

#endif /* RTENF_POLICY_H */
