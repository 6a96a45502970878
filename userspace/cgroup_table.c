// SPDX-License-Identifier: GPL-2.0-only
#include "cgroup_table.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#define SCAN_MAX_DEPTH 256 /* deeper cgroups are left for the mkdir records */

void cgroup_table_init(struct cgroup_table *t)
{
	memset(t, 0, sizeof(*t));
	t->nbuckets = 256;
	t->buckets = xcalloc(t->nbuckets, sizeof(*t->buckets));
}

void cgroup_table_free(struct cgroup_table *t)
{
	for (size_t b = 0; b < t->nbuckets; b++) {
		struct cgroup_node *n = t->buckets[b], *next;

		for (; n; n = next) {
			next = n->next;
			free(n->path);
			free(n);
		}
	}
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

static size_t bucket_of(const struct cgroup_table *t, uint64_t id)
{
	id ^= id >> 33;
	id *= 0xff51afd7ed558ccdull;
	id ^= id >> 33;
	return (size_t)(id & (t->nbuckets - 1));
}

const struct cgroup_node *cgroup_table_get(const struct cgroup_table *t, uint64_t id)
{
	if (!t->nbuckets)
		return NULL;
	for (struct cgroup_node *n = t->buckets[bucket_of(t, id)]; n; n = n->next)
		if (n->id == id)
			return n;
	return NULL;
}

static void grow(struct cgroup_table *t)
{
	struct cgroup_table bigger = {.nbuckets = t->nbuckets * 2, .count = t->count};

	bigger.buckets = xcalloc(bigger.nbuckets, sizeof(*bigger.buckets));
	for (size_t b = 0; b < t->nbuckets; b++) {
		struct cgroup_node *n = t->buckets[b], *next;

		for (; n; n = next) {
			size_t nb = bucket_of(&bigger, n->id);

			next = n->next;
			n->next = bigger.buckets[nb];
			bigger.buckets[nb] = n;
		}
	}
	free(t->buckets);
	*t = bigger;
}

const struct cgroup_node *cgroup_table_add(struct cgroup_table *t, uint64_t id, uint64_t parent_id, uint32_t level,
					   const char *path)
{
	struct cgroup_node *n = (struct cgroup_node *)cgroup_table_get(t, id);

	if (!n) {
		size_t b;

		if (t->count >= t->nbuckets)
			grow(t);
		b = bucket_of(t, id);
		n = xcalloc(1, sizeof(*n));
		n->id = id;
		n->next = t->buckets[b];
		t->buckets[b] = n;
		t->count++;
	}
	free(n->path);
	n->path = xstrdup(*path ? path : "/");
	n->parent_id = parent_id;
	n->level = level;
	n->in_container = container_id_parse(n->path, &n->container);
	n->docker[0] = '\0';
	if (n->in_container)
		snprintf(n->docker, sizeof(n->docker), "%.*s", CONTAINER_ID_SHORT_LEN, n->container.id);
	return n;
}

void cgroup_table_remove(struct cgroup_table *t, uint64_t id)
{
	struct cgroup_node **pp;

	if (!t->nbuckets)
		return;
	for (pp = &t->buckets[bucket_of(t, id)]; *pp; pp = &(*pp)->next) {
		struct cgroup_node *n = *pp;

		if (n->id == id) {
			*pp = n->next;
			free(n->path);
			free(n);
			t->count--;
			return;
		}
	}
}

void cgroup_table_each(const struct cgroup_table *t, void (*fn)(const struct cgroup_node *n, void *arg), void *arg)
{
	for (size_t b = 0; b < t->nbuckets; b++)
		for (const struct cgroup_node *n = t->buckets[b]; n; n = n->next)
			fn(n, arg);
}

/* Adds dirfd's cgroup (path, at level) and everything below it; closes dirfd. */
static int scan_dir(struct cgroup_table *t, int dirfd, const char *path, uint32_t level, uint64_t parent_id)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int found = 1;

	if (fstat(dirfd, &st)) {
		close(dirfd);
		return 0;
	}
	cgroup_table_add(t, st.st_ino, parent_id, level, path);
	d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return found;
	}
	while ((de = readdir(d))) {
		char *child;
		int fd;

		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (level + 1 > SCAN_MAX_DEPTH)
			break;
		fd = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue; /* removed meanwhile */
		child = xasprintf("%s/%s", level ? path : "", de->d_name);
		found += scan_dir(t, fd, child, level + 1, st.st_ino);
		free(child);
	}
	closedir(d);
	return found;
}

int cgroup_table_scan(struct cgroup_table *t, const char *mount)
{
	int fd = open(mount, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	return scan_dir(t, fd, "/", 0, 0);
}
