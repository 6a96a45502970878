/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Checking a YAML tree against a schema, with errors at the offending node.
 * A schema is a table of the keys a mapping may hold; ycheck_mapping()
 * reports unknown, duplicate, not-supported-yet and missing keys in one go
 * and hands back the value of each known key, so the code that builds
 * something from a mapping reads like a list of fields.  The typed getters
 * (string, boolean, integer, list, enum) report wrong types and values.
 *
 * Locations: unknown, duplicate and not-supported keys point at the key; bad
 * values at the value; missing keys at the mapping (or, for a mapping left
 * empty as in "metadata:", at the key that holds it).
 */
#ifndef RTENF_YAML_CHECK_H
#define RTENF_YAML_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "yaml_tree.h"

/* Past this many errors the rest are dropped and a note says so. */
#define YCHECK_MAX_ERRORS 40

struct ycheck {
	const char *file;
	struct diag_list *diags;
	size_t first_diag; /* diags before this one are not ours */
	unsigned n_errors; /* including the dropped ones */
};

void ycheck_init(struct ycheck *c, const char *file, struct diag_list *diags);
__attribute__((format(printf, 3, 4)))
void ycheck_error(struct ycheck *c, struct src_loc loc, const char *fmt, ...);
/* True once errors are being dropped: walks over long lists may stop. */
bool ycheck_full(const struct ycheck *c);
/* Sorts our errors by location, file order being the order people read
 * them in, and adds the "too many errors" note if some were dropped. */
void ycheck_finish(struct ycheck *c);

enum ykey_status {
	YKEY_OK,          /* handled by the caller */
	YKEY_IGNORED,     /* accepted and dropped (e.g. metadata.labels) */
	YKEY_UNSUPPORTED, /* a Tetragon key rtenf does not handle yet */
};

struct ykey {
	const char *name;
	enum ykey_status status;
	bool required;
	/* YKEY_UNSUPPORTED: what follows "not supported yet: "; NULL for the key name */
	const char *unsupported;
};

struct yschema {
	const char *what;  /* "\"spec\"", "each tracepoint": "expected a mapping for ..." */
	const char *where; /* "in spec", "at the top level": ends messages */
	const struct ykey *keys;
	size_t n_keys;
};

struct yfield {
	const struct ynode *key; /* NULL when the key is absent */
	const struct ynode *val; /* NULL when absent or not supported */
	/* An unknown key reported as probably meaning this one ("did you
	 * mean"): this key is not also called missing. */
	const struct ynode *typo;
};

/*
 * Checks that node is a mapping (null counts as an empty one) and fills
 * fields[i] for schema->keys[i].  holder is the key whose value node is,
 * used to place "missing key" errors when node is null; may be NULL.
 * Returns false, after an error, when node is not a mapping.
 */
bool ycheck_mapping(struct ycheck *c, const struct yschema *schema, const struct ynode *node,
		    const struct ynode *holder, struct yfield *fields);

/*
 * For keys required only in some cases (a list's "values" unless it is
 * generated): reports schema->keys[i] missing at loc, worded as
 * ycheck_mapping() does, with why appended when not NULL, unless a typo of
 * it was reported already.
 */
void ycheck_missing(struct ycheck *c, const struct yschema *schema, const struct yfield *fields, size_t i,
		    struct src_loc loc, const char *why);

/* A string value; NULL when absent, null or empty (an error if required) or
 * not a scalar (always an error). */
const char *ycheck_string(struct ycheck *c, const struct yfield *f, bool required);
/* true/false (YAML 1.2 core: also True, TRUE, False, FALSE), unquoted.
 * Returns false when absent, null or after an error. */
bool ycheck_bool(struct ycheck *c, const struct yfield *f, bool *out);
/* An unquoted integer in [min, max]: decimal, 0x hex or 0o octal.  Returns
 * false when absent, null (an error if required) or after an error. */
bool ycheck_int(struct ycheck *c, const struct yfield *f, bool required, long long min, long long max,
		long long *out);
/* A list: *seq is the sequence node, or NULL when absent or null (an empty
 * list).  Returns false, after an error, when the value is something else. */
bool ycheck_list(struct ycheck *c, const struct yfield *f, const struct ynode **seq);

/* Names a value may take.  value < 0: known (to Tetragon), not supported yet. */
struct yenum {
	const char *name;
	int value;
};

#define YENUM_NOCASE 0x1 /* compare names case-insensitively */

/*
 * Looks the scalar value of f up in names.  what names the thing in
 * messages, e.g. "matchArgs operator": "not supported yet: matchArgs
 * operator \"InMap\"", "unknown matchArgs operator \"Foo\"; expected one of:
 * ...".  Returns false when absent (an error if required) or after an error.
 */
bool ycheck_enum(struct ycheck *c, const struct yfield *f, bool required, const struct yenum *names, size_t n,
		 const char *what, unsigned flags, int *out);

/* Describes a node for "found ..." in messages: "a list", "a mapping",
 * "nothing" (null) or the quoted, escaped scalar. */
const char *ycheck_describe(char *buf, size_t size, const struct ynode *n);

/* The name in names closest to s, if close enough to be a likely typo. */
const char *ycheck_suggest(const char *s, const char *const *names, size_t n);

#endif /* RTENF_YAML_CHECK_H */
