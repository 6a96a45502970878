/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A d_path() for any program type: walks dentries up to the task's root,
 * crossing mount points, and writes the path right-aligned into a scratch
 * buffer.  The kernel's bpf_d_path() is only allowed in a few LSM/fentry
 * hooks, and exec policies must see the file the kernel really opened
 * (symlinks and relative paths resolved), not the name the caller passed.
 */
#ifndef RTENF_PATH_BPF_H
#define RTENF_PATH_BPF_H

#include "common.bpf.h"

#define RTENF_PATH_DEPTH 64 /* components; deeper paths are truncated and counted */
#define RTENF_PATH_MASK  (RTENF_PATH_MAX - 1)
#define RTENF_NAME_MASK  255 /* NAME_MAX */

/* Scratch for one walk: the path ends at buf[RTENF_PATH_MAX - 1] (a NUL);
 * the slack lets the verifier prove every masked write stays inside.  The
 * write offset lives here, in map memory, on purpose: a register offset is
 * tracked precisely through every branch of every iteration and the
 * verifier's state count explodes; loaded from memory it is just a bounded
 * unknown, and states from different branches prune. */
struct rtenf_path_buf {
	__u32 off;
	__u32 truncated;
	char buf[RTENF_PATH_MAX + RTENF_NAME_MASK + 1];
};

struct path_walk {
	__u32 off;       /* the path starts at buf[off] */
	__u32 len;       /* bytes, without the NUL */
	bool truncated;
};

static __always_inline void path_walk(const struct path *path, const struct path *root,
				      struct rtenf_path_buf *pb, struct path_walk *out)
{
	struct dentry *dentry = BPF_CORE_READ(path, dentry);
	struct vfsmount *vfsmnt = BPF_CORE_READ(path, mnt);
	struct dentry *root_dentry = BPF_CORE_READ(root, dentry);
	struct vfsmount *root_mnt = BPF_CORE_READ(root, mnt);
	__u32 mnt_offset = bpf_core_field_offset(struct mount, mnt);
	struct mount *mnt = (void *)vfsmnt - mnt_offset;
	__u32 off;

	pb->buf[RTENF_PATH_MAX - 1] = '\0';
	pb->off = RTENF_PATH_MAX - 1;
	pb->truncated = 1; /* cleared when the walk reaches a root */
	for (int i = 0; i < RTENF_PATH_DEPTH; i++) {
		struct dentry *parent;
		struct qstr name;
		__u32 len;

		if (dentry == root_dentry && vfsmnt == root_mnt) {
			pb->truncated = 0;
			break;
		}
		if (dentry == BPF_CORE_READ(vfsmnt, mnt_root)) {
			struct mount *mnt_parent = BPF_CORE_READ(mnt, mnt_parent);

			if (mnt_parent == mnt) { /* the namespace's root mount */
				pb->truncated = 0;
				break;
			}
			dentry = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mnt_parent;
			vfsmnt = (void *)mnt + mnt_offset;
			continue;
		}
		parent = BPF_CORE_READ(dentry, d_parent);
		if (parent == dentry) { /* a detached tree's root */
			pb->truncated = 0;
			break;
		}
		name = BPF_CORE_READ(dentry, d_name);
		len = name.len & RTENF_NAME_MASK;
		off = pb->off;
		if (off < len + 2)
			break; /* no room: truncated */
		off -= len;
		bpf_probe_read_kernel(&pb->buf[off & RTENF_PATH_MASK], len, name.name);
		off -= 1;
		pb->buf[off & RTENF_PATH_MASK] = '/';
		pb->off = off;
		dentry = parent;
	}
	off = pb->off & RTENF_PATH_MASK;
	if (off == RTENF_PATH_MAX - 1) {
		off -= 1;
		pb->buf[off] = '/';
	}
	out->off = off;
	out->len = RTENF_PATH_MAX - 1 - off;
	out->truncated = pb->truncated;
}

#endif /* RTENF_PATH_BPF_H */
