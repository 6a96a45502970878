/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The filters of `rtenf getevents` (--policy, --event-types, --process),
 * applied by the agent per client so filtered-out events never cross the
 * socket.
 */
#ifndef RTENF_EVENT_FILTER_H
#define RTENF_EVENT_FILTER_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "api.pb.h"
#include "events.pb.h"

struct event_filter {
	char **policies;       /* hook events (any kind) of these policies only; none = all */
	size_t n_policies;
	unsigned long long type_mask; /* event_type_bit() of each type; 0 = all */
	bool has_regex;
	regex_t process_regex; /* on process.binary, for events of every kind */
	bool ancestors;        /* not a filter: the client wants events with their ancestors */
};

/* Returns 0, or -1 with a message in err (e.g. a bad regex). */
int event_filter_init(struct event_filter *f, const rtenf_GetEventsRequest *req, char *err, size_t errlen);
/* All set filters must pass.  lost_events records pass every filter, so a
 * client never has loss hidden from it. */
bool event_filter_match(const struct event_filter *f, const rtenf_Event *ev);
void event_filter_free(struct event_filter *f);

/* Event type names as the CLI accepts them: "process_exec", "process_exit",
 * "process_kprobe", "process_tracepoint", "process_uprobe", "process_lsm",
 * "lost_events", in any case ("PROCESS_KPROBE", as Tetragon's users write
 * them).  Returns EVENT_TYPE_UNDEF if unknown. */
rtenf_EventType event_type_from_name(const char *name);
const char *event_type_name(rtenf_EventType t);
/* The type of an event (from which_event). */
rtenf_EventType event_type_of(const rtenf_Event *ev);
/* The bit of type_mask for t.  Types number up to 100, past the 64 bits of
 * the mask: those from 63 on share bit 63 (today only lost_events). */
unsigned long long event_type_bit(rtenf_EventType t);

#endif /* RTENF_EVENT_FILTER_H */
