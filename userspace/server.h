/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent's Unix socket.  Clients send framed requests (wire.h,
 * proto/api.proto); state-changing requests need a root peer (SO_PEERCRED).
 * Streaming clients get every matching event through their own bounded
 * queue: a client that does not keep up loses events, never slows the agent
 * or other clients, and is told how many it lost (a lost_events record) as
 * soon as it catches up.  Each event is encoded once and shared.
 */
#ifndef RTENF_SERVER_H
#define RTENF_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "api.pb.h"
#include "event_filter.h"
#include "events.pb.h"
#include "poll_loop.h"
#include "wire.h"

#define SERVER_CLIENT_QUEUE_MAX (8u << 20) /* bytes queued per streaming client */

struct out_chunk;

struct server_client {
	struct poll_handler ph;
	struct server *srv;
	int fd;
	uint32_t id;
	pid_t pid;
	uid_t uid;
	struct wire_reader rd;
	bool streaming;
	bool closing;          /* close once the queue is flushed */
	struct event_filter filter;
	struct out_chunk *head, *tail;
	size_t queued;         /* bytes */
	size_t head_off;       /* bytes of head already written */
	uint64_t sent;
	uint64_t dropped;
	uint64_t dropped_unreported;
};

/* Fills resp for req; called for every decoded request. */
typedef void (*server_request_fn)(void *ctx, struct server_client *c, const rtenf_Request *req,
				  rtenf_Response *resp);

struct server {
	struct poll_handler ph;
	struct poll_loop *loop;
	int listen_fd;
	char *path;
	struct server_client **clients;
	size_t n_clients;
	struct server_client **dead; /* closed, freed by server_reap() */
	size_t n_dead;
	uint32_t next_id;
	uint64_t dropped_by_departed; /* events dropped for clients that have left */
	size_t queue_max;
	const char *node_name;
	server_request_fn on_request;
	void *ctx;
};

/* Creates the socket (mode 0600, parent directory created).  Refuses if
 * another agent answers on path.  Returns 0 or -errno with err filled. */
int server_open(struct server *s, struct poll_loop *loop, const char *path, const char *node_name,
		server_request_fn on_request, void *ctx, char *err, size_t errlen);
void server_close(struct server *s);

/* Frees clients closed during the last poll batch; call after each batch. */
void server_reap(struct server *s);

/* Sends ev to every streaming client it passes the filters of; its
 * ancestors only to clients that asked for them. */
void server_broadcast(struct server *s, const rtenf_Event *ev);
/* True when a streaming client asked for ancestors: only then are they
 * worth looking up. */
bool server_wants_ancestors(const struct server *s);
/* Tells every streaming client that the kernel dropped count events. */
void server_broadcast_lost(struct server *s, uint64_t count, const char *source);
size_t server_streaming_clients(const struct server *s);

#endif /* RTENF_SERVER_H */
