// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf delete: unloads policies by name, one DeleteRequest each.  Like rm, a
 * name that fails does not stop the others; the exit status says whether all
 * went.  Only when the agent cannot be reached at all does it stop early.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pb_decode.h>

#include "cli_common.h"
#include "info_json.h"
#include "util.h"

static const char delete_usage[] =
	"usage: rtenf delete NAME... [--socket PATH] [-o text|json]\n"
	"\n"
	"Unload policies from the running agent.  Each name is deleted on its own:\n"
	"one that fails does not keep the others loaded.\n"
	"\n"
	"options:\n"
	"      --socket PATH    the agent's socket (default: $RTENF_SOCKET, else\n"
	"                       " RTENF_DEFAULT_SOCKET ")\n"
	"  -o, --output FORMAT  text (default) or json\n"
	"  -h, --help           show this help\n"
	"\n"
	"exit status: 0 all deleted, 1 any not deleted, 2 usage error\n";

static const struct option delete_options[] = {
	CLI_LONGOPT_OUTPUT,
	CLI_LONGOPT_SOCKET,
	CLI_LONGOPT_HELP,
	{0},
};

/* Returns 0 when deleted; -1 when the agent cannot be reached (give up);
 * 1 when this name failed. */
static int delete_one(const struct cli_ctx *c, const char *name)
{
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp;
	struct rtenf_client cl;
	int r;

	if (cli_connect(c, &cl))
		return -1;
	req.which_request = rtenf_Request_delete_tag;
	req.request.delete.name = (char *)name;
	r = cli_call(c, &cl, &req, &resp, CLI_CALL_TIMEOUT_MS);
	client_close(&cl);
	if (r)
		return 1;
	pb_release(rtenf_Response_fields, &resp);
	return 0;
}

static int delete_run(const struct cli_ctx *c, char **names, int n)
{
	struct strbuf json = {0};
	int failed = 0, n_deleted = 0;

	sb_puts(&json, "{\"deleted\":[");
	for (int i = 0; i < n; i++) {
		int r = delete_one(c, names[i]);

		if (r < 0) {
			failed = 1;
			break;
		}
		if (r) {
			failed = 1;
			continue;
		}
		if (c->output == CLI_OUTPUT_TEXT) {
			printf("deleted %s\n", names[i]);
		} else {
			if (n_deleted)
				sb_putc(&json, ',');
			json_put_opt_string(&json, names[i]);
		}
		n_deleted++;
	}
	sb_puts(&json, "]}\n");
	/* In JSON the result is printed even after a failure: a script learns
	 * from it which names are gone. */
	if (c->output == CLI_OUTPUT_JSON)
		fputs(json.buf, stdout);
	sb_free(&json);
	if (cli_flush_stdout(c))
		return EXIT_FAILED;
	return failed ? EXIT_FAILED : 0;
}

int cmd_delete(int argc, char **argv)
{
	struct cli_ctx c = {.verb = "delete", .usage = delete_usage};
	int r;

	r = cli_parse_common_options(&c, argc, argv, delete_options);
	if (r != CLI_CONTINUE)
		return r;
	if (optind >= argc)
		return cli_usage_error(&c, "no policy name given");
	for (int i = optind; i < argc; i++)
		if (!*argv[i])
			return cli_usage_error(&c, "a policy name cannot be empty");
	return delete_run(&c, argv + optind, argc - optind);
}
