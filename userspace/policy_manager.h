/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The policies the agent runs.  Applying is a transaction over a set of
 * files: everything is parsed, compiled against this kernel, loaded and
 * attached while disabled, and only then switched on; any failure unloads
 * what the transaction loaded and leaves running policies exactly as they
 * were.  A policy's mode lives in the kernel (policy_state), so switching
 * between audit and enforce is one map write: no reload, no gap.
 *
 * With pinning on (pin_store.h) every hook's links and maps are pinned under
 * DIR/policies/ID together with the policy's record (its YAML, slot, id and
 * a digest of what it compiled to), written before the policy is switched
 * on.  A restarted agent recompiles each record, checks the digest and
 * adopts the pinned links: nothing is attached twice, and the counters in
 * the pinned policy_counters map simply continue.
 */
#ifndef RTENF_POLICY_MANAGER_H
#define RTENF_POLICY_MANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup_scope.h"
#include "diag.h"
#include "kernel_view.h"
#include "pin_store.h"
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
	char *yaml;            /* the source, as applied */
	size_t yaml_len;
	char *pin_dir;         /* DIR/policies/ID, or NULL */
	int record_fd;         /* the pinned record map, or -1 */
	bool adopted;          /* taken over from a previous agent's pins */
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
	struct pin_store *ps;         /* NULL or off: nothing pinned */
	uint64_t memory_limit;        /* bytes per policy; 0: none */
	struct cgroup_scopes scopes;  /* policies limited to some cgroups; scopes.cgroups is the agent's table */
};

struct policy_source {
	const char *file;
	const char *yaml;
	size_t len;
};

void policy_manager_init(struct policy_manager *pm, const struct base_sensor *bs, const struct rtenf_hash_key *key,
			 enum rtenf_mode default_mode);
/* keep_pinned: close everything but leave what is pinned attached
 * (enforcement goes on without the agent); else unload and unpin. */
void policy_manager_free(struct policy_manager *pm, bool keep_pinned);

/* Adopts the policies pm->ps holds: each record is recompiled and must give
 * the digest it was pinned with; its links and maps are opened, nothing is
 * attached.  Records of transactions that never finished are removed.  On
 * failure nothing is adopted, nothing that enforces is touched, and *err
 * (caller frees) says why. */
int policy_manager_adopt(struct policy_manager *pm, char **err);
/* After adoption, once pm->scopes.cgroups knows the cgroups there are now:
 * the adopted policies limited to cgroups resolve their scope again (a
 * container may have started while no agent ran) and follow new cgroups
 * from here on.  Until then the pinned scope entries go on applying. */
void policy_manager_adopt_scopes(struct policy_manager *pm);

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
/* Bytes of kernel memory of the maps the policy owns: every hook's own
 * maps (value sets, prefix sets, saved calls, read-only data) and its
 * pinned record. */
uint64_t policy_manager_memory(const struct live_policy *lp);
/* Bytes of kernel memory of the programs behind the policy's links,
 * JIT images included (bpf_links_prog_memory()). */
uint64_t policy_manager_program_memory(const struct live_policy *lp);

const char *rtenf_mode_name(enum rtenf_mode m);

#endif /* RTENF_POLICY_MANAGER_H */
