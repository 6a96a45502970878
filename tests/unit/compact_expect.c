// SPDX-License-Identifier: GPL-2.0-only
#include "compact_expect.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "event_fixtures.h"
#include "event_format.h"

char *event_to_compact(const rtenf_Event *ev, bool color)
{
	struct strbuf sb = {0};

	event_format_compact(&sb, ev, color);
	return sb_steal(&sb);
}

void expect_compact(rtenf_Event *ev, const char *want)
{
	char *plain = event_to_compact(ev, false);
	char *colored = event_to_compact(ev, true);
	struct strbuf stripped = {0};

	cr_assert_str_eq(plain, want);
	cr_assert_null(strchr(plain, '\x1b'), "escape code without colour: %s", plain);
	cr_assert_not_null(strchr(colored, '\x1b'), "no colour: %s", colored);
	for (const char *p = colored; *p;) {
		if (*p == '\x1b') {
			p = strchr(p, 'm');
			cr_assert_not_null(p);
			p++;
		} else {
			sb_putc(&stripped, *p++);
		}
	}
	cr_assert_str_eq(stripped.buf, want, "colour changed the text");
	sb_free(&stripped);
	free(plain);
	free(colored);
	fx_release(ev);
}
