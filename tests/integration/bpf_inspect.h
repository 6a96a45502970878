/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the kernel really has, seen from outside the agent: pins in bpffs,
 * BPF links and the maps their programs use.  Lets the pinning tests count
 * attachments and memory without trusting the agent's own report.
 */
#ifndef RTENF_TEST_BPF_INSPECT_H
#define RTENF_TEST_BPF_INSPECT_H

#include <stddef.h>
#include <stdint.h>

/* Id of the map pinned at path (asserts it exists). */
uint32_t pinned_map_id(const char *path);
/* Every BPF link in the system whose program uses map map_id; ids sorted
 * ascending into ids (up to max), returns how many. */
size_t links_using_map(uint32_t map_id, uint32_t *ids, size_t max);
/* Sum of the kernel's memlock figure of every map pinned directly in dir
 * (entries named *_link* are links and skipped). */
uint64_t pinned_maps_memory(const char *dir);
/* Memory of the programs behind the links pinned directly in dir whose
 * names contain name_part (NULL: every entry is a link): their memlock
 * figure plus their JIT images, each program once. */
uint64_t pinned_links_prog_memory(const char *dir, const char *name_part);
/* Entries of a directory (recursively counted), -1 if it does not exist. */
long tree_entries(const char *dir);

#endif /* RTENF_TEST_BPF_INSPECT_H */
