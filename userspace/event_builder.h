/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel records to rtenf.Event messages.  Keeps the process cache current
 * (exec, clone, exit records), names the policy and hook of each hook
 * record, decodes its arguments, and hands every finished event to a sink.
 * Record lengths are checked against what they claim, so a malformed record
 * is counted and skipped, never trusted.
 */
#ifndef RTENF_EVENT_BUILDER_H
#define RTENF_EVENT_BUILDER_H

#include <stddef.h>
#include <stdint.h>

#include "cgroup_scope.h"
#include "events.pb.h"
#include "policy_manager.h"
#include "policy_report.h"
#include "process_cache.h"

typedef void (*event_sink_fn)(void *ctx, const rtenf_Event *ev);

struct event_builder {
	struct process_cache *pc;
	const struct policy_manager *pm;
	event_sink_fn sink;
	void *sink_ctx;
	uint64_t records;     /* read from the ring buffer */
	uint64_t malformed;   /* skipped: shorter than they claim */
	uint64_t unknown_policy; /* hook records of a policy nobody remembers */
	bool ancestors;       /* add ancestors to events (some client asked) */
	struct cgroup_scopes *scopes; /* told of cgroups made and removed; may be NULL */
	struct report_book *report;   /* tallies hook events of live policies (rtenf report); may be NULL */
	struct kernel_symbols *ksyms; /* kallsyms, loaded at the first kernel stack */
};

/* Ancestors beyond this many are left out (a loop in a corrupt cache ends too). */
#define EVENT_ANCESTORS_MAX 64

void event_builder_init(struct event_builder *eb, struct process_cache *pc, const struct policy_manager *pm,
			event_sink_fn sink, void *sink_ctx);
/* Handles one ring buffer record; always returns 0 (a bad record is counted). */
int event_builder_handle(struct event_builder *eb, const void *data, size_t len);
/* Frees what the builder loaded on the way (kernel symbols). */
void event_builder_free(struct event_builder *eb);
/* Sends a LostEvents record through the sink. */
void event_builder_lost(struct event_builder *eb, uint64_t count, const char *source);

#endif /* RTENF_EVENT_BUILDER_H */
