// SPDX-License-Identifier: GPL-2.0-only
#include "bpf_setup.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "log.h"
#include "tracepoint_format.h"

#define BPF_FS_MAGIC 0xcafe4a11

static char last_refusal[512];

/* Verifier logs end with statistics ("processed 12 insns ...", "verification
 * time ..."); the reason is the last line before them. */
static bool is_statistics(const char *line, size_t len)
{
	static const char *const prefixes[] = {"processed ", "verification time", "stack depth", "-- END"};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (len >= strlen(prefixes[i]) && !strncmp(line, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static void remember_refusal(const char *msg)
{
	const char *end = strstr(msg, "-- END PROG LOAD LOG --");

	if (!end)
		return;
	while (end > msg) {
		const char *line_end = end, *line;

		while (line_end > msg && line_end[-1] == '\n')
			line_end--;
		line = line_end;
		while (line > msg && line[-1] != '\n')
			line--;
		if (line_end > line && !is_statistics(line, (size_t)(line_end - line))) {
			snprintf(last_refusal, sizeof(last_refusal), "%.*s", (int)(line_end - line), line);
			return;
		}
		end = line;
	}
}

const char *bpf_last_refusal(void)
{
	static char copy[sizeof(last_refusal)];

	memcpy(copy, last_refusal, sizeof(copy));
	last_refusal[0] = '\0';
	return copy;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf's warnings include verifier logs: worth seeing when a load fails */
	enum log_level l = level == LIBBPF_WARN ? LOG_WARN : LOG_DEBUG;
	char *msg = NULL;
	int n;

	n = vasprintf(&msg, fmt, ap);
	if (n < 0)
		return 0;
	if (level == LIBBPF_WARN)
		remember_refusal(msg);
	if (l <= log_get_level()) {
		fputs("libbpf: ", stderr);
		fputs(msg, stderr);
	}
	free(msg);
	return n;
}

void bpf_setup(void)
{
	struct rlimit rl = {RLIM_INFINITY, RLIM_INFINITY};
	struct statfs fs;

	libbpf_set_print(libbpf_log);
	if (setrlimit(RLIMIT_MEMLOCK, &rl))
		log_debug("could not raise RLIMIT_MEMLOCK (%s); fine on kernels that account BPF memory to cgroups",
			  strerror(errno));
	if (statfs("/sys/fs/bpf", &fs) || fs.f_type != BPF_FS_MAGIC) {
		mkdir("/sys/fs/bpf", 0700);
		if (mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL))
			log_debug("could not mount bpffs on /sys/fs/bpf: %s", strerror(errno));
	}
	if (!tracefs_dir())
		log_warn("tracefs is not available; tracepoint policies cannot be checked or attached");
}

/* "memlock" of a map or program fd. */
static uint64_t fd_memlock(int fd)
{
	char path[64], line[256];
	uint64_t bytes = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "memlock:", 8))
			bytes = strtoull(line + 8, NULL, 10);
	fclose(f);
	return bytes;
}

uint64_t bpf_map_memory(int map_fd)
{
	return fd_memlock(map_fd);
}

static uint64_t prog_memory(uint32_t id)
{
	struct bpf_prog_info info = {0};
	__u32 len = sizeof(info);
	uint64_t bytes;
	int fd = bpf_prog_get_fd_by_id(id);

	if (fd < 0)
		return 0;
	bytes = fd_memlock(fd);
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		bytes += info.jited_prog_len;
	close(fd);
	return bytes;
}

uint64_t bpf_links_prog_memory(struct bpf_link *const *links, size_t n, uint32_t *ids)
{
	uint64_t total = 0;
	size_t n_ids = 0;

	for (size_t i = 0; i < n; i++) {
		struct bpf_link_info info = {0};
		__u32 len = sizeof(info);
		size_t j;

		if (!links[i] || bpf_obj_get_info_by_fd(bpf_link__fd(links[i]), &info, &len) || !info.prog_id)
			continue;
		for (j = 0; j < n_ids && ids[j] != info.prog_id; j++)
			;
		if (j < n_ids)
			continue;
		ids[n_ids++] = info.prog_id;
		total += prog_memory(info.prog_id);
	}
	return total;
}
