// SPDX-License-Identifier: GPL-2.0-only
/*
 * One tiny program per kernel facility rtenf may use.  The feature probes
 * (userspace/feature_probe.c) load and attach them one at a time: a kernel
 * without a facility refuses at load (often EPERM with an empty verifier
 * log) or at attach, and trying is the only reliable way to know.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("kprobe/vfs_read")
int probe_kprobe(void *ctx)
{
	return 0;
}

SEC("kprobe.multi/vfs_read")
int probe_kprobe_multi(void *ctx)
{
	return 0;
}

SEC("kprobe/vfs_read")
int probe_override_return(struct pt_regs *ctx)
{
	bpf_override_return(ctx, 0);
	return 0;
}

SEC("fentry/vfs_read")
int BPF_PROG(probe_fentry)
{
	return 0;
}

SEC("fexit/vfs_read")
int BPF_PROG(probe_fexit)
{
	return 0;
}

SEC("fmod_ret/security_file_open")
int BPF_PROG(probe_fmod_ret)
{
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(probe_lsm, struct file *file)
{
	return 0;
}

SEC("lsm.s/file_open")
int BPF_PROG(probe_d_path, struct file *file)
{
	char buf[64];

	bpf_d_path((struct path *)&file->f_path, buf, sizeof(buf));
	return 0;
}

SEC("uprobe")
int probe_uprobe(void *ctx)
{
	return 0;
}

SEC("cgroup/connect4")
int probe_cgroup_connect4(struct bpf_sock_addr *ctx)
{
	return 1;
}

/* Namespace and pid filters in cgroup socket programs need the current task. */
SEC("cgroup/connect4")
int probe_cgroup_task_btf(struct bpf_sock_addr *ctx)
{
	struct task_struct *t = bpf_get_current_task_btf();

	return t->pid >= 0 ? 1 : 1;
}
