// SPDX-License-Identifier: GPL-2.0-only
#include "policy_files.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static void push(struct policy_files *set, char *path)
{
	struct policy_file *f = VEC_PUSH(set->v, set->n);

	f->path = path;
}

static bool has_policy_suffix(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	return xasprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

static int add_dir(struct policy_files *set, const char *dir, char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;

	if (!d) {
		int e = errno;

		snprintf(err, errlen, "cannot read directory %s: %s", dir, strerror(e));
		return -e;
	}
	while ((errno = 0, de = readdir(d))) {
		struct stat st;
		char *path;

		/* Hidden files are skipped as `*.yaml` would skip them: editors
		 * leave .foo.yaml.swp-style debris next to policies. */
		if (de->d_name[0] == '.' || !has_policy_suffix(de->d_name))
			continue;
		path = join(dir, de->d_name);
		/* Only regular files (or links to them); a dangling link is
		 * kept so that reading it reports the mistake. */
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		*VEC_PUSH(names, n) = path;
	}
	if (errno) {
		int e = errno;

		closedir(d);
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		snprintf(err, errlen, "cannot read directory %s: %s", dir, strerror(e));
		return -e;
	}
	closedir(d);
	if (!n) {
		snprintf(err, errlen, "no *.yaml or *.yml files in directory %s", dir);
		return -ENOENT;
	}
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++)
		push(set, names[i]);
	free(names);
	return 0;
}

int policy_files_add(struct policy_files *set, const char *arg, char *err, size_t errlen)
{
	struct stat st;

	if (stat(arg, &st) < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot read %s: %s", arg, strerror(e));
		return -e;
	}
	if (S_ISDIR(st.st_mode))
		return add_dir(set, arg, err, errlen);
	push(set, xstrdup(arg));
	return 0;
}

int policy_file_read(struct policy_file *f, char *err, size_t errlen)
{
	if (f->data)
		return 0;
	f->data = read_file(f->path, &f->len);
	if (!f->data) {
		int e = errno;

		snprintf(err, errlen, "cannot read %s: %s", f->path, strerror(e));
		return -e;
	}
	return 0;
}

int policy_files_read(struct policy_files *set, char *err, size_t errlen)
{
	for (size_t i = 0; i < set->n; i++) {
		int r = policy_file_read(&set->v[i], err, errlen);

		if (r)
			return r;
	}
	return 0;
}

void policy_files_free(struct policy_files *set)
{
	for (size_t i = 0; i < set->n; i++) {
		free(set->v[i].path);
		free(set->v[i].data);
	}
	free(set->v);
	set->v = NULL;
	set->n = 0;
}
