// SPDX-License-Identifier: GPL-2.0-only
/*
 * rtenf probe: what this kernel can do and what rtenf will use for each
 * kind of hook and action.  Runs offline: it loads and attaches the tiny
 * programs of kernel/probes.bpf.c itself, no agent involved, and asks the
 * policy compiler what it would choose with those answers.  Without root
 * the BPF probes cannot tell "refused because unprivileged" from "refused
 * because unsupported", so they are reported unknown rather than no.
 */
#include <stdio.h>
#include <string.h>

#include "cli_common.h"
#include "probe_format.h"

static const char probe_usage[] =
	"usage: rtenf probe [-o text|json]\n"
	"\n"
	"Try every kernel facility rtenf can use (kprobes, kprobe.multi, fentry,\n"
	"BPF LSM, fmod_ret, bpf_override_return, uprobes, cgroup socket programs,\n"
	"...) by loading and attaching a tiny program of each kind, and show what\n"
	"rtenf will use for each kind of hook and action on this kernel.  Needs no\n"
	"agent.  Needs root for most probes; without it they show as unknown.\n"
	"\n"
	"options:\n"
	"  -o, --output FORMAT  text (default) or json\n"
	"  -h, --help           show this help\n"
	"\n"
	"exit status: 0 probed (whatever the answers), 1 output failed, 2 usage error\n";

static const struct option probe_options[] = {
	CLI_LONGOPT_OUTPUT,
	CLI_LONGOPT_HELP,
	{0},
};

static void collect(struct probe_report *r)
{
	struct rtenf_hash_key key = {0};
	struct kernel_view kv;

	memset(r, 0, sizeof(*r));
	kernel_info_read(&r->kernel);
	for (int f = 0; f < FEAT_COUNT; f++) {
		const struct feature_result *res;

		if (feature_needs_privilege(f) && !r->kernel.privileged) {
			r->state[f] = FEATURE_UNKNOWN;
			continue;
		}
		res = feature_probe(f);
		r->state[f] = res->supported ? FEATURE_YES : FEATURE_NO;
		r->err[f] = res->err;
	}
	/* The compiler decides, against this kernel's tracefs, BTF and
	 * symbols; any key will do, nothing compiled is loaded. */
	kernel_view_init_live(&kv, &key);
	mechanism_plans_make(&r->plans, &kv, r->state);
}

static int probe_run(const struct cli_ctx *c)
{
	struct strbuf out = {0};
	struct probe_report r;

	collect(&r);
	if (c->output == CLI_OUTPUT_JSON)
		probe_format_json(&out, &r);
	else
		probe_format_text(&out, &r);
	/* Said on stderr as well, for output piped away; JSON has "privileged". */
	if (!r.kernel.privileged && c->output == CLI_OUTPUT_TEXT)
		fprintf(stderr, "rtenf probe: not root: the BPF probes did not run and show as unknown; "
				"run it as root for the full picture\n");
	probe_report_free(&r);
	fputs(out.buf, stdout);
	sb_free(&out);
	return cli_flush_stdout(c);
}

int cmd_probe(int argc, char **argv)
{
	struct cli_ctx c = {.verb = "probe", .usage = probe_usage};
	int r;

	r = cli_parse_common_options(&c, argc, argv, probe_options);
	if (r != CLI_CONTINUE)
		return r;
	if (optind < argc)
		return cli_usage_error(&c, "unexpected argument \"%s\"", argv[optind]);
	return probe_run(&c);
}
