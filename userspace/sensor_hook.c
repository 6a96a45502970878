// SPDX-License-Identifier: GPL-2.0-only
#include "sensor_hook.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	/* saved_calls holds calls in flight between entry and return.  A hook
	 * that decides at return saves every call: an LRU, preallocated, so a
	 * return that never comes cannot pin a slot.  A hook that defers only
	 * when a string page is not resident saves rarely: a hash that
	 * allocates per entry, so it costs nothing until used, and whose
	 * overflow is counted (deferred_map_full) instead of silently evicting
	 * another call's pending decision.  Other hooks never save. */
	if (h->cfg.flags & RTENF_HOOKCFG_F_AT_RETURN)
		return 0;
	if (h->return_program || (h->cfg.flags & RTENF_HOOKCFG_F_DEFER_ON_FAULT)) {
		if (bpf_map__set_type(saved_calls, BPF_MAP_TYPE_HASH) ||
		    bpf_map__set_map_flags(saved_calls, bpf_map__map_flags(saved_calls) | BPF_F_NO_PREALLOC)) {
			snprintf(c->err, c->errlen, "sizing the saved-calls map failed");
			return -EINVAL;
		}
		return 0;
	}
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

static void describe_text(const struct compiled_hook *h, struct loaded_hook *out)
{
	struct strbuf mech = {0};

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
}

static void add_map(struct loaded_hook *out, const char *name, int fd)
{
	out->map_names[out->n_maps] = xstrdup(name);
	pin_name_sanitize(out->map_names[out->n_maps]);
	out->map_fds[out->n_maps++] = fd;
}

void hook_describe(const struct hook_load_ctx *c, struct loaded_hook *out, struct bpf_object *obj)
{
	struct bpf_map *m;

	describe_text(c->h, out);
	bpf_object__for_each_map(m, obj) {
		int fd;

		if (base_sensor_map_fd(c->bs, bpf_map__name(m)) >= 0)
			continue; /* shared: counted once, as the base sensor's */
		fd = fcntl(bpf_map__fd(m), F_DUPFD_CLOEXEC, 0);
		if (fd >= 0 && out->n_maps < HOOK_MAX_MAPS)
			add_map(out, bpf_map__name(m), fd);
		else if (fd >= 0)
			close(fd);
	}
}

uint64_t loaded_hook_memory(const struct loaded_hook *lh)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < lh->n_maps; i++)
		total += bpf_map_memory(lh->map_fds[i]);
	return total;
}

static int hook_pin(const struct compiled_hook *h, struct loaded_hook *lh, const char *dir, char *err,
		    size_t errlen)
{
	for (unsigned i = 0; i < lh->n_links; i++) {
		char *path = xasprintf("%s/hook%u_link%u", dir, h->cfg.hook_id, i);
		int r = bpf_link__pin(lh->links[i], path);

		if (r) {
			snprintf(err, errlen, "cannot pin %s: %s (pinning needs BPF links for every attachment: Linux "
				 "5.15 or later for tracepoints, kprobes and uprobes; or run the agent with --bpf-dir none)",
				 path, strerror(-r));
			free(path);
			return r;
		}
		free(path);
	}
	for (unsigned i = 0; i < lh->n_maps; i++) {
		char *path = xasprintf("%s/hook%u_map_%s", dir, h->cfg.hook_id, lh->map_names[i]);

		if (bpf_obj_pin(lh->map_fds[i], path)) {
			int r = -errno;

			snprintf(err, errlen, "cannot pin %s: %s", path, strerror(-r));
			free(path);
			return r;
		}
		free(path);
	}
	return 0;
}

int hook_adopt(const struct compiled_hook *h, const char *pin_dir, unsigned n_links, struct loaded_hook *out,
	       char *err, size_t errlen)
{
	char *prefix = xasprintf("hook%u_map_", h->cfg.hook_id);
	struct dirent *de;
	DIR *d;
	int r = 0;

	memset(out, 0, sizeof(*out));
	if (n_links > HOOK_MAX_LINKS) {
		snprintf(err, errlen, "%s: the record says hook %u has %u links", pin_dir, h->cfg.hook_id, n_links);
		r = -EPROTO;
		goto out;
	}
	for (unsigned i = 0; i < n_links; i++) {
		char *path = xasprintf("%s/hook%u_link%u", pin_dir, h->cfg.hook_id, i);

		out->links[i] = bpf_link__open(path);
		if (!out->links[i]) {
			r = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(-r));
			free(path);
			goto out;
		}
		out->n_links++;
		free(path);
	}
	d = opendir(pin_dir);
	if (!d) {
		r = -errno;
		snprintf(err, errlen, "%s: %s", pin_dir, strerror(-r));
		goto out;
	}
	while ((de = readdir(d)) && out->n_maps < HOOK_MAX_MAPS) {
		char *path;
		int fd;

		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		path = xasprintf("%s/%s", pin_dir, de->d_name);
		fd = bpf_obj_get(path);
		free(path);
		if (fd >= 0)
			add_map(out, de->d_name + strlen(prefix), fd);
	}
	closedir(d);
	for (unsigned i = 0; i < out->n_maps; i++) {
		if (strcmp(out->map_names[i], "value_sets"))
			continue;
		r = hook_maps_adopt_follow(h, out->map_fds[i]);
		if (r) {
			snprintf(err, errlen, "%s: the followChildren sets of hook %u: %s", pin_dir, h->cfg.hook_id,
				 strerror(-r));
			goto out;
		}
	}
	describe_text(h, out);
out:
	free(prefix);
	if (r)
		loaded_hook_destroy(out);
	return r;
}

uint64_t hook_bpf_build_id(void)
{
	const void *(*const objs[])(size_t *) = {
		base_sensor_elf, tracepoint_family_elf, kprobe_family_elf, lsm_family_elf, uprobe_family_elf,
		cgroup_sock_elf,
	};
	uint64_t id = 0;

	for (size_t i = 0; i < ARRAY_SIZE(objs); i++) {
		size_t sz = 0;
		const void *p = objs[i](&sz);

		id = pin_digest(id, p, sz);
	}
	return id;
}

int hook_load(const struct compiled_hook *h, const struct base_sensor *bs, const struct rtenf_hash_key *key,
	      uint32_t slot, uint32_t policy_id, const char *pin_dir, struct loaded_hook *out, char *err,
	      size_t errlen)
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
	if (!r && pin_dir)
		r = hook_pin(h, out, pin_dir, err, errlen);
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
	for (unsigned i = 0; i < lh->n_maps; i++) {
		close(lh->map_fds[i]);
		free(lh->map_names[i]);
	}
	if (lh->skel && lh->destroy_skel)
		lh->destroy_skel(lh->skel);
	free(lh->kind);
	free(lh->target);
	free(lh->mechanism);
	free(lh->enforcement);
	memset(lh, 0, sizeof(*lh));
}
