// SPDX-License-Identifier: GPL-2.0-only
/* lsmhooks as BPF LSM programs: kernel/generic_lsm.bpf.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sensor_hook.h"
/* the skeleton needs the shared headers sensor_hook.h brings in */
#include "generic_lsm.skel.h"

const void *lsm_family_elf(size_t *sz)
{
	return generic_lsm_bpf__elf_bytes(sz);
}

static void destroy(void *skel)
{
	generic_lsm_bpf__destroy(skel);
}

int lsm_family_load(const struct hook_load_ctx *c, struct loaded_hook *out)
{
	const struct compiled_hook *h = c->h;
	struct generic_lsm_bpf *skel;
	int r;

	skel = generic_lsm_bpf__open();
	if (!skel) {
		snprintf(c->err, c->errlen, "opening the LSM program failed: %s", strerror(errno));
		return -errno;
	}
	out->skel = skel;
	out->destroy_skel = destroy;
	r = hook_prepare(c, skel->obj, (struct rtenf_hook_config *)&skel->rodata->rtenf_cfg,
			 (struct rtenf_hash_key *)&skel->rodata->rtenf_key, skel->maps.saved_calls);
	if (r)
		return r;
	bpf_program__set_attach_target(skel->progs.lsm_hook, 0, h->attach);
	r = generic_lsm_bpf__load(skel);
	if (r) {
		char what[256];

		snprintf(what, sizeof(what), "the LSM program on %s", h->attach);
		return hook_refused(c, what, r);
	}
	r = hook_fill_values(c, skel->obj);
	if (!r)
		r = hook_add_link(c, out, bpf_program__attach_lsm(skel->progs.lsm_hook), h->attach);
	if (r)
		return r;
	hook_describe(c, out, skel->obj);
	return 0;
}
