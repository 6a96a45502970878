/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What events of different kinds have in common, read without caring which
 * kind it is: the process of any event, and the policy, action and
 * arguments of hook events (process_tracepoint, process_kprobe,
 * process_lsm, process_uprobe).  Used by the filters and the compact
 * format, so a new hook kind is added here once.
 */
#ifndef RTENF_EVENT_VIEW_H
#define RTENF_EVENT_VIEW_H

#include <stdbool.h>

#include "events.pb.h"

struct hook_view {
	const rtenf_Process *process;
	const char *policy_name;
	rtenf_KprobeAction action;
	rtenf_PolicyMode policy_mode;
	bool enforced;
	uint32_t signal;
	int32_t error; /* 0 for uprobes, which cannot override */
	const rtenf_KprobeArgument *args;
	pb_size_t args_count;
};

/* The process the event is about; NULL for lost_events and unknown kinds. */
const rtenf_Process *event_view_process(const rtenf_Event *ev);
/* Where an event keeps its ancestors: points *list and *count into ev and
 * returns true, or false for events without a process (lost_events). */
bool event_view_ancestors(rtenf_Event *ev, rtenf_Process ***list, pb_size_t **count);

/* Leaves ev's ancestors out (on a shallow copy: the list is not freed). */
void event_strip_ancestors(rtenf_Event *ev);

/* Fills v and returns true for hook events; false for the others. */
bool event_hook_view(const rtenf_Event *ev, struct hook_view *v);

#endif /* RTENF_EVENT_VIEW_H */
