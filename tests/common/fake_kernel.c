// SPDX-License-Identifier: GPL-2.0-only
#include "fake_kernel.h"

#include <errno.h>
#include <string.h>

#include "util.h"

const struct rtenf_hash_key fake_key = {.k0 = 0x0123456789abcdefULL, .k1 = 0xfedcba9876543210ULL};

static int fake_tracepoint_format(const struct kernel_view *kv, const char *subsystem, const char *event,
				  struct tp_format *fmt)
{
	const struct fake_kernel *fk = kv->priv;

	if (fk->tp_error)
		return fk->tp_error;
	for (size_t i = 0; i < fk->n_tps; i++) {
		if (strcmp(fk->tps[i].subsystem, subsystem) || strcmp(fk->tps[i].event, event))
			continue;
		if (tp_format_parse(fk->tps[i].format, fmt))
			return -EINVAL;
		fmt->subsystem = xstrdup(subsystem);
		return 0;
	}
	return -ENOENT;
}

static int fake_host_ns(const struct kernel_view *kv, enum rtenf_ns ns, __u32 *inum)
{
	const struct fake_kernel *fk = kv->priv;

	if (fk->host_ns_error)
		return fk->host_ns_error;
	if ((unsigned)ns >= RTENF_NS_COUNT || !fk->host_ns[ns])
		return -ENOENT;
	*inum = fk->host_ns[ns];
	return 0;
}

static char *fake_canonical_path(const struct kernel_view *kv, const char *path)
{
	const struct fake_kernel *fk = kv->priv;

	for (size_t i = 0; i < fk->n_links; i++)
		if (!strcmp(fk->links[i].path, path))
			return xstrdup(fk->links[i].canonical);
	return xstrdup(path); /* as realpath(3) would for a real file */
}

void fake_kernel_init(struct fake_kernel *fk, const struct fake_tracepoint *tps, size_t n_tps)
{
	memset(fk, 0, sizeof(*fk));
	fk->tps = tps;
	fk->n_tps = n_tps;
	for (unsigned ns = 0; ns < RTENF_NS_COUNT; ns++)
		fk->host_ns[ns] = 0xf0000000u + ns;
	fk->kv.tracepoint_format = fake_tracepoint_format;
	fk->kv.host_ns = fake_host_ns;
	fk->kv.canonical_path = fake_canonical_path;
	fk->kv.key = fake_key;
	fk->kv.priv = fk;
}

static bool listed(const char *const *list, const char *name)
{
	for (; list && *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

static bool fake_has(const struct kernel_view *kv, enum feature f)
{
	const struct fake_kernel *fk = kv->priv;

	return fk->facts->states[f] == FEATURE_YES;
}

static bool fake_symbol_exists(const struct kernel_view *kv, const char *sym)
{
	const struct fake_kernel *fk = kv->priv;

	return listed(fk->facts->symbols, sym);
}

static int fake_error_injectable(const struct kernel_view *kv, const char *sym)
{
	const struct fake_kernel *fk = kv->priv;

	if (!fk->facts->injectable)
		return -ENOENT;
	return listed(fk->facts->injectable, sym);
}

static int fake_elf_symbol(const struct kernel_view *kv, const char *path, const char *sym)
{
	const struct fake_kernel *fk = kv->priv;

	(void)path;
	return listed(fk->facts->elf_functions, sym) ? 0 : -ENOENT;
}

void fake_kernel_use_facts(struct fake_kernel *fk, const struct fake_facts *facts)
{
	fk->facts = facts;
	fk->kv.has = facts->states ? fake_has : NULL;
	fk->kv.symbol_exists = fake_symbol_exists;
	fk->kv.error_injectable = fake_error_injectable;
	fk->kv.elf_symbol = fake_elf_symbol;
}
