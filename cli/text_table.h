/* SPDX-License-Identifier: GPL-2.0-only */
/* Aligned text tables for human output (`rtenf list`): columns as wide as
 * their widest cell, two spaces apart, numbers right-aligned. */
#ifndef RTENF_TEXT_TABLE_H
#define RTENF_TEXT_TABLE_H

#include <stddef.h>

#include "util.h"

struct text_table {
	size_t n_cols;
	unsigned long right_aligned; /* bit i: column i */
	char **cells;                /* row-major, headers first */
	size_t n_cells;
};

/* headers may be NULL: a table without a header row. */
void table_init(struct text_table *t, const char *const *headers, size_t n_cols, unsigned long right_aligned);
/* Appends the next cell, filling rows left to right. */
__attribute__((format(printf, 2, 3))) void table_cell(struct text_table *t, const char *fmt, ...);
void table_print(const struct text_table *t, struct strbuf *out);
void table_free(struct text_table *t);

#endif /* RTENF_TEXT_TABLE_H */
