/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the agent leaves in bpffs so that enforcement outlives it, and what a
 * restarted agent adopts.  bpffs holds only BPF objects and directories, so
 * the agent's own records are BPF array maps too: they live exactly as long
 * as the programs they describe and `--cleanup` removes them with the rest.
 *
 *   DIR/meta                        array map, one struct pin_meta
 *   DIR/maps/NAME                   every map of the base sensor (events,
 *                                   processes, policy_state, policy_counters,
 *                                   global_counters, per-CPU scratch, .rodata);
 *                                   bpffs names have no dots: "." becomes "_"
 *   DIR/base/PROG                   links of the base sensor (exec, fork, exit)
 *   DIR/policies/ID/record          array map, frozen: the policy record
 *   DIR/policies/ID/hookI_linkJ     links of hook I of the policy
 *   DIR/policies/ID/hookI_map_NAME  the hook's own maps (value sets, .rodata)
 *
 * The policy record is one byte string cut into PIN_RECORD_CHUNK-byte
 * elements of the record map: a struct pin_policy_hdr, n_hooks bytes (links
 * per hook), then the name, the file name and the YAML, without NULs.  All
 * numbers are in host byte order: pins never leave the machine.
 *
 * A policy counts as running only if its record is complete and
 * policy_state[slot] holds its id with mode audit or enforce; anything else
 * is a transaction that did not finish, and is removed at adoption.
 *
 * The agent holds flock(LOCK_EX) on DIR while it runs; `rtenf agent
 * --cleanup` takes the same lock, so it never pulls pins from under an agent.
 */
#ifndef RTENF_PIN_STORE_H
#define RTENF_PIN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rtenf_events.h"
#include "rtenf_hash.h"

#define PIN_LAYOUT 1 /* bump when anything above changes */
#define PIN_RECORD_CHUNK 4096
#define PIN_DEFAULT_DIR "/sys/fs/bpf/rtenf"

#define PIN_META_F_BASE_DONE 0x1 /* the base sensor is attached and pinned */

struct pin_meta {
	char magic[8];	  /* "rtenfpin" */
	__u32 layout;	  /* PIN_LAYOUT */
	__u32 size;	  /* sizeof(struct pin_meta) */
	char version[32]; /* rtenf version that pinned */
	__u64 bpf_build;  /* hash of every embedded BPF object */
	__u32 flags;	  /* PIN_META_F_* */
	__u32 ringbuf_bytes;
	__u32 max_processes;
	__u32 next_policy_id;
	struct rtenf_hash_key key; /* the keyed hash every program uses */
	__u32 host_ns[RTENF_NS_COUNT];
	__u64 kernel_drops_reported; /* ring buffer drops already announced */
	__u64 created_at;	     /* Unix-epoch ns */
	__u32 agent_pid;	     /* the last agent that ran on these pins */
	__u32 pad;
};

struct pin_policy_hdr {
	char magic[8]; /* "rtenfpol" */
	__u32 layout;  /* PIN_LAYOUT */
	__u32 id;
	__u32 slot;
	__u32 n_hooks;
	__u64 loaded_at; /* Unix-epoch ns */
	__u64 digest;	 /* of the compiled policy: a recompile must give the same */
	__u32 name_len;
	__u32 file_len;
	__u32 yaml_len;
	__u32 mode; /* mode when applied (the live one is in policy_state) */
};

/* A policy record as read back. */
struct pin_policy {
	uint32_t id;
	uint32_t slot;
	uint64_t loaded_at;
	uint64_t digest;
	size_t n_hooks;
	uint8_t *n_links; /* per hook */
	char *name;
	char *file;
	char *yaml;
	size_t yaml_len;
	uint32_t mode;
	bool complete; /* the record map was readable and consistent */
};

struct pin_store {
	char *dir;  /* NULL: nothing is pinned */
	int dir_fd; /* holds the lock */
	int meta_fd;
	struct pin_meta meta;
};

enum pin_open_result {
	PIN_FRESH = 0, /* nothing to adopt: start new and pin */
	PIN_ADOPT = 1, /* a previous agent's pins: adopt them */
};

/* Creates DIR if needed (it must be on bpffs) and locks it.  Returns
 * PIN_FRESH, PIN_ADOPT (ps->meta filled and compatible with this build) or
 * -errno with err filled: another agent holds DIR, DIR is not rtenf's, or
 * the pins come from another build of rtenf.  A start that died before the
 * base sensor was pinned is cleaned up and reported as PIN_FRESH.
 * cleanup: for removing the pins only: DIR is not created (-ENOENT if it is
 * missing), any build of this pin layout is accepted and nothing is
 * cleaned up yet. */
int pin_store_open(struct pin_store *ps, const char *dir, const char *version, uint64_t bpf_build, bool cleanup,
		   char *err, size_t errlen);
/* Unlocks; pins stay. */
void pin_store_close(struct pin_store *ps);
static inline bool pin_store_on(const struct pin_store *ps)
{
	return ps && ps->dir;
}

/* Pins DIR/meta (first of all pins, so every later pin has an owner). */
int pin_store_create_meta(struct pin_store *ps, const struct pin_meta *m);
/* Writes ps->meta back after a change. */
int pin_store_write_meta(struct pin_store *ps);

/* A 64-bit keyed digest of any number of bytes (rtenf_hash() reads at
 * most 4095), chained from seed: for the build id and policy digests. */
uint64_t pin_digest(uint64_t seed, const void *data, size_t len);

/* bpffs refuses names with a dot: ".rodata" maps are pinned as "_rodata". */
void pin_name_sanitize(char *name);

/* DIR/fmt... (caller frees). */
__attribute__((format(printf, 2, 3))) char *pin_store_path(const struct pin_store *ps, const char *fmt, ...);

/* DIR/policies/ID, created. */
int pin_store_policy_dir(struct pin_store *ps, uint32_t id, char **path);
/* Writes, freezes and pins DIR/policies/ID/record; *fd is the record map
 * (its memory is the policy's). */
int pin_store_write_policy(struct pin_store *ps, const struct pin_policy *pp, int *fd);
/* Every DIR/policies/ID, by id; incomplete ones have complete == false. */
int pin_store_read_policies(struct pin_store *ps, struct pin_policy **out, size_t *n);
void pin_policy_free(struct pin_policy *pp);
/* Unpins everything under DIR/policies/ID and removes the directory. */
int pin_store_remove_policy(struct pin_store *ps, uint32_t id);

/* Unpins everything rtenf pins under DIR (meta, maps/, base/, policies/)
 * and removes DIR if that leaves it empty.  Entries at the top of DIR that
 * rtenf does not create are left alone and counted in *foreign. */
int pin_store_remove_all(struct pin_store *ps, size_t *foreign);

#endif /* RTENF_PIN_STORE_H */
