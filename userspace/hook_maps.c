// SPDX-License-Identifier: GPL-2.0-only
#include "hook_maps.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "follow_sets.h"
#include "util.h"

static void size_map(struct bpf_object *obj, const char *name, size_t n)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (m)
		bpf_map__set_max_entries(m, n ? (__u32)n : 1);
}

static size_t follow_filters(const struct compiled_hook *h)
{
	size_t n = 0;

	for (unsigned i = 0; i < h->cfg.nfilters && i < RTENF_MAX_FILTERS; i++)
		n += h->cfg.filters[i].kind == RTENF_FILTER_BINARY &&
		     (h->cfg.filters[i].flags & RTENF_FILTER_F_FOLLOW_CHILDREN);
	return n;
}

void hook_maps_size(const struct compiled_hook *h, struct bpf_object *obj)
{
	/* a followChildren filter's bit is one more row */
	size_map(obj, "value_sets", h->n_values + follow_filters(h));
	size_map(obj, "prefix_sets", h->n_prefixes);
	size_map(obj, "range_sets", h->n_ranges);
}

/* Rows of one map, each with its value (data[i], or 1 where data is NULL,
 * in the map's value size); a key listed twice is one row (the map was
 * sized for the list, so there is room). */
static int fill_map(const struct bpf_object *obj, const char *name, const void *keys, size_t key_size,
		    const __u64 *data, size_t n)
{
	const struct bpf_map *m = bpf_object__find_map_by_name(obj, name);
	__u8 value[8] = {1};
	int fd;

	if (!n)
		return 0;
	if (!m || bpf_map__value_size(m) > sizeof(value))
		return -ENOENT;
	fd = bpf_map__fd(m);
	for (size_t i = 0; i < n; i++) {
		if (data) {
			__u64 d = data[i];

			memcpy(value, &d, sizeof(value));
		}
		if (bpf_map_update_elem(fd, (const char *)keys + i * key_size, value, BPF_NOEXIST) && errno != EEXIST)
			return -errno;
	}
	return 0;
}

/* followChildren filters: a bit each (follow_sets.c), written where the
 * program finds it, row {set_id + 1, 0} of value_sets. */
static int fill_follow_sets(const struct compiled_hook *h, const struct bpf_object *obj)
{
	const struct bpf_map *vs = bpf_object__find_map_by_name(obj, "value_sets");

	for (unsigned i = 0; i < h->cfg.nfilters && i < RTENF_MAX_FILTERS; i++) {
		const struct rtenf_filter *f = &h->cfg.filters[i];
		struct rtenf_value_key k = {.set_id = f->set_id + 1};
		__u64 *hashes = NULL, bit64;
		unsigned bit;
		size_t n = 0;
		int r;

		if (f->kind != RTENF_FILTER_BINARY || !(f->flags & RTENF_FILTER_F_FOLLOW_CHILDREN))
			continue;
		if (f->flags & RTENF_FILTER_F_IMM) {
			hashes = xmalloc(sizeof(*hashes));
			hashes[n++] = f->imm;
		} else {
			for (size_t j = 0; j < h->n_values; j++)
				if (h->values[j].set_id == f->set_id)
					*VEC_PUSH(hashes, n) = h->values[j].value;
		}
		r = vs ? follow_set_add(obj, hashes, n, &bit) : -ENOENT;
		free(hashes);
		if (r)
			return r;
		bit64 = bit;
		if (bpf_map_update_elem(bpf_map__fd(vs), &k, &bit64, BPF_ANY))
			return -errno;
	}
	return 0;
}

int hook_maps_adopt_follow(const struct compiled_hook *h, int value_sets_fd)
{
	for (unsigned i = 0; i < h->cfg.nfilters && i < RTENF_MAX_FILTERS; i++) {
		const struct rtenf_filter *f = &h->cfg.filters[i];
		struct rtenf_value_key k = {.set_id = f->set_id + 1};
		__u64 bit;
		int r;

		if (f->kind != RTENF_FILTER_BINARY || !(f->flags & RTENF_FILTER_F_FOLLOW_CHILDREN))
			continue;
		if (bpf_map_lookup_elem(value_sets_fd, &k, &bit))
			return -errno;
		r = follow_set_adopt(value_sets_fd, (unsigned)bit);
		if (r)
			return r;
	}
	return 0;
}

int hook_maps_fill(const struct compiled_hook *h, const struct bpf_object *obj)
{
	int r;

	if ((r = fill_map(obj, "value_sets", h->values, sizeof(*h->values), h->value_data, h->n_values)) ||
	    (r = fill_map(obj, "prefix_sets", h->prefixes, sizeof(*h->prefixes), NULL, h->n_prefixes)) ||
	    (r = fill_map(obj, "range_sets", h->ranges, sizeof(*h->ranges), NULL, h->n_ranges)) ||
	    (r = fill_follow_sets(h, obj)))
		return r;
	return 0;
}
