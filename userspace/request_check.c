// SPDX-License-Identifier: GPL-2.0-only
#include "request_check.h"

#include <errno.h>
#include <string.h>

#include "rtenf_events.h"
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

/* A policy name as the agent could know it: it ends up in the agent's log
 * and in messages to terminals, so no control characters. */
static int check_name(const char *name, const char *what, char **err)
{
	size_t len = name ? strlen(name) : 0;

	if (!len) {
		*err = xasprintf("%s needs a policy name", what);
		return -EINVAL;
	}
	if (len > REQUEST_MAX_NAME) {
		*err = xasprintf("%s: a policy name has at most %d characters, not %zu", what, REQUEST_MAX_NAME, len);
		return -EINVAL;
	}
	for (size_t i = 0; i < len; i++) {
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) {
			*err = xasprintf("%s: a policy name has no control characters", what);
			return -EINVAL;
		}
	}
	return 0;
}

static bool known_mode(rtenf_PolicyMode m)
{
	return m == rtenf_PolicyMode_POLICY_MODE_AUDIT || m == rtenf_PolicyMode_POLICY_MODE_ENFORCE;
}

static int check_apply(const rtenf_ApplyRequest *a, char **err)
{
	if (a->files_count > RTENF_MAX_POLICIES) {
		*err = xasprintf("apply: %u policy files in one request; the agent runs at most %d policies",
				 (unsigned)a->files_count, RTENF_MAX_POLICIES);
		return -EINVAL;
	}
	for (pb_size_t i = 0; i < a->files_count; i++) {
		const char *name = a->files[i].file_name;

		if (name && strlen(name) > REQUEST_MAX_FILE_NAME) {
			*err = xasprintf("apply: a file name has at most %d bytes", REQUEST_MAX_FILE_NAME);
			return -EINVAL;
		}
	}
	if (a->mode != rtenf_PolicyMode_POLICY_MODE_UNSET && !known_mode(a->mode)) {
		*err = xasprintf("apply: unknown mode %d; is the client the same rtenf version?", (int)a->mode);
		return -EINVAL;
	}
	return 0;
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
	case rtenf_Request_report_tag:
		break;
	default:
		*err = xstrdup("unknown request; is the client the same rtenf version as the agent?");
		return -EINVAL;
	}
	if (changes_state(req) && peer_uid != 0) {
		*err = xasprintf("permission denied: only root may change policies (peer uid %u)", (unsigned)peer_uid);
		return -EPERM;
	}
	switch (req->which_request) {
	case rtenf_Request_apply_tag:
		return check_apply(&req->request.apply, err);
	case rtenf_Request_delete_tag:
		return check_name(req->request.delete.name, "delete", err);
	case rtenf_Request_mode_tag:
		if (!known_mode(req->request.mode.mode)) {
			*err = xstrdup("mode must be audit or enforce");
			return -EINVAL;
		}
		return check_name(req->request.mode.name, "mode", err);
	case rtenf_Request_report_tag:
		return check_name(req->request.report.name, "report", err);
	case rtenf_Request_get_events_tag:
		/* each name is compared with every event the client is sent */
		if (req->request.get_events.policy_names_count > RTENF_MAX_POLICIES) {
			*err = xasprintf("getevents: at most %d policy names (the agent runs at most %d policies)",
					 RTENF_MAX_POLICIES, RTENF_MAX_POLICIES);
			return -EINVAL;
		}
		return 0;
	}
	return 0;
}
