// SPDX-License-Identifier: GPL-2.0-only
#include "sensor_hook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "feature_probe.h"
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

static bool hook_overrides(const struct compiled_hook *h)
{
	for (unsigned s = 0; s < h->cfg.nselectors && s < RTENF_MAX_SELECTORS; s++)
		if (h->cfg.selectors[s].action_bits & RTENF_ACTION_BIT(RTENF_ACTION_OVERRIDE))
			return true;
	return false;
}

int hook_prepare(const struct hook_load_ctx *c, struct bpf_object *obj, struct rtenf_hook_config *cfg,
		 struct rtenf_hash_key *key, struct bpf_map *saved_calls)
{
	const struct compiled_hook *h = c->h;
	int r = base_sensor_share_maps(c->bs, obj);

	if (r) {
		snprintf(c->err, c->errlen, "sharing the agent's maps failed: %s", strerror(-r));
		return r;
	}
	*key = *c->key;
	memcpy(cfg, &h->cfg, sizeof(*cfg));
	cfg->policy_slot = c->slot;
	cfg->policy_id = c->policy_id;
	hook_maps_size(h, obj);
	if (!h->return_program && !(h->cfg.flags & (RTENF_HOOKCFG_F_AT_RETURN | RTENF_HOOKCFG_F_DEFER_ON_FAULT)))
		bpf_map__set_max_entries(saved_calls, 1);
	return 0;
}

int hook_fill_values(const struct hook_load_ctx *c, const struct bpf_object *obj)
{
	int r = hook_maps_fill(c->h, obj);

	if (r == -ENOSPC)
		snprintf(c->err, c->errlen, "too many matchBinaries followChildren filters: at most %d are loaded at once, "
			 "all policies together", RTENF_FOLLOW_SETS);
	else if (r == -EOVERFLOW)
		snprintf(c->err, c->errlen, "too many matchBinaries followChildren binaries: at most %d are listed at once, "
			 "all policies together", RTENF_FOLLOW_BINARIES);
	else if (r)
		snprintf(c->err, c->errlen, "filling the value maps failed: %s", strerror(-r));
	return r;
}

void hook_autoload_only(struct bpf_object *obj, const char *const *names)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj) {
		bool keep = false;

		for (const char *const *n = names; *n; n++)
			keep |= !strcmp(bpf_program__name(p), *n);
		bpf_program__set_autoload(p, keep);
	}
}

int hook_add_link(const struct hook_load_ctx *c, struct loaded_hook *out, struct bpf_link *link, const char *what)
{
	if (!link) {
		int r = -errno;

		snprintf(c->err, c->errlen, "attaching %s failed: %s", what, strerror(-r));
		return r ? r : -EINVAL;
	}
	out->links[out->n_links++] = link;
	return 0;
}

static const char *kind_name(enum policy_hook_kind k)
{
	switch (k) {
	case POLICY_HOOK_KPROBE:
		return "kprobe";
	case POLICY_HOOK_LSM:
		return "lsmhook";
	case POLICY_HOOK_UPROBE:
		return "uprobe";
	default:
		return "tracepoint";
	}
}

void hook_describe(const struct hook_load_ctx *c, struct loaded_hook *out, struct bpf_object *obj)
{
	const struct compiled_hook *h = c->h;
	struct strbuf mech = {0};
	struct bpf_map *m;

	out->kind = xstrdup(kind_name(h->kind));
	if (h->kind == POLICY_HOOK_TRACEPOINT)
		out->target = xasprintf("%s/%s", h->subsystem, h->event);
	else if (h->kind == POLICY_HOOK_UPROBE)
		out->target = xasprintf("%s:%s", h->binary, h->function);
	else
		out->target = xstrdup(h->function);
	sb_puts(&mech, hook_mechanism_name(h->mechanism));
	if (h->mechanism == MECH_SYSCALL_TRACEPOINT || h->mechanism == MECH_TRACEPOINT ||
	    h->mechanism == MECH_RAW_TRACEPOINT) {
		sb_printf(&mech, " %s/%s", h->subsystem, h->event);
	} else if (h->mechanism == MECH_CGROUP_SOCK) {
		const char *sep = " ";

		if (h->sock_ops & RTENF_SOCK_CONNECT)
			sb_printf(&mech, "%sconnect4/6", sep), sep = ", ";
		if (h->sock_ops & RTENF_SOCK_BIND)
			sb_printf(&mech, "%sbind4/6", sep), sep = ", ";
		if (h->sock_ops & RTENF_SOCK_SENDMSG)
			sb_printf(&mech, "%ssendmsg4/6", sep);
		sb_puts(&mech, " on the cgroup v2 root");
	} else if (h->attach && h->function && strcmp(h->attach, h->function)) {
		sb_printf(&mech, " on %s", h->attach);
	}
	if (h->cfg.flags & RTENF_HOOKCFG_F_AT_RETURN)
		sb_puts(&mech, ", decided at return");
	else if (h->cfg.flags & RTENF_HOOKCFG_F_DEFER_ON_FAULT)
		sb_puts(&mech, ", decided at return when a string page is not resident");
	out->mechanism = sb_steal(&mech);

	if (hook_overrides(h)) {
		const char *how = h->mechanism == MECH_LSM		 ? "LSM verdict"
				  : h->mechanism == MECH_FMOD_RET	 ? "fmod_ret return value"
				  : h->mechanism == MECH_KPROBE_OVERRIDE ? "bpf_override_return"
									 : "cgroup program verdict (EPERM)";

		out->enforcement = hook_signals(h) ? xasprintf("%s, bpf_send_signal", how) : xstrdup(how);
	} else {
		out->enforcement = xstrdup(hook_signals(h) ? "bpf_send_signal" : "none (observe only)");
	}
	out->memory = 0;
	bpf_object__for_each_map(m, obj) {
		if (base_sensor_map_fd(c->bs, bpf_map__name(m)) >= 0)
			continue; /* shared: counted once, as the base sensor's */
		out->memory += bpf_map_memory(bpf_map__fd(m));
	}
}

int hook_load(const struct compiled_hook *h, const struct base_sensor *bs, const struct rtenf_hash_key *key,
	      uint32_t slot, uint32_t policy_id, struct loaded_hook *out, char *err, size_t errlen)
{
	struct hook_load_ctx c = {
		.h = h, .bs = bs, .key = key, .slot = slot, .policy_id = policy_id, .err = err, .errlen = errlen,
	};
	int r;

	memset(out, 0, sizeof(*out));
	if (hook_signals(h) && !feature_has(FEAT_HELPER_SEND_SIGNAL)) {
		snprintf(err, errlen, "Sigkill and Signal need bpf_send_signal, which this kernel lacks (5.3 or later)");
		return -EOPNOTSUPP;
	}
	switch (h->mechanism) {
	case MECH_TRACEPOINT:
	case MECH_RAW_TRACEPOINT:
	case MECH_SYSCALL_TRACEPOINT:
		r = tracepoint_family_load(&c, out);
		break;
	case MECH_LSM:
		r = lsm_family_load(&c, out);
		break;
	case MECH_UPROBE:
		r = uprobe_family_load(&c, out);
		break;
	case MECH_CGROUP_SOCK:
		r = cgroup_sock_load(&c, out);
		break;
	default:
		r = kprobe_family_load(&c, out);
		break;
	}
	if (r)
		loaded_hook_destroy(out);
	return r;
}

int hook_refused(const struct hook_load_ctx *c, const char *what, int r)
{
	const char *why = bpf_last_refusal();

	if (*why)
		snprintf(c->err, c->errlen, "the kernel refused %s: %s; the verifier said: %s", what, strerror(-r), why);
	else
		snprintf(c->err, c->errlen, "the kernel refused %s: %s", what, strerror(-r));
	return r;
}

void loaded_hook_destroy(struct loaded_hook *lh)
{
	for (unsigned i = lh->n_links; i > 0; i--)
		bpf_link__destroy(lh->links[i - 1]);
	if (lh->skel && lh->destroy_skel)
		lh->destroy_skel(lh->skel);
	free(lh->kind);
	free(lh->target);
	free(lh->mechanism);
	free(lh->enforcement);
	memset(lh, 0, sizeof(*lh));
}
