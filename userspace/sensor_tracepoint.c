// SPDX-License-Identifier: GPL-2.0-only
#include "sensor_tracepoint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "bpf_setup.h"
#include "feature_probe.h"
#include "generic_tracepoint.skel.h"
#include "hook_maps.h"
#include "util.h"

static bool hook_signals(const struct compiled_hook *h)
{
	for (unsigned s = 0; s < h->cfg.nselectors && s < RTENF_MAX_SELECTORS; s++)
		if (h->cfg.selectors[s].action_bits &
		    (RTENF_ACTION_BIT(RTENF_ACTION_SIGKILL) | RTENF_ACTION_BIT(RTENF_ACTION_SIGNAL)))
			return true;
	return false;
}

int tracepoint_hook_load(const struct compiled_hook *h, const struct base_sensor *bs,
			 const struct rtenf_hash_key *key, uint32_t slot, uint32_t policy_id,
			 struct loaded_hook *out, char *err, size_t errlen)
{
	struct generic_tracepoint_bpf *skel;
	bool late = h->exit_event != NULL;
	int r;

	memset(out, 0, sizeof(*out));
	if (hook_signals(h) && !feature_has(FEAT_HELPER_SEND_SIGNAL)) {
		snprintf(err, errlen, "%s/%s: Sigkill and Signal need bpf_send_signal, which this kernel lacks (5.3 or later)",
			 h->subsystem, h->event);
		return -EOPNOTSUPP;
	}

	skel = generic_tracepoint_bpf__open();
	if (!skel) {
		r = -errno;
		snprintf(err, errlen, "%s/%s: opening the hook program failed: %s", h->subsystem, h->event, strerror(-r));
		return r;
	}
	r = base_sensor_share_maps(bs, skel->obj);
	if (r) {
		snprintf(err, errlen, "%s/%s: sharing the agent's maps failed: %s", h->subsystem, h->event, strerror(-r));
		goto out_destroy_skel;
	}
	skel->rodata->rtenf_key = *key;
	memcpy((void *)&skel->rodata->rtenf_cfg, &h->cfg, sizeof(h->cfg));
	skel->rodata->rtenf_cfg.policy_slot = slot;
	skel->rodata->rtenf_cfg.policy_id = policy_id;
	hook_maps_size(h, skel->maps.value_sets, skel->maps.prefix_sets);
	if (!late) {
		bpf_program__set_autoload(skel->progs.tp_exit, false);
		bpf_map__set_max_entries(skel->maps.deferred, 1);
	}

	r = generic_tracepoint_bpf__load(skel);
	if (r) {
		snprintf(err, errlen, "%s/%s: the kernel refused the hook program: %s (run the agent with --log-level debug for the verifier log)",
			 h->subsystem, h->event, strerror(-r));
		goto out_destroy_skel;
	}
	r = hook_maps_fill(h, skel->maps.value_sets, skel->maps.prefix_sets);
	if (r) {
		snprintf(err, errlen, "%s/%s: filling the value maps failed: %s", h->subsystem, h->event, strerror(-r));
		goto out_destroy_skel;
	}

	out->enter_link = bpf_program__attach_tracepoint(skel->progs.tp_enter, h->subsystem, h->event);
	if (!out->enter_link) {
		r = -errno;
		snprintf(err, errlen, "%s/%s: attaching failed: %s", h->subsystem, h->event, strerror(-r));
		goto out_destroy_skel;
	}
	if (late) {
		out->exit_link = bpf_program__attach_tracepoint(skel->progs.tp_exit, "syscalls", h->exit_event);
		if (!out->exit_link) {
			r = -errno;
			snprintf(err, errlen, "syscalls/%s: attaching the late-decision program failed: %s", h->exit_event,
				 strerror(-r));
			goto out_destroy_enter_link;
		}
	}

	out->skel = skel;
	out->target = xasprintf("%s/%s", h->subsystem, h->event);
	out->mechanism = late ? xasprintf("tracepoint, decided at syscall exit when a string page is not resident (%s)",
					  h->exit_event)
			      : xstrdup("tracepoint");
	out->enforcement = hook_signals(h) ? xstrdup("bpf_send_signal") : xstrdup("none (observe only)");
	out->memory = bpf_map_memory(bpf_map__fd(skel->maps.value_sets)) +
		      bpf_map_memory(bpf_map__fd(skel->maps.prefix_sets)) +
		      bpf_map_memory(bpf_map__fd(skel->maps.deferred)) +
		      bpf_map_memory(bpf_map__fd(skel->maps.rodata));
	return 0;

out_destroy_enter_link:
	bpf_link__destroy(out->enter_link);
	out->enter_link = NULL;
out_destroy_skel:
	generic_tracepoint_bpf__destroy(skel);
	return r;
}

void loaded_hook_destroy(struct loaded_hook *lh)
{
	bpf_link__destroy(lh->exit_link);
	bpf_link__destroy(lh->enter_link);
	generic_tracepoint_bpf__destroy(lh->skel);
	free(lh->target);
	free(lh->mechanism);
	free(lh->enforcement);
	memset(lh, 0, sizeof(*lh));
}
