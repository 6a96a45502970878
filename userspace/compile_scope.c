// SPDX-License-Identifier: GPL-2.0-only
/*
 * A policy's cgroup scope (spec.options cgroup-paths and container-ids).
 * The compiler only checks the paths against the machine and flags every
 * hook: cgroups and containers come and go, so the ids are resolved when
 * the policy is loaded and kept current by the agent (cgroup_scope.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "policy.h"
#include "util.h"

void compile_scope(const struct policy *p, const struct kernel_view *kv, struct diag_list *diags,
		   struct compiled_policy *cp)
{
	const struct policy_scope *ps = &p->scope;
	struct compiled_scope *s = &cp->scope;

	if (!ps->n_cgroup_paths && !ps->n_container_ids)
		return;
	s->set = true;
	s->loc = ps->n_cgroup_paths ? ps->cgroup_paths[0].loc : ps->container_ids[0].loc;
	for (size_t i = 0; i < ps->n_cgroup_paths; i++) {
		const struct policy_value *v = &ps->cgroup_paths[i];
		int r = kv->cgroup_exists && !kv->offline ? kv->cgroup_exists(kv, v->text) : 1;

		if (r == -ENODEV)
			diag_error(diags, p->file, v->loc,
				   "no cgroup v2 hierarchy is mounted: cgroup-paths and container-ids need one (mount "
				   "-t cgroup2 none /sys/fs/cgroup)");
		else if (r == 0 && !strncmp(v->text, "/sys/fs/cgroup", 14))
			diag_error(diags, p->file, v->loc,
				   "no cgroup %s below the cgroup v2 root; give the path as /proc/PID/cgroup shows it, "
				   "without the mount point",
				   v->text);
		else if (r == 0)
			diag_warn(diags, p->file, v->loc, "no cgroup %s yet: the policy applies in it once it is made",
				  v->text);
		*VEC_PUSH(s->cgroup_paths, s->n_cgroup_paths) = xstrdup(v->text);
	}
	for (size_t i = 0; i < ps->n_container_ids; i++)
		*VEC_PUSH(s->container_ids, s->n_container_ids) = xstrdup(ps->container_ids[i].text);
	for (size_t i = 0; i < cp->n_hooks; i++)
		cp->hooks[i].cfg.flags |= RTENF_HOOKCFG_F_CGROUP_SCOPE;
}

void compiled_scope_free(struct compiled_scope *s)
{
	for (size_t i = 0; i < s->n_cgroup_paths; i++)
		free(s->cgroup_paths[i]);
	free(s->cgroup_paths);
	for (size_t i = 0; i < s->n_container_ids; i++)
		free(s->container_ids[i]);
	free(s->container_ids);
	memset(s, 0, sizeof(*s));
}
