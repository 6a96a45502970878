// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who may talk to the agent.  The socket is root's (mode 0600), so another
 * user cannot even connect.  And where an administrator opens the socket
 * up (for a monitoring group, say), the agent itself still refuses apply,
 * delete and mode from any peer but uid 0 (SO_PEERCRED), while list and
 * getevents work.  The CLI runs as nobody: setuid in a forked child.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "server.h"
#include "util.h"
#include "wire.h"

#define NOBODY 65534

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(peer_permissions, .fini = stop, .timeout = 120);

static const char policy_yaml[] = "apiVersion: cilium.io/v1alpha1\n"
				  "kind: TracingPolicy\n"
				  "metadata:\n"
				  "  name: %s\n"
				  "spec:\n"
				  "  tracepoints:\n"
				  "  - subsystem: syscalls\n"
				  "    event: sys_enter_unshare\n"
				  "    selectors:\n"
				  "    - matchActions:\n"
				  "      - action: Sigkill\n";

static void become_nobody(void)
{
	if (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY)) {
		perror("dropping to nobody");
		_exit(126);
	}
}

/* `rtenf ARGS... --socket SOCK` as nobody */
#define cli_nobody(out, err, ...) cli_as(&agent, NOBODY, out, err, __VA_ARGS__)

static void expect_refused(int rc, char *out, char *err, const char *what)
{
	cr_assert_neq(rc, 0, "%s as nobody succeeded:\n%s%s", what, out, err);
	cr_assert(strstr(err, "permission denied: only root may change policies (peer uid 65534)"),
		  "%s as nobody: unexpected message:\n%s", what, err);
	free(out);
	free(err);
}

/* As an administrator granting read access would: the directory
 * searchable, the socket writable by everyone. */
static void open_socket_up(void)
{
	cr_assert_eq(chmod(agent.dir, 0711), 0);
	cr_assert_eq(chmod(agent.sock, 0666), 0);
}

Test(peer_permissions, socket_is_closed_to_other_users)
{
	char *out, *err;
	int rc;

	agent_start(&agent, NULL);
	rc = cli_nobody(&out, &err, "list", NULL);
	cr_assert_eq(rc, 1, "list as nobody: exit %d\n%s%s", rc, out, err);
	cr_assert(strstr(err, "permission denied on"), "unexpected message:\n%s", err);
	cr_assert(strstr(err, "run as root"), "unexpected message:\n%s", err);
	free(out);
	free(err);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}

Test(peer_permissions, state_changes_need_root_even_on_an_open_socket)
{
	char *path, *name_yaml, *out, *err;
	int rc;

	agent_start(&agent, NULL);
	name_yaml = xasprintf(policy_yaml, "kept");
	apply_ok(&agent, "kept", name_yaml, "audit");
	free(name_yaml);
	name_yaml = xasprintf(policy_yaml, "intruder");
	path = policy_file(&agent, "intruder", name_yaml);
	free(name_yaml);
	open_socket_up();

	/* reading is allowed */
	rc = cli_nobody(&out, &err, "list", NULL);
	cr_assert_eq(rc, 0, "list as nobody: exit %d\n%s", rc, err);
	cr_assert(strstr(out, "kept"), "list as nobody does not show the policy:\n%s", out);
	free(out);
	free(err);
	rc = cli_nobody(&out, &err, "getevents", "--timeout", "0.3", NULL);
	cr_assert_eq(rc, 0, "getevents as nobody: exit %d\n%s", rc, err);
	free(out);
	free(err);

	/* changing is not */
	rc = cli_nobody(&out, &err, "apply", "-f", path, NULL);
	expect_refused(rc, out, err, "apply");
	rc = cli_nobody(&out, &err, "apply", "-f", path, "--replace", "--mode", "enforce", NULL);
	expect_refused(rc, out, err, "apply --replace");
	rc = cli_nobody(&out, &err, "mode", "kept", "enforce", NULL);
	expect_refused(rc, out, err, "mode");
	rc = cli_nobody(&out, &err, "delete", "kept", NULL);
	expect_refused(rc, out, err, "delete");

	/* and nothing changed */
	cr_assert_eq(policy_count(&agent), 1);
	rc = cli(&agent, &out, &err, "list", "-o", "json", NULL);
	cr_assert_eq(rc, 0);
	cr_assert(strstr(out, "\"audit\""), "the policy's mode changed:\n%s", out);
	cr_assert_null(strstr(out, "intruder"));
	free(out);
	free(err);
	free(path);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}

/* A frame over SERVER_PEER_MAX_FRAME from a peer that is not root is
 * refused before anything of it is read. */
Test(peer_permissions, large_requests_only_from_root)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int status;
	pid_t pid;

	agent_start(&agent, NULL);
	open_socket_up();
	memcpy(sa.sun_path, agent.sock, strlen(agent.sock) + 1);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		rtenf_Response resp = rtenf_Response_init_zero;
		uint32_t len = SERVER_PEER_MAX_FRAME + 1;
		uint8_t hdr[4] = {len, len >> 8, len >> 16, len >> 24};
		int fd;

		become_nobody();
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) || write(fd, hdr, 4) != 4)
			_exit(10);
		if (wire_recv(fd, rtenf_Response_fields, &resp, 5000))
			_exit(11);
		_exit(resp.error && strstr(resp.error, "refused: the limit is 1048576 bytes for peers other than root")
			  ? 0
			  : 12);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "nobody's 1 MiB + 1 request was not refused as expected (status 0x%x)", status);
	cr_assert_eq(policy_count(&agent), 0);
	agent_stop(&agent); /* in the test: criterion ignores .fini failures */
}
