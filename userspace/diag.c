// SPDX-License-Identifier: GPL-2.0-only
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void diag_add(struct diag_list *l, enum diag_level level, const char *file, struct src_loc loc,
	      const char *fmt, ...)
{
	struct diag *d;
	va_list ap;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	d = &l->v[l->n++];
	d->level = level;
	d->file = xstrdup(file ? file : "<input>");
	d->loc = loc;
	d->kernel_lacks = false;
	va_start(ap, fmt);
	if (vasprintf(&d->msg, fmt, ap) < 0)
		die_oom();
	va_end(ap);
}

void diag_mark_kernel_lacks(struct diag_list *l)
{
	if (l->n)
		l->v[l->n - 1].kernel_lacks = true;
}

size_t diag_count_errors(const struct diag_list *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += l->v[i].level == DIAG_ERROR;
	return n;
}

char *diag_format(const struct diag *d)
{
	const char *level = d->level == DIAG_WARNING ? "warning: " : "";
	char *s;
	int r;

	if (d->loc.line)
		r = asprintf(&s, "%s:%u:%u: %s%s", d->file, d->loc.line, d->loc.col, level, d->msg);
	else
		r = asprintf(&s, "%s: %s%s", d->file, level, d->msg);
	if (r < 0)
		die_oom();
	return s;
}

void diag_print(FILE *out, const struct diag_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		char *s = diag_format(&l->v[i]);

		fprintf(out, "%s\n", s);
		free(s);
	}
}

void diag_list_free(struct diag_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].msg);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}
