// SPDX-License-Identifier: GPL-2.0-only
#include "kernel_view.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

static int live_tracepoint_format(const struct kernel_view *kv, const char *subsystem, const char *event,
				  struct tp_format *fmt)
{
	(void)kv;
	return tp_format_load(subsystem, event, fmt);
}

static const char *const ns_proc_names[RTENF_NS_COUNT] = {
	[RTENF_NS_UTS] = "uts",
	[RTENF_NS_IPC] = "ipc",
	[RTENF_NS_MNT] = "mnt",
	[RTENF_NS_PID] = "pid",
	[RTENF_NS_PID_FOR_CHILDREN] = "pid_for_children",
	[RTENF_NS_NET] = "net",
	[RTENF_NS_TIME] = "time",
	[RTENF_NS_TIME_FOR_CHILDREN] = "time_for_children",
	[RTENF_NS_CGROUP] = "cgroup",
	[RTENF_NS_USER] = "user",
};

static int live_host_ns(const struct kernel_view *kv, enum rtenf_ns ns, __u32 *inum)
{
	char path[64];
	struct stat st;

	if ((unsigned)ns >= RTENF_NS_COUNT)
		return -EINVAL;
	if (kv->host_ns_inums) {
		*inum = kv->host_ns_inums[ns];
		return *inum ? 0 : -ENOENT; /* 0: this kernel lacks that namespace type */
	}
	snprintf(path, sizeof(path), "/proc/1/ns/%s", ns_proc_names[ns]);
	if (stat(path, &st))
		return -errno;
	*inum = (__u32)st.st_ino;
	return 0;
}

static char *live_canonical_path(const struct kernel_view *kv, const char *path)
{
	char buf[PATH_MAX];

	(void)kv;
	if (!realpath(path, buf))
		return NULL;
	return xstrdup(buf);
}

void kernel_view_init_live(struct kernel_view *kv, const struct rtenf_hash_key *key)
{
	memset(kv, 0, sizeof(*kv));
	kv->tracepoint_format = live_tracepoint_format;
	kv->host_ns = live_host_ns;
	kv->canonical_path = live_canonical_path;
	kv->key = *key;
}
