/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent-wide bits of matchBinaries followChildren filters (see
 * follow_sets.c): one per filter of a loaded hook, at most
 * RTENF_FOLLOW_SETS for all policies together.
 */
#ifndef RTENF_FOLLOW_SETS_H
#define RTENF_FOLLOW_SETS_H

#include <stddef.h>

#include <bpf/libbpf.h>

#include "rtenf_events.h"
#include "rtenf_policy.h"

/* For a loaded hook object (its value_sets, and the shared follow_bins,
 * proc_sel and processes maps): takes a free bit, lists the binaries
 * hashes[0..n) under it, and marks the running processes that run one.
 * 0 and *bit, or -ENOSPC (all bits taken), -EOVERFLOW (follow_bins is
 * full: RTENF_FOLLOW_BINARIES) or another -errno. */
int follow_set_add(const struct bpf_object *obj, const __u64 *hashes, size_t n, unsigned *bit);
/* A hook a previous agent loaded and pinned owns bit: its value_sets map
 * (value_sets_fd) keeps it, so the bit is not given out while that hook
 * runs.  0, or -EBUSY when a live hook of this agent already has it. */
int follow_set_adopt(int value_sets_fd, unsigned bit);

#endif /* RTENF_FOLLOW_SETS_H */
