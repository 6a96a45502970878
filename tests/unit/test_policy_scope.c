// SPDX-License-Identifier: GPL-2.0-only
/* spec.options cgroup-paths and container-ids: parsing with locations,
 * compiling (every hook flagged, paths checked against the machine), and
 * which cgroups become roots of a scope. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgroup_scope.h"
#include "compile_fixture.h"
#include "policy.h"
#include "util.h"

#define ID1 "9ec39b91f3d70e1beff50a308f77067065ea6be0d91a3378375056cd4422cf3d"
#define ID2 "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"

/* Lines 1-7: options start on line 7 with "  - name: ...", the value on 8. */
#define SCOPE_HEAD                                                                                                     \
	"apiVersion: cilium.io/v1alpha1\n" /* 1 */                                                                     \
	"kind: TracingPolicy\n"		   /* 2 */                                                                     \
	"metadata:\n"			   /* 3 */                                                                     \
	"  name: test\n"		   /* 4 */                                                                     \
	"spec:\n"			   /* 5 */                                                                     \
	"  options:\n"			   /* 6 */

#define HOOKS                                                                                                          \
	"  tracepoints:\n"                                                                                             \
	"  - subsystem: syscalls\n"                                                                                    \
	"    event: sys_enter_openat\n"                                                                                \
	"  - subsystem: syscalls\n"                                                                                    \
	"    event: sys_enter_write\n"

static struct policy *parse_ok(const char *yaml)
{
	struct diag_list d = {0};
	struct policy *p = policy_parse(yaml, strlen(yaml), "t.yaml", &d);

	cr_assert_not_null(p, "rejected: %s", d.n ? d.v[0].msg : "?");
	diag_list_free(&d);
	return p;
}

static void expect_error(const char *yaml, unsigned line, unsigned col, const char *msg)
{
	struct diag_list d = {0};
	struct policy *p = policy_parse(yaml, strlen(yaml), "t.yaml", &d);
	bool found = false;

	cr_assert_null(p, "accepted, expected %u:%u: %s", line, col, msg);
	for (size_t i = 0; i < d.n; i++)
		found |= d.v[i].loc.line == line && d.v[i].loc.col == col && !strcmp(d.v[i].msg, msg);
	cr_assert(found, "expected %u:%u: %s; got %u:%u: %s", line, col, msg, d.n ? d.v[0].loc.line : 0,
		  d.n ? d.v[0].loc.col : 0, d.n ? d.v[0].msg : "nothing");
	cr_assert_eq(d.n, 1, "%zu diagnostics", d.n);
	diag_list_free(&d);
}

Test(policy_scope, parses_lists_with_locations)
{
	struct policy *p = parse_ok(SCOPE_HEAD "  - name: cgroup-paths\n"
					       "    value: /rtenf/a, /rtenf/b/ /\n"
					       "  - name: container-ids\n"
					       "    value: \"9ec39b91f3d7," ID2 "\"\n"
					       "  - name: cgroup-paths\n"
					       "    value: /rtenf/a,/rtenf/c\n" HOOKS);
	const struct policy_scope *s = &p->scope;

	cr_assert_eq(s->n_cgroup_paths, 4, "repeated options add; duplicates go");
	cr_expect_str_eq(s->cgroup_paths[0].text, "/rtenf/a");
	cr_expect_eq(s->cgroup_paths[0].loc.line, 8);
	cr_expect_eq(s->cgroup_paths[0].loc.col, 12);
	cr_expect_str_eq(s->cgroup_paths[1].text, "/rtenf/b", "trailing / dropped");
	cr_expect_eq(s->cgroup_paths[1].loc.col, 22);
	cr_expect_str_eq(s->cgroup_paths[2].text, "/");
	cr_expect_str_eq(s->cgroup_paths[3].text, "/rtenf/c");
	cr_assert_eq(s->n_container_ids, 2);
	cr_expect_str_eq(s->container_ids[0].text, "9ec39b91f3d7");
	cr_expect_eq(s->container_ids[0].loc.col, 13, "inside the quotes");
	cr_expect_str_eq(s->container_ids[1].text, ID2);
	policy_free(p);
}

Test(policy_scope, rejects_bad_values_where_they_are)
{
	expect_error(SCOPE_HEAD "  - name: cgroup-paths\n    value: /ok, rtenf/a\n" HOOKS, 8, 17,
		     "cgroup path \"rtenf/a\" must start with \"/\": give it as /proc/PID/cgroup shows it, below the "
		     "cgroup v2 root");
	expect_error(SCOPE_HEAD "  - name: cgroup-paths\n    value: /a/../b\n" HOOKS, 8, 12,
		     "cgroup path \"/a/../b\" has an empty, \".\" or \"..\" component");
	expect_error(SCOPE_HEAD "  - name: cgroup-paths\n    value: /a//b\n" HOOKS, 8, 12,
		     "cgroup path \"/a//b\" has an empty, \".\" or \"..\" component");
	expect_error(SCOPE_HEAD "  - name: container-ids\n    value: 9ec39b\n" HOOKS, 8, 12,
		     "container id \"9ec39b\" must be 12 to 64 lower-case hex digits: the full id or a prefix of it, "
		     "as docker ps or crictl ps show it");
	expect_error(SCOPE_HEAD "  - name: container-ids\n    value: 9EC39B91F3D7\n" HOOKS, 8, 12,
		     "container id \"9EC39B91F3D7\" must be 12 to 64 lower-case hex digits: the full id or a prefix of "
		     "it, as docker ps or crictl ps show it");
	expect_error(SCOPE_HEAD "  - name: container-ids\n    value: " ID1 "0\n" HOOKS, 8, 12,
		     "container id \"" ID1 "0\" must be 12 to 64 lower-case hex digits: the full id or a prefix of it, "
					   "as docker ps or crictl ps show it");
	expect_error(SCOPE_HEAD "  - name: container-ids\n    value: \" , \"\n" HOOKS, 8, 12,
		     "option \"container-ids\" lists nothing; give container ids separated by commas");
	expect_error(SCOPE_HEAD "  - name: cgroup-paths\n" HOOKS, 7, 5,
		     "missing required key \"value\" in option \"cgroup-paths\"");
}

Test(policy_scope, kubernetes_selectors_are_not_supported_yet)
{
	expect_error("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: test\nspec:\n"
		     "  podSelector:\n    matchLabels:\n      app: web\n" HOOKS,
		     6, 3, "not supported yet: spec.podSelector");
	expect_error("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: test\nspec:\n"
		     "  containerSelector:\n    matchExpressions: []\n" HOOKS,
		     6, 3, "not supported yet: spec.containerSelector");
}

static int fake_cgroup_exists(const struct kernel_view *kv, const char *path)
{
	(void)kv;
	return !strcmp(path, "/rtenf/a") || !strcmp(path, "/");
}

static struct compiled_policy *compile(const char *yaml, struct diag_list *d, bool with_cgroups)
{
	struct fake_kernel fk;
	struct policy *p = parse_ok(yaml);
	struct compiled_policy *cp;

	fake_kernel_init(&fk, unit_tracepoints, n_unit_tracepoints);
	if (with_cgroups)
		fk.kv.cgroup_exists = fake_cgroup_exists;
	cp = policy_compile(p, &fk.kv, d);
	policy_free(p);
	return cp;
}

Test(policy_scope, every_hook_of_a_scoped_policy_is_flagged)
{
	struct diag_list d = {0};
	struct compiled_policy *cp = compile(SCOPE_HEAD "  - name: cgroup-paths\n    value: /rtenf/a\n"
							"  - name: container-ids\n    value: 9ec39b91f3d7\n" HOOKS,
					     &d, true);

	cr_assert_not_null(cp);
	cr_expect_eq(d.n, 0);
	cr_assert(cp->scope.set);
	cr_assert_eq(cp->scope.n_cgroup_paths, 1);
	cr_assert_eq(cp->scope.n_container_ids, 1);
	cr_assert_eq(cp->n_hooks, 2);
	for (size_t i = 0; i < cp->n_hooks; i++)
		cr_expect(cp->hooks[i].cfg.flags & RTENF_HOOKCFG_F_CGROUP_SCOPE, "hook %zu", i);
	compiled_policy_free(cp);
	diag_list_free(&d);

	cp = compile(SCOPE_HEAD "  - name: policy-mode\n    value: audit\n" HOOKS, &d, true);
	cr_assert_not_null(cp);
	cr_expect_not(cp->scope.set);
	for (size_t i = 0; i < cp->n_hooks; i++)
		cr_expect_not(cp->hooks[i].cfg.flags & RTENF_HOOKCFG_F_CGROUP_SCOPE, "unscoped hook %zu", i);
	compiled_policy_free(cp);
	diag_list_free(&d);
}

Test(policy_scope, paths_are_checked_against_the_machine)
{
	struct diag_list d = {0};
	struct compiled_policy *cp;

	/* missing: a warning, it may be made later */
	cp = compile(SCOPE_HEAD "  - name: cgroup-paths\n    value: /rtenf/a, /rtenf/later\n" HOOKS, &d, true);
	cr_assert_not_null(cp);
	cr_assert_eq(d.n, 1);
	cr_expect_eq(d.v[0].level, DIAG_WARNING);
	cr_expect_eq(d.v[0].loc.line, 8);
	cr_expect_eq(d.v[0].loc.col, 22);
	cr_expect_str_eq(d.v[0].msg, "no cgroup /rtenf/later yet: the policy applies in it once it is made");
	compiled_policy_free(cp);
	diag_list_free(&d);

	/* the mount point written into the path: an error that says so */
	cp = compile(SCOPE_HEAD "  - name: cgroup-paths\n    value: /sys/fs/cgroup/unified/rtenf/a\n" HOOKS, &d, true);
	cr_assert_null(cp);
	cr_assert_eq(d.n, 1);
	cr_expect_str_eq(d.v[0].msg, "no cgroup /sys/fs/cgroup/unified/rtenf/a below the cgroup v2 root; give the path "
				     "as /proc/PID/cgroup shows it, without the mount point");
	diag_list_free(&d);

	/* a kernel view that cannot tell (validate without the machine): no check */
	cp = compile(SCOPE_HEAD "  - name: cgroup-paths\n    value: /rtenf/later\n" HOOKS, &d, false);
	cr_assert_not_null(cp);
	cr_expect_eq(d.n, 0);
	compiled_policy_free(cp);
	diag_list_free(&d);
}

static struct compiled_scope scope_of(char **paths, size_t np, char **ids, size_t ni)
{
	return (struct compiled_scope){
	    .set = true, .cgroup_paths = paths, .n_cgroup_paths = np, .container_ids = ids, .n_container_ids = ni};
}

Test(policy_scope, roots_are_listed_paths_and_containers_own_cgroups)
{
	char *paths[] = {"/rtenf/a"}, *ids[] = {"9ec39b91f3d7"};
	struct compiled_scope spec = scope_of(paths, 1, ids, 1);
	struct cgroup_table t;

	cgroup_table_init(&t);
	cr_expect(cgroup_scope_is_root(&spec, cgroup_table_add(&t, 10, 1, 2, "/rtenf/a")));
	cr_expect_not(cgroup_scope_is_root(&spec, cgroup_table_add(&t, 11, 10, 3, "/rtenf/a/b")),
		      "below: the kernel's job");
	cr_expect_not(cgroup_scope_is_root(&spec, cgroup_table_add(&t, 12, 1, 2, "/rtenf/ab")), "not a string prefix");
	cr_expect(cgroup_scope_is_root(&spec, cgroup_table_add(&t, 20, 1, 2, "/system.slice/docker-" ID1 ".scope")));
	cr_expect_not(cgroup_scope_is_root(
			  &spec, cgroup_table_add(&t, 21, 20, 3, "/system.slice/docker-" ID1 ".scope/init.scope")),
		      "a sub-cgroup of the container is covered by its root");
	cr_expect_not(cgroup_scope_is_root(&spec, cgroup_table_add(&t, 22, 1, 2, "/system.slice/docker-" ID2 ".scope")),
		      "another container");
	cr_expect(cgroup_scope_is_root(&spec, cgroup_table_add(&t, 23, 1, 4, "/kubepods/besteffort/pod1/" ID1)));
	cgroup_table_free(&t);
}

Test(policy_scope, install_resolves_and_follows_cgroups)
{
	char *paths[] = {"/rtenf/a", "/rtenf/later"}, *ids[] = {"4f797c539e6c"}, *err = NULL;
	struct compiled_scope spec = scope_of(paths, 2, ids, 1);
	struct cgroup_scopes cs;
	struct cgroup_table t;
	const struct scope_slot *s;

	cgroup_table_init(&t);
	cgroup_table_add(&t, 1, 0, 0, "/");
	cgroup_table_add(&t, 10, 1, 2, "/rtenf/a");
	cgroup_table_add(&t, 11, 10, 3, "/rtenf/a/b");
	cgroup_scopes_init(&cs, -1, &t);
	cr_assert_eq(cgroup_scopes_install(&cs, 7, 42, "p", &spec, &err), 0, "%s", err ? err : "");
	s = cgroup_scopes_get(&cs, 7);
	cr_assert_not_null(s);
	cr_expect_eq(s->value.policy_id, 42);
	cr_assert_eq(s->value.nroots, 1);
	cr_expect_eq(s->value.roots[0].id, 10);
	cr_expect_eq(s->value.roots[0].level, 2);

	/* the listed path is made, then a matching container starts */
	cgroup_scopes_cgroup_made(&cs, cgroup_table_add(&t, 30, 1, 2, "/rtenf/later"));
	cgroup_scopes_cgroup_made(&cs, cgroup_table_add(&t, 31, 1, 1, "/docker-" ID2 ".scope"));
	cgroup_scopes_cgroup_made(&cs, cgroup_table_add(&t, 32, 1, 1, "/docker-" ID1 ".scope"));
	cr_assert_eq(s->value.nroots, 3);
	cr_expect_eq(s->value.roots[1].id, 30);
	cr_expect_eq(s->value.roots[2].id, 31);
	cr_expect_eq(s->value.roots[2].level, 1);

	/* removed cgroups leave the scope */
	cgroup_scopes_cgroup_removed(&cs, 10);
	cr_assert_eq(s->value.nroots, 2);
	cgroup_scopes_remove(&cs, 7);
	cr_expect_null(cgroup_scopes_get(&cs, 7));
	cgroup_scopes_free(&cs);
	cgroup_table_free(&t);
}

Test(policy_scope, too_many_roots_is_an_error_at_apply)
{
	char *ids[] = {"4f797c539e6c"}, *err = NULL;
	struct compiled_scope spec = scope_of(NULL, 0, ids, 1);
	struct cgroup_scopes cs;
	struct cgroup_table t;

	cgroup_table_init(&t);
	for (int i = 0; i <= RTENF_SCOPE_MAX_ROOTS; i++) {
		char path[128];

		snprintf(path, sizeof(path), "/c%d/docker-" ID2 ".scope", i);
		cgroup_table_add(&t, 100 + (uint64_t)i, 1, 2, path);
	}
	cgroup_scopes_init(&cs, -1, &t);
	cr_assert_eq(cgroup_scopes_install(&cs, 1, 1, "p", &spec, &err), -E2BIG);
	cr_expect_str_eq(err, "policy p: its cgroup-paths and container-ids name 33 cgroups; at most 32");
	free(err);
	cr_expect_null(cgroup_scopes_get(&cs, 1));
	cgroup_scopes_free(&cs);
	cgroup_table_free(&t);
}
