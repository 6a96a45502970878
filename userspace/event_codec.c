// SPDX-License-Identifier: GPL-2.0-only
#include "event_codec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "util.h"

int event_encode(const rtenf_Event *ev, uint8_t **out, size_t *len)
{
	pb_ostream_t os;
	uint8_t *buf;
	size_t size;

	if (!pb_get_encoded_size(&size, rtenf_Event_fields, ev))
		return -EINVAL;
	buf = xmalloc(size);
	os = pb_ostream_from_buffer(buf, size);
	if (!pb_encode(&os, rtenf_Event_fields, ev) || os.bytes_written != size) {
		free(buf);
		return -EINVAL;
	}
	*out = buf;
	*len = size;
	return 0;
}

int event_decode(rtenf_Event *ev, const uint8_t *buf, size_t len)
{
	pb_istream_t is = pb_istream_from_buffer(buf, len);

	/* pb_decode() initialises ev itself, but a caller's garbage must not
	 * look like pointers to pb_release() if decoding fails half way. */
	memset(ev, 0, sizeof(*ev));
	if (!pb_decode(&is, rtenf_Event_fields, ev)) {
		pb_release(rtenf_Event_fields, ev);
		memset(ev, 0, sizeof(*ev));
		return -EPROTO;
	}
	return 0;
}

void event_release(rtenf_Event *ev)
{
	pb_release(rtenf_Event_fields, ev);
	memset(ev, 0, sizeof(*ev));
}
