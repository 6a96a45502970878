// SPDX-License-Identifier: GPL-2.0-only
#include "cli_harness.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <pb_decode.h>

#include "util.h"
#include "wire.h"

static char *read_fd_all(int fd)
{
	struct strbuf sb = {0};
	char buf[4096];
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sb_append(&sb, buf, (size_t)n);
	return sb_steal(&sb);
}

static int wait_status(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		cr_assert_eq(errno, EINTR, "waitpid: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static __attribute__((noreturn)) void child_run(verb_fn verb, const char *const *argv)
{
	size_t argc = 0;
	char **args;
	int status;

	while (argv[argc])
		argc++;
	/* Verbs may keep pointers into argv (optarg); give them a copy they
	 * own, as main() would. */
	args = xcalloc(argc + 1, sizeof(*args));
	for (size_t i = 0; i < argc; i++)
		args[i] = xstrdup(argv[i]);
	status = verb((int)argc, args);

	for (size_t i = 0; i < argc; i++)
		free(args[i]);
	free(args);
	fflush(stdout);
	fflush(stderr);
	_exit(status);
}

void run_verb(verb_fn verb, const char *const *argv, struct run_result *r)
{
	int out = memfd_create("stdout", 0), err = memfd_create("stderr", 0);
	pid_t pid;

	cr_assert(out >= 0 && err >= 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		child_run(verb, argv);
	}
	r->status = wait_status(pid);
	r->out = read_fd_all(out);
	r->err = read_fd_all(err);
	close(out);
	close(err);
}

void run_verb_head(verb_fn verb, const char *const *argv, int n_lines, struct run_result *r)
{
	int err = memfd_create("stderr", 0), p[2];
	struct strbuf sb = {0};
	pid_t pid;
	char c;

	cr_assert(err >= 0 && pipe(p) == 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDOUT_FILENO);
		close(p[1]);
		dup2(err, STDERR_FILENO);
		child_run(verb, argv);
	}
	close(p[1]);
	while (n_lines > 0 && read(p[0], &c, 1) == 1) {
		sb_putc(&sb, c);
		n_lines -= c == '\n';
	}
	close(p[0]);
	r->status = wait_status(pid);
	r->out = sb_steal(&sb);
	r->err = read_fd_all(err);
	close(err);
}

void run_result_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

size_t count_lines(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

bool starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

char *tmpdir_make(void)
{
	const char *base = getenv("TMPDIR");
	char *dir = xasprintf("%s/rtenf-test-XXXXXX", base && *base ? base : "/tmp");

	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void tmpdir_remove(char *dir)
{
	if (!dir)
		return;
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

char *write_file(const char *dir, const char *name, const char *contents)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "cannot create %s: %s", path, strerror(errno));
	fputs(contents, f);
	fclose(f);
	return path;
}

/* --- the fake agent --------------------------------------------------- */

static rtenf_Process fake_process = {
	.exec_id = "ZmFrZQ==",
	.pid = 4242,
	.binary = "/usr/bin/unshare",
	.arguments = "--user",
};

void fake_event(rtenf_Event *ev, size_t i)
{
	memset(ev, 0, sizeof(*ev));
	ev->which_event = rtenf_Event_process_exec_tag;
	ev->event.process_exec.process = &fake_process;
	ev->node_name = "test-node";
	ev->time = 1700000000000000000ull + i;
}

/* Waits until fd is readable or the agent is told to stop; true if fd. */
static bool wait_readable(struct fake_agent *a, int fd)
{
	struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = a->stop_pipe[0], .events = POLLIN}};

	while (poll(p, 2, -1) < 0)
		if (errno != EINTR)
			return false;
	return !p[1].revents && p[0].revents;
}

static void serve(struct fake_agent *a, int conn)
{
	rtenf_Response resp = rtenf_Response_init_zero;
	rtenf_Request req = rtenf_Request_init_zero;
	size_t slot;

	if (!wait_readable(a, conn) || wire_recv(conn, rtenf_Request_fields, &req, 5000))
		return;
	pthread_mutex_lock(&a->lock);
	slot = a->n_requests < FAKE_MAX_REQUESTS ? a->n_requests++ : FAKE_MAX_REQUESTS;
	pthread_mutex_unlock(&a->lock);
	resp.ok = true;
	if (a->respond)
		a->respond(a, &req, &resp);
	if (wire_send(conn, rtenf_Response_fields, &resp))
		goto out;
	if (req.which_request == rtenf_Request_get_events_tag && resp.ok) {
		for (size_t i = 0; i < a->n_events; i++) {
			rtenf_Event ev;

			fake_event(&ev, i);
			if (wire_send(conn, rtenf_Event_fields, &ev))
				goto out;
			__atomic_add_fetch(&a->n_events_sent, 1, __ATOMIC_SEQ_CST);
		}
		if (a->after == FAKE_HOLD) {
			char buf[64];

			/* Until the client hangs up (EOF) or the test ends. */
			while (wait_readable(a, conn) && read(conn, buf, sizeof(buf)) > 0)
				;
		}
	}
out:
	if (slot < FAKE_MAX_REQUESTS)
		a->requests[slot] = req; /* kept for the test; freed by fake_agent_free */
	else
		pb_release(rtenf_Request_fields, &req);
}

static void *agent_thread(void *arg)
{
	struct fake_agent *a = arg;

	while (wait_readable(a, a->listen_fd)) {
		int conn = accept4(a->listen_fd, NULL, NULL, SOCK_CLOEXEC);

		if (conn < 0)
			continue;
		serve(a, conn);
		close(conn);
	}
	return NULL;
}

void fake_agent_start(struct fake_agent *a)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};

	a->dir = tmpdir_make();
	a->path = xasprintf("%s/agent.sock", a->dir);
	cr_assert_lt(strlen(a->path), sizeof(addr.sun_path));
	strcpy(addr.sun_path, a->path);
	a->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	cr_assert(a->listen_fd >= 0);
	cr_assert_eq(bind(a->listen_fd, (struct sockaddr *)&addr, sizeof(addr)), 0, "bind: %s", strerror(errno));
	cr_assert_eq(listen(a->listen_fd, 8), 0);
	cr_assert_eq(pipe2(a->stop_pipe, O_CLOEXEC), 0);
	pthread_mutex_init(&a->lock, NULL);
	cr_assert_eq(pthread_create(&a->thread, NULL, agent_thread, a), 0);
}

void fake_agent_stop(struct fake_agent *a)
{
	if (a->listen_fd < 0)
		return;
	cr_assert_eq(write(a->stop_pipe[1], "x", 1), 1);
	pthread_join(a->thread, NULL);
	close(a->listen_fd);
	close(a->stop_pipe[0]);
	close(a->stop_pipe[1]);
	a->listen_fd = -1;
}

void fake_agent_free(struct fake_agent *a)
{
	fake_agent_stop(a);
	for (size_t i = 0; i < a->n_requests && i < FAKE_MAX_REQUESTS; i++)
		pb_release(rtenf_Request_fields, &a->requests[i]);
	pthread_mutex_destroy(&a->lock);
	tmpdir_remove(a->dir);
	free(a->path);
	a->dir = a->path = NULL;
}
