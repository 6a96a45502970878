/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the agent checks in a client's request before it acts on it: that
 * the bytes are an rtenf.Request, that it asks for something this agent
 * knows, that the peer may ask for it (apply, delete and mode need
 * uid 0), and that its fields are within what the agent can ever do (no
 * more files than policy slots, names without control characters).
 * Pure: no socket, no kernel, so the request fuzzer
 * (tests/fuzz/fuzz_request.c) runs exactly the agent's checks.
 */
#ifndef RTENF_REQUEST_CHECK_H
#define RTENF_REQUEST_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "api.pb.h"

#define REQUEST_MAX_NAME 253	   /* as policy_parse: Kubernetes object names */
#define REQUEST_MAX_FILE_NAME 4096 /* PATH_MAX */

/* Decodes one frame's payload.  Returns 0 (release req with pb_release), or
 * -EPROTO with *err set for the client (caller frees) and nothing to release. */
int request_decode(const uint8_t *payload, size_t len, rtenf_Request *req, char **err);

/* Returns 0 when the agent may act on req for a peer of uid peer_uid, else
 * -EPERM or -EINVAL with *err set for the client (caller frees). */
int request_check(const rtenf_Request *req, uid_t peer_uid, char **err);

#endif /* RTENF_REQUEST_CHECK_H */
