/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent's table of cgroup v2 cgroups: id -> path, parent, level and the
 * container the path names (container_id.h).  Filled by a walk of the
 * hierarchy at start and kept current by the base sensor's cgroup mkdir and
 * rmdir records, so a cgroup that lived only briefly is still known to the
 * events of the processes that ran in it.
 */
#ifndef RTENF_CGROUP_TABLE_H
#define RTENF_CGROUP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container_id.h"

struct cgroup_node {
	uint64_t id;
	uint64_t parent_id; /* 0 for the root */
	uint32_t level;	    /* 0 for the root */
	char *path;	    /* as /proc/PID/cgroup shows it: "/" or "/a/b" */
	bool in_container;
	struct container_ref container;
	char docker[CONTAINER_ID_SHORT_LEN + 1]; /* Tetragon's `docker`: "" outside containers */
	struct cgroup_node *next;		 /* hash chain */
};

struct cgroup_table {
	struct cgroup_node **buckets;
	size_t nbuckets;
	size_t count;
};

void cgroup_table_init(struct cgroup_table *t);
void cgroup_table_free(struct cgroup_table *t);

const struct cgroup_node *cgroup_table_get(const struct cgroup_table *t, uint64_t id);
/* Adds or updates a cgroup; returns its node (valid until it is removed). */
const struct cgroup_node *cgroup_table_add(struct cgroup_table *t, uint64_t id, uint64_t parent_id, uint32_t level,
					   const char *path);
void cgroup_table_remove(struct cgroup_table *t, uint64_t id);
/* Calls fn for every cgroup; fn may not change the table. */
void cgroup_table_each(const struct cgroup_table *t, void (*fn)(const struct cgroup_node *n, void *arg), void *arg);

/* Adds every cgroup below mount (the cgroup2 mount point), the root
 * included.  Returns how many it found, or -errno when mount cannot be
 * read. */
int cgroup_table_scan(struct cgroup_table *t, const char *mount);

#endif /* RTENF_CGROUP_TABLE_H */
