// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy compiler.
 *
 * COMPILED FORMAT (kernel/rtenf_policy.h has the structs)
 *
 * Each hook of a policy becomes one struct rtenf_hook_config, written into
 * the read-only data of its own copy of the generic program, plus the
 * entries of that copy's two maps.
 *
 *   args[]       one entry per value the program reads: the policy's args in
 *                order (flag EMIT: carried in events; matchArgs index N is
 *                args[N], as in Tetragon's tracepoints), then hidden ones a
 *                char_buf needs for its length.  offset/size/is_signed come
 *                from the tracepoint's format file; source says whether the
 *                field is a value, a user pointer (syscalls), a kernel
 *                pointer, or a __data_loc.  record_size is how many bytes of
 *                the record reach every field, read with one helper call.
 *   filters[]    every filter of every selector, grouped by selector in
 *                policy order, each group sorted cheap-first: PID, NAMESPACE,
 *                BINARY, ARG_INT, ARG_STR.  A selector without filters gets
 *                one ALWAYS filter.  The first group whose filters all hold
 *                is the matching selector.
 *   selectors[]  per selector its actions (Post, NoPost, Sigkill, Signal)
 *                and their bit mask for events.
 *
 * Values never live in the config.  A filter with one value compares with
 * its imm (flag IMM); with more, it names a set_id (unique in the hook) and
 * its values are rows of value_sets (hash, key {set_id, value}):
 *
 *   PID, NAMESPACE   the number (host_ns: the inode of /proc/1/ns/<ns>)
 *   ARG_INT          the value widened as the argument's type says
 *   BINARY, ARG_STR  rtenf_hash() of the bytes, keyed with the node's
 *                    secret: lookups cost the same for any string length or
 *                    value count.  Binary values also add their canonical
 *                    path (realpath) so /bin/sh matches /usr/bin/dash on
 *                    merged-/usr systems.
 *
 * Prefix and Postfix values are rows of prefix_sets (LPM trie):
 * prefixlen = 32 + 8 * len, data = set_id (big endian) then the bytes;
 * Postfix stores the bytes reversed and the program reverses the tail of the
 * argument.  GT/LT keep their one value in imm; Mask ORs all values into imm.
 *
 * Limits (checked here, with the number in the message): RTENF_MAX_SELECTORS
 * selectors and RTENF_MAX_FILTERS filters per hook, RTENF_MAX_ACTIONS actions
 * per selector, RTENF_MAX_ARGS arguments, RTENF_LPM_STR_MAX bytes per
 * Prefix/Postfix value.  Value counts are limited only by memory.
 */
#include "policy_compile.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct hook_compiler {
	const struct policy *p;
	const struct policy_hook *h;
	const struct kernel_view *kv;
	struct diag_list *diags;
	struct compiled_hook *out;
	struct tp_format fmt;
	bool have_fmt;
	__u32 next_set_id;
};

#define ERR(hc, loc, ...) diag_error((hc)->diags, (hc)->p->file, (loc), __VA_ARGS__)

void prefix_key_make(struct rtenf_prefix_key *k, __u32 set_id, const char *s, size_t len)
{
	memset(k, 0, sizeof(*k));
	if (len > RTENF_LPM_STR_MAX)
		len = RTENF_LPM_STR_MAX;
	k->prefixlen = 32 + 8 * (__u32)len;
	k->data[0] = set_id >> 24;
	k->data[1] = set_id >> 16;
	k->data[2] = set_id >> 8;
	k->data[3] = set_id;
	memcpy(k->data + 4, s, len);
}

static void add_value(struct compiled_hook *out, __u32 set_id, __u64 v)
{
	struct rtenf_value_key *k = VEC_PUSH(out->values, out->n_values);

	k->set_id = set_id;
	k->value = v;
}

static __u64 hash_str(const struct kernel_view *kv, const char *s)
{
	return rtenf_hash((const __u8 *)s, (__u32)strlen(s), &kv->key);
}

/* ---- arguments ---------------------------------------------------------- */

static bool is_string_type(enum rtenf_arg_type t)
{
	return t == RTENF_ARG_STRING || t == RTENF_ARG_CHAR_BUF;
}

static bool is_signed_type(enum rtenf_arg_type t)
{
	return t == RTENF_ARG_INT || t == RTENF_ARG_INT64 || t == RTENF_ARG_FD;
}

static const char *rtenf_arg_type_name(enum rtenf_arg_type t)
{
	switch (t) {
	case RTENF_ARG_INT:
		return "int";
	case RTENF_ARG_UINT32:
		return "uint32";
	case RTENF_ARG_INT64:
		return "int64";
	case RTENF_ARG_UINT64:
		return "uint64";
	case RTENF_ARG_SIZE_T:
		return "size_t";
	case RTENF_ARG_STRING:
		return "string";
	case RTENF_ARG_CHAR_BUF:
		return "char_buf";
	case RTENF_ARG_FD:
		return "fd";
	default:
		return "none";
	}
}

static enum rtenf_arg_type auto_type(const struct tp_field *f)
{
	if (tp_field_is_data_loc(f) || (tp_field_is_pointer(f) && strstr(f->type, "char")))
		return RTENF_ARG_STRING;
	if (f->size == 8)
		return f->is_signed ? RTENF_ARG_INT64 : RTENF_ARG_UINT64;
	return f->is_signed ? RTENF_ARG_INT : RTENF_ARG_UINT32;
}

static enum rtenf_arg_type map_arg_type(enum policy_arg_type t)
{
	switch (t) {
	case PARG_INT:
	case PARG_INT32:
		return RTENF_ARG_INT;
	case PARG_UINT32:
		return RTENF_ARG_UINT32;
	case PARG_INT64:
		return RTENF_ARG_INT64;
	case PARG_UINT64:
		return RTENF_ARG_UINT64;
	case PARG_SIZE_T:
		return RTENF_ARG_SIZE_T;
	case PARG_STRING:
		return RTENF_ARG_STRING;
	case PARG_CHAR_BUF:
		return RTENF_ARG_CHAR_BUF;
	case PARG_FD:
		return RTENF_ARG_FD;
	case PARG_AUTO:
		break;
	}
	return RTENF_ARG_NONE;
}

static bool field_is_syscall_user(const struct hook_compiler *hc)
{
	return !strcmp(hc->h->subsystem, "syscalls") || !strcmp(hc->h->subsystem, "raw_syscalls");
}

/* Fills desc from the tracepoint field the index names. */
static void describe_field(struct hook_compiler *hc, struct rtenf_arg_desc *d, unsigned index,
			   enum rtenf_arg_type type, struct src_loc loc)
{
	const struct tp_field *f;

	if (!hc->have_fmt) {
		/* an offline check: without a type, the filters decide (untyped_arg_type()) */
		d->type = type;
		d->size = 8;
		d->source = is_string_type(d->type) ? RTENF_SRC_USER_PTR : RTENF_SRC_VALUE;
		return;
	}
	if (index >= hc->fmt.n_fields) {
		ERR(hc, loc, "argument index %u is out of range: %s/%s has %zu fields (0-%zu)", index,
		    hc->h->subsystem, hc->h->event, hc->fmt.n_fields, hc->fmt.n_fields - 1);
		return;
	}
	f = &hc->fmt.fields[index];
	if (type == RTENF_ARG_NONE)
		type = auto_type(f);
	d->type = type;
	d->offset = f->offset;
	d->size = f->size;
	d->is_signed = f->is_signed;
	if (f->offset + f->size > RTENF_RECORD_MAX) {
		ERR(hc, loc, "field %s of %s/%s is at offset %u; rtenf reads the first %d bytes of a record",
		    f->name, hc->h->subsystem, hc->h->event, f->offset, RTENF_RECORD_MAX);
		return;
	}
	if (is_string_type(type)) {
		if (tp_field_is_data_loc(f)) {
			d->source = RTENF_SRC_DATA_LOC;
		} else if (tp_field_is_pointer(f) || (f->size == 8 && !f->is_array)) {
			d->source = field_is_syscall_user(hc) ? RTENF_SRC_USER_PTR : RTENF_SRC_KERNEL_PTR;
		} else {
			ERR(hc, loc, "field %u (%s %s) of %s/%s is not a pointer; it cannot be read as %s", index,
			    f->type, f->name, hc->h->subsystem, hc->h->event, rtenf_arg_type_name(type));
		}
	} else {
		if (f->is_array || tp_field_is_data_loc(f) || f->size > 8 || (f->size & (f->size - 1)))
			ERR(hc, loc, "field %u (%s %s) of %s/%s is not an integer; use type string for it", index,
			    f->type, f->name, hc->h->subsystem, hc->h->event);
		else
			d->source = RTENF_SRC_VALUE;
	}
}

/* Adds a hidden (not emitted) argument reading field index; returns its slot. */
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
	describe_field(hc, d, index, RTENF_ARG_NONE, loc);
	if (is_string_type(d->type))
		ERR(hc, loc, "sizeArgIndex %u names field %u, which is not an integer", index + 1, index);
	d->type = RTENF_ARG_UINT64;
	d->size_arg = 0xff;
	return cfg->nargs++;
}

static void compile_args(struct hook_compiler *hc)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	const struct policy_hook *h = hc->h;

	if (h->n_args > RTENF_MAX_ARGS) {
		ERR(hc, h->args[RTENF_MAX_ARGS].loc, "too many arguments: %zu, a hook reads at most %d", h->n_args,
		    RTENF_MAX_ARGS);
		return;
	}
	cfg->nargs = (__u8)h->n_args;
	for (size_t i = 0; i < h->n_args; i++) {
		const struct policy_arg *pa = &h->args[i];
		struct rtenf_arg_desc *d = &cfg->args[i];
		struct compiled_arg_meta *m;

		describe_field(hc, d, pa->index, map_arg_type(pa->type), pa->loc);
		d->flags = RTENF_ARGD_F_EMIT;
		d->size_arg = 0xff;
		m = VEC_PUSH(hc->out->emitted, hc->out->n_emitted);
		m->type = d->type;
		m->label = pa->label ? xstrdup(pa->label) : NULL;
	}
	/* char_buf lengths: sizeArgIndex is 1-based, as in Tetragon. */
	for (size_t i = 0; i < h->n_args; i++) {
		const struct policy_arg *pa = &h->args[i];
		int slot = -1;

		if (cfg->args[i].type != RTENF_ARG_CHAR_BUF)
			continue;
		if (!pa->has_size_arg_index || pa->size_arg_index == 0) {
			ERR(hc, pa->loc, "char_buf argument needs sizeArgIndex (1-based index of the field holding its length)");
			continue;
		}
		for (size_t j = 0; j < h->n_args; j++)
			if (h->args[j].index == pa->size_arg_index - 1 && !is_string_type(cfg->args[j].type))
				slot = (int)j;
		if (slot < 0)
			slot = hidden_arg(hc, pa->size_arg_index - 1, pa->loc);
		if (slot >= 0)
			cfg->args[i].size_arg = (__u8)slot;
	}
	for (size_t i = 0; i < cfg->nargs; i++) {
		unsigned end = cfg->args[i].offset + cfg->args[i].size;

		if (end > cfg->record_size)
			cfg->record_size = (__u16)end;
	}
}

/* ---- values ------------------------------------------------------------- */

static bool parse_u64(const char *s, __u64 *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && !*end;
}

static bool parse_s64(const char *s, __s64 *out)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	*out = strtoll(s, &end, 0);
	return !errno && !*end;
}

/* A value for an integer argument, widened the way the program widens the
 * argument (see arg_int() in kernel/hook.bpf.h). */
static bool int_value(struct hook_compiler *hc, enum rtenf_arg_type t, const struct policy_value *v, __u64 *out)
{
	__u64 u;
	__s64 s;

	switch (t) {
	case RTENF_ARG_INT:
	case RTENF_ARG_FD:
		if (parse_s64(v->text, &s) && s >= INT32_MIN && s <= (__s64)UINT32_MAX) {
			*out = (__u64)(__s64)(__s32)(__u32)s;
			return true;
		}
		ERR(hc, v->loc, "\"%s\" is not a 32-bit integer", v->text);
		return false;
	case RTENF_ARG_UINT32:
		if (parse_u64(v->text, &u) && u <= UINT32_MAX) {
			*out = u;
			return true;
		}
		ERR(hc, v->loc, "\"%s\" is not an unsigned 32-bit integer", v->text);
		return false;
	case RTENF_ARG_INT64:
		if (parse_s64(v->text, &s)) {
			*out = (__u64)s;
			return true;
		}
		if (parse_u64(v->text, &u)) {
			*out = u;
			return true;
		}
		ERR(hc, v->loc, "\"%s\" is not a 64-bit integer", v->text);
		return false;
	default:
		if (parse_u64(v->text, &u)) {
			*out = u;
			return true;
		}
		if (parse_s64(v->text, &s)) {
			*out = (__u64)s;
			return true;
		}
		ERR(hc, v->loc, "\"%s\" is not an unsigned 64-bit integer", v->text);
		return false;
	}
}

static bool parse_u32_value(struct hook_compiler *hc, const struct policy_value *v, const char *what, __u32 *out)
{
	__u64 u;

	if (parse_u64(v->text, &u) && u <= UINT32_MAX) {
		*out = (__u32)u;
		return true;
	}
	ERR(hc, v->loc, "\"%s\" is not a valid %s", v->text, what);
	return false;
}

/* ---- filters ------------------------------------------------------------ */

struct filter_builder {
	struct rtenf_filter f;
	__u64 first;
	size_t n;
};

static struct rtenf_filter *new_filter(struct hook_compiler *hc, __u8 sel, __u8 kind, struct src_loc loc)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	struct rtenf_filter *f;

	if (cfg->nfilters >= RTENF_MAX_FILTERS) {
		if (cfg->nfilters == RTENF_MAX_FILTERS)
			ERR(hc, loc, "too many filters in this hook: at most %d across all its selectors",
			    RTENF_MAX_FILTERS);
		cfg->nfilters++;
		return NULL;
	}
	f = &cfg->filters[cfg->nfilters++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->selector = sel;
	return f;
}

/* Starts a value set for f; values go through set_add, then set_finish
 * turns a one-value set into an immediate. */
static void set_begin(struct hook_compiler *hc, struct rtenf_filter *f, struct filter_builder *b)
{
	memset(b, 0, sizeof(*b));
	f->set_id = hc->next_set_id++;
}

static void set_add(struct hook_compiler *hc, struct rtenf_filter *f, struct filter_builder *b, __u64 v)
{
	/* the first value waits: if it stays alone it becomes imm */
	if (b->n == 0) {
		b->first = v;
	} else {
		if (b->n == 1)
			add_value(hc->out, f->set_id, b->first);
		add_value(hc->out, f->set_id, v);
	}
	b->n++;
}

static void set_finish(struct rtenf_filter *f, struct filter_builder *b)
{
	if (b->n == 1) {
		f->flags |= RTENF_FILTER_F_IMM;
		f->imm = b->first;
	}
}

static bool op_in_notin(struct hook_compiler *hc, enum policy_op op, struct src_loc loc, const char *what)
{
	if (op == POP_IN || op == POP_NOT_IN)
		return true;
	ERR(hc, loc, "%s operator must be In or NotIn, not %s", what, policy_op_name(op));
	return false;
}

static void compile_pids(struct hook_compiler *hc, __u8 sel, const struct policy_match_pids *m)
{
	struct filter_builder b;
	struct rtenf_filter *f;

	if (!op_in_notin(hc, m->op, m->op_loc, "matchPIDs"))
		return;
	f = new_filter(hc, sel, RTENF_FILTER_PID, m->loc);
	if (!f)
		return;
	f->op = m->op == POP_IN ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
	if (m->follow_forks)
		f->flags |= RTENF_FILTER_F_FOLLOW_FORKS;
	if (m->is_namespace_pid)
		f->flags |= RTENF_FILTER_F_NS_PID;
	set_begin(hc, f, &b);
	for (size_t i = 0; i < m->values.n; i++) {
		__u32 pid;

		if (parse_u32_value(hc, &m->values.v[i], "pid", &pid))
			set_add(hc, f, &b, pid);
	}
	set_finish(f, &b);
}

static void compile_namespaces(struct hook_compiler *hc, __u8 sel, const struct policy_match_namespaces *m)
{
	struct filter_builder b;
	struct rtenf_filter *f;

	if (!op_in_notin(hc, m->op, m->op_loc, "matchNamespaces"))
		return;
	f = new_filter(hc, sel, RTENF_FILTER_NAMESPACE, m->loc);
	if (!f)
		return;
	f->op = m->op == POP_IN ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
	f->arg = (__u8)m->ns; /* enum policy_ns has enum rtenf_ns's order */
	set_begin(hc, f, &b);
	for (size_t i = 0; i < m->values.n; i++) {
		const struct policy_value *v = &m->values.v[i];
		__u32 inum;

		if (!strcmp(v->text, "host_ns")) {
			int r = hc->kv->host_ns ? hc->kv->host_ns(hc->kv, (enum rtenf_ns)m->ns, &inum) : -ENOSYS;

			if (r && hc->kv->offline) {
				inum = 0; /* validate without privileges: nothing to compare with */
			} else if (r == -ENOENT && (m->ns == PNS_TIME || m->ns == PNS_TIME_FOR_CHILDREN)) {
				ERR(hc, v->loc, "this kernel has no time namespaces (CONFIG_TIME_NS)");
				continue;
			} else if (r) {
				/* never guess: a wrong host_ns would make NotIn match everything */
				ERR(hc, v->loc, "cannot determine the host's %s namespace: %s", policy_ns_name(m->ns),
				    strerror(-r));
				continue;
			}
		} else if (!parse_u32_value(hc, v, "namespace inode number (or host_ns)", &inum)) {
			continue;
		}
		set_add(hc, f, &b, inum);
	}
	set_finish(f, &b);
}

static void add_binary_value(struct hook_compiler *hc, struct rtenf_filter *f, struct filter_builder *b,
			     const char *path)
{
	char *canon = hc->kv->canonical_path ? hc->kv->canonical_path(hc->kv, path) : NULL;

	set_add(hc, f, b, hash_str(hc->kv, path));
	if (canon && strcmp(canon, path))
		set_add(hc, f, b, hash_str(hc->kv, canon));
	free(canon);
}

static void compile_binaries(struct hook_compiler *hc, __u8 sel, const struct policy_match_binaries *m)
{
	struct filter_builder b;
	struct rtenf_filter *f;

	if (!op_in_notin(hc, m->op, m->op_loc, "matchBinaries"))
		return;
	f = new_filter(hc, sel, RTENF_FILTER_BINARY, m->loc);
	if (!f)
		return;
	f->op = m->op == POP_IN ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
	set_begin(hc, f, &b);
	for (size_t i = 0; i < m->values.n; i++) {
		const struct policy_value *v = &m->values.v[i];

		if (strlen(v->text) >= RTENF_PATH_MAX) {
			ERR(hc, v->loc, "binary path is %zu bytes; the longest path is %d", strlen(v->text),
			    RTENF_PATH_MAX - 1);
			continue;
		}
		add_binary_value(hc, f, &b, v->text);
	}
	set_finish(f, &b);
}

static void compile_arg_int(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m,
			    enum rtenf_arg_type t)
{
	struct filter_builder b;
	__u64 v;

	f->kind = RTENF_FILTER_ARG_INT;
	if (is_signed_type(t))
		f->flags |= RTENF_FILTER_F_SIGNED;
	switch (m->op) {
	case POP_EQUAL:
	case POP_NOT_EQUAL:
		f->op = m->op == POP_EQUAL ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
		set_begin(hc, f, &b);
		for (size_t i = 0; i < m->values.n; i++)
			if (int_value(hc, t, &m->values.v[i], &v))
				set_add(hc, f, &b, v);
		set_finish(f, &b);
		return;
	case POP_GT:
	case POP_LT:
		f->op = m->op == POP_GT ? RTENF_FOP_GT : RTENF_FOP_LT;
		if (m->values.n != 1) {
			ERR(hc, m->values.loc, "%s takes exactly one value, not %zu", policy_op_name(m->op), m->values.n);
			return;
		}
		if (int_value(hc, t, &m->values.v[0], &v))
			f->imm = v;
		return;
	case POP_MASK:
		f->op = RTENF_FOP_MASK;
		for (size_t i = 0; i < m->values.n; i++)
			if (int_value(hc, t, &m->values.v[i], &v))
				f->imm |= v;
		return;
	default:
		ERR(hc, m->op_loc, "operator %s needs a string argument; argument %u is %s", policy_op_name(m->op),
		    m->index, rtenf_arg_type_name(t));
	}
}

static void compile_arg_str(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m,
			    enum rtenf_arg_type t)
{
	struct filter_builder b;
	bool reversed;

	f->kind = RTENF_FILTER_ARG_STR;
	if (t == RTENF_ARG_CHAR_BUF) {
		ERR(hc, m->op_loc, "not supported yet: matchArgs on a char_buf argument");
		return;
	}
	switch (m->op) {
	case POP_EQUAL:
	case POP_NOT_EQUAL:
		f->op = m->op == POP_EQUAL ? RTENF_FOP_IN : RTENF_FOP_NOT_IN;
		set_begin(hc, f, &b);
		for (size_t i = 0; i < m->values.n; i++) {
			const char *s = m->values.v[i].text;

			if (strlen(s) >= RTENF_PATH_MAX) {
				ERR(hc, m->values.v[i].loc, "value is %zu bytes; strings are compared up to %d", strlen(s),
				    RTENF_PATH_MAX - 1);
				continue;
			}
			set_add(hc, f, &b, hash_str(hc->kv, s));
		}
		set_finish(f, &b);
		return;
	case POP_PREFIX:
	case POP_NOT_PREFIX:
	case POP_POSTFIX:
	case POP_NOT_POSTFIX:
		reversed = m->op == POP_POSTFIX || m->op == POP_NOT_POSTFIX;
		f->op = m->op == POP_PREFIX ? RTENF_FOP_PREFIX
			: m->op == POP_NOT_PREFIX ? RTENF_FOP_NOT_PREFIX
			: m->op == POP_POSTFIX ? RTENF_FOP_POSTFIX : RTENF_FOP_NOT_POSTFIX;
		f->set_id = hc->next_set_id++;
		for (size_t i = 0; i < m->values.n; i++) {
			const char *s = m->values.v[i].text;
			size_t len = strlen(s);
			char tmp[RTENF_LPM_STR_MAX];

			if (len > RTENF_LPM_STR_MAX) {
				ERR(hc, m->values.v[i].loc, "%s value is %zu bytes; the limit is %d", policy_op_name(m->op),
				    len, RTENF_LPM_STR_MAX);
				continue;
			}
			for (size_t j = 0; j < len; j++)
				tmp[j] = reversed ? s[len - 1 - j] : s[j];
			prefix_key_make(VEC_PUSH(hc->out->prefixes, hc->out->n_prefixes), f->set_id, tmp, len);
		}
		return;
	default:
		ERR(hc, m->op_loc, "operator %s needs an integer argument; argument %u is %s", policy_op_name(m->op),
		    m->index, rtenf_arg_type_name(t));
	}
}

/* The type of an argument declared without one when there is no format
 * file to take it from (an offline check): what the filter asks for.  A
 * policy that compiles against the kernel must not fail offline only
 * because its string argument was taken for an integer. */
static enum rtenf_arg_type untyped_arg_type(const struct policy_match_args *m)
{
	__u64 u;
	__s64 s;

	switch (m->op) {
	case POP_PREFIX:
	case POP_NOT_PREFIX:
	case POP_POSTFIX:
	case POP_NOT_POSTFIX:
		return RTENF_ARG_STRING;
	case POP_EQUAL:
	case POP_NOT_EQUAL:
		for (size_t i = 0; i < m->values.n; i++)
			if (!parse_u64(m->values.v[i].text, &u) && !parse_s64(m->values.v[i].text, &s))
				return RTENF_ARG_STRING;
		return RTENF_ARG_UINT64;
	default:
		return RTENF_ARG_UINT64;
	}
}

static void compile_arg_filter(struct hook_compiler *hc, __u8 sel, const struct policy_match_args *m, bool strings)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	enum rtenf_arg_type t;
	struct rtenf_filter *f;

	if (m->index >= hc->h->n_args) {
		if (!strings) /* both passes get here: report it in the first only */
			ERR(hc, m->index_loc,
			    "matchArgs index %u names no argument: this hook has %zu (index counts the args list from 0)",
			    m->index, hc->h->n_args);
		return;
	}
	t = cfg->args[m->index].type;
	if (t == RTENF_ARG_NONE)
		t = untyped_arg_type(m);
	if (is_string_type(t) != strings)
		return; /* compiled in the other pass */
	f = new_filter(hc, sel, 0, m->loc);
	if (!f)
		return;
	f->arg = (__u8)m->index;
	if (strings)
		compile_arg_str(hc, f, m, t);
	else
		compile_arg_int(hc, f, m, t);
}

static void compile_actions(struct hook_compiler *hc, __u8 sel, const struct policy_selector *s)
{
	struct rtenf_selector_desc *d = &hc->out->cfg.selectors[sel];

	if (s->n_actions > RTENF_MAX_ACTIONS) {
		ERR(hc, s->actions[RTENF_MAX_ACTIONS].loc, "too many actions: %zu, a selector has at most %d",
		    s->n_actions, RTENF_MAX_ACTIONS);
		return;
	}
	for (size_t i = 0; i < s->n_actions; i++) {
		const struct policy_action *a = &s->actions[i];
		struct rtenf_action *ra = &d->actions[d->nactions];

		switch (a->kind) {
		case PACT_POST:
			ra->kind = RTENF_ACTION_POST;
			break;
		case PACT_NOPOST:
			ra->kind = RTENF_ACTION_NOPOST;
			break;
		case PACT_SIGKILL:
			ra->kind = RTENF_ACTION_SIGKILL;
			ra->arg = 9;
			break;
		case PACT_SIGNAL:
			if (!a->has_arg_sig || a->arg_sig == 0 || a->arg_sig > 64) {
				ERR(hc, a->loc, "Signal needs argSig between 1 and 64");
				continue;
			}
			ra->kind = RTENF_ACTION_SIGNAL;
			ra->arg = a->arg_sig;
			break;
		case PACT_OVERRIDE:
			ERR(hc, a->loc,
			    "Override cannot work on a tracepoint: tracepoints observe a syscall but cannot change its result; "
			    "use Sigkill here, or an LSM/kprobe hook (not supported yet)");
			continue;
		}
		d->action_bits |= RTENF_ACTION_BIT(ra->kind);
		d->nactions++;
	}
	if (!d->nactions)
		d->action_bits = RTENF_ACTION_BIT(RTENF_ACTION_POST);
}

static void compile_selector(struct hook_compiler *hc, __u8 sel, const struct policy_selector *s)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	__u16 first = cfg->nfilters;

	/* cheap first: these read only the task */
	for (size_t i = 0; i < s->n_pids; i++)
		compile_pids(hc, sel, &s->pids[i]);
	for (size_t i = 0; i < s->n_namespaces; i++)
		compile_namespaces(hc, sel, &s->namespaces[i]);
	for (size_t i = 0; i < s->n_binaries; i++)
		compile_binaries(hc, sel, &s->binaries[i]);
	/* then the record: integers, and strings last */
	for (size_t i = 0; i < s->n_args; i++)
		compile_arg_filter(hc, sel, &s->args[i], false);
	for (size_t i = 0; i < s->n_args; i++)
		compile_arg_filter(hc, sel, &s->args[i], true);
	if (cfg->nfilters == first)
		new_filter(hc, sel, RTENF_FILTER_ALWAYS, s->loc);
	compile_actions(hc, sel, s);
}

/* Strings read from user memory at syscall entry may be in pages the task
 * has not faulted in yet: let such hooks decide at syscall exit instead. */
static void plan_late_decisions(struct hook_compiler *hc)
{
	struct rtenf_hook_config *cfg = &hc->out->cfg;
	bool user_strings = false;

	if (strcmp(hc->h->subsystem, "syscalls") || strncmp(hc->h->event, "sys_enter_", 10))
		return;
	for (__u16 i = 0; i < cfg->nfilters && i < RTENF_MAX_FILTERS; i++)
		if (cfg->filters[i].kind == RTENF_FILTER_ARG_STR &&
		    cfg->args[cfg->filters[i].arg].source == RTENF_SRC_USER_PTR)
			user_strings = true;
	if (!user_strings)
		return;
	cfg->flags |= RTENF_HOOKCFG_F_DEFER_ON_FAULT;
	hc->out->exit_event = xasprintf("sys_exit_%s", hc->h->event + 10);
}

static void compile_tracepoint(struct hook_compiler *hc)
{
	const struct policy_hook *h = hc->h;
	int r;

	hc->out->subsystem = xstrdup(h->subsystem);
	hc->out->event = xstrdup(h->event);
	hc->out->cfg.op = RTENF_OP_TRACEPOINT;
	r = hc->kv->tracepoint_format ? hc->kv->tracepoint_format(hc->kv, h->subsystem, h->event, &hc->fmt) : -ENODEV;
	if (r == 0) {
		hc->have_fmt = true;
	} else if (r == -ENOENT) {
		ERR(hc, h->event_loc, "unknown tracepoint %s/%s: this kernel has no such event (see %s/events)",
		    h->subsystem, h->event, tracefs_dir() ? tracefs_dir() : "tracefs");
		return;
	}
	compile_args(hc);
	if (h->n_selectors > RTENF_MAX_SELECTORS) {
		ERR(hc, h->selectors[RTENF_MAX_SELECTORS].loc, "too many selectors: %zu, a hook has at most %d",
		    h->n_selectors, RTENF_MAX_SELECTORS);
		return;
	}
	if (h->n_selectors == 0) {
		/* no selectors: every call is an event, as in Tetragon */
		new_filter(hc, 0, RTENF_FILTER_ALWAYS, h->loc);
		hc->out->cfg.selectors[0].action_bits = RTENF_ACTION_BIT(RTENF_ACTION_POST);
		hc->out->cfg.nselectors = 1;
	}
	for (size_t s = 0; s < h->n_selectors; s++)
		compile_selector(hc, (__u8)s, &h->selectors[s]);
	if (h->n_selectors)
		hc->out->cfg.nselectors = (__u8)h->n_selectors;
	plan_late_decisions(hc);
}

static void compile_hook(const struct policy *p, const struct policy_hook *h, const struct kernel_view *kv,
			 struct diag_list *diags, struct compiled_hook *out, __u16 hook_id, bool *kernel_checked)
{
	struct hook_compiler hc = {
		.p = p, .h = h, .kv = kv, .diags = diags, .out = out, .next_set_id = 1,
	};

	out->kind = h->kind;
	out->cfg.hook_id = hook_id;
	out->message = h->message ? xstrdup(h->message) : NULL;
	for (size_t i = 0; i < h->n_tags; i++)
		*VEC_PUSH(out->tags, out->n_tags) = xstrdup(h->tags[i]);
	switch (h->kind) {
	case POLICY_HOOK_TRACEPOINT:
		compile_tracepoint(&hc);
		break;
	default:
		ERR(&hc, h->loc, "not supported yet: this hook kind");
		break;
	}
	if (!hc.have_fmt)
		*kernel_checked = false;
	tp_format_free(&hc.fmt);
}

struct compiled_policy *policy_compile(const struct policy *p, const struct kernel_view *kv, struct diag_list *diags)
{
	struct compiled_policy *cp = xcalloc(1, sizeof(*cp));
	size_t errors = diag_count_errors(diags);

	cp->name = xstrdup(p->name);
	cp->file = xstrdup(p->file ? p->file : "<input>");
	cp->mode = p->mode;
	cp->kernel_checked = true;
	if (p->n_hooks == 0)
		diag_error(diags, p->file, p->loc, "policy %s has no hooks: add spec.tracepoints", p->name);
	cp->hooks = xcalloc(p->n_hooks, sizeof(*cp->hooks));
	cp->n_hooks = p->n_hooks;
	for (size_t i = 0; i < p->n_hooks; i++)
		compile_hook(p, &p->hooks[i], kv, diags, &cp->hooks[i], (__u16)i, &cp->kernel_checked);
	if (diag_count_errors(diags) > errors) {
		compiled_policy_free(cp);
		return NULL;
	}
	return cp;
}

void compiled_policy_free(struct compiled_policy *cp)
{
	if (!cp)
		return;
	for (size_t i = 0; i < cp->n_hooks; i++) {
		struct compiled_hook *h = &cp->hooks[i];

		free(h->subsystem);
		free(h->event);
		free(h->exit_event);
		free(h->values);
		free(h->prefixes);
		for (size_t j = 0; j < h->n_emitted; j++)
			free(h->emitted[j].label);
		free(h->emitted);
		free(h->message);
		for (size_t j = 0; j < h->n_tags; j++)
			free(h->tags[j]);
		free(h->tags);
	}
	free(cp->hooks);
	free(cp->name);
	free(cp->file);
	free(cp);
}
