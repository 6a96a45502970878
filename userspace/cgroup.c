// SPDX-License-Identifier: GPL-2.0-only
#include "cgroup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

const char *cgroup2_root(void)
{
	static char root[512];
	char line[1024];
	FILE *f;

	if (root[0])
		return root;
	f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return NULL;
	/* "36 25 0:31 / /sys/fs/cgroup/unified rw,... - cgroup2 cgroup2 rw" */
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - cgroup2 "), mnt[512];

		if (!sep)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1) {
			snprintf(root, sizeof(root), "%s", mnt);
			break;
		}
	}
	fclose(f);
	return root[0] ? root : NULL;
}

uint64_t cgroup2_id(const char *relative_path)
{
	const char *root = cgroup2_root();
	struct stat st;
	char *path;
	uint64_t id = 0;

	if (!root)
		return 0;
	path = xasprintf("%s%s%s", root, relative_path[0] == '/' ? "" : "/", relative_path);
	if (!stat(path, &st))
		id = st.st_ino;
	free(path);
	return id;
}
