/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The parts of event JSON shared by several event kinds: hook arguments
 * (KprobeArgument, every kind) and capability sets.
 */
#ifndef RTENF_EVENT_JSON_ARGS_H
#define RTENF_EVENT_JSON_ARGS_H

#include "events.pb.h"
#include "json_writer.h"

/* One argument as a JSON object: {"file_arg":{...},"label":"..."}. */
void json_put_argument(struct strbuf *sb, const rtenf_KprobeArgument *a);
/* {"permitted":[names],"effective":[...],"inheritable":[...]} under key. */
void json_put_capabilities(struct jobj *o, const char *key, const rtenf_Capabilities *c);

#endif /* RTENF_EVENT_JSON_ARGS_H */
