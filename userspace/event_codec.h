/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rtenf.Event to protobuf bytes and back (nanopb).  The agent encodes each
 * event once and sends the same bytes to every client; clients and tests
 * decode.  Framing on the socket is wire.h's business, not this file's.
 */
#ifndef RTENF_EVENT_CODEC_H
#define RTENF_EVENT_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "events.pb.h"

/* Encodes ev into a new buffer the caller free()s.  Returns 0, or -EINVAL
 * when nanopb refuses the message (e.g. a oneof tag it does not know). */
int event_encode(const rtenf_Event *ev, uint8_t **out, size_t *len);

/* Decodes len bytes into ev, which need not be initialised.  Returns 0 (the
 * caller then owns ev and releases it with event_release), or -EPROTO, in
 * which case ev holds nothing to release. */
int event_decode(rtenf_Event *ev, const uint8_t *buf, size_t len);

/* Frees what decoding allocated and leaves ev empty; safe to call twice. */
void event_release(rtenf_Event *ev);

#endif /* RTENF_EVENT_CODEC_H */
