/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * UTF-8 scanning for text that comes from the kernel: paths, arguments and
 * strings a process chose, so any byte sequence at all.
 */
#ifndef RTENF_UTF8_H
#define RTENF_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the sequence at s (n > 0 bytes available).  Returns its length
 * (1..4) and stores the code point, or returns 0 when s does not start a
 * well-formed sequence (overlong forms, surrogates and values above U+10FFFF
 * included) and stores in *bad how many bytes form the ill-formed part, so
 * a caller replacing it with one U+FFFD follows the Unicode "maximal
 * subpart" practice. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, size_t *bad);

#endif /* RTENF_UTF8_H */
