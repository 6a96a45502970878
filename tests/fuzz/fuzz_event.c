// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: an event as `rtenf getevents` receives it from the agent.
 * The bytes are decoded (event_decode), printed in both output formats (with
 * and without colour), judged by getevents filters, and re-encoded.
 *
 * Checked beyond memory safety: encoding is stable, so an event the client
 * decoded encodes to the same bytes after a second decode.
 * Seeds: the sample events of fuzz_samples.c, encoded (tests/fuzz/seed_gen.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_codec.h"
#include "event_filter.h"
#include "event_format.h"
#include "util.h"

static struct event_filter filters[3];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char *names[] = {"kill-unshare", ""};
	rtenf_EventType types[] = {rtenf_EventType_EVENT_TYPE_PROCESS_TRACEPOINT,
				   rtenf_EventType_EVENT_TYPE_PROCESS_LSM};
	rtenf_GetEventsRequest by_policy = {.policy_names = names, .policy_names_count = 2};
	rtenf_GetEventsRequest by_type = {.event_types = types, .event_types_count = 2};
	rtenf_GetEventsRequest by_binary = {.process_regex = "^/usr/(s)?bin/(cat|curl)$"};
	char err[256];

	(void)argc;
	(void)argv;
	if (event_filter_init(&filters[0], &by_policy, err, sizeof(err)) ||
	    event_filter_init(&filters[1], &by_type, err, sizeof(err)) ||
	    event_filter_init(&filters[2], &by_binary, err, sizeof(err)))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out = {0};
	uint8_t *enc1, *enc2;
	size_t len1, len2;
	rtenf_Event ev;

	if (event_decode(&ev, data, size))
		return 0;
	event_format(&out, &ev, EVENT_FORMAT_JSON, false);
	event_format(&out, &ev, EVENT_FORMAT_COMPACT, false);
	event_format(&out, &ev, EVENT_FORMAT_COMPACT, true);
	for (size_t i = 0; i < ARRAY_SIZE(filters); i++)
		(void)event_filter_match(&filters[i], &ev);
	if (!event_encode(&ev, &enc1, &len1)) {
		rtenf_Event again;

		if (event_decode(&again, enc1, len1)) {
			fprintf(stderr, "an encoded event does not decode\n");
			abort();
		}
		if (event_encode(&again, &enc2, &len2) || len1 != len2 || memcmp(enc1, enc2, len1)) {
			fprintf(stderr, "an event encodes differently after a round trip\n");
			abort();
		}
		free(enc2);
		event_release(&again);
		free(enc1);
	}
	event_release(&ev);
	sb_free(&out);
	return 0;
}
