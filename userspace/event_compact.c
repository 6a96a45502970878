// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events as one human line each, laid out like `tetra getevents -o compact`:
 *
 *   🚀 process vm /usr/bin/ls -la
 *   💥 exit    vm /usr/bin/ls -la 0
 *   ☠️  tracepoint vm /usr/bin/unshare syscalls/sys_enter_unshare 0x20000000 [kill-unshare] SIGKILL (audit)
 *   ⚠️  lost    kernel 12 events
 *
 * emoji and kind (padded to 7), source, binary, detail.  Colours follow
 * Tetragon's: blue kind, green source, magenta binary, cyan detail, red
 * status and action.
 *
 * Hook events (tracepoint, kprobe, lsm, uprobe) are in
 * event_compact_hooks.c and event_compact_kprobe.c, their arguments in
 * event_compact_args.c, the line and its terminal-safe text in
 * compact_line.c.
 */
#include <inttypes.h>
#include <string.h>

#include "compact_line.h"
#include "event_format.h"

static void compact_line(struct line *l, const rtenf_Event *ev)
{
	switch (ev->which_event) {
	case rtenf_Event_process_exec_tag: {
		const rtenf_ProcessExec *e = &ev->event.process_exec;

		line_kind(l, EMOJI_EXEC, "process", ANSI_BLUE);
		line_process(l, ev->node_name, e->process);
		if (e->process)
			line_text(l, e->process->arguments, ANSI_CYAN);
		break;
	}
	case rtenf_Event_process_exit_tag: {
		const rtenf_ProcessExit *e = &ev->event.process_exit;

		line_kind(l, EMOJI_EXIT, "exit", ANSI_BLUE);
		line_process(l, ev->node_name, e->process);
		if (e->process)
			line_text(l, e->process->arguments, ANSI_CYAN);
		if (e->signal && *e->signal)
			term_safe_str(&l->part, e->signal);
		else
			sb_printf(&l->part, "%" PRIu32, e->status);
		line_emit(l, ANSI_RED);
		break;
	}
	case rtenf_Event_process_kprobe_tag:
		compact_kprobe(l, ev);
		break;
	case rtenf_Event_process_tracepoint_tag:
		compact_tracepoint(l, ev);
		break;
	case rtenf_Event_process_uprobe_tag:
		compact_uprobe(l, ev);
		break;
	case rtenf_Event_process_lsm_tag:
		compact_lsm(l, ev);
		break;
	case rtenf_Event_lost_events_tag: {
		const rtenf_LostEvents *lost = &ev->event.lost_events;

		/* Loss must stand out: red, like Tetragon's throttle warning. */
		line_kind(l, EMOJI_LOST, "lost", ANSI_RED);
		line_text(l, lost->source, ANSI_GREEN);
		sb_printf(&l->part, "%" PRIu64 " %s", lost->count, lost->count == 1 ? "event" : "events");
		line_emit(l, ANSI_CYAN);
		break;
	}
	default:
		line_kind(l, EMOJI_UNKNOWN, "unknown", ANSI_BLUE);
		line_text(l, ev->node_name, ANSI_GREEN);
		break;
	}
}

void event_format_compact(struct strbuf *out, const rtenf_Event *ev, bool color)
{
	struct line l = {.out = out, .start = out->len, .color = color};

	compact_line(&l, ev);
	sb_putc(out, '\n');
	compact_stacks(out, ev);
	sb_free(&l.part);
}

int event_format_parse(const char *name, enum event_format *out)
{
	if (!name)
		return -1;
	if (!strcmp(name, "json")) {
		*out = EVENT_FORMAT_JSON;
		return 0;
	}
	if (!strcmp(name, "compact")) {
		*out = EVENT_FORMAT_COMPACT;
		return 0;
	}
	return -1;
}

void event_format(struct strbuf *out, const rtenf_Event *ev, enum event_format fmt, bool color)
{
	if (fmt == EVENT_FORMAT_JSON)
		event_format_json(out, ev);
	else
		event_format_compact(out, ev, color);
}
