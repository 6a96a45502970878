// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which processes hold BPF programs on syscall tracepoints, found through
 * their file descriptors: a tracepoint program stays attached only while
 * some process holds its perf event (or link) open, and BPF_TASK_FD_QUERY
 * names the tracepoint behind such a descriptor.  The bench uses this to
 * prove that a configuration runs alone (any program on any syscall
 * tracepoint puts every task on the syscall slow path), and to know when
 * bpftrace has really attached: it prints "Attaching N probes..." before it
 * does.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "bench.h"

const char *const prog_tp_names[N_PROG_TPS] = {
	[TP_ENTER_OPENAT] = "sys_enter_openat",
	[TP_EXIT_OPENAT] = "sys_exit_openat",
	[TP_ENTER_GETPPID] = "sys_enter_getppid",
	[TP_ENTER_FSTATAT] = "sys_enter_newfstatat",
	[TP_ENTER_FACCESSAT] = "sys_enter_faccessat",
	[TP_ENTER_GETPID] = "sys_enter_getpid",
};

static bool is_syscall_tp(const char *name)
{
	return !strncmp(name, "sys_enter", 9) || !strncmp(name, "sys_exit", 8);
}

static void read_comm(pid_t pid, char *comm, size_t size)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	comm[0] = '\0';
	f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(comm, (int)size, f))
		comm[strcspn(comm, "\n")] = '\0';
	fclose(f);
}

/* Calls fn for every fd of pid whose link target starts with prefix. */
static int for_each_fd(pid_t pid, const char *prefix, int (*fn)(pid_t pid, int fd, void *arg), void *arg)
{
	char dir[64], target[128];
	struct dirent *de;
	int total = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	d = opendir(dir);
	if (!d)
		return 0; /* gone, or a kernel thread */
	while ((de = readdir(d))) {
		ssize_t n;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (!strncmp(target, prefix, strlen(prefix)))
			total += fn(pid, atoi(de->d_name), arg);
	}
	closedir(d);
	return total;
}

struct tracer_scan {
	struct foreign_tracer *out;
	struct prog_stat *stats;
	int max, found;
};

static int query_fd(pid_t pid, int fd, void *arg)
{
	struct tracer_scan *s = arg;
	__u32 len, prog_id, fd_type;
	__u64 off, addr;
	char name[64];

	len = sizeof(name);
	if (bpf_task_fd_query(pid, fd, 0, name, &len, &prog_id, &fd_type, &off, &addr))
		return 0; /* not a tracepoint, or no program on it */
	if (fd_type != BPF_FD_TYPE_TRACEPOINT && fd_type != BPF_FD_TYPE_RAW_TRACEPOINT)
		return 0;
	name[sizeof(name) - 1] = '\0';
	if (!is_syscall_tp(name))
		return 0;
	if (s->out && s->found < s->max) {
		struct foreign_tracer *t = &s->out[s->found];

		t->pid = pid;
		read_comm(pid, t->comm, sizeof(t->comm));
		snprintf(t->tp, sizeof(t->tp), "%s", name);
	}
	if (s->stats && s->found < s->max) {
		s->stats[s->found].prog_id = prog_id;
		snprintf(s->stats[s->found].tp, sizeof(s->stats[s->found].tp), "%s", name);
	}
	s->found++;
	return 1;
}

int syscall_tracers(pid_t pid, struct foreign_tracer *out, int max)
{
	struct tracer_scan s = {.out = out, .max = max};
	struct dirent *de;
	DIR *d;

	if (pid > 0) {
		for_each_fd(pid, "anon_inode:", query_fd, &s);
		return s.found;
	}
	d = opendir("/proc");
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (isdigit((unsigned char)de->d_name[0]))
			for_each_fd(atoi(de->d_name), "anon_inode:", query_fd, &s);
	closedir(d);
	return s.found;
}

int syscall_prog_stats(pid_t pid, struct prog_stat *out, int max)
{
	struct tracer_scan s = {.stats = out, .max = max};
	int n;

	for_each_fd(pid, "anon_inode:", query_fd, &s);
	n = s.found < max ? s.found : max;
	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info = {0};
		__u32 len = sizeof(info);
		int fd = bpf_prog_get_fd_by_id(out[i].prog_id);

		out[i].run_ns = out[i].run_cnt = 0;
		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
			out[i].run_ns = info.run_time_ns;
			out[i].run_cnt = info.run_cnt;
		}
		close(fd);
	}
	return n;
}

static uint64_t read_field(const char *path, const char *key);

/* Memory of the distinct programs pid holds on syscall tracepoints, as
 * rtenf's program_memory counts it: memlock in fdinfo (the program and its
 * instructions, page-rounded) plus the JIT image. */
uint64_t syscall_prog_memory(pid_t pid)
{
	struct prog_stat p[16];
	int n = syscall_prog_stats(pid, p, 16);
	uint64_t total = 0;

	for (int i = 0; i < n; i++) {
		struct bpf_prog_info info = {0};
		__u32 len = sizeof(info);
		char path[64];
		bool seen = false;
		int fd;

		for (int j = 0; j < i; j++)
			seen |= p[j].prog_id == p[i].prog_id;
		fd = seen ? -1 : bpf_prog_get_fd_by_id(p[i].prog_id);
		if (fd < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
		total += read_field(path, "memlock:");
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			total += info.jited_prog_len;
		close(fd);
	}
	return total;
}

static uint64_t read_field(const char *path, const char *key)
{
	size_t klen = strlen(key);
	char line[256];
	uint64_t v = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen))
			v = strtoull(line + klen, NULL, 10);
	fclose(f);
	return v;
}

static int map_memlock(pid_t pid, int fd, void *arg)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)pid, fd);
	*(uint64_t *)arg += read_field(path, "memlock:");
	return 1;
}

/* The same measure rtenf reports as kernel_memory: memlock in fdinfo. */
uint64_t process_map_memory(pid_t pid)
{
	uint64_t total = 0;

	for_each_fd(pid, "anon_inode:bpf-map", map_memlock, &total);
	return total;
}

/* Resident bytes of pid's mappings of BPF maps (ring buffers, mmapable
 * arrays): they are in its RSS although the kernel owns them. */
uint64_t process_bpf_map_rss(pid_t pid)
{
	char path[64], line[256];
	bool in_map = false;
	uint64_t total = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		/* a mapping's header line ("lo-hi perms ... name"), else a field */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in_map = strstr(line, "anon_inode:bpf-map") != NULL;
		else if (in_map && !strncmp(line, "Rss:", 4))
			total += strtoull(line + 4, NULL, 10) * 1024;
	}
	fclose(f);
	return total;
}

uint64_t process_rss(pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return read_field(path, "VmRSS:") * 1024;
}
