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
 * Everything after the kind can be chosen by whoever runs the process
 * (file names, arguments, strings read from memory), and this line goes to
 * a terminal: control characters, invalid UTF-8 and bidirectional
 * overrides are written as escapes so such text can neither inject
 * terminal sequences nor disguise itself.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "event_format.h"
#include "names.h"
#include "utf8.h"

#define ANSI_RED     "\x1b[31m"
#define ANSI_GREEN   "\x1b[32m"
#define ANSI_BLUE    "\x1b[34m"
#define ANSI_MAGENTA "\x1b[35m"
#define ANSI_CYAN    "\x1b[36m"
#define ANSI_RESET   "\x1b[0m"

/* Emoji that terminals may draw one cell wide get a second space, so the
 * kind column stays aligned. */
#define EMOJI_EXEC     "🚀 "
#define EMOJI_EXIT     "💥 "
#define EMOJI_OBSERVE  "⁉️  "
#define EMOJI_KILL     "☠️  "
#define EMOJI_OVERRIDE "🚫 "
#define EMOJI_LOST     "⚠️  "
#define EMOJI_UNKNOWN  "❓ "

/* How many bytes of a bytes_arg to show: it is a buffer, not a name. */
#define BYTES_SHOWN 64

struct line {
	struct strbuf *out;
	size_t start; /* where this line begins in out */
	bool color;
	struct strbuf part; /* the field being built */
};

/* Appends the finished part, space-separated and coloured; empty parts are
 * skipped so a missing field does not leave double spaces. */
static void line_emit(struct line *l, const char *ansi)
{
	if (!l->part.len)
		return;
	if (l->out->len > l->start)
		sb_putc(l->out, ' ');
	if (l->color && ansi)
		sb_puts(l->out, ansi);
	sb_append(l->out, l->part.buf, l->part.len);
	if (l->color && ansi)
		sb_puts(l->out, ANSI_RESET);
	sb_reset(&l->part);
}

static bool is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e ||
	       cp == 0x200f || cp == 0x061c;
}

/* Appends untrusted text with terminal-safe escapes. */
static void put_safe(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		size_t seq, bad;
		uint32_t cp;

		if (p[i] >= 0x20 && p[i] < 0x7f) {
			sb_putc(sb, (char)p[i++]);
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			sb_printf(sb, "\\x%02x", p[i++]);
			continue;
		}
		seq = utf8_decode(p + i, len - i, &cp, &bad);
		if (!seq) {
			for (size_t k = 0; k < bad; k++)
				sb_printf(sb, "\\x%02x", p[i + k]);
			i += bad;
		} else if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp)) {
			sb_printf(sb, "\\u%04" PRIx32, cp);
			i += seq;
		} else {
			sb_append(sb, s + i, seq);
			i += seq;
		}
	}
}

static void put_safe_str(struct strbuf *sb, const char *s)
{
	if (s)
		put_safe(sb, s, strlen(s));
}

static void emit_kind(struct line *l, const char *emoji, const char *kind, const char *ansi)
{
	sb_printf(&l->part, "%s%-7s", emoji, kind);
	line_emit(l, ansi);
}

static void emit_text(struct line *l, const char *s, const char *ansi)
{
	put_safe_str(&l->part, s);
	line_emit(l, ansi);
}

/* Source and binary, as Tetragon's ProcessInfo (without pods: rtenf runs on
 * one node and prints its name). */
static void emit_process(struct line *l, const char *node, const rtenf_Process *p)
{
	emit_text(l, node, ANSI_GREEN);
	if (p)
		emit_text(l, p->binary, ANSI_MAGENTA);
}

static void put_argument(struct strbuf *sb, const rtenf_KprobeArgument *a)
{
	if (a->label && *a->label) {
		put_safe_str(sb, a->label);
		sb_putc(sb, '=');
	}
	switch (a->which_arg) {
	case rtenf_KprobeArgument_string_arg_tag:
		put_safe_str(sb, a->arg.string_arg);
		break;
	case rtenf_KprobeArgument_int_arg_tag:
		sb_printf(sb, "%" PRId32, a->arg.int_arg);
		break;
	case rtenf_KprobeArgument_uint_arg_tag:
		sb_printf(sb, "%" PRIu32, a->arg.uint_arg);
		break;
	case rtenf_KprobeArgument_long_arg_tag:
		sb_printf(sb, "%" PRId64, a->arg.long_arg);
		break;
	case rtenf_KprobeArgument_size_arg_tag:
		/* Unsigned 64-bit syscall arguments are mostly flag words
		 * (unshare, clone, mmap): hex shows their bits. */
		sb_printf(sb, "0x%" PRIx64, a->arg.size_arg);
		break;
	case rtenf_KprobeArgument_bytes_arg_tag: {
		const pb_bytes_array_t *b = a->arg.bytes_arg;
		size_t n = b ? b->size : 0;

		sb_putc(sb, '"');
		if (b)
			put_safe(sb, (const char *)b->bytes, n < BYTES_SHOWN ? n : BYTES_SHOWN);
		sb_putc(sb, '"');
		if (n > BYTES_SHOWN && !a->truncated)
			sb_puts(sb, "...");
		break;
	}
	default:
		sb_putc(sb, '?');
		break;
	}
	if (a->truncated)
		sb_puts(sb, "...");
}

static bool action_is_signal(rtenf_KprobeAction a)
{
	return a == rtenf_KprobeAction_KPROBE_ACTION_SIGKILL || a == rtenf_KprobeAction_KPROBE_ACTION_SIGNAL;
}

/* Actions that change what the process can do, as opposed to reporting. */
static bool action_is_enforcing(rtenf_KprobeAction a)
{
	return action_is_signal(a) || a == rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE;
}

/* "SIGKILL", "SIGUSR1", "OVERRIDE -EPERM"; nothing for actions that only
 * report (POST), which would be noise on every line. */
static void put_action(struct strbuf *sb, const rtenf_ProcessTracepoint *t)
{
	const char *name;

	switch (t->action) {
	case rtenf_KprobeAction_KPROBE_ACTION_UNKNOWN:
	case rtenf_KprobeAction_KPROBE_ACTION_POST:
	case rtenf_KprobeAction_KPROBE_ACTION_NOPOST:
		return;
	case rtenf_KprobeAction_KPROBE_ACTION_SIGKILL:
		sb_puts(sb, "SIGKILL");
		return;
	case rtenf_KprobeAction_KPROBE_ACTION_SIGNAL:
		name = signal_name(t->signal);
		if (name)
			sb_puts(sb, name);
		else if (t->signal)
			sb_printf(sb, "SIGNAL %" PRIu32, t->signal);
		else
			sb_puts(sb, "SIGNAL");
		return;
	case rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE:
		sb_puts(sb, "OVERRIDE");
		if (t->error) {
			int e = t->error < 0 ? -t->error : t->error;
			const char *ename = strerrorname_np(e);

			sb_puts(sb, t->error < 0 ? " -" : " ");
			if (ename)
				sb_puts(sb, ename);
			else
				sb_printf(sb, "%d", e);
		}
		return;
	default:
		/* FOLLOWFD and friends: the enum name without its prefix. */
		name = kprobe_action_name(t->action);
		sb_puts(sb, name + strlen("KPROBE_ACTION_"));
		return;
	}
}

static void compact_tracepoint(struct line *l, const rtenf_Event *ev)
{
	const rtenf_ProcessTracepoint *t = &ev->event.process_tracepoint;
	const char *emoji = EMOJI_OBSERVE;

	if (action_is_signal(t->action))
		emoji = EMOJI_KILL;
	else if (t->action == rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE)
		emoji = EMOJI_OVERRIDE;
	emit_kind(l, emoji, "tracepoint", ANSI_BLUE);
	emit_process(l, ev->node_name, t->process);

	/* Detail: subsys/event and the arguments, one cyan stretch. */
	put_safe_str(&l->part, t->subsys);
	if (t->event && *t->event) {
		sb_putc(&l->part, '/');
		put_safe_str(&l->part, t->event);
	}
	for (pb_size_t i = 0; i < t->args_count; i++) {
		if (l->part.len)
			sb_putc(&l->part, ' ');
		put_argument(&l->part, &t->args[i]);
	}
	line_emit(l, ANSI_CYAN);

	if (t->policy_name && *t->policy_name) {
		sb_putc(&l->part, '[');
		put_safe_str(&l->part, t->policy_name);
		sb_putc(&l->part, ']');
		line_emit(l, NULL);
	}
	put_action(&l->part, t);
	line_emit(l, ANSI_RED);
	/* Say when an enforcing action did not happen, and why. */
	if (action_is_enforcing(t->action) && !t->enforced) {
		if (t->policy_mode == rtenf_PolicyMode_POLICY_MODE_AUDIT)
			sb_puts(&l->part, "(audit)");
		else if (t->policy_mode == rtenf_PolicyMode_POLICY_MODE_ENFORCE)
			sb_puts(&l->part, "(failed)");
		line_emit(l, NULL);
	}
}

static void compact_line(struct line *l, const rtenf_Event *ev)
{
	switch (ev->which_event) {
	case rtenf_Event_process_exec_tag: {
		const rtenf_ProcessExec *e = &ev->event.process_exec;

		emit_kind(l, EMOJI_EXEC, "process", ANSI_BLUE);
		emit_process(l, ev->node_name, e->process);
		if (e->process)
			emit_text(l, e->process->arguments, ANSI_CYAN);
		break;
	}
	case rtenf_Event_process_exit_tag: {
		const rtenf_ProcessExit *e = &ev->event.process_exit;

		emit_kind(l, EMOJI_EXIT, "exit", ANSI_BLUE);
		emit_process(l, ev->node_name, e->process);
		if (e->process)
			emit_text(l, e->process->arguments, ANSI_CYAN);
		if (e->signal && *e->signal)
			put_safe_str(&l->part, e->signal);
		else
			sb_printf(&l->part, "%" PRIu32, e->status);
		line_emit(l, ANSI_RED);
		break;
	}
	case rtenf_Event_process_tracepoint_tag:
		compact_tracepoint(l, ev);
		break;
	case rtenf_Event_lost_events_tag: {
		const rtenf_LostEvents *lost = &ev->event.lost_events;

		/* Loss must stand out: red, like Tetragon's throttle warning. */
		emit_kind(l, EMOJI_LOST, "lost", ANSI_RED);
		emit_text(l, lost->source, ANSI_GREEN);
		sb_printf(&l->part, "%" PRIu64 " %s", lost->count, lost->count == 1 ? "event" : "events");
		line_emit(l, ANSI_CYAN);
		break;
	}
	default:
		emit_kind(l, EMOJI_UNKNOWN, "unknown", ANSI_BLUE);
		emit_text(l, ev->node_name, ANSI_GREEN);
		break;
	}
}

void event_format_compact(struct strbuf *out, const rtenf_Event *ev, bool color)
{
	struct line l = {.out = out, .start = out->len, .color = color};

	compact_line(&l, ev);
	sb_putc(out, '\n');
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
