// SPDX-License-Identifier: GPL-2.0-only
#include "btf_func.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

const struct btf *btf_vmlinux(void)
{
	static struct btf *btf;
	static bool tried;

	if (!tried) {
		tried = true;
		btf = btf__load_vmlinux_btf();
		if (!btf)
			btf = NULL;
	}
	return btf;
}

/* Follows typedefs and qualifiers, but stops at a named typedef that is a
 * type of its own for policies (kernel_cap_t). */
static const struct btf_type *skip_mods(const struct btf *btf, __u32 *id, const char **typedef_name)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		if (btf_is_typedef(t) && typedef_name && !*typedef_name)
			*typedef_name = btf__name_by_offset(btf, t->name_off);
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static void describe_type(const struct btf *btf, __u32 id, struct btf_arg_info *out)
{
	const char *tdname = NULL;
	const struct btf_type *t;

	memset(out, 0, sizeof(*out));
	if (id == 0) {
		out->kind = BTF_PARAM_VOID;
		return;
	}
	t = skip_mods(btf, &id, &tdname);
	if (!t) {
		out->kind = BTF_PARAM_OTHER;
		return;
	}
	if (btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t)) {
		out->kind = BTF_PARAM_INT;
		out->size = t->size;
		out->is_signed = btf_is_int(t) ? (btf_int_encoding(t) & BTF_INT_SIGNED) != 0
					       : btf_kflag(t);
		return;
	}
	if (btf_is_ptr(t)) {
		const char *pt_td = NULL;
		__u32 pid = t->type;
		const struct btf_type *pt;

		out->kind = BTF_PARAM_PTR;
		if (pid == 0) {
			snprintf(out->pointee, sizeof(out->pointee), "void");
			return;
		}
		pt = skip_mods(btf, &pid, &pt_td);
		if (pt_td && !strcmp(pt_td, "kernel_cap_t")) {
			snprintf(out->pointee, sizeof(out->pointee), "kernel_cap_t");
		} else if (pt && (btf_is_struct(pt) || btf_is_union(pt) || btf_is_int(pt))) {
			snprintf(out->pointee, sizeof(out->pointee), "%s", btf__name_by_offset(btf, pt->name_off));
		} else if (pt && btf_is_ptr(pt)) {
			snprintf(out->pointee, sizeof(out->pointee), "pointer");
		} else {
			snprintf(out->pointee, sizeof(out->pointee), "%s", pt ? "other" : "void");
		}
		return;
	}
	if (tdname && !strcmp(tdname, "kernel_cap_t")) {
		out->kind = BTF_PARAM_OTHER;
		snprintf(out->pointee, sizeof(out->pointee), "kernel_cap_t");
		return;
	}
	out->kind = BTF_PARAM_OTHER;
}

static int proto_from_func_proto(const struct btf *btf, const struct btf_type *fp, unsigned skip,
				 struct btf_proto *out)
{
	const struct btf_param *p = btf_params(fp);
	unsigned n = btf_vlen(fp);

	memset(out, 0, sizeof(*out));
	describe_type(btf, fp->type, &out->ret);
	for (unsigned i = skip; i < n && out->n_params < BTF_MAX_PARAMS; i++) {
		struct btf_arg_info *dst = &out->params[out->n_params++];

		describe_type(btf, p[i].type, dst);
		snprintf(dst->name, sizeof(dst->name), "%s", btf__name_by_offset(btf, p[i].name_off));
	}
	return 0;
}

int btf_func_proto(const struct btf *btf, const char *name, struct btf_proto *out)
{
	const struct btf_type *f, *fp;
	__s32 id;

	if (!btf)
		return -ENODATA;
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	if (id < 0)
		return -ENOENT;
	f = btf__type_by_id(btf, id);
	fp = f ? btf__type_by_id(btf, f->type) : NULL;
	if (!fp || !btf_is_func_proto(fp))
		return -ENOENT;
	return proto_from_func_proto(btf, fp, 0, out);
}

int btf_raw_tracepoint_proto(const struct btf *btf, const char *event, struct btf_proto *out)
{
	char name[128];
	const struct btf_type *td, *ptr, *fp;
	__s32 id;

	if (!btf)
		return -ENODATA;
	snprintf(name, sizeof(name), "btf_trace_%s", event);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	if (id < 0)
		return -ENOENT;
	td = btf__type_by_id(btf, id);
	ptr = td ? btf__type_by_id(btf, td->type) : NULL;
	fp = ptr && btf_is_ptr(ptr) ? btf__type_by_id(btf, ptr->type) : NULL;
	if (!fp || !btf_is_func_proto(fp))
		return -ENOENT;
	return proto_from_func_proto(btf, fp, 1, out); /* parameter 0 is the probe's data pointer */
}

void btf_param_describe(const struct btf_arg_info *p, char *buf, size_t len)
{
	switch (p->kind) {
	case BTF_PARAM_INT:
		snprintf(buf, len, "a %u-byte %s integer", p->size, p->is_signed ? "signed" : "unsigned");
		break;
	case BTF_PARAM_PTR:
		if (!strcmp(p->pointee, "char") || !strcmp(p->pointee, "void") || !strcmp(p->pointee, "kernel_cap_t") ||
		    !strcmp(p->pointee, "pointer") || !strcmp(p->pointee, "other"))
			snprintf(buf, len, "%s *", p->pointee);
		else
			snprintf(buf, len, "struct %s *", p->pointee);
		break;
	case BTF_PARAM_VOID:
		snprintf(buf, len, "void");
		break;
	default:
		snprintf(buf, len, "%s", p->pointee[0] ? p->pointee : "not a pointer or integer");
		break;
	}
}
