// SPDX-License-Identifier: GPL-2.0-only
#include "tracepoint_format.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

static int parse_uint(const char *s, const char *key, unsigned *out)
{
	const char *p = strstr(s, key);
	char *end;
	unsigned long v;

	if (!p)
		return -EINVAL;
	v = strtoul(p + strlen(key), &end, 10);
	if (end == p + strlen(key))
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

/* "field:const char * filename;\toffset:24;\tsize:8;\tsigned:0;" */
static int parse_field(const char *line, struct tp_field *f)
{
	const char *decl = strstr(line, "field:"), *semi, *name;
	unsigned is_signed = 0;
	size_t n;

	if (!decl)
		return -EINVAL;
	decl += strlen("field:");
	semi = strchr(decl, ';');
	if (!semi)
		return -EINVAL;
	n = (size_t)(semi - decl);
	/* the name is the last word; an array suffix stays out of it */
	name = decl + n;
	while (name > decl && name[-1] != ' ' && name[-1] != '*')
		name--;
	if (name == decl)
		return -EINVAL;
	f->name = xstrndup(name, (size_t)(decl + n - name));
	{
		char *br = strchr(f->name, '[');

		f->is_array = br != NULL;
		if (br)
			*br = '\0';
	}
	{
		const char *tend = name;

		while (tend > decl && tend[-1] == ' ')
			tend--;
		f->type = xstrndup(decl, (size_t)(tend - decl));
	}
	if (parse_uint(semi, "offset:", &f->offset) || parse_uint(semi, "size:", &f->size))
		return -EINVAL;
	parse_uint(semi, "signed:", &is_signed);
	f->is_signed = is_signed;
	return 0;
}

int tp_format_parse(const char *text, struct tp_format *fmt)
{
	const char *line = text;

	memset(fmt, 0, sizeof(*fmt));
	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		char *l = xstrndup(line, len);

		if (!strncmp(l, "name: ", 6)) {
			fmt->event = xstrdup(l + 6);
		} else if (!strncmp(l, "ID: ", 4)) {
			fmt->id = (unsigned)strtoul(l + 4, NULL, 10);
		} else if (strstr(l, "field:")) {
			struct tp_field *f = VEC_PUSH(fmt->fields, fmt->n_fields);

			if (parse_field(l, f)) {
				free(l);
				tp_format_free(fmt);
				return -EINVAL;
			}
		}
		free(l);
		line = eol ? eol + 1 : NULL;
	}
	return fmt->n_fields ? 0 : -EINVAL;
}

void tp_format_free(struct tp_format *fmt)
{
	for (size_t i = 0; i < fmt->n_fields; i++) {
		free(fmt->fields[i].type);
		free(fmt->fields[i].name);
	}
	free(fmt->fields);
	free(fmt->subsystem);
	free(fmt->event);
	memset(fmt, 0, sizeof(*fmt));
}

bool tp_field_is_pointer(const struct tp_field *f)
{
	return strchr(f->type, '*') != NULL;
}

bool tp_field_is_data_loc(const struct tp_field *f)
{
	return !strncmp(f->type, "__data_loc", 10);
}

const char *tracefs_dir(void)
{
	static const char *const candidates[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
	struct stat st;

	for (size_t i = 0; i < ARRAY_SIZE(candidates); i++) {
		char probe[64];

		snprintf(probe, sizeof(probe), "%s/events", candidates[i]);
		if (!stat(probe, &st))
			return candidates[i];
	}
	/* Not mounted: as root we may mount it; otherwise there is nothing to read. */
	if (geteuid() == 0 && !mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL))
		return "/sys/kernel/tracing";
	return NULL;
}

int tp_format_load(const char *subsystem, const char *event, struct tp_format *fmt)
{
	const char *dir = tracefs_dir();
	char *path, *text;
	int r;

	if (!dir)
		return geteuid() == 0 ? -ENODEV : -EACCES;
	if (strchr(subsystem, '/') || strchr(event, '/') || !strcmp(subsystem, "..") || !strcmp(event, ".."))
		return -ENOENT;
	path = xasprintf("%s/events/%s/%s/format", dir, subsystem, event);
	text = read_file(path, NULL);
	r = text ? 0 : -errno;
	free(path);
	if (r)
		return r == -EACCES || r == -EPERM ? -EACCES : -ENOENT;
	r = tp_format_parse(text, fmt);
	free(text);
	if (!r)
		fmt->subsystem = xstrdup(subsystem);
	return r;
}
