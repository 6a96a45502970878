// SPDX-License-Identifier: GPL-2.0-only
#include "yaml_check.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* Room for one quoted value in a message; longer values are cut. */
#define QBUF 80

void ycheck_init(struct ycheck *c, const char *file, struct diag_list *diags)
{
	c->file = file;
	c->diags = diags;
	c->first_diag = diags->n;
	c->n_errors = 0;
}

void ycheck_error(struct ycheck *c, struct src_loc loc, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (c->n_errors++ >= YCHECK_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die_oom();
	va_end(ap);
	diag_error(c->diags, c->file, loc, "%s", msg);
	free(msg);
}

bool ycheck_full(const struct ycheck *c)
{
	return c->n_errors >= YCHECK_MAX_ERRORS;
}

static bool loc_before(struct src_loc a, struct src_loc b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

void ycheck_finish(struct ycheck *c)
{
	struct diag *v = c->diags->v;

	/* Insertion sort: stable, so errors at one place keep their order,
	 * and there are at most YCHECK_MAX_ERRORS + 1 of them. */
	for (size_t i = c->first_diag + 1; i < c->diags->n; i++) {
		struct diag d = v[i];
		size_t j = i;

		for (; j > c->first_diag && loc_before(d.loc, v[j - 1].loc); j--)
			v[j] = v[j - 1];
		v[j] = d;
	}
	if (c->n_errors > YCHECK_MAX_ERRORS)
		diag_error(c->diags, c->file, (struct src_loc){ 0 }, "too many errors; %u more not shown",
			   c->n_errors - YCHECK_MAX_ERRORS);
}

const char *ycheck_describe(char *buf, size_t size, const struct ynode *n)
{
	char q[QBUF];

	if (n->kind == YNODE_MAP)
		snprintf(buf, size, "a mapping");
	else if (n->kind == YNODE_SEQ)
		snprintf(buf, size, "a list");
	else if (ynode_is_null(n))
		snprintf(buf, size, "nothing");
	else
		snprintf(buf, size, "\"%s\"", yaml_escape(q, sizeof(q), n->text));
	return buf;
}

/* Levenshtein distance, ignoring case: "equal" is one step from nothing. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[65];

	if (la > 64 || lb > 64)
		return UINT_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];

		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			unsigned best = diag + cost;

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *ycheck_suggest(const char *s, const char *const *names, size_t n)
{
	const char *best = NULL;
	unsigned best_d = UINT_MAX;

	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		/* Short names are too easy to reach by accident. */
		unsigned limit = len <= 3 ? 0 : len <= 6 ? 1 : 2;
		unsigned d = edit_distance(s, names[i]);

		if (d <= limit && d < best_d) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

/* "a, b, c" from the names of the keys callers may use. */
static char *expected_keys(const struct yschema *schema)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < schema->n_keys; i++) {
		if (schema->keys[i].status == YKEY_UNSUPPORTED)
			continue;
		if (sb.len)
			sb_puts(&sb, ", ");
		sb_puts(&sb, schema->keys[i].name);
	}
	return sb_steal(&sb);
}

static void unknown_key(struct ycheck *c, const struct yschema *schema, const struct ynode *k,
			struct yfield *fields)
{
	const char *names[64];
	size_t n = schema->n_keys < ARRAY_SIZE(names) ? schema->n_keys : ARRAY_SIZE(names);
	const char *hint;
	char q[QBUF];

	if (ycheck_full(c)) { /* only counted now: skip the work */
		ycheck_error(c, k->loc, "unknown key");
		return;
	}
	for (size_t i = 0; i < n; i++)
		names[i] = schema->keys[i].name;
	hint = ycheck_suggest(k->text, names, n);
	if (hint) {
		/* The key was probably meant: do not also call it missing. */
		for (size_t i = 0; i < n; i++)
			if (names[i] == hint && !fields[i].typo)
				fields[i].typo = k;
		ycheck_error(c, k->loc, "unknown key \"%s\" %s; did you mean \"%s\"?", yaml_escape(q, sizeof(q), k->text),
			     schema->where, hint);
	} else {
		char *expected = expected_keys(schema);

		ycheck_error(c, k->loc, "unknown key \"%s\" %s; expected one of: %s", yaml_escape(q, sizeof(q), k->text),
			     schema->where, expected);
		free(expected);
	}
}

static int find_key(const struct yschema *schema, const char *name)
{
	for (size_t i = 0; i < schema->n_keys; i++)
		if (!strcmp(schema->keys[i].name, name))
			return (int)i;
	return -1;
}

static void check_key(struct ycheck *c, const struct yschema *schema, const struct ynode *k,
		      const struct ynode *v, struct yfield *fields)
{
	const struct ykey *key;
	char q[QBUF];
	int i;

	if (k->kind != YNODE_SCALAR) {
		ycheck_error(c, k->loc, "expected a plain string as key %s, found %s", schema->where,
			     ycheck_describe(q, sizeof(q), k));
		return;
	}
	if (k->plain && !strcmp(k->text, "<<")) {
		ycheck_error(c, k->loc, "not supported yet: YAML merge keys (<<)");
		return;
	}
	i = find_key(schema, k->text);
	if (i < 0) {
		unknown_key(c, schema, k, fields);
		return;
	}
	key = &schema->keys[i];
	if (fields[i].key) {
		ycheck_error(c, k->loc, "duplicate key \"%s\" %s (first given at line %u, column %u)", key->name,
			     schema->where, fields[i].key->loc.line, fields[i].key->loc.col);
		return;
	}
	fields[i].key = k;
	switch (key->status) {
	case YKEY_OK:
		fields[i].val = v;
		break;
	case YKEY_IGNORED:
		break;
	case YKEY_UNSUPPORTED:
		ycheck_error(c, k->loc, "not supported yet: %s", key->unsupported ? key->unsupported : key->name);
		break;
	}
}

bool ycheck_mapping(struct ycheck *c, const struct yschema *schema, const struct ynode *node,
		    const struct ynode *holder, struct yfield *fields)
{
	struct src_loc missing_at = node->loc;
	char q[QBUF];

	memset(fields, 0, schema->n_keys * sizeof(*fields));
	if (node->kind != YNODE_MAP) {
		if (!ynode_is_null(node)) {
			ycheck_error(c, node->loc, "expected a mapping for %s, found %s", schema->what,
				     ycheck_describe(q, sizeof(q), node));
			return false;
		}
		/* "metadata:" with nothing after it: the key is the place. */
		if (holder)
			missing_at = holder->loc;
	}
	for (size_t i = 0; node->kind == YNODE_MAP && i + 1 < node->n_items; i += 2)
		check_key(c, schema, node->items[i], node->items[i + 1], fields);
	for (size_t i = 0; i < schema->n_keys; i++)
		if (schema->keys[i].required && !fields[i].key)
			ycheck_missing(c, schema, fields, i, missing_at, NULL);
	return true;
}

void ycheck_missing(struct ycheck *c, const struct yschema *schema, const struct yfield *fields, size_t i,
		    struct src_loc loc, const char *why)
{
	if (fields[i].typo)
		return;
	ycheck_error(c, loc, "missing required key \"%s\" %s%s%s", schema->keys[i].name, schema->where,
		     why ? "; " : "", why ? why : "");
}

/* The value of a present key, or NULL; a null value counts as absent except
 * for a required key, where it is an error at the key. */
static const struct ynode *value_of(struct ycheck *c, const struct yfield *f, bool required)
{
	if (!f->val)
		return NULL;
	if (ynode_is_null(f->val)) {
		if (required)
			ycheck_error(c, f->key->loc, "missing value for \"%s\"", f->key->text);
		return NULL;
	}
	return f->val;
}

const char *ycheck_string(struct ycheck *c, const struct yfield *f, bool required)
{
	const struct ynode *v = value_of(c, f, required);
	char q[QBUF];

	if (!v)
		return NULL;
	if (v->kind != YNODE_SCALAR) {
		ycheck_error(c, v->loc, "expected a string for \"%s\", found %s", f->key->text,
			     ycheck_describe(q, sizeof(q), v));
		return NULL;
	}
	if (!v->len) {
		if (required)
			ycheck_error(c, v->loc, "empty value for \"%s\"", f->key->text);
		return NULL;
	}
	return v->text;
}

bool ycheck_bool(struct ycheck *c, const struct yfield *f, bool *out)
{
	static const char *const yaml11[] = { "yes", "no", "on", "off", "y", "n" };
	static const char *const t[] = { "true", "True", "TRUE" };
	static const char *const fl[] = { "false", "False", "FALSE" };
	const struct ynode *v = value_of(c, f, false);
	const char *hint = "";
	char q[QBUF];

	if (!v)
		return false;
	if (v->kind == YNODE_SCALAR && v->plain) {
		for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
			if (!strcmp(v->text, t[i])) {
				*out = true;
				return true;
			}
			if (!strcmp(v->text, fl[i])) {
				*out = false;
				return true;
			}
		}
		for (size_t i = 0; i < ARRAY_SIZE(yaml11); i++)
			if (!strcasecmp(v->text, yaml11[i]))
				hint = " (YAML 1.2 booleans are true and false only)";
	} else if (v->kind == YNODE_SCALAR) {
		hint = " (a quoted string is not a boolean; remove the quotes)";
	}
	ycheck_error(c, v->loc, "expected true or false for \"%s\", found %s%s", f->key->text,
		     ycheck_describe(q, sizeof(q), v), hint);
	return false;
}

static int digit_value(char ch, int base)
{
	int d;

	if (ch >= '0' && ch <= '9')
		d = ch - '0';
	else if (ch >= 'a' && ch <= 'f')
		d = ch - 'a' + 10;
	else if (ch >= 'A' && ch <= 'F')
		d = ch - 'A' + 10;
	else
		return -1;
	return d < base ? d : -1;
}

enum parse_int_result {
	PI_OK,
	PI_SYNTAX,
	PI_LEADING_ZERO,
	PI_RANGE, /* beyond 64 bits */
};

/* YAML 1.2 core schema integers: [-+]?[0-9]+, 0x[0-9a-fA-F]+, 0o[0-7]+.
 * "010" is refused: YAML 1.1 (and so Kubernetes tooling) reads it as 8. */
static enum parse_int_result parse_integer(const char *s, long long *out)
{
	unsigned long long v = 0;
	bool neg = false, sign = false, overflow = false;
	int base = 10;

	if (*s == '+' || *s == '-') {
		sign = true;
		neg = *s++ == '-';
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o') && !sign) {
		base = s[1] == 'x' ? 16 : 8;
		s += 2;
	}
	if (!*s)
		return PI_SYNTAX;
	for (const char *p = s; *p; p++)
		if (digit_value(*p, base) < 0)
			return PI_SYNTAX;
	if (base == 10 && s[0] == '0' && s[1])
		return PI_LEADING_ZERO;
	for (; *s; s++) {
		unsigned d = (unsigned)digit_value(*s, base);

		if (v > (ULLONG_MAX - d) / (unsigned)base)
			overflow = true;
		else
			v = v * (unsigned)base + d;
	}
	if (overflow || v > (unsigned long long)LLONG_MAX + neg)
		return PI_RANGE;
	*out = neg ? (long long)(0 - v) : (long long)v;
	return PI_OK;
}

bool ycheck_int(struct ycheck *c, const struct yfield *f, bool required, long long min, long long max,
		long long *out)
{
	const struct ynode *v = value_of(c, f, required);
	const char *name;
	long long n = 0;
	char q[QBUF];

	if (!v)
		return false;
	name = f->key->text;
	if (v->kind != YNODE_SCALAR) {
		ycheck_error(c, v->loc, "expected an integer for \"%s\", found %s", name, ycheck_describe(q, sizeof(q), v));
		return false;
	}
	if (!v->plain) {
		ycheck_error(c, v->loc, "expected an integer for \"%s\", found the string %s (remove the quotes)", name,
			     ycheck_describe(q, sizeof(q), v));
		return false;
	}
	switch (parse_integer(v->text, &n)) {
	case PI_OK:
		break;
	case PI_SYNTAX:
		ycheck_error(c, v->loc, "expected an integer for \"%s\", found %s", name, ycheck_describe(q, sizeof(q), v));
		return false;
	case PI_LEADING_ZERO:
		ycheck_error(c, v->loc,
			     "expected an integer for \"%s\", found %s (leading zeros are ambiguous: YAML 1.1 reads them as octal)",
			     name, ycheck_describe(q, sizeof(q), v));
		return false;
	case PI_RANGE:
		n = v->text[0] == '-' ? LLONG_MIN : LLONG_MAX;
		break;
	}
	if (n >= min && n <= max) {
		*out = n;
		return true;
	}
	/* The text parsed as an integer, so it is safe to show as it is. */
	if (min == 0 && n < 0)
		ycheck_error(c, v->loc, "\"%s\" must not be negative, found %s", name, v->text);
	else if (min == 0)
		ycheck_error(c, v->loc, "\"%s\" is too large, found %s (at most %lld)", name, v->text, max);
	else
		ycheck_error(c, v->loc, "\"%s\" must be between %lld and %lld, found %s", name, min, max, v->text);
	return false;
}

bool ycheck_list(struct ycheck *c, const struct yfield *f, const struct ynode **seq)
{
	const struct ynode *v = value_of(c, f, false);
	char q[QBUF];

	*seq = NULL;
	if (!v)
		return true;
	if (v->kind != YNODE_SEQ) {
		ycheck_error(c, v->loc, "expected a list for \"%s\", found %s", f->key->text,
			     ycheck_describe(q, sizeof(q), v));
		return false;
	}
	*seq = v;
	return true;
}

static bool enum_name_eq(const char *a, const char *b, unsigned flags)
{
	return flags & YENUM_NOCASE ? !strcasecmp(a, b) : !strcmp(a, b);
}

static void unknown_enum(struct ycheck *c, const struct ynode *v, const struct yenum *names, size_t n,
			 const char *what)
{
	const char *supported[64] = { 0 };
	size_t ns = 0;
	const char *hint;
	char q[QBUF];

	for (size_t i = 0; i < n && ns < ARRAY_SIZE(supported); i++)
		if (names[i].value >= 0)
			supported[ns++] = names[i].name;
	yaml_escape(q, sizeof(q), v->text);
	if (ns == 2) {
		ycheck_error(c, v->loc, "%s must be %s or %s, not \"%s\"", what, supported[0], supported[1], q);
		return;
	}
	hint = ycheck_suggest(v->text, supported, ns);
	if (hint) {
		ycheck_error(c, v->loc, "unknown %s \"%s\"; did you mean \"%s\"?", what, q, hint);
	} else if (ns == 1) {
		ycheck_error(c, v->loc, "unknown %s \"%s\"; expected %s", what, q, supported[0]);
	} else {
		struct strbuf sb = { 0 };

		for (size_t i = 0; i < ns; i++)
			sb_printf(&sb, "%s%s", i ? ", " : "", supported[i]);
		ycheck_error(c, v->loc, "unknown %s \"%s\"; expected one of: %s", what, q, sb.buf);
		sb_free(&sb);
	}
}

bool ycheck_enum(struct ycheck *c, const struct yfield *f, bool required, const struct yenum *names, size_t n,
		 const char *what, unsigned flags, int *out)
{
	const char *s = ycheck_string(c, f, required);

	if (!s)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!enum_name_eq(s, names[i].name, flags))
			continue;
		if (names[i].value < 0) {
			ycheck_error(c, f->val->loc, "not supported yet: %s \"%s\"", what, names[i].name);
			return false;
		}
		*out = names[i].value;
		return true;
	}
	unknown_enum(c, f->val, names, n, what);
	return false;
}
