/* SPDX-License-Identifier: GPL-2.0-only */
/* Comparing nanopb events with protobuf-c's reading of the same bytes. */
#ifndef RTENF_TEST_CODEC_TWIN_H
#define RTENF_TEST_CODEC_TWIN_H

#include <stddef.h>
#include <stdint.h>

#include "events.pb-c.h"
#include "events.pb.h"

/* Asserts that n and c hold the same event, every field. */
void cmp_event(const rtenf_Event *n, const Rtenf__Event *c);
/* Builds the protobuf-c twin of n and packs it (caller frees). */
uint8_t *pack_c_twin(const rtenf_Event *n, size_t *len);

#endif /* RTENF_TEST_CODEC_TWIN_H */
