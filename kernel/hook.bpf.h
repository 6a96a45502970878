/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every policy hook program has: its compiled configuration (read-only
 * data, so the verifier sees constants and drops code the policy does not
 * use), its own value maps (sized by the loader from the policy), and lazy
 * access to its arguments wherever the hook finds them (tracepoint record,
 * pt_regs, a syscall's user pt_regs, a BTF-typed context, a socket
 * address): a field is read at most once, a string or path at most once,
 * and only when a filter or the event needs it.
 */
#ifndef RTENF_HOOK_BPF_H
#define RTENF_HOOK_BPF_H

#include "cgroup_scope.bpf.h"
#include "common.bpf.h"
#include "hash.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "proc_sel.bpf.h"
#include "regs.bpf.h"
#include "skb.bpf.h"
#include "task.bpf.h"

const volatile struct rtenf_hook_config rtenf_cfg = {};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1); /* sized by the loader */
	__type(key, struct rtenf_value_key);
	__type(value, __u64); /* 1, or a SubString automaton's edge / failure link */
} value_sets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1); /* sized by the loader */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rtenf_prefix_key);
	__type(value, __u8);
} prefix_sets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1); /* sized by the loader */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct rtenf_range_key);
	__type(value, __u8);
} range_sets SEC(".maps");

struct hook_env {
	void *ctx;                     /* record, pt_regs, u64 array, or bpf_sock_addr */
	struct task_struct *task;
	struct rtenf_hook_scratch *hs;
	struct rtenf_process *proc;    /* NULL: not in the process table */
	struct rtenf_proc_sel *psel;   /* NULL: none (yet) */
	__u32 tgid;
	__u32 tid;
	bool proc_looked_up;
	bool psel_looked_up;
	bool defer_on_fault;           /* a fault may be retried at syscall exit */
};

static __always_inline struct rtenf_process *env_process(struct hook_env *env)
{
	if (!env->proc_looked_up) {
		env->proc = bpf_map_lookup_elem(&processes, &env->tgid);
		env->proc_looked_up = true;
	}
	return env->proc;
}

static __always_inline bool value_in_set(__u32 set_id, __u64 value)
{
	struct rtenf_value_key k = {.set_id = set_id, .value = value};

	return bpf_map_lookup_elem(&value_sets, &k) != NULL;
}

/* One LPM lookup, whatever the number of ranges in the set. */
static __always_inline bool value_in_range(__u32 set_id, __u64 value, bool is_signed)
{
	struct rtenf_range_key k = {
		.prefixlen = 32 + 64,
		.set_id = bpf_htonl(set_id),
		.value = __builtin_bswap64(is_signed ? value ^ RTENF_RANGE_SIGN_FLIP : value),
	};

	return bpf_map_lookup_elem(&range_sets, &k) != NULL;
}

static __always_inline void count_read_error(void)
{
	struct rtenf_policy_counters *pc = policy_counters_of(rtenf_cfg.policy_slot);

	if (pc)
		pc->read_errors++;
}

/* ---- raw values --------------------------------------------------------- */

static __always_inline __u64 record_field(__u8 *rec, __u32 a)
{
	/* Any offset: fields of 4 bytes and less need not be 8-aligned
	 * (sched_process_exec's pid is at 12); rec has room for an 8-byte read
	 * at the last one. */
	__u32 off = rtenf_cfg.args[a].offset & (RTENF_RECORD_MAX - 1);

	switch (rtenf_cfg.args[a].size) {
	case 1:
		return rtenf_cfg.args[a].is_signed ? (__u64)(__s64) * (__s8 *)&rec[off] : rec[off];
	case 2:
		return rtenf_cfg.args[a].is_signed ? (__u64)(__s64) * (__s16 *)&rec[off] : *(__u16 *)&rec[off];
	case 4:
		return rtenf_cfg.args[a].is_signed ? (__u64)(__s64) * (__s32 *)&rec[off] : *(__u32 *)&rec[off];
	default:
		return *(__u64 *)&rec[off];
	}
}

/* Follows resolve[a]'s steps from the struct at start (the current task
 * for data, the argument's object for an argument with resolve) into
 * hs->raw[a]: the value for an integer, the address of the bytes for a
 * string.  A global function: the walk (at most RTENF_RESOLVE_MAX_STEPS
 * reads) is verified once, not once per argument. */
__noinline int rtenf_resolve(struct rtenf_hook_scratch *hs, __u32 a, __u64 start)
{
	__u32 idx = a & (RTENF_MAX_ARGS - 1);
	__u64 addr = start, v = 0;
	__u32 nsteps, deref, size;
	long err;

	if (!hs)
		return -1;
	hs->raw[idx] = 0;
	if (!addr)
		return -1;
	nsteps = rtenf_cfg.resolve[idx].nsteps;
	deref = rtenf_cfg.resolve[idx].deref;
	for (__u32 i = 0; i < RTENF_RESOLVE_MAX_STEPS; i++) {
		if (i >= nsteps)
			break;
		addr += rtenf_cfg.resolve[idx].off[i];
		if (!(deref & (1u << i)))
			continue;
		/* a NULL pointer on the way (a task without an mm, say) reads as 0 */
		if (bpf_probe_read_kernel(&addr, sizeof(addr), (void *)addr) || !addr)
			return -1;
	}
	if (rtenf_cfg.args[idx].type == RTENF_ARG_STRING) {
		hs->raw[idx] = addr;
		return 0;
	}
	/* constant sizes: idx is not a constant here, so neither is the
	 * configured size, and the verifier wants a bounded read */
	size = rtenf_cfg.args[idx].size;
	switch (size) {
	case 1:
		err = bpf_probe_read_kernel(&v, 1, (void *)addr);
		break;
	case 2:
		err = bpf_probe_read_kernel(&v, 2, (void *)addr);
		break;
	case 4:
		err = bpf_probe_read_kernel(&v, 4, (void *)addr);
		break;
	default:
		size = 8;
		err = bpf_probe_read_kernel(&v, 8, (void *)addr);
		break;
	}
	if (err)
		return -1;
	/* the compiler allows integers only, so a narrower field is widened
	 * by its BTF signedness */
	if (rtenf_cfg.args[idx].is_signed && size < sizeof(v)) {
		__u32 shift = 64 - 8 * size;

		v = (__u64)((__s64)(v << shift) >> shift);
	}
	hs->raw[idx] = v;
	return 0;
}

/* Reads every argument's raw value (integer or pointer) once.  The origin is
 * a constant, so only one branch survives verification. */
static __always_inline void load_raw_args(struct hook_env *env)
{
	struct rtenf_hook_scratch *hs = env->hs;
	const struct pt_regs *inner = NULL;

	if (hs->raw_loaded)
		return;
	hs->raw_loaded = 1;
	switch (rtenf_cfg.arg_origin) {
	case RTENF_ORIGIN_RECORD:
		/* one helper call for every field the hook reads */
		if (bpf_probe_read_kernel(hs->rec, rtenf_cfg.record_size & (RTENF_RECORD_MAX - 1), env->ctx))
			__builtin_memset(hs->rec, 0, RTENF_RECORD_MAX);
		break;
	case RTENF_ORIGIN_SYSCALL_REGS:
		inner = (const struct pt_regs *)regs_param(env->ctx, 0);
		break;
	case RTENF_ORIGIN_SYSCALL_CTX:
		inner = (const struct pt_regs *)ctx_param(env->ctx, 0);
		break;
	}
	for (int a = 0; a < RTENF_MAX_ARGS; a++) {
		__u32 n;

		if (a >= rtenf_cfg.nargs)
			break;
		n = rtenf_cfg.args[a].offset;
		switch (rtenf_cfg.arg_origin) {
		case RTENF_ORIGIN_RECORD:
			hs->raw[a] = record_field(hs->rec, a);
			break;
		case RTENF_ORIGIN_REGS:
			hs->raw[a] = regs_param(env->ctx, n);
			break;
		case RTENF_ORIGIN_SYSCALL_REGS:
		case RTENF_ORIGIN_SYSCALL_CTX:
			hs->raw[a] = syscall_param(inner, n);
			break;
		case RTENF_ORIGIN_CTX_ARRAY:
			hs->raw[a] = ctx_param(env->ctx, n);
			break;
		default:
			hs->raw[a] = 0; /* socket-address hooks fill their one argument themselves */
			break;
		}
		if (rtenf_cfg.args[a].source == RTENF_SRC_TASK && rtenf_resolve(hs, a, bpf_get_current_task()))
			count_read_error();
		else if ((rtenf_cfg.args[a].flags & RTENF_ARGD_F_RESOLVE) && rtenf_resolve(hs, a, hs->raw[a]))
			count_read_error();
	}
}

/* x86's TS_COMPAT (arch/x86/include/asm/thread_info.h): the task is in a
 * 32-bit syscall, whose number is an index into the ia32 table. */
#define RTENF_X86_TS_COMPAT 0x0002

/* A syscall64 value as Tetragon defines it: the number, with bit 31 set
 * when the syscall came through the 32-bit (compat) entry, so that the
 * same number in the two tables cannot be confused. */
static __always_inline __u64 syscall64_value(__u64 nr)
{
	struct task_struct *task = bpf_get_current_task_btf();

	nr &= 0xffffffffULL;
	if (bpf_core_field_exists(task->thread_info.status) &&
	    (BPF_CORE_READ(task, thread_info.status) & RTENF_X86_TS_COMPAT))
		nr |= 0x80000000ULL;
	return nr;
}

/* An integer argument widened to 64 bits the way its declared type says:
 * "int" in a policy means the low 32 bits, signed, even where the field is a
 * 64-bit register copy; a capability set is read through its pointer.
 * RTENF_ARG_RETVAL is the hook's return value. */
static __always_inline __u64 arg_int(struct hook_env *env, __u32 a)
{
	__u64 v;
	__u8 type;

	if (a == RTENF_ARG_RETVAL) {
		v = env->hs->retval;
		type = rtenf_cfg.ret_type;
	} else {
		load_raw_args(env);
		v = env->hs->raw[a & (RTENF_MAX_ARGS - 1)];
		type = rtenf_cfg.args[a & (RTENF_MAX_ARGS - 1)].type;
	}
	switch (type) {
	case RTENF_ARG_INT:
		return (__u64)(__s64)(__s32)v;
	case RTENF_ARG_UINT32:
		return (__u32)v;
	case RTENF_ARG_CAPS:
		/* a kernel_cap_t *: the set, not the pointer */
		return read_caps((const kernel_cap_t *)v);
	case RTENF_ARG_SYSCALL64:
		return syscall64_value(v);
	default:
		return v;
	}
}

/* ---- paths -------------------------------------------------------------- */

/* The path of a struct path at kernel address path_addr, relative to the
 * task's root, into str.  A global function: the walk is verified once. */
__noinline int rtenf_path_to_str(__u64 path_addr, struct rtenf_str_slot *slot)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fs_struct *fs = BPF_CORE_READ(task, fs);
	struct rtenf_path_buf *pb = path_scratch_get(1);
	struct path_walk w;
	__u32 len;

	if (!slot || !pb || !path_addr || !fs)
		return -1;
	path_walk((const struct path *)path_addr, &fs->root, pb, &w);
	len = w.len & RTENF_PATH_MASK;
	bpf_probe_read_kernel(slot->str, len, &pb->buf[w.off & RTENF_PATH_MASK]);
	slot->str[len & RTENF_PATH_MASK] = '\0';
	return (int)len;
}

/* exec_args: the current task's argv, from the new image's stack (exec has
 * just written it, so the pages are resident), the strings joined by spaces
 * as a command line shows them, at most RTENF_PATH_MAX - 1 bytes.  A global
 * function: the loop is verified once. */
__noinline int rtenf_exec_args_to_str(struct rtenf_str_slot *slot)
{
	struct task_struct *task = bpf_get_current_task_btf();
	unsigned long start;
	bool truncated;
	__u32 len;

	if (!slot)
		return -1;
	len = task_args_span(task, &start, RTENF_PATH_MAX - 1, &truncated) & RTENF_PATH_MASK;
	slot->str[0] = '\0';
	if (!len)
		return 0;
	if (bpf_probe_read_user(slot->str, len, (void *)start))
		return -1;
	/* argv's last string ends in a NUL: no trailing space */
	if (!truncated && slot->str[(len - 1) & RTENF_PATH_MASK] == '\0')
		len--;
	/* NUL to space without a branch on the byte: ((c - 1) >> 8) & ' ' is ' '
	 * for 0 and 0 for 1..255, so the verifier meets one path per byte */
	for (__u32 j = 0; j < RTENF_PATH_MAX - 1; j++) {
		__u32 c;

		if (j >= len)
			break;
		c = (__u8)slot->str[j];
		slot->str[j] = c | (((c - 1) >> 8) & ' ');
	}
	slot->str[len & RTENF_PATH_MASK] = '\0';
	return (int)len;
}

static __always_inline struct file *fd_file(struct task_struct *task, __s32 fd)
{
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;

	if (fd < 0 || !fdt || (__u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd & 0xffff]);
	return f;
}

/* The struct file behind an fd, file or linux_binprm argument; NULL for
 * other types (a path argument has none). */
static __always_inline struct file *arg_struct_file(struct hook_env *env, __u64 idx, __u64 raw)
{
	switch (rtenf_cfg.args[idx].type) {
	case RTENF_ARG_FD:
		return fd_file(env->task, (__s32)raw);
	case RTENF_ARG_FILE:
		return (struct file *)raw;
	case RTENF_ARG_LINUX_BINPRM:
		return BPF_CORE_READ((struct linux_binprm *)raw, file);
	}
	return NULL;
}

/* File-like arguments: their path in str, mode and open flags on the side. */
static __always_inline long file_like_path(struct hook_env *env, __u64 idx, struct rtenf_str_slot *slot)
{
	struct rtenf_hook_scratch *hs = env->hs;
	__u64 raw = hs->raw[idx];
	struct file *f;
	__u64 path_addr;

	hs->mode_read[idx] = 1;
	if (rtenf_cfg.args[idx].type == RTENF_ARG_PATH) {
		hs->file_mode[idx] = BPF_CORE_READ((struct path *)raw, dentry, d_inode, i_mode);
		hs->file_flags[idx] = 0;
		return rtenf_path_to_str(raw, slot);
	}
	f = arg_struct_file(env, idx, raw);
	if (!f) {
		hs->file_mode[idx] = 0;
		return -1;
	}
	hs->file_mode[idx] = BPF_CORE_READ(f, f_inode, i_mode);
	hs->file_flags[idx] = BPF_CORE_READ(f, f_flags);
	path_addr = (__u64)f + bpf_core_field_offset(struct file, f_path);
	return rtenf_path_to_str(path_addr, slot);
}

/* The inode mode of a file-like argument (not filename), read once; a
 * path read on the way sets it too.  0 when there is no file. */
static __always_inline __u32 arg_file_mode(struct hook_env *env, __u32 a)
{
	struct rtenf_hook_scratch *hs = env->hs;
	__u64 idx = a & (RTENF_MAX_ARGS - 1);
	struct file *f;
	__u64 raw;

	if (hs->mode_read[idx])
		return hs->file_mode[idx];
	load_raw_args(env);
	raw = hs->raw[idx];
	if (rtenf_cfg.args[idx].type == RTENF_ARG_PATH) {
		hs->file_mode[idx] = raw ? BPF_CORE_READ((struct path *)raw, dentry, d_inode, i_mode) : 0;
		hs->mode_read[idx] = 1;
		return hs->file_mode[idx];
	}
	f = arg_struct_file(env, idx, raw);
	hs->file_mode[idx] = f ? BPF_CORE_READ(f, f_inode, i_mode) : 0;
	hs->mode_read[idx] = 1;
	return hs->file_mode[idx];
}

static __always_inline bool is_file_like(__u8 type)
{
	return type == RTENF_ARG_FILE || type == RTENF_ARG_PATH || type == RTENF_ARG_FD ||
	       type == RTENF_ARG_LINUX_BINPRM || type == RTENF_ARG_FILENAME;
}

/* ---- strings ------------------------------------------------------------ */

/* The string (or path) of argument a, read once into its slot.  Returns its
 * length or a RTENF_STR_* code; *slotp is set either way ("" on failure). */
static __always_inline __s32 arg_string(struct hook_env *env, __u32 a, struct rtenf_str_slot **slotp)
{
	struct rtenf_hook_scratch *hs = env->hs;
	struct rtenf_str_slot *slot;
	/* 64 bits on purpose: the index is spilled across helper calls, and the
	 * verifier keeps the bounds of full-register spills only */
	__u64 idx = a & (RTENF_MAX_ARGS - 1);
	__u32 key = idx;
	__u8 type = rtenf_cfg.args[idx].type;
	long n = -1;

	slot = bpf_map_lookup_elem(&str_slots, &key);
	*slotp = slot;
	if (!slot)
		return RTENF_STR_INVALID;
	if (hs->str_len[idx] != RTENF_STR_UNREAD)
		return hs->str_len[idx];
	load_raw_args(env);
	if (type == RTENF_ARG_EXEC_ARGS) {
		n = rtenf_exec_args_to_str(slot);
	} else if (type == RTENF_ARG_FILENAME) {
		const char *name = BPF_CORE_READ((struct filename *)hs->raw[idx], name);

		n = bpf_probe_read_kernel_str(slot->str, RTENF_PATH_MAX, name);
		n = n > 0 ? n - 1 : -1;
	} else if (is_file_like(type)) {
		n = file_like_path(env, idx, slot);
	} else {
		long r = -1;

		switch (rtenf_cfg.args[idx].source) {
		case RTENF_SRC_USER_PTR:
			r = bpf_probe_read_user_str(slot->str, RTENF_PATH_MAX, (void *)hs->raw[idx]);
			break;
		case RTENF_SRC_KERNEL_PTR:
			r = bpf_probe_read_kernel_str(slot->str, RTENF_PATH_MAX, (void *)hs->raw[idx]);
			break;
		case RTENF_SRC_DATA_LOC:
			r = bpf_probe_read_kernel_str(slot->str, RTENF_PATH_MAX, env->ctx + (hs->raw[idx] & 0xffff));
			break;
		case RTENF_SRC_TASK:
			/* raw is the address rtenf_resolve() reached; 0 if the walk failed */
			r = hs->raw[idx] ? bpf_probe_read_kernel_str(slot->str, RTENF_PATH_MAX, (void *)hs->raw[idx]) : -1;
			break;
		}
		if (r > 0)
			n = r - 1; /* the helpers count the NUL */
		/* A user string the task has not touched yet may sit in a page that
		 * is not mapped in; the syscall itself will fault it in. */
		else if (r == -14 /* EFAULT */ && hs->raw[idx] && rtenf_cfg.args[idx].source == RTENF_SRC_USER_PTR)
			n = RTENF_STR_FAULT;
		else
			n = RTENF_STR_INVALID;
	}
	if (n >= 0) {
		hs->str_len[idx] = n;
		return n;
	}
	slot->str[0] = '\0';
	hs->str_len[idx] = n == RTENF_STR_FAULT ? RTENF_STR_FAULT : RTENF_STR_INVALID;
	/* a fault that will be retried at syscall exit is not an error yet */
	if (!(hs->str_len[idx] == RTENF_STR_FAULT && env->defer_on_fault))
		count_read_error();
	return hs->str_len[idx];
}

/* ---- sockets ------------------------------------------------------------ */

static __always_inline void read_sock(struct sock *sk, struct rtenf_arg_sock *n)
{
	n->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	n->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	n->type = BPF_CORE_READ(sk, sk_type);
	n->protocol = BPF_CORE_READ(sk, sk_protocol);
	n->mark = BPF_CORE_READ(sk, sk_mark);
	n->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	n->dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (n->family == 10 /* AF_INET6 */) {
		bpf_core_read(n->saddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_core_read(n->daddr, 16, &sk->__sk_common.skc_v6_daddr);
	} else {
		bpf_core_read(n->saddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_core_read(n->daddr, 4, &sk->__sk_common.skc_daddr);
	}
}

/* struct sockaddr_in / sockaddr_in6, from user or kernel memory.  The
 * address is the peer for connect and sendmsg, the local one for bind; the
 * compiler maps SAddr/SPort on a sockaddr to this one address. */
static __always_inline void read_sockaddr(const void *addr, bool user, struct rtenf_arg_sock *n)
{
	struct {
		__u16 family;
		__u16 port;
		__u32 flowinfo_or_addr4;
		__u8 addr6[16];
	} sa = {};
	long r = user ? bpf_probe_read_user(&sa, sizeof(sa), addr) : bpf_probe_read_kernel(&sa, sizeof(sa), addr);

	if (r)
		return;
	n->family = sa.family;
	n->dport = bpf_ntohs(sa.port);
	if (sa.family == 10 /* AF_INET6 */)
		__builtin_memcpy(n->daddr, sa.addr6, 16);
	else
		*(__u32 *)n->daddr = sa.flowinfo_or_addr4;
}

/* The socket of a sock/sockaddr argument, or a packet's headers, read once. */
static __always_inline struct rtenf_arg_sock *arg_net(struct hook_env *env, __u32 a)
{
	struct rtenf_hook_scratch *hs = env->hs;
	__u64 idx = a & (RTENF_MAX_ARGS - 1); /* 64 bits: see arg_string() */
	struct rtenf_arg_sock *n = &hs->net[idx];

	if (hs->net_state[idx])
		return n;
	hs->net_state[idx] = 1;
	if (rtenf_cfg.arg_origin == RTENF_ORIGIN_SOCK_ADDR)
		return n; /* filled from the socket-address context before matching */
	load_raw_args(env);
	__builtin_memset(n, 0, sizeof(*n));
	if (!hs->raw[idx]) {
		count_read_error();
		return n;
	}
	if (rtenf_cfg.args[idx].type == RTENF_ARG_SOCK && (rtenf_cfg.args[idx].flags & RTENF_ARGD_F_VIA_SOCKET))
		read_sock(BPF_CORE_READ((struct socket *)hs->raw[idx], sk), n);
	else if (rtenf_cfg.args[idx].type == RTENF_ARG_SOCK)
		read_sock((struct sock *)hs->raw[idx], n);
	else if (rtenf_cfg.args[idx].type == RTENF_ARG_SKB)
		read_skb((struct sk_buff *)hs->raw[idx], n);
	else
		read_sockaddr((const void *)hs->raw[idx], rtenf_cfg.args[idx].source == RTENF_SRC_USER_PTR, n);
	return n;
}

/* ---- set-up ------------------------------------------------------------- */

static __always_inline void hook_scratch_reset(struct rtenf_hook_scratch *hs)
{
	hs->raw_loaded = 0;
	hs->retval = 0;
	for (int a = 0; a < RTENF_MAX_ARGS; a++) {
		hs->str_len[a] = RTENF_STR_UNREAD;
		hs->hashed[a] = 0;
		hs->reversed[a] = 0;
		hs->net_state[a] = 0;
		hs->mode_read[a] = 0;
	}
}

static __always_inline bool hook_env_init(struct hook_env *env, void *ctx)
{
	__u32 zero = 0;
	__u64 id = bpf_get_current_pid_tgid();

	env->ctx = ctx;
	env->task = bpf_get_current_task_btf();
	env->hs = bpf_map_lookup_elem(&hook_scratch, &zero);
	env->proc = NULL;
	env->proc_looked_up = false;
	env->psel = NULL;
	env->psel_looked_up = false;
	env->tgid = id >> 32;
	env->tid = (__u32)id;
	env->defer_on_fault = false;
	if (!env->hs)
		return false;
	hook_scratch_reset(env->hs);
	return true;
}

/* The policy's live state, or NULL when the hook must do nothing: the
 * policy is off, or limited to cgroups the current task is not in. */
static __always_inline struct rtenf_policy_state *live_state(void)
{
	__u32 slot = rtenf_cfg.policy_slot;
	struct rtenf_policy_state *st = bpf_map_lookup_elem(&policy_state, &slot);

	if (!st || st->mode == RTENF_MODE_DISABLED || st->policy_id != rtenf_cfg.policy_id)
		return NULL;
	if ((rtenf_cfg.flags & RTENF_HOOKCFG_F_CGROUP_SCOPE) && !cgroup_scope_holds(slot, rtenf_cfg.policy_id))
		return NULL;
	return st;
}

#endif /* RTENF_HOOK_BPF_H */
