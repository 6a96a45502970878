// SPDX-License-Identifier: GPL-2.0-only
/* The client library: where the socket is, what the user is told when the
 * agent cannot be reached, and one exchange with a (fake) agent. */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <pb_decode.h>

#include "cli_harness.h"
#include "client.h"
#include "util.h"

Test(cli_client, socket_path_explicit_beats_environment)
{
	setenv("RTENF_SOCKET", "/from/env.sock", 1);
	cr_assert_str_eq(client_socket_path("/explicit.sock"), "/explicit.sock");
	cr_assert_str_eq(client_socket_path(NULL), "/from/env.sock");
}

Test(cli_client, socket_path_default_when_unset_or_empty)
{
	unsetenv("RTENF_SOCKET");
	cr_assert_str_eq(client_socket_path(NULL), RTENF_DEFAULT_SOCKET);
	setenv("RTENF_SOCKET", "", 1);
	cr_assert_str_eq(client_socket_path(NULL), RTENF_DEFAULT_SOCKET);
	cr_assert_str_eq(client_socket_path(""), RTENF_DEFAULT_SOCKET);
}

Test(cli_client, missing_socket_says_agent_not_running)
{
	char *dir = tmpdir_make(), *path = xasprintf("%s/rtenf.sock", dir), *want;
	struct rtenf_client c;
	char err[512];

	cr_assert_eq(client_connect(&c, path, err, sizeof(err)), -ENOENT);
	want = xasprintf("agent not running at %s; start it with `rtenf agent`", path);
	cr_assert_str_eq(err, want);
	free(want);
	free(path);
	tmpdir_remove(dir);
}

/* A socket file whose agent died: it exists, but nothing listens. */
Test(cli_client, stale_socket_says_agent_not_running)
{
	char *dir = tmpdir_make(), *path = xasprintf("%s/rtenf.sock", dir), *want;
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct rtenf_client c;
	char err[512];

	strcpy(addr.sun_path, path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	close(fd);
	cr_assert_eq(access(path, F_OK), 0);

	setenv("RTENF_SOCKET", path, 1); /* found through the environment */
	cr_assert_eq(client_connect(&c, NULL, err, sizeof(err)), -ECONNREFUSED);
	want = xasprintf("agent not running at %s; start it with `rtenf agent`", path);
	cr_assert_str_eq(err, want);
	free(want);
	free(path);
	tmpdir_remove(dir);
}

/* The socket sits in a directory the caller may not enter.  Root may enter
 * anything, so as root the check runs in a child that drops to nobody. */
Test(cli_client, permission_denied_says_run_as_root)
{
	struct fake_agent a = {0};
	struct passwd *nobody = getpwnam("nobody");
	pid_t pid;
	int st;

	fake_agent_start(&a);
	cr_assert_eq(chmod(a.dir, 0), 0);
	if (geteuid() == 0)
		cr_assert_not_null(nobody, "no user nobody to drop to");
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		struct rtenf_client c;
		char err[512], *want;

		if (geteuid() == 0 && (setgid(nobody->pw_gid) || setuid(nobody->pw_uid)))
			_exit(10);
		if (client_connect(&c, a.path, err, sizeof(err)) != -EACCES)
			_exit(11);
		want = xasprintf("permission denied on %s; run as root", a.path);
		st = strcmp(err, want) ? 12 : 0;
		free(want);
		_exit(st);
	}
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st));
	cr_assert_eq(WEXITSTATUS(st), 0, "child failed at step %d", WEXITSTATUS(st));
	chmod(a.dir, 0700);
	fake_agent_free(&a);
}

Test(cli_client, too_long_path_is_refused)
{
	char path[200];
	struct rtenf_client c;
	char err[512];

	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	cr_assert_eq(client_connect(&c, path, err, sizeof(err)), -ENAMETOOLONG);
	cr_assert_not_null(strstr(err, "socket path too long"));
}

static void answer_list(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	resp->ok = req->which_request == rtenf_Request_list_tag;
	resp->has_agent = true;
	resp->agent.version = "9.9.9";
}

Test(cli_client, call_then_events_then_disconnect, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_list};
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp;
	struct rtenf_client c;
	rtenf_Event ev;
	char err[512];

	fake_agent_start(&a);
	cr_assert_eq(client_connect(&c, a.path, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(c.path, a.path);
	req.which_request = rtenf_Request_list_tag;
	cr_assert_eq(client_call(&c, &req, &resp, 5000), 0);
	cr_assert(resp.ok);
	cr_assert_str_eq(resp.agent.version, "9.9.9");
	pb_release(rtenf_Response_fields, &resp);
	/* The agent closed after answering a non-streaming request. */
	cr_assert_eq(client_next_event(&c, &ev, 5000), -ECONNRESET);
	client_close(&c);
	cr_assert_eq(c.fd, -1);
	fake_agent_free(&a);
}

Test(cli_client, next_event_times_out, .timeout = 10)
{
	struct fake_agent a = {.n_events = 1, .after = FAKE_HOLD};
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp;
	struct rtenf_client c;
	rtenf_Event ev;
	char err[512];

	fake_agent_start(&a);
	cr_assert_eq(client_connect(&c, a.path, err, sizeof(err)), 0, "%s", err);
	req.which_request = rtenf_Request_get_events_tag;
	cr_assert_eq(client_call(&c, &req, &resp, 5000), 0);
	pb_release(rtenf_Response_fields, &resp);
	cr_assert_eq(client_next_event(&c, &ev, 5000), 0);
	cr_assert_eq(ev.which_event, rtenf_Event_process_exec_tag);
	cr_assert_str_eq(ev.event.process_exec.process->binary, "/usr/bin/unshare");
	pb_release(rtenf_Event_fields, &ev);
	cr_assert_eq(client_next_event(&c, &ev, 100), -ETIMEDOUT);
	client_close(&c);
	fake_agent_free(&a);
}
