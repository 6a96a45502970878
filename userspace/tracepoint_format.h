/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoint record layouts, from tracefs's events/<subsystem>/<event>/format.
 * Fields are numbered in file order, common fields included: that number is
 * the "index" of a TracingPolicy tracepoint argument, as in Tetragon.
 */
#ifndef RTENF_TRACEPOINT_FORMAT_H
#define RTENF_TRACEPOINT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>

struct tp_field {
	char *type;      /* "const char *", "__data_loc char[]", "int" */
	char *name;      /* "filename" */
	unsigned offset;
	unsigned size;
	bool is_signed;
	bool is_array;   /* "char comm[16]" */
};

struct tp_format {
	char *subsystem;
	char *event;
	unsigned id;
	struct tp_field *fields;
	size_t n_fields;
};

/* Parses the text of a format file.  Returns 0 or -EINVAL. */
int tp_format_parse(const char *text, struct tp_format *fmt);
void tp_format_free(struct tp_format *fmt);

bool tp_field_is_pointer(const struct tp_field *f);
bool tp_field_is_data_loc(const struct tp_field *f);

/* The tracefs mount point (mounting it if we may), or NULL. */
const char *tracefs_dir(void);
/* Reads events/<subsystem>/<event>/format: 0, -ENOENT (no such tracepoint),
 * -EACCES (not allowed to look), -ENODEV (no tracefs). */
int tp_format_load(const char *subsystem, const char *event, struct tp_format *fmt);

#endif /* RTENF_TRACEPOINT_FORMAT_H */
