/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The base sensor (kernel/base.bpf.c): exec, fork and exit of every process.
 * It owns the maps every other program shares; policy hooks are loaded with
 * base_sensor_share_maps() so they write the same ring buffer and read the
 * same process table.
 */
#ifndef RTENF_SENSOR_BASE_H
#define RTENF_SENSOR_BASE_H

#include <stdint.h>

#include <bpf/libbpf.h>

#include "rtenf_events.h"
#include "rtenf_hash.h"

struct base_bpf;

struct base_sensor {
	struct base_bpf *skel;
	__u32 host_ns[RTENF_NS_COUNT]; /* inodes of the initial namespaces */
};

struct base_sensor_opts {
	uint32_t ringbuf_bytes;      /* power of two, >= page size */
	uint32_t max_processes;
	struct rtenf_hash_key key;
};

/* Opens, loads and attaches; on failure writes the reason into err. */
int base_sensor_start(struct base_sensor *bs, const struct base_sensor_opts *o, char *err, size_t errlen);
void base_sensor_stop(struct base_sensor *bs);

int base_sensor_map_fd(const struct base_sensor *bs, const char *name);
/* Points every map of obj that the base sensor also has at the base's map. */
int base_sensor_share_maps(const struct base_sensor *bs, struct bpf_object *obj);
/* Bytes of kernel memory the base sensor's maps use. */
uint64_t base_sensor_memory(const struct base_sensor *bs);

#endif /* RTENF_SENSOR_BASE_H */
