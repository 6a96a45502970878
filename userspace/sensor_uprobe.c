// SPDX-License-Identifier: GPL-2.0-only
/* Uprobe hooks: kernel/generic_uprobe.bpf.c on a function of a binary. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sensor_hook.h"
/* the skeleton needs the shared headers sensor_hook.h brings in */
#include "generic_uprobe.skel.h"

const void *uprobe_family_elf(size_t *sz)
{
	return generic_uprobe_bpf__elf_bytes(sz);
}

static void destroy(void *skel)
{
	generic_uprobe_bpf__destroy(skel);
}

int uprobe_family_load(const struct hook_load_ctx *c, struct loaded_hook *out)
{
	const struct compiled_hook *h = c->h;
	LIBBPF_OPTS(bpf_uprobe_opts, uo, .func_name = h->attach);
	struct generic_uprobe_bpf *skel;
	int r;

	skel = generic_uprobe_bpf__open();
	if (!skel) {
		snprintf(c->err, c->errlen, "opening the uprobe program failed: %s", strerror(errno));
		return -errno;
	}
	out->skel = skel;
	out->destroy_skel = destroy;
	r = hook_prepare(c, skel->obj, (struct rtenf_hook_config *)&skel->rodata->rtenf_cfg,
			 (struct rtenf_hash_key *)&skel->rodata->rtenf_key, skel->maps.saved_calls);
	if (r)
		return r;
	r = generic_uprobe_bpf__load(skel);
	if (r) {
		return hook_refused(c, "the uprobe program", r);
	}
	r = hook_fill_values(c, skel->obj);
	if (!r)
		r = hook_add_link(c, out, bpf_program__attach_uprobe_opts(skel->progs.uprobe_enter, -1, h->binary, 0, &uo),
				  h->attach);
	if (r)
		return r;
	hook_describe(c, out, skel->obj);
	return 0;
}
