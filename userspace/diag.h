/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Diagnostics with source locations.  Everything that rejects user input
 * (parser, compiler, loader) adds to a diag_list; the CLI prints it as
 * "file:line:col: message", one per line, the way compilers do.
 */
#ifndef RTENF_DIAG_H
#define RTENF_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct src_loc {
	unsigned line; /* 1-based; 0 when unknown */
	unsigned col;  /* 1-based */
};

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
};

struct diag {
	enum diag_level level;
	char *file;
	struct src_loc loc;
	char *msg;
	bool kernel_lacks; /* an error only because this kernel lacks a facility */
};

struct diag_list {
	struct diag *v;
	size_t n;
	size_t cap;
};

__attribute__((format(printf, 5, 6)))
void diag_add(struct diag_list *l, enum diag_level level, const char *file, struct src_loc loc,
	      const char *fmt, ...);
#define diag_error(l, file, loc, ...) diag_add((l), DIAG_ERROR, (file), (loc), __VA_ARGS__)
#define diag_warn(l, file, loc, ...)  diag_add((l), DIAG_WARNING, (file), (loc), __VA_ARGS__)

/* Marks the last diagnostic as caused by a facility this kernel lacks (not by
 * a mistake in the policy): `rtenf apply --skip-unsupported` skips a policy
 * whose only errors are such. */
void diag_mark_kernel_lacks(struct diag_list *l);

size_t diag_count_errors(const struct diag_list *l);
/* "file:line:col: message" (or "file: message" without a location); caller frees. */
char *diag_format(const struct diag *d);
void diag_print(FILE *out, const struct diag_list *l);
void diag_list_free(struct diag_list *l);

#endif /* RTENF_DIAG_H */
