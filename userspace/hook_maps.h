/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The value maps of a hook program (value_sets, prefix_sets and range_sets
 * in kernel/hook.bpf.h), sized and filled from a compiled hook.  Shared by
 * the loader and by the matcher tests, so the tests see the maps exactly as
 * a loaded policy has them.  The maps are found by name in the object, so a
 * new kind of value map needs no change in the family loaders.
 */
#ifndef RTENF_HOOK_MAPS_H
#define RTENF_HOOK_MAPS_H

#include <bpf/libbpf.h>

#include "policy_compile.h"

/* Before load: room for exactly the hook's values (one slot when it has
 * none, as a map cannot be empty). */
void hook_maps_size(const struct compiled_hook *h, struct bpf_object *obj);

/* After load: writes every value.  0 or -errno. */
int hook_maps_fill(const struct compiled_hook *h, const struct bpf_object *obj);

/* A hook adopted from pins: the followChildren bits its value_sets map
 * (value_sets_fd) holds become its own again (follow_set_adopt()), so no
 * hook loaded later takes them.  0 or -errno. */
int hook_maps_adopt_follow(const struct compiled_hook *h, int value_sets_fd);

#endif /* RTENF_HOOK_MAPS_H */
