// SPDX-License-Identifier: GPL-2.0-only
#include "wire.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "util.h"

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* One pass, not two: nanopb already sizes every submessage before writing
 * it, so sizing the whole message first doubles the cost of every level
 * below (events nest five deep: most of the agent's time under a flood).
 * The buffer starts at the size that last worked and doubles when full. */
int wire_encode(const pb_msgdesc_t *fields, const void *msg, uint8_t **out, size_t *len)
{
	static _Thread_local size_t hint = 4096;
	size_t cap = hint;

	for (;;) {
		uint8_t *buf = xmalloc(cap);
		pb_ostream_t os = pb_ostream_from_buffer(buf + 4, cap - 4);

		if (pb_encode(&os, fields, msg)) {
			put_le32(buf, (uint32_t)os.bytes_written);
			*out = buf;
			*len = os.bytes_written + 4;
			return 0;
		}
		free(buf);
		/* full, or not encodable: only a bigger buffer can tell */
		if (cap >= WIRE_MAX_FRAME + 4)
			return os.bytes_written >= cap - 4 - 16 ? -EMSGSIZE : -EINVAL;
		cap = cap * 2 > WIRE_MAX_FRAME + 4 ? WIRE_MAX_FRAME + 4 : cap * 2;
		if (cap > hint && cap <= 65536) /* a rare big response stays rare */
			hint = cap;
	}
}

int wire_decode(const pb_msgdesc_t *fields, void *msg, const uint8_t *payload, size_t len)
{
	pb_istream_t is = pb_istream_from_buffer(payload, len);

	if (!pb_decode(&is, fields, msg)) {
		pb_release(fields, msg);
		return -EPROTO;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int wait_fd(int fd, short events, long long deadline)
{
	struct pollfd p = {.fd = fd, .events = events};
	int r;

	for (;;) {
		int timeout = -1;

		if (deadline >= 0) {
			long long left = deadline - now_ms();

			if (left <= 0)
				return -ETIMEDOUT;
			timeout = left > 1000000 ? 1000000 : (int)left;
		}
		r = poll(&p, 1, timeout);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

int wire_send(int fd, const pb_msgdesc_t *fields, const void *msg)
{
	uint8_t *buf;
	size_t len, off = 0;
	int r = wire_encode(fields, msg, &buf, &len);

	if (r)
		return r;
	while (off < len) {
		ssize_t n = send(fd, buf + off, len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			r = wait_fd(fd, POLLOUT, -1);
			if (r)
				break;
			continue;
		}
		if (n < 0) {
			r = errno == EPIPE ? -ECONNRESET : -errno;
			break;
		}
		off += (size_t)n;
	}
	free(buf);
	return r;
}

static int read_full(int fd, uint8_t *p, size_t len, long long deadline)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n;
		int r = wait_fd(fd, POLLIN, deadline);

		if (r)
			return r;
		n = read(fd, p + off, len - off);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		off += (size_t)n;
	}
	return 0;
}

int wire_recv(int fd, const pb_msgdesc_t *fields, void *msg, int timeout_ms)
{
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	uint8_t hdr[4], *buf;
	uint32_t len;
	int r;

	r = read_full(fd, hdr, sizeof(hdr), deadline);
	if (r)
		return r;
	len = get_le32(hdr);
	if (len > WIRE_MAX_FRAME)
		return -EMSGSIZE;
	buf = xmalloc(len);
	r = read_full(fd, buf, len, deadline);
	if (!r)
		r = wire_decode(fields, msg, buf, len);
	free(buf);
	return r;
}

int wire_reader_poll(struct wire_reader *r, int fd, const uint8_t **payload, size_t *len)
{
	uint32_t max = r->max ? r->max : WIRE_MAX_FRAME;

	for (;;) {
		size_t want;
		ssize_t n;

		if (r->len >= 4) {
			uint32_t flen = get_le32(r->buf);

			if (flen > max) {
				*len = flen;
				return -EMSGSIZE;
			}
			if (r->len >= 4 + (size_t)flen) {
				*payload = r->buf + 4;
				*len = flen;
				return 1;
			}
			want = 4 + (size_t)flen;
		} else {
			want = 4;
		}
		if (r->len == r->cap) {
			/* double as bytes come: memory follows what was sent */
			size_t cap = r->cap < 4096 ? 4096 : r->cap * 2;

			r->cap = cap < want ? cap : want;
			r->buf = xrealloc(r->buf, r->cap);
		}
		n = read(fd, r->buf + r->len, (want < r->cap ? want : r->cap) - r->len);
		if (n == 0)
			return -ECONNRESET;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		r->len += (size_t)n;
	}
}

void wire_reader_consume(struct wire_reader *r)
{
	uint32_t flen;

	if (r->len < 4)
		return;
	flen = get_le32(r->buf);
	if (r->len < 4 + (size_t)flen)
		return;
	memmove(r->buf, r->buf + 4 + flen, r->len - 4 - flen);
	r->len -= 4 + flen;
	if (r->cap > 65536 && r->len < 4096) {
		r->cap = 4096;
		r->buf = xrealloc(r->buf, r->cap);
	}
}

void wire_reader_free(struct wire_reader *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

int wire_reader_drain(struct wire_reader *r, int fd, void (*fn)(void *ctx, const uint8_t *payload, size_t len),
		      void *ctx)
{
	size_t off = 0;
	ssize_t n;
	int frames = 0;

	if (r->cap < (1u << 20)) {
		r->cap = 1u << 20;
		r->buf = xrealloc(r->buf, r->cap);
	}
	do
		n = read(fd, r->buf + r->len, r->cap - r->len);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return -ECONNRESET;
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	r->len += (size_t)n;
	while (r->len - off >= 4) {
		uint32_t flen = get_le32(r->buf + off);

		if (flen > WIRE_MAX_FRAME)
			return -EMSGSIZE;
		if (r->len - off - 4 < flen)
			break;
		fn(ctx, r->buf + off + 4, flen);
		off += 4 + (size_t)flen;
		frames++;
	}
	memmove(r->buf, r->buf + off, r->len - off);
	r->len -= off;
	if (r->len == r->cap) { /* one frame larger than the buffer */
		r->cap = 4 + (size_t)get_le32(r->buf);
		r->buf = xrealloc(r->buf, r->cap);
	}
	return frames;
}

uint32_t wire_event_kind(const uint8_t *payload, size_t len)
{
	pb_istream_t is = pb_istream_from_buffer(payload, len);
	pb_wire_type_t wt;
	uint32_t tag;
	bool eof;

	/* node_name and time (1000, 1001) may come first */
	while (pb_decode_tag(&is, &wt, &tag, &eof)) {
		if (tag < 1000)
			return tag;
		if (!pb_skip_field(&is, wt))
			break;
	}
	return 0;
}
