/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Policies limited to some cgroups (spec.options cgroup-paths and
 * container-ids; struct rtenf_cgroup_scope in rtenf_events.h).  The base
 * sensor creates the map, every hook shares it.  The check runs only in
 * hooks compiled with RTENF_HOOKCFG_F_CGROUP_SCOPE, as the first thing after
 * the policy's mode: one hash lookup and one helper call per root, before
 * any argument is read.
 */
#ifndef RTENF_CGROUP_SCOPE_BPF_H
#define RTENF_CGROUP_SCOPE_BPF_H

#include "common.bpf.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RTENF_MAX_POLICIES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct rtenf_cgroup_scope);
} cgroup_scopes SEC(".maps");

/* Whether the current task's cgroup is one of the policy's roots or below
 * one.  The map value is replaced whole by the agent (a hash update is
 * atomic for readers), never written in place. */
static __always_inline bool cgroup_scope_holds(__u32 slot, __u32 policy_id)
{
	struct rtenf_cgroup_scope *sc = bpf_map_lookup_elem(&cgroup_scopes, &slot);

	if (!sc || sc->policy_id != policy_id)
		return false;
	for (__u32 i = 0; i < RTENF_SCOPE_MAX_ROOTS; i++) {
		if (i >= sc->nroots)
			break;
		if (bpf_get_current_ancestor_cgroup_id(sc->roots[i].level) == sc->roots[i].id)
			return true;
	}
	return false;
}

#endif /* RTENF_CGROUP_SCOPE_BPF_H */
