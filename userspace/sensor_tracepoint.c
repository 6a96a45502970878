// SPDX-License-Identifier: GPL-2.0-only
/* Tracepoint hooks (and syscall kprobes through syscall tracepoints):
 * kernel/generic_tracepoint.bpf.c. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sensor_hook.h"
/* the skeleton needs the shared headers sensor_hook.h brings in */
#include "generic_tracepoint.skel.h"

const void *tracepoint_family_elf(size_t *sz)
{
	return generic_tracepoint_bpf__elf_bytes(sz);
}

static void destroy(void *skel)
{
	generic_tracepoint_bpf__destroy(skel);
}

int tracepoint_family_load(const struct hook_load_ctx *c, struct loaded_hook *out)
{
	const struct compiled_hook *h = c->h;
	const char *progs[3] = {NULL, NULL, NULL};
	struct generic_tracepoint_bpf *skel;
	int r;

	skel = generic_tracepoint_bpf__open();
	if (!skel) {
		snprintf(c->err, c->errlen, "opening the tracepoint program failed: %s", strerror(errno));
		return -errno;
	}
	out->skel = skel;
	out->destroy_skel = destroy;
	r = hook_prepare(c, skel->obj, (struct rtenf_hook_config *)&skel->rodata->rtenf_cfg,
			 (struct rtenf_hash_key *)&skel->rodata->rtenf_key, skel->maps.saved_calls);
	if (r)
		return r;
	progs[0] = h->mechanism == MECH_RAW_TRACEPOINT ? "tp_raw" : "tp_enter";
	if (h->exit_event)
		progs[1] = "tp_exit";
	hook_autoload_only(skel->obj, progs);
	r = generic_tracepoint_bpf__load(skel);
	if (r) {
		return hook_refused(c, "the hook program", r);
	}
	r = hook_fill_values(c, skel->obj);
	if (r)
		return r;
	if (h->mechanism == MECH_RAW_TRACEPOINT)
		r = hook_add_link(c, out, bpf_program__attach_raw_tracepoint(skel->progs.tp_raw, h->event), h->event);
	else
		r = hook_add_link(c, out, bpf_program__attach_tracepoint(skel->progs.tp_enter, h->subsystem, h->event),
				  h->event);
	if (!r && h->exit_event)
		r = hook_add_link(c, out, bpf_program__attach_tracepoint(skel->progs.tp_exit, "syscalls", h->exit_event),
				  h->exit_event);
	if (r)
		return r;
	hook_describe(c, out, skel->obj);
	return 0;
}
