// SPDX-License-Identifier: GPL-2.0-only
#include "process_cache.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

uint64_t mono_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static char *base64(const unsigned char *in, size_t len)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = xmalloc(4 * ((len + 2) / 3) + 1), *p = out;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*p++ = tbl[(v >> 18) & 63];
		*p++ = tbl[(v >> 12) & 63];
		*p++ = i + 1 < len ? tbl[(v >> 6) & 63] : '=';
		*p++ = i + 2 < len ? tbl[v & 63] : '=';
	}
	*p = '\0';
	return out;
}

char *make_exec_id(const char *node, uint64_t ktime, uint32_t pid)
{
	char *raw = xasprintf("%s:%" PRIu64 ":%u", node, ktime, pid), *id;

	id = base64((const unsigned char *)raw, strlen(raw));
	free(raw);
	return id;
}

void process_cache_sync_clock(struct process_cache *pc)
{
	struct timespec real, boot;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	pc->boot_to_real_ns = ((int64_t)real.tv_sec - boot.tv_sec) * 1000000000ll + (real.tv_nsec - boot.tv_nsec);
}

void process_cache_init(struct process_cache *pc, const char *node_name)
{
	memset(pc, 0, sizeof(*pc));
	hashtab_init(&pc->by_pid);
	cgroup_table_init(&pc->cgroups);
	pc->node_name = xstrdup(node_name);
	process_cache_sync_clock(pc);
}

static void entry_free(struct proc_entry *e)
{
	free(e->binary);
	free(e->arguments);
	free(e->cwd);
	free(e->exec_id);
	free(e->parent_exec_id);
	free(e->flags);
	free(e);
}

static void free_chain(uint32_t key, void *value, void *arg)
{
	struct proc_entry *e = value, *older;

	(void)key;
	(void)arg;
	for (; e; e = older) {
		older = e->older;
		entry_free(e);
	}
}

void process_cache_free(struct process_cache *pc)
{
	hashtab_each(&pc->by_pid, free_chain, NULL);
	hashtab_free(&pc->by_pid);
	cgroup_table_free(&pc->cgroups);
	free(pc->node_name);
}

struct proc_entry *process_cache_lookup(struct process_cache *pc, uint32_t pid, uint64_t ktime)
{
	struct proc_entry *e = hashtab_get(&pc->by_pid, pid);

	if (!ktime)
		return e;
	for (; e; e = e->older)
		if (e->ktime == ktime)
			return e;
	return NULL;
}

struct proc_entry *process_cache_parent(struct process_cache *pc, const struct proc_entry *e)
{
	if (!e || !e->ppid)
		return NULL;
	return process_cache_lookup(pc, e->ppid, e->parent_ktime);
}

/* Makes e the newest image of its pid; the previous one is now gone. */
static struct proc_entry *push(struct process_cache *pc, struct proc_entry *e)
{
	struct proc_entry *prev = hashtab_get(&pc->by_pid, e->pid);

	/* exec ids are made from (node, time, pid): the parent's is known even
	 * when the parent has left the cache */
	if (e->ppid && e->parent_ktime && !e->parent_exec_id)
		e->parent_exec_id = make_exec_id(pc->node_name, e->parent_ktime, e->ppid);
	if (prev && !prev->gone_at) {
		prev->gone_at = mono_now_ns();
		pc->live--;
	}
	e->older = prev;
	hashtab_put(&pc->by_pid, e->pid, e);
	pc->live++;
	return e;
}

/* argv as the kernel stores it: NUL-separated; arguments skip argv[0]. */
static char *join_args(const char *argv, size_t len)
{
	struct strbuf sb = {0};
	size_t i = 0;

	while (i < len && argv[i])
		i++;
	for (i++; i < len;) {
		size_t n = strnlen(argv + i, len - i);

		if (sb.len)
			sb_putc(&sb, ' ');
		sb_append(&sb, argv + i, n);
		i += n + 1;
	}
	return sb_steal(&sb);
}

char *process_flags(unsigned bits)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
		{PROCESS_FLAG_EXECVE, "execve"},
		{PROCESS_FLAG_PROCFS, "procFS"},
		{PROCESS_FLAG_TRUNC_FILENAME, "truncFilename"},
		{PROCESS_FLAG_TRUNC_ARGS, "truncArgs"},
		{PROCESS_FLAG_ROOT_CWD, "rootcwd"},
		{PROCESS_FLAG_CLONE, "clone"},
	};
	struct strbuf sb = {0};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (bits & names[i].bit)
			sb_printf(&sb, "%s%s", sb.len ? " " : "", names[i].name);
	if (!sb.buf)
		sb_puts(&sb, "");
	return sb_steal(&sb);
}

const char *process_cache_docker(const struct process_cache *pc, uint64_t cgroup_id)
{
	const struct cgroup_node *n = cgroup_table_get(&pc->cgroups, cgroup_id);

	return n ? n->docker : "";
}

static void set_cgroup(const struct process_cache *pc, struct proc_entry *e, uint64_t cgroup_id)
{
	e->cgroup_id = cgroup_id;
	snprintf(e->docker, sizeof(e->docker), "%s", process_cache_docker(pc, cgroup_id));
}

struct proc_entry *process_cache_exec(struct process_cache *pc, const struct rtenf_msg_exec *m, const char *path,
				      const char *argv, size_t argv_len, const char *cwd)
{
	struct proc_entry *e = xcalloc(1, sizeof(*e));

	e->pid = m->task.tgid;
	e->ktime = m->task.exec_id;
	e->ppid = m->ppid;
	e->parent_ktime = m->parent_exec_id;
	e->binary = xstrdup(path);
	e->arguments = join_args(argv, argv_len);
	e->cwd = xstrdup(cwd);
	e->exec_id = make_exec_id(pc->node_name, e->ktime, e->pid);
	e->flags = process_flags(PROCESS_FLAG_EXECVE |
				 (m->hdr.flags & RTENF_EXEC_F_PATH_TRUNCATED ? PROCESS_FLAG_TRUNC_FILENAME : 0) |
				 (m->hdr.flags & RTENF_EXEC_F_ARGS_TRUNCATED ? PROCESS_FLAG_TRUNC_ARGS : 0) |
				 (!strcmp(cwd, "/") ? PROCESS_FLAG_ROOT_CWD : 0) |
				 (m->hdr.flags & RTENF_EXEC_F_CLONE ? PROCESS_FLAG_CLONE : 0));
	e->uid = m->task.uid;
	e->euid = m->task.euid;
	e->gid = m->gid;
	e->egid = m->egid;
	e->auid = m->auid;
	e->cap_permitted = m->cap_permitted;
	e->cap_effective = m->cap_effective;
	e->cap_inheritable = m->cap_inheritable;
	memcpy(e->ns, m->ns, sizeof(e->ns));
	e->ns_pid = m->ns_pid;
	set_cgroup(pc, e, m->task.cgroup_id);
	return push(pc, e);
}

struct proc_entry *process_cache_clone(struct process_cache *pc, const struct rtenf_msg_clone *m)
{
	struct proc_entry *parent = process_cache_lookup(pc, m->ppid, m->parent_exec_id);
	struct proc_entry *e = xcalloc(1, sizeof(*e));

	if (!parent)
		parent = process_cache_lookup(pc, m->ppid, 0);
	e->pid = m->task.tgid;
	e->ktime = m->task.exec_id;
	e->ppid = m->ppid;
	e->parent_ktime = m->parent_exec_id;
	e->exec_id = make_exec_id(pc->node_name, e->ktime, e->pid);
	e->flags = process_flags(PROCESS_FLAG_CLONE);
	memcpy(e->ns, m->ns, sizeof(e->ns));
	e->uid = m->task.uid;
	e->euid = m->task.euid;
	e->ns_pid = m->ns_pid;
	set_cgroup(pc, e, m->task.cgroup_id);
	if (parent) {
		e->binary = xstrdup(parent->binary ? parent->binary : "");
		e->arguments = xstrdup(parent->arguments ? parent->arguments : "");
		e->cwd = xstrdup(parent->cwd ? parent->cwd : "");
		e->gid = parent->gid;
		e->egid = parent->egid;
		e->auid = parent->auid;
		e->cap_permitted = parent->cap_permitted;
		e->cap_effective = parent->cap_effective;
		e->cap_inheritable = parent->cap_inheritable;
	} else {
		e->binary = xstrdup("");
		e->arguments = xstrdup("");
		e->cwd = xstrdup("");
	}
	return push(pc, e);
}

struct proc_entry *process_cache_add(struct process_cache *pc, struct proc_entry *e)
{
	struct proc_entry *cur = hashtab_get(&pc->by_pid, e->pid);

	if (!e->exec_id)
		e->exec_id = make_exec_id(pc->node_name, e->ktime, e->pid);
	if (!e->flags)
		e->flags = process_flags(PROCESS_FLAG_PROCFS |
					 (e->cwd && !strcmp(e->cwd, "/") ? PROCESS_FLAG_ROOT_CWD : 0));
	set_cgroup(pc, e, e->cgroup_id);
	if (cur && cur->ktime >= e->ktime) {
		/* the base sensor saw a newer image while we were reading /proc */
		entry_free(e);
		return cur;
	}
	return push(pc, e);
}

void process_cache_exit(struct process_cache *pc, uint32_t pid, uint64_t ktime, uint64_t now)
{
	struct proc_entry *e = process_cache_lookup(pc, pid, ktime);

	if (!e)
		e = process_cache_lookup(pc, pid, 0);
	if (e && !e->gone_at) {
		e->gone_at = now ? now : 1;
		pc->live--;
	}
}

struct expire_scan {
	uint64_t now;
	uint32_t *pids; /* pids with at least one image to forget */
	size_t n;
};

static bool expired(const struct proc_entry *e, uint64_t now)
{
	return e->gone_at && now - e->gone_at > PROC_RETAIN_NS;
}

static void find_expired(uint32_t pid, void *value, void *arg)
{
	struct expire_scan *x = arg;

	for (struct proc_entry *e = value; e; e = e->older) {
		if (expired(e, x->now)) {
			*VEC_PUSH(x->pids, x->n) = pid;
			return;
		}
	}
}

void process_cache_expire(struct process_cache *pc, uint64_t now)
{
	struct expire_scan x = {.now = now};

	/* the table cannot change while it is walked: collect, then prune */
	hashtab_each(&pc->by_pid, find_expired, &x);
	for (size_t i = 0; i < x.n; i++) {
		struct proc_entry *head = hashtab_get(&pc->by_pid, x.pids[i]), **pp = &head;

		while (*pp) {
			struct proc_entry *e = *pp;

			if (expired(e, now)) {
				*pp = e->older;
				entry_free(e);
			} else {
				pp = &e->older;
			}
		}
		if (head)
			hashtab_put(&pc->by_pid, x.pids[i], head);
		else
			hashtab_del(&pc->by_pid, x.pids[i]);
	}
	free(x.pids);
}

uint64_t process_cache_wall_ns(const struct process_cache *pc, uint64_t boot_ns)
{
	return (uint64_t)((int64_t)boot_ns + pc->boot_to_real_ns);
}

static void fill_ns(rtenf_Namespace *ns, uint32_t inum, uint32_t host)
{
	ns->inum = inum;
	ns->is_host = inum && inum == host;
}

/* Tetragon's in_init_tree: in a PID namespace other than the host's, and
 * descended within it from its pid 1 (a process that entered the
 * namespace from outside, as nsenter or `docker exec` make them, is not). */
static bool in_init_tree(const struct process_cache *pc, const struct proc_entry *e)
{
	for (int depth = 0; e && depth < 256; depth++) {
		const struct proc_entry *parent;
		uint32_t ns = e->ns[RTENF_NS_PID];

		if (!ns || ns == pc->host_ns[RTENF_NS_PID])
			return false;
		if (e->ns_pid == 1)
			return true;
		parent = hashtab_get(&pc->by_pid, e->ppid);
		while (parent && e->parent_ktime && parent->ktime != e->parent_ktime)
			parent = parent->older;
		if (!parent || parent->ns[RTENF_NS_PID] != ns)
			return false;
		e = parent;
	}
	return false;
}

void process_cache_fill(const struct process_cache *pc, const struct proc_entry *e, rtenf_Process *out)
{
	memset(out, 0, sizeof(*out));
	out->exec_id = e->exec_id;
	out->parent_exec_id = e->parent_exec_id;
	out->pid = e->pid;
	out->tid = e->pid;
	/* Tetragon's process.uid is the effective uid (the real one is in
	 * process_credentials) */
	out->uid = e->euid;
	out->auid = e->auid;
	out->cwd = e->cwd;
	out->binary = e->binary;
	out->arguments = e->arguments;
	out->flags = e->flags;
	out->start_time = process_cache_wall_ns(pc, e->ktime);
	out->cgroup_id = e->cgroup_id;
	out->container_id = e->docker[0] ? (char *)e->docker : NULL;
	out->ns_pid = e->ns_pid;
	out->has_cap = true;
	out->cap.permitted = e->cap_permitted;
	out->cap.effective = e->cap_effective;
	out->cap.inheritable = e->cap_inheritable;
	out->has_process_credentials = true;
	out->process_credentials.uid = e->uid;
	out->process_credentials.gid = e->gid;
	out->process_credentials.euid = e->euid;
	out->process_credentials.egid = e->egid;
	if (e->ns[RTENF_NS_MNT]) {
		rtenf_Namespaces *n = &out->ns;

		out->has_ns = true;
		n->has_uts = n->has_ipc = n->has_mnt = n->has_pid = n->has_pid_for_children = true;
		n->has_net = n->has_time = n->has_time_for_children = n->has_cgroup = n->has_user = true;
		fill_ns(&n->uts, e->ns[RTENF_NS_UTS], pc->host_ns[RTENF_NS_UTS]);
		fill_ns(&n->ipc, e->ns[RTENF_NS_IPC], pc->host_ns[RTENF_NS_IPC]);
		fill_ns(&n->mnt, e->ns[RTENF_NS_MNT], pc->host_ns[RTENF_NS_MNT]);
		fill_ns(&n->pid, e->ns[RTENF_NS_PID], pc->host_ns[RTENF_NS_PID]);
		fill_ns(&n->pid_for_children, e->ns[RTENF_NS_PID_FOR_CHILDREN], pc->host_ns[RTENF_NS_PID_FOR_CHILDREN]);
		fill_ns(&n->net, e->ns[RTENF_NS_NET], pc->host_ns[RTENF_NS_NET]);
		fill_ns(&n->time, e->ns[RTENF_NS_TIME], pc->host_ns[RTENF_NS_TIME]);
		fill_ns(&n->time_for_children, e->ns[RTENF_NS_TIME_FOR_CHILDREN], pc->host_ns[RTENF_NS_TIME_FOR_CHILDREN]);
		fill_ns(&n->cgroup, e->ns[RTENF_NS_CGROUP], pc->host_ns[RTENF_NS_CGROUP]);
		fill_ns(&n->user, e->ns[RTENF_NS_USER], pc->host_ns[RTENF_NS_USER]);
	}
	out->in_init_tree = in_init_tree(pc, e);
}
