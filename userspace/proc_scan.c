// SPDX-License-Identifier: GPL-2.0-only
#include "proc_scan.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "cgroup.h"
#include "hashtab.h"
#include "util.h"

static const char *const ns_files[RTENF_NS_COUNT] = {
	"uts", "ipc", "mnt", "pid", "pid_for_children", "net", "time", "time_for_children", "cgroup", "user",
};

static char *read_link(int pid, const char *what)
{
	char path[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

static char *read_proc(int pid, const char *what, size_t *len)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	return read_file(path, len);
}

#define PF_KTHREAD 0x00200000 /* include/linux/sched.h */

/* ppid, flags and start time (clock ticks since boot) from /proc/PID/stat,
 * whose second field (comm) may contain spaces and parentheses. */
static int parse_stat(int pid, uint32_t *ppid, unsigned long *flags, uint64_t *start_ticks)
{
	char *text = read_proc(pid, "stat", NULL), *p, *save = NULL, *tok;
	int field = 3, r = -EINVAL;

	if (!text)
		return -errno;
	p = strrchr(text, ')');
	if (p) {
		for (tok = strtok_r(p + 1, " ", &save); tok; tok = strtok_r(NULL, " ", &save), field++) {
			if (field == 4)
				*ppid = (uint32_t)strtoul(tok, NULL, 10);
			if (field == 9)
				*flags = strtoul(tok, NULL, 10);
			if (field == 22) {
				*start_ticks = strtoull(tok, NULL, 10);
				r = 0;
				break;
			}
		}
	}
	free(text);
	return r;
}

static void parse_status(int pid, struct proc_entry *e)
{
	char *text = read_proc(pid, "status", NULL), *line, *save = NULL;

	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned a, b;

		if (sscanf(line, "Uid: %u %u", &a, &b) == 2) {
			e->uid = a;
			e->euid = b;
		} else if (sscanf(line, "Gid: %u %u", &a, &b) == 2) {
			e->gid = a;
			e->egid = b;
		} else if (!strncmp(line, "CapInh:", 7)) {
			e->cap_inheritable = strtoull(line + 7, NULL, 16);
		} else if (!strncmp(line, "CapPrm:", 7)) {
			e->cap_permitted = strtoull(line + 7, NULL, 16);
		} else if (!strncmp(line, "CapEff:", 7)) {
			e->cap_effective = strtoull(line + 7, NULL, 16);
		} else if (!strncmp(line, "NStgid:", 7)) {
			char *last = strrchr(line, '\t');

			e->ns_pid = (uint32_t)strtoul(last ? last + 1 : line + 7, NULL, 10);
		}
	}
	free(text);
}

uint64_t proc_cgroup_id(int pid)
{
	char *text = read_proc(pid, "cgroup", NULL), *line, *save = NULL;
	uint64_t id = 0;

	if (!text)
		return 0;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "0::", 3))
			id = cgroup2_id(line + 3);
	free(text);
	return id;
}

static struct proc_entry *scan_one(int pid, uint64_t ns_per_tick)
{
	struct proc_entry *e;
	uint64_t ticks = 0;
	uint32_t ppid = 0;
	unsigned long pflags = 0;
	char *exe, *cmdline, *loginuid;
	size_t cmdlen = 0;

	if (parse_stat(pid, &ppid, &pflags, &ticks) || (pflags & PF_KTHREAD))
		return NULL; /* gone, or a kernel thread */
	/* The executable may be hidden from us (pid 1 outside our Landlock
	 * domain, a hardened ptrace policy): the process is still recorded,
	 * so its children's parent links hold, with its binary unknown. */
	exe = read_link(pid, "exe");
	e = xcalloc(1, sizeof(*e));
	e->pid = (uint32_t)pid;
	e->ppid = ppid;
	/* start_time in /proc/PID/stat is boot-time based, like the sensor's
	 * bpf_ktime_get_boot_ns(): exec ids stay comparable */
	e->ktime = ticks * ns_per_tick;
	e->binary = exe ? exe : xstrdup("");
	cmdline = read_proc(pid, "cmdline", &cmdlen);
	if (cmdline) {
		struct strbuf sb = {0};
		size_t i = strnlen(cmdline, cmdlen) + 1;

		while (i < cmdlen) {
			size_t n = strnlen(cmdline + i, cmdlen - i);

			if (sb.len)
				sb_putc(&sb, ' ');
			sb_append(&sb, cmdline + i, n);
			i += n + 1;
		}
		e->arguments = sb_steal(&sb);
		free(cmdline);
	} else {
		e->arguments = xstrdup("");
	}
	e->cwd = read_link(pid, "cwd");
	if (!e->cwd)
		e->cwd = xstrdup("");
	parse_status(pid, e);
	loginuid = read_proc(pid, "loginuid", NULL);
	e->auid = loginuid ? (uint32_t)strtoul(loginuid, NULL, 10) : UINT32_MAX;
	free(loginuid);
	for (int i = 0; i < RTENF_NS_COUNT; i++) {
		char path[64];
		struct stat st;

		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, ns_files[i]);
		if (!stat(path, &st))
			e->ns[i] = (uint32_t)st.st_ino;
	}
	e->cgroup_id = proc_cgroup_id(pid);
	return e;
}

int proc_scan(struct process_cache *pc, int processes_map_fd, const struct rtenf_hash_key *key)
{
	uint64_t ns_per_tick = 1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK);
	struct proc_entry **found = NULL;
	struct hashtab by_pid;
	bool *known;
	size_t n = 0;
	struct dirent *de;
	DIR *d;
	int recorded = 0;

	/* cgroups first: processes are told their container from the table */
	if (cgroup2_root())
		cgroup_table_scan(&pc->cgroups, cgroup2_root());
	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		struct proc_entry *e;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		e = scan_one(atoi(de->d_name), ns_per_tick);
		if (e)
			*VEC_PUSH(found, n) = e;
	}
	closedir(d);

	/* A process the kernel already tracks (it exec'd or forked since the
	 * sensor attached, or under an agent whose pins this one adopted) is
	 * known to records by the kernel's exec id, not by its /proc start
	 * time: take the kernel's identity. */
	known = xcalloc(n ? n : 1, sizeof(*known));
	for (size_t i = 0; i < n && processes_map_fd >= 0; i++) {
		struct rtenf_process kp;

		if (bpf_map_lookup_elem(processes_map_fd, &found[i]->pid, &kp) || !kp.exec_id)
			continue;
		found[i]->ktime = kp.exec_id;
		found[i]->parent_ktime = kp.parent_exec_id;
		known[i] = true;
	}
	hashtab_init(&by_pid);
	for (size_t i = 0; i < n; i++)
		hashtab_put(&by_pid, found[i]->pid, found[i]);
	for (size_t i = 0; i < n; i++) {
		struct proc_entry *e = found[i], *parent = hashtab_get(&by_pid, e->ppid);
		struct rtenf_process kp = {0};

		if (known[i]) {
			process_cache_add(pc, e);
			recorded++;
			continue;
		}
		if (parent)
			e->parent_ktime = parent->ktime;
		kp.exec_id = e->ktime;
		kp.parent_exec_id = e->parent_ktime;
		/* 0: unknown binary, which no matchBinaries value matches */
		kp.bin_hash = e->binary[0] ? rtenf_hash((const __u8 *)e->binary, (__u32)strlen(e->binary), key) : 0;
		kp.ppid = e->ppid;
		kp.flags = RTENF_PROC_F_PROCFS;
		/* NOEXIST: an exec the sensor recorded meanwhile is newer */
		if (processes_map_fd >= 0)
			bpf_map_update_elem(processes_map_fd, &e->pid, &kp, BPF_NOEXIST);
		process_cache_add(pc, e);
		recorded++;
	}
	hashtab_free(&by_pid);
	free(known);
	free(found);
	return recorded;
}
