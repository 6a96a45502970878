/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every verb shares: the options --help, --socket and -o text|json,
 * error reporting, exit codes, and one request/response exchange with the
 * agent.
 *
 * Errors: text goes to stderr as "rtenf VERB: message"; with -o json an
 * operational error is one line {"error":"..."} (plus "diagnostics" when the
 * agent sent some) on stderr.  Usage errors are always text followed by the
 * verb's usage: they need a person to fix the command line, and getopt may
 * meet them before it has seen -o.
 */
#ifndef RTENF_CLI_COMMON_H
#define RTENF_CLI_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "api.pb.h"
#include "cli.h"
#include "client.h"

#define EXIT_FAILED 1

/* How long a verb waits for the agent's answer.  Applying compiles and loads
 * BPF programs (the verifier can take seconds per hook), so it gets longer. */
#define CLI_CALL_TIMEOUT_MS  (30 * 1000)
#define CLI_APPLY_TIMEOUT_MS (120 * 1000)

enum cli_output {
	CLI_OUTPUT_TEXT,
	CLI_OUTPUT_JSON,
};

struct cli_ctx {
	const char *verb;       /* "apply": messages start "rtenf apply: " */
	const char *usage;      /* the whole --help text */
	const char *socket;     /* --socket, NULL when not given */
	enum cli_output output; /* -o; verbs without -o stay on text */
};

/* Values of long-only options; above any character getopt returns. */
enum {
	CLI_OPT_SOCKET = 0x100,
	CLI_OPT_FIRST_VERB_OPT, /* verbs number their long-only options from here */
};

#define CLI_LONGOPT_HELP   {"help", no_argument, NULL, 'h'}
#define CLI_LONGOPT_SOCKET {"socket", required_argument, NULL, CLI_OPT_SOCKET}
#define CLI_LONGOPT_OUTPUT {"output", required_argument, NULL, 'o'}

/* Prepares getopt_long for a fresh parse of a verb's arguments: verbs can
 * run more than once in a process (the unit tests do), and getopt's own
 * messages are replaced by cli_common_option()'s, which name the verb.
 * Option strings start with ':' so a missing value is told apart. */
void cli_getopt_reset(void);

/* Returned by cli_common_option() when parsing should go on. */
#define CLI_CONTINUE (-1)
/* Handles what getopt_long returned for an option the verb does not own:
 * -h/--help, --socket, -o text|json, and getopt's '?' and ':'.  Returns
 * CLI_CONTINUE, or the exit status the verb should return right away (0
 * after --help, EXIT_USAGE). */
int cli_common_option(struct cli_ctx *c, int opt, char **argv);

/* Parses a verb's arguments when it has no options of its own, only the
 * common ones (longopts); returns as cli_common_option() does, with
 * optind at the first operand. */
int cli_parse_common_options(struct cli_ctx *c, int argc, char **argv, const struct option *longopts);

/* Prints the usage on stdout; returns 0. */
int cli_help(const struct cli_ctx *c);
/* Prints "rtenf VERB: message" and the usage on stderr; returns EXIT_USAGE. */
__attribute__((format(printf, 2, 3))) int cli_usage_error(const struct cli_ctx *c, const char *fmt, ...);
/* Reports a failed operation on stderr (text or JSON); returns EXIT_FAILED. */
__attribute__((format(printf, 2, 3))) int cli_fail(const struct cli_ctx *c, const char *fmt, ...);
/* Same, followed by "file:line:col: message" diagnostics, one per line (in
 * JSON: a "diagnostics" array, left out when empty).  Returns EXIT_FAILED. */
int cli_fail_diags(const struct cli_ctx *c, const char *error, char *const *diags, size_t n_diags);

int cli_parse_output(const char *s, enum cli_output *out);
/* "audit" / "enforce"; returns -1 for anything else. */
int cli_parse_mode(const char *s, rtenf_PolicyMode *mode);

/* Connects to the agent (--socket, $RTENF_SOCKET, default).  Returns 0, or
 * EXIT_FAILED after reporting why. */
int cli_connect(const struct cli_ctx *c, struct rtenf_client *cl);
/* Sends req on cl and waits for the response.  Returns 0 when the agent
 * answered ok (the caller pb_release()s resp); otherwise reports the
 * failure, including the agent's error and diagnostics, releases resp and
 * returns EXIT_FAILED. */
int cli_call(const struct cli_ctx *c, struct rtenf_client *cl, const rtenf_Request *req,
	     rtenf_Response *resp, int timeout_ms);
/* cli_connect + cli_call + client_close, for one-shot verbs. */
int cli_request(const struct cli_ctx *c, const rtenf_Request *req, rtenf_Response *resp, int timeout_ms);

/* What a wire/client error code means, for messages ("the agent closed the
 * connection"). */
const char *cli_wire_strerror(int err);

/* Flushes stdout; a write error (disk full, closed pipe) becomes a reported
 * failure instead of output silently lost.  Returns 0 or EXIT_FAILED. */
int cli_flush_stdout(const struct cli_ctx *c);

#endif /* RTENF_CLI_COMMON_H */
