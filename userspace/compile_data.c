// SPDX-License-Identifier: GPL-2.0-only
/*
 * Member paths resolved in the kernel's BTF (btf_resolve.c), for a hook's
 * data entries and for arguments with resolve.
 *
 * data entries (source current_task): each becomes one more
 * value slot after the hook's arguments and the hidden char_buf sizes, with
 * source RTENF_SRC_TASK and flags EMIT | DATA, so matchData filters are
 * compiled like matchArgs filters on that slot and events carry the value
 * (under "data", see event_builder.c).  Its resolve path is walked in the
 * kernel's BTF from struct task_struct (btf_resolve.c) into
 * cfg.resolve[slot]: the BPF side follows those steps with at most
 * RTENF_RESOLVE_MAX_STEPS pointer reads.
 *
 * Without a kernel BTF (rtenf validate on a machine that has none) the
 * paths cannot be checked: the slot is laid out from the declared type and
 * the policy is reported as not checked against a kernel.
 */
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "btf_resolve.h"
#include "compile_internal.h"
#include "policy.h"
#include "util.h"

static unsigned declared_size(enum rtenf_arg_type t)
{
	return t == RTENF_ARG_INT || t == RTENF_ARG_UINT32 ? 4 : 8;
}

/* The BTF type at the end of root.path must be readable as the declared
 * type: text for string, an integer no wider than the declared one else. */
static bool check_final_type(struct hook_compiler *hc, struct src_loc loc, const char *root, const char *path,
			     const struct btf_resolved *r, enum rtenf_arg_type t)
{
	if (t == RTENF_ARG_STRING) {
		if (r->kind == BTF_RESOLVED_CHARS || r->kind == BTF_RESOLVED_CHAR_PTR)
			return true;
		ERR(hc, loc, "%s.%s is %s, not text: type string needs a char array or char pointer", root, path,
		    r->desc);
		return false;
	}
	if (r->kind != BTF_RESOLVED_INT) {
		ERR(hc, loc, "%s.%s is %s, not an integer: type %s needs an integer member", root, path, r->desc,
		    rtenf_arg_type_name(t));
		return false;
	}
	if (r->size > declared_size(t)) {
		ERR(hc, loc, "%s.%s is %s, which does not fit type %s (%u bytes): declare int64 or uint64", root, path,
		    r->desc, rtenf_arg_type_name(t), declared_size(t));
		return false;
	}
	return true;
}

static bool is_resolvable_type(enum rtenf_arg_type t)
{
	return t == RTENF_ARG_STRING || t == RTENF_ARG_INT || t == RTENF_ARG_UINT32 || t == RTENF_ARG_INT64 ||
	       t == RTENF_ARG_UINT64 || t == RTENF_ARG_SIZE_T;
}

bool compile_arg_resolve(struct hook_compiler *hc, const struct policy_arg *pa, unsigned slot)
{
	struct rtenf_arg_desc *d = &hc->out->cfg.args[slot];
	enum rtenf_arg_type t = map_arg_type(pa->type);
	const struct btf_arg_info *p;
	struct btf_resolved r;
	char err[512], desc[96];

	if (hc->out->mechanism == MECH_CGROUP_SOCK) {
		ERR(hc, pa->resolve_loc, "not supported yet: resolve on a hook enforced by a cgroup socket program");
		return false;
	}
	if (!is_resolvable_type(t)) {
		ERR(hc, pa->type_loc.line ? pa->type_loc : pa->loc,
		    "an argument with resolve needs an integer type or string: the member is compared as a number or "
		    "as text");
		return false;
	}
	d->type = t;
	d->flags |= RTENF_ARGD_F_RESOLVE;
	d->source = t == RTENF_ARG_STRING ? RTENF_SRC_KERNEL_PTR : RTENF_SRC_VALUE;
	d->size = declared_size(t);
	if (!hc->kv->btf || !hc->have_proto)
		return true; /* checked where a kernel BTF is: rtenf apply */
	p = &hc->proto.params[pa->index];
	if (p->kind != BTF_PARAM_PTR || btf__find_by_name_kind(hc->kv->btf, p->pointee, BTF_KIND_STRUCT) < 0) {
		btf_param_describe(p, desc, sizeof(desc));
		ERR(hc, pa->resolve_loc, "argument %u of %s is %s: resolve starts from a pointer to a struct", pa->index,
		    hc->out->function, desc);
		return false;
	}
	if (btf_resolve_path(hc->kv->btf, p->pointee, pa->resolve, &r, err, sizeof(err))) {
		ERR(hc, pa->resolve_loc, "%s", err);
		return false;
	}
	if (!check_final_type(hc, pa->resolve_loc, p->pointee, pa->resolve, &r, t))
		return false;
	if (t != RTENF_ARG_STRING) {
		d->size = (__u8)r.size;
		d->is_signed = r.is_signed;
	}
	hc->out->cfg.resolve[slot] = r.steps;
	return true;
}

static void compile_data_entry(struct hook_compiler *hc, const struct policy_data *d)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	enum rtenf_arg_type t = map_arg_type(d->type);
	struct compiled_arg_meta *m;
	struct rtenf_arg_desc *desc;
	struct btf_resolved r;
	char err[512];
	unsigned slot;

	if (cfg->nargs >= RTENF_MAX_ARGS) {
		ERR(hc, d->loc, "too many values: a hook reads at most %d (arguments, sizes of char_buf arguments and data "
		    "together)", RTENF_MAX_ARGS);
		return;
	}
	slot = cfg->nargs++;
	desc = &cfg->args[slot];
	desc->type = t;
	desc->source = RTENF_SRC_TASK;
	desc->size_arg = 0xff;
	desc->flags = RTENF_ARGD_F_EMIT | RTENF_ARGD_F_DATA;
	desc->size = declared_size(t);
	m = VEC_PUSH(hc->out->emitted, hc->out->n_emitted);
	m->type = t;
	m->policy_type = d->type;
	m->label = d->label ? xstrdup(d->label) : NULL;
	m->is_data = true;
	if (!hc->kv->btf || !d->resolve)
		return; /* checked where a kernel BTF is: rtenf apply */
	if (btf_resolve_path(hc->kv->btf, "task_struct", d->resolve, &r, err, sizeof(err))) {
		ERR(hc, d->resolve_loc, "%s", err);
		return;
	}
	if (!check_final_type(hc, d->resolve_loc, "task_struct", d->resolve, &r, t))
		return;
	if (t != RTENF_ARG_STRING) {
		desc->size = (__u8)r.size;
		desc->is_signed = r.is_signed;
	}
	cfg->resolve[slot] = r.steps;
}

/* An argument with resolve (kprobes on kernel functions, LSM hooks): the
 * walk starts at the object the argument points to, flag RESOLVE; the
 * parameter's BTF type names the struct. */

void compile_task_data(struct hook_compiler *hc)
{
	const struct policy_hook *h = hc->h;

	hc->data_base = hc->out->cfg.nargs;
	if (!h->n_data)
		return;
	/* the socket-address context of a cgroup program is not a task hook */
	if (hc->out->mechanism == MECH_CGROUP_SOCK) {
		ERR(hc, h->data[0].loc, "not supported yet: data on a hook enforced by a cgroup socket program");
		return;
	}
	for (size_t i = 0; i < h->n_data; i++)
		compile_data_entry(hc, &h->data[i]);
}

int resolve_data(const struct hook_compiler *hc, unsigned index)
{
	for (size_t i = 0; i < hc->h->n_data; i++)
		if (hc->h->data[i].index == index)
			return hc->data_base + (int)i < RTENF_MAX_ARGS ? hc->data_base + (int)i : -1;
	return -1;
}
