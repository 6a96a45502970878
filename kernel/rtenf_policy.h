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
 *                                                  inodes, and keyed hashes
 *                                                  of strings and binaries
 *   prefix_sets LPM   {set_id (big endian), bytes} string prefixes, and
 *                                                  postfixes as reversed
 *                                                  strings
 */
#ifndef RTENF_POLICY_H
#define RTENF_POLICY_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define RTENF_MAX_ARGS         8   /* arguments a hook can read */
#define RTENF_MAX_SELECTORS    32  /* selectors per hook (Tetragon: 5) */
#define RTENF_MAX_FILTERS      128 /* filters per hook, all selectors together */
#define RTENF_MAX_ACTIONS      4   /* actions per selector */
#define RTENF_LPM_STR_MAX      252 /* longest Prefix/Postfix value: LPM keys hold 256 bytes */
#define RTENF_FOLLOW_FORKS_DEPTH 16 /* ancestors checked by matchPIDs followForks */
#define RTENF_RECORD_MAX       256 /* bytes of a tracepoint record arguments may live in */

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

enum rtenf_filter_kind {
	RTENF_FILTER_ALWAYS = 1, /* a selector without match* filters */
	RTENF_FILTER_PID,        /* arg unused */
	RTENF_FILTER_NAMESPACE,  /* arg = enum rtenf_ns */
	RTENF_FILTER_BINARY,     /* executable path, by keyed hash */
	RTENF_FILTER_ARG_INT,    /* arg = argument index, or RTENF_ARG_RETVAL */
	RTENF_FILTER_ARG_STR,    /* arg = argument index: strings, and paths of file-like args */
	RTENF_FILTER_ARG_NET,    /* arg = sock / sockaddr argument; field = enum rtenf_net_field */
	RTENF_FILTER_CAPS,       /* arg = enum rtenf_caps_set; imm = capability mask */
};

/* Which capability set of the current task a CAPS filter reads. */
enum rtenf_caps_set {
	RTENF_CAPS_EFFECTIVE = 0,
	RTENF_CAPS_INHERITABLE,
	RTENF_CAPS_PERMITTED,
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
};

#define RTENF_FILTER_F_IMM          0x01 /* one value: compare with imm, no lookup */
#define RTENF_FILTER_F_FOLLOW_FORKS 0x02 /* PID: an ancestor may match */
#define RTENF_FILTER_F_NS_PID       0x04 /* PID: compare the namespace pid */
#define RTENF_FILTER_F_SIGNED       0x08 /* ARG_INT GT/LT: signed compare */

struct rtenf_filter {
	__u8 kind;     /* enum rtenf_filter_kind */
	__u8 op;       /* enum rtenf_filter_op */
	__u8 arg;      /* argument index or namespace */
	__u8 flags;    /* RTENF_FILTER_F_* */
	__u8 selector; /* index of the selector this filter belongs to */
	__u8 field;    /* ARG_NET: enum rtenf_net_field */
	__u8 pad[2];
	__u32 set_id;  /* values in value_sets / prefix_sets */
	__u32 pad2;
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

struct rtenf_action {
	__u8 kind; /* enum rtenf_action_kind */
	__u8 pad[3];
	__u32 arg; /* signal number, errno */
};

struct rtenf_selector_desc {
	__u8 nactions;
	__u8 pad[3];
	__u32 action_bits; /* RTENF_ACTION_BIT of every action, for the event */
	struct rtenf_action actions[RTENF_MAX_ACTIONS];
};

#define RTENF_HOOKCFG_F_DEFER_ON_FAULT 0x01 /* retry at sys_exit when a user string page is not resident */
#define RTENF_HOOKCFG_F_AT_RETURN      0x02 /* evaluate at function return (return: true), args saved at entry */
#define RTENF_HOOKCFG_F_CGROUP_SCOPE   0x04 /* the policy applies in some cgroups only (map cgroup_scopes) */

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

_Static_assert(sizeof(struct rtenf_arg_desc) == 8, "arg desc layout");
_Static_assert(sizeof(struct rtenf_filter) == 24, "filter layout");
_Static_assert(sizeof(struct rtenf_action) == 8, "action layout");
_Static_assert(sizeof(struct rtenf_value_key) == 16, "value key layout");
_Static_assert(sizeof(struct rtenf_prefix_key) == 260, "prefix key layout");

#endif /* RTENF_POLICY_H */
