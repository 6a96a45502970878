/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Ring buffer records made by hand for event_builder tests, and the event
 * they become, kept as the agent's stream would carry it.
 */
#ifndef RTENF_TEST_RECORD_FIXTURE_H
#define RTENF_TEST_RECORD_FIXTURE_H

#include <stddef.h>

#include "events.pb.h"
#include "util.h"

/* Appends one argument section (struct rtenf_msg_arg and its bytes). */
void record_put_arg(struct strbuf *r, unsigned type, const void *data, size_t len);

/* Replaces *kept with ev encoded and decoded again: the builder frees its
 * own event once the sink returns, and the round trip checks it encodes. */
void record_keep_event(rtenf_Event *kept, const rtenf_Event *ev);

#endif /* RTENF_TEST_RECORD_FIXTURE_H */
