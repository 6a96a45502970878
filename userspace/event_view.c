// SPDX-License-Identifier: GPL-2.0-only
#include "event_view.h"

#include <string.h>

const rtenf_Process *event_view_process(const rtenf_Event *ev)
{
	struct hook_view v;

	switch (ev->which_event) {
	case rtenf_Event_process_exec_tag:
		return ev->event.process_exec.process;
	case rtenf_Event_process_exit_tag:
		return ev->event.process_exit.process;
	default:
		return event_hook_view(ev, &v) ? v.process : NULL;
	}
}

#define ANCESTORS_OF(m, list, count)                                                                                   \
	do {                                                                                                           \
		*(list) = &(m)->ancestors;                                                                             \
		*(count) = &(m)->ancestors_count;                                                                      \
	} while (0)

bool event_view_ancestors(rtenf_Event *ev, rtenf_Process ***list, pb_size_t **count)
{
	switch (ev->which_event) {
	case rtenf_Event_process_exec_tag:
		ANCESTORS_OF(&ev->event.process_exec, list, count);
		return true;
	case rtenf_Event_process_exit_tag:
		ANCESTORS_OF(&ev->event.process_exit, list, count);
		return true;
	case rtenf_Event_process_tracepoint_tag:
		ANCESTORS_OF(&ev->event.process_tracepoint, list, count);
		return true;
	case rtenf_Event_process_kprobe_tag:
		ANCESTORS_OF(&ev->event.process_kprobe, list, count);
		return true;
	case rtenf_Event_process_lsm_tag:
		ANCESTORS_OF(&ev->event.process_lsm, list, count);
		return true;
	case rtenf_Event_process_uprobe_tag:
		ANCESTORS_OF(&ev->event.process_uprobe, list, count);
		return true;
	default:
		return false;
	}
}

void event_strip_ancestors(rtenf_Event *ev)
{
	rtenf_Process **list;
	pb_size_t *count;

	if (event_view_ancestors(ev, &list, &count))
		*count = 0;
}

/* The hook messages share field names but not a type: copy the same
 * fields out of each. */
#define HOOK_VIEW(v, m)                                                                                                \
	do {                                                                                                           \
		(v)->process = (m)->process;                                                                           \
		(v)->policy_name = (m)->policy_name;                                                                   \
		(v)->action = (m)->action;                                                                             \
		(v)->policy_mode = (m)->policy_mode;                                                                   \
		(v)->enforced = (m)->enforced;                                                                         \
		(v)->signal = (m)->signal;                                                                             \
		(v)->args = (m)->args;                                                                                 \
		(v)->args_count = (m)->args_count;                                                                     \
	} while (0)

bool event_hook_view(const rtenf_Event *ev, struct hook_view *v)
{
	memset(v, 0, sizeof(*v));
	switch (ev->which_event) {
	case rtenf_Event_process_tracepoint_tag:
		HOOK_VIEW(v, &ev->event.process_tracepoint);
		v->error = ev->event.process_tracepoint.error;
		return true;
	case rtenf_Event_process_kprobe_tag:
		HOOK_VIEW(v, &ev->event.process_kprobe);
		v->error = ev->event.process_kprobe.error;
		return true;
	case rtenf_Event_process_lsm_tag:
		HOOK_VIEW(v, &ev->event.process_lsm);
		v->error = ev->event.process_lsm.error;
		return true;
	case rtenf_Event_process_uprobe_tag:
		HOOK_VIEW(v, &ev->event.process_uprobe);
		return true;
	default:
		return false;
	}
}
