/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Records the kernel writes into the ring buffer, and the per-process and
 * per-policy state both sides share.  Included by BPF programs (after
 * vmlinux.h) and by user space (after <linux/types.h>), so it holds only
 * __uNN types and constants.  Op codes are part of the wire format: never
 * renumber or reuse one.
 */
#ifndef RTENF_EVENTS_H
#define RTENF_EVENTS_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Sizes of captured strings, including the terminating NUL. */
#define RTENF_PATH_MAX      4096 /* PATH_MAX: exe paths, cwd, string args */
#define RTENF_EXEC_ARGS_MAX 1024 /* argv bytes kept per exec */
#define RTENF_MAX_POLICIES  1024 /* live policy slots */
#define RTENF_NODE_NAME_MAX 64

enum rtenf_op {
	RTENF_OP_EXEC       = 1,
	RTENF_OP_EXIT       = 2,
	RTENF_OP_CLONE      = 3,
	RTENF_OP_TRACEPOINT = 4,
	RTENF_OP_KPROBE     = 5,
	RTENF_OP_LSM        = 6,
	RTENF_OP_UPROBE     = 7,
	RTENF_OP_CGROUP_SOCK = 8,
	RTENF_OP_CGROUP_MKDIR = 9,
	RTENF_OP_CGROUP_RMDIR = 10,
};

/* Every record starts with this header. */
struct rtenf_msg_header {
	__u8 op;     /* enum rtenf_op */
	__u8 flags;  /* per-op flags, see below */
	__u16 pad;
	__u32 size;  /* whole record, header included */
	__u64 ktime; /* bpf_ktime_get_boot_ns() when the record was made */
};

/* Who did it: present in every record right after the header. */
struct rtenf_msg_task {
	__u32 tgid;
	__u32 tid;
	__u64 exec_id;   /* boot-time ns of the exec/clone that made this process; 0 if unknown */
	__u64 cgroup_id; /* cgroup v2 id */
	__u32 uid;
	__u32 euid;
};

/* Namespaces in the order of the selector language's Namespace names. */
enum rtenf_ns {
	RTENF_NS_UTS = 0,
	RTENF_NS_IPC,
	RTENF_NS_MNT,
	RTENF_NS_PID,
	RTENF_NS_PID_FOR_CHILDREN,
	RTENF_NS_NET,
	RTENF_NS_TIME,
	RTENF_NS_TIME_FOR_CHILDREN,
	RTENF_NS_CGROUP,
	RTENF_NS_USER,
	RTENF_NS_COUNT,
};

/* Exec record flags. */
#define RTENF_EXEC_F_PATH_TRUNCATED 0x01
#define RTENF_EXEC_F_ARGS_TRUNCATED 0x02
#define RTENF_EXEC_F_CWD_TRUNCATED  0x04
#define RTENF_EXEC_F_PROCFS         0x08 /* made by the agent from /proc, not by an exec */
#define RTENF_EXEC_F_CLONE          0x10 /* the process was forked and had not exec'd since */

/* RTENF_OP_EXEC: followed by path_len bytes of the resolved executable path,
 * args_len bytes of NUL-separated arguments (argv[0] excluded) and cwd_len
 * bytes of the working directory; no terminating NULs. */
struct rtenf_msg_exec {
	struct rtenf_msg_header hdr;
	struct rtenf_msg_task task;
	__u64 parent_exec_id;
	__u32 ppid;
	__u32 gid;
	__u32 egid;
	__u32 auid;
	__u64 cap_permitted;
	__u64 cap_effective;
	__u64 cap_inheritable;
	__u32 ns[RTENF_NS_COUNT];
	__u32 ns_pid; /* pid in its own pid namespace */
	__u16 path_len;
	__u16 args_len;
	__u16 cwd_len;
	__u16 pad;
};

/* RTENF_OP_CLONE: a new process (not a thread) that has not exec'd yet.
 * Its namespaces may differ from its parent's (clone with CLONE_NEW*, or a
 * parent that unshared a PID namespace for its children). */
struct rtenf_msg_clone {
	struct rtenf_msg_header hdr;
	struct rtenf_msg_task task; /* the child */
	__u64 parent_exec_id;
	__u32 ppid;
	__u32 ns_pid;
	__u32 ns[RTENF_NS_COUNT];
};

/* RTENF_OP_EXIT: the last thread of a process left.  code is the wait
 * status: (status << 8) for exit(), the signal number for a kill. */
struct rtenf_msg_exit {
	struct rtenf_msg_header hdr;
	struct rtenf_msg_task task;
	__u32 code;
	__u32 pad;
};

/* RTENF_OP_CGROUP_MKDIR / _RMDIR: a cgroup of the cgroup v2 hierarchy was
 * made or removed.  Followed by path_len bytes of its path as
 * /proc/PID/cgroup shows it ("/a/b"), no NUL.  The agent keeps a table of
 * cgroups from these (and a scan at start) to name the container of a
 * process and to extend container-scoped policies to new cgroups. */
#define RTENF_CGROUP_PATH_MAX 1024 /* the kernel's own limit for this tracepoint */
struct rtenf_msg_cgroup {
	struct rtenf_msg_header hdr;
	__u64 id;        /* what bpf_get_current_cgroup_id() returns inside it */
	__u64 parent_id;
	__u32 level;     /* 0 for the root */
	__u32 path_len;
};

/* Hook record flags (hdr.flags). */
#define RTENF_HOOK_F_ENFORCED  0x01 /* the action was applied (enforce mode and it worked) */
#define RTENF_HOOK_F_AUDIT     0x02 /* policy was in audit mode: action recorded, not applied */
#define RTENF_HOOK_F_LATE      0x04 /* evaluated at syscall exit: a string page was not resident at entry */
#define RTENF_HOOK_F_TRUNCATED 0x08 /* some argument did not fit */
#define RTENF_HOOK_F_ACTION_FAILED 0x10 /* enforce mode but the helper failed */
#define RTENF_HOOK_F_STACKS    0x20 /* stack sections follow the arguments */

/* RTENF_OP_TRACEPOINT / _KPROBE / _LSM / _UPROBE: followed by nargs
 * arguments, each a struct rtenf_msg_arg and len bytes of data. */
struct rtenf_msg_hook {
	struct rtenf_msg_header hdr;
	struct rtenf_msg_task task;
	__u32 policy_id;   /* agent-unique, never reused while the agent runs */
	__u16 hook_id;     /* index of the hook in the policy */
	__u8 selector;     /* index of the selector that matched */
	__u8 nargs;
	__u32 actions;     /* RTENF_ACTION_BIT() of every action of that selector */
	__u32 action_arg;  /* signal number or errno of the enforcing action */
	__s64 retval;      /* syscall return value for late (exit) evaluation, else 0 */
};

struct rtenf_msg_arg {
	__u8 type;  /* enum rtenf_arg_type */
	__u8 flags; /* RTENF_ARG_F_TRUNCATED, RTENF_ARG_F_UNREADABLE */
	__u16 len;  /* bytes of data that follow */
};
#define RTENF_ARG_F_TRUNCATED  0x01
#define RTENF_ARG_F_UNREADABLE 0x02

/* With RTENF_HOOK_F_STACKS, after the arguments: one section per stack the
 * selector asked for (kernelStackTrace, userStackTrace), each this header
 * and RTENF_STACK_MAX_FRAMES 8-byte slots of which the first nframes hold
 * return addresses, innermost first (a fixed length keeps the kernel's
 * offsets easy to verify).  A stack that filled every slot is flagged, as
 * deeper frames (if any) were dropped. */
#define RTENF_STACK_MAX_FRAMES 64
#define RTENF_STACK_SECTION    (8 + RTENF_STACK_MAX_FRAMES * 8) /* header and slots */
enum rtenf_stack_kind {
	RTENF_STACK_KERNEL = 1,
	RTENF_STACK_USER   = 2,
};
struct rtenf_msg_stack {
	__u8 kind;     /* enum rtenf_stack_kind */
	__u8 flags;    /* RTENF_STACK_F_* */
	__u16 nframes;
	__u32 pad;
};
#define RTENF_STACK_F_FULL   0x01 /* every frame slot used: the stack may be deeper */
#define RTENF_STACK_F_FAILED 0x02 /* bpf_get_stack() failed: no frames */

/* Data of arguments that are not plain integers or strings (after the
 * struct rtenf_msg_arg header).  FILE, PATH, FILENAME, LINUX_BINPRM: a
 * struct rtenf_arg_file, then the path bytes. */
struct rtenf_arg_file {
	__u32 mode;  /* inode mode (type and permission bits); 0 if unknown */
	__u32 flags; /* file f_flags (O_*); 0 if not a struct file */
};

/* SOCK: a socket as the kernel sees it.  Addresses are IPv4 in the first 4
 * bytes or IPv6 in all 16; ports in host order. */
struct rtenf_arg_sock {
	__u16 family;
	__u16 type;
	__u16 protocol;
	__u8 state;
	__u8 pad;
	__u16 sport;
	__u16 dport;
	__u32 mark;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* SOCKADDR: a struct sockaddr_in / sockaddr_in6 (port in host order). */
struct rtenf_arg_sockaddr {
	__u16 family;
	__u16 port;
	__u8 addr[16];
};

/* SKB: a packet, from its network and transport headers (addresses as in
 * rtenf_arg_sock; ports in host order, 0 unless TCP or UDP), and from the
 * sk_buff itself (len, priority, mark). */
struct rtenf_arg_skb {
	__u16 family;
	__u16 protocol;
	__u16 sport;
	__u16 dport;
	__u32 len;
	__u32 priority;
	__u32 mark;
	__u32 pad;
	__u8 saddr[16];
	__u8 daddr[16];
};

/* CRED: a struct cred. */
struct rtenf_arg_cred {
	__u32 uid, gid, suid, sgid, euid, egid, fsuid, fsgid;
	__u64 cap_permitted;
	__u64 cap_effective;
	__u64 cap_inheritable;
	__u32 user_ns;
	__u32 securebits;
};

/* The BPF process table (map "processes", key tgid).  Filled by the exec,
 * clone and exit programs, and by the agent from /proc at start. */
struct rtenf_process {
	__u64 exec_id;
	__u64 parent_exec_id;
	__u64 bin_hash; /* rtenf_hash() of the resolved executable path */
	__u32 ppid;
	__u32 flags;    /* RTENF_PROC_F_* */
};
#define RTENF_PROC_F_PROCFS 0x01 /* entered by the agent from /proc */
#define RTENF_PROC_F_CLONED 0x02 /* forked, no exec since */

/* Per-policy state (map "policy_state", index = policy slot).  Switching
 * mode is one map write: programs read it on every match. */
enum rtenf_mode {
	RTENF_MODE_DISABLED = 0, /* loading or unloading: programs do nothing */
	RTENF_MODE_AUDIT    = 1,
	RTENF_MODE_ENFORCE  = 2,
};
struct rtenf_policy_state {
	__u32 mode;
	__u32 policy_id;
};

/* Where a policy applies (map "cgroup_scopes", key = policy slot), for
 * policies limited to some cgroups (spec.options cgroup-paths and
 * container-ids): the task's cgroup must be one of roots[] or below one.
 * The kernel checks bpf_get_current_ancestor_cgroup_id(level) == id for
 * each root, so cgroups made below a root later are covered with no map
 * update; the agent adds roots for containers that start later.  A policy
 * flagged as scoped whose entry is missing, or names another policy id,
 * applies nowhere. */
#define RTENF_SCOPE_MAX_ROOTS 32
struct rtenf_scope_root {
	__u64 id;    /* cgroup id */
	__u32 level; /* its depth below the root cgroup (level 0) */
	__u32 pad;
};
struct rtenf_cgroup_scope {
	__u32 policy_id;
	__u32 nroots;
	struct rtenf_scope_root roots[RTENF_SCOPE_MAX_ROOTS];
};

/* Per-policy counters (per-CPU map "policy_counters", index = slot). */
struct rtenf_policy_counters {
	__u64 matched;         /* a selector matched */
	__u64 posted;          /* record written to the ring buffer */
	__u64 actions_applied; /* signal sent / operation denied */
	__u64 actions_audited; /* would have been applied: audit mode */
	__u64 actions_failed;  /* enforce mode, helper returned an error */
	__u64 ringbuf_full;    /* record lost: ring buffer full */
	__u64 late;            /* evaluated at syscall exit */
	__u64 read_errors;     /* an argument could not be read */
};

/* Agent-wide kernel counters (per-CPU map "global_counters"). */
enum rtenf_global_counter {
	RTENF_CNT_EMITTED = 0,        /* records written to the ring buffer */
	RTENF_CNT_RINGBUF_FULL,       /* records lost: ring buffer full */
	RTENF_CNT_PROCESS_MAP_FULL,   /* process table insert failed */
	RTENF_CNT_PATH_TRUNCATED,     /* exe path deeper than the walker's limit */
	RTENF_CNT_DEFERRED_MAP_FULL,  /* could not defer a hook to syscall exit */
	RTENF_CNT_MAX,
};

_Static_assert(sizeof(struct rtenf_msg_header) == 16, "header layout");
_Static_assert(sizeof(struct rtenf_msg_task) == 32, "task layout");
_Static_assert(sizeof(struct rtenf_msg_exec) == 152, "exec layout");
_Static_assert(sizeof(struct rtenf_msg_clone) == 104, "clone layout");
_Static_assert(sizeof(struct rtenf_msg_exit) == 56, "exit layout");
_Static_assert(sizeof(struct rtenf_msg_hook) == 72, "hook layout");
_Static_assert(sizeof(struct rtenf_msg_cgroup) == 40, "cgroup layout");
_Static_assert(sizeof(struct rtenf_cgroup_scope) == 8 + 16 * RTENF_SCOPE_MAX_ROOTS, "scope layout");
_Static_assert(sizeof(struct rtenf_msg_arg) == 4, "arg layout");
_Static_assert(sizeof(struct rtenf_msg_stack) == 8, "stack section layout");
_Static_assert(RTENF_STACK_SECTION == sizeof(struct rtenf_msg_stack) + RTENF_STACK_MAX_FRAMES * 8, "stack section");
_Static_assert(sizeof(struct rtenf_process) == 32, "process layout");
_Static_assert(sizeof(struct rtenf_arg_file) == 8, "file arg layout");
_Static_assert(sizeof(struct rtenf_arg_sock) == 48, "sock arg layout");
_Static_assert(sizeof(struct rtenf_arg_sockaddr) == 20, "sockaddr arg layout");
_Static_assert(sizeof(struct rtenf_arg_cred) == 64, "cred arg layout");
_Static_assert(sizeof(struct rtenf_arg_skb) == 56, "skb arg layout");
/* emit_arg() keeps room for the largest fixed-size argument, a cred */
_Static_assert(sizeof(struct rtenf_arg_skb) <= sizeof(struct rtenf_arg_cred), "skb arg fits the room kept");
_Static_assert(__builtin_offsetof(struct rtenf_msg_exec, ns) == 96, "exec ns offset");

#endif /* RTENF_EVENTS_H */
