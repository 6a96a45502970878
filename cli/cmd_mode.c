// SPDX-License-Identifier: GPL-2.0-only
/* rtenf mode: switches a loaded policy between audit and enforce, live. */
#include <stdio.h>
#include <string.h>

#include <pb_decode.h>

#include "cli_common.h"
#include "event_format.h"
#include "info_json.h"
#include "names.h"
#include "util.h"

static const char mode_usage[] =
	"usage: rtenf mode NAME audit|enforce [--socket PATH] [-o text|json]\n"
	"\n"
	"Switch a loaded policy between audit (actions are reported, not applied)\n"
	"and enforce (actions are applied), without reloading it.\n"
	"\n"
	"options:\n"
	"      --socket PATH    the agent's socket (default: $RTENF_SOCKET, else\n"
	"                       " RTENF_DEFAULT_SOCKET ")\n"
	"  -o, --output FORMAT  text (default) or json\n"
	"  -h, --help           show this help\n"
	"\n"
	"exit status: 0 switched, 1 failed, 2 usage error\n";

static const struct option mode_options[] = {
	CLI_LONGOPT_OUTPUT,
	CLI_LONGOPT_SOCKET,
	CLI_LONGOPT_HELP,
	{0},
};

static int mode_run(const struct cli_ctx *c, char *name, rtenf_PolicyMode mode)
{
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp;
	struct strbuf sb = {0};
	int r;

	req.which_request = rtenf_Request_mode_tag;
	req.request.mode.name = name;
	req.request.mode.mode = mode;
	r = cli_request(c, &req, &resp, CLI_CALL_TIMEOUT_MS);
	if (r)
		return r;
	pb_release(rtenf_Response_fields, &resp);
	if (c->output == CLI_OUTPUT_JSON) {
		sb_puts(&sb, "{\"name\":");
		json_put_opt_string(&sb, name);
		sb_puts(&sb, ",\"mode\":");
		json_put_string(&sb, policy_mode_wire_name(mode));
		sb_puts(&sb, "}\n");
	} else {
		sb_printf(&sb, "policy %s is now in %s mode\n", name, policy_mode_wire_name(mode));
	}
	fputs(sb.buf, stdout);
	sb_free(&sb);
	return cli_flush_stdout(c);
}

int cmd_mode(int argc, char **argv)
{
	struct cli_ctx c = {.verb = "mode", .usage = mode_usage};
	rtenf_PolicyMode mode;
	int r;

	r = cli_parse_common_options(&c, argc, argv, mode_options);
	if (r != CLI_CONTINUE)
		return r;
	if (argc - optind != 2)
		return cli_usage_error(&c, "expected a policy name and a mode, got %d argument%s",
				       argc - optind, argc - optind == 1 ? "" : "s");
	if (!*argv[optind])
		return cli_usage_error(&c, "a policy name cannot be empty");
	if (cli_parse_mode(argv[optind + 1], &mode) < 0)
		return cli_usage_error(&c, "unknown mode \"%s\"; use audit or enforce", argv[optind + 1]);
	return mode_run(&c, argv[optind], mode);
}
