// SPDX-License-Identifier: GPL-2.0-only
#include "harness.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>

#include "cgroup.h"
#include "util.h"
#include "wire.h"

void require_root(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "[SKIP] %s::%s: needs root: loads BPF programs\n", criterion_current_test->category,
			criterion_current_test->name);
		cr_skip_test("needs root: loads BPF programs");
	}
}

bool kernel_has(const char *feature)
{
	static char *probe_json;
	char key[96];

	if (!probe_json) {
		int r = cli(NULL, &probe_json, NULL, "probe", "-o", "json", NULL);

		cr_assert_eq(r, 0, "rtenf probe -o json failed");
	}
	snprintf(key, sizeof(key), "{\"name\":\"%s\",\"supported\":true", feature);
	return strstr(probe_json, key) != NULL;
}

void require_any_feature(const char *why, ...)
{
	struct strbuf names = {0};
	const char *f;
	va_list ap;
	bool any = false;

	va_start(ap, why);
	while ((f = va_arg(ap, const char *))) {
		any |= kernel_has(f);
		sb_printf(&names, "%s%s", names.len ? ", " : "", f);
	}
	va_end(ap);
	if (!any) {
		/* criterion shows skip messages only with --verbose: say it here */
		fprintf(stderr, "[SKIP] %s::%s: %s: this kernel has none of %s (see rtenf probe)\n",
			criterion_current_test->category, criterion_current_test->name, why, names.buf);
		cr_skip_test("%s: this kernel has none of %s (see rtenf probe)", why, names.buf);
	}
	sb_free(&names);
}

const char *rtenf_bin(void)
{
	const char *p = getenv("RTENF");

	return p ? p : "build/rtenf";
}

const char *testprog_bin(void)
{
	const char *p = getenv("RTENF_TESTPROG");

	return p ? p : "build/tests/rtenf-testprog";
}

static int try_connect(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

char *agent_log(const struct test_agent *a)
{
	char *s = read_file(a->log, NULL);

	return s ? s : xstrdup("");
}

/* How long an agent may take to load its programs and listen: 10 s, or
 * RTENF_TEST_START_TIMEOUT seconds (vmtest's emulated guests are slower). */
static int start_limit_s(void)
{
	const char *s = getenv("RTENF_TEST_START_TIMEOUT");
	int n = s ? atoi(s) : 0;

	return n > 0 ? n : 10;
}

int test_slowdown(void)
{
	int n = start_limit_s() / 10;

	return n > 1 ? n : 1;
}

static void start_va(struct test_agent *a, bool again, va_list ap)
{
	const char *argv[64];
	int argc = 0;

	require_root();
	if (!again) {
		strcpy(a->dir, "/tmp/rtenf-test-XXXXXX");
		cr_assert_not_null(mkdtemp(a->dir));
		snprintf(a->sock, sizeof(a->sock), "%s/sock", a->dir);
		snprintf(a->log, sizeof(a->log), "%s/agent.log", a->dir);
		snprintf(a->bpf_dir, sizeof(a->bpf_dir), "/sys/fs/bpf/%s", a->dir + strlen("/tmp/"));
		a->pins_may_stay = false;
	}
	argv[argc++] = rtenf_bin();
	argv[argc++] = "agent";
	argv[argc++] = "--socket";
	argv[argc++] = a->sock;
	argv[argc++] = "--bpf-dir";
	argv[argc++] = a->bpf_dir;
	argv[argc++] = "--log-level";
	argv[argc++] = "warn";
	for (const char *s; (s = va_arg(ap, const char *)) && argc < 62;)
		argv[argc++] = s;
	argv[argc] = NULL;

	a->pid = fork();
	cr_assert_geq(a->pid, 0);
	if (a->pid == 0) {
		int fd = open(a->log, O_WRONLY | O_CREAT | (again ? O_APPEND : O_TRUNC), 0600);

		dup2(fd, 2);
		dup2(open("/dev/null", O_WRONLY), 1);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	for (int i = 0; i < start_limit_s() * 20; i++) {
		int status, fd = try_connect(a->sock);

		if (fd >= 0) {
			close(fd);
			return;
		}
		if (waitpid(a->pid, &status, WNOHANG) == a->pid) {
			char *log = agent_log(a);

			a->pid = 0;
			cr_assert_fail("the agent exited at start (status %d):\n%s", status, log);
		}
		usleep(50000);
	}
	cr_assert_fail("the agent did not open %s within %d s", a->sock, start_limit_s());
}

void agent_start(struct test_agent *a, ...)
{
	va_list ap;

	va_start(ap, a);
	start_va(a, false, ap);
	va_end(ap);
}

void agent_restart(struct test_agent *a, ...)
{
	va_list ap;

	cr_assert_eq(a->pid, 0, "agent_restart: the agent is still running");
	va_start(ap, a);
	start_va(a, true, ap);
	va_end(ap);
}

void agent_kill(struct test_agent *a)
{
	int status;

	cr_assert_gt(a->pid, 0);
	kill(a->pid, SIGKILL);
	cr_assert_eq(waitpid(a->pid, &status, 0), a->pid);
	a->pid = 0;
}

int agent_cleanup_pins(const struct test_agent *a, char **err)
{
	return cli(NULL, NULL, err, "agent", "--cleanup", "--bpf-dir", a->bpf_dir, NULL);
}

void agent_stop(struct test_agent *a)
{
	int status = 0;
	bool pins_left;

	if (a->pid > 0) {
		kill(a->pid, SIGTERM);
		waitpid(a->pid, &status, 0);
		a->pid = 0;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			char *log = agent_log(a);

			cr_log_error("agent log:\n%s", log);
			free(log);
			agent_cleanup_pins(a, NULL);
			cr_assert_fail("the agent did not exit cleanly (status 0x%x)", status);
		}
	}
	/* never leave programs enforcing on the test machine */
	pins_left = a->bpf_dir[0] && access(a->bpf_dir, F_OK) == 0;
	if (pins_left)
		agent_cleanup_pins(a, NULL);
	if (a->dir[0] && !getenv("RTENF_KEEP_TEST_DIRS")) {
		char *cmd = xasprintf("rm -rf %s", a->dir);

		if (system(cmd) != 0)
			cr_log_info("could not remove %s", a->dir);
		free(cmd);
	}
	cr_assert(!pins_left || a->pins_may_stay, "the agent left pins in %s after SIGTERM", a->bpf_dir);
}

char *policy_file(const struct test_agent *a, const char *name, const char *yaml)
{
	char *path = xasprintf("%s/%s.yaml", a->dir, name);
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(yaml, f);
	fclose(f);
	return path;
}

static char *drain(int fd)
{
	struct strbuf sb = {0};
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sb_append(&sb, buf, (size_t)n);
	close(fd);
	return sb_steal(&sb);
}

/* uid: run as that user and group (no supplementary groups), or
 * (uid_t)-1 to keep the test's. */
static int vcli(const struct test_agent *a, uid_t uid, char **out, char **err, va_list ap)
{
	const char *argv[64];
	int argc = 0, po[2], pe[2], status;
	char *o, *e;
	pid_t pid;

	argv[argc++] = rtenf_bin();
	for (const char *s; (s = va_arg(ap, const char *)) && argc < 60;)
		argv[argc++] = s;
	if (a) {
		argv[argc++] = "--socket";
		argv[argc++] = a->sock;
	}
	argv[argc] = NULL;
	cr_assert(!pipe(po) && !pipe(pe));
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		if (uid != (uid_t)-1 && (setgroups(0, NULL) || setgid((gid_t)uid) || setuid(uid))) {
			perror("cli_as: dropping privileges");
			_exit(126);
		}
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	o = drain(po[0]);
	e = drain(pe[0]);
	waitpid(pid, &status, 0);
	if (out)
		*out = o;
	else
		free(o);
	if (err)
		*err = e;
	else
		free(e);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int cli(const struct test_agent *a, char **out, char **err, ...)
{
	va_list ap;
	int rc;

	va_start(ap, err);
	rc = vcli(a, (uid_t)-1, out, err, ap);
	va_end(ap);
	return rc;
}

int cli_as(const struct test_agent *a, uid_t uid, char **out, char **err, ...)
{
	va_list ap;
	int rc;

	va_start(ap, err);
	rc = vcli(a, uid, out, err, ap);
	va_end(ap);
	return rc;
}

void apply_ok(struct test_agent *a, const char *name, const char *yaml, const char *mode)
{
	char *path = policy_file(a, name, yaml), *out = NULL, *err = NULL;
	int rc = mode ? cli(a, &out, &err, "apply", "-f", path, "--mode", mode, NULL)
		      : cli(a, &out, &err, "apply", "-f", path, NULL);

	cr_assert_eq(rc, 0, "rtenf apply %s failed (%d):\n%s%s", path, rc, out, err);
	free(out);
	free(err);
	free(path);
}

void assert_killed_by(int status, int sig)
{
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sig, "expected death by signal %d, wait status 0x%x",
		  sig, status);
}

void assert_exited(int status, int code)
{
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == code, "expected exit %d, wait status 0x%x", code,
		  status);
}

int run_wait(char *const argv[])
{
	int status;
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

pid_t run_gated(char *const argv[], int *gate_fd)
{
	int p[2];
	pid_t pid;

	cr_assert(!pipe(p));
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(p[0], 0);
		close(p[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(p[0]);
	*gate_fd = p[1];
	return pid;
}

int gate_and_wait(pid_t pid, int gate_fd)
{
	int status;

	cr_assert_eq(write(gate_fd, "x", 1), 1);
	close(gate_fd);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	return status;
}

static int call(const struct test_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	int fd = try_connect(a->sock), r;

	cr_assert_geq(fd, 0, "cannot connect to the agent at %s", a->sock);
	r = wire_send(fd, rtenf_Request_fields, req);
	if (!r)
		r = wire_recv(fd, rtenf_Response_fields, resp, 10000);
	close(fd);
	return r;
}

int agent_request(const struct test_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	return call(a, req, resp);
}

static void stream_open_req(struct event_stream *s, const struct test_agent *a, const char *policy, bool ancestors)
{
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp = rtenf_Response_init_zero;
	char *names[1] = {(char *)policy};

	s->fd = try_connect(a->sock);
	cr_assert_geq(s->fd, 0);
	req.which_request = rtenf_Request_get_events_tag;
	req.request.get_events.ancestors = ancestors;
	if (policy) {
		req.request.get_events.policy_names = names;
		req.request.get_events.policy_names_count = 1;
	}
	cr_assert_eq(wire_send(s->fd, rtenf_Request_fields, &req), 0);
	cr_assert_eq(wire_recv(s->fd, rtenf_Response_fields, &resp, 10000), 0);
	cr_assert(resp.ok, "get_events refused: %s", resp.error ? resp.error : "?");
	pb_release(rtenf_Response_fields, &resp);
}

void stream_open(struct event_stream *s, const struct test_agent *a, const char *policy)
{
	stream_open_req(s, a, policy, false);
}

void stream_open_ancestors(struct event_stream *s, const struct test_agent *a, const char *policy)
{
	stream_open_req(s, a, policy, true);
}

int stream_next(struct event_stream *s, rtenf_Event *ev, int timeout_ms)
{
	memset(ev, 0, sizeof(*ev));
	return wire_recv(s->fd, rtenf_Event_fields, ev, timeout_ms);
}

const rtenf_Process *hook_event_process(const rtenf_Event *ev)
{
	switch (ev->which_event) {
	case rtenf_Event_process_tracepoint_tag:
		return ev->event.process_tracepoint.process;
	case rtenf_Event_process_kprobe_tag:
		return ev->event.process_kprobe.process;
	case rtenf_Event_process_lsm_tag:
		return ev->event.process_lsm.process;
	case rtenf_Event_process_uprobe_tag:
		return ev->event.process_uprobe.process;
	}
	return NULL;
}

int stream_next_hook(struct event_stream *s, uint32_t pid, rtenf_Event *ev, int timeout_ms)
{
	return stream_next_of(s, rtenf_Event_process_tracepoint_tag, pid, ev, timeout_ms);
}

int stream_next_of(struct event_stream *s, pb_size_t which, uint32_t pid, rtenf_Event *ev, int timeout_ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long left;
		int r;

		clock_gettime(CLOCK_MONOTONIC, &t);
		left = timeout_ms - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		if (left <= 0)
			return -ETIMEDOUT;
		r = stream_next(s, ev, (int)left);
		if (r)
			return r;
		if (ev->which_event == which &&
		    (!pid || (hook_event_process(ev) && hook_event_process(ev)->pid == pid)))
			return 0;
		pb_release(rtenf_Event_fields, ev);
	}
}

void stream_close(struct event_stream *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

static void list(const struct test_agent *a, rtenf_Response *resp)
{
	rtenf_Request req = rtenf_Request_init_zero;

	req.which_request = rtenf_Request_list_tag;
	cr_assert_eq(call(a, &req, resp), 0);
	cr_assert(resp->ok);
}

void policy_counters(const struct test_agent *a, const char *name, rtenf_PolicyCounters *out)
{
	rtenf_Response resp = rtenf_Response_init_zero;
	bool found = false;

	list(a, &resp);
	for (pb_size_t i = 0; i < resp.policies_count; i++) {
		if (!strcmp(resp.policies[i].name, name)) {
			*out = resp.policies[i].counters;
			found = true;
		}
	}
	pb_release(rtenf_Response_fields, &resp);
	cr_assert(found, "policy %s is not loaded", name);
}

void policy_report(const struct test_agent *a, const char *name, rtenf_Response *resp)
{
	rtenf_Request req = rtenf_Request_init_zero;

	memset(resp, 0, sizeof(*resp));
	req.which_request = rtenf_Request_report_tag;
	req.request.report.name = (char *)name;
	cr_assert_eq(call(a, &req, resp), 0);
	cr_assert(resp->ok && resp->has_report, "no report for %s: %s", name, resp->error ? resp->error : "");
}

size_t policy_count(const struct test_agent *a)
{
	rtenf_Response resp = rtenf_Response_init_zero;
	size_t n;

	list(a, &resp);
	n = resp.policies_count;
	pb_release(rtenf_Response_fields, &resp);
	return n;
}

void policy_hook_info(const struct test_agent *a, const char *name, size_t idx, char **mechanism,
		      char **enforcement)
{
	rtenf_Response resp = rtenf_Response_init_zero;
	bool found = false;

	list(a, &resp);
	for (pb_size_t i = 0; i < resp.policies_count; i++) {
		const rtenf_PolicyInfo *p = &resp.policies[i];

		if (strcmp(p->name, name) || idx >= p->hooks_count)
			continue;
		*mechanism = xstrdup(p->hooks[idx].mechanism ? p->hooks[idx].mechanism : "");
		*enforcement = xstrdup(p->hooks[idx].enforcement ? p->hooks[idx].enforcement : "");
		found = true;
	}
	pb_release(rtenf_Response_fields, &resp);
	cr_assert(found, "policy %s has no hook %zu", name, idx);
}

void agent_info(const struct test_agent *a, rtenf_AgentInfo *out)
{
	rtenf_Response resp = rtenf_Response_init_zero;

	list(a, &resp);
	*out = resp.agent;
	out->version = NULL;
	out->node_name = NULL;
	out->bpf_dir = NULL;
	out->clients = NULL;
	out->clients_count = 0;
	pb_release(rtenf_Response_fields, &resp);
}

char *cgroup_make(const char *rel)
{
	char *path;

	cr_assert_not_null(cgroup2_root(), "no cgroup v2 hierarchy mounted");
	path = xasprintf("%s%s", cgroup2_root(), rel);
	cr_assert(!mkdir(path, 0755) || errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
	return path;
}

void cgroup_remove_tree(const char *rel)
{
	char *cmd;

	if (!rel || !rel[0] || !cgroup2_root())
		return;
	cmd = xasprintf("find %s%s -depth -type d -exec rmdir {} + 2>/dev/null", cgroup2_root(), rel);
	cr_log_info("cleanup: %s exited %d", cmd, system(cmd));
	free(cmd);
}
