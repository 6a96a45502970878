// SPDX-License-Identifier: GPL-2.0-only
#include "bpf_inspect.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "bpf_setup.h"
#include "util.h"

uint32_t pinned_map_id(const char *path)
{
	struct bpf_map_info info = {0};
	__u32 len = sizeof(info);
	int fd = bpf_obj_get(path);

	cr_assert_geq(fd, 0, "no pin at %s: %s", path, strerror(errno));
	cr_assert_eq(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
	close(fd);
	return info.id;
}

static bool prog_uses_map(uint32_t prog_id, uint32_t map_id)
{
	struct bpf_prog_info info = {0};
	__u32 len = sizeof(info), ids[64];
	int fd = bpf_prog_get_fd_by_id(prog_id);
	bool found = false;

	if (fd < 0)
		return false;
	info.nr_map_ids = 64;
	info.map_ids = (uintptr_t)ids;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		for (__u32 i = 0; i < info.nr_map_ids && i < 64; i++)
			found |= ids[i] == map_id;
	close(fd);
	return found;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

size_t links_using_map(uint32_t map_id, uint32_t *ids, size_t max)
{
	__u32 id = 0;
	size_t n = 0;

	while (!bpf_link_get_next_id(id, &id)) {
		struct bpf_link_info info = {0};
		__u32 len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id);

		if (fd < 0)
			continue; /* went away meanwhile */
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) && prog_uses_map(info.prog_id, map_id)) {
			if (n < max)
				ids[n] = id;
			n++;
		}
		close(fd);
	}
	qsort(ids, n < max ? n : max, sizeof(*ids), cmp_u32);
	return n;
}

uint64_t pinned_maps_memory(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	uint64_t total = 0;

	cr_assert_not_null(d, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		char *path;
		int fd;

		/* links have no memlock, but say so by name too */
		if (de->d_name[0] == '.' || strstr(de->d_name, "_link"))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		fd = bpf_obj_get(path);
		free(path);
		if (fd < 0)
			continue;
		total += bpf_map_memory(fd);
		close(fd);
	}
	closedir(d);
	return total;
}

static uint64_t fd_memlock(int fd)
{
	char path[64], line[256];
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "memlock:", 8))
			v = strtoull(line + 8, NULL, 10);
	fclose(f);
	return v;
}

uint64_t pinned_links_prog_memory(const char *dir, const char *name_part)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	uint32_t seen[64];
	size_t n_seen = 0;
	uint64_t total = 0;

	cr_assert_not_null(d, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d))) {
		struct bpf_link_info link = {0};
		struct bpf_prog_info prog = {0};
		__u32 len = sizeof(link);
		bool dup = false;
		char *path;
		int fd;

		if (de->d_name[0] == '.' || (name_part && !strstr(de->d_name, name_part)))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		fd = bpf_obj_get(path);
		free(path);
		if (fd < 0)
			continue;
		cr_assert_eq(bpf_obj_get_info_by_fd(fd, &link, &len), 0);
		close(fd);
		for (size_t i = 0; i < n_seen; i++)
			dup |= seen[i] == link.prog_id;
		if (dup || n_seen == 64)
			continue;
		seen[n_seen++] = link.prog_id;
		fd = bpf_prog_get_fd_by_id(link.prog_id);
		cr_assert_geq(fd, 0);
		len = sizeof(prog);
		cr_assert_eq(bpf_obj_get_info_by_fd(fd, &prog, &len), 0);
		total += fd_memlock(fd) + prog.jited_prog_len;
		close(fd);
	}
	closedir(d);
	return total;
}

long tree_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	long n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *path;
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n++;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (!lstat(path, &st) && S_ISDIR(st.st_mode))
			n += tree_entries(path);
		free(path);
	}
	closedir(d);
	return n;
}
