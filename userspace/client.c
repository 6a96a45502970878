// SPDX-License-Identifier: GPL-2.0-only
/*
 * The client side of the agent's Unix socket: find it, connect with an error
 * the user can act on, then exchange framed messages (wire.h).
 */
#include "client.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "util.h"
#include "wire.h"

const char *client_socket_path(const char *explicit_path)
{
	const char *env;

	if (explicit_path && *explicit_path)
		return explicit_path;
	/* An empty variable counts as unset, as shells make that easy to do
	 * by accident (RTENF_SOCKET= rtenf list). */
	env = getenv("RTENF_SOCKET");
	if (env && *env)
		return env;
	return RTENF_DEFAULT_SOCKET;
}

static void connect_error(int err, const char *path, char *buf, size_t len)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
	case ECONNREFUSED:
		/* No socket file, or a stale one left by an agent that died. */
		snprintf(buf, len, "agent not running at %s; start it with `rtenf agent`", path);
		break;
	case EACCES:
	case EPERM:
		snprintf(buf, len, "permission denied on %s; run as root", path);
		break;
	case ENAMETOOLONG:
		snprintf(buf, len, "socket path too long (at most %zu bytes): %s",
			 sizeof(((struct sockaddr_un *)0)->sun_path) - 1, path);
		break;
	default:
		snprintf(buf, len, "cannot connect to the agent at %s: %s", path, strerror(err));
		break;
	}
}

int client_connect(struct rtenf_client *c, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	int fd, e;

	c->fd = -1;
	c->path = NULL;
	path = client_socket_path(path);
	if (strlen(path) >= sizeof(addr.sun_path)) {
		connect_error(ENAMETOOLONG, path, err, errlen);
		return -ENAMETOOLONG;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		connect_error(e, path, err, errlen);
		return -e;
	}
	while (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		if (errno == EINTR)
			continue;
		e = errno;
		close(fd);
		connect_error(e, path, err, errlen);
		return -e;
	}
	c->fd = fd;
	c->path = xstrdup(path);
	return 0;
}

int client_call(struct rtenf_client *c, const rtenf_Request *req, rtenf_Response *resp, int timeout_ms)
{
	int r;

	memset(resp, 0, sizeof(*resp));
	r = wire_send(c->fd, rtenf_Request_fields, req);
	if (r)
		return r;
	return wire_recv(c->fd, rtenf_Response_fields, resp, timeout_ms);
}

int client_next_event(struct rtenf_client *c, rtenf_Event *ev, int timeout_ms)
{
	memset(ev, 0, sizeof(*ev));
	return wire_recv(c->fd, rtenf_Event_fields, ev, timeout_ms);
}

void client_close(struct rtenf_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	free(c->path);
	c->path = NULL;
}
