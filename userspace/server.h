/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The agent's Unix socket.  Clients send framed requests (wire.h,
 * proto/api.proto); state-changing requests need a root peer (SO_PEERCRED).
 * No client can stop or stall the others: a malformed or oversized request
 * gets an error response and the connection is closed, a half-sent frame
 * just waits, and a client that does not read its responses is not read
 * from either.
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
/* A client's requests are not read while this many bytes of responses wait
 * for it: one that sends without reading cannot make the agent queue
 * without bound. */
#define SERVER_RESPONSE_BACKLOG (1u << 20)
/* Requests handled per client each time its socket is ready: one client
 * sending many gets its turns between the others'. */
#define SERVER_REQUESTS_PER_TURN 16
/* Requests from peers other than root are list and getevents: small. */
#define SERVER_PEER_MAX_FRAME   (1u << 20)
/* Connections served at once; the next one is told so and closed. */
#define SERVER_MAX_CLIENTS      1000

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
	uint32_t watching;     /* the epoll events asked for (EPOLLIN, EPOLLOUT) */
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
/* A client became a subscriber (its response is queued after this returns). */
typedef void (*server_subscribe_fn)(void *ctx);

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
	bool accept_paused;           /* out of file descriptors: not accepting for a while */
	uint64_t paused_at;           /* CLOCK_MONOTONIC ns */
	bool full_warned;             /* SERVER_MAX_CLIENTS reached and logged */
	uint64_t dropped_by_departed; /* events dropped for clients that have left */
	uint64_t encode_failed;       /* events that could not be encoded: sent to nobody */
	size_t queue_max;
	const char *node_name;
	server_request_fn on_request;
	server_subscribe_fn on_subscribe; /* optional */
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
/* Writes what each client's socket takes now.  Events are otherwise sent
 * when the loop next sees a socket writable; a producer that runs for a
 * while (a ring buffer batch) calls this so the sockets never sit idle. */
void server_flush_all(struct server *s);

#endif /* RTENF_SERVER_H */
