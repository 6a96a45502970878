// SPDX-License-Identifier: GPL-2.0-only
/*
 * (v1), (v100), (v10k): rtenf with one policy of four hooks, one filter
 * each, every filter listing 1, 100 or 10,000 values:
 *
 *   sys_enter_newfstatat filename Equal     [<dir>/in/target, made-up files]
 *   sys_enter_faccessat  filename Prefix    [<dir>/in/, made-up directories]
 *   sys_enter_getppid    matchBinaries In   [the bench, made-up binaries]
 *   sys_enter_getpid     matchBinaries In   [made-up binaries only]
 *
 * each with the action NoPost, which keeps the ring buffer and the agent
 * out of the numbers: what is timed is the matcher.  The loops name
 * <dir>/in/target (matched) and <dir>/out/target (unmatched, same length)
 * for the two string operators, and getppid (matched) and getpid
 * (unmatched) for matchBinaries.  The made-up values never match, and are
 * alike enough to make the tries deep: /nonexistent-rtenf-bench/file-N,
 * .../dir-N/, .../bin-N.  Run in the same rounds as the other
 * configurations, so v10k against v1 is the price of ten thousand values
 * (docs/bench.md).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "util.h"

bool values_cfg(enum cfg_id id)
{
	return id == CFG_VALUES_1 || id == CFG_VALUES_100 || id == CFG_VALUES_10K;
}

unsigned values_count(enum cfg_id id)
{
	return id == CFG_VALUES_1 ? 1 : id == CFG_VALUES_100 ? 100 : 10000;
}

const char *values_policy_name(enum cfg_id id)
{
	return id == CFG_VALUES_1 ? "bench-values-1" : id == CFG_VALUES_100 ? "bench-values-100" : "bench-values-10000";
}

/* "[first, fmt(1), fmt(2), ...]", n values in all; first NULL: fmt(0) too. */
static void list(struct strbuf *sb, const char *first, const char *fmt, unsigned n)
{
	sb_puts(sb, "[");
	for (unsigned i = 0; i < n; i++) {
		sb_puts(sb, i ? ", \"" : "\"");
		if (i == 0 && first)
			sb_puts(sb, first);
		else
			sb_printf(sb, fmt, i);
		sb_putc(sb, '"');
	}
	sb_puts(sb, "]");
}

static void string_hook(struct strbuf *sb, const char *event, const char *op, const char *first, const char *fmt,
			unsigned n)
{
	sb_printf(sb,
		  "  - subsystem: syscalls\n"
		  "    event: %s\n"
		  "    args:\n"
		  "    - index: 6\n"
		  "      type: string\n"
		  "    selectors:\n"
		  "    - matchArgs:\n"
		  "      - index: 6\n"
		  "        operator: %s\n"
		  "        values: ",
		  event, op);
	list(sb, first, fmt, n);
	sb_puts(sb, "\n      matchActions:\n      - action: NoPost\n");
}

static void binary_hook(struct strbuf *sb, const char *event, const char *first, unsigned n)
{
	sb_printf(sb,
		  "  - subsystem: syscalls\n"
		  "    event: %s\n"
		  "    selectors:\n"
		  "    - matchBinaries:\n"
		  "      - operator: In\n"
		  "        values: ",
		  event);
	list(sb, first, "/nonexistent-rtenf-bench/bin-%u", n);
	sb_puts(sb, "\n      matchActions:\n      - action: NoPost\n");
}

static char *policy_text(const struct bench *b, enum cfg_id id, const char *exe)
{
	unsigned n = values_count(id);
	struct strbuf sb = {0};
	char *dir = xstrdup(b->vin);

	strrchr(dir, '/')[1] = '\0'; /* <dir>/in/ */
	sb_printf(&sb,
		  "# Written by tests/bench (make bench): one filter per hook, %u values each.\n"
		  "apiVersion: cilium.io/v1alpha1\n"
		  "kind: TracingPolicy\n"
		  "metadata:\n"
		  "  name: %s\n"
		  "spec:\n"
		  "  tracepoints:\n",
		  n, values_policy_name(id));
	string_hook(&sb, "sys_enter_newfstatat", "Equal", b->vin, "/nonexistent-rtenf-bench/file-%u", n);
	string_hook(&sb, "sys_enter_faccessat", "Prefix", dir, "/nonexistent-rtenf-bench/dir-%u/", n);
	binary_hook(&sb, "sys_enter_getppid", exe, n);
	binary_hook(&sb, "sys_enter_getpid", NULL, n);
	free(dir);
	return sb_steal(&sb);
}

int values_prepare(struct bench *b)
{
	static const enum cfg_id ids[] = {CFG_VALUES_1, CFG_VALUES_100, CFG_VALUES_10K};
	char *exe = realpath("/proc/self/exe", NULL);
	int r = 0;

	if (!exe) {
		fprintf(stderr, "bench: cannot resolve /proc/self/exe: %s\n", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]) && !r; i++) {
		char *path = xasprintf("%s/%s.yaml", b->dir, values_policy_name(ids[i]));
		char *text = policy_text(b, ids[i], exe);
		FILE *f = fopen(path, "w");

		if (!f || fputs(text, f) < 0) {
			fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
			r = -1;
		}
		if (f && fclose(f))
			r = -1;
		free(text);
		free(path);
	}
	free(exe);
	return r;
}
