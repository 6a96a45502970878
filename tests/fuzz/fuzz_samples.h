/* SPDX-License-Identifier: GPL-2.0-only */
/* A few events of every kind for the fuzzers' filters to judge (built once
 * with tests/unit/event_fixtures). */
#ifndef RTENF_FUZZ_SAMPLES_H
#define RTENF_FUZZ_SAMPLES_H

#include <stddef.h>

#include "events.pb.h"

const rtenf_Event *fuzz_sample_events(size_t *n);

#endif /* RTENF_FUZZ_SAMPLES_H */
