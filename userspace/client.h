/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Talking to a running agent over its Unix socket (protocol in
 * proto/api.proto, framing in wire.h).
 */
#ifndef RTENF_CLIENT_H
#define RTENF_CLIENT_H

#include "api.pb.h"
#include "events.pb.h"

struct rtenf_client {
	int fd;
	char *path;
};

/* The socket path: explicit if non-NULL, else $RTENF_SOCKET, else the default. */
const char *client_socket_path(const char *explicit_path);
/* Connects.  On failure returns -errno and writes a message telling the user
 * what to do (e.g. "agent not running at PATH; start it with `rtenf agent`")
 * into err. */
int client_connect(struct rtenf_client *c, const char *path, char *err, size_t errlen);
/* Sends one request and waits for its response (caller pb_release()s it). */
int client_call(struct rtenf_client *c, const rtenf_Request *req, rtenf_Response *resp, int timeout_ms);
/* After a successful get_events call: the next event, or -ETIMEDOUT when
 * timeout_ms passed, -ECONNRESET when the agent went away. */
int client_next_event(struct rtenf_client *c, rtenf_Event *ev, int timeout_ms);
void client_close(struct rtenf_client *c);

#endif /* RTENF_CLIENT_H */
