/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A strict RFC 8259 checker for the JSON tests, independent of the writer:
 * one value, no trailing garbage, strings valid UTF-8 with no raw control
 * characters, and no object with the same key twice.
 */
#ifndef RTENF_TEST_JSON_CHECK_H
#define RTENF_TEST_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>

/* Returns true if s[0..len) is one JSON value (surrounding whitespace
 * allowed); otherwise false with the reason and offset in err. */
bool json_check(const char *s, size_t len, char *err, size_t errlen);

/* Pipes s through `jq -e .` when jq is installed: 1 valid, 0 invalid,
 * -1 jq not available. */
int json_check_jq(const char *s);

#endif /* RTENF_TEST_JSON_CHECK_H */
