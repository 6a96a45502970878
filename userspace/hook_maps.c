// SPDX-License-Identifier: GPL-2.0-only
#include "hook_maps.h"

#include <errno.h>
#include <string.h>

#include <bpf/bpf.h>

static void size_map(struct bpf_object *obj, const char *name, size_t n)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	if (m)
		bpf_map__set_max_entries(m, n ? (__u32)n : 1);
}

void hook_maps_size(const struct compiled_hook *h, struct bpf_object *obj)
{
	size_map(obj, "value_sets", h->n_values);
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

int hook_maps_fill(const struct compiled_hook *h, const struct bpf_object *obj)
{
	int r;

	if ((r = fill_map(obj, "value_sets", h->values, sizeof(*h->values), h->value_data, h->n_values)) ||
	    (r = fill_map(obj, "prefix_sets", h->prefixes, sizeof(*h->prefixes), NULL, h->n_prefixes)) ||
	    (r = fill_map(obj, "range_sets", h->ranges, sizeof(*h->ranges), NULL, h->n_ranges)))
		return r;
	return 0;
}
