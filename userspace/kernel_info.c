// SPDX-License-Identifier: GPL-2.0-only
#include "kernel_info.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/magic.h>

#include "cgroup.h"
#include "util.h"

#define SECURITYFS_DIR "/sys/kernel/security"

/* Older headers lack the capabilities split out of CAP_SYS_ADMIN in 5.8. */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static uint64_t effective_caps(void)
{
	char line[256];
	uint64_t caps = 0;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %" SCNx64, &caps) == 1)
			break;
	fclose(f);
	return caps;
}

/* BPF checks capabilities against the initial user namespace: root in a
 * rootless container has CAP_SYS_ADMIN that the bpf() syscall ignores. */
static bool in_initial_user_ns(void)
{
	char *map = read_file("/proc/self/uid_map", NULL);
	unsigned long inside, outside, count;
	bool initial;

	if (!map)
		return true; /* no user namespaces at all */
	initial = sscanf(map, "%lu %lu %lu", &inside, &outside, &count) == 3 && inside == 0 && outside == 0 &&
		  count == 4294967295ul;
	free(map);
	return initial;
}

bool process_may_probe_bpf(void)
{
	uint64_t caps = effective_caps();
	uint64_t bpf_set = 1ull << CAP_BPF | 1ull << CAP_PERFMON | 1ull << CAP_NET_ADMIN;

	if (!in_initial_user_ns())
		return false;
	return (caps & 1ull << CAP_SYS_ADMIN) || (caps & bpf_set) == bpf_set;
}

/* A sysctl holding one small integer; -1 when unreadable. */
static int read_sysctl_int(const char *path)
{
	char *text = read_file(path, NULL);
	int v = -1;

	if (text && sscanf(text, "%d", &v) != 1)
		v = -1;
	free(text);
	return v;
}

static bool is_securityfs(const char *dir)
{
	struct statfs sf;

	return !statfs(dir, &sf) && sf.f_type == SECURITYFS_MAGIC;
}

/* Makes SECURITYFS_DIR readable if it can; returns 0 or -errno. */
static int ensure_securityfs(bool privileged)
{
	if (is_securityfs(SECURITYFS_DIR))
		return 0;
	if (!privileged)
		return -EPERM;
	if (mount("securityfs", SECURITYFS_DIR, "securityfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL))
		return -errno;
	return 0;
}

bool kernel_info_parse_lsm(struct kernel_info *ki, const char *text)
{
	const char *p = text;

	for (size_t i = 0; i < ki->n_lsm; i++)
		free(ki->lsm[i]);
	ki->n_lsm = 0;
	while (*p && *p != '\n' && ki->n_lsm < KERNEL_INFO_MAX_LSMS) {
		size_t n = strcspn(p, ",\n");

		if (!n)
			return false; /* ",," or a leading comma */
		ki->lsm[ki->n_lsm++] = xstrndup(p, n);
		p += n;
		if (*p == ',')
			p++;
	}
	ki->lsm_known = true;
	ki->bpf_lsm_active = 0;
	for (size_t i = 0; i < ki->n_lsm; i++)
		if (!strcmp(ki->lsm[i], "bpf"))
			ki->bpf_lsm_active = 1;
	return true;
}

bool kernel_info_parse_lockdown(const char *text, char *out, size_t out_size)
{
	const char *open = strchr(text, '['), *close;

	if (!open || !(close = strchr(open, ']')) || close == open + 1)
		return false;
	snprintf(out, out_size, "%.*s", (int)(close - open - 1), open + 1);
	return true;
}

static void read_security(struct kernel_info *ki)
{
	int r = ensure_securityfs(ki->privileged);
	char *text;

	if (r) {
		ki->unknown_why = r == -EPERM ? "securityfs is not mounted; run as root to mount it"
					      : "securityfs is not mounted and mounting it failed";
		return;
	}
	text = read_file(SECURITYFS_DIR "/lsm", NULL);
	if (!text || !kernel_info_parse_lsm(ki, text))
		ki->unknown_why = "cannot read " SECURITYFS_DIR "/lsm";
	free(text);
	text = read_file(SECURITYFS_DIR "/lockdown", NULL);
	if (text)
		kernel_info_parse_lockdown(text, ki->lockdown, sizeof(ki->lockdown));
	else if (ki->lsm_known && ki->n_lsm) {
		/* No lockdown LSM among the active ones: nothing is locked down. */
		bool listed = false;

		for (size_t i = 0; i < ki->n_lsm; i++)
			listed |= !strcmp(ki->lsm[i], "lockdown");
		if (!listed)
			snprintf(ki->lockdown, sizeof(ki->lockdown), "none");
	}
	free(text);
}

void kernel_info_read(struct kernel_info *ki)
{
	struct utsname u;
	const char *cg;

	memset(ki, 0, sizeof(*ki));
	ki->bpf_lsm_active = -1;
	ki->privileged = process_may_probe_bpf();
	if (!uname(&u))
		snprintf(ki->release, sizeof(ki->release), "%s", u.release);
	ki->btf = !access("/sys/kernel/btf/vmlinux", R_OK);
	read_security(ki);
	ki->unprivileged_bpf_disabled = read_sysctl_int("/proc/sys/kernel/unprivileged_bpf_disabled");
	ki->jit_enable = read_sysctl_int("/proc/sys/net/core/bpf_jit_enable");
	cg = cgroup2_root();
	ki->cgroup2_root = cg ? xstrdup(cg) : NULL;
}

void kernel_info_free(struct kernel_info *ki)
{
	for (size_t i = 0; i < ki->n_lsm; i++)
		free(ki->lsm[i]);
	free(ki->cgroup2_root);
	memset(ki, 0, sizeof(*ki));
}
