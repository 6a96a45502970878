// SPDX-License-Identifier: GPL-2.0-only
#include "policy_manager.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "log.h"
#include "policy.h"
#include "util.h"

#define GONE_KEEP 64 /* deleted policies remembered for in-flight events */

const char *rtenf_mode_name(enum rtenf_mode m)
{
	switch (m) {
	case RTENF_MODE_AUDIT:
		return "audit";
	case RTENF_MODE_ENFORCE:
		return "enforce";
	default:
		return "disabled";
	}
}

static uint64_t wall_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void policy_manager_init(struct policy_manager *pm, const struct base_sensor *bs, const struct rtenf_hash_key *key,
			 enum rtenf_mode default_mode)
{
	memset(pm, 0, sizeof(*pm));
	pm->bs = bs;
	pm->state_fd = base_sensor_map_fd(bs, "policy_state");
	pm->counters_fd = base_sensor_map_fd(bs, "policy_counters");
	pm->next_id = 1;
	pm->default_mode = default_mode;
	kernel_view_init_live(&pm->kv, key);
	pm->kv.host_ns_inums = bs->host_ns;
	cgroup_scopes_init(&pm->scopes, base_sensor_map_fd(bs, "cgroup_scopes"), NULL);
}

static int write_state(struct policy_manager *pm, uint32_t slot, enum rtenf_mode mode, uint32_t id)
{
	struct rtenf_policy_state st = {.mode = mode, .policy_id = id};

	return bpf_map_update_elem(pm->state_fd, &slot, &st, BPF_ANY) ? -errno : 0;
}

static void zero_counters(struct policy_manager *pm, uint32_t slot)
{
	int ncpu = libbpf_num_possible_cpus();
	struct rtenf_policy_counters *zero;

	if (ncpu <= 0)
		return;
	zero = xcalloc((size_t)ncpu, sizeof(*zero));
	bpf_map_update_elem(pm->counters_fd, &slot, zero, BPF_ANY);
	free(zero);
}

static void unload(struct policy_manager *pm, struct live_policy *lp)
{
	/* switch off first: the programs stop acting before they go away */
	write_state(pm, lp->slot, RTENF_MODE_DISABLED, 0);
	cgroup_scopes_remove(&pm->scopes, lp->slot);
	for (size_t i = 0; i < lp->n_hooks; i++)
		loaded_hook_destroy(&lp->hooks[i]);
	free(lp->hooks);
	lp->hooks = NULL;
	lp->n_hooks = 0;
	pm->slot_used[lp->slot] = false;
}

static void live_policy_free(struct live_policy *lp)
{
	if (!lp)
		return;
	compiled_policy_free(lp->cp);
	free(lp->name);
	free(lp->file);
	free(lp);
}

static void remember_gone(struct policy_manager *pm, struct live_policy *lp)
{
	if (pm->n_gone == GONE_KEEP) {
		live_policy_free(pm->gone[0]);
		memmove(pm->gone, pm->gone + 1, (GONE_KEEP - 1) * sizeof(*pm->gone));
		pm->n_gone--;
	}
	*VEC_PUSH(pm->gone, pm->n_gone) = lp;
}

static void remove_live(struct policy_manager *pm, struct live_policy *lp)
{
	for (size_t i = 0; i < pm->n_live; i++) {
		if (pm->live[i] == lp) {
			memmove(&pm->live[i], &pm->live[i + 1], (pm->n_live - i - 1) * sizeof(*pm->live));
			pm->n_live--;
			return;
		}
	}
}

struct live_policy *policy_manager_find(const struct policy_manager *pm, const char *name)
{
	for (size_t i = 0; i < pm->n_live; i++)
		if (!strcmp(pm->live[i]->name, name))
			return pm->live[i];
	return NULL;
}

const struct live_policy *policy_manager_by_id(const struct policy_manager *pm, uint32_t id)
{
	for (size_t i = 0; i < pm->n_live; i++)
		if (pm->live[i]->id == id)
			return pm->live[i];
	for (size_t i = 0; i < pm->n_gone; i++)
		if (pm->gone[i]->id == id)
			return pm->gone[i];
	return NULL;
}

static int alloc_slot(struct policy_manager *pm)
{
	for (uint32_t s = 0; s < RTENF_MAX_POLICIES; s++) {
		if (!pm->slot_used[s]) {
			pm->slot_used[s] = true;
			return (int)s;
		}
	}
	return -ENOSPC;
}

static enum rtenf_mode resolve_mode(const struct policy_manager *pm, enum rtenf_mode requested,
				    enum policy_mode own)
{
	if (requested != RTENF_MODE_DISABLED)
		return requested;
	if (own == POLICY_MODE_AUDIT)
		return RTENF_MODE_AUDIT;
	if (own == POLICY_MODE_ENFORCE)
		return RTENF_MODE_ENFORCE;
	return pm->default_mode;
}

/* Loads and attaches every hook with the policy disabled. */
static int load_policy(struct policy_manager *pm, struct live_policy *lp, char **err)
{
	char msg[512];
	int slot = alloc_slot(pm);

	if (slot < 0) {
		*err = xasprintf("no free policy slot: rtenf runs at most %d policies at once", RTENF_MAX_POLICIES);
		return slot;
	}
	lp->slot = (uint32_t)slot;
	lp->id = pm->next_id++;
	write_state(pm, lp->slot, RTENF_MODE_DISABLED, lp->id);
	zero_counters(pm, lp->slot);
	lp->hooks = xcalloc(lp->cp->n_hooks, sizeof(*lp->hooks));
	if (lp->cp->scope.set) {
		char *why = NULL;
		int r = cgroup_scopes_install(&pm->scopes, lp->slot, lp->id, lp->name, &lp->cp->scope, &why);

		if (r) {
			*err = xasprintf("%s:%u:%u: %s", lp->file, lp->cp->scope.loc.line, lp->cp->scope.loc.col, why);
			free(why);
			unload(pm, lp);
			return r;
		}
	}
	for (size_t i = 0; i < lp->cp->n_hooks; i++) {
		const struct compiled_hook *h = &lp->cp->hooks[i];
		int r = hook_load(h, pm->bs, &pm->kv.key, lp->slot, lp->id, &lp->hooks[i], msg, sizeof(msg));

		if (r) {
			*err = xasprintf("%s: policy %s: %s", lp->file, lp->name, msg);
			unload(pm, lp);
			return r;
		}
		lp->n_hooks++;
	}
	return 0;
}

static struct live_policy *compile_source(struct policy_manager *pm, const struct policy_source *s,
					  struct diag_list *diags, char **name)
{
	struct policy *p = policy_parse(s->yaml, s->len, s->file, diags);
	struct compiled_policy *cp;
	struct live_policy *lp;

	if (!p)
		return NULL;
	*name = xstrdup(p->name ? p->name : s->file);
	cp = policy_compile(p, &pm->kv, diags);
	policy_free(p);
	if (!cp)
		return NULL;
	if (!cp->kernel_checked) {
		struct src_loc nowhere = {0};

		diag_error(diags, s->file, nowhere,
			   "cannot read this kernel's tracepoint formats (is tracefs mounted?); nothing applied");
		compiled_policy_free(cp);
		return NULL;
	}
	lp = xcalloc(1, sizeof(*lp));
	lp->cp = cp;
	lp->name = xstrdup(cp->name);
	lp->file = xstrdup(s->file);
	return lp;
}

static size_t count_unsupported_errors(const struct diag_list *diags, size_t from)
{
	size_t n = 0;

	for (size_t i = from; i < diags->n; i++)
		n += diags->v[i].level == DIAG_ERROR && diags->v[i].kernel_lacks;
	return n;
}

/* Whether diags[from..] has errors, all of them facilities this kernel lacks. */
static bool only_kernel_lacks(const struct diag_list *diags, size_t from)
{
	bool any = false;

	for (size_t i = from; i < diags->n; i++) {
		if (diags->v[i].level != DIAG_ERROR)
			continue;
		if (!diags->v[i].kernel_lacks)
			return false;
		any = true;
	}
	return any;
}

static void errors_to_warnings(struct diag_list *diags, size_t from)
{
	for (size_t i = from; i < diags->n; i++)
		diags->v[i].level = DIAG_WARNING;
}

/* "cannot apply on this kernel: a (f.yaml), b (g.yaml); ..." */
static char *unsupported_error(char **names, const struct policy_source *src, const bool *unsupported, size_t n,
			       size_t n_unsupported)
{
	struct strbuf sb = {0};
	bool first = true;
	char *s;

	sb_printf(&sb, "%zu polic%s cannot be applied on this kernel: ", n_unsupported,
		  n_unsupported == 1 ? "y" : "ies");
	for (size_t i = 0; i < n; i++) {
		if (!unsupported[i])
			continue;
		sb_printf(&sb, "%s%s (%s)", first ? "" : ", ", names[i], src[i].file);
		first = false;
	}
	sb_puts(&sb, "; nothing applied (the reasons follow; --skip-unsupported applies the others)");
	s = xstrdup(sb.buf);
	sb_free(&sb);
	return s;
}

int policy_manager_apply(struct policy_manager *pm, const struct policy_source *src, size_t n,
			 const struct apply_opts *opts, struct diag_list *diags, char **err, struct apply_result *res)
{
	struct live_policy **fresh = xcalloc(n ? n : 1, sizeof(*fresh));
	struct live_policy **load = xcalloc(n ? n : 1, sizeof(*load));
	bool *unsupported = xcalloc(n ? n : 1, sizeof(*unsupported));
	char **names = xcalloc(n ? n : 1, sizeof(*names));
	size_t errors = diag_count_errors(diags), n_unsupported = 0, n_fresh = 0;
	int r = 0;

	memset(res, 0, sizeof(*res));
	*err = NULL;
	if (!n) {
		*err = xstrdup("no policy files given");
		r = -EINVAL;
		goto out_free;
	}

	/* 1. parse and compile everything; nothing touches the kernel yet */
	for (size_t i = 0; i < n; i++) {
		size_t from = diags->n;

		fresh[i] = compile_source(pm, &src[i], diags, &names[i]);
		if (!fresh[i] && names[i] && only_kernel_lacks(diags, from)) {
			unsupported[i] = true;
			n_unsupported++;
			if (opts->skip_unsupported) {
				errors_to_warnings(diags, from);
				*VEC_PUSH(res->skipped, res->n_skipped) = xstrdup(names[i]);
				log_warn("skipped %s from %s: this kernel lacks what it needs", names[i], src[i].file);
			}
		}
	}
	if (diag_count_errors(diags) > errors) {
		if (n_unsupported && !opts->skip_unsupported &&
		    diag_count_errors(diags) - errors == count_unsupported_errors(diags, errors)) {
			*err = unsupported_error(names, src, unsupported, n, n_unsupported);
			r = -EOPNOTSUPP;
		} else {
			r = -EINVAL;
		}
		goto out_free;
	}
	/* the policies to load, in order */
	for (size_t i = 0; i < n; i++)
		if (fresh[i])
			load[n_fresh++] = fresh[i];
	for (size_t i = 0; i < n_fresh && !r; i++) {
		for (size_t j = 0; j < i; j++) {
			if (!strcmp(load[i]->name, load[j]->name)) {
				*err = xasprintf("policy %s is defined twice: in %s and %s", load[i]->name,
						 load[j]->file, load[i]->file);
				r = -EEXIST;
				break;
			}
		}
		if (!r && !opts->replace && policy_manager_find(pm, load[i]->name)) {
			*err = xasprintf("policy %s is already loaded; delete it first or apply with --replace",
					 load[i]->name);
			r = -EEXIST;
		}
	}
	if (r)
		goto out_free;

	/* 2. load and attach, disabled */
	for (size_t i = 0; i < n_fresh; i++) {
		r = load_policy(pm, load[i], err);
		if (r) {
			for (size_t j = 0; j < i; j++)
				unload(pm, load[j]);
			goto out_free;
		}
	}

	/* 3. switch on, then retire what they replace: briefly both run, never neither */
	for (size_t i = 0; i < n_fresh; i++) {
		struct live_policy *lp = load[i], *old = policy_manager_find(pm, lp->name);

		lp->mode = resolve_mode(pm, opts->mode, lp->cp->mode);
		lp->loaded_at = wall_now_ns();
		write_state(pm, lp->slot, lp->mode, lp->id);
		if (old) {
			unload(pm, old);
			remove_live(pm, old);
			remember_gone(pm, old);
		}
		*VEC_PUSH(pm->live, pm->n_live) = lp;
		log_info("applied %s from %s (%s, %zu hook%s)", lp->name, lp->file, rtenf_mode_name(lp->mode),
			 lp->n_hooks, lp->n_hooks == 1 ? "" : "s");
	}
	res->applied = load;
	res->n_applied = n_fresh;
	load = NULL;

out_free:
	if (r) {
		for (size_t i = 0; i < n; i++)
			live_policy_free(fresh[i]);
		for (size_t i = 0; i < res->n_skipped; i++)
			free(res->skipped[i]);
		free(res->skipped);
		res->skipped = NULL;
		res->n_skipped = 0;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(unsupported);
	free(fresh);
	free(load);
	return r;
}

void apply_result_free(struct apply_result *res)
{
	free(res->applied);
	for (size_t i = 0; i < res->n_skipped; i++)
		free(res->skipped[i]);
	free(res->skipped);
	memset(res, 0, sizeof(*res));
}

int policy_manager_delete(struct policy_manager *pm, const char *name, char **err)
{
	struct live_policy *lp = policy_manager_find(pm, name);

	if (!lp) {
		*err = xasprintf("no policy named %s; `rtenf list` shows the loaded ones", name);
		return -ENOENT;
	}
	unload(pm, lp);
	remove_live(pm, lp);
	remember_gone(pm, lp);
	log_info("deleted %s", name);
	return 0;
}

int policy_manager_set_mode(struct policy_manager *pm, const char *name, enum rtenf_mode mode, char **err)
{
	struct live_policy *lp = policy_manager_find(pm, name);
	int r;

	if (!lp) {
		*err = xasprintf("no policy named %s; `rtenf list` shows the loaded ones", name);
		return -ENOENT;
	}
	if (mode != RTENF_MODE_AUDIT && mode != RTENF_MODE_ENFORCE) {
		*err = xstrdup("mode must be audit or enforce");
		return -EINVAL;
	}
	r = write_state(pm, lp->slot, mode, lp->id);
	if (r) {
		*err = xasprintf("switching %s failed: %s", name, strerror(-r));
		return r;
	}
	log_info("%s: %s -> %s", name, rtenf_mode_name(lp->mode), rtenf_mode_name(mode));
	lp->mode = mode;
	return 0;
}

void policy_manager_counters(const struct policy_manager *pm, const struct live_policy *lp,
			     struct rtenf_policy_counters *sum)
{
	int ncpu = libbpf_num_possible_cpus();
	struct rtenf_policy_counters *per_cpu;

	memset(sum, 0, sizeof(*sum));
	if (ncpu <= 0)
		return;
	per_cpu = xcalloc((size_t)ncpu, sizeof(*per_cpu));
	if (!bpf_map_lookup_elem(pm->counters_fd, &lp->slot, per_cpu)) {
		for (int c = 0; c < ncpu; c++) {
			sum->matched += per_cpu[c].matched;
			sum->posted += per_cpu[c].posted;
			sum->actions_applied += per_cpu[c].actions_applied;
			sum->actions_audited += per_cpu[c].actions_audited;
			sum->actions_failed += per_cpu[c].actions_failed;
			sum->ringbuf_full += per_cpu[c].ringbuf_full;
			sum->late += per_cpu[c].late;
			sum->read_errors += per_cpu[c].read_errors;
		}
	}
	free(per_cpu);
}

uint64_t policy_manager_memory(const struct live_policy *lp)
{
	uint64_t total = 0;

	for (size_t i = 0; i < lp->n_hooks; i++)
		total += lp->hooks[i].memory;
	return total;
}

void policy_manager_free(struct policy_manager *pm)
{
	for (size_t i = 0; i < pm->n_live; i++) {
		unload(pm, pm->live[i]);
		live_policy_free(pm->live[i]);
	}
	for (size_t i = 0; i < pm->n_gone; i++)
		live_policy_free(pm->gone[i]);
	free(pm->live);
	free(pm->gone);
	cgroup_scopes_free(&pm->scopes);
	memset(pm, 0, sizeof(*pm));
}
