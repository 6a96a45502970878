/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A dotted path of struct members ("cred.uid.val", "real_parent.tgid",
 * "comm", "signal->rlim[7]" is written "signal.rlim[7]") resolved in the
 * kernel's BTF from a root struct, compiled into the steps the BPF side
 * follows (struct rtenf_resolve): member offsets add up while members are
 * embedded structs, unions or array elements, and a pointer member followed
 * by more of the path becomes one pointer read.  The final member's type
 * says what can be read there.
 */
#ifndef RTENF_BTF_RESOLVE_H
#define RTENF_BTF_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "rtenf_policy.h"

struct btf;

enum btf_resolved_kind {
	BTF_RESOLVED_INT,      /* integer, enum or bool: size, is_signed */
	BTF_RESOLVED_CHARS,    /* a char array, read in place as a string */
	BTF_RESOLVED_CHAR_PTR, /* a char pointer: the last step reads it, the string is behind it */
	BTF_RESOLVED_OTHER,    /* a struct, another pointer, ...: desc says what */
};

struct btf_resolved {
	struct rtenf_resolve steps;
	enum btf_resolved_kind kind;
	unsigned size;   /* INT: bytes; CHARS: the array's length */
	bool is_signed;  /* INT */
	char desc[96];   /* the final type for messages: "struct cred *", "a 4-byte unsigned integer" */
};

/* Resolves path from struct root.  0, or -1 with a message in err naming
 * the failing segment ("task_struct.cred has no member 'uidx'"). */
int btf_resolve_path(const struct btf *btf, const char *root, const char *path, struct btf_resolved *out, char *err,
		     size_t err_len);

#endif /* RTENF_BTF_RESOLVE_H */
