// SPDX-License-Identifier: GPL-2.0-only
#include "event_filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "event_view.h"
#include "util.h"

static const struct {
	rtenf_EventType type;
	const char *name;
} event_types[] = {
	{rtenf_EventType_EVENT_TYPE_PROCESS_EXEC, "process_exec"},
	{rtenf_EventType_EVENT_TYPE_PROCESS_EXIT, "process_exit"},
	{rtenf_EventType_EVENT_TYPE_PROCESS_KPROBE, "process_kprobe"},
	{rtenf_EventType_EVENT_TYPE_PROCESS_TRACEPOINT, "process_tracepoint"},
	{rtenf_EventType_EVENT_TYPE_PROCESS_UPROBE, "process_uprobe"},
	{rtenf_EventType_EVENT_TYPE_PROCESS_LSM, "process_lsm"},
	{rtenf_EventType_EVENT_TYPE_LOST_EVENTS, "lost_events"},
};

rtenf_EventType event_type_from_name(const char *name)
{
	if (!name)
		return rtenf_EventType_EVENT_TYPE_UNDEF;
	/* Tetragon's users write PROCESS_EXEC (its enum spelling). */
	for (size_t i = 0; i < ARRAY_SIZE(event_types); i++)
		if (!strcasecmp(event_types[i].name, name))
			return event_types[i].type;
	return rtenf_EventType_EVENT_TYPE_UNDEF;
}

const char *event_type_name(rtenf_EventType t)
{
	for (size_t i = 0; i < ARRAY_SIZE(event_types); i++)
		if (event_types[i].type == t)
			return event_types[i].name;
	return NULL;
}

rtenf_EventType event_type_of(const rtenf_Event *ev)
{
	switch (ev->which_event) {
	case rtenf_Event_process_exec_tag:
		return rtenf_EventType_EVENT_TYPE_PROCESS_EXEC;
	case rtenf_Event_process_exit_tag:
		return rtenf_EventType_EVENT_TYPE_PROCESS_EXIT;
	case rtenf_Event_process_kprobe_tag:
		return rtenf_EventType_EVENT_TYPE_PROCESS_KPROBE;
	case rtenf_Event_process_tracepoint_tag:
		return rtenf_EventType_EVENT_TYPE_PROCESS_TRACEPOINT;
	case rtenf_Event_process_uprobe_tag:
		return rtenf_EventType_EVENT_TYPE_PROCESS_UPROBE;
	case rtenf_Event_process_lsm_tag:
		return rtenf_EventType_EVENT_TYPE_PROCESS_LSM;
	case rtenf_Event_lost_events_tag:
		return rtenf_EventType_EVENT_TYPE_LOST_EVENTS;
	default:
		return rtenf_EventType_EVENT_TYPE_UNDEF;
	}
}

unsigned long long event_type_bit(rtenf_EventType t)
{
	unsigned n = (unsigned)t;

	return 1ull << (n < 63 ? n : 63);
}

int event_filter_init(struct event_filter *f, const rtenf_GetEventsRequest *req, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	f->ancestors = req->ancestors;

	for (pb_size_t i = 0; i < req->event_types_count; i++) {
		rtenf_EventType t = req->event_types[i];

		if (!event_type_name(t)) {
			char known[160];
			size_t len = 0;

			/* From the table, so the message never misses a type. */
			for (size_t k = 0; k < ARRAY_SIZE(event_types) && len < sizeof(known); k++)
				len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s", k ? ", " : "",
							event_types[k].name);
			snprintf(err, errlen, "unknown event type %d; known: %s", (int)t, known);
			return -1;
		}
		f->type_mask |= event_type_bit(t);
	}

	if (req->process_regex && *req->process_regex) {
		int rc = regcomp(&f->process_regex, req->process_regex, REG_EXTENDED | REG_NOSUB);

		if (rc) {
			char msg[256];

			regerror(rc, &f->process_regex, msg, sizeof(msg));
			snprintf(err, errlen, "invalid process regex \"%s\": %s", req->process_regex, msg);
			return -1;
		}
		f->has_regex = true;
	}

	if (req->policy_names_count) {
		f->policies = xcalloc(req->policy_names_count, sizeof(*f->policies));
		for (pb_size_t i = 0; i < req->policy_names_count; i++)
			f->policies[i] = xstrdup(req->policy_names[i] ? req->policy_names[i] : "");
		f->n_policies = req->policy_names_count;
	}
	return 0;
}

static bool policy_listed(const struct event_filter *f, const char *name)
{
	if (!name)
		name = "";
	for (size_t i = 0; i < f->n_policies; i++)
		if (!strcmp(f->policies[i], name))
			return true;
	return false;
}

bool event_filter_match(const struct event_filter *f, const rtenf_Event *ev)
{
	rtenf_EventType type = event_type_of(ev);
	const rtenf_Process *p;
	struct hook_view hook;

	if (type == rtenf_EventType_EVENT_TYPE_LOST_EVENTS)
		return true;
	if (f->type_mask && !(f->type_mask & event_type_bit(type)))
		return false;
	/* Only hook events belong to a policy: with a policy filter set,
	 * exec and exit events are not wanted. */
	if (f->n_policies) {
		if (!event_hook_view(ev, &hook))
			return false;
		if (!policy_listed(f, hook.policy_name))
			return false;
	}
	if (f->has_regex) {
		p = event_view_process(ev);
		/* An event without a binary is matched as the empty string. */
		if (regexec(&f->process_regex, p && p->binary ? p->binary : "", 0, NULL, 0))
			return false;
	}
	return true;
}

void event_filter_free(struct event_filter *f)
{
	for (size_t i = 0; i < f->n_policies; i++)
		free(f->policies[i]);
	free(f->policies);
	if (f->has_regex)
		regfree(&f->process_regex);
	memset(f, 0, sizeof(*f));
}
