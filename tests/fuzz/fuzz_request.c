// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fuzz target: what a client writes to the agent's socket.  The bytes go
 * through a real socket into the agent's incremental frame reader
 * (wire_reader_poll, fed in chunks of the first byte's size, 0: all at
 * once), and every frame through what the agent does before it touches
 * the kernel: request_decode, request_check for a non-root and a root peer,
 * the getevents filter (compiled and run on sample events), and for apply
 * the parse and compile of every file against a fake kernel.  Each request
 * gets its response encoded as the server would.
 *
 * Checked beyond memory safety: a non-root peer never passes the check for
 * apply, delete or mode.
 * Seeds: frames made by tests/fuzz/seeds.py from every seed policy.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pb_decode.h>

#include "event_filter.h"
#include "fuzz_kernel.h"
#include "fuzz_samples.h"
#include "policy.h"
#include "policy_compile.h"
#include "request_check.h"
#include "util.h"
#include "wire.h"

static void compile_file(const rtenf_PolicyFile *f)
{
	const char *yaml = f->yaml ? f->yaml : "";
	struct diag_list diags = {0};
	struct fuzz_kernel k;
	struct policy *p;

	/* as policy_manager_apply: parse, compile, nothing loaded */
	fuzz_kernel_init(&k, FUZZ_HOST);
	p = policy_parse(yaml, strlen(yaml), f->file_name ? f->file_name : "<request>", &diags);
	if (p) {
		compiled_policy_free(policy_compile(p, &k.fk.kv, &diags));
		policy_free(p);
	}
	for (size_t i = 0; i < diags.n; i++)
		free(diag_format(&diags.v[i]));
	diag_list_free(&diags);
}

static void run_filter(const rtenf_GetEventsRequest *req, rtenf_Response *resp)
{
	struct event_filter f;
	const rtenf_Event *ev;
	char err[256];
	size_t n;

	if (event_filter_init(&f, req, err, sizeof(err))) {
		resp->error = xstrdup(err);
		return;
	}
	ev = fuzz_sample_events(&n);
	for (size_t i = 0; i < n; i++)
		(void)event_filter_match(&f, &ev[i]);
	event_filter_free(&f);
	resp->ok = true;
}

static void respond(rtenf_Response *resp)
{
	uint8_t *buf;
	size_t len;

	if (!wire_encode(rtenf_Response_fields, resp, &buf, &len))
		free(buf);
	pb_release(rtenf_Response_fields, resp);
}

static bool changes_state(const rtenf_Request *req)
{
	return req->which_request == rtenf_Request_apply_tag || req->which_request == rtenf_Request_delete_tag ||
	       req->which_request == rtenf_Request_mode_tag;
}

/* One frame, as the server's handle_request.  False: the server closes. */
static bool handle(const uint8_t *payload, size_t len)
{
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp = rtenf_Response_init_zero;
	char *err = NULL;

	if (request_decode(payload, len, &req, &resp.error)) {
		respond(&resp);
		return false;
	}
	if (!request_check(&req, 65534, &err) && changes_state(&req)) {
		fprintf(stderr, "request %u from uid 65534 passed the check\n", (unsigned)req.which_request);
		abort();
	}
	free(err);
	if (request_check(&req, 0, &resp.error)) {
		/* refused */
	} else if (req.which_request == rtenf_Request_get_events_tag) {
		run_filter(&req.request.get_events, &resp);
	} else if (req.which_request == rtenf_Request_apply_tag) {
		for (pb_size_t i = 0; i < req.request.apply.files_count; i++)
			compile_file(&req.request.apply.files[i]);
	}
	respond(&resp);
	pb_release(rtenf_Request_fields, &req);
	return true;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t n;

	(void)argc;
	(void)argv;
	fuzz_quiet();
	(void)fuzz_sample_events(&n);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_reader rd = {0};
	size_t chunk, off = 0;
	bool open = true, shut = false;
	int sv[2];

	if (size < 1)
		return 0;
	chunk = data[0] ? data[0] : size;
	data++;
	size--;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
		abort();
	while (open) {
		if (off < size) {
			ssize_t n = send(sv[1], data + off, chunk < size - off ? chunk : size - off, MSG_DONTWAIT);

			if (n > 0)
				off += (size_t)n;
		} else if (!shut) {
			shutdown(sv[1], SHUT_WR);
			shut = true;
		}
		for (;;) {
			const uint8_t *payload;
			size_t len;
			int r = wire_reader_poll(&rd, sv[0], &payload, &len);

			if (r == 0)
				break;
			if (r < 0 || !handle(payload, len)) {
				open = false;
				break;
			}
			wire_reader_consume(&rd);
		}
	}
	wire_reader_free(&rd);
	close(sv[0]);
	close(sv[1]);
	return 0;
}
