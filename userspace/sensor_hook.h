/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loads one compiled hook as its own copy of the generic program of its
 * family (kernel/generic_*.bpf.c, kernel/cgroup_sock.bpf.c), by the
 * mechanism the compiler chose.  Every family follows the same steps:
 * open, share the base sensor's maps, write the compiled hook into
 * read-only data, size the value maps from the policy, switch on only the
 * programs the mechanism needs, load, fill the value maps, attach.
 */
#ifndef RTENF_SENSOR_HOOK_H
#define RTENF_SENSOR_HOOK_H

#include <stdint.h>

#include "policy_compile.h"
#include "sensor_base.h"

#define HOOK_MAX_LINKS 6

struct loaded_hook {
	void *skel;
	void (*destroy_skel)(void *skel);
	struct bpf_link *links[HOOK_MAX_LINKS];
	unsigned n_links;
	char *kind;         /* "tracepoint", "kprobe", "lsm", "uprobe" */
	char *target;       /* "syscalls/sys_enter_unshare", "security_file_open", ... */
	char *mechanism;    /* how it is attached */
	char *enforcement;  /* how its actions take effect */
	uint64_t memory;    /* bytes of this hook's own maps */
};

/* What every family's loader gets. */
struct hook_load_ctx {
	const struct compiled_hook *h;
	const struct base_sensor *bs;
	const struct rtenf_hash_key *key;
	uint32_t slot;
	uint32_t policy_id;
	char *err;
	size_t errlen;
};

int hook_load(const struct compiled_hook *h, const struct base_sensor *bs, const struct rtenf_hash_key *key,
	      uint32_t slot, uint32_t policy_id, struct loaded_hook *out, char *err, size_t errlen);
void loaded_hook_destroy(struct loaded_hook *lh);

/* ---- for the family loaders (sensor_*.c) ---- */

/* The open-to-load steps every family shares.  cfg and key point into the
 * skeleton's read-only data. */
int hook_prepare(const struct hook_load_ctx *c, struct bpf_object *obj, struct rtenf_hook_config *cfg,
		 struct rtenf_hash_key *key, struct bpf_map *saved_calls);
/* After load: the value maps of obj (hook_maps.h). */
int hook_fill_values(const struct hook_load_ctx *c, const struct bpf_object *obj);
int hook_add_link(const struct hook_load_ctx *c, struct loaded_hook *out, struct bpf_link *link, const char *what);
void hook_describe(const struct hook_load_ctx *c, struct loaded_hook *out, struct bpf_object *obj);
/* Says the kernel refused to load `what` (r: the negative errno), with the
 * verifier's reason when it gave one; returns r. */
int hook_refused(const struct hook_load_ctx *c, const char *what, int r);
/* Keeps only the named programs of obj (NULL-terminated list). */
void hook_autoload_only(struct bpf_object *obj, const char *const *names);

int tracepoint_family_load(const struct hook_load_ctx *c, struct loaded_hook *out);
int kprobe_family_load(const struct hook_load_ctx *c, struct loaded_hook *out);
int lsm_family_load(const struct hook_load_ctx *c, struct loaded_hook *out);
int uprobe_family_load(const struct hook_load_ctx *c, struct loaded_hook *out);
int cgroup_sock_load(const struct hook_load_ctx *c, struct loaded_hook *out);

#endif /* RTENF_SENSOR_HOOK_H */
