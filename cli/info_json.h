/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * JSON for what `rtenf list` and `rtenf apply` report about policies and the
 * agent.  Keys are the snake_case field names of proto/api.proto; enums are
 * lower-case names ("enforce"); 64-bit counters are plain JSON numbers
 * (exact up to 2^53 in JavaScript, far beyond what these counters reach),
 * unlike event JSON, which follows Tetragon and quotes them.
 */
#ifndef RTENF_INFO_JSON_H
#define RTENF_INFO_JSON_H

#include "api.pb.h"
#include "util.h"

void json_policy_info(struct strbuf *sb, const rtenf_PolicyInfo *p);
void json_agent_info(struct strbuf *sb, const rtenf_AgentInfo *a);
/* A JSON string, "" for an absent (NULL) protobuf string. */
void json_put_opt_string(struct strbuf *sb, const char *s);

#endif /* RTENF_INFO_JSON_H */
