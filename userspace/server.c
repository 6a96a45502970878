// SPDX-License-Identifier: GPL-2.0-only
#include "server.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>

#include "event_codec.h"
#include "event_view.h"
#include "log.h"
#include "request_check.h"
#include "util.h"

/* Encoded frames are shared between the queues of all clients that get them. */
struct shared_frame {
	unsigned refs;
	size_t len;
	uint8_t data[];
};

struct out_chunk {
	struct shared_frame *frame;
	bool is_event;
	struct out_chunk *next;
};

static struct shared_frame *frame_new(const uint8_t *data, size_t len)
{
	struct shared_frame *f = xmalloc(sizeof(*f) + len);

	f->refs = 1;
	f->len = len;
	memcpy(f->data, data, len);
	return f;
}

static void frame_put(struct shared_frame *f)
{
	if (f && --f->refs == 0)
		free(f);
}

static void client_ready(struct poll_handler *ph, uint32_t events);

/* Reads nothing more from a client being closed, or one whose responses
 * pile up unread. */
static bool reading(const struct server_client *c)
{
	return !c->closing && c->queued <= SERVER_RESPONSE_BACKLOG;
}

/* EPOLLIN while reading(), EPOLLOUT while something is queued: the loop
 * flushes on its next turn, many frames per system call.  Changed only
 * when that changes. */
static void watch(struct server_client *c)
{
	uint32_t ev = (reading(c) ? EPOLLIN : 0) | (c->head ? EPOLLOUT : 0);

	if (ev == c->watching || c->fd < 0)
		return;
	c->watching = ev;
	poll_loop_mod(c->srv->loop, c->fd, ev, &c->ph);
}

static void enqueue(struct server_client *c, struct shared_frame *f, bool is_event)
{
	struct out_chunk *ch = xmalloc(sizeof(*ch));

	f->refs++;
	ch->frame = f;
	ch->is_event = is_event;
	ch->next = NULL;
	if (c->tail)
		c->tail->next = ch;
	else
		c->head = ch;
	c->tail = ch;
	c->queued += f->len;
	watch(c);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void accept_resume(struct server *s)
{
	if (!s->accept_paused || s->listen_fd < 0)
		return;
	s->accept_paused = false;
	poll_loop_mod(s->loop, s->listen_fd, EPOLLIN, &s->ph);
}

static void client_destroy(struct server *s, struct server_client *c)
{
	struct out_chunk *ch, *next;

	accept_resume(s); /* a file descriptor is free again */
	if (c->fd >= 0) {
		poll_loop_del(s->loop, c->fd);
		close(c->fd);
	}
	for (ch = c->head; ch; ch = next) {
		next = ch->next;
		frame_put(ch->frame);
		free(ch);
	}
	if (c->streaming)
		event_filter_free(&c->filter);
	wire_reader_free(&c->rd);
	s->dropped_by_departed += c->dropped_unreported;
	free(c);
}

/* The client may still have a readiness event pending in this epoll batch:
 * close it now, free it in server_reap(). */
static void client_close(struct server_client *c)
{
	struct server *s = c->srv;

	for (size_t i = 0; i < s->n_clients; i++) {
		if (s->clients[i] == c) {
			s->clients[i] = s->clients[--s->n_clients];
			break;
		}
	}
	log_debug("client %u (pid %d) disconnected", c->id, (int)c->pid);
	poll_loop_del(s->loop, c->fd);
	close(c->fd);
	c->fd = -1;
	*VEC_PUSH(s->dead, s->n_dead) = c;
}

void server_reap(struct server *s)
{
	if (s->accept_paused && mono_ns() - s->paused_at >= 1000000000ull)
		accept_resume(s);
	for (size_t i = 0; i < s->n_dead; i++)
		client_destroy(s, s->dead[i]);
	free(s->dead);
	s->dead = NULL;
	s->n_dead = 0;
}

static struct shared_frame *encode_frame(const pb_msgdesc_t *fields, const void *msg)
{
	struct shared_frame *f;
	uint8_t *buf;
	size_t len;

	if (wire_encode(fields, msg, &buf, &len))
		return NULL;
	f = frame_new(buf, len);
	free(buf);
	return f;
}

static void queue_lost_report(struct server_client *c)
{
	rtenf_Event ev = {0};
	struct shared_frame *f;

	ev.which_event = rtenf_Event_lost_events_tag;
	ev.event.lost_events.count = c->dropped_unreported;
	ev.event.lost_events.source = "client";
	ev.node_name = (char *)c->srv->node_name;
	f = encode_frame(rtenf_Event_fields, &ev);
	if (!f)
		return;
	enqueue(c, f, true);
	frame_put(f);
	c->dropped_unreported = 0;
}

#define FLUSH_IOV 64

/* Writes what the socket takes, up to FLUSH_IOV frames per system call.
 * Returns false if the client is gone. */
static bool flush(struct server_client *c)
{
	while (c->head) {
		struct iovec iov[FLUSH_IOV];
		struct msghdr msg = {.msg_iov = iov};
		struct out_chunk *ch = c->head;
		ssize_t n;

		for (size_t off = c->head_off; ch && msg.msg_iovlen < FLUSH_IOV; ch = ch->next, off = 0) {
			iov[msg.msg_iovlen].iov_base = ch->frame->data + off;
			iov[msg.msg_iovlen++].iov_len = ch->frame->len - off;
		}
		n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			return false;
		}
		/* retire the frames written whole */
		while (c->head && (size_t)n >= c->head->frame->len - c->head_off) {
			ch = c->head;
			n -= (ssize_t)(ch->frame->len - c->head_off);
			c->head_off = 0;
			c->queued -= ch->frame->len;
			c->head = ch->next;
			if (!c->head)
				c->tail = NULL;
			if (ch->is_event)
				c->sent++;
			frame_put(ch->frame);
			free(ch);
		}
		c->head_off += (size_t)n;
		/* caught up: now say what was lost, before anything newer */
		if (!c->head && c->dropped_unreported)
			queue_lost_report(c);
	}
	if (!c->head && c->closing)
		return false;
	watch(c);
	return true;
}

static void respond(struct server_client *c, rtenf_Response *resp)
{
	struct shared_frame *f = encode_frame(rtenf_Response_fields, resp);

	if (!f) {
		rtenf_Response fallback = rtenf_Response_init_zero;

		fallback.error = "the response was too large to encode";
		f = encode_frame(rtenf_Response_fields, &fallback);
	}
	if (f) {
		enqueue(c, f, false);
		frame_put(f);
	}
}

static void handle_request(struct server_client *c, const uint8_t *payload, size_t len)
{
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp = rtenf_Response_init_zero;
	char err[256];

	if (c->streaming)
		return; /* a streaming connection only receives */
	if (request_decode(payload, len, &req, &resp.error)) {
		c->closing = true;
	} else if (request_check(&req, c->uid, &resp.error)) {
		/* refused: resp.error says why */
	} else if (req.which_request == rtenf_Request_get_events_tag) {
		if (event_filter_init(&c->filter, &req.request.get_events, err, sizeof(err))) {
			resp.error = xstrdup(err);
		} else {
			c->streaming = true;
			resp.ok = true;
			if (c->srv->on_subscribe)
				c->srv->on_subscribe(c->srv->ctx);
		}
	} else {
		c->srv->on_request(c->srv->ctx, c, &req, &resp);
	}
	respond(c, &resp);
	pb_release(rtenf_Response_fields, &resp);
	pb_release(rtenf_Request_fields, &req);
}

/* The frame announced more than this peer may send: say so, read nothing
 * more, close once the answer is out. */
static void refuse_oversized(struct server_client *c, size_t announced)
{
	rtenf_Response resp = rtenf_Response_init_zero;

	log_warn("client %u (pid %d, uid %u) announced a request of %zu bytes, over its limit of %u; closing it",
		 c->id, (int)c->pid, (unsigned)c->uid, announced, c->rd.max);
	resp.error = xasprintf("request of %zu bytes refused: the limit is %u bytes%s", announced, c->rd.max,
			       c->uid ? " for peers other than root" : "");
	respond(c, &resp);
	pb_release(rtenf_Response_fields, &resp);
	c->closing = true;
}

static void client_ready(struct poll_handler *ph, uint32_t events)
{
	struct server_client *c = (struct server_client *)ph;

	if (c->fd < 0)
		return; /* closed earlier in this batch */
	if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && reading(c)) {
		/* epoll is level-triggered: what is left waits for the next turn */
		for (int turn = 0; turn < SERVER_REQUESTS_PER_TURN && reading(c); turn++) {
			const uint8_t *payload;
			size_t len;
			int r = wire_reader_poll(&c->rd, c->fd, &payload, &len);

			if (r == 0)
				break;
			if (r == -EMSGSIZE) {
				refuse_oversized(c, len);
				break;
			}
			if (r < 0) {
				client_close(c); /* gone, maybe half way through a frame */
				return;
			}
			handle_request(c, payload, len);
			wire_reader_consume(&c->rd);
		}
	}
	if (!flush(c))
		client_close(c);
}

/* Out of file descriptors: the pending connection stays readable, so a
 * level-triggered epoll would spin.  Stop listening until a client leaves
 * or a second has passed (server_reap). */
static void accept_pause(struct server *s, int err)
{
	log_warn("cannot accept clients: %s; trying again when one leaves or in a second", strerror(err));
	s->accept_paused = true;
	s->paused_at = mono_ns();
	poll_loop_mod(s->loop, s->listen_fd, 0, &s->ph);
}

/* Over SERVER_MAX_CLIENTS: one error frame if the socket takes it, then close. */
static void refuse_client(struct server *s, int fd, const struct ucred *cred)
{
	rtenf_Response resp = rtenf_Response_init_zero;
	uint8_t *buf;
	size_t len;

	if (!s->full_warned)
		log_warn("%d clients connected: refusing more (pid %d, uid %u first)", SERVER_MAX_CLIENTS,
			 (int)cred->pid, (unsigned)cred->uid);
	s->full_warned = true;
	resp.error = xasprintf("the agent serves at most %d clients at once; try again later", SERVER_MAX_CLIENTS);
	if (!wire_encode(rtenf_Response_fields, &resp, &buf, &len)) {
		if (send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			log_debug("could not tell a refused client why: %s", strerror(errno));
		free(buf);
	}
	free(resp.error);
	close(fd);
}

static void listen_ready(struct poll_handler *ph, uint32_t events)
{
	struct server *s = (struct server *)ph;

	(void)events;
	for (;;) {
		struct server_client *c;
		struct ucred cred;
		socklen_t clen = sizeof(cred);
		int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				accept_pause(s, errno);
			return;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen)) {
			close(fd);
			continue;
		}
		if (s->n_clients >= SERVER_MAX_CLIENTS) {
			refuse_client(s, fd, &cred);
			continue;
		}
		s->full_warned = false;
		c = xcalloc(1, sizeof(*c));
		c->ph.on_ready = client_ready;
		c->srv = s;
		c->fd = fd;
		c->id = s->next_id++;
		c->pid = cred.pid;
		c->uid = cred.uid;
		c->rd.max = cred.uid ? SERVER_PEER_MAX_FRAME : WIRE_MAX_FRAME;
		*VEC_PUSH(s->clients, s->n_clients) = c;
		c->watching = EPOLLIN;
		poll_loop_add(s->loop, fd, EPOLLIN, &c->ph);
		log_debug("client %u connected (pid %d, uid %u)", c->id, (int)c->pid, (unsigned)c->uid);
	}
}

static int mkdir_parent(const char *path)
{
	char *copy = xstrdup(path), *dir = dirname(copy);
	int r = 0;

	if (mkdir(dir, 0755) && errno != EEXIST)
		r = -errno;
	free(copy);
	return r;
}

int server_open(struct server *s, struct poll_loop *loop, const char *path, const char *node_name,
		server_request_fn on_request, void *ctx, char *err, size_t errlen)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, r;

	memset(s, 0, sizeof(*s));
	s->ph.on_ready = listen_ready;
	s->loop = loop;
	s->listen_fd = -1;
	s->next_id = 1;
	s->queue_max = SERVER_CLIENT_QUEUE_MAX;
	s->node_name = node_name;
	s->on_request = on_request;
	s->ctx = ctx;
	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "socket path %s is too long (at most %zu bytes)", path, sizeof(sa.sun_path) - 1);
		return -ENAMETOOLONG;
	}
	strcpy(sa.sun_path, path);
	r = mkdir_parent(path);
	if (r) {
		snprintf(err, errlen, "cannot create the directory of %s: %s", path, strerror(-r));
		return r;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* a socket file left by a dead agent is removed; a live agent is not */
	if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		snprintf(err, errlen, "another rtenf agent is already listening on %s", path);
		return -EADDRINUSE;
	}
	close(fd);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600) || listen(fd, 64)) {
		r = -errno;
		snprintf(err, errlen, "cannot listen on %s: %s", path, strerror(-r));
		close(fd);
		unlink(path);
		return r;
	}
	s->listen_fd = fd;
	s->path = xstrdup(path);
	r = poll_loop_add(loop, fd, EPOLLIN, &s->ph);
	if (r) {
		snprintf(err, errlen, "epoll: %s", strerror(-r));
		server_close(s);
	}
	return r;
}

void server_close(struct server *s)
{
	for (size_t i = 0; i < s->n_clients; i++)
		client_destroy(s, s->clients[i]);
	server_reap(s);
	free(s->clients);
	s->clients = NULL;
	s->n_clients = 0;
	if (s->listen_fd >= 0) {
		poll_loop_del(s->loop, s->listen_fd);
		close(s->listen_fd);
		unlink(s->path);
	}
	s->listen_fd = -1;
	free(s->path);
	s->path = NULL;
}

/* The frames of one event: encoded when the first client needs each.
 * without: the same event with its ancestors left out. */
struct event_frames {
	const rtenf_Event *ev;
	bool has_ancestors;
	struct shared_frame *with, *without;
	bool failed;
};

static struct shared_frame *frame_for(struct event_frames *ef, const struct server_client *c)
{
	if (!ef->has_ancestors || c->filter.ancestors) {
		if (!ef->with && !ef->failed)
			ef->with = encode_frame(rtenf_Event_fields, ef->ev);
		ef->failed |= !ef->with;
		return ef->with;
	}
	if (!ef->without && !ef->failed) {
		rtenf_Event bare = *ef->ev;

		event_strip_ancestors(&bare);
		ef->without = encode_frame(rtenf_Event_fields, &bare);
	}
	ef->failed |= !ef->without;
	return ef->without;
}

static void deliver(struct server *s, struct event_frames *ef, struct shared_frame *lost)
{
	for (size_t i = 0; i < s->n_clients;) {
		struct server_client *c = s->clients[i];
		struct shared_frame *f;

		if (!c->streaming || c->closing || (ef && !event_filter_match(&c->filter, ef->ev))) {
			i++;
			continue;
		}
		f = ef ? frame_for(ef, c) : lost;
		if (!f) {
			i++;
			continue;
		}
		/* lost-events records are tiny and rare (one a second at most):
		 * always queued, so a slow client still learns every count */
		if (c->queued + f->len > s->queue_max && ef && ef->ev->which_event != rtenf_Event_lost_events_tag) {
			c->dropped++;
			c->dropped_unreported++;
			i++;
			continue;
		}
		enqueue(c, f, true); /* sent on the loop's next turn */
		i++;
	}
}

void server_broadcast(struct server *s, const rtenf_Event *ev)
{
	struct event_frames ef = {.ev = ev};
	rtenf_Process **list;
	pb_size_t *count;

	if (!server_streaming_clients(s))
		return;
	ef.has_ancestors = event_view_ancestors((rtenf_Event *)ev, &list, &count) && *count > 0;
	deliver(s, &ef, NULL);
	if (ef.failed) {
		s->encode_failed++;
		log_warn("could not encode an event; skipped (counted in agent drops)");
	}
	frame_put(ef.with);
	frame_put(ef.without);
}

bool server_wants_ancestors(const struct server *s)
{
	for (size_t i = 0; i < s->n_clients; i++)
		if (s->clients[i]->streaming && s->clients[i]->filter.ancestors)
			return true;
	return false;
}

void server_broadcast_lost(struct server *s, uint64_t count, const char *source)
{
	rtenf_Event ev = {0};
	struct shared_frame *f;

	ev.which_event = rtenf_Event_lost_events_tag;
	ev.event.lost_events.count = count;
	ev.event.lost_events.source = (char *)source;
	ev.node_name = (char *)s->node_name;
	f = encode_frame(rtenf_Event_fields, &ev);
	if (!f)
		return;
	deliver(s, NULL, f);
	frame_put(f);
}

void server_flush_all(struct server *s)
{
	for (size_t i = 0; i < s->n_clients;) {
		struct server_client *c = s->clients[i];

		if (c->head && !flush(c)) {
			client_close(c); /* swaps the last client into slot i */
			continue;
		}
		i++;
	}
}

size_t server_streaming_clients(const struct server *s)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_clients; i++)
		n += s->clients[i]->streaming;
	return n;
}
