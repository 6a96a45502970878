// SPDX-License-Identifier: GPL-2.0-only
#include "agent.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_setup.h"
#include "event_builder.h"
#include "event_view.h"
#include "kernel_view.h"
#include "log.h"
#include "pin_store.h"
#include "policy_files.h"
#include "policy_manager.h"
#include "policy_report.h"
#include "proc_scan.h"
#include "process_cache.h"
#include "sensor_base.h"
#include "server.h"
#include "util.h"

#define RINGBUF_BATCH 1024 /* records per wake-up before other work gets a turn */
#define RINGBUF_FLUSH_EVERY 64 /* records between writes to clients within a batch */
#define AGENT_VERSION "0.1.0"

struct agent {
	struct agent_config cfg;
	struct poll_loop loop;
	struct rtenf_hash_key key;
	struct base_sensor bs;
	struct process_cache pc;
	struct policy_manager pm;
	struct event_builder eb;
	struct report_book report;
	struct server srv;
	struct ring_buffer *rb;
	struct poll_handler rb_ph;
	int rb_fd;
	unsigned batch;
	int sig_fd;
	struct poll_handler sig_ph;
	int timer_fd;
	struct poll_handler timer_ph;
	uint64_t kernel_drops_seen;
	uint64_t agent_drops_seen;
	uint32_t n_adopted;    /* policies adopted at start */
	uint64_t started_at;
	char node_name[RTENF_NODE_NAME_MAX];
	struct strbuf line;
	struct pin_store ps;
	bool adopted;          /* started on a previous agent's pins */
	bool rb_held;          /* adopted: the ring buffer waits for the first client */
	uint64_t hold_until;   /* monotonic ns */
};

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- responses ---------------------------------------------------------- */

static rtenf_PolicyMode wire_mode(enum rtenf_mode m)
{
	return m == RTENF_MODE_ENFORCE ? rtenf_PolicyMode_POLICY_MODE_ENFORCE
	       : m == RTENF_MODE_AUDIT ? rtenf_PolicyMode_POLICY_MODE_AUDIT
				       : rtenf_PolicyMode_POLICY_MODE_UNSET;
}

static enum rtenf_mode mode_from_wire(rtenf_PolicyMode m)
{
	return m == rtenf_PolicyMode_POLICY_MODE_ENFORCE ? RTENF_MODE_ENFORCE
	       : m == rtenf_PolicyMode_POLICY_MODE_AUDIT ? RTENF_MODE_AUDIT
							 : RTENF_MODE_DISABLED;
}

static void fill_policy_scope(const struct agent *a, const struct live_policy *lp, rtenf_PolicyInfo *pi)
{
	size_t n_said, n_cgroups;

	cgroup_scopes_describe(&a->pm.scopes, lp->slot, &pi->scope, &n_said, &pi->scope_cgroups, &n_cgroups);
	pi->scope_count = (pb_size_t)n_said;
	pi->scope_cgroups_count = (pb_size_t)n_cgroups;
}

/* A policy's kernel counters, summed over CPUs, as list and report send them. */
static void fill_counters(const struct agent *a, const struct live_policy *lp, rtenf_PolicyCounters *out)
{
	struct rtenf_policy_counters c;

	policy_manager_counters(&a->pm, lp, &c);
	out->matched = c.matched;
	out->posted = c.posted;
	out->actions_applied = c.actions_applied;
	out->actions_audited = c.actions_audited;
	out->actions_failed = c.actions_failed;
	out->ringbuf_full = c.ringbuf_full;
	out->late = c.late;
	out->read_errors = c.read_errors;
}

/* Everything in a Response is heap-allocated so pb_release() frees it. */
static void fill_policy_info(const struct agent *a, const struct live_policy *lp, rtenf_PolicyInfo *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->name = xstrdup(lp->name);
	pi->id = lp->id;
	pi->mode = wire_mode(lp->mode);
	pi->file_name = xstrdup(lp->file);
	pi->loaded_at = lp->loaded_at;
	pi->kernel_memory = policy_manager_memory(lp);
	pi->program_memory = policy_manager_program_memory(lp);
	pi->hooks_count = (pb_size_t)lp->n_hooks;
	pi->hooks = xcalloc(lp->n_hooks ? lp->n_hooks : 1, sizeof(*pi->hooks));
	for (size_t i = 0; i < lp->n_hooks; i++) {
		pi->hooks[i].kind = xstrdup(lp->hooks[i].kind);
		pi->hooks[i].target = xstrdup(lp->hooks[i].target);
		pi->hooks[i].mechanism = xstrdup(lp->hooks[i].mechanism);
		pi->hooks[i].enforcement = xstrdup(lp->hooks[i].enforcement);
	}
	fill_policy_scope(a, lp, pi);
	pi->has_counters = true;
	fill_counters(a, lp, &pi->counters);
}

static uint64_t global_counter(const struct agent *a, enum rtenf_global_counter which)
{
	int ncpu = libbpf_num_possible_cpus(), fd = base_sensor_map_fd(&a->bs, "global_counters");
	__u32 key = which;
	uint64_t *v, sum = 0;

	if (ncpu <= 0 || fd < 0)
		return 0;
	v = xcalloc((size_t)ncpu, sizeof(*v));
	if (!bpf_map_lookup_elem(fd, &key, v))
		for (int i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

/* The agent's own resident memory: the Rss of its mappings except those
 * of BPF maps (the ring buffer's data pages, mapped twice so a record that
 * wraps around reads in one piece), which are kernel memory and counted in
 * base_kernel_memory.  Summed from smaps alone: statm's resident count
 * includes the ring buffer on some kernels (6.18) and not on others (6.1),
 * so subtracting one from the other is wrong somewhere. */
static uint64_t self_rss(void)
{
	char line[512];
	bool bpf_map = false;
	uint64_t total = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		/* a mapping's header ("lo-hi perms offset dev inode name"), else a field */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			bpf_map = strstr(line, "anon_inode:bpf-map") != NULL;
		else if (!bpf_map && !strncmp(line, "Rss:", 4))
			total += strtoull(line + 4, NULL, 10) * 1024;
	}
	fclose(f);
	return total;
}

/* Records read from the ring buffer that reached no client: of a policy
 * nobody remembers, malformed, or not encodable. */
static uint64_t agent_drops(const struct agent *a)
{
	return a->eb.malformed + a->eb.unknown_policy + a->srv.encode_failed;
}

static void fill_agent_info(const struct agent *a, rtenf_AgentInfo *ai)
{
	const struct server *s = &a->srv;

	memset(ai, 0, sizeof(*ai));
	ai->version = xstrdup(AGENT_VERSION);
	ai->node_name = xstrdup(a->node_name);
	ai->pid = (uint32_t)getpid();
	ai->started_at = a->started_at;
	ai->events_read = a->eb.records;
	ai->kernel_drops = global_counter(a, RTENF_CNT_RINGBUF_FULL);
	ai->process_map_full = global_counter(a, RTENF_CNT_PROCESS_MAP_FULL);
	ai->ringbuf_size = a->bs.ringbuf_bytes;
	ai->process_table = a->pc.live;
	ai->agent_rss = self_rss();
	ai->base_kernel_memory = base_sensor_memory(&a->bs);
	ai->base_program_memory = base_sensor_program_memory(&a->bs);
	ai->clients_dropped = s->dropped_by_departed;
	ai->clients = xcalloc(s->n_clients ? s->n_clients : 1, sizeof(*ai->clients));
	for (size_t i = 0; i < s->n_clients; i++) {
		const struct server_client *c = s->clients[i];

		if (!c->streaming)
			continue;
		ai->clients[ai->clients_count].id = c->id;
		ai->clients[ai->clients_count].pid = (uint32_t)c->pid;
		ai->clients[ai->clients_count].uid = (uint32_t)c->uid;
		ai->clients[ai->clients_count].events_sent = c->sent;
		ai->clients[ai->clients_count].events_dropped = c->dropped;
		ai->clients[ai->clients_count].queued_bytes = c->queued;
		ai->clients_count++;
	}
	ai->bpf_dir = xstrdup(pin_store_on(&a->ps) ? a->ps.dir : "");
	ai->adopted_policies = a->n_adopted;
	ai->policy_memory_limit = a->cfg.policy_memory_limit;
	ai->agent_drops = agent_drops(a);
}

static void respond_diags(rtenf_Response *resp, const struct diag_list *diags)
{
	resp->diagnostics = xcalloc(diags->n ? diags->n : 1, sizeof(char *));
	for (size_t i = 0; i < diags->n; i++)
		resp->diagnostics[resp->diagnostics_count++] = diag_format(&diags->v[i]);
}

static void handle_apply(struct agent *a, const rtenf_ApplyRequest *req, rtenf_Response *resp)
{
	struct policy_source *src = xcalloc(req->files_count ? req->files_count : 1, sizeof(*src));
	struct apply_opts opts = {
	    .mode = mode_from_wire(req->mode),
	    .replace = req->replace,
	    .skip_unsupported = req->skip_unsupported,
	};
	struct diag_list diags = {0};
	struct apply_result res;
	char *err = NULL;
	int r;

	for (pb_size_t i = 0; i < req->files_count; i++) {
		src[i].file = req->files[i].file_name ? req->files[i].file_name : "<request>";
		src[i].yaml = req->files[i].yaml ? req->files[i].yaml : "";
		src[i].len = strlen(src[i].yaml);
	}
	r = policy_manager_apply(&a->pm, src, req->files_count, &opts, &diags, &err, &res);
	respond_diags(resp, &diags);
	if (r) {
		resp->error = err ? err : xasprintf("%zu error%s; nothing applied", diag_count_errors(&diags),
						    diag_count_errors(&diags) == 1 ? "" : "s");
	} else {
		resp->ok = true;
		resp->policies = xcalloc(res.n_applied ? res.n_applied : 1, sizeof(*resp->policies));
		for (size_t i = 0; i < res.n_applied; i++)
			fill_policy_info(a, res.applied[i], &resp->policies[resp->policies_count++]);
		resp->skipped = xcalloc(res.n_skipped ? res.n_skipped : 1, sizeof(char *));
		for (size_t i = 0; i < res.n_skipped; i++)
			resp->skipped[resp->skipped_count++] = xstrdup(res.skipped[i]);
		apply_result_free(&res);
	}
	diag_list_free(&diags);
	free(src);
}

/* Tallies of policies no longer live (deleted, replaced) are let go. */
static void prune_reports(struct agent *a)
{
	for (size_t i = 0; i < a->report.n;) {
		uint32_t id = a->report.v[i]->policy_id;
		bool live = false;

		for (size_t j = 0; j < a->pm.n_live && !live; j++)
			live = a->pm.live[j]->id == id;
		if (live)
			i++;
		else
			report_book_drop(&a->report, id);
	}
}

static void handle_report(struct agent *a, const char *name, rtenf_Response *resp)
{
	const struct live_policy *lp = policy_manager_find(&a->pm, name);
	rtenf_PolicyReport *r = &resp->report;

	if (!lp) {
		resp->error = xasprintf("no policy named %s; `rtenf list` shows the loaded ones", name);
		return;
	}
	resp->ok = true;
	resp->has_report = true;
	r->name = xstrdup(lp->name);
	r->id = lp->id;
	r->mode = wire_mode(lp->mode);
	r->since = lp->loaded_at;
	report_fill(&a->report, report_book_find(&a->report, lp->id), r);
	r->has_counters = true;
	fill_counters(a, lp, &r->counters);
}

static void on_request(void *ctx, struct server_client *c, const rtenf_Request *req, rtenf_Response *resp)
{
	struct agent *a = ctx;
	char *err = NULL;

	(void)c;
	switch (req->which_request) {
	case rtenf_Request_apply_tag:
		handle_apply(a, &req->request.apply, resp);
		prune_reports(a);
		return;
	case rtenf_Request_delete_tag:
		if (policy_manager_delete(&a->pm, req->request.delete.name ? req->request.delete.name : "", &err))
			resp->error = err;
		else
			resp->ok = true;
		prune_reports(a);
		return;
	case rtenf_Request_report_tag:
		handle_report(a, req->request.report.name ? req->request.report.name : "", resp);
		return;
	case rtenf_Request_mode_tag:
		if (policy_manager_set_mode(&a->pm, req->request.mode.name ? req->request.mode.name : "",
					    mode_from_wire(req->request.mode.mode), &err))
			resp->error = err;
		else
			resp->ok = true;
		return;
	case rtenf_Request_list_tag:
		resp->ok = true;
		resp->policies = xcalloc(a->pm.n_live ? a->pm.n_live : 1, sizeof(*resp->policies));
		for (size_t i = 0; i < a->pm.n_live; i++)
			fill_policy_info(a, a->pm.live[i], &resp->policies[resp->policies_count++]);
		resp->has_agent = true;
		fill_agent_info(a, &resp->agent);
		return;
	default:
		resp->error = xstrdup("unknown request; is the client the same rtenf version as the agent?");
	}
}

/* ---- events ------------------------------------------------------------- */

static void sink(void *ctx, const rtenf_Event *ev)
{
	struct agent *a = ctx;
	rtenf_Event bare;

	server_broadcast(&a->srv, ev);
	if (a->cfg.stdout_format == AGENT_STDOUT_NONE)
		return;
	bare = *ev; /* ancestors are for the clients that asked */
	event_strip_ancestors(&bare);
	sb_reset(&a->line);
	event_format(&a->line, &bare, a->cfg.stdout_format == AGENT_STDOUT_JSON ? EVENT_FORMAT_JSON : EVENT_FORMAT_COMPACT,
		     a->cfg.color);
	fwrite(a->line.buf, 1, a->line.len, stdout);
	fflush(stdout);
}

static int on_record(void *ctx, void *data, size_t len)
{
	struct agent *a = ctx;

	a->eb.ancestors = server_wants_ancestors(&a->srv);
	event_builder_handle(&a->eb, data, len);
	/* keep clients' sockets busy while the batch runs: they read meanwhile */
	if (++a->batch % RINGBUF_FLUSH_EVERY == 0)
		server_flush_all(&a->srv);
	/* yield after a batch so clients and signals are served during floods */
	return a->batch >= RINGBUF_BATCH ? -EAGAIN : 0;
}

static void rb_ready(struct poll_handler *ph, uint32_t events)
{
	struct agent *a = (struct agent *)((char *)ph - offsetof(struct agent, rb_ph));

	(void)events;
	a->batch = 0;
	ring_buffer__consume(a->rb);
	server_flush_all(&a->srv);
}

static void report_kernel_drops(struct agent *a)
{
	uint64_t drops = global_counter(a, RTENF_CNT_RINGBUF_FULL);

	if (drops > a->kernel_drops_seen) {
		uint64_t n = drops - a->kernel_drops_seen;

		a->kernel_drops_seen = drops;
		log_warn("the kernel dropped %llu events: ring buffer full (size it with --ringbuf-size)",
			 (unsigned long long)n);
		event_builder_lost(&a->eb, n, "kernel");
		if (pin_store_on(&a->ps)) {
			/* a restarted agent announces only what this one did not */
			a->ps.meta.kernel_drops_reported = drops;
			pin_store_write_meta(&a->ps);
		}
	}
}

/* Starts reading the ring buffer an adopting agent held back, so that what
 * the kernel wrote while no agent ran reaches a client.  Only registers the
 * fd: records are read on the next turn of the loop, after the response
 * that made the client a subscriber. */
static void resume_reading(struct agent *a, const char *why)
{
	if (!a->rb_held)
		return;
	a->rb_held = false;
	if (poll_loop_add(&a->loop, ring_buffer__epoll_fd(a->rb), EPOLLIN, &a->rb_ph))
		log_error("cannot watch the ring buffer: %s", strerror(errno));
	else
		log_info("reading the ring buffer (%s)", why);
}

static void on_subscribe(void *ctx)
{
	resume_reading(ctx, "a client subscribed");
}

static void timer_ready(struct poll_handler *ph, uint32_t events)
{
	struct agent *a = (struct agent *)((char *)ph - offsetof(struct agent, timer_ph));
	uint64_t ticks;

	(void)events;
	if (read(a->timer_fd, &ticks, sizeof(ticks)) < 0)
		return;
	if (a->rb_held && mono_now_ns() >= a->hold_until)
		resume_reading(a, "no client subscribed in time");
	if (!a->rb_held) {
		uint64_t drops = agent_drops(a);

		report_kernel_drops(a);
		if (drops > a->agent_drops_seen) {
			event_builder_lost(&a->eb, drops - a->agent_drops_seen, "agent");
			a->agent_drops_seen = drops;
		}
	}
	process_cache_expire(&a->pc, mono_now_ns());
	process_cache_sync_clock(&a->pc);
}

static void sig_ready(struct poll_handler *ph, uint32_t events)
{
	struct agent *a = (struct agent *)((char *)ph - offsetof(struct agent, sig_ph));
	struct signalfd_siginfo si;

	(void)events;
	if (read(a->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		log_info("received %s; %s", strsignal((int)si.ssi_signo),
			 a->cfg.keep_on_exit && pin_store_on(&a->ps)
				 ? "exiting; pinned policies keep enforcing (--keep-on-exit)"
				 : "unloading and exiting");
		a->loop.stop = true;
	}
}

/* ---- start and stop ----------------------------------------------------- */

/* A start-up policy that is already running, adopted from the pins with
 * the very same text: kept as it is (mode switches and counters included). */
static bool adopted_same(const struct agent *a, const struct policy_source *s)
{
	for (size_t i = 0; i < a->pm.n_live; i++) {
		const struct live_policy *lp = a->pm.live[i];

		if (lp->adopted && lp->yaml_len == s->len && !memcmp(lp->yaml, s->yaml, s->len)) {
			log_info("%s: already running as %s (adopted)", s->file, lp->name);
			return true;
		}
	}
	return false;
}

static int apply_initial(struct agent *a)
{
	struct policy_files set = {0};
	struct diag_list diags = {0};
	struct policy_source *src;
	struct apply_opts opts = {.mode = RTENF_MODE_DISABLED, .skip_unsupported = a->cfg.skip_unsupported};
	struct apply_result res;
	char errbuf[512], *err = NULL;
	size_t n = 0;
	int r = 0;

	if (!a->cfg.n_policy_paths)
		return 0;
	for (size_t i = 0; i < a->cfg.n_policy_paths && !r; i++)
		r = policy_files_add(&set, a->cfg.policy_paths[i], errbuf, sizeof(errbuf));
	if (!r)
		r = policy_files_read(&set, errbuf, sizeof(errbuf));
	if (r) {
		log_error("%s", errbuf);
		policy_files_free(&set);
		return r;
	}
	src = xcalloc(set.n, sizeof(*src));
	for (size_t i = 0; i < set.n; i++) {
		const struct policy_source s = {set.v[i].path, set.v[i].data, set.v[i].len};

		if (adopted_same(a, &s))
			continue;
		src[n++] = s;
	}
	if (!n) {
		free(src);
		policy_files_free(&set);
		return 0;
	}
	/* a start-up policy that changed since the pins were made replaces them */
	opts.replace = a->adopted;
	r = policy_manager_apply(&a->pm, src, n, &opts, &diags, &err, &res);
	diag_print(stderr, &diags);
	if (r)
		log_error("%s", err ? err : "the policies were not applied");
	else
		apply_result_free(&res);
	free(err);
	diag_list_free(&diags);
	free(src);
	policy_files_free(&set);
	return r;
}

static int setup_fds(struct agent *a)
{
	struct itimerspec its = {.it_interval = {1, 0}, .it_value = {1, 0}};
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	a->sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	a->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (a->sig_fd < 0 || a->timer_fd < 0 || timerfd_settime(a->timer_fd, 0, &its, NULL))
		return -errno;
	a->sig_ph.on_ready = sig_ready;
	a->timer_ph.on_ready = timer_ready;
	a->rb_ph.on_ready = rb_ready;
	if (poll_loop_add(&a->loop, a->sig_fd, EPOLLIN, &a->sig_ph) ||
	    poll_loop_add(&a->loop, a->timer_fd, EPOLLIN, &a->timer_ph) ||
	    (!a->rb_held && poll_loop_add(&a->loop, ring_buffer__epoll_fd(a->rb), EPOLLIN, &a->rb_ph)))
		return -errno;
	return 0;
}

static void daemonize(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		log_error("cannot fork: %s", strerror(errno));
		return;
	}
	if (pid > 0)
		_exit(0);
	setsid();
	if (!freopen("/dev/null", "r", stdin) || !freopen("/dev/null", "w", stdout))
		log_warn("cannot redirect standard streams");
}

/* A new base sensor; pinned, meta first, when pinning is on. */
static int start_fresh(struct agent *a, char *err, size_t errlen)
{
	struct base_sensor_opts bo = {0};
	struct pin_meta m = {0};
	int r;

	if (getrandom(&a->key, sizeof(a->key), 0) != sizeof(a->key)) {
		snprintf(err, errlen, "cannot get random bytes for the hash key: %s", strerror(errno));
		return -EIO;
	}
	if (pin_store_on(&a->ps)) {
		snprintf(m.version, sizeof(m.version), "%s", AGENT_VERSION);
		m.bpf_build = hook_bpf_build_id();
		m.ringbuf_bytes = a->cfg.ringbuf_bytes;
		m.max_processes = a->cfg.max_processes;
		m.next_policy_id = 1;
		m.key = a->key;
		m.created_at = a->started_at;
		m.agent_pid = (uint32_t)getpid();
		r = pin_store_create_meta(&a->ps, &m);
		if (r) {
			snprintf(err, errlen, "cannot pin %s/meta: %s", a->ps.dir, strerror(-r));
			return r;
		}
	}
	bo.ringbuf_bytes = a->cfg.ringbuf_bytes;
	bo.max_processes = a->cfg.max_processes;
	bo.key = a->key;
	r = base_sensor_start(&a->bs, &bo, err, errlen);
	if (r || !pin_store_on(&a->ps))
		return r;
	r = base_sensor_pin(&a->bs, &a->ps, err, errlen);
	if (r)
		return r;
	memcpy(a->ps.meta.host_ns, a->bs.host_ns, sizeof(a->ps.meta.host_ns));
	a->ps.meta.flags |= PIN_META_F_BASE_DONE;
	r = pin_store_write_meta(&a->ps);
	if (r)
		snprintf(err, errlen, "cannot update %s/meta: %s", a->ps.dir, strerror(-r));
	return r;
}

/* The base sensor a previous agent pinned, with its key and sizes. */
static int start_adopted(struct agent *a, char *err, size_t errlen)
{
	const struct pin_meta *m = &a->ps.meta;
	int r;

	if (a->cfg.ringbuf_given && a->cfg.ringbuf_bytes != m->ringbuf_bytes) {
		snprintf(err, errlen, "the ring buffer pinned in %s has %u bytes and cannot change while its programs "
			 "run; --ringbuf-size asks for %u.  Start without --ringbuf-size to adopt it, or unload "
			 "everything first with `rtenf agent --cleanup --bpf-dir %s`", a->ps.dir, m->ringbuf_bytes,
			 a->cfg.ringbuf_bytes, a->ps.dir);
		return -EINVAL;
	}
	if (a->cfg.max_processes_given && a->cfg.max_processes != m->max_processes) {
		snprintf(err, errlen, "the process table pinned in %s holds %u processes and cannot change while its "
			 "programs run; --max-processes asks for %u.  Start without --max-processes to adopt it, or "
			 "unload everything first with `rtenf agent --cleanup --bpf-dir %s`", a->ps.dir,
			 m->max_processes, a->cfg.max_processes, a->ps.dir);
		return -EINVAL;
	}
	a->key = m->key;
	r = base_sensor_adopt(&a->bs, &a->ps, err, errlen);
	if (r)
		return r;
	a->kernel_drops_seen = m->kernel_drops_reported;
	a->ps.meta.agent_pid = (uint32_t)getpid();
	pin_store_write_meta(&a->ps);
	log_info("adopting the pins of %s (rtenf %s)", a->ps.dir, m->version);
	return 0;
}

int agent_run(const struct agent_config *cfg)
{
	struct agent *a = xcalloc(1, sizeof(*a));
	struct utsname un;
	char err[1024], *perr = NULL;
	int r, found, code = 1;
	bool keep = false; /* leave the pins in place on the way out */

	a->cfg = *cfg;
	a->sig_fd = a->timer_fd = -1;
	a->started_at = wall_ns();
	uname(&un);
	memcpy(a->node_name, un.nodename, sizeof(a->node_name) - 1); /* nodename is at most 64 with its NUL */
	if (geteuid() != 0) {
		log_error("rtenf agent must run as root: it loads BPF programs");
		free(a);
		return 1;
	}
	bpf_setup();
	if (poll_loop_init(&a->loop)) {
		log_error("epoll: %s", strerror(errno));
		goto out_free;
	}
	if (cfg->bpf_dir) {
		r = pin_store_open(&a->ps, cfg->bpf_dir, AGENT_VERSION, hook_bpf_build_id(), false, err, sizeof(err));
		if (r < 0) {
			log_error("%s", err);
			goto out_close_loop;
		}
		a->adopted = r == PIN_ADOPT;
	}
	/* from here on a failed start removes only what it pinned itself */
	keep = a->adopted;
	r = a->adopted ? start_adopted(a, err, sizeof(err)) : start_fresh(a, err, sizeof(err));
	if (r) {
		log_error("%s", err);
		goto out_stop_base;
	}
	process_cache_init(&a->pc, a->node_name);
	policy_manager_init(&a->pm, &a->bs, &a->key, cfg->default_mode);
	a->pm.memory_limit = cfg->policy_memory_limit;
	if (pin_store_on(&a->ps)) {
		a->pm.ps = &a->ps;
		if (a->ps.meta.next_policy_id > a->pm.next_id)
			a->pm.next_id = a->ps.meta.next_policy_id;
	}
	if (a->adopted && policy_manager_adopt(&a->pm, &perr)) {
		log_error("%s; nothing was changed, the pinned policies keep enforcing.  Unload them with `rtenf agent "
			  "--cleanup --bpf-dir %s` (enforcement stops), then start again", perr, a->ps.dir);
		free(perr);
		goto out_free_pm;
	}
	a->n_adopted = (uint32_t)a->pm.n_live;
	memcpy(a->pc.host_ns, a->bs.host_ns, sizeof(a->pc.host_ns));
	event_builder_init(&a->eb, &a->pc, &a->pm, sink, a);
	/* policies limited to cgroups follow the cgroups the agent learns of */
	a->pm.scopes.cgroups = &a->pc.cgroups;
	a->eb.scopes = &a->pm.scopes;
	a->eb.report = &a->report;
	a->report.row_cap = cfg->report_rows;
	a->rb = ring_buffer__new(base_sensor_map_fd(&a->bs, "events"), on_record, a, NULL);
	if (!a->rb) {
		log_error("cannot open the ring buffer: %s", strerror(errno));
		goto out_free_pm;
	}
	/* what the kernel wrote while no agent ran waits for a reader */
	a->rb_held = a->adopted && cfg->resume_wait_s && cfg->stdout_format == AGENT_STDOUT_NONE;
	a->hold_until = mono_now_ns() + (uint64_t)cfg->resume_wait_s * 1000000000ull;
	/* the sensor is attached: anything that execs from now on is seen */
	found = proc_scan(&a->pc, base_sensor_map_fd(&a->bs, "processes"), &a->key);
	log_info("%d processes already running", found);
	policy_manager_adopt_scopes(&a->pm);
	/* policies first: once the socket answers, the agent is ready */
	if (apply_initial(a))
		goto out_free_rb;
	r = server_open(&a->srv, &a->loop, cfg->socket_path, a->node_name, on_request, a, err, sizeof(err));
	if (r) {
		log_error("%s", err);
		goto out_free_rb;
	}
	a->srv.on_subscribe = on_subscribe;
	if (cfg->client_queue_bytes)
		a->srv.queue_max = cfg->client_queue_bytes;
	if (setup_fds(a)) {
		log_error("setting up signals and timers failed: %s", strerror(errno));
		goto out_close_server;
	}
	log_info("listening on %s; %zu polic%s loaded%s%s", cfg->socket_path, a->pm.n_live,
		 a->pm.n_live == 1 ? "y" : "ies", pin_store_on(&a->ps) ? ", pinned in " : "",
		 pin_store_on(&a->ps) ? a->ps.dir : "");
	if (cfg->daemonize)
		daemonize();

	while (!a->loop.stop) {
		if (poll_loop_run_once(&a->loop, 1000) < 0)
			break;
		server_reap(&a->srv);
	}
	code = 0;
	keep = cfg->keep_on_exit;

out_close_server:
	server_close(&a->srv);
out_free_rb:
	ring_buffer__free(a->rb);
out_free_pm:
	policy_manager_free(&a->pm, keep);
	report_book_free(&a->report);
	event_builder_free(&a->eb);
	process_cache_free(&a->pc);
out_stop_base:
	base_sensor_stop(&a->bs);
	if (pin_store_on(&a->ps)) {
		size_t foreign = 0;

		if (!keep && pin_store_remove_all(&a->ps, &foreign))
			log_warn("could not remove every pin from %s", a->ps.dir);
		else if (keep)
			log_info("pinned policies keep enforcing; the next agent with --bpf-dir %s adopts them",
				 a->ps.dir);
		pin_store_close(&a->ps);
	}
out_close_loop:
	if (a->sig_fd >= 0)
		close(a->sig_fd);
	if (a->timer_fd >= 0)
		close(a->timer_fd);
	poll_loop_close(&a->loop);
out_free:
	sb_free(&a->line);
	free(a);
	return code;
}

int agent_cleanup(const struct agent_config *cfg)
{
	struct pin_store ps;
	struct pin_policy *pols;
	struct strbuf names = {0};
	size_t n, foreign = 0;
	char err[1024];
	int r, opened;

	if (geteuid() != 0) {
		log_error("rtenf agent --cleanup must run as root");
		return 1;
	}
	if (!cfg->bpf_dir) {
		log_error("--cleanup needs a --bpf-dir");
		return 2;
	}
	bpf_setup();
	opened = pin_store_open(&ps, cfg->bpf_dir, AGENT_VERSION, 0, true, err, sizeof(err));
	if (opened == -ENOENT) {
		log_info("nothing is pinned in %s", cfg->bpf_dir);
		return 0;
	}
	if (opened < 0) {
		log_error("%s; nothing removed", err);
		return 1;
	}
	pin_store_read_policies(&ps, &pols, &n);
	for (size_t i = 0; i < n; i++) {
		if (pols[i].complete)
			sb_printf(&names, "%s%s", names.len ? ", " : "", pols[i].name);
		pin_policy_free(&pols[i]);
	}
	free(pols);
	r = pin_store_remove_all(&ps, &foreign);
	if (r)
		log_error("could not remove every pin from %s: %s", ps.dir, strerror(-r));
	else if (opened == PIN_FRESH)
		log_info("nothing is pinned in %s", ps.dir);
	else
		log_info("unpinned %zu polic%s%s%s%s and the base sensor from %s; their programs are detached", n,
			 n == 1 ? "y" : "ies", names.len ? " (" : "", names.len ? names.buf : "", names.len ? ")" : "",
			 ps.dir);
	if (foreign)
		log_warn("%zu entr%s in %s not pinned by rtenf left alone", foreign, foreign == 1 ? "y" : "ies",
			 ps.dir);
	sb_free(&names);
	pin_store_close(&ps);
	return r ? 1 : 0;
}
