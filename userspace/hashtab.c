// SPDX-License-Identifier: GPL-2.0-only
#include "hashtab.h"

#include <stdlib.h>

#include "util.h"

static size_t slot(const struct hashtab *t, uint32_t key)
{
	return (size_t)((key * 2654435761u) & (t->nbuckets - 1));
}

void hashtab_init(struct hashtab *t)
{
	t->nbuckets = 64;
	t->buckets = xcalloc(t->nbuckets, sizeof(*t->buckets));
	t->count = 0;
}

static void grow(struct hashtab *t)
{
	struct hashtab_node **old = t->buckets;
	size_t n = t->nbuckets;

	t->nbuckets *= 2;
	t->buckets = xcalloc(t->nbuckets, sizeof(*t->buckets));
	for (size_t i = 0; i < n; i++) {
		struct hashtab_node *e = old[i], *next;

		for (; e; e = next) {
			size_t s = slot(t, e->key);

			next = e->next;
			e->next = t->buckets[s];
			t->buckets[s] = e;
		}
	}
	free(old);
}

void *hashtab_get(const struct hashtab *t, uint32_t key)
{
	for (struct hashtab_node *e = t->buckets[slot(t, key)]; e; e = e->next)
		if (e->key == key)
			return e->value;
	return NULL;
}

void *hashtab_put(struct hashtab *t, uint32_t key, void *value)
{
	struct hashtab_node *e;
	size_t s;

	for (e = t->buckets[slot(t, key)]; e; e = e->next) {
		if (e->key == key) {
			void *old = e->value;

			e->value = value;
			return old;
		}
	}
	if (t->count + 1 > t->nbuckets)
		grow(t);
	s = slot(t, key);
	e = xmalloc(sizeof(*e));
	e->key = key;
	e->value = value;
	e->next = t->buckets[s];
	t->buckets[s] = e;
	t->count++;
	return NULL;
}

void *hashtab_del(struct hashtab *t, uint32_t key)
{
	struct hashtab_node **pp = &t->buckets[slot(t, key)];

	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->key == key) {
			struct hashtab_node *e = *pp;
			void *v = e->value;

			*pp = e->next;
			free(e);
			t->count--;
			return v;
		}
	}
	return NULL;
}

void hashtab_each(const struct hashtab *t, void (*fn)(uint32_t key, void *value, void *arg), void *arg)
{
	for (size_t i = 0; i < t->nbuckets; i++)
		for (struct hashtab_node *e = t->buckets[i]; e; e = e->next)
			fn(e->key, e->value, arg);
}

void hashtab_free(struct hashtab *t)
{
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct hashtab_node *e = t->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = t->count = 0;
}
