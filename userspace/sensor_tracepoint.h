/* SPDX-License-Identifier: GPL-2.0-only */
/* Loads one compiled tracepoint hook as its own copy of
 * kernel/generic_tracepoint.bpf.c. */
#ifndef RTENF_SENSOR_TRACEPOINT_H
#define RTENF_SENSOR_TRACEPOINT_H

#include <stdint.h>

#include "policy_compile.h"
#include "sensor_base.h"

struct generic_tracepoint_bpf;

struct loaded_hook {
	struct generic_tracepoint_bpf *skel;
	struct bpf_link *enter_link;
	struct bpf_link *exit_link;
	char *target;       /* "syscalls/sys_enter_unshare" */
	char *mechanism;    /* how it is attached */
	char *enforcement;  /* how its actions take effect */
	uint64_t memory;    /* bytes of this hook's own maps */
};

int tracepoint_hook_load(const struct compiled_hook *h, const struct base_sensor *bs,
			 const struct rtenf_hash_key *key, uint32_t slot, uint32_t policy_id,
			 struct loaded_hook *out, char *err, size_t errlen);
void loaded_hook_destroy(struct loaded_hook *lh);

#endif /* RTENF_SENSOR_TRACEPOINT_H */
