/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writing JSON objects the way protojson (UseProtoNames) prints messages,
 * for the event formatter: keys in the order they are written, zero values
 * omitted unless the caller says otherwise, 64-bit integers quoted, times
 * as RFC 3339.  Keys are literals of the calling code and are not escaped;
 * values always are (json_put_string in event_format.h).
 */
#ifndef RTENF_JSON_WRITER_H
#define RTENF_JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* One JSON object being written: knows whether a comma is due. */
struct jobj {
	struct strbuf *sb;
	bool first;
};

void jobj_open(struct jobj *o, struct strbuf *sb);
void jobj_close(struct jobj *o);
/* Writes "key": (after a comma if needed); the value must follow. */
void jobj_key(struct jobj *o, const char *key);
/* Opens a nested object under key. */
void jobj_open_at(struct jobj *parent, const char *key, struct jobj *child);

/* Each omits the key when the value is zero (or NULL / ""), unless always. */
void jobj_str(struct jobj *o, const char *key, const char *s);
void jobj_u32(struct jobj *o, const char *key, uint32_t v, bool always);
void jobj_i32(struct jobj *o, const char *key, int32_t v);
void jobj_u64(struct jobj *o, const char *key, uint64_t v);
void jobj_i64(struct jobj *o, const char *key, int64_t v);
void jobj_bool(struct jobj *o, const char *key, bool v, bool always);
/* ns since the Unix epoch as google.protobuf.Timestamp; 0 means unset. */
void jobj_time(struct jobj *o, const char *key, uint64_t ns);
/* An enum by name, or by number when this build has no name for it, as
 * protojson does for values it does not know.  Always written. */
void jobj_enum(struct jobj *o, const char *key, const char *name, int v);

/* Starts and ends a JSON array under key; items are written with
 * jarr_next() before each one. */
void jobj_array_open(struct jobj *o, const char *key);
void jarr_next(struct strbuf *sb, size_t index);
void jobj_array_close(struct jobj *o);

/* bytes as protojson writes them: standard base64 with padding, quoted. */
void json_put_base64(struct strbuf *sb, const uint8_t *p, size_t n);

#endif /* RTENF_JSON_WRITER_H */
