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
#define HOOK_MAX_MAPS  8

/* A hook loaded here (skel set) or adopted from pins (skel NULL: links and
 * maps opened from bpffs).  Either way the links and maps are the same
 * kernel objects the pins name. */
struct loaded_hook {
	void *skel;
	void (*destroy_skel)(void *skel);
	struct bpf_link *links[HOOK_MAX_LINKS];
	unsigned n_links;
	int map_fds[HOOK_MAX_MAPS];   /* this hook's own maps (owned fds) */
	char *map_names[HOOK_MAX_MAPS];
	unsigned n_maps;
	char *kind;         /* "tracepoint", "kprobe", "lsm", "uprobe" */
	char *target;       /* "syscalls/sys_enter_unshare", "security_file_open", ... */
	char *mechanism;    /* how it is attached */
	char *enforcement;  /* how its actions take effect */
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

/* pin_dir: when not NULL, the hook's links and maps are pinned there as
 * hookI_linkJ and hookI_map_NAME (I = h->cfg.hook_id). */
int hook_load(const struct compiled_hook *h, const struct base_sensor *bs, const struct rtenf_hash_key *key,
	      uint32_t slot, uint32_t policy_id, const char *pin_dir, struct loaded_hook *out, char *err,
	      size_t errlen);
/* Opens the n_links links and the maps a previous agent pinned for hook h
 * in pin_dir.  Attaches nothing. */
int hook_adopt(const struct compiled_hook *h, const char *pin_dir, unsigned n_links, struct loaded_hook *out,
	       char *err, size_t errlen);
/* Closes the hook; links that are still pinned stay attached. */
void loaded_hook_destroy(struct loaded_hook *lh);
/* Bytes of kernel memory of the hook's own maps, now. */
uint64_t loaded_hook_memory(const struct loaded_hook *lh);
/* A hash of every embedded BPF object: two agents with the same build id
 * load the same programs and read the same records. */
uint64_t hook_bpf_build_id(void);

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

/* The embedded objects (for hook_bpf_build_id()). */
const void *tracepoint_family_elf(size_t *sz);
const void *kprobe_family_elf(size_t *sz);
const void *lsm_family_elf(size_t *sz);
const void *uprobe_family_elf(size_t *sz);
const void *cgroup_sock_elf(size_t *sz);

#endif /* RTENF_SENSOR_HOOK_H */
