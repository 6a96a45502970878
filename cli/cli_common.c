// SPDX-License-Identifier: GPL-2.0-only
#include "cli_common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <pb_decode.h>

#include "event_format.h"
#include "util.h"
#include "wire.h"

void cli_getopt_reset(void)
{
	optind = 0; /* 0, not 1: makes glibc reinitialise its internal state */
	opterr = 0;
}

int cli_parse_common_options(struct cli_ctx *c, int argc, char **argv, const struct option *longopts)
{
	int opt, r = CLI_CONTINUE;

	cli_getopt_reset();
	while (r == CLI_CONTINUE && (opt = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1)
		r = cli_common_option(c, opt, argv);
	return r;
}

/* The option as the user typed it: "--output" or "-o". */
static void print_bad_option(struct strbuf *sb, int opt_char, const char *arg)
{
	if (arg && !strncmp(arg, "--", 2)) {
		const char *eq = strchr(arg, '=');

		sb_append(sb, arg, eq ? (size_t)(eq - arg) : strlen(arg));
	} else if (opt_char > 0 && opt_char < 0x100) {
		sb_printf(sb, "-%c", opt_char);
	} else {
		sb_puts(sb, arg ? arg : "?");
	}
}

static int option_error(const struct cli_ctx *c, int opt, char **argv)
{
	/* After an error getopt has stepped past the offending word, unless
	 * it was inside a cluster of short options (-xq). */
	const char *arg = optind > 0 ? argv[optind - 1] : NULL;
	struct strbuf sb = {0};
	int r;

	if (opt == ':') {
		sb_puts(&sb, "option ");
		print_bad_option(&sb, optopt, arg);
		sb_puts(&sb, " needs a value");
	} else if (optopt && arg && !strncmp(arg, "--", 2) && strchr(arg, '=')) {
		sb_puts(&sb, "option ");
		print_bad_option(&sb, optopt, arg);
		sb_puts(&sb, " takes no value");
	} else {
		sb_puts(&sb, "unknown option ");
		print_bad_option(&sb, optopt, optopt ? NULL : arg);
	}
	r = cli_usage_error(c, "%s", sb.buf);
	sb_free(&sb);
	return r;
}

int cli_common_option(struct cli_ctx *c, int opt, char **argv)
{
	switch (opt) {
	case 'h':
		return cli_help(c);
	case CLI_OPT_SOCKET:
		if (!*optarg)
			return cli_usage_error(c, "--socket needs a path");
		c->socket = optarg;
		return CLI_CONTINUE;
	case 'o':
		if (cli_parse_output(optarg, &c->output) < 0)
			return cli_usage_error(c, "unknown output format \"%s\"; use text or json", optarg);
		return CLI_CONTINUE;
	case ':':
	case '?':
		return option_error(c, opt, argv);
	default:
		/* An option in the verb's table that its switch forgot. */
		return cli_usage_error(c, "option %s is not handled", argv[optind - 1]);
	}
}

int cli_help(const struct cli_ctx *c)
{
	fputs(c->usage, stdout);
	return 0;
}

int cli_usage_error(const struct cli_ctx *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "rtenf %s: ", c->verb);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	fputs(c->usage, stderr);
	return EXIT_USAGE;
}

static void print_error_json(const char *error, char *const *diags, size_t n_diags)
{
	struct strbuf sb = {0};

	sb_puts(&sb, "{\"error\":");
	json_put_string(&sb, error);
	if (n_diags) {
		sb_puts(&sb, ",\"diagnostics\":[");
		for (size_t i = 0; i < n_diags; i++) {
			if (i)
				sb_putc(&sb, ',');
			json_put_string(&sb, diags[i] ? diags[i] : "");
		}
		sb_putc(&sb, ']');
	}
	sb_puts(&sb, "}\n");
	fputs(sb.buf, stderr);
	sb_free(&sb);
}

static int report(const struct cli_ctx *c, const char *error, char *const *diags, size_t n_diags)
{
	if (c->output == CLI_OUTPUT_JSON) {
		print_error_json(error, diags, n_diags);
		return EXIT_FAILED;
	}
	fprintf(stderr, "rtenf %s: %s\n", c->verb, error);
	for (size_t i = 0; i < n_diags; i++)
		fprintf(stderr, "%s\n", diags[i] ? diags[i] : "");
	return EXIT_FAILED;
}

int cli_fail(const struct cli_ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int r;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		die_oom();
	va_end(ap);
	r = report(c, msg, NULL, 0);
	free(msg);
	return r;
}

int cli_fail_diags(const struct cli_ctx *c, const char *error, char *const *diags, size_t n_diags)
{
	return report(c, error, diags, n_diags);
}

int cli_parse_output(const char *s, enum cli_output *out)
{
	if (!strcmp(s, "text"))
		*out = CLI_OUTPUT_TEXT;
	else if (!strcmp(s, "json"))
		*out = CLI_OUTPUT_JSON;
	else
		return -1;
	return 0;
}

int cli_parse_mode(const char *s, rtenf_PolicyMode *mode)
{
	if (!strcmp(s, "audit"))
		*mode = rtenf_PolicyMode_POLICY_MODE_AUDIT;
	else if (!strcmp(s, "enforce"))
		*mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE;
	else
		return -1;
	return 0;
}

int cli_connect(const struct cli_ctx *c, struct rtenf_client *cl)
{
	char err[512];

	if (client_connect(cl, c->socket, err, sizeof(err)) < 0)
		return cli_fail(c, "%s", err);
	return 0;
}

const char *cli_wire_strerror(int err)
{
	switch (err) {
	case -ETIMEDOUT:
		return "no answer in time";
	case -ECONNRESET:
		return "the agent closed the connection";
	case -EPROTO:
		return "undecodable message; are rtenf and the agent the same version?";
	case -EMSGSIZE:
		return "message larger than the 32 MiB frame limit";
	case -EINVAL:
		return "cannot encode the request";
	default:
		return strerror(-err);
	}
}

int cli_call(const struct cli_ctx *c, struct rtenf_client *cl, const rtenf_Request *req,
	     rtenf_Response *resp, int timeout_ms)
{
	int r = client_call(cl, req, resp, timeout_ms);

	if (r == -ETIMEDOUT)
		return cli_fail(c, "the agent at %s did not answer within %d s; check its log",
				cl->path, timeout_ms / 1000);
	if (r == -ECONNRESET)
		return cli_fail(c, "the agent at %s closed the connection without answering; check its log",
				cl->path);
	if (r)
		return cli_fail(c, "request to the agent at %s failed: %s", cl->path, cli_wire_strerror(r));
	if (!resp->ok) {
		const char *error = resp->error && *resp->error ? resp->error : "the agent refused the request";

		r = cli_fail_diags(c, error, resp->diagnostics, resp->diagnostics_count);
		pb_release(rtenf_Response_fields, resp);
		return r;
	}
	return 0;
}

int cli_request(const struct cli_ctx *c, const rtenf_Request *req, rtenf_Response *resp, int timeout_ms)
{
	struct rtenf_client cl;
	int r;

	memset(resp, 0, sizeof(*resp));
	r = cli_connect(c, &cl);
	if (r)
		return r;
	r = cli_call(c, &cl, req, resp, timeout_ms);
	client_close(&cl);
	return r;
}

int cli_flush_stdout(const struct cli_ctx *c)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	return cli_fail(c, "cannot write the output: %s", strerror(errno));
}
