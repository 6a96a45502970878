/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Policies limited to some cgroups: the kernel's map cgroup_scopes (struct
 * rtenf_cgroup_scope, one entry per policy slot) and what keeps it current.
 *
 * A policy's scope is a list of root cgroups: those its cgroup-paths name,
 * and the own cgroup of each container whose id starts with one of its
 * container-ids.  The kernel applies the policy to tasks in a root or
 * anywhere below it, so cgroups made below a root later need nothing from
 * here.  New roots do: a cgroup made at a listed path, or a container that
 * starts later, is added when the agent reads the kernel's cgroup_mkdir
 * record — usually well within a millisecond, but after the mkdir itself,
 * so a process that runs in it before that is not covered.
 */
#ifndef RTENF_CGROUP_SCOPE_H
#define RTENF_CGROUP_SCOPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup_table.h"
#include "policy_compile.h"
#include "rtenf_events.h"

struct scope_slot {
	uint32_t slot;
	char *policy_name;
	const struct compiled_scope *spec; /* the live policy's; outlives this entry */
	struct rtenf_cgroup_scope value;   /* as written to the map */
	bool full_reported;
};

struct cgroup_scopes {
	int map_fd;			    /* < 0: no kernel map (tests) */
	const struct cgroup_table *cgroups; /* the agent's; NULL: none known */
	struct scope_slot *v;
	size_t n;
	uint64_t roots_left_out; /* matching cgroups beyond RTENF_SCOPE_MAX_ROOTS */
};

void cgroup_scopes_init(struct cgroup_scopes *cs, int map_fd, const struct cgroup_table *cgroups);
void cgroup_scopes_free(struct cgroup_scopes *cs);

/* Whether cgroup n is a root of spec: at one of its paths, or the own
 * cgroup of a container whose id starts with one of its ids. */
bool cgroup_scope_is_root(const struct compiled_scope *spec, const struct cgroup_node *n);

/* Resolves spec against the cgroups known now and writes slot's map entry.
 * Returns 0, or -errno with *err set (caller frees). */
int cgroup_scopes_install(struct cgroup_scopes *cs, uint32_t slot, uint32_t policy_id, const char *policy_name,
			  const struct compiled_scope *spec, char **err);
/* Forgets slot's scope (no-op if it has none). */
void cgroup_scopes_remove(struct cgroup_scopes *cs, uint32_t slot);
/* Forgets slot's scope here only: the kernel's entry stays, for pinned
 * programs that outlive the agent. */
void cgroup_scopes_forget(struct cgroup_scopes *cs, uint32_t slot);
/* Deletes slot's kernel entry if it belongs to policy_id (a pinned policy
 * the previous agent did not finish applying or deleting). */
void cgroup_scopes_drop_entry(struct cgroup_scopes *cs, uint32_t slot, uint32_t policy_id);
/* A cgroup was made or removed: scopes that name it gain or lose it. */
void cgroup_scopes_cgroup_made(struct cgroup_scopes *cs, const struct cgroup_node *n);
void cgroup_scopes_cgroup_removed(struct cgroup_scopes *cs, uint64_t id);
/* What slot's scope says and the paths of the cgroups it names now, as
 * heap strings (caller frees each and the arrays); 0 of each for a policy
 * without a scope. */
void cgroup_scopes_describe(const struct cgroup_scopes *cs, uint32_t slot, char ***said, size_t *n_said,
			    char ***cgroups, size_t *n_cgroups);

/* The entry of slot, NULL if it has none. */
const struct scope_slot *cgroup_scopes_get(const struct cgroup_scopes *cs, uint32_t slot);

#endif /* RTENF_CGROUP_SCOPE_H */
