// SPDX-License-Identifier: GPL-2.0-only
#include "btf_resolve.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#define SEGMENT_MAX 128

/* Follows typedefs and qualifiers (const, volatile, type tags). */
static const struct btf_type *strip(const struct btf *btf, __u32 *id)
{
	const struct btf_type *t = btf__type_by_id(btf, *id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		*id = t->type;
		t = btf__type_by_id(btf, *id);
	}
	return t;
}

static bool is_char(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = strip(btf, &id);

	return t && btf_is_int(t) && t->size == 1 && !(btf_int_encoding(t) & BTF_INT_BOOL);
}

static void describe(const struct btf *btf, __u32 id, char *buf, size_t len)
{
	const struct btf_type *t = strip(btf, &id);
	const char *name;

	if (!t) {
		snprintf(buf, len, "void");
		return;
	}
	name = btf__name_by_offset(btf, t->name_off);
	if (btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t)) {
		bool sign = btf_is_int(t) ? (btf_int_encoding(t) & BTF_INT_SIGNED) != 0 : btf_kflag(t);

		snprintf(buf, len, "a %u-byte %s integer", t->size, sign ? "signed" : "unsigned");
	} else if (btf_is_ptr(t)) {
		__u32 to = t->type;
		const struct btf_type *p = strip(btf, &to);
		const char *pn = p ? btf__name_by_offset(btf, p->name_off) : "void";

		snprintf(buf, len, "%s%s *", p && (btf_is_struct(p) || btf_is_union(p)) ? (btf_is_struct(p) ? "struct " : "union ") : "",
			 pn && *pn ? pn : "void");
	} else if (btf_is_struct(t) || btf_is_union(t)) {
		snprintf(buf, len, "%s %s", btf_is_struct(t) ? "struct" : "union", name && *name ? name : "(anonymous)");
	} else if (btf_is_array(t)) {
		snprintf(buf, len, "an array of %u", btf_array(t)->nelems);
	} else {
		snprintf(buf, len, "%s", name && *name ? name : "a type rtenf cannot read");
	}
}

/* Member name of struct/union sid, looking into anonymous members too;
 * its type and bit offset from the start of sid.  false if there is none. */
static bool find_member(const struct btf *btf, __u32 sid, const char *name, __u32 *type, __u32 *bit_off,
			__u32 *bitfield)
{
	const struct btf_type *t = btf__type_by_id(btf, sid);
	const struct btf_member *m = btf_members(t);

	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		__u32 mid = m->type;

		if (mn && *mn) {
			if (strcmp(mn, name))
				continue;
			*type = m->type;
			*bit_off = btf_member_bit_offset(t, i);
			*bitfield = btf_member_bitfield_size(t, i);
			return true;
		}
		/* an anonymous struct or union: its members are sid's */
		const struct btf_type *inner = strip(btf, &mid);

		if (inner && (btf_is_struct(inner) || btf_is_union(inner)) &&
		    find_member(btf, mid, name, type, bit_off, bitfield)) {
			*bit_off += btf_member_bit_offset(t, i);
			return true;
		}
	}
	return false;
}

/* "rlim[7]" -> name "rlim", index 7; "comm" -> index -1.  false if malformed. */
static bool split_segment(const char *seg, size_t len, char *name, long *index)
{
	const char *br = memchr(seg, '[', len);
	char *end;

	*index = -1;
	if (!br) {
		memcpy(name, seg, len);
		name[len] = '\0';
		return len > 0;
	}
	if (br == seg || seg[len - 1] != ']')
		return false;
	memcpy(name, seg, br - seg);
	name[br - seg] = '\0';
	errno = 0;
	*index = strtol(br + 1, &end, 10);
	return !errno && end == seg + len - 1 && end > br + 1 && *index >= 0;
}

static int add_step(struct btf_resolved *out, __u32 off, bool deref, char *err, size_t err_len, const char *where)
{
	struct rtenf_resolve *r = &out->steps;

	if (r->nsteps >= RTENF_RESOLVE_MAX_STEPS) {
		snprintf(err, err_len, "resolve path too deep at %s: more than %d steps (pointer reads), the most rtenf follows",
			 where, RTENF_RESOLVE_MAX_STEPS);
		return -1;
	}
	r->off[r->nsteps] = off;
	if (deref)
		r->deref |= 1u << r->nsteps;
	r->nsteps++;
	return 0;
}

int btf_resolve_path(const struct btf *btf, const char *root, const char *path, struct btf_resolved *out, char *err,
		     size_t err_len)
{
	char where[512], name[SEGMENT_MAX];
	const struct btf_type *t;
	const char *seg = path;
	__u32 id, off = 0;
	__s32 rid;

	memset(out, 0, sizeof(*out));
	rid = btf__find_by_name_kind(btf, root, BTF_KIND_STRUCT);
	if (rid < 0) {
		snprintf(err, err_len, "the kernel's BTF has no struct %s", root);
		return -1;
	}
	id = (__u32)rid;
	snprintf(where, sizeof(where), "%s", root);
	if (!*path) {
		snprintf(err, err_len, "resolve is empty: name a member of %s", root);
		return -1;
	}
	for (;;) {
		const char *dot = strchr(seg, '.');
		size_t len = dot ? (size_t)(dot - seg) : strlen(seg);
		__u32 mtype, bit_off, bitfield;
		long index;

		t = strip(btf, &id);
		if (len >= SEGMENT_MAX || !split_segment(seg, len, name, &index)) {
			snprintf(err, err_len, "resolve segment '%.*s' after %s is not a member name or name[index]", (int)len,
				 seg, where);
			return -1;
		}
		/* a pointer with more path behind it: read it, continue in what it points to */
		if (t && btf_is_ptr(t)) {
			if (add_step(out, off, true, err, err_len, where))
				return -1;
			off = 0;
			id = t->type;
			t = strip(btf, &id);
		}
		if (!t || !(btf_is_struct(t) || btf_is_union(t))) {
			char d[96];

			describe(btf, id, d, sizeof(d));
			snprintf(err, err_len, "%s is %s, it has no member '%s'", where, d, name);
			return -1;
		}
		if (!find_member(btf, id, name, &mtype, &bit_off, &bitfield)) {
			snprintf(err, err_len, "%s has no member '%s'", where, name);
			return -1;
		}
		if (bitfield || bit_off % 8) {
			snprintf(err, err_len, "%s.%s is a bit field, which resolve cannot read", where, name);
			return -1;
		}
		off += bit_off / 8;
		snprintf(where + strlen(where), sizeof(where) - strlen(where), ".%s", name);
		id = mtype;
		if (index >= 0) {
			const struct btf_type *a = strip(btf, &id);
			__s64 esz;

			if (!a || !btf_is_array(a)) {
				snprintf(err, err_len, "%s is not an array, it takes no index", where);
				return -1;
			}
			if ((__u64)index >= btf_array(a)->nelems) {
				snprintf(err, err_len, "index %ld is out of %s, which has %u elements", index, where,
					 btf_array(a)->nelems);
				return -1;
			}
			id = btf_array(a)->type;
			esz = btf__resolve_size(btf, id);
			if (esz < 0) {
				snprintf(err, err_len, "the elements of %s have no size in BTF", where);
				return -1;
			}
			off += (__u32)(esz * index);
			snprintf(where + strlen(where), sizeof(where) - strlen(where), "[%ld]", index);
		}
		if (!dot)
			break;
		seg = dot + 1;
	}
	/* the last member: what is there to read */
	t = strip(btf, &id);
	describe(btf, id, out->desc, sizeof(out->desc));
	if (t && (btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t))) {
		out->kind = BTF_RESOLVED_INT;
		out->size = t->size;
		out->is_signed = btf_is_int(t) ? (btf_int_encoding(t) & BTF_INT_SIGNED) != 0 : btf_kflag(t);
		if (btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL))
			out->is_signed = false;
		if (out->size > 8) {
			out->kind = BTF_RESOLVED_OTHER;
			return add_step(out, off, false, err, err_len, where);
		}
	} else if (t && btf_is_array(t) && is_char(btf, btf_array(t)->type)) {
		out->kind = BTF_RESOLVED_CHARS;
		out->size = btf_array(t)->nelems;
	} else if (t && btf_is_ptr(t) && is_char(btf, t->type)) {
		out->kind = BTF_RESOLVED_CHAR_PTR;
		return add_step(out, off, true, err, err_len, where);
	} else {
		out->kind = BTF_RESOLVED_OTHER;
	}
	return add_step(out, off, false, err, err_len, where);
}
