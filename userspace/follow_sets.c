// SPDX-License-Identifier: GPL-2.0-only
/*
 * matchBinaries followChildren: a process matches when it, or an ancestor
 * since the policy came, ran one of the listed binaries.  Each such filter
 * of a loaded hook owns one of RTENF_FOLLOW_SETS bits, shared by all
 * policies of the agent:
 *
 *   follow_bins[binary hash] has the bits of the sets that list the binary;
 *   the exec program ORs them into the process's proc_sel record, whose
 *   bits a fork copies, so descendants keep them across their own execs;
 *   the hook finds its bit in a row of its value_sets ({set_id + 1, 0}).
 *
 * A bit belongs to the hook's value_sets map (by map id): when that map is
 * gone (the hook was unloaded, or its load failed), the bit is free again,
 * and before it is given out anew it is cleared from follow_bins and from
 * every process, so a new owner never inherits the old one's matches.
 */
#include "follow_sets.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

static __u32 owners[RTENF_FOLLOW_SETS]; /* value_sets map id, 0: never given out */

static bool map_alive(__u32 id)
{
	int fd = bpf_map_get_fd_by_id(id);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int map_fd(const struct bpf_object *obj, const char *name)
{
	const struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	return m ? bpf_map__fd(m) : -ENOENT;
}

static __u32 map_id(int fd)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* Clears bit from every follow_bins entry and every proc_sel record. */
static void clear_bit(int bins_fd, int psel_fd, unsigned bit)
{
	__u64 mask = 1ULL << bit, key, next, v;
	__u32 tgid, next_tgid;
	struct rtenf_proc_sel ps;
	bool first = true;

	while (!bpf_map_get_next_key(bins_fd, first ? NULL : &key, &next)) {
		first = false;
		key = next;
		if (bpf_map_lookup_elem(bins_fd, &key, &v) || !(v & mask))
			continue;
		v &= ~mask;
		if (v)
			bpf_map_update_elem(bins_fd, &key, &v, BPF_EXIST);
		else
			bpf_map_delete_elem(bins_fd, &key); /* the walk goes on from the next key */
	}
	first = true;
	while (!bpf_map_get_next_key(psel_fd, first ? NULL : &tgid, &next_tgid)) {
		first = false;
		tgid = next_tgid;
		if (bpf_map_lookup_elem(psel_fd, &tgid, &ps) || !(ps.follow & mask))
			continue;
		ps.follow &= ~mask;
		bpf_map_update_elem(psel_fd, &tgid, &ps, BPF_EXIST);
	}
}

/* Processes running now whose binary is in hashes[0..n) join the set, so
 * their children to come are followed too. */
static void mark_running(int procs_fd, int psel_fd, unsigned bit, const __u64 *hashes, size_t n)
{
	struct rtenf_process proc;
	struct rtenf_proc_sel ps;
	__u32 tgid, next;
	bool first = true;

	while (!bpf_map_get_next_key(procs_fd, first ? NULL : &tgid, &next)) {
		first = false;
		tgid = next;
		if (bpf_map_lookup_elem(procs_fd, &tgid, &proc))
			continue;
		for (size_t i = 0; i < n; i++) {
			if (!proc.bin_hash || proc.bin_hash != hashes[i])
				continue;
			if (!bpf_map_lookup_elem(psel_fd, &tgid, &ps)) {
				ps.follow |= 1ULL << bit;
				bpf_map_update_elem(psel_fd, &tgid, &ps, BPF_EXIST);
			}
			break;
		}
	}
}

int follow_set_adopt(int value_sets_fd, unsigned bit)
{
	__u32 owner = map_id(value_sets_fd);

	if (bit >= RTENF_FOLLOW_SETS || !owner)
		return -EINVAL;
	if (owners[bit] && owners[bit] != owner && map_alive(owners[bit]))
		return -EBUSY;
	owners[bit] = owner;
	return 0;
}

int follow_set_add(const struct bpf_object *obj, const __u64 *hashes, size_t n, unsigned *bit_out)
{
	int vs_fd = map_fd(obj, "value_sets"), bins_fd = map_fd(obj, "follow_bins"), psel_fd = map_fd(obj, "proc_sel"),
	    procs_fd = map_fd(obj, "processes");
	__u32 owner;
	int bit = -1;

	if (vs_fd < 0 || bins_fd < 0 || psel_fd < 0 || procs_fd < 0)
		return -ENOENT;
	owner = map_id(vs_fd);
	if (!owner)
		return -errno ? -errno : -EINVAL;
	for (unsigned b = 0; b < RTENF_FOLLOW_SETS && bit < 0; b++)
		if (!owners[b] || !map_alive(owners[b]))
			bit = (int)b;
	if (bit < 0)
		return -ENOSPC;
	if (owners[bit])
		clear_bit(bins_fd, psel_fd, (unsigned)bit);
	owners[bit] = owner;
	for (size_t i = 0; i < n; i++) {
		__u64 v = 0;

		bpf_map_lookup_elem(bins_fd, &hashes[i], &v);
		v |= 1ULL << bit;
		if (bpf_map_update_elem(bins_fd, &hashes[i], &v, BPF_ANY))
			return errno == E2BIG ? -EOVERFLOW : -errno; /* follow_bins is full */
	}
	mark_running(procs_fd, psel_fd, (unsigned)bit, hashes, n);
	*bit_out = (unsigned)bit;
	return 0;
}
