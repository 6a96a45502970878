/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent's picture of every process, built from the base sensor's exec,
 * clone and exit records and, at start, from /proc.  Events name a process
 * by (tgid, exec time); this cache turns that into the binary, arguments,
 * cwd, credentials and parent an event shows.  A process image stays here
 * for a while after it exits or execs again, so events still in flight
 * resolve to the image that produced them.
 */
#ifndef RTENF_PROCESS_CACHE_H
#define RTENF_PROCESS_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "cgroup_table.h"
#include "events.pb.h"
#include "hashtab.h"
#include "rtenf_events.h"

#define PROC_RETAIN_NS (60ull * 1000000000ull) /* keep gone images this long */

struct proc_entry {
	uint32_t pid;
	uint64_t ktime;          /* boot ns of the exec or clone: with pid, the identity */
	uint32_t ppid;
	uint64_t parent_ktime;
	char *binary;
	char *arguments;
	char *cwd;
	char *exec_id;           /* Tetragon-style: base64("node:ktime:pid") */
	char *parent_exec_id;    /* the parent's, from (ppid, parent_ktime); NULL if unknown */
	char *flags;             /* Tetragon's: "execve clone", "procFS", "clone" (see process_flags()) */
	uint32_t uid, gid, euid, egid, auid;
	uint64_t cap_permitted, cap_effective, cap_inheritable;
	uint32_t ns[RTENF_NS_COUNT];
	uint32_t ns_pid;
	uint64_t cgroup_id;
	char docker[CONTAINER_ID_SHORT_LEN + 1]; /* container of cgroup_id, "" if none */
	uint64_t gone_at;        /* monotonic ns when it exited or exec'd again; 0 while live */
	struct proc_entry *older; /* earlier images of the same pid, newest first */
};

struct process_cache {
	struct hashtab by_pid;   /* pid -> newest struct proc_entry */
	char *node_name;
	int64_t boot_to_real_ns; /* add to a boot-time ns to get Unix-epoch ns */
	uint32_t host_ns[RTENF_NS_COUNT];
	size_t live;
	struct cgroup_table cgroups; /* cgroup v2 id -> path and container */
};

void process_cache_init(struct process_cache *pc, const char *node_name);
void process_cache_free(struct process_cache *pc);

/* Resynchronises the boot-time to wall-clock offset. */
void process_cache_sync_clock(struct process_cache *pc);

struct proc_entry *process_cache_lookup(struct process_cache *pc, uint32_t pid, uint64_t ktime);
struct proc_entry *process_cache_parent(struct process_cache *pc, const struct proc_entry *e);

/* Adds the image a record describes (strings copied). */
struct proc_entry *process_cache_exec(struct process_cache *pc, const struct rtenf_msg_exec *m, const char *path,
				      const char *argv, size_t argv_len, const char *cwd);
struct proc_entry *process_cache_clone(struct process_cache *pc, const struct rtenf_msg_clone *m);
/* Adds a process found in /proc (flags default to "procFS"); does not
 * replace a newer image. */
struct proc_entry *process_cache_add(struct process_cache *pc, struct proc_entry *e);
void process_cache_exit(struct process_cache *pc, uint32_t pid, uint64_t ktime, uint64_t now_mono_ns);
/* Forgets images gone for longer than PROC_RETAIN_NS. */
void process_cache_expire(struct process_cache *pc, uint64_t now_mono_ns);

/* Tetragon's flags string for these RTENF_PROCESS_FLAG_* bits, in its order. */
enum {
	PROCESS_FLAG_EXECVE = 0x01,
	PROCESS_FLAG_PROCFS = 0x02,
	PROCESS_FLAG_TRUNC_FILENAME = 0x04,
	PROCESS_FLAG_TRUNC_ARGS = 0x08,
	PROCESS_FLAG_ROOT_CWD = 0x10,
	PROCESS_FLAG_CLONE = 0x20,
};
char *process_flags(unsigned bits);

/* The first characters of the id of the container a cgroup belongs to
 * (Tetragon's `docker`), "" if none or unknown. */
const char *process_cache_docker(const struct process_cache *pc, uint64_t cgroup_id);

/* Points a nanopb Process at e's strings (valid while e is). */
void process_cache_fill(const struct process_cache *pc, const struct proc_entry *e, rtenf_Process *out);
uint64_t process_cache_wall_ns(const struct process_cache *pc, uint64_t boot_ns);

uint64_t mono_now_ns(void);
char *make_exec_id(const char *node, uint64_t ktime, uint32_t pid);

#endif /* RTENF_PROCESS_CACHE_H */
