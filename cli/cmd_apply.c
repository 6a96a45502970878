// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf apply: sends policy files to the agent in one ApplyRequest, which
 * the agent applies all or none.  Every file is read before anything is sent,
 * so an unreadable file never leaves half a directory applied.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pb_decode.h>

#include "cli_common.h"
#include "event_format.h"
#include "info_json.h"
#include "names.h"
#include "policy_files.h"
#include "util.h"

static const char apply_usage[] =
	"usage: rtenf apply -f FILE|DIR [-f FILE|DIR ...] [--mode audit|enforce] [--replace]\n"
	"                   [--skip-unsupported] [--socket PATH] [-o text|json]\n"
	"\n"
	"Load TracingPolicy files into the running agent.  All of them are applied,\n"
	"or none.  A directory means its *.yaml and *.yml files, sorted by name\n"
	"(subdirectories are not searched).\n"
	"\n"
	"options:\n"
	"  -f, --file FILE|DIR  a policy file or a directory of them (repeatable)\n"
	"      --mode MODE      audit or enforce, for every policy applied; default:\n"
	"                       each policy's own policy-mode option, else audit\n"
	"      --replace        replace loaded policies that have the same names\n"
	"      --skip-unsupported  leave out the policies this kernel cannot run (say\n"
	"                       which and why) and apply the others\n"
	"      --socket PATH    the agent's socket (default: $RTENF_SOCKET, else\n"
	"                       " RTENF_DEFAULT_SOCKET ")\n"
	"  -o, --output FORMAT  text (default) or json\n"
	"  -h, --help           show this help\n"
	"\n"
	"exit status: 0 applied, 1 failed (nothing applied), 2 usage error\n";

enum {
	APPLY_OPT_MODE = CLI_OPT_FIRST_VERB_OPT,
	APPLY_OPT_REPLACE,
	APPLY_OPT_SKIP_UNSUPPORTED,
};

static const struct option apply_options[] = {
	{"file", required_argument, NULL, 'f'},
	{"mode", required_argument, NULL, APPLY_OPT_MODE},
	{"replace", no_argument, NULL, APPLY_OPT_REPLACE},
	{"skip-unsupported", no_argument, NULL, APPLY_OPT_SKIP_UNSUPPORTED},
	CLI_LONGOPT_OUTPUT,
	CLI_LONGOPT_SOCKET,
	CLI_LONGOPT_HELP,
	{0},
};

struct apply_args {
	rtenf_PolicyMode mode;
	bool replace;
	bool skip_unsupported;
};

/* Copies the files into the request (check_sizes() has passed). */
static void build_request(rtenf_Request *req, struct policy_files *set, const struct apply_args *args)
{
	rtenf_ApplyRequest *a = &req->request.apply;

	req->which_request = rtenf_Request_apply_tag;
	a->mode = args->mode;
	a->replace = args->replace;
	a->skip_unsupported = args->skip_unsupported;
	a->files_count = (pb_size_t)set->n;
	a->files = xcalloc(set->n, sizeof(*a->files));
	for (size_t i = 0; i < set->n; i++) {
		struct policy_file *f = &set->v[i];

		a->files[i].file_name = xstrdup(f->path);
		a->files[i].yaml = xstrndup(f->data, f->len);
	}
}

static void json_strings(struct strbuf *sb, const char *key, char **v, pb_size_t n)
{
	sb_printf(sb, ",\"%s\":[", key);
	for (pb_size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		json_put_string(sb, v[i] ? v[i] : "");
	}
	sb_putc(sb, ']');
}

/* Skipped policies (--skip-unsupported) are listed on stdout; why, the
 * agent's diagnostics, goes to stderr in text mode. */
static void print_applied(const struct cli_ctx *c, const rtenf_Response *resp, bool skip_unsupported)
{
	struct strbuf sb = {0};

	if (c->output == CLI_OUTPUT_JSON) {
		sb_puts(&sb, "{\"applied\":[");
		for (pb_size_t i = 0; i < resp->policies_count; i++) {
			if (i)
				sb_putc(&sb, ',');
			json_policy_info(&sb, &resp->policies[i]);
		}
		sb_putc(&sb, ']');
		if (skip_unsupported) {
			json_strings(&sb, "skipped", resp->skipped, resp->skipped_count);
			json_strings(&sb, "diagnostics", resp->diagnostics, resp->diagnostics_count);
		}
		sb_puts(&sb, "}\n");
	} else {
		for (pb_size_t i = 0; i < resp->policies_count; i++) {
			const rtenf_PolicyInfo *p = &resp->policies[i];

			sb_printf(&sb, "applied %s (%s, %u hook%s)\n", p->name ? p->name : "?",
				  policy_mode_wire_name(p->mode), (unsigned)p->hooks_count,
				  p->hooks_count == 1 ? "" : "s");
		}
		for (pb_size_t i = 0; i < resp->skipped_count; i++)
			sb_printf(&sb, "skipped %s (this kernel cannot run it; see the warnings)\n",
				  resp->skipped[i] ? resp->skipped[i] : "?");
		if (resp->skipped_count)
			for (pb_size_t i = 0; i < resp->diagnostics_count; i++)
				fprintf(stderr, "%s\n", resp->diagnostics[i] ? resp->diagnostics[i] : "");
	}
	fputs(sb.buf ? sb.buf : "", stdout);
	sb_free(&sb);
}

/* nanopb is built with 16-bit sizes (no PB_FIELD_32BIT), so a bytes field
 * holds at most PB_SIZE_MAX bytes; a larger file would be cut short. */
static int check_sizes(const struct cli_ctx *c, const struct policy_files *set)
{
	if (set->n > PB_SIZE_MAX)
		return cli_fail(c, "%zu policy files are more than one request carries (%u); "
				"apply them in several runs", set->n, (unsigned)PB_SIZE_MAX);
	/* the document travels as a string: a NUL byte would cut it short */
	for (size_t i = 0; i < set->n; i++)
		if (memchr(set->v[i].data, '\0', set->v[i].len))
			return cli_fail(c, "%s contains a NUL byte; a policy file is YAML text; nothing was applied",
					set->v[i].path);
	return 0;
}

static int apply_send(struct cli_ctx *c, struct policy_files *set, const struct apply_args *args)
{
	rtenf_Request req = rtenf_Request_init_zero;
	rtenf_Response resp;
	char err[512];
	int r;

	if (policy_files_read(set, err, sizeof(err)) < 0)
		return cli_fail(c, "%s; nothing was applied", err);
	r = check_sizes(c, set);
	if (r)
		return r;
	build_request(&req, set, args);
	r = cli_request(c, &req, &resp, CLI_APPLY_TIMEOUT_MS);
	pb_release(rtenf_Request_fields, &req);
	if (r)
		return r;
	print_applied(c, &resp, args->skip_unsupported);
	pb_release(rtenf_Response_fields, &resp);
	return cli_flush_stdout(c);
}

/* Expands the -f arguments and sends their files.  Runs after option
 * parsing, so a usage error anywhere on the line wins over a missing file and
 * a later -o json shapes the error. */
static int apply_run(struct cli_ctx *c, char **args, size_t n_args, const struct apply_args *aa)
{
	struct policy_files set = {0};
	char err[512];
	int r = 0;

	for (size_t i = 0; i < n_args && !r; i++)
		if (policy_files_add(&set, args[i], err, sizeof(err)) < 0)
			r = cli_fail(c, "%s; nothing was applied", err);
	if (!r)
		r = apply_send(c, &set, aa);
	policy_files_free(&set);
	return r;
}

int cmd_apply(int argc, char **argv)
{
	struct cli_ctx c = {.verb = "apply", .usage = apply_usage};
	struct apply_args aa = {.mode = rtenf_PolicyMode_POLICY_MODE_UNSET};
	char **args = NULL;
	size_t n_args = 0;
	int opt, r = CLI_CONTINUE;

	cli_getopt_reset();
	while (r == CLI_CONTINUE && (opt = getopt_long(argc, argv, ":f:o:h", apply_options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!*optarg)
				r = cli_usage_error(&c, "-f needs a file or a directory");
			else
				*VEC_PUSH(args, n_args) = optarg;
			break;
		case APPLY_OPT_MODE:
			if (cli_parse_mode(optarg, &aa.mode) < 0)
				r = cli_usage_error(&c, "unknown mode \"%s\"; use audit or enforce", optarg);
			break;
		case APPLY_OPT_REPLACE:
			aa.replace = true;
			break;
		case APPLY_OPT_SKIP_UNSUPPORTED:
			aa.skip_unsupported = true;
			break;
		default:
			r = cli_common_option(&c, opt, argv);
			break;
		}
	}
	if (r == CLI_CONTINUE && optind < argc)
		r = cli_usage_error(&c, "unexpected argument \"%s\"; give policy files with -f", argv[optind]);
	if (r == CLI_CONTINUE && !n_args)
		r = cli_usage_error(&c, "no policy given; use -f FILE or -f DIR");
	if (r == CLI_CONTINUE)
		r = apply_run(&c, args, n_args, &aa);
	free(args);
	return r;
}
