/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A YAML stream loaded into a small tree whose every node knows its line and
 * column.  libyaml's own document loader neither bounds alias expansion nor
 * rejects an alias that refers to its own enclosing node, and policy files
 * come from users (and fuzzers), so the tree is built here from libyaml's
 * events with those limits.  Problems at the YAML level (syntax, encoding,
 * aliases, tags, size) are reported to a diag_list and end the load.
 */
#ifndef RTENF_YAML_TREE_H
#define RTENF_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* Nodes reachable from one stream, aliases counted every time they are used. */
#define YAML_TREE_MAX_NODES   200000
#define YAML_TREE_MAX_DEPTH   64
#define YAML_TREE_MAX_ANCHORS 1024

enum ynode_kind {
	YNODE_SCALAR,
	YNODE_SEQ,
	YNODE_MAP,
};

struct ynode {
	enum ynode_kind kind;
	struct src_loc loc;
	/* Scalars: the text without quotes or escapes; never contains NUL. */
	char *text;
	size_t len;
	/* A plain (unquoted, untagged) scalar, so it may stand for null, a
	 * boolean or a number; quoted or !!str scalars are always strings. */
	bool plain;
	/* Sequences: items.  Mappings: key, value, key, value, ... */
	struct ynode **items;
	size_t n_items;
	size_t items_cap;
	/* Nodes reachable from here, aliases expanded; set when complete. */
	size_t weight;
	bool complete;
};

struct ydoc {
	struct ynode *root;
	struct src_loc loc; /* of the document start */
};

struct ystream {
	struct ydoc *docs;
	size_t n_docs;
	struct ynode **nodes; /* every node once, for freeing */
	size_t n_nodes;
};

/* Loads every document of input.  Returns 0, or -1 with one error added to
 * diags; *out must be freed with ystream_free either way. */
int ystream_load(const char *input, size_t len, const char *file, struct diag_list *diags,
		 struct ystream *out);
void ystream_free(struct ystream *s);

/* Writes s into buf for a message: control characters escaped, cut short
 * with "..." when it does not fit.  Returns buf.  User text goes through it
 * so a policy file cannot write escape sequences to the reader's terminal. */
const char *yaml_escape(char *buf, size_t size, const char *s);

/* An empty plain scalar or null, ~, Null, NULL: what YAML reads as null. */
bool ynode_is_null(const struct ynode *n);

#endif /* RTENF_YAML_TREE_H */
