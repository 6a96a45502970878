// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tracepoint hooks: arguments are fields of the tracepoint's record, found
 * in tracefs's format file (index = field number, common fields counted, as
 * in Tetragon); raw tracepoints take the TP_PROTO arguments, typed by BTF.
 * Syscall kprobes that fall back to syscalls/sys_enter_* use the same
 * record arguments.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "policy.h"
#include "util.h"

static enum rtenf_arg_type auto_type(const struct tp_field *f)
{
	if (tp_field_is_data_loc(f) || (tp_field_is_pointer(f) && strstr(f->type, "char")))
		return RTENF_ARG_STRING;
	if (f->size == 8)
		return f->is_signed ? RTENF_ARG_INT64 : RTENF_ARG_UINT64;
	return f->is_signed ? RTENF_ARG_INT : RTENF_ARG_UINT32;
}

/* The record's fields: tracepoint arguments name them directly; a syscall
 * kprobe's argument i is field i + SYSCALL_FIRST_FIELD of sys_enter_NAME
 * (four common fields, then __syscall_nr). */
#define SYSCALL_FIRST_FIELD 5

static unsigned field_of(const struct hook_compiler *hc, unsigned index)
{
	return hc->h->kind == POLICY_HOOK_TRACEPOINT ? index : index + SYSCALL_FIRST_FIELD;
}

static bool record_is_syscall(const struct hook_compiler *hc)
{
	return !strcmp(hc->out->subsystem, "syscalls") || !strcmp(hc->out->subsystem, "raw_syscalls");
}

/* Fills desc from the record field the index names.  Errors about the
 * index point at loc, errors about the type at type_loc. */
static void describe_field(struct hook_compiler *hc, struct rtenf_arg_desc *d, unsigned index,
			   enum rtenf_arg_type type, struct src_loc loc, struct src_loc type_loc)
{
	unsigned field = field_of(hc, index);
	const char *sub = hc->out->subsystem, *ev = hc->out->event;
	const struct tp_field *f;

	if (type == RTENF_ARG_EXEC_ARGS) {
		/* read from the task, not the record (the parser allowed it on this
		 * hook); the index only names it for matchArgs */
		d->type = type;
		d->size = 8;
		d->source = RTENF_SRC_VALUE;
		return;
	}
	if (!hc->have_fmt) {
		/* an offline check: without a type, the filters decide (untyped_arg_type()) */
		d->type = type;
		d->size = 8;
		d->source = is_string_type(d->type) ? RTENF_SRC_USER_PTR : RTENF_SRC_VALUE;
		return;
	}
	if (field >= hc->fmt.n_fields) {
		if (hc->h->kind == POLICY_HOOK_TRACEPOINT)
			ERR(hc, loc, "argument index %u is out of range: %s/%s has %zu fields (0-%zu)", index, sub, ev,
			    hc->fmt.n_fields, hc->fmt.n_fields - 1);
		else
			ERR(hc, loc, "argument index %u is out of range: %s has %zu arguments", index, hc->function,
			    hc->fmt.n_fields > SYSCALL_FIRST_FIELD ? hc->fmt.n_fields - SYSCALL_FIRST_FIELD : 0);
		return;
	}
	f = &hc->fmt.fields[field];
	if (type == RTENF_ARG_NONE)
		type = auto_type(f);
	d->type = type;
	d->offset = f->offset;
	d->size = f->size;
	d->is_signed = f->is_signed;
	if (f->offset + f->size > RTENF_RECORD_MAX) {
		ERR(hc, loc, "field %s of %s/%s is at offset %u; rtenf reads the first %d bytes of a record", f->name, sub,
		    ev, f->offset, RTENF_RECORD_MAX);
		return;
	}
	if (type == RTENF_ARG_FD) {
		/* an fd is a number in the record; the program resolves it to a path */
		d->source = RTENF_SRC_VALUE;
	} else if (is_string_type(type) || type == RTENF_ARG_SOCKADDR) {
		if (type != RTENF_ARG_STRING && type != RTENF_ARG_CHAR_BUF && type != RTENF_ARG_SOCKADDR) {
			ERR(hc, type_loc, "type %s is a kernel object; %s/%s field %u (%s %s) is not one",
			    rtenf_arg_type_name(type), sub, ev, field, f->type, f->name);
		} else if (tp_field_is_data_loc(f)) {
			d->source = RTENF_SRC_DATA_LOC;
		} else if (tp_field_is_pointer(f) || (f->size == 8 && !f->is_array)) {
			d->source = record_is_syscall(hc) ? RTENF_SRC_USER_PTR : RTENF_SRC_KERNEL_PTR;
		} else {
			ERR(hc, type_loc, "field %u (%s %s) of %s/%s is not a pointer; it cannot be read as %s", field, f->type,
			    f->name, sub, ev, rtenf_arg_type_name(type));
		}
	} else if (!is_int_type(type)) {
		ERR(hc, type_loc, "type %s is a kernel object; %s/%s field %u (%s %s) is not one",
		    rtenf_arg_type_name(type), sub, ev, field, f->type, f->name);
	} else if (f->is_array || tp_field_is_data_loc(f) || f->size > 8 || (f->size & (f->size - 1))) {
		ERR(hc, type_loc, "field %u (%s %s) of %s/%s is not an integer; use type string for it", field, f->type, f->name,
		    sub, ev);
	} else {
		d->source = RTENF_SRC_VALUE;
	}
}

/* Adds a hidden (not emitted) integer argument; returns its slot. */
static int hidden_arg(struct hook_compiler *hc, unsigned index, struct src_loc loc)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	struct rtenf_arg_desc *d;

	if (cfg->nargs >= RTENF_MAX_ARGS) {
		ERR(hc, loc, "too many arguments: a hook reads at most %d (including sizes of char_buf arguments)",
		    RTENF_MAX_ARGS);
		return -1;
	}
	d = &cfg->args[cfg->nargs];
	describe_field(hc, d, index, RTENF_ARG_NONE, loc, loc);
	/* NONE: describe_field has said what is wrong already */
	if (d->type != RTENF_ARG_NONE && !is_int_type(d->type))
		ERR(hc, loc, "sizeArgIndex %u names argument %u, which is not an integer", index + 1, index);
	d->type = RTENF_ARG_UINT64;
	d->size_arg = 0xff;
	return cfg->nargs++;
}

void record_emitted_args(struct hook_compiler *hc)
{
	const struct policy_hook *h = hc->h;

	for (size_t i = 0; i < h->n_args && i < RTENF_MAX_ARGS; i++) {
		struct compiled_arg_meta *m = VEC_PUSH(hc->out->emitted, hc->out->n_emitted);

		hc->out->cfg.args[i].flags |= RTENF_ARGD_F_EMIT;
		m->type = hc->out->cfg.args[i].type;
		m->policy_type = h->args[i].type;
		m->label = h->args[i].label ? xstrdup(h->args[i].label) : NULL;
	}
}

static void compile_record_args(struct hook_compiler *hc)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	const struct policy_hook *h = hc->h;

	if (h->n_args > RTENF_MAX_ARGS) {
		ERR(hc, h->args[RTENF_MAX_ARGS].loc, "too many arguments: %zu, a hook reads at most %d", h->n_args,
		    RTENF_MAX_ARGS);
		return;
	}
	cfg->arg_origin = RTENF_ORIGIN_RECORD;
	cfg->nargs = (__u8)h->n_args;
	for (size_t i = 0; i < h->n_args; i++) {
		cfg->args[i].size_arg = 0xff;
		describe_field(hc, &cfg->args[i], h->args[i].index, map_arg_type(h->args[i].type), h->args[i].loc,
			       h->args[i].type_loc.line ? h->args[i].type_loc : h->args[i].loc);
	}
	record_emitted_args(hc);
	/* char_buf lengths: sizeArgIndex is 1-based, as in Tetragon */
	for (size_t i = 0; i < h->n_args; i++) {
		const struct policy_arg *pa = &h->args[i];
		int slot = -1;

		if (cfg->args[i].type != RTENF_ARG_CHAR_BUF)
			continue;
		if (!pa->has_size_arg_index || pa->size_arg_index == 0) {
			ERR(hc, pa->loc, "char_buf argument needs sizeArgIndex (1-based index of the argument holding its length)");
			continue;
		}
		for (size_t j = 0; j < h->n_args; j++)
			if (h->args[j].index == pa->size_arg_index - 1 && is_int_type(cfg->args[j].type))
				slot = (int)j;
		if (slot < 0)
			slot = hidden_arg(hc, pa->size_arg_index - 1, pa->loc);
		if (slot >= 0)
			cfg->args[i].size_arg = (__u8)slot;
	}
	finish_record_args(hc);
}

void finish_record_args(struct hook_compiler *hc)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;

	for (size_t i = 0; i < cfg->nargs; i++) {
		unsigned end = cfg->args[i].offset + cfg->args[i].size;

		if (end > cfg->record_size)
			cfg->record_size = (__u16)end;
	}
}

/* Strings read from user memory at syscall entry may be in pages the task
 * has not faulted in yet: such hooks decide at syscall exit instead.  True
 * (and the hook marked) when the hook's filters read user strings; the
 * caller says which program runs at exit. */
bool plan_late_decisions(struct hook_compiler *hc)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	bool user_strings = false;

	if (cfg->flags & RTENF_HOOKCFG_F_AT_RETURN)
		return false;
	for (__u16 i = 0; i < cfg->nfilters && i < RTENF_MAX_FILTERS; i++)
		if (cfg->filters[i].kind == RTENF_FILTER_ARG_STR && cfg->filters[i].arg < RTENF_MAX_ARGS &&
		    cfg->args[cfg->filters[i].arg].source == RTENF_SRC_USER_PTR)
			user_strings = true;
	if (!user_strings)
		return false;
	cfg->flags |= RTENF_HOOKCFG_F_DEFER_ON_FAULT;
	hc->out->return_program = true;
	return true;
}

static int load_format(struct hook_compiler *hc, const char *subsystem, const char *event, struct src_loc loc,
		       bool must_exist)
{
	int r = hc->kv->tracepoint_format ? hc->kv->tracepoint_format(hc->kv, subsystem, event, &hc->fmt) : -ENODEV;

	if (r == 0)
		hc->have_fmt = true;
	else if (r == -ENOENT && must_exist)
		ERR_KERNEL(hc, loc, "unknown tracepoint %s/%s: this kernel has no such event (see %s/events)", subsystem, event,
		    tracefs_dir() ? tracefs_dir() : "tracefs");
	return r;
}

void compile_syscall_record_args(struct hook_compiler *hc, const char *name)
{
	hc->out->subsystem = xstrdup("syscalls");
	hc->out->event = xasprintf("sys_enter_%s", name);
	if (load_format(hc, "syscalls", hc->out->event, hc->h->call_loc, true))
		return;
	compile_record_args(hc);
}

/* An skb is read through its header offsets: the parameter must really be
 * a struct sk_buff *, or the program would read packet headers from some
 * other object. */
static bool raw_param_is_skb(const struct btf_arg_info *p)
{
	return p->kind == BTF_PARAM_PTR && !strcmp(p->pointee, "sk_buff");
}

/* raw: true: the TP_PROTO arguments (ctx[i]), typed by the kernel's BTF. */
static void compile_raw_args(struct hook_compiler *hc)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	const struct policy_hook *h = hc->h;

	if (hc->kv->btf && btf_raw_tracepoint_proto(hc->kv->btf, h->event, &hc->proto)) {
		ERR(hc, h->event_loc, "unknown raw tracepoint %s: the kernel's BTF has no btf_trace_%s", h->event, h->event);
		return;
	}
	hc->have_proto = hc->kv->btf != NULL;
	cfg->arg_origin = RTENF_ORIGIN_CTX_ARRAY;
	cfg->nargs = (__u8)(h->n_args < RTENF_MAX_ARGS ? h->n_args : RTENF_MAX_ARGS);
	for (size_t i = 0; i < cfg->nargs; i++) {
		const struct policy_arg *pa = &h->args[i];
		struct rtenf_arg_desc *d = &cfg->args[i];
		enum rtenf_arg_type t = map_arg_type(pa->type);

		d->offset = (__u16)pa->index;
		d->size = 8;
		d->size_arg = 0xff;
		d->source = RTENF_SRC_KERNEL_PTR;
		if (hc->have_proto && pa->index >= hc->proto.n_params) {
			ERR(hc, pa->loc, "argument index %u is out of range: raw tracepoint %s has %u arguments", pa->index,
			    h->event, hc->proto.n_params);
			continue;
		}
		if (t == RTENF_ARG_NONE)
			t = RTENF_ARG_UINT64;
		if (t == RTENF_ARG_CHAR_BUF) {
			ERR(hc, pa->loc, "not supported yet: char_buf on a raw tracepoint");
			continue;
		}
		if (t == RTENF_ARG_SKB && hc->have_proto && !raw_param_is_skb(&hc->proto.params[pa->index])) {
			char desc[96];

			btf_param_describe(&hc->proto.params[pa->index], desc, sizeof(desc));
			ERR(hc, pa->type_loc.line ? pa->type_loc : pa->loc,
			    "argument %u of raw tracepoint %s is %s, which type skb does not fit", pa->index, h->event, desc);
			continue;
		}
		d->type = t;
	}
	record_emitted_args(hc);
}

void compile_tracepoint(struct hook_compiler *hc)
{
	const struct policy_hook *h = hc->h;

	hc->out->subsystem = xstrdup(h->subsystem);
	hc->out->event = xstrdup(h->event);
	hc->out->attach = xstrdup(h->event);
	hc->out->cfg.op = RTENF_OP_TRACEPOINT;
	if (h->raw) {
		hc->out->mechanism = MECH_RAW_TRACEPOINT;
		if (!kv_has(hc, FEAT_PROG_RAW_TP))
			ERR_KERNEL(hc, h->loc, "raw tracepoints need BPF_PROG_TYPE_RAW_TRACEPOINT (Linux 4.17 or later)");
		compile_raw_args(hc);
	} else {
		hc->out->mechanism = MECH_TRACEPOINT;
		if (!kv_has(hc, FEAT_PROG_TRACEPOINT))
			ERR_KERNEL(hc, h->loc, "this kernel refuses tracepoint programs: tracepoint hooks need %s",
			    remedy_of(FEAT_PROG_TRACEPOINT));
		if (load_format(hc, h->subsystem, h->event, h->event_loc, true) == -ENOENT)
			return;
		compile_record_args(hc);
	}
	if (hook_has_action(h, PACT_OVERRIDE)) {
		for (size_t s = 0; s < h->n_selectors; s++)
			for (size_t a = 0; a < h->selectors[s].n_actions; a++)
				if (h->selectors[s].actions[a].kind == PACT_OVERRIDE)
					ERR(hc, h->selectors[s].actions[a].loc,
					    "Override cannot work on a tracepoint: a tracepoint observes a syscall but cannot "
					    "change its result; use a kprobe or lsmhooks hook for Override, or Sigkill here");
	}
	compile_selectors(hc);
	if (!h->raw && !strcmp(h->subsystem, "syscalls") && !strncmp(h->event, "sys_enter_", 10) &&
	    plan_late_decisions(hc))
		hc->out->exit_event = xasprintf("sys_exit_%s", h->event + 10);
}
