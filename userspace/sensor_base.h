/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The base sensor (kernel/base.bpf.c): exec, fork and exit of every process.
 * It owns the maps every other program shares; policy hooks are loaded with
 * base_sensor_share_maps() so they write the same ring buffer and read the
 * same process table.  With pinning on, its maps and links live in bpffs
 * (pin_store.h) and a restarted agent adopts them instead of loading it.
 */
#ifndef RTENF_SENSOR_BASE_H
#define RTENF_SENSOR_BASE_H

#include <stdint.h>

#include <bpf/libbpf.h>

#include "pin_store.h"
#include "rtenf_events.h"
#include "rtenf_hash.h"

struct base_bpf;

struct base_map {
	char *name;
	int fd;
	bool owned;   /* opened from a pin (else the skeleton's) */
};

struct base_sensor {
	struct base_bpf *skel;         /* loaded here; NULL when adopted */
	struct base_map *maps;         /* every map of the object, by name */
	size_t n_maps;
	struct bpf_link **adopted;     /* links opened from pins */
	size_t n_adopted;
	size_t n_links;                /* programs attached (or adopted) */
	uint32_t ringbuf_bytes;
	__u32 host_ns[RTENF_NS_COUNT]; /* inodes of the initial namespaces */
};

struct base_sensor_opts {
	uint32_t ringbuf_bytes;      /* power of two, >= page size */
	uint32_t max_processes;
	struct rtenf_hash_key key;
};

/* Opens, loads and attaches; on failure writes the reason into err. */
int base_sensor_start(struct base_sensor *bs, const struct base_sensor_opts *o, char *err, size_t errlen);
/* Pins every map under DIR/maps and every link under DIR/base. */
int base_sensor_pin(struct base_sensor *bs, struct pin_store *ps, char *err, size_t errlen);
/* Takes over the base sensor a previous agent pinned: its maps and links,
 * checked against this build's object; nothing is loaded or attached. */
int base_sensor_adopt(struct base_sensor *bs, struct pin_store *ps, char *err, size_t errlen);
/* Closes everything; what is pinned stays attached. */
void base_sensor_stop(struct base_sensor *bs);

int base_sensor_map_fd(const struct base_sensor *bs, const char *name);
/* Points every map of obj that the base sensor also has at the base's map. */
int base_sensor_share_maps(const struct base_sensor *bs, struct bpf_object *obj);
/* Bytes of kernel memory the base sensor's maps use. */
uint64_t base_sensor_memory(const struct base_sensor *bs);
/* Bytes of kernel memory of its attached programs, JIT images included. */
uint64_t base_sensor_program_memory(const struct base_sensor *bs);
/* The embedded object, for the build id. */
const void *base_sensor_elf(size_t *sz);

#endif /* RTENF_SENSOR_BASE_H */
