// SPDX-License-Identifier: GPL-2.0-only
/*
 * libyaml events -> struct ynode tree.  See yaml_tree.h for why the tree is
 * built here rather than with yaml_parser_load().
 */
#include "yaml_tree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util.h"

struct anchor {
	char *name;
	struct ynode *node;
};

struct loader {
	const char *input;
	size_t len;
	const char *file;
	struct diag_list *diags;
	struct ystream *out;
	struct ynode **stack; /* open sequences and mappings */
	size_t depth;
	size_t stack_cap;
	struct anchor *anchors; /* of the current document */
	size_t n_anchors;
	size_t count; /* nodes so far, aliases expanded */
};

__attribute__((format(printf, 3, 4)))
static int load_error(struct loader *l, struct src_loc loc, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die_oom();
	va_end(ap);
	diag_error(l->diags, l->file, loc, "%s", msg);
	free(msg);
	return -1;
}

static struct src_loc mark_loc(yaml_mark_t m)
{
	return (struct src_loc){ .line = (unsigned)m.line + 1, .col = (unsigned)m.column + 1 };
}

/* Reader errors come with a byte offset only; count lines and characters
 * (not bytes: libyaml's columns count characters too) up to it. */
static struct src_loc offset_loc(const struct loader *l, size_t offset)
{
	struct src_loc loc = { 1, 1 };

	for (size_t i = 0; i < offset && i < l->len; i++) {
		unsigned char c = (unsigned char)l->input[i];

		if (c == '\n') {
			loc.line++;
			loc.col = 1;
		} else if ((c & 0xc0) != 0x80) {
			loc.col++;
		}
	}
	return loc;
}

static void report_yaml_error(struct loader *l, const yaml_parser_t *y)
{
	const char *problem = y->problem ? y->problem : "unknown error";

	switch (y->error) {
	case YAML_MEMORY_ERROR:
		die_oom();
	case YAML_READER_ERROR:
		if (y->problem_value != -1)
			load_error(l, offset_loc(l, y->problem_offset), "invalid YAML: %s (0x%02X)", problem,
				   (unsigned)y->problem_value);
		else
			load_error(l, offset_loc(l, y->problem_offset), "invalid YAML: %s", problem);
		break;
	default:
		if (y->context)
			load_error(l, mark_loc(y->problem_mark), "invalid YAML: %s (%s at line %u, column %u)",
				   problem, y->context, (unsigned)y->context_mark.line + 1,
				   (unsigned)y->context_mark.column + 1);
		else
			load_error(l, mark_loc(y->problem_mark), "invalid YAML: %s", problem);
		break;
	}
}

/*
 * Tags are rare in policies.  The standard ones are accepted where they fit;
 * !!str (or the non-specific "!") makes a scalar a string, so "!!str true" is
 * the text "true" and not a boolean.
 */
static int check_tag(struct loader *l, const yaml_char_t *utag, enum ynode_kind kind, struct src_loc loc,
		     bool *string_tag)
{
	static const char prefix[] = "tag:yaml.org,2002:";
	static const char *const scalar_tags[] = { "int", "bool", "null", "float" };
	const char *tag = (const char *)utag;
	const char *what = kind == YNODE_SCALAR ? "a scalar" : kind == YNODE_SEQ ? "a list" : "a mapping";
	char q[80];

	*string_tag = false;
	if (!tag)
		return 0;
	if (!strcmp(tag, "!")) { /* the non-specific tag: "not a plain scalar" */
		*string_tag = true;
		return 0;
	}
	if (!strncmp(tag, prefix, sizeof(prefix) - 1)) {
		const char *t = tag + sizeof(prefix) - 1;

		if (kind == YNODE_SEQ && !strcmp(t, "seq"))
			return 0;
		if (kind == YNODE_MAP && !strcmp(t, "map"))
			return 0;
		if (kind == YNODE_SCALAR && !strcmp(t, "str")) {
			*string_tag = true;
			return 0;
		}
		for (size_t i = 0; kind == YNODE_SCALAR && i < ARRAY_SIZE(scalar_tags); i++)
			if (!strcmp(t, scalar_tags[i]))
				return 0;
		return load_error(l, loc, "unsupported YAML tag \"!!%s\" on %s", yaml_escape(q, sizeof(q), t),
				  what);
	}
	return load_error(l, loc, "unsupported YAML tag \"%s\" on %s", yaml_escape(q, sizeof(q), tag), what);
}

static struct ynode *new_node(struct loader *l, enum ynode_kind kind, yaml_mark_t mark)
{
	struct ystream *s = l->out;
	struct ynode *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->loc = mark_loc(mark);
	if ((s->n_nodes & (s->n_nodes - 1)) == 0) /* 0, 1, 2, 4, ...: double */
		s->nodes = xrealloc(s->nodes, (s->n_nodes ? 2 * s->n_nodes : 1) * sizeof(*s->nodes));
	s->nodes[s->n_nodes++] = n;
	return n;
}

/* Counts n (a new node, or an alias used again) against the size limit and
 * hangs it under the open collection, or makes it the document's root. */
static int add_node(struct loader *l, struct ynode *n, size_t weight, struct src_loc loc)
{
	struct ynode *parent;

	if (weight > YAML_TREE_MAX_NODES - l->count)
		return load_error(l, loc, "policy is too large: more than %d YAML nodes (aliases count each time they are used)",
				  YAML_TREE_MAX_NODES);
	l->count += weight;
	if (!l->depth) {
		l->out->docs[l->out->n_docs - 1].root = n;
		return 0;
	}
	parent = l->stack[l->depth - 1];
	if (parent->n_items == parent->items_cap) {
		parent->items_cap = parent->items_cap ? parent->items_cap * 2 : 8;
		parent->items = xrealloc(parent->items, parent->items_cap * sizeof(*parent->items));
	}
	parent->items[parent->n_items++] = n;
	return 0;
}

static int register_anchor(struct loader *l, const yaml_char_t *name, struct ynode *n, struct src_loc loc)
{
	if (!name)
		return 0;
	if (l->n_anchors == YAML_TREE_MAX_ANCHORS)
		return load_error(l, loc, "too many YAML anchors (at most %d)", YAML_TREE_MAX_ANCHORS);
	l->anchors = xrealloc(l->anchors, (l->n_anchors + 1) * sizeof(*l->anchors));
	l->anchors[l->n_anchors].name = xstrdup((const char *)name);
	l->anchors[l->n_anchors].node = n;
	l->n_anchors++;
	return 0;
}

static void drop_anchors(struct loader *l)
{
	for (size_t i = 0; i < l->n_anchors; i++)
		free(l->anchors[i].name);
	free(l->anchors);
	l->anchors = NULL;
	l->n_anchors = 0;
}

static int on_alias(struct loader *l, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct src_loc loc = mark_loc(ev->start_mark);
	char q[80];

	/* A later anchor of the same name replaces an earlier one. */
	for (size_t i = l->n_anchors; i-- > 0;) {
		struct ynode *target = l->anchors[i].node;

		if (strcmp(l->anchors[i].name, name))
			continue;
		if (!target->complete)
			return load_error(l, loc, "alias \"*%s\" is used inside the node it names",
					  yaml_escape(q, sizeof(q), name));
		return add_node(l, target, target->weight, loc);
	}
	return load_error(l, loc, "undefined alias \"*%s\"", yaml_escape(q, sizeof(q), name));
}

static int on_scalar(struct loader *l, const yaml_event_t *ev)
{
	struct src_loc loc = mark_loc(ev->start_mark);
	const char *value = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct ynode *n;
	bool string_tag;

	if (check_tag(l, ev->data.scalar.tag, YNODE_SCALAR, loc, &string_tag))
		return -1;
	/* "\0" in a double-quoted string would silently cut the C string. */
	if (memchr(value, '\0', len))
		return load_error(l, loc, "a value contains a NUL character (\\0), which policies cannot hold");
	n = new_node(l, YNODE_SCALAR, ev->start_mark);
	n->text = xstrndup(value, len);
	n->len = len;
	n->plain = !string_tag && (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE || ev->data.scalar.tag);
	n->weight = 1;
	n->complete = true;
	if (register_anchor(l, ev->data.scalar.anchor, n, loc))
		return -1;
	return add_node(l, n, 1, loc);
}

static int on_collection_start(struct loader *l, const yaml_event_t *ev, enum ynode_kind kind)
{
	const yaml_char_t *tag, *anchor;
	struct src_loc loc = mark_loc(ev->start_mark);
	struct ynode *n;
	bool string_tag;

	if (kind == YNODE_SEQ) {
		tag = ev->data.sequence_start.tag;
		anchor = ev->data.sequence_start.anchor;
	} else {
		tag = ev->data.mapping_start.tag;
		anchor = ev->data.mapping_start.anchor;
	}
	if (check_tag(l, tag, kind, loc, &string_tag))
		return -1;
	if (l->depth == YAML_TREE_MAX_DEPTH)
		return load_error(l, loc, "nesting is too deep (more than %d levels)", YAML_TREE_MAX_DEPTH);
	n = new_node(l, kind, ev->start_mark);
	if (register_anchor(l, anchor, n, loc))
		return -1;
	/* The weight of a collection is what was counted while it was open. */
	n->weight = l->count;
	if (add_node(l, n, 1, loc))
		return -1;
	if (l->depth == l->stack_cap) {
		l->stack_cap = l->stack_cap ? l->stack_cap * 2 : 16;
		l->stack = xrealloc(l->stack, l->stack_cap * sizeof(*l->stack));
	}
	l->stack[l->depth++] = n;
	return 0;
}

static void on_collection_end(struct loader *l)
{
	struct ynode *n = l->stack[--l->depth];

	n->weight = l->count - n->weight;
	n->complete = true;
}

static int on_event(struct loader *l, const yaml_event_t *ev)
{
	struct ystream *s = l->out;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		s->docs = xrealloc(s->docs, (s->n_docs + 1) * sizeof(*s->docs));
		s->docs[s->n_docs].root = NULL;
		s->docs[s->n_docs].loc = mark_loc(ev->start_mark);
		s->n_docs++;
		drop_anchors(l); /* anchors do not reach across documents */
		return 0;
	case YAML_ALIAS_EVENT:
		return on_alias(l, ev);
	case YAML_SCALAR_EVENT:
		return on_scalar(l, ev);
	case YAML_SEQUENCE_START_EVENT:
		return on_collection_start(l, ev, YNODE_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_collection_start(l, ev, YNODE_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		on_collection_end(l);
		return 0;
	default:
		return 0;
	}
}

int ystream_load(const char *input, size_t len, const char *file, struct diag_list *diags,
		 struct ystream *out)
{
	struct loader l = {
		.input = input,
		.len = len,
		.file = file,
		.diags = diags,
		.out = out,
	};
	yaml_parser_t parser;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!yaml_parser_initialize(&parser))
		die_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)input, len);
	for (;;) {
		yaml_event_t ev;
		bool end;

		if (!yaml_parser_parse(&parser, &ev)) {
			report_yaml_error(&l, &parser);
			ret = -1;
			break;
		}
		ret = on_event(&l, &ev);
		end = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		if (ret || end)
			break;
	}
	yaml_parser_delete(&parser);
	drop_anchors(&l);
	free(l.stack);
	return ret;
}

void ystream_free(struct ystream *s)
{
	for (size_t i = 0; i < s->n_nodes; i++) {
		free(s->nodes[i]->text);
		free(s->nodes[i]->items);
		free(s->nodes[i]);
	}
	free(s->nodes);
	free(s->docs);
	memset(s, 0, sizeof(*s));
}

bool ynode_is_null(const struct ynode *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

	if (n->kind != YNODE_SCALAR || !n->plain)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(nulls); i++)
		if (!strcmp(n->text, nulls[i]))
			return true;
	return false;
}

/* Bytes in the UTF-8 sequence that starts with c (libyaml has checked it). */
static size_t utf8_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

const char *yaml_escape(char *buf, size_t size, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	while (*p) {
		char esc[8];
		size_t n = 0, in = 1;

		if (*p == '"' || *p == '\\') {
			esc[n++] = '\\';
			esc[n++] = (char)*p;
		} else if (*p == '\n') {
			n = (size_t)snprintf(esc, sizeof(esc), "\\n");
		} else if (*p == '\t') {
			n = (size_t)snprintf(esc, sizeof(esc), "\\t");
		} else if (*p < 0x20 || *p == 0x7f) {
			n = (size_t)snprintf(esc, sizeof(esc), "\\x%02X", *p);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			/* C1 controls, e.g. U+009B, which some terminals read as CSI */
			n = (size_t)snprintf(esc, sizeof(esc), "\\u%04X", p[1]);
			in = 2;
		} else {
			in = utf8_len(*p);
			for (size_t i = 0; i < in; i++) {
				if (!p[i]) { /* cut sequence: keep what is there */
					in = i;
					break;
				}
				esc[n++] = (char)p[i];
			}
		}
		/* Keep room for "..." and the NUL. */
		if (o + n + 4 > size) {
			if (o + 4 <= size) {
				memcpy(buf + o, "...", 3);
				o += 3;
			}
			break;
		}
		memcpy(buf + o, esc, n);
		o += n;
		p += in;
	}
	if (size)
		buf[o < size ? o : size - 1] = '\0';
	return buf;
}
