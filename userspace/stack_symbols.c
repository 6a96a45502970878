// SPDX-License-Identifier: GPL-2.0-only
#include "stack_symbols.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elf_symbols.h"
#include "util.h"

struct ksym {
	uint64_t addr;
	char *name;
	char *module; /* NULL: the kernel image */
};

struct kernel_symbols {
	struct ksym *syms;
	size_t n;
	bool loaded;
	bool hidden;	      /* every address read as 0: kptr_restrict */
	size_t modules_bytes; /* size of /proc/modules at the last load */
	time_t checked;	      /* when /proc/modules was last looked at */
};

/* No function is this long: an address this far past the nearest symbol is
 * in code loaded after the table was read (a new module). */
#define KSYM_MAX_SPAN (1u << 20)

static size_t proc_modules_bytes(void)
{
	char buf[4096];
	size_t total = 0, r;
	FILE *f = fopen("/proc/modules", "re");

	if (!f)
		return 0;
	while ((r = fread(buf, 1, sizeof(buf), f)) > 0)
		total += r;
	fclose(f);
	return total;
}

static void ksyms_clear(struct kernel_symbols *ks)
{
	for (size_t i = 0; i < ks->n; i++) {
		free(ks->syms[i].name);
		free(ks->syms[i].module);
	}
	free(ks->syms);
	ks->syms = NULL;
	ks->n = 0;
}

static int ksym_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static void ksyms_load(struct kernel_symbols *ks)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[512];
	bool any_nonzero = false;

	ksyms_clear(ks);
	ks->loaded = true;
	ks->hidden = false;
	ks->modules_bytes = proc_modules_bytes();
	ks->checked = time(NULL);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char type, name[256], module[128] = "";
		uint64_t addr;
		struct ksym *s;

		if (sscanf(line, "%" SCNx64 " %c %255s [%127[^]]]", &addr, &type, name, module) < 3)
			continue;
		if (type != 't' && type != 'T' && type != 'w' && type != 'W')
			continue; /* only code is on a stack */
		if (addr)
			any_nonzero = true;
		s = VEC_PUSH(ks->syms, ks->n);
		s->addr = addr;
		s->name = xstrdup(name);
		s->module = module[0] ? xstrdup(module) : NULL;
	}
	fclose(f);
	ks->hidden = ks->n && !any_nonzero;
	qsort(ks->syms, ks->n, sizeof(*ks->syms), ksym_cmp);
}

struct kernel_symbols *kernel_symbols_new(void)
{
	return xcalloc(1, sizeof(struct kernel_symbols));
}

void kernel_symbols_free(struct kernel_symbols *ks)
{
	if (!ks)
		return;
	ksyms_clear(ks);
	free(ks);
}

/* The symbol at or below addr, or NULL. */
static const struct ksym *ksym_find(const struct kernel_symbols *ks, uint64_t addr)
{
	size_t lo = 0, hi = ks->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &ks->syms[lo - 1] : NULL;
}

static bool ksym_covers(const struct ksym *s, uint64_t addr)
{
	return s && addr - s->addr < KSYM_MAX_SPAN;
}

/* Loads the table the first time, and again (at most once a second) when
 * /proc/modules changed or an address is not covered. */
static void ksyms_refresh(struct kernel_symbols *ks, const uint64_t *addrs, size_t n)
{
	bool uncovered = false;
	time_t now;

	if (!ks->loaded) {
		ksyms_load(ks);
		return;
	}
	for (size_t i = 0; i < n && !uncovered; i++)
		uncovered = !ksym_covers(ksym_find(ks, addrs[i]), addrs[i]);
	now = time(NULL);
	if (now == ks->checked)
		return;
	ks->checked = now;
	if (uncovered || proc_modules_bytes() != ks->modules_bytes)
		ksyms_load(ks);
}

const char *kernel_symbols_resolve(struct kernel_symbols *ks, const uint64_t *addrs, size_t n,
				   rtenf_StackTraceEntry *out)
{
	ksyms_refresh(ks, addrs, n);
	for (size_t i = 0; i < n; i++) {
		out[i].address = addrs[i];
		if (ks->hidden)
			continue;
		const struct ksym *s = ksym_find(ks, addrs[i]);

		if (!ksym_covers(s, addrs[i]))
			continue;
		out[i].symbol = xstrdup(s->name);
		out[i].offset = addrs[i] - s->addr;
		if (s->module)
			out[i].module = xstrdup(s->module);
	}
	if (!ks->n)
		return "kernel symbols unavailable: /proc/kallsyms cannot be read";
	if (ks->hidden)
		return "kernel symbols hidden: /proc/kallsyms shows zero addresses (kernel.kptr_restrict)";
	return NULL;
}

struct user_map {
	uint64_t start, end, pgoff;
	char path[512];
};

static size_t read_maps(pid_t pid, struct user_map **maps)
{
	char name[64], line[1024];
	size_t n = 0;
	FILE *f;

	snprintf(name, sizeof(name), "/proc/%d/maps", (int)pid);
	f = fopen(name, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		struct user_map m = {0};
		char perms[8];
		int path_at = 0;

		if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*u %n", &m.start, &m.end, perms,
			   &m.pgoff, &path_at) < 4 ||
		    !path_at)
			continue;
		if (perms[2] != 'x' || line[path_at] != '/')
			continue; /* only file-backed code has symbols */
		snprintf(m.path, sizeof(m.path), "%s", line + path_at);
		m.path[strcspn(m.path, "\n")] = '\0';
		*VEC_PUSH(*maps, n) = m;
	}
	fclose(f);
	return n;
}

const char *user_symbols_resolve(pid_t pid, const uint64_t *addrs, size_t n, rtenf_StackTraceEntry *out)
{
	struct user_map *maps = NULL;
	size_t nmaps = read_maps(pid, &maps);

	for (size_t i = 0; i < n; i++) {
		out[i].address = addrs[i];
		for (size_t j = 0; j < nmaps; j++) {
			const struct user_map *m = &maps[j];
			uint64_t file_off, sym_off;
			char *file, *sym = NULL;

			if (addrs[i] < m->start || addrs[i] >= m->end)
				continue;
			file_off = addrs[i] - m->start + m->pgoff;
			out[i].module = xstrdup(m->path);
			/* through the task's root: its files, even in another mount namespace */
			file = xasprintf("/proc/%d/root%s", (int)pid, m->path);
			if (!elf_function_at(file, file_off, &sym, &sym_off)) {
				out[i].symbol = sym;
				out[i].offset = sym_off;
			} else {
				out[i].offset = file_off;
			}
			free(file);
			break;
		}
	}
	free(maps);
	if (n && !nmaps)
		return "process gone before its user stack was named: addresses only";
	return NULL;
}
