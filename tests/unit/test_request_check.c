// SPDX-License-Identifier: GPL-2.0-only
/*
 * request_check: the agent's checks of a client request before it acts on
 * it (the same function the agent's socket and the request fuzzer run).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <pb_decode.h>

#include "request_check.h"
#include "rtenf_events.h"
#include "util.h"
#include "wire.h"

static int check(const rtenf_Request *req, uid_t uid, char **err)
{
	*err = NULL;
	return request_check(req, uid, err);
}

static void expect_ok(const rtenf_Request *req, uid_t uid)
{
	char *err;
	int r = check(req, uid, &err);

	cr_assert_eq(r, 0, "request %u from uid %u refused: %s", (unsigned)req->which_request, (unsigned)uid,
		     err ? err : "(no message)");
	cr_assert_null(err);
}

static void expect_refused(const rtenf_Request *req, uid_t uid, int want, const char *msg)
{
	char *err;
	int r = check(req, uid, &err);

	cr_assert_eq(r, want, "request %u from uid %u: got %d, expected %d", (unsigned)req->which_request,
		     (unsigned)uid, r, want);
	cr_assert_not_null(err);
	cr_assert(strstr(err, msg), "message \"%s\" does not contain \"%s\"", err, msg);
	free(err);
}

Test(request_check, state_changes_need_root)
{
	static const pb_size_t tags[] = {rtenf_Request_apply_tag, rtenf_Request_delete_tag, rtenf_Request_mode_tag};
	char *names[] = {"p"};
	rtenf_PolicyFile file = {.file_name = "p.yaml", .yaml = "x"};

	for (size_t i = 0; i < ARRAY_SIZE(tags); i++) {
		rtenf_Request req = rtenf_Request_init_zero;

		req.which_request = tags[i];
		req.request.apply.files = &file;
		req.request.apply.files_count = 1;
		if (tags[i] == rtenf_Request_delete_tag)
			req.request.delete.name = names[0];
		if (tags[i] == rtenf_Request_mode_tag) {
			req.request.mode.name = names[0];
			req.request.mode.mode = rtenf_PolicyMode_POLICY_MODE_AUDIT;
		}
		expect_refused(&req, 65534, -EPERM,
			       "permission denied: only root may change policies (peer uid 65534)");
		expect_refused(&req, 1000, -EPERM, "peer uid 1000");
		expect_ok(&req, 0);
	}
}

Test(request_check, reading_is_open_to_every_peer)
{
	rtenf_Request req = rtenf_Request_init_zero;

	req.which_request = rtenf_Request_list_tag;
	expect_ok(&req, 65534);
	req.which_request = rtenf_Request_get_events_tag;
	expect_ok(&req, 65534);
	req.which_request = rtenf_Request_report_tag;
	req.request.report.name = "kill-unshare";
	expect_ok(&req, 65534);
}

Test(request_check, empty_and_unknown_requests)
{
	rtenf_Request req = rtenf_Request_init_zero;

	expect_refused(&req, 0, -EINVAL, "empty request");
	req.which_request = 99;
	expect_refused(&req, 0, -EINVAL, "unknown request");
}

Test(request_check, decode_refuses_what_is_not_a_request)
{
	/* field 1 (apply) as a length-delimited value running past the end */
	static const uint8_t truncated[] = {0x0a, 0x10, 0x0a};
	/* wire type 7 does not exist */
	static const uint8_t bad_type[] = {0x0f};
	rtenf_Request req = rtenf_Request_init_zero;
	char *err = NULL;

	cr_assert_eq(request_decode(truncated, sizeof(truncated), &req, &err), -EPROTO);
	cr_assert_not_null(err);
	cr_assert(strstr(err, "malformed request"), "%s", err);
	free(err);
	err = NULL;
	cr_assert_eq(request_decode(bad_type, sizeof(bad_type), &req, &err), -EPROTO);
	free(err);
}

Test(request_check, decode_round_trip)
{
	rtenf_Request in = rtenf_Request_init_zero, out = rtenf_Request_init_zero;
	uint8_t *buf;
	size_t len;
	char *err = NULL;

	in.which_request = rtenf_Request_delete_tag;
	in.request.delete.name = "kill-unshare";
	cr_assert_eq(wire_encode(rtenf_Request_fields, &in, &buf, &len), 0);
	cr_assert_eq(request_decode(buf + 4, len - 4, &out, &err), 0, "%s", err ? err : "");
	cr_assert_eq(out.which_request, rtenf_Request_delete_tag);
	cr_assert_str_eq(out.request.delete.name, "kill-unshare");
	pb_release(rtenf_Request_fields, &out);
	free(buf);
}

Test(request_check, names_are_bounded_and_printable)
{
	char long_name[REQUEST_MAX_NAME + 2];
	rtenf_Request req = rtenf_Request_init_zero;

	req.which_request = rtenf_Request_delete_tag;
	expect_refused(&req, 0, -EINVAL, "delete needs a policy name");
	req.request.delete.name = "";
	expect_refused(&req, 0, -EINVAL, "delete needs a policy name");
	req.request.delete.name = "kill\x1b[2Junshare";
	expect_refused(&req, 0, -EINVAL, "no control characters");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	req.request.delete.name = long_name;
	expect_refused(&req, 0, -EINVAL, "at most 253 characters, not 254");
	long_name[REQUEST_MAX_NAME] = '\0';
	expect_ok(&req, 0);

	req.which_request = rtenf_Request_mode_tag;
	req.request.mode.name = "kill-unshare";
	req.request.mode.mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE;
	expect_ok(&req, 0);
	req.request.mode.name = "a\nb";
	expect_refused(&req, 0, -EINVAL, "mode: a policy name has no control characters");

	req.which_request = rtenf_Request_report_tag;
	req.request.report.name = NULL;
	expect_refused(&req, 65534, -EINVAL, "report needs a policy name");
	req.request.report.name = "a\x7f"
				  "b";
	expect_refused(&req, 65534, -EINVAL, "report: a policy name has no control characters");
}

Test(request_check, modes_must_be_known)
{
	rtenf_PolicyFile file = {.file_name = "p.yaml", .yaml = "x"};
	rtenf_Request req = rtenf_Request_init_zero;

	req.which_request = rtenf_Request_mode_tag;
	req.request.mode.name = "p";
	req.request.mode.mode = rtenf_PolicyMode_POLICY_MODE_UNSET;
	expect_refused(&req, 0, -EINVAL, "mode must be audit or enforce");
	req.request.mode.mode = (rtenf_PolicyMode)7;
	expect_refused(&req, 0, -EINVAL, "mode must be audit or enforce");

	memset(&req, 0, sizeof(req));
	req.which_request = rtenf_Request_apply_tag;
	req.request.apply.files = &file;
	req.request.apply.files_count = 1;
	req.request.apply.mode = rtenf_PolicyMode_POLICY_MODE_UNSET;
	expect_ok(&req, 0);
	req.request.apply.mode = (rtenf_PolicyMode)-1;
	expect_refused(&req, 0, -EINVAL, "apply: unknown mode -1");
}

Test(request_check, no_more_files_or_filters_than_policy_slots)
{
	rtenf_PolicyFile *files = xcalloc(RTENF_MAX_POLICIES + 1, sizeof(*files));
	char **names = xcalloc(RTENF_MAX_POLICIES + 1, sizeof(*names));
	char long_file[REQUEST_MAX_FILE_NAME + 2];
	rtenf_Request req = rtenf_Request_init_zero;

	req.which_request = rtenf_Request_apply_tag;
	req.request.apply.files = files;
	req.request.apply.files_count = RTENF_MAX_POLICIES;
	expect_ok(&req, 0);
	req.request.apply.files_count = RTENF_MAX_POLICIES + 1;
	expect_refused(&req, 0, -EINVAL, "1025 policy files in one request; the agent runs at most 1024 policies");
	req.request.apply.files_count = 1;
	memset(long_file, 'f', sizeof(long_file) - 1);
	long_file[sizeof(long_file) - 1] = '\0';
	files[0].file_name = long_file;
	expect_refused(&req, 0, -EINVAL, "a file name has at most 4096 bytes");

	memset(&req, 0, sizeof(req));
	req.which_request = rtenf_Request_get_events_tag;
	req.request.get_events.policy_names = names;
	req.request.get_events.policy_names_count = RTENF_MAX_POLICIES;
	expect_ok(&req, 65534);
	req.request.get_events.policy_names_count = RTENF_MAX_POLICIES + 1;
	expect_refused(&req, 65534, -EINVAL, "getevents: at most 1024 policy names");
	free(files);
	free(names);
}
