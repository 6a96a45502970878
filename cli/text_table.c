// SPDX-License-Identifier: GPL-2.0-only
#include "text_table.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void table_init(struct text_table *t, const char *const *headers, size_t n_cols, unsigned long right_aligned)
{
	memset(t, 0, sizeof(*t));
	t->n_cols = n_cols;
	t->right_aligned = right_aligned;
	for (size_t i = 0; headers && i < n_cols; i++)
		table_cell(t, "%s", headers[i]);
}

void table_cell(struct text_table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		die_oom();
	va_end(ap);
	*VEC_PUSH(t->cells, t->n_cells) = s;
}

void table_print(const struct text_table *t, struct strbuf *out)
{
	size_t *width = xcalloc(t->n_cols, sizeof(*width));

	for (size_t i = 0; i < t->n_cells; i++) {
		size_t n = strlen(t->cells[i]);

		if (n > width[i % t->n_cols])
			width[i % t->n_cols] = n;
	}
	for (size_t i = 0; i < t->n_cells; i++) {
		size_t col = i % t->n_cols;
		int w = (int)width[col];
		bool last = col == t->n_cols - 1 || i == t->n_cells - 1;

		if (t->right_aligned & (1ul << col))
			sb_printf(out, "%*s", w, t->cells[i]);
		else if (last) /* no trailing blanks */
			sb_puts(out, t->cells[i]);
		else
			sb_printf(out, "%-*s", w, t->cells[i]);
		sb_puts(out, last ? "\n" : "  ");
	}
	free(width);
}

void table_free(struct text_table *t)
{
	for (size_t i = 0; i < t->n_cells; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
