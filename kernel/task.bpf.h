/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a task is: namespaces, pid as its namespace sees it, credentials.
 * CO-RE reads throughout, so the same object runs on every kernel whose
 * layout differs (kernel_cap_t changed shape in 6.3; time namespaces need
 * CONFIG_TIME_NS).
 */
#ifndef RTENF_TASK_BPF_H
#define RTENF_TASK_BPF_H

#include "common.bpf.h"

#define RTENF_SIGNAL_GROUP_EXIT 0x00000004 /* include/linux/sched/signal.h */

static __always_inline __u32 task_pid_ns_inum(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up = {};

	bpf_core_read(&up, sizeof(up), &pid->numbers[level & 31]);
	return BPF_CORE_READ(up.ns, ns.inum);
}

/* The pid as the task's own pid namespace numbers it. */
static __always_inline __u32 task_ns_pid(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up = {};

	bpf_core_read(&up, sizeof(up), &pid->numbers[level & 31]);
	return up.nr;
}

/* The ns pid of the thread group leader: what `getpid()` returns inside. */
static __always_inline __u32 task_ns_tgid(struct task_struct *task)
{
	return task_ns_pid(BPF_CORE_READ(task, group_leader));
}

/* Inode number of one of the task's namespaces; 0 if this kernel lacks it.
 * which is usually a constant, so the switch folds away. */
static __always_inline __u32 task_ns_inum(struct task_struct *task, __u32 which)
{
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);

	switch (which) {
	case RTENF_NS_UTS:
		return BPF_CORE_READ(nsp, uts_ns, ns.inum);
	case RTENF_NS_IPC:
		return BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	case RTENF_NS_MNT:
		return BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	case RTENF_NS_PID:
		return task_pid_ns_inum(task);
	case RTENF_NS_PID_FOR_CHILDREN:
		return BPF_CORE_READ(nsp, pid_ns_for_children, ns.inum);
	case RTENF_NS_NET:
		return BPF_CORE_READ(nsp, net_ns, ns.inum);
	case RTENF_NS_TIME:
		if (bpf_core_field_exists(nsp->time_ns))
			return BPF_CORE_READ(nsp, time_ns, ns.inum);
		return 0;
	case RTENF_NS_TIME_FOR_CHILDREN:
		if (bpf_core_field_exists(nsp->time_ns_for_children))
			return BPF_CORE_READ(nsp, time_ns_for_children, ns.inum);
		return 0;
	case RTENF_NS_CGROUP:
		return BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
	case RTENF_NS_USER:
		return BPF_CORE_READ(task, cred, user_ns, ns.inum);
	}
	return 0;
}

/* task_ns_inum() for a trusted task pointer (bpf_get_current_task_btf()):
 * plain loads, which the verifier makes fault-safe, instead of one helper
 * call per pointer.  A namespace filter runs on every call of a hooked
 * syscall, and this is most of its cost (make bench: about 120 ns down to
 * about 20). */
static __always_inline __u32 task_ns_inum_btf(struct task_struct *task, __u32 which)
{
	struct nsproxy *nsp = task->nsproxy;

	switch (which) {
	case RTENF_NS_UTS:
		return nsp->uts_ns->ns.inum;
	case RTENF_NS_IPC:
		return nsp->ipc_ns->ns.inum;
	case RTENF_NS_MNT:
		return nsp->mnt_ns->ns.inum;
	case RTENF_NS_PID: {
		struct pid *pid = task->thread_pid;

		/* numbers[level] needs a variable offset, which only the
		 * helper can read; level 0 is every host process */
		if (pid->level == 0)
			return pid->numbers[0].ns->ns.inum;
		return task_pid_ns_inum(task);
	}
	case RTENF_NS_PID_FOR_CHILDREN:
		return nsp->pid_ns_for_children->ns.inum;
	case RTENF_NS_NET:
		return nsp->net_ns->ns.inum;
	case RTENF_NS_TIME:
		if (bpf_core_field_exists(nsp->time_ns))
			return nsp->time_ns->ns.inum;
		return 0;
	case RTENF_NS_TIME_FOR_CHILDREN:
		if (bpf_core_field_exists(nsp->time_ns_for_children))
			return nsp->time_ns_for_children->ns.inum;
		return 0;
	case RTENF_NS_CGROUP:
		return nsp->cgroup_ns->ns.inum;
	case RTENF_NS_USER:
		return task->cred->user_ns->ns.inum;
	}
	return 0;
}

/* kernel_cap_t is a u64 since 6.3 and two u32s before: the same 8 bytes. */
static __always_inline __u64 read_caps(const kernel_cap_t *caps)
{
	__u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), caps);
	return v;
}

static __always_inline __u32 task_auid(struct task_struct *task)
{
	if (bpf_core_field_exists(task->loginuid))
		return BPF_CORE_READ(task, loginuid.val);
	return (__u32)-1;
}

static __always_inline void fill_msg_task(struct rtenf_msg_task *t, struct task_struct *task,
					  __u64 exec_id)
{
	const struct cred *cred = BPF_CORE_READ(task, cred);

	t->tgid = BPF_CORE_READ(task, tgid);
	t->tid = BPF_CORE_READ(task, pid);
	t->exec_id = exec_id;
	t->cgroup_id = bpf_get_current_cgroup_id();
	t->uid = BPF_CORE_READ(cred, uid.val);
	t->euid = BPF_CORE_READ(cred, euid.val);
}

/* Where the task's argv lives: mm->arg_start .. arg_end, the NUL-separated
 * strings exec copied onto the new program's stack (resident once exec has
 * replaced the image).  Returns at most max bytes (max a power of two minus
 * one, so callers can mask it) from *start; *truncated says some were cut. */
static __always_inline __u32 task_args_span(struct task_struct *task, unsigned long *start, __u32 max, bool *truncated)
{
	unsigned long arg_start = BPF_CORE_READ(task, mm, arg_start);
	unsigned long arg_end = BPF_CORE_READ(task, mm, arg_end);
	__u64 len = arg_end > arg_start ? arg_end - arg_start : 0;

	*start = arg_start;
	*truncated = len > max;
	return len > max ? max : (__u32)len;
}

#endif /* RTENF_TASK_BPF_H */
