// SPDX-License-Identifier: GPL-2.0-only
/*
 * (c) and (c'): a real `rtenf agent`, driven by the real CLI, with one
 * policy applied.  Both policies are the same text but for one word:
 *
 *   openat:  matchNamespaces Pid <op> host_ns  AND  filename Prefix
 *            "/nonexistent-rtenf-bench/"
 *   getppid: matchNamespaces Pid <op> host_ns  AND  __syscall_nr Equal -1
 *
 * With <op> NotIn (c) the bench, which runs in the host pid namespace,
 * fails the first filter: the compiler puts namespace filters before
 * argument filters, so this is the early exit.  With <op> In (c') the
 * namespace passes and the last filter rejects: for openat that is the
 * filename read from user memory plus the prefix lookup, for getppid an
 * integer field read plus a compare (getppid has no string).
 *
 * Because the openat hook reads a user string, rtenf also attaches a
 * program to sys_exit_openat (plan_late_decisions() in
 * userspace/policy_compile.c); its cost is part of what (c) measures, and
 * (b+) is the matching floor.
 *
 * The agent is started for every round and stopped after it, so no other
 * configuration ever runs with its base sensor loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "util.h"

#define NEVER_PREFIX "/nonexistent-rtenf-bench/"

static const char policy_fmt[] =
	"# Written by tests/bench (make bench): selectors the bench never matches.\n"
	"apiVersion: cilium.io/v1alpha1\n"
	"kind: TracingPolicy\n"
	"metadata:\n"
	"  name: %s\n"
	"spec:\n"
	"  tracepoints:\n"
	"  - subsystem: syscalls\n"
	"    event: sys_enter_openat\n"
	"    args:\n"
	"    - index: 6\n"
	"      type: string\n"
	"      label: filename\n"
	"    selectors:\n"
	"    - matchNamespaces:\n"
	"      - namespace: Pid\n"
	"        operator: %s\n"
	"        values: [%s]\n"
	"      matchArgs:\n"
	"      - index: 0\n"
	"        operator: Prefix\n"
	"        values: [\"" NEVER_PREFIX "\"]\n"
	"  - subsystem: syscalls\n"
	"    event: sys_enter_getppid\n"
	"    args:\n"
	"    - index: 4\n"
	"      type: int\n"
	"      label: syscall_nr\n"
	"    selectors:\n"
	"    - matchNamespaces:\n"
	"      - namespace: Pid\n"
	"        operator: %s\n"
	"        values: [%s]\n"
	"      matchArgs:\n"
	"      - index: 0\n"
	"        operator: Equal\n"
	"        values: [-1]\n";

const char *rtenf_policy_name(enum cfg_id id)
{
	if (values_cfg(id))
		return values_policy_name(id);
	return id == CFG_RTENF_NS ? "bench-ns-rejects" : "bench-last-rejects";
}

static char *policy_path(const struct bench *b, enum cfg_id id)
{
	return xasprintf("%s/%s.yaml", b->dir, rtenf_policy_name(id));
}

/* host_ns is what real policies say; a bench started inside a container
 * names its own namespace instead, which costs the same. */
static char *ns_value(const struct bench *b)
{
	return b->host_pidns ? xstrdup("host_ns") : xasprintf("%u", b->pidns);
}

int rtenf_prepare(struct bench *b)
{
	static const enum cfg_id ids[] = {CFG_RTENF_NS, CFG_RTENF_LAST};
	char *ns = ns_value(b);
	int r = 0;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]) && !r; i++) {
		const char *op = ids[i] == CFG_RTENF_NS ? "NotIn" : "In";
		char *path = policy_path(b, ids[i]);
		FILE *f = fopen(path, "w");

		if (!f || fprintf(f, policy_fmt, rtenf_policy_name(ids[i]), op, ns, op, ns) < 0) {
			fprintf(stderr, "bench: cannot write %s: %s\n", path, strerror(errno));
			r = -1;
		}
		if (f && fclose(f))
			r = -1;
		free(path);
	}
	free(ns);
	return r;
}

static bool agent_answers(const char *sock)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	ok = !connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return ok;
}

static void print_agent_log(const struct bench *b)
{
	char *log = read_file(b->agent_log, NULL);

	fprintf(stderr, "--- %s ---\n%s--- end ---\n", b->agent_log, log ? log : "");
	free(log);
}

/* The first number after "key": that follows anchor.  `rtenf list -o json`
 * is one line with fixed key names (docs/list.md); one policy is loaded at
 * a time, so the first match after the policy's name is its own. */
uint64_t json_u64(const char *json, const char *anchor, const char *key)
{
	const char *p = strstr(json, anchor);
	char k[64];

	if (!p)
		return 0;
	snprintf(k, sizeof(k), "\"%s\":", key);
	p = strstr(p, k);
	return p ? strtoull(p + strlen(k), NULL, 10) : 0;
}

static char *rtenf_list(const struct bench *b)
{
	char *argv[] = {(char *)b->rtenf, "list", "-o", "json", "--socket", (char *)b->agent_sock, NULL};
	char *out = NULL;

	if (child_run(b, argv, &out) != 0 || !strstr(out, "\"agent\":{")) {
		fprintf(stderr, "bench: rtenf list failed:\n%s\n", out ? out : "");
		free(out);
		return NULL;
	}
	return out;
}

/* Starts `rtenf agent` (stdout none) on the helper CPUs and waits until it
 * answers on its socket. */
int rtenf_agent_start(struct bench *b)
{
	/* --bpf-dir none: nothing the bench loads may outlive it */
	char *agent_argv[] = {(char *)b->rtenf, "agent", "--socket", b->agent_sock, "--bpf-dir", "none",
			      "--stdout", "none", "--log-level", "warn", NULL};

	snprintf(b->agent_sock, sizeof(b->agent_sock), "%s/agent.sock", b->dir);
	snprintf(b->agent_log, sizeof(b->agent_log), "%s/agent.log", b->dir);
	b->agent = child_start(b, agent_argv, b->agent_log);
	if (b->agent < 0) {
		fprintf(stderr, "bench: cannot start %s: %s\n", b->rtenf, strerror(errno));
		return -1;
	}
	/* The agent listens only once it is ready (base sensor loaded). */
	for (int waited = 0; !agent_answers(b->agent_sock); waited += 20) {
		if (!child_alive(b->agent) || waited > 10000 || bench_stop) {
			fprintf(stderr, "bench: the agent %s\n", bench_stop ? "start was interrupted"
					: child_alive(b->agent) ? "did not answer within 10 s" : "exited at start");
			if (!bench_stop)
				print_agent_log(b);
			return -1;
		}
		sleep_ms(20);
	}
	return 0;
}

int rtenf_setup(struct bench *b, enum cfg_id id)
{
	char *path = policy_path(b, id), *out = NULL, *json;
	char *apply_argv[] = {(char *)b->rtenf, "apply", "-f", path, "--mode", "audit",
			      "--socket", b->agent_sock, NULL};
	int rc;

	if (rtenf_agent_start(b))
		goto fail;
	json = rtenf_list(b);
	if (!json)
		goto fail;
	b->mem[id].rss_idle = json_u64(json, "\"agent\":{", "agent_rss");
	free(json);

	rc = child_run(b, apply_argv, &out);
	if (rc != 0) {
		fprintf(stderr, "bench: rtenf apply -f %s failed (%d):\n%s\n", path, rc, out ? out : "");
		free(out);
		goto fail;
	}
	free(out);
	free(path);
	return 0;
fail:
	free(path);
	rtenf_teardown(b, id);
	return -1;
}

void rtenf_inspect(struct bench *b, enum cfg_id id)
{
	char anchor[96], *json = rtenf_list(b);
	struct bench_mem *m = &b->mem[id];

	if (!json)
		return;
	snprintf(anchor, sizeof(anchor), "\"name\":\"%s\"", rtenf_policy_name(id));
	m->valid = true;
	m->rss = json_u64(json, "\"agent\":{", "agent_rss");
	m->rss_bpf_maps = process_bpf_map_rss(b->agent);
	m->base_kernel = json_u64(json, "\"agent\":{", "base_kernel_memory");
	m->base_prog = json_u64(json, "\"agent\":{", "base_program_memory");
	m->policy_kernel = json_u64(json, anchor, "kernel_memory");
	m->prog_kernel = json_u64(json, anchor, "program_memory");
	/* counters accumulate over rounds: each round has a fresh agent */
	m->matched += json_u64(json, anchor, "matched");
	m->late += json_u64(json, anchor, "late");
	m->read_errors += json_u64(json, anchor, "read_errors");
	free(json);
}

void rtenf_teardown(struct bench *b, enum cfg_id id)
{
	int status;

	(void)id;
	if (b->agent <= 0)
		return;
	/* SIGTERM: the agent detaches and unloads everything, then exits 0. */
	status = child_stop(b->agent, SIGTERM, 10000);
	b->agent = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench: the agent did not exit cleanly (status 0x%x)\n", status);
		print_agent_log(b);
	}
	unlink(b->agent_sock);
}
