// SPDX-License-Identifier: GPL-2.0-only
/*
 * The base sensor: every exec, fork and exit on the machine.  Keeps the
 * kernel's process table (what selectors match binaries against) and tells
 * the agent about each process so events can say who did what.
 */
#include "common.bpf.h"
#include "hash.bpf.h"
#include "maps.bpf.h"
#include "path.bpf.h"
#include "proc_sel.bpf.h"
#include "task.bpf.h"
#include "cgroup_track.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* Exec record with its strings: path at data[0] (so the hash can read it in
 * place), then the arguments, then the cwd.  Offsets are masked so the
 * verifier can prove every copy stays inside. */
#define EXEC_DATA_SIZE 12288
struct exec_buf {
	struct rtenf_msg_exec m;
	__u8 data[EXEC_DATA_SIZE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_buf);
} exec_heap SEC(".maps");

static __always_inline void emit(void *data, __u64 size)
{
	if (bpf_ringbuf_output(&events, data, size, 0))
		count_global(RTENF_CNT_RINGBUF_FULL);
	else
		count_global(RTENF_CNT_EMITTED);
}

static __always_inline __u32 copy_path(struct exec_buf *eb, __u32 at, const struct path *path,
				       const struct path *root, struct rtenf_path_buf *pb, bool *truncated)
{
	struct path_walk w;
	__u32 len;

	path_walk(path, root, pb, &w);
	len = w.len & RTENF_PATH_MASK;
	bpf_probe_read_kernel(&eb->data[at & 8191], len, &pb->buf[w.off & RTENF_PATH_MASK]);
	*truncated = w.truncated;
	if (w.truncated)
		count_global(RTENF_CNT_PATH_TRUNCATED);
	return len;
}

/* The process was forked and has not exec'd since: Tetragon's "clone" flag. */
static __always_inline bool exec_follows_fork(__u32 tgid)
{
	struct rtenf_process *cur = bpf_map_lookup_elem(&processes, &tgid);

	return cur && (cur->flags & RTENF_PROC_F_CLONED);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(rtenf_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
	struct rtenf_process proc = {}, *parent;
	struct rtenf_path_buf *pb;
	struct rtenf_msg_exec *m;
	struct exec_buf *eb;
	const struct cred *cred;
	struct fs_struct *fs;
	unsigned long arg_start;
	__u32 zero = 0, ppid, tgid, path_len, args_len, cwd_len;
	bool truncated;
	__u64 size;

	eb = bpf_map_lookup_elem(&exec_heap, &zero);
	pb = path_scratch_get(0);
	if (!eb || !pb)
		return 0;
	m = &eb->m;
	m->hdr.op = RTENF_OP_EXEC;
	m->hdr.flags = 0;
	m->hdr.ktime = bpf_ktime_get_boot_ns();

	tgid = BPF_CORE_READ(task, tgid);
	ppid = BPF_CORE_READ(task, real_parent, tgid);
	if (exec_follows_fork(tgid))
		m->hdr.flags |= RTENF_EXEC_F_CLONE;
	parent = bpf_map_lookup_elem(&processes, &ppid);
	proc.exec_id = m->hdr.ktime;
	proc.parent_exec_id = parent ? parent->exec_id : 0;
	proc.ppid = ppid;

	fill_msg_task(&m->task, task, proc.exec_id);
	m->parent_exec_id = proc.parent_exec_id;
	m->ppid = ppid;
	cred = BPF_CORE_READ(task, cred);
	m->gid = BPF_CORE_READ(cred, gid.val);
	m->egid = BPF_CORE_READ(cred, egid.val);
	m->auid = task_auid(task);
	m->cap_permitted = read_caps(&cred->cap_permitted);
	m->cap_effective = read_caps(&cred->cap_effective);
	m->cap_inheritable = read_caps(&cred->cap_inheritable);
	for (__u32 i = 0; i < RTENF_NS_COUNT; i++)
		m->ns[i] = task_ns_inum(task, i);
	m->ns_pid = task_ns_tgid(task);

	/* The executable the kernel opened, relative to the process root. */
	fs = BPF_CORE_READ(task, fs);
	path_len = copy_path(eb, 0, &bprm->file->f_path, &fs->root, pb, &truncated);
	if (truncated)
		m->hdr.flags |= RTENF_EXEC_F_PATH_TRUNCATED;
	proc.bin_hash = rtenf_hash_bytes((const struct rtenf_hash_input *)eb->data, path_len);

	/* argv as the new program sees it: on its fresh stack, resident. */
	args_len = task_args_span(task, &arg_start, RTENF_EXEC_ARGS_MAX - 1, &truncated);
	if (truncated)
		m->hdr.flags |= RTENF_EXEC_F_ARGS_TRUNCATED;
	if (bpf_probe_read_user(&eb->data[path_len & RTENF_PATH_MASK], args_len & (RTENF_EXEC_ARGS_MAX - 1),
				(void *)arg_start))
		args_len = 0;

	cwd_len = copy_path(eb, path_len + args_len, &fs->pwd, &fs->root, pb, &truncated);
	if (truncated)
		m->hdr.flags |= RTENF_EXEC_F_CWD_TRUNCATED;

	m->path_len = path_len;
	m->args_len = args_len;
	m->cwd_len = cwd_len;

	if (bpf_map_update_elem(&processes, &tgid, &proc, BPF_ANY))
		count_global(RTENF_CNT_PROCESS_MAP_FULL);
	proc_sel_exec(task, tgid, eb->data, path_len, proc.bin_hash);

	size = sizeof(*m) + path_len + args_len + cwd_len;
	if (size > sizeof(*eb))
		size = sizeof(*eb);
	m->hdr.size = size;
	emit(eb, size);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(rtenf_fork, struct task_struct *parent, struct task_struct *child)
{
	struct rtenf_process proc = {}, *pp;
	struct rtenf_msg_clone m = {};
	__u32 tgid = BPF_CORE_READ(child, tgid), ptgid;

	if ((__u32)BPF_CORE_READ(child, pid) != tgid)
		return 0; /* a thread: same process */
	ptgid = BPF_CORE_READ(parent, tgid);
	pp = bpf_map_lookup_elem(&processes, &ptgid);

	m.hdr.op = RTENF_OP_CLONE;
	m.hdr.size = sizeof(m);
	m.hdr.ktime = bpf_ktime_get_boot_ns();
	proc.exec_id = m.hdr.ktime;
	proc.parent_exec_id = pp ? pp->exec_id : 0;
	proc.bin_hash = pp ? pp->bin_hash : 0;
	proc.ppid = ptgid;
	proc.flags = RTENF_PROC_F_CLONED;
	if (bpf_map_update_elem(&processes, &tgid, &proc, BPF_ANY))
		count_global(RTENF_CNT_PROCESS_MAP_FULL);
	proc_sel_fork(tgid, ptgid);

	fill_msg_task(&m.task, child, proc.exec_id);
	m.task.tgid = tgid;
	m.task.tid = tgid;
	/* the child's own: not the parent's (current's), it may have been
	 * cloned into another cgroup (CLONE_INTO_CGROUP) */
	m.task.cgroup_id = BPF_CORE_READ(child, cgroups, dfl_cgrp, kn, id);
	m.parent_exec_id = proc.parent_exec_id;
	m.ppid = ptgid;
	m.ns_pid = task_ns_pid(child);
	for (__u32 i = 0; i < RTENF_NS_COUNT; i++)
		m.ns[i] = task_ns_inum(child, i);
	emit(&m, sizeof(m));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(rtenf_exit, struct task_struct *task)
{
	struct rtenf_msg_exit m = {};
	struct rtenf_process *proc;
	struct signal_struct *sig = BPF_CORE_READ(task, signal);
	__u32 tgid;

	if (BPF_CORE_READ(sig, live.counter) != 0)
		return 0; /* other threads remain */
	tgid = BPF_CORE_READ(task, tgid);
	proc = bpf_map_lookup_elem(&processes, &tgid);

	m.hdr.op = RTENF_OP_EXIT;
	m.hdr.size = sizeof(m);
	m.hdr.ktime = bpf_ktime_get_boot_ns();
	fill_msg_task(&m.task, task, proc ? proc->exec_id : 0);
	m.task.tid = tgid;
	if (BPF_CORE_READ(sig, flags) & RTENF_SIGNAL_GROUP_EXIT)
		m.code = BPF_CORE_READ(sig, group_exit_code);
	else
		m.code = BPF_CORE_READ(task, exit_code);
	bpf_map_delete_elem(&processes, &tgid);
	proc_sel_exit(tgid);
	emit(&m, sizeof(m));
	return 0;
}

/* The host's namespaces, as the initial task (pid 0) has them.  Run once by
 * the loader through BPF_PROG_TEST_RUN, never attached: /proc/1/ns may be
 * unreadable even to root (pid 1 outside the agent's Landlock domain, or
 * behind a hardened ptrace policy), and a selector comparing with a wrong
 * host_ns would silently match everything. */
__u32 host_ns_inum[RTENF_NS_COUNT] = {};

SEC("raw_tp")
int rtenf_host_ns(void *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();

	for (int i = 0; i < 64 && BPF_CORE_READ(t, pid) != 0; i++)
		t = BPF_CORE_READ(t, real_parent);
	if (BPF_CORE_READ(t, pid) != 0)
		return 1;
	for (__u32 i = 0; i < RTENF_NS_COUNT; i++)
		host_ns_inum[i] = task_ns_inum(t, i);
	return 0;
}
