/* SPDX-License-Identifier: GPL-2.0-only */
/* Assertions on event JSON lines, shared by the JSON tests. */
#ifndef RTENF_TEST_JSON_EXPECT_H
#define RTENF_TEST_JSON_EXPECT_H

#include "events.pb.h"

/* The JSON line of ev (caller frees). */
char *event_to_json(const rtenf_Event *ev);
/* Newline-terminated, exactly one line, valid JSON to json_check and, when
 * installed, to jq. */
void assert_valid_json_line(const char *line);
/* Formats ev, checks the line is valid and equal to want, then releases ev. */
void expect_json(rtenf_Event *ev, const char *want);
/* Runs `jq -c FILTER` on line (no shell involved); returns its output
 * without the trailing newline (caller frees), or NULL when jq is not
 * installed. */
char *jq_output(const char *line, const char *filter);

#endif /* RTENF_TEST_JSON_EXPECT_H */
