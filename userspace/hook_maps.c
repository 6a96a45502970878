// SPDX-License-Identifier: GPL-2.0-only
#include "hook_maps.h"

#include <errno.h>

#include <bpf/bpf.h>

void hook_maps_size(const struct compiled_hook *h, struct bpf_map *value_sets, struct bpf_map *prefix_sets)
{
	bpf_map__set_max_entries(value_sets, h->n_values ? h->n_values : 1);
	bpf_map__set_max_entries(prefix_sets, h->n_prefixes ? h->n_prefixes : 1);
}

int hook_maps_fill(const struct compiled_hook *h, const struct bpf_map *value_sets,
		   const struct bpf_map *prefix_sets)
{
	int vfd = bpf_map__fd(value_sets), pfd = bpf_map__fd(prefix_sets);
	__u8 one = 1;

	/* A value listed twice is one row: the map was sized for the list. */
	for (size_t i = 0; i < h->n_values; i++)
		if (bpf_map_update_elem(vfd, &h->values[i], &one, BPF_NOEXIST) && errno != EEXIST)
			return -errno;
	for (size_t i = 0; i < h->n_prefixes; i++)
		if (bpf_map_update_elem(pfd, &h->prefixes[i], &one, BPF_ANY))
			return -errno;
	return 0;
}
