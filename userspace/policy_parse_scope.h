/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * spec.options entries that limit a policy to some cgroups, an rtenf
 * extension that keeps the YAML valid against Tetragon's CRD (options are
 * name/value strings):
 *
 *   - name: cgroup-paths     # cgroup v2 paths as /proc/PID/cgroup shows them
 *     value: "/system.slice/docker-4f79...scope, /kubepods.slice"
 *   - name: container-ids    # ids or prefixes of them, 12 to 64 hex digits
 *     value: "4f797c539e6c, 9ec39b91f3d7"
 *
 * Values are separated by commas or spaces; an option may be given more
 * than once, adding to the list.  docs/policies.md explains the semantics.
 */
#ifndef RTENF_POLICY_PARSE_SCOPE_H
#define RTENF_POLICY_PARSE_SCOPE_H

#include <stdbool.h>

#include "policy.h"
#include "yaml_check.h"

#define SCOPE_ID_MIN_LEN 12 /* docker ps shows 12 */

/* option: the option mapping; name, value: its fields (value may be absent). */
void parse_scope_option(struct ycheck *c, struct policy_scope *scope, bool container_ids, const struct ynode *option,
			const struct yfield *name, const struct yfield *value);

#endif /* RTENF_POLICY_PARSE_SCOPE_H */
