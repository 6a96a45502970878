/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Part of the base sensor: every cgroup made or removed in the cgroup v2
 * hierarchy, so the agent can name the container a process runs in and
 * extend container-scoped policies to containers that start later.  Cgroup
 * v1 hierarchies (still mounted beside v2 in hybrid layouts) are skipped:
 * events and policies name v2 cgroups only, as bpf_get_current_cgroup_id()
 * does.
 */
#ifndef RTENF_CGROUP_TRACK_BPF_H
#define RTENF_CGROUP_TRACK_BPF_H

#include "cgroup_scope.bpf.h" /* the base sensor creates the scope map every hook shares */
#include "common.bpf.h"
#include "maps.bpf.h"

struct cgroup_record {
	struct rtenf_msg_cgroup m;
	char path[RTENF_CGROUP_PATH_MAX];
};

static __always_inline void cgroup_emit(__u8 op, struct cgroup *cgrp, const char *path)
{
	struct cgroup *parent;
	struct cgroup_record *r;
	long len;

	/* the default hierarchy is the first one the kernel sets up: id 0 */
	if (BPF_CORE_READ(cgrp, root, hierarchy_id) != 0)
		return;
	r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_global(RTENF_CNT_RINGBUF_FULL);
		return;
	}
	/* self is the first member of struct cgroup: its parent css is the
	 * parent cgroup */
	parent = (struct cgroup *)BPF_CORE_READ(cgrp, self.parent);
	r->m.hdr.op = op;
	r->m.hdr.flags = 0;
	r->m.hdr.pad = 0;
	r->m.hdr.ktime = bpf_ktime_get_boot_ns();
	r->m.id = BPF_CORE_READ(cgrp, kn, id);
	r->m.parent_id = parent ? BPF_CORE_READ(parent, kn, id) : 0;
	r->m.level = BPF_CORE_READ(cgrp, level);
	len = bpf_probe_read_kernel_str(r->path, sizeof(r->path), path);
	r->m.path_len = len > 0 ? (__u32)len - 1 : 0;
	r->m.hdr.size = sizeof(r->m) + r->m.path_len;
	bpf_ringbuf_submit(r, 0);
	count_global(RTENF_CNT_EMITTED);
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(rtenf_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	cgroup_emit(RTENF_OP_CGROUP_MKDIR, cgrp, path);
	return 0;
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(rtenf_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	cgroup_emit(RTENF_OP_CGROUP_RMDIR, cgrp, path);
	return 0;
}

#endif /* RTENF_CGROUP_TRACK_BPF_H */
