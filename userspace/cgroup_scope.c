// SPDX-License-Identifier: GPL-2.0-only
#include "cgroup_scope.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "log.h"
#include "util.h"

void cgroup_scopes_init(struct cgroup_scopes *cs, int map_fd, const struct cgroup_table *cgroups)
{
	memset(cs, 0, sizeof(*cs));
	cs->map_fd = map_fd;
	cs->cgroups = cgroups;
}

void cgroup_scopes_free(struct cgroup_scopes *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		free(cs->v[i].policy_name);
	free(cs->v);
	memset(cs, 0, sizeof(*cs));
	cs->map_fd = -1;
}

bool cgroup_scope_is_root(const struct compiled_scope *spec, const struct cgroup_node *n)
{
	for (size_t i = 0; i < spec->n_cgroup_paths; i++)
		if (!strcmp(spec->cgroup_paths[i], n->path))
			return true;
	/* the container's own cgroup, not one of its sub-cgroups: those are
	 * below the root anyway */
	if (!n->in_container || n->container.depth != n->level)
		return false;
	for (size_t i = 0; i < spec->n_container_ids; i++)
		if (!strncmp(n->container.id, spec->container_ids[i], strlen(spec->container_ids[i])))
			return true;
	return false;
}

static struct scope_slot *find(const struct cgroup_scopes *cs, uint32_t slot)
{
	for (size_t i = 0; i < cs->n; i++)
		if (cs->v[i].slot == slot)
			return &cs->v[i];
	return NULL;
}

const struct scope_slot *cgroup_scopes_get(const struct cgroup_scopes *cs, uint32_t slot)
{
	return find(cs, slot);
}

static int write_entry(const struct cgroup_scopes *cs, const struct scope_slot *s)
{
	if (cs->map_fd < 0)
		return 0;
	return bpf_map_update_elem(cs->map_fd, &s->slot, &s->value, BPF_ANY) ? -errno : 0;
}

/* Adds root n to s; false when s is full. */
static bool add_root(struct scope_slot *s, const struct cgroup_node *n)
{
	struct rtenf_cgroup_scope *v = &s->value;

	for (uint32_t i = 0; i < v->nroots; i++)
		if (v->roots[i].id == n->id)
			return true;
	if (v->nroots == RTENF_SCOPE_MAX_ROOTS)
		return false;
	v->roots[v->nroots].id = n->id;
	v->roots[v->nroots].level = n->level;
	v->nroots++;
	return true;
}

struct resolve {
	struct scope_slot *s;
	size_t left_out;
};

static void resolve_one(const struct cgroup_node *n, void *arg)
{
	struct resolve *r = arg;

	if (cgroup_scope_is_root(r->s->spec, n) && !add_root(r->s, n))
		r->left_out++;
}

void cgroup_scopes_forget(struct cgroup_scopes *cs, uint32_t slot)
{
	struct scope_slot *s = find(cs, slot);

	if (!s)
		return;
	free(s->policy_name);
	*s = cs->v[--cs->n];
}

void cgroup_scopes_remove(struct cgroup_scopes *cs, uint32_t slot)
{
	if (cs->map_fd >= 0)
		bpf_map_delete_elem(cs->map_fd, &slot);
	cgroup_scopes_forget(cs, slot);
}

void cgroup_scopes_drop_entry(struct cgroup_scopes *cs, uint32_t slot, uint32_t policy_id)
{
	struct rtenf_cgroup_scope v;

	if (cs->map_fd >= 0 && !bpf_map_lookup_elem(cs->map_fd, &slot, &v) && v.policy_id == policy_id)
		bpf_map_delete_elem(cs->map_fd, &slot);
}

int cgroup_scopes_install(struct cgroup_scopes *cs, uint32_t slot, uint32_t policy_id, const char *policy_name,
			  const struct compiled_scope *spec, char **err)
{
	struct scope_slot s = {.slot = slot, .spec = spec};
	struct resolve r = {.s = &s};
	int rc;

	s.value.policy_id = policy_id;
	if (cs->cgroups)
		cgroup_table_each(cs->cgroups, resolve_one, &r);
	if (r.left_out) {
		*err = xasprintf("policy %s: its cgroup-paths and container-ids name %zu cgroups; at most %d",
				 policy_name, (size_t)s.value.nroots + r.left_out, RTENF_SCOPE_MAX_ROOTS);
		return -E2BIG;
	}
	rc = write_entry(cs, &s);
	if (rc) {
		*err =
		    xasprintf("policy %s: cannot write its cgroup scope to the kernel: %s", policy_name, strerror(-rc));
		return rc;
	}
	cgroup_scopes_forget(cs, slot);
	s.policy_name = xstrdup(policy_name);
	*VEC_PUSH(cs->v, cs->n) = s;
	if (!s.value.nroots)
		log_info("policy %s: none of its cgroups exists yet; it applies in them once they are made",
			 policy_name);
	return 0;
}

void cgroup_scopes_cgroup_made(struct cgroup_scopes *cs, const struct cgroup_node *n)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct scope_slot *s = &cs->v[i];
		int rc;

		if (!cgroup_scope_is_root(s->spec, n))
			continue;
		if (!add_root(s, n)) {
			cs->roots_left_out++;
			if (!s->full_reported)
				log_warn("policy %s does not apply in %s: its scope already has %d cgroups",
					 s->policy_name, n->path, RTENF_SCOPE_MAX_ROOTS);
			s->full_reported = true;
			continue;
		}
		rc = write_entry(cs, s);
		if (rc)
			log_warn("policy %s: cannot add %s to its cgroup scope: %s", s->policy_name, n->path,
				 strerror(-rc));
		else
			log_debug("policy %s now applies in %s", s->policy_name, n->path);
	}
}

void cgroup_scopes_cgroup_removed(struct cgroup_scopes *cs, uint64_t id)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct rtenf_cgroup_scope *v = &cs->v[i].value;

		for (uint32_t r = 0; r < v->nroots; r++) {
			if (v->roots[r].id != id)
				continue;
			v->roots[r] = v->roots[--v->nroots];
			memset(&v->roots[v->nroots], 0, sizeof(v->roots[0]));
			cs->v[i].full_reported = false;
			write_entry(cs, &cs->v[i]);
			break;
		}
	}
}

void cgroup_scopes_describe(const struct cgroup_scopes *cs, uint32_t slot, char ***said, size_t *n_said,
			    char ***cgroups, size_t *n_cgroups)
{
	const struct scope_slot *s = find(cs, slot);

	*said = *cgroups = NULL;
	*n_said = *n_cgroups = 0;
	if (!s)
		return;
	for (size_t i = 0; i < s->spec->n_cgroup_paths; i++)
		*VEC_PUSH(*said, *n_said) = xasprintf("cgroup-paths %s", s->spec->cgroup_paths[i]);
	for (size_t i = 0; i < s->spec->n_container_ids; i++)
		*VEC_PUSH(*said, *n_said) = xasprintf("container-ids %s", s->spec->container_ids[i]);
	for (uint32_t r = 0; r < s->value.nroots; r++) {
		const struct cgroup_node *n = cs->cgroups ? cgroup_table_get(cs->cgroups, s->value.roots[r].id) : NULL;

		*VEC_PUSH(*cgroups, *n_cgroups) =
		    n ? xstrdup(n->path) : xasprintf("cgroup %llu", (unsigned long long)s->value.roots[r].id);
	}
}
