/* SPDX-License-Identifier: GPL-2.0-only */
/* Where the cgroup v2 hierarchy is mounted (pure v2: /sys/fs/cgroup;
 * hybrid: often /sys/fs/cgroup/unified). */
#ifndef RTENF_CGROUP_H
#define RTENF_CGROUP_H

#include <stddef.h>
#include <stdint.h>

/* The cgroup2 mount point, from /proc/self/mountinfo; NULL if none. */
const char *cgroup2_root(void);
/* A cgroup's id: the inode number of its directory (0 if unknown). */
uint64_t cgroup2_id(const char *relative_path);

#endif /* RTENF_CGROUP_H */
