// SPDX-License-Identifier: GPL-2.0-only
#include "json_writer.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "event_format.h"
#include "utf8.h"

void jobj_open(struct jobj *o, struct strbuf *sb)
{
	o->sb = sb;
	o->first = true;
	sb_putc(sb, '{');
}

void jobj_close(struct jobj *o)
{
	sb_putc(o->sb, '}');
}

void jobj_key(struct jobj *o, const char *key)
{
	if (!o->first)
		sb_putc(o->sb, ',');
	o->first = false;
	sb_printf(o->sb, "\"%s\":", key);
}

/* Opens a nested object under key. */
void jobj_open_at(struct jobj *parent, const char *key, struct jobj *child)
{
	jobj_key(parent, key);
	jobj_open(child, parent->sb);
}

void jobj_str(struct jobj *o, const char *key, const char *s)
{
	if (!s || !*s)
		return;
	jobj_key(o, key);
	json_put_string(o->sb, s);
}

void jobj_u32(struct jobj *o, const char *key, uint32_t v, bool always)
{
	if (!v && !always)
		return;
	jobj_key(o, key);
	sb_printf(o->sb, "%" PRIu32, v);
}

void jobj_i32(struct jobj *o, const char *key, int32_t v)
{
	if (!v)
		return;
	jobj_key(o, key);
	sb_printf(o->sb, "%" PRId32, v);
}

/* protojson quotes 64-bit integers: JavaScript numbers lose precision past 2^53. */
void jobj_u64(struct jobj *o, const char *key, uint64_t v)
{
	if (!v)
		return;
	jobj_key(o, key);
	sb_printf(o->sb, "\"%" PRIu64 "\"", v);
}

void jobj_i64(struct jobj *o, const char *key, int64_t v)
{
	if (!v)
		return;
	jobj_key(o, key);
	sb_printf(o->sb, "\"%" PRId64 "\"", v);
}

void jobj_bool(struct jobj *o, const char *key, bool v, bool always)
{
	if (!v && !always)
		return;
	jobj_key(o, key);
	sb_puts(o->sb, v ? "true" : "false");
}

/* google.protobuf.Timestamp: always nine fractional digits, like Tetragon's
 * own rfc3339Nano layout; 0 means unset. */
void jobj_time(struct jobj *o, const char *key, uint64_t ns)
{
	time_t sec = (time_t)(ns / 1000000000u);
	struct tm tm;

	if (!ns)
		return;
	if (!gmtime_r(&sec, &tm))
		return;
	jobj_key(o, key);
	sb_printf(o->sb, "\"%04d-%02d-%02dT%02d:%02d:%02d.%09" PRIu64 "Z\"", tm.tm_year + 1900, tm.tm_mon + 1,
		  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ns % 1000000000u);
}

/* An enum by name; a value this build does not know prints as its number,
 * as protojson does. */
void jobj_enum(struct jobj *o, const char *key, const char *name, int v)
{
	jobj_key(o, key);
	if (name)
		json_put_string(o->sb, name);
	else
		sb_printf(o->sb, "%d", v);
}

void json_put_base64(struct strbuf *sb, const uint8_t *p, size_t n)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4];

	sb_putc(sb, '"');
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = tbl[v >> 18 & 63];
		q[1] = tbl[v >> 12 & 63];
		q[2] = i + 1 < n ? tbl[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tbl[v & 63] : '=';
		sb_append(sb, q, 4);
	}
	sb_putc(sb, '"');
}

void json_put_bytes_string(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	sb_putc(out, '"');
	while (i < len) {
		size_t run = i, seq, bad;
		unsigned char c;
		uint32_t cp;

		/* Copy plain ASCII in one go: the common case by far. */
		while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i) {
			sb_append(out, s + i, run - i);
			i = run;
			continue;
		}
		c = p[i];
		switch (c) {
		case '"':
			sb_puts(out, "\\\"");
			i++;
			continue;
		case '\\':
			sb_puts(out, "\\\\");
			i++;
			continue;
		case '\b':
			sb_puts(out, "\\b");
			i++;
			continue;
		case '\f':
			sb_puts(out, "\\f");
			i++;
			continue;
		case '\n':
			sb_puts(out, "\\n");
			i++;
			continue;
		case '\r':
			sb_puts(out, "\\r");
			i++;
			continue;
		case '\t':
			sb_puts(out, "\\t");
			i++;
			continue;
		}
		if (c < 0x20) {
			sb_printf(out, "\\u%04x", c);
			i++;
			continue;
		}
		seq = utf8_decode(p + i, len - i, &cp, &bad);
		if (seq) {
			sb_append(out, s + i, seq);
			i += seq;
		} else {
			sb_puts(out, "\xef\xbf\xbd"); /* U+FFFD */
			i += bad;
		}
	}
	sb_putc(out, '"');
}

void json_put_string(struct strbuf *out, const char *s)
{
	json_put_bytes_string(out, s ? s : "", s ? strlen(s) : 0);
}

void jobj_array_open(struct jobj *o, const char *key)
{
	jobj_key(o, key);
	sb_putc(o->sb, '[');
}

void jarr_next(struct strbuf *sb, size_t index)
{
	if (index)
		sb_putc(sb, ',');
}

void jobj_array_close(struct jobj *o)
{
	sb_putc(o->sb, ']');
}
