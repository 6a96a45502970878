// SPDX-License-Identifier: GPL-2.0-only
#include "utf8.h"

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, size_t *bad)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the 2nd byte */
	size_t len;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* UTF-16 surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		/* Continuation byte, C0/C1 (always overlong) or F5..FF. */
		*bad = 1;
		return 0;
	}

	for (size_t i = 1; i < len; i++) {
		unsigned char b = i < n ? s[i] : 0;

		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xbf)) {
			*bad = i;
			return 0;
		}
		v = v << 6 | (b & 0x3f);
	}
	*cp = v;
	return len;
}
