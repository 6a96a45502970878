// SPDX-License-Identifier: GPL-2.0-only
#include "record_fixture.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "event_codec.h"
#include "rtenf_events.h"

void record_put_arg(struct strbuf *r, unsigned type, const void *data, size_t len)
{
	struct rtenf_msg_arg a = {.type = (__u8)type, .len = (__u16)len};

	sb_append(r, (const char *)&a, sizeof(a));
	sb_append(r, data, len);
}

void record_keep_event(rtenf_Event *kept, const rtenf_Event *ev)
{
	uint8_t *buf;
	size_t len;

	event_release(kept);
	cr_assert_eq(event_encode(ev, &buf, &len), 0);
	cr_assert_eq(event_decode(kept, buf, len), 0);
	free(buf);
}
