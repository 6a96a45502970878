// SPDX-License-Identifier: GPL-2.0-only
/*
 * Everything after the kind can be chosen by whoever runs the process
 * (file names, arguments, strings read from memory), and the line goes to
 * a terminal: control characters, invalid UTF-8 and bidirectional
 * overrides are written as escapes so such text can neither inject
 * terminal sequences nor disguise itself.
 */
#include "compact_line.h"

#include <inttypes.h>
#include <string.h>

#include "utf8.h"

void line_emit(struct line *l, const char *ansi)
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

void term_safe(struct strbuf *sb, const char *s, size_t len)
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

void term_safe_str(struct strbuf *sb, const char *s)
{
	if (s)
		term_safe(sb, s, strlen(s));
}

void line_kind(struct line *l, const char *emoji, const char *kind, const char *ansi)
{
	sb_printf(&l->part, "%s%-7s", emoji, kind);
	line_emit(l, ansi);
}

void line_text(struct line *l, const char *s, const char *ansi)
{
	term_safe_str(&l->part, s);
	line_emit(l, ansi);
}

/* Without pods: rtenf runs on one node and prints its name. */
void line_process(struct line *l, const char *node, const rtenf_Process *p)
{
	line_text(l, node, ANSI_GREEN);
	if (p)
		line_text(l, p->binary, ANSI_MAGENTA);
}
