// SPDX-License-Identifier: GPL-2.0-only
#include "policy_manager.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
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

/* Closes the policy's programs.  unpin: switch it off and remove its pins
 * first, so it is gone for good; else what is pinned stays attached. */
static void close_policy(struct policy_manager *pm, struct live_policy *lp, bool unpin)
{
	if (unpin) {
		/* switch off first: the programs stop acting before they go away */
		write_state(pm, lp->slot, RTENF_MODE_DISABLED, 0);
		cgroup_scopes_remove(&pm->scopes, lp->slot);
		if (lp->pin_dir && pin_store_remove_policy(pm->ps, lp->id))
			log_warn("could not remove every pin of policy %s from %s", lp->name, lp->pin_dir);
	} else {
		/* the kernel's entry stays with the pinned programs */
		cgroup_scopes_forget(&pm->scopes, lp->slot);
	}
	for (size_t i = 0; i < lp->n_hooks; i++)
		loaded_hook_destroy(&lp->hooks[i]);
	free(lp->hooks);
	lp->hooks = NULL;
	lp->n_hooks = 0;
	if (lp->record_fd >= 0)
		close(lp->record_fd);
	lp->record_fd = -1;
	free(lp->pin_dir);
	lp->pin_dir = NULL;
	pm->slot_used[lp->slot] = false;
}

static void unload(struct policy_manager *pm, struct live_policy *lp)
{
	close_policy(pm, lp, true);
}

static void live_policy_free(struct live_policy *lp)
{
	if (!lp)
		return;
	compiled_policy_free(lp->cp);
	free(lp->name);
	free(lp->file);
	free(lp->yaml);
	free(lp->pin_dir);
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

static void digest_bytes(uint64_t *d, const void *p, size_t len)
{
	*d = pin_digest(*d, p, len);
}

static void digest_str(uint64_t *d, const char *s)
{
	/* NULL and "" differ: the length is in the digest, NULL adds one more */
	digest_bytes(d, s ? s : "", s ? strlen(s) : 0);
	if (!s)
		*d = pin_digest(*d, "\0", 1);
}

/* What a policy compiled to, as far as its programs and its events go: a
 * recompile at adoption must give the same, or the pinned programs are not
 * what this agent would describe. */
static uint64_t policy_digest(const struct compiled_policy *cp)
{
	uint64_t d = cp->n_hooks;

	digest_str(&d, cp->name);
	for (size_t i = 0; i < cp->n_hooks; i++) {
		const struct compiled_hook *h = &cp->hooks[i];
		uint32_t nums[5] = {h->kind, h->mechanism, h->sock_ops, h->return_program, (uint32_t)h->n_tags};

		digest_bytes(&d, nums, sizeof(nums));
		digest_bytes(&d, &h->cfg, sizeof(h->cfg));
		digest_bytes(&d, h->values, h->n_values * sizeof(*h->values));
		digest_bytes(&d, h->prefixes, h->n_prefixes * sizeof(*h->prefixes));
		digest_str(&d, h->subsystem);
		digest_str(&d, h->event);
		digest_str(&d, h->exit_event);
		digest_str(&d, h->function);
		digest_str(&d, h->attach);
		digest_str(&d, h->binary);
		digest_str(&d, h->message);
		for (size_t t = 0; t < h->n_tags; t++)
			digest_str(&d, h->tags[t]);
		for (size_t a = 0; a < h->n_emitted; a++) {
			uint32_t types[2] = {h->emitted[a].type, h->emitted[a].policy_type};

			digest_bytes(&d, types, sizeof(types));
			digest_str(&d, h->emitted[a].label);
		}
	}
	return d;
}

static void bytes_text(char *buf, size_t len, uint64_t n)
{
	if (n >= 10u << 20)
		snprintf(buf, len, "%.1f MiB", (double)n / (1 << 20));
	else if (n >= 10u << 10)
		snprintf(buf, len, "%.1f KiB", (double)n / (1 << 10));
	else
		snprintf(buf, len, "%llu B", (unsigned long long)n);
}

/* The policy's largest map, for a refusal that says where memory goes. */
static void largest_map(const struct live_policy *lp, char *buf, size_t len)
{
	uint64_t best = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < lp->n_hooks; i++) {
		for (unsigned m = 0; m < lp->hooks[i].n_maps; m++) {
			uint64_t b = bpf_map_memory(lp->hooks[i].map_fds[m]);
			char size[32];

			if (b <= best)
				continue;
			best = b;
			bytes_text(size, sizeof(size), b);
			snprintf(buf, len, "; the largest map is %s of hook %zu (%s, %s)", lp->hooks[i].map_names[m], i,
				 lp->hooks[i].target, size);
		}
	}
}

static int check_memory(struct policy_manager *pm, struct live_policy *lp, char **err)
{
	uint64_t mem = policy_manager_memory(lp);
	char need[32], limit[32], where[256];

	if (!pm->memory_limit || mem <= pm->memory_limit)
		return 0;
	bytes_text(need, sizeof(need), mem);
	bytes_text(limit, sizeof(limit), pm->memory_limit);
	largest_map(lp, where, sizeof(where));
	*err = xasprintf("%s: policy %s needs %llu bytes (%s) of kernel memory, over the agent's "
			 "--policy-memory-limit of %llu bytes (%s)%s; nothing applied",
			 lp->file, lp->name, (unsigned long long)mem, need, (unsigned long long)pm->memory_limit, limit,
			 where);
	return -E2BIG;
}

static int pin_record(struct policy_manager *pm, struct live_policy *lp, char **err)
{
	struct pin_policy pp = {
		.id = lp->id,
		.slot = lp->slot,
		.loaded_at = lp->loaded_at,
		.digest = policy_digest(lp->cp),
		.n_hooks = lp->n_hooks,
		.name = lp->name,
		.file = lp->file,
		.yaml = lp->yaml,
		.yaml_len = lp->yaml_len,
		.mode = lp->mode,
	};
	uint8_t *links = xcalloc(lp->n_hooks ? lp->n_hooks : 1, 1);
	int r;

	for (size_t i = 0; i < lp->n_hooks; i++)
		links[i] = (uint8_t)lp->hooks[i].n_links;
	pp.n_links = links;
	r = pin_store_write_policy(pm->ps, &pp, &lp->record_fd);
	if (r)
		*err = xasprintf("%s: policy %s: cannot pin its record in %s: %s", lp->file, lp->name, lp->pin_dir,
				 strerror(-r));
	free(links);
	return r;
}

static void next_id_used(struct policy_manager *pm)
{
	if (!pin_store_on(pm->ps))
		return;
	pm->ps->meta.next_policy_id = pm->next_id;
	if (pin_store_write_meta(pm->ps))
		log_warn("cannot update %s/meta: policy ids may repeat after a restart", pm->ps->dir);
}

/* Loads and attaches every hook with the policy disabled; pins them and the
 * record when pinning is on. */
static int load_policy(struct policy_manager *pm, struct live_policy *lp, char **err)
{
	char msg[512];
	int slot = alloc_slot(pm), r;

	if (slot < 0) {
		*err = xasprintf("no free policy slot: rtenf runs at most %d policies at once", RTENF_MAX_POLICIES);
		return slot;
	}
	lp->slot = (uint32_t)slot;
	lp->id = pm->next_id++;
	lp->loaded_at = wall_now_ns();
	next_id_used(pm);
	write_state(pm, lp->slot, RTENF_MODE_DISABLED, lp->id);
	zero_counters(pm, lp->slot);
	if (pin_store_on(pm->ps)) {
		r = pin_store_policy_dir(pm->ps, lp->id, &lp->pin_dir);
		if (r) {
			*err = xasprintf("%s: policy %s: cannot create %s: %s", lp->file, lp->name, lp->pin_dir,
					 strerror(-r));
			unload(pm, lp);
			return r;
		}
	}
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

		r = hook_load(h, pm->bs, &pm->kv.key, lp->slot, lp->id, lp->pin_dir, &lp->hooks[i], msg, sizeof(msg));
		if (r) {
			*err = xasprintf("%s: policy %s: %s", lp->file, lp->name, msg);
			unload(pm, lp);
			return r;
		}
		lp->n_hooks++;
	}
	r = lp->pin_dir ? pin_record(pm, lp, err) : 0;
	if (!r)
		r = check_memory(pm, lp, err);
	if (r)
		unload(pm, lp);
	return r;
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
	lp->yaml = xstrndup(s->yaml, s->len);
	lp->yaml_len = s->len;
	lp->record_fd = -1;
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
		load[i]->mode = resolve_mode(pm, opts->mode, load[i]->cp->mode);
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

/* ---- adoption ------------------------------------------------------------ */

static int read_state(struct policy_manager *pm, uint32_t slot, struct rtenf_policy_state *st)
{
	memset(st, 0, sizeof(*st));
	return bpf_map_lookup_elem(pm->state_fd, &slot, st) ? -errno : 0;
}

/* A record whose policy is not running: a transaction (apply, replace,
 * delete) that the previous agent did not finish.  Its programs never
 * acted, or were already switched off. */
static bool committed(struct policy_manager *pm, const struct pin_policy *pp)
{
	struct rtenf_policy_state st;

	if (!pp->complete || read_state(pm, pp->slot, &st))
		return false;
	return st.policy_id == pp->id && (st.mode == RTENF_MODE_AUDIT || st.mode == RTENF_MODE_ENFORCE);
}

static void drop_record(struct policy_manager *pm, const struct pin_policy *pp, const char *why)
{
	struct rtenf_policy_state st;

	log_info("%s/policies/%u: %s; removing it", pm->ps->dir, pp->id, why);
	/* the slot may be someone else's by now: only switch off our own id */
	if (pp->complete && !read_state(pm, pp->slot, &st) && st.policy_id == pp->id)
		write_state(pm, pp->slot, RTENF_MODE_DISABLED, 0);
	if (pp->complete)
		cgroup_scopes_drop_entry(&pm->scopes, pp->slot, pp->id);
	pin_store_remove_policy(pm->ps, pp->id);
}

static struct live_policy *adopt_one(struct policy_manager *pm, const struct pin_policy *pp, char **err)
{
	struct policy_source src = {.file = pp->file, .yaml = pp->yaml, .len = pp->yaml_len};
	struct diag_list diags = {0};
	struct rtenf_policy_state st;
	struct live_policy *lp;
	char msg[512], *path, *name = NULL;

	lp = compile_source(pm, &src, &diags, &name);
	free(name);
	if (!lp) {
		char *first = diags.n ? diag_format(&diags.v[0]) : xstrdup("?");

		*err = xasprintf("pinned policy %s (id %u) no longer compiles on this kernel: %s", pp->name, pp->id,
				 first);
		free(first);
		diag_list_free(&diags);
		return NULL;
	}
	diag_list_free(&diags);
	if (strcmp(lp->name, pp->name) || lp->cp->n_hooks != pp->n_hooks || policy_digest(lp->cp) != pp->digest) {
		*err = xasprintf("pinned policy %s (id %u) compiles to something else than what is running (the "
				 "kernel's tracepoints, symbols or binaries changed?)", pp->name, pp->id);
		live_policy_free(lp);
		return NULL;
	}
	read_state(pm, pp->slot, &st);
	lp->id = pp->id;
	lp->slot = pp->slot;
	lp->mode = (enum rtenf_mode)st.mode;
	lp->loaded_at = pp->loaded_at;
	lp->adopted = true;
	lp->pin_dir = pin_store_path(pm->ps, "policies/%u", pp->id);
	path = xasprintf("%s/record", lp->pin_dir);
	lp->record_fd = bpf_obj_get(path);
	free(path);
	lp->hooks = xcalloc(lp->cp->n_hooks ? lp->cp->n_hooks : 1, sizeof(*lp->hooks));
	for (size_t i = 0; i < lp->cp->n_hooks; i++) {
		if (hook_adopt(&lp->cp->hooks[i], lp->pin_dir, pp->n_links[i], &lp->hooks[i], msg, sizeof(msg))) {
			*err = xasprintf("pinned policy %s (id %u) is incomplete: %s", pp->name, pp->id, msg);
			close_policy(pm, lp, false);
			live_policy_free(lp);
			return NULL;
		}
		lp->n_hooks++;
	}
	pm->slot_used[lp->slot] = true;
	return lp;
}

int policy_manager_adopt(struct policy_manager *pm, char **err)
{
	struct pin_policy *pols;
	uint32_t next = pm->ps->meta.next_policy_id;
	size_t n;
	int r = 0;

	*err = NULL;
	pin_store_read_policies(pm->ps, &pols, &n);
	for (size_t i = 0; i < n; i++) {
		if (!pols[i].complete)
			drop_record(pm, &pols[i], "its record is missing or unreadable (an apply that did not finish)");
		else if (!committed(pm, &pols[i]))
			drop_record(pm, &pols[i], "it was never switched on, or was being deleted");
		else
			continue;
		pin_policy_free(&pols[i]);
	}
	/* both halves of a --replace that did not finish: the newer one won */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n && pols[i].complete; j++) {
			if (i == j || !pols[j].complete || strcmp(pols[i].name, pols[j].name) || pols[i].id > pols[j].id)
				continue;
			drop_record(pm, &pols[i], "a newer version replaced it");
			pin_policy_free(&pols[i]);
		}
	}
	for (size_t i = 0; i < n && !r; i++) {
		struct live_policy *lp;

		if (!pols[i].complete)
			continue;
		if (pols[i].id >= next)
			next = pols[i].id + 1;
		if (pm->slot_used[pols[i].slot]) {
			*err = xasprintf("pinned policies %s and another both claim slot %u", pols[i].name, pols[i].slot);
			r = -EPROTO;
			break;
		}
		lp = adopt_one(pm, &pols[i], err);
		if (!lp) {
			r = -EPROTO;
			break;
		}
		*VEC_PUSH(pm->live, pm->n_live) = lp;
	}
	for (size_t i = 0; i < n; i++)
		pin_policy_free(&pols[i]);
	free(pols);
	if (r) {
		/* nothing half-adopted: close what was opened, touch no pin */
		for (size_t i = 0; i < pm->n_live; i++) {
			close_policy(pm, pm->live[i], false);
			live_policy_free(pm->live[i]);
		}
		pm->n_live = 0;
		return r;
	}
	pm->next_id = next > pm->next_id ? next : pm->next_id;
	for (size_t i = 0; i < pm->n_live; i++)
		log_info("adopted %s (id %u, %s, %zu hook%s) from %s", pm->live[i]->name, pm->live[i]->id,
			 rtenf_mode_name(pm->live[i]->mode), pm->live[i]->n_hooks, pm->live[i]->n_hooks == 1 ? "" : "s",
			 pm->live[i]->pin_dir);
	return 0;
}

void policy_manager_adopt_scopes(struct policy_manager *pm)
{
	for (size_t i = 0; i < pm->n_live; i++) {
		struct live_policy *lp = pm->live[i];
		char *why = NULL;

		if (!lp->adopted || !lp->cp->scope.set)
			continue;
		/* one map update replaces the pinned entry whole */
		if (cgroup_scopes_install(&pm->scopes, lp->slot, lp->id, lp->name, &lp->cp->scope, &why)) {
			log_warn("%s; it keeps the cgroups it was pinned with and does not follow new ones", why);
			free(why);
		}
	}
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
		total += loaded_hook_memory(&lp->hooks[i]);
	if (lp->record_fd >= 0)
		total += bpf_map_memory(lp->record_fd);
	return total;
}

uint64_t policy_manager_program_memory(const struct live_policy *lp)
{
	struct bpf_link **links;
	uint32_t *ids;
	uint64_t total;
	size_t n = 0;

	for (size_t i = 0; i < lp->n_hooks; i++)
		n += lp->hooks[i].n_links;
	if (!n)
		return 0;
	links = xcalloc(n, sizeof(*links));
	ids = xcalloc(n, sizeof(*ids));
	n = 0;
	for (size_t i = 0; i < lp->n_hooks; i++)
		for (unsigned j = 0; j < lp->hooks[i].n_links; j++)
			links[n++] = lp->hooks[i].links[j];
	total = bpf_links_prog_memory(links, n, ids);
	free(links);
	free(ids);
	return total;
}

void policy_manager_free(struct policy_manager *pm, bool keep_pinned)
{
	for (size_t i = 0; i < pm->n_live; i++) {
		close_policy(pm, pm->live[i], !keep_pinned || !pm->live[i]->pin_dir);
		live_policy_free(pm->live[i]);
	}
	for (size_t i = 0; i < pm->n_gone; i++)
		live_policy_free(pm->gone[i]);
	free(pm->live);
	free(pm->gone);
	cgroup_scopes_free(&pm->scopes);
	memset(pm, 0, sizeof(*pm));
}
