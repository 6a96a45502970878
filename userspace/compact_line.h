/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The pieces of the compact format (event_compact*.c): a line built from
 * coloured, space-separated parts, text made safe for a terminal, and the
 * renderers of arguments and hook events.  Internal to the formatter.
 */
#ifndef RTENF_COMPACT_LINE_H
#define RTENF_COMPACT_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "event_view.h"
#include "events.pb.h"
#include "util.h"

/* Tetragon's colours: blue kind, green source, magenta binary, cyan
 * detail, red status and action. */
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
#define EMOJI_LOST     "⚠️  "
#define EMOJI_UNKNOWN  "❓ "
#define EMOJI_OBSERVE  "⁉️  "
#define EMOJI_SYSCALL  "❓ "
#define EMOJI_KILL     "☠️  "
#define EMOJI_OVERRIDE "🚫 "
#define EMOJI_LSM      "🔒 "
#define EMOJI_UPROBE   "🕵️  "
#define EMOJI_OPEN     "📬 "
#define EMOJI_WRITE    "📝 "
#define EMOJI_READ     "📚 "
#define EMOJI_CLOSE    "📪 "
#define EMOJI_MOUNT    "💾 "
#define EMOJI_SETUID   "🔑 "
#define EMOJI_CONNECT  "🔌 "
#define EMOJI_SOCK_END "🧹 "
#define EMOJI_SENDMSG  "📤 "

struct line {
	struct strbuf *out;
	size_t start; /* where this line begins in out */
	bool color;
	struct strbuf part; /* the field being built */
};

/* Appends the finished part, space-separated and coloured (ansi may be
 * NULL); an empty part is skipped so a missing field leaves no gap. */
void line_emit(struct line *l, const char *ansi);
/* Appends untrusted text with terminal-safe escapes. */
void term_safe(struct strbuf *sb, const char *s, size_t len);
void term_safe_str(struct strbuf *sb, const char *s);
/* The emoji (with its trailing space or spaces) and the kind padded to 7. */
void line_kind(struct line *l, const char *emoji, const char *kind, const char *ansi);
void line_text(struct line *l, const char *s, const char *ansi);
/* Source (node name) and binary, as Tetragon's ProcessInfo. */
void line_process(struct line *l, const char *node, const rtenf_Process *p);

/* Arguments (event_compact_args.c). */
/* One argument, "label=value" when labelled. */
void compact_put_argument(struct strbuf *sb, const rtenf_KprobeArgument *a);
/* Every argument, space-separated, after what sb already holds. */
void compact_put_arguments(struct strbuf *sb, const rtenf_KprobeArgument *args, size_t n);
void compact_put_data(struct strbuf *sb, const rtenf_KprobeArgument *data, size_t n);
/* A connection, "tcp 10.0.0.1:43122 -> 1.1.1.1:443": from a sock, with
 * the destination taken from a sockaddr when one is given (connect hooks
 * see the address before the socket has it).  Either may be NULL. */
void compact_put_connection(struct strbuf *sb, const rtenf_KprobeSock *sock, const rtenf_KprobeSockaddr *to);
/* The path a file, path, linux_binprm or string argument names; NULL for
 * other kinds. */
const char *compact_argument_path(const rtenf_KprobeArgument *a);

/* The stacks of a hook event, one indented line per frame, after its line
 * (event_compact_stack.c); nothing for events without one. */
void compact_stacks(struct strbuf *out, const rtenf_Event *ev);

/* Hook events (event_compact_hooks.c). */
void compact_tracepoint(struct line *l, const rtenf_Event *ev);
void compact_kprobe(struct line *l, const rtenf_Event *ev);
void compact_lsm(struct line *l, const rtenf_Event *ev);
void compact_uprobe(struct line *l, const rtenf_Event *ev);
/* "[policy] ACTION (audit)" after a hook event's detail. */
void compact_hook_trailer(struct line *l, const struct hook_view *h);
/* For lines whose emoji says what the hook did rather than what it saw:
 * ☠️ for signals, 🚫 for overrides, otherwise the one given. */
const char *compact_action_emoji(rtenf_KprobeAction a, const char *otherwise);

#endif /* RTENF_COMPACT_LINE_H */
