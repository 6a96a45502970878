// SPDX-License-Identifier: GPL-2.0-only
#include "policy_parse_scope.h"

#include <stdlib.h>
#include <string.h>

#include "container_id.h"
#include "rtenf_events.h"
#include "util.h"

#define QBUF 80

/* Where item `off` bytes into the scalar starts: exact for plain scalars,
 * one further for quoted ones (escapes aside). */
static struct src_loc item_loc(const struct ynode *v, size_t off)
{
	struct src_loc loc = v->loc;

	if (!memchr(v->text, '\n', v->len))
		loc.col += (unsigned)off + (v->plain ? 0 : 1);
	return loc;
}

static bool check_path(struct ycheck *c, const char *s, struct src_loc loc)
{
	char q[QBUF];

	if (s[0] != '/') {
		ycheck_error(c, loc,
			     "cgroup path \"%s\" must start with \"/\": give it as /proc/PID/cgroup shows it, below "
			     "the cgroup v2 root",
			     yaml_escape(q, sizeof(q), s));
		return false;
	}
	if (strlen(s) >= RTENF_CGROUP_PATH_MAX) {
		ycheck_error(c, loc, "cgroup path is too long: %zu bytes (at most %d)", strlen(s),
			     RTENF_CGROUP_PATH_MAX - 1);
		return false;
	}
	for (const char *p = s; *p;) {
		const char *end = strchr(p + 1, '/');
		size_t len = end ? (size_t)(end - p - 1) : strlen(p + 1);

		if ((len == 0 && (end || p != s)) || (len == 1 && p[1] == '.') ||
		    (len == 2 && !strncmp(p + 1, "..", 2))) {
			ycheck_error(c, loc, "cgroup path \"%s\" has an empty, \".\" or \"..\" component",
				     yaml_escape(q, sizeof(q), s));
			return false;
		}
		if (!end)
			break;
		p = end;
	}
	return true;
}

static bool check_id(struct ycheck *c, const char *s, struct src_loc loc)
{
	char q[QBUF];
	size_t len = strlen(s);

	if (!container_id_is_hex(s) || len < SCOPE_ID_MIN_LEN || len > CONTAINER_ID_LEN) {
		ycheck_error(c, loc,
			     "container id \"%s\" must be %d to %d lower-case hex digits: the full id or a prefix of "
			     "it, as docker ps or crictl ps show it",
			     yaml_escape(q, sizeof(q), s), SCOPE_ID_MIN_LEN, CONTAINER_ID_LEN);
		return false;
	}
	return true;
}

static void add_value(struct policy_value **v, size_t *n, const char *text, struct src_loc loc)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].text, text))
			return;
	*VEC_PUSH(*v, *n) = (struct policy_value){.text = xstrdup(text), .loc = loc};
}

void parse_scope_option(struct ycheck *c, struct policy_scope *scope, bool container_ids, const struct ynode *option,
			const struct yfield *name, const struct yfield *value)
{
	const char *what = container_ids ? "container-ids" : "cgroup-paths";
	const char *s;
	size_t items = 0;

	(void)name;
	if (!value->key) {
		ycheck_error(c, option->loc, "missing required key \"value\" in option \"%s\"", what);
		return;
	}
	s = ycheck_string(c, value, true);
	if (!s)
		return;
	for (size_t off = 0; s[off];) {
		size_t len;
		struct src_loc loc;
		char *item;
		bool ok;

		off += strspn(s + off, ", \t\n");
		len = strcspn(s + off, ", \t\n");
		if (!len)
			break;
		items++;
		loc = item_loc(value->val, off);
		item = xstrndup(s + off, len);
		/* "/a/b/" is "/a/b" */
		while (!container_ids && len > 1 && item[len - 1] == '/')
			item[--len] = '\0';
		ok = container_ids ? check_id(c, item, loc) : check_path(c, item, loc);
		if (ok && container_ids)
			add_value(&scope->container_ids, &scope->n_container_ids, item, loc);
		else if (ok)
			add_value(&scope->cgroup_paths, &scope->n_cgroup_paths, item, loc);
		free(item);
		off += strcspn(s + off, ", \t\n");
	}
	if (!items)
		ycheck_error(c, value->val->loc, "option \"%s\" lists nothing; give %s separated by commas", what,
			     container_ids ? "container ids" : "cgroup paths");
}

void policy_scope_free(struct policy_scope *s)
{
	for (size_t i = 0; i < s->n_cgroup_paths; i++)
		free(s->cgroup_paths[i].text);
	free(s->cgroup_paths);
	for (size_t i = 0; i < s->n_container_ids; i++)
		free(s->container_ids[i].text);
	free(s->container_ids);
	memset(s, 0, sizeof(*s));
}
