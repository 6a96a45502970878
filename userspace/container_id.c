// SPDX-License-Identifier: GPL-2.0-only
#include "container_id.h"

#include <string.h>

/* How one runtime names the cgroup of a container: prefix, the id, suffix. */
struct cgroup_name_form {
	const char *prefix;
	const char *suffix;
	const char *runtime;
};

static const struct cgroup_name_form forms[] = {
    {"docker-", ".scope", "docker"}, {"cri-containerd-", ".scope", "containerd"},
    {"crio-", ".scope", "cri-o"},    {"libpod-", ".scope", "podman"},
    {"libpod-", "", "podman"}, /* podman with the cgroupfs manager */
};

bool container_id_is_hex(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

static bool hex_run(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

struct component {
	const char *s;
	size_t len;
};

static bool component_is(const struct component *c, const char *word)
{
	return c->len == strlen(word) && !memcmp(c->s, word, c->len);
}

static bool component_starts(const struct component *c, const char *prefix)
{
	size_t n = strlen(prefix);

	return c->len >= n && !memcmp(c->s, prefix, n);
}

/* A bare id: its runtime is told by where it sits. */
static const char *bare_id_runtime(const struct component *c, size_t i)
{
	if (i > 0 && component_is(&c[i - 1], "docker"))
		return "docker";
	if (i > 0 && component_starts(&c[i - 1], "libpod_parent"))
		return "podman";
	for (size_t j = 0; j < i; j++)
		if (component_starts(&c[j], "kubepods"))
			return "kubernetes";
	return "unknown";
}

/* The id a component names, and which runtime named it; NULL if none. */
static const char *component_id(const struct component *c, size_t i, const char **id)
{
	const struct component *k = &c[i];

	if (k->len == CONTAINER_ID_LEN && hex_run(k->s, k->len)) {
		*id = k->s;
		return bare_id_runtime(c, i);
	}
	for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
		size_t pre = strlen(forms[f].prefix), suf = strlen(forms[f].suffix);

		if (k->len != pre + CONTAINER_ID_LEN + suf || !component_starts(k, forms[f].prefix))
			continue;
		if (memcmp(k->s + pre + CONTAINER_ID_LEN, forms[f].suffix, suf))
			continue;
		if (!hex_run(k->s + pre, CONTAINER_ID_LEN))
			continue;
		*id = k->s + pre;
		return forms[f].runtime;
	}
	return NULL;
}

#define MAX_COMPONENTS 128

bool container_id_parse(const char *path, struct container_ref *out)
{
	struct component c[MAX_COMPONENTS];
	size_t n = 0;

	for (const char *p = path; *p && n < MAX_COMPONENTS;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len)
			c[n++] = (struct component){p, len};
		p += len;
		while (*p == '/')
			p++;
	}
	for (size_t i = n; i-- > 0;) {
		const char *id = NULL, *runtime = component_id(c, i, &id);

		if (!runtime)
			continue;
		memcpy(out->id, id, CONTAINER_ID_LEN);
		out->id[CONTAINER_ID_LEN] = '\0';
		out->runtime = runtime;
		out->depth = i + 1;
		return true;
	}
	return false;
}
