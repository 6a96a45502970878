// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf validate: checks policy files offline, with the parser and compiler
 * the agent uses, so CI can reject a bad policy before it reaches a node.
 * Needs no agent and no root; without root the tracepoints themselves cannot
 * be checked against this kernel, and it says so.  Every file is checked,
 * like a compiler, rather than stopping at the first bad one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "diag.h"
#include "event_format.h"
#include "policy_check.h"
#include "policy_files.h"
#include "util.h"

static const char validate_usage[] =
	"usage: rtenf validate [-o text|json] FILE|DIR...\n"
	"\n"
	"Check TracingPolicy files without loading them: needs no agent and no root.\n"
	"A directory means its *.yaml and *.yml files, sorted by name (subdirectories\n"
	"are not searched).  As root, tracepoints and their arguments are also\n"
	"checked against the running kernel.\n"
	"\n"
	"options:\n"
	"  -o, --output FORMAT  text (default) or json\n"
	"  -h, --help           show this help\n"
	"\n"
	"exit status: 0 all valid, 1 any file invalid or unreadable, 2 usage error\n";

static const struct option validate_options[] = {
	CLI_LONGOPT_OUTPUT,
	CLI_LONGOPT_HELP,
	{0},
};

struct validate_totals {
	bool failed;
	size_t n_parsed;         /* files whose policy was parsed */
	size_t n_kernel_checked; /* ... and checked against this kernel */
	struct strbuf json;      /* the "files" array so far */
	size_t n_json;
};

static void json_file(struct validate_totals *t, const char *file, bool ok, const char *policy,
		      unsigned n_hooks, const struct diag_list *diags, const char *read_error)
{
	struct strbuf *sb = &t->json;

	sb_puts(sb, t->n_json++ ? ",{\"file\":" : "{\"file\":");
	json_put_string(sb, file);
	sb_printf(sb, ",\"ok\":%s,\"policy\":", ok ? "true" : "false");
	if (policy)
		json_put_string(sb, policy);
	else
		sb_puts(sb, "null");
	sb_printf(sb, ",\"hooks\":%u,\"diagnostics\":[", n_hooks);
	if (read_error)
		json_put_string(sb, read_error);
	for (size_t i = 0; diags && i < diags->n; i++) {
		char *line = diag_format(&diags->v[i]);

		if (i || read_error)
			sb_putc(sb, ',');
		json_put_string(sb, line);
		free(line);
	}
	sb_puts(sb, "]}");
}

static void check_file(const struct cli_ctx *c, struct validate_totals *t, struct policy_file *f)
{
	struct policy_check_result res = {0};
	struct diag_list diags = {0};
	char err[512];
	bool ok;

	if (policy_file_read(f, err, sizeof(err)) < 0) {
		t->failed = true;
		if (c->output == CLI_OUTPUT_JSON)
			json_file(t, f->path, false, NULL, 0, NULL, err);
		else
			fprintf(stderr, "rtenf validate: %s\n", err);
		return;
	}
	ok = policy_check(f->data, f->len, f->path, &diags, &res) == 0;
	/* a rejected policy may stop compiling before the kernel is read:
	 * only valid ones say whether it was */
	if (res.name && ok) {
		t->n_parsed++;
		t->n_kernel_checked += res.kernel_checked;
	}
	t->failed |= !ok;
	if (c->output == CLI_OUTPUT_JSON) {
		json_file(t, f->path, ok, res.name, res.n_hooks, &diags, NULL);
	} else {
		/* Warnings are shown for valid files too. */
		diag_print(stderr, &diags);
		if (!ok && !diags.n)
			fprintf(stderr, "%s: invalid policy\n", f->path);
		if (ok)
			printf("%s: ok (policy %s, %u hook%s)\n", f->path, res.name ? res.name : "?",
			       res.n_hooks, res.n_hooks == 1 ? "" : "s");
	}
	/* Free the contents now: a directory may hold many large files. */
	free(f->data);
	f->data = NULL;
	diag_list_free(&diags);
	policy_check_result_free(&res);
}

/* A directory without policies is reported like an unreadable file, and
 * the other arguments are still checked. */
static void add_arg(const struct cli_ctx *c, struct validate_totals *t, struct policy_files *set,
		    const char *arg)
{
	char err[512];

	if (policy_files_add(set, arg, err, sizeof(err)) == 0)
		return;
	t->failed = true;
	if (c->output == CLI_OUTPUT_JSON)
		json_file(t, arg, false, NULL, 0, NULL, err);
	else
		fprintf(stderr, "rtenf validate: %s\n", err);
}

static int validate_run(const struct cli_ctx *c, char **args, int n_args)
{
	struct validate_totals t = {0};
	struct policy_files set = {0};
	bool kernel_checked;

	for (int i = 0; i < n_args; i++) {
		size_t first = set.n;

		add_arg(c, &t, &set, args[i]);
		for (size_t j = first; j < set.n; j++)
			check_file(c, &t, &set.v[j]);
	}
	/* "Checked against this kernel" holds only if every parsed policy
	 * was; with nothing parsed, nothing was. */
	kernel_checked = t.n_parsed && t.n_kernel_checked == t.n_parsed;
	if (c->output == CLI_OUTPUT_JSON) {
		printf("{\"files\":[%s],\"kernel_checked\":%s}\n", t.json.buf ? t.json.buf : "",
		       kernel_checked ? "true" : "false");
	} else if (t.n_parsed && !kernel_checked) {
		fprintf(stderr, "note: tracepoints were not checked against this kernel: "
				"tracefs is not readable%s\n",
			geteuid() ? "; run as root to check them too" : "");
	}
	sb_free(&t.json);
	policy_files_free(&set);
	if (cli_flush_stdout(c))
		return EXIT_FAILED;
	return t.failed ? EXIT_FAILED : 0;
}

int cmd_validate(int argc, char **argv)
{
	struct cli_ctx c = {.verb = "validate", .usage = validate_usage};
	int r;

	r = cli_parse_common_options(&c, argc, argv, validate_options);
	if (r != CLI_CONTINUE)
		return r;
	if (optind >= argc)
		return cli_usage_error(&c, "no policy file given");
	for (int i = optind; i < argc; i++)
		if (!*argv[i])
			return cli_usage_error(&c, "a file name cannot be empty");
	return validate_run(&c, argv + optind, argc - optind);
}
