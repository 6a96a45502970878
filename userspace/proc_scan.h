/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Processes that were running before the agent: read from /proc into the
 * process cache and into the kernel's process table (so selectors know their
 * binaries too).  Runs after the base sensor is attached, so a process that
 * execs meanwhile is never lost: the sensor's newer record wins.
 */
#ifndef RTENF_PROC_SCAN_H
#define RTENF_PROC_SCAN_H

#include "process_cache.h"
#include "rtenf_hash.h"

/* Returns how many processes it recorded. */
int proc_scan(struct process_cache *pc, int processes_map_fd, const struct rtenf_hash_key *key);

/* The cgroup v2 id (inode of its directory) of a process, 0 if unknown. */
uint64_t proc_cgroup_id(int pid);

#endif /* RTENF_PROC_SCAN_H */
