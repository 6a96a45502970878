// SPDX-License-Identifier: GPL-2.0-only
/*
 * SubString and SubStringIgnCase: every value of a filter becomes one
 * Aho-Corasick automaton, so the kernel finds any of them in one pass over
 * the argument, whatever their number (see policy_compile.c for the rows).
 *
 * The trie is built here with its failure links (the longest proper suffix
 * of a node's path that is also a path from the root) and output flags (a
 * value ends at the node or at a node on its failure chain).  The kernel
 * follows goto edges, and failure links where no edge fits; each byte is
 * consumed once and each failure shortens the current path, so the walk
 * takes at most twice the argument's length steps.
 */
#include <stdlib.h>
#include <string.h>

#include "compile_internal.h"
#include "policy.h"
#include "util.h"

struct ac_node {
	__u32 first_child; /* 0: none (the root is never a child) */
	__u32 next_sibling;
	__u32 fail;
	__u8 byte;         /* of the edge from the parent */
	__u8 out;
};

struct ac_trie {
	struct ac_node *n;
	size_t count, cap;
};

/* A new zeroed node; the array grows by doubling (one realloc per node
 * was quadratic where realloc copies: ASan builds, a SubString list of
 * 10,000 values). */
static struct ac_node *new_node(struct ac_trie *t)
{
	if (t->count == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->n = xrealloc(t->n, t->cap * sizeof(*t->n));
	}
	memset(&t->n[t->count], 0, sizeof(*t->n));
	return &t->n[t->count++];
}

static __u32 child(const struct ac_trie *t, __u32 node, __u8 byte)
{
	for (__u32 c = t->n[node].first_child; c; c = t->n[c].next_sibling)
		if (t->n[c].byte == byte)
			return c;
	return 0;
}

static __u8 fold(__u8 c, bool nocase)
{
	return nocase && c >= 'A' && c <= 'Z' ? (__u8)(c + 'a' - 'A') : c;
}

static void insert(struct ac_trie *t, const char *s, bool nocase)
{
	__u32 node = 0;

	for (const __u8 *p = (const __u8 *)s; *p; p++) {
		__u8 b = fold(*p, nocase);
		__u32 next = child(t, node, b);

		if (!next) {
			struct ac_node *c = new_node(t);

			next = (__u32)(t->count - 1);
			c->byte = b;
			c->next_sibling = t->n[node].first_child;
			t->n[node].first_child = next;
		}
		node = next;
	}
	t->n[node].out = 1;
}

/* Failure links and output flags, breadth first so a node's failure
 * target (shallower) is done before it. */
static void link_failures(struct ac_trie *t)
{
	__u32 *queue = xcalloc(t->count, sizeof(*queue));
	size_t head = 0, tail = 0;

	for (__u32 c = t->n[0].first_child; c; c = t->n[c].next_sibling) {
		t->n[c].fail = 0;
		queue[tail++] = c;
	}
	while (head < tail) {
		__u32 u = queue[head++];

		for (__u32 v = t->n[u].first_child; v; v = t->n[v].next_sibling) {
			__u32 f = t->n[u].fail, g;

			while (f && !child(t, f, t->n[v].byte))
				f = t->n[f].fail;
			g = child(t, f, t->n[v].byte);
			t->n[v].fail = g;
			t->n[v].out |= t->n[t->n[v].fail].out;
			queue[tail++] = v;
		}
	}
	free(queue);
}

void compile_substring(struct hook_compiler *hc, struct rtenf_filter *f, const struct policy_match_args *m,
		       bool nocase)
{
	struct ac_trie t = {0};
	size_t total = 0;

	f->op = RTENF_FOP_SUBSTRING;
	if (nocase)
		f->flags |= RTENF_FILTER_F_NOCASE;
	f->set_id = hc->next_set_id;
	hc->next_set_id += 2; /* edges, failure links */
	new_node(&t); /* the root, node 0 */
	for (size_t i = 0; i < m->values.n; i++) {
		const char *s = m->values.v[i].text;
		size_t len = strlen(s);

		if (len >= RTENF_PATH_MAX) {
			ERR(hc, m->values.v[i].loc, "value is %zu bytes; strings are compared up to %d", len,
			    RTENF_PATH_MAX - 1);
			continue;
		}
		total += len;
		if (total > RTENF_SUBSTRING_MAX_BYTES) {
			ERR(hc, m->values.v[i].loc, "too many %s bytes in this filter: at most %d in all its values",
			    policy_op_name(m->op), RTENF_SUBSTRING_MAX_BYTES);
			break;
		}
		if (!len)
			f->imm = 1; /* "" is in every string */
		insert(&t, s, nocase);
	}
	link_failures(&t);
	/* edges: {set_id, u << 8 | byte} -> v, its output flag, its failure
	 * link (so the first failure from v needs no lookup) */
	for (__u32 u = 0; u < t.count; u++)
		for (__u32 v = t.n[u].first_child; v; v = t.n[v].next_sibling)
			add_value_data(hc->out, f->set_id, (__u64)u << 8 | t.n[v].byte,
				       v | (__u64)t.n[v].out << 31 | (__u64)t.n[v].fail << 32);
	/* failure links: {set_id + 1, v} -> fail(v) */
	for (__u32 v = 1; v < t.count; v++)
		add_value_data(hc->out, f->set_id + 1, v, t.n[v].fail);
	free(t.n);
}
