/* SPDX-License-Identifier: GPL-2.0-only */
/* A chained hash table from uint32_t keys to pointers; grows as it fills. */
#ifndef RTENF_HASHTAB_H
#define RTENF_HASHTAB_H

#include <stddef.h>
#include <stdint.h>

struct hashtab_node {
	uint32_t key;
	void *value;
	struct hashtab_node *next;
};

struct hashtab {
	struct hashtab_node **buckets;
	size_t nbuckets;
	size_t count;
};

void hashtab_init(struct hashtab *t);
void *hashtab_get(const struct hashtab *t, uint32_t key);
/* Sets key to value (replacing any previous value, which is returned). */
void *hashtab_put(struct hashtab *t, uint32_t key, void *value);
void *hashtab_del(struct hashtab *t, uint32_t key);
/* Calls fn for every entry; fn may not modify the table. */
void hashtab_each(const struct hashtab *t, void (*fn)(uint32_t key, void *value, void *arg), void *arg);
void hashtab_free(struct hashtab *t);

#endif /* RTENF_HASHTAB_H */
