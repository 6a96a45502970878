// SPDX-License-Identifier: GPL-2.0-only
#include "kernel_view.h"

#include "cgroup.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <dirent.h>
#include <regex.h>

#include "btf_func.h"
#include "elf_symbols.h"
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

static bool live_has(const struct kernel_view *kv, enum feature f)
{
	(void)kv;
	return feature_has(f);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names from a file of "NAME ..." or "ADDR TYPE NAME ..." lines. */
struct name_index {
	char **v;
	size_t n;
	bool loaded;
	bool available;
};

static void index_load(struct name_index *ix, const char *path, int column)
{
	FILE *f;
	char line[512];

	ix->loaded = true;
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *tok, *save = NULL;
		int c = 0;

		for (tok = strtok_r(line, " \t\n", &save); tok && c < column; tok = strtok_r(NULL, " \t\n", &save))
			c++;
		if (tok)
			*VEC_PUSH(ix->v, ix->n) = xstrdup(tok);
	}
	fclose(f);
	qsort(ix->v, ix->n, sizeof(*ix->v), cmp_str);
	ix->available = ix->n > 0;
}

static bool index_has(const struct name_index *ix, const char *name)
{
	return bsearch(&name, ix->v, ix->n, sizeof(*ix->v), cmp_str) != NULL;
}

static bool live_symbol_exists(const struct kernel_view *kv, const char *sym)
{
	static struct name_index kallsyms;

	(void)kv;
	if (!kallsyms.loaded)
		index_load(&kallsyms, "/proc/kallsyms", 2);
	return index_has(&kallsyms, sym);
}

#define DEBUGFS_DIR   "/sys/kernel/debug"
#define DEBUGFS_MAGIC 0x64626720

/* debugfs is where the error-injection list lives; mounted on demand, like
 * tracefs and bpffs. */
static bool debugfs_mounted(void)
{
	struct statfs fs;

	if (!statfs(DEBUGFS_DIR, &fs) && fs.f_type == DEBUGFS_MAGIC)
		return true;
	return !mount("debugfs", DEBUGFS_DIR, "debugfs", 0, NULL);
}

/* A mounted debugfs without error_injection/ means a kernel without
 * CONFIG_FUNCTION_ERROR_INJECTION: nothing is injectable, not even syscalls
 * (the kernel then refuses fmod_ret on them as "not modifiable"). */
static int live_error_injectable(const struct kernel_view *kv, const char *sym)
{
	static struct name_index list;
	static bool config_off;

	(void)kv;
	if (!list.loaded) {
		index_load(&list, DEBUGFS_DIR "/error_injection/list", 0);
		config_off = !list.available && debugfs_mounted() && access(DEBUGFS_DIR "/error_injection", F_OK) != 0;
	}
	if (config_off)
		return 0;
	if (!list.available)
		return -ENOENT;
	return index_has(&list, sym);
}

static int live_elf_symbol(const struct kernel_view *kv, const char *path, const char *sym)
{
	(void)kv;
	return elf_find_function(path, sym);
}

static int live_syscalls(const struct kernel_view *kv, char ***names, size_t *n)
{
	const char *dir = tracefs_dir();
	char *path;
	struct dirent *de;
	DIR *d;

	(void)kv;
	*names = NULL;
	*n = 0;
	if (!dir)
		return -ENODEV;
	path = xasprintf("%s/events/syscalls", dir);
	d = opendir(path);
	free(path);
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, "sys_enter_", 10))
			*VEC_PUSH(*names, *n) = xstrdup(de->d_name + 10);
	closedir(d);
	qsort(*names, *n, sizeof(**names), cmp_str);
	return 0;
}

static int live_ftrace_functions(const struct kernel_view *kv, const char *pattern, char ***names, size_t *n)
{
	static struct name_index funcs;
	const char *dir = tracefs_dir();
	regex_t re;

	(void)kv;
	*names = NULL;
	*n = 0;
	if (!funcs.loaded && dir) {
		char *path = xasprintf("%s/available_filter_functions", dir);

		index_load(&funcs, path, 0);
		free(path);
	}
	if (!funcs.available)
		return -ENOENT;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return -EINVAL;
	for (size_t i = 0; i < funcs.n; i++)
		if (!regexec(&re, funcs.v[i], 0, NULL, 0) && (i == 0 || strcmp(funcs.v[i], funcs.v[i - 1])))
			*VEC_PUSH(*names, *n) = xstrdup(funcs.v[i]);
	regfree(&re);
	return 0;
}

static int live_cgroup_exists(const struct kernel_view *kv, const char *path)
{
	const char *root = cgroup2_root();
	struct stat st;
	char *full;
	int r;

	(void)kv;
	if (!root)
		return -ENODEV;
	full = xasprintf("%s%s", root, strcmp(path, "/") ? path : "");
	r = !stat(full, &st) && S_ISDIR(st.st_mode);
	free(full);
	return r;
}

void kernel_view_init_live(struct kernel_view *kv, const struct rtenf_hash_key *key)
{
	memset(kv, 0, sizeof(*kv));
	kv->tracepoint_format = live_tracepoint_format;
	kv->host_ns = live_host_ns;
	kv->canonical_path = live_canonical_path;
	kv->key = *key;
	kv->has = live_has;
	kv->btf = btf_vmlinux();
	kv->symbol_exists = live_symbol_exists;
	kv->error_injectable = live_error_injectable;
	kv->elf_symbol = live_elf_symbol;
	kv->syscalls = live_syscalls;
	kv->ftrace_functions = live_ftrace_functions;
	kv->syscall_prefix = "__x64_sys_";
	kv->cgroup_exists = live_cgroup_exists;
}
