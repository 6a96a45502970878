// SPDX-License-Identifier: GPL-2.0-only
#include "request_check.h"

#include <errno.h>

#include "util.h"
#include "wire.h"

int request_decode(const uint8_t *payload, size_t len, rtenf_Request *req, char **err)
{
	if (wire_decode(rtenf_Request_fields, req, payload, len)) {
		*err = xstrdup("malformed request: not an rtenf.Request; is the client the same rtenf version?");
		return -EPROTO;
	}
	return 0;
}

static bool changes_state(const rtenf_Request *req)
{
	return req->which_request == rtenf_Request_apply_tag || req->which_request == rtenf_Request_delete_tag ||
	       req->which_request == rtenf_Request_mode_tag;
}

int request_check(const rtenf_Request *req, uid_t peer_uid, char **err)
{
	switch (req->which_request) {
	case 0:
		*err = xstrdup("empty request");
		return -EINVAL;
	case rtenf_Request_apply_tag:
	case rtenf_Request_delete_tag:
	case rtenf_Request_mode_tag:
	case rtenf_Request_list_tag:
	case rtenf_Request_get_events_tag:
		break;
	default:
		*err = xstrdup("unknown request; is the client the same rtenf version as the agent?");
		return -EINVAL;
	}
	if (changes_state(req) && peer_uid != 0) {
		*err = xasprintf("permission denied: only root may change policies (peer uid %u)", (unsigned)peer_uid);
		return -EPERM;
	}
	return 0;
}
