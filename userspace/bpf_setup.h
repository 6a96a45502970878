/* SPDX-License-Identifier: GPL-2.0-only */
/* Process-wide libbpf set-up for the agent. */
#ifndef RTENF_BPF_SETUP_H
#define RTENF_BPF_SETUP_H

#include <stddef.h>
#include <stdint.h>

struct bpf_link;

/* Routes libbpf's log through ours (its debug output only at debug level),
 * raises RLIMIT_MEMLOCK where allowed (kernels >= 5.11 account BPF memory
 * to the cgroup and ignore it), mounts bpffs and tracefs when missing. */
void bpf_setup(void);

/* The verifier's reason for the last program it refused, as one line
 * ("R0 has unknown scalar value should have been in [-4095, 0]"), or "" when
 * libbpf printed no verifier log; cleared by reading. */
const char *bpf_last_refusal(void);

/* Bytes the kernel charges for a BPF map ("memlock" in its fdinfo). */
uint64_t bpf_map_memory(int map_fd);

/* Bytes of kernel memory of the programs behind n links: what the kernel
 * charges for each ("memlock" in its fdinfo: the program and its
 * instructions, page-rounded) plus its JIT image.  A program behind several
 * links counts once; ids (room for n) receives the distinct program ids. */
uint64_t bpf_links_prog_memory(struct bpf_link *const *links, size_t n, uint32_t *ids);

#endif /* RTENF_BPF_SETUP_H */
