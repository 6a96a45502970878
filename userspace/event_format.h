/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Turns an rtenf.Event into text.  Two formats:
 *
 *  json     one object per line in Tetragon's export shape (snake_case field
 *           names, 64-bit integers as strings, times as RFC 3339 with
 *           nanoseconds in UTC, enums by name) plus rtenf's additions
 *           (policy_mode, enforced, ...), so pipelines written for
 *           Tetragon keep working;
 *  compact  one line per event in Tetragon's compact layout:
 *           emoji, kind, source (node name), binary, detail, then for hook
 *           events the policy name and the action, marked "audit" where the
 *           action was not applied.
 */
#ifndef RTENF_EVENT_FORMAT_H
#define RTENF_EVENT_FORMAT_H

#include <stdbool.h>

#include "events.pb.h"
#include "util.h"

enum event_format {
	EVENT_FORMAT_JSON,
	EVENT_FORMAT_COMPACT,
};

/* Parses "json" / "compact"; returns -1 for anything else. */
int event_format_parse(const char *name, enum event_format *out);

/* Append one line, newline included. */
void event_format_json(struct strbuf *out, const rtenf_Event *ev);
void event_format_compact(struct strbuf *out, const rtenf_Event *ev, bool color);
void event_format(struct strbuf *out, const rtenf_Event *ev, enum event_format fmt, bool color);

/* JSON string escaping shared with other JSON writers (rtenf list -o json):
 * appends "s" with quotes; invalid UTF-8 bytes become U+FFFD. */
void json_put_string(struct strbuf *out, const char *s);
void json_put_bytes_string(struct strbuf *out, const char *s, size_t len);

#endif /* RTENF_EVENT_FORMAT_H */
