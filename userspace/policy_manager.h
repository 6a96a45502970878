/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policies the agent runs.  Applying is a transaction over a set of
 * files: everything is parsed, compiled against this kernel, loaded and
 * attached while disabled, and only then switched on; any failure unloads
 * what the transaction loaded and leaves running policies exactly as they
 * were.  A policy's mode lives in the kernel (policy_state), so switching
 * between audit and enforce is one map write: no reload, no gap.
 */
#ifndef RTENF_POLICY_MANAGER_H
#define RTENF_POLICY_MANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup_scope.h"
#include "diag.h"
#include "kernel_view.h"
#include "policy_compile.h"
#include "rtenf_events.h"
#include "sensor_base.h"
#include "sensor_hook.h"

struct live_policy {
	char *name;
	char *file;
	uint32_t id;           /* never reused while the agent runs */
	uint32_t slot;         /* index into policy_state / policy_counters */
	enum rtenf_mode mode;
	uint64_t loaded_at;    /* Unix-epoch ns */
	struct compiled_policy *cp;
	struct loaded_hook *hooks;
	size_t n_hooks;
};

struct policy_manager {
	struct live_policy **live;
	size_t n_live;
	struct live_policy **gone; /* deleted: kept (unloaded) so in-flight events still resolve */
	size_t n_gone;
	bool slot_used[RTENF_MAX_POLICIES];
	uint32_t next_id;
	const struct base_sensor *bs;
	int state_fd;
	int counters_fd;
	struct kernel_view kv;
	enum rtenf_mode default_mode; /* for policies that do not say */
	struct cgroup_scopes scopes;  /* policies limited to some cgroups; scopes.cgroups is the agent's table */
};

struct policy_source {
	const char *file;
	const char *yaml;
	size_t len;
};

void policy_manager_init(struct policy_manager *pm, const struct base_sensor *bs, const struct rtenf_hash_key *key,
			 enum rtenf_mode default_mode);
void policy_manager_free(struct policy_manager *pm);

struct apply_opts {
	enum rtenf_mode mode;  /* RTENF_MODE_DISABLED: the policy's own policy-mode, else the default */
	bool replace;	       /* replace loaded policies of the same names */
	bool skip_unsupported; /* apply the others when some need what this kernel lacks */
};

struct apply_result {
	struct live_policy **applied; /* the new policies (caller frees the array) */
	size_t n_applied;
	char **skipped; /* names of policies left out by skip_unsupported (caller frees) */
	size_t n_skipped;
};

/* Applies every policy or none.  A policy whose only errors are facilities
 * this kernel lacks (diag kernel_lacks) is "unsupported": without
 * skip_unsupported nothing is applied and *err names every such policy; with
 * it, such policies are left out, their errors turned into warnings, and the
 * others applied.  On failure returns -errno with diags and/or *err (caller
 * frees) filled; on success fills *res. */
int policy_manager_apply(struct policy_manager *pm, const struct policy_source *src, size_t n,
			 const struct apply_opts *opts, struct diag_list *diags, char **err, struct apply_result *res);
void apply_result_free(struct apply_result *res);
int policy_manager_delete(struct policy_manager *pm, const char *name, char **err);
int policy_manager_set_mode(struct policy_manager *pm, const char *name, enum rtenf_mode mode, char **err);

struct live_policy *policy_manager_find(const struct policy_manager *pm, const char *name);
/* Live or recently deleted, for naming the policy of an event. */
const struct live_policy *policy_manager_by_id(const struct policy_manager *pm, uint32_t id);
void policy_manager_counters(const struct policy_manager *pm, const struct live_policy *lp,
			     struct rtenf_policy_counters *sum);
uint64_t policy_manager_memory(const struct live_policy *lp);

const char *rtenf_mode_name(enum rtenf_mode m);

#endif /* RTENF_POLICY_MANAGER_H */
