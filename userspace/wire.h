/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Frames on the agent's Unix socket: a little-endian uint32 byte count, then
 * one nanopb-encoded message (proto/api.proto, proto/events.proto).  Frames
 * larger than WIRE_MAX_FRAME are refused without reading them, so a hostile
 * peer cannot make either side allocate without bound.
 */
#ifndef RTENF_WIRE_H
#define RTENF_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <pb.h>

#define WIRE_MAX_FRAME (32u << 20) /* a policy with 10,000s of values fits */

/* Encodes msg as one frame (length prefix included) into a new buffer. */
int wire_encode(const pb_msgdesc_t *fields, const void *msg, uint8_t **out, size_t *len);
/* Decodes one frame payload (no prefix).  On failure msg is released. */
int wire_decode(const pb_msgdesc_t *fields, void *msg, const uint8_t *payload, size_t len);

/* Blocking I/O for clients.  timeout_ms < 0 waits forever.  Return 0, or
 * -ETIMEDOUT, -ECONNRESET (peer closed), -EPROTO (undecodable),
 * -EMSGSIZE (frame too large), or another -errno. */
int wire_send(int fd, const pb_msgdesc_t *fields, const void *msg);
int wire_recv(int fd, const pb_msgdesc_t *fields, void *msg, int timeout_ms);

/* Incremental reader for non-blocking sockets.  Its buffer grows with the
 * bytes that arrive, not with the length a frame announces, so a peer that
 * announces 32 MiB and sends 4 bytes costs 4 KiB. */
struct wire_reader {
	uint8_t *buf;
	size_t len;
	size_t cap;
	uint32_t max; /* largest frame accepted; 0: WIRE_MAX_FRAME */
};
/* Reads what the socket has, never past the end of the current frame.
 * Returns 1 when a whole frame is buffered (payload and len point into the
 * reader until wire_reader_consume), 0 when more bytes are needed, or a
 * -errno as wire_recv; with -EMSGSIZE, *len is the length announced. */
int wire_reader_poll(struct wire_reader *r, int fd, const uint8_t **payload, size_t *len);
void wire_reader_consume(struct wire_reader *r);
void wire_reader_free(struct wire_reader *r);
/* For clients that must keep up with a flood: one read for many frames.
 * Reads what the socket has (up to 1 MiB) and hands every whole frame's
 * payload to fn, keeping a partial one.  Returns the frames handed, 0 when
 * none was whole yet, or a -errno as wire_recv.  Do not mix with
 * wire_reader_poll on the same reader. */
int wire_reader_drain(struct wire_reader *r, int fd, void (*fn)(void *ctx, const uint8_t *payload, size_t len),
		      void *ctx);

/* The field number of the rtenf.Event oneof member an encoded event
 * carries (rtenf_Event_process_exec_tag, ...), found without decoding the
 * event; 0 if none. */
uint32_t wire_event_kind(const uint8_t *payload, size_t len);

#endif /* RTENF_WIRE_H */
