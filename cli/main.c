// SPDX-License-Identifier: GPL-2.0-only
/* rtenf: dispatches the first argument to a verb. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static const struct cli_verb verbs[] = {
	{"agent", cmd_agent, "run the agent: load policies, enforce, stream events"},
	{"apply", cmd_apply, "load a policy file or directory into the running agent"},
	{"delete", cmd_delete, "unload a policy"},
	{"mode", cmd_mode, "switch a policy between audit and enforce, live"},
	{"list", cmd_list, "policies, their hooks and counters, agent counters"},
	{"report", cmd_report, "what a policy would have enforced and did, by rule, binary, container"},
	{"getevents", cmd_getevents, "stream events from the agent"},
	{"validate", cmd_validate, "check policy files offline (no agent, no root)"},
	{"probe", cmd_probe, "what this kernel supports and what rtenf uses it for (offline)"},
	{"version", cmd_version, "print the version"},
};

static void usage(FILE *out)
{
	fprintf(out, "usage: rtenf <verb> [options]   (rtenf <verb> --help for a verb's options)\n\nverbs:\n");
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
		fprintf(out, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
		if (!strcmp(argv[1], verbs[i].name))
			return verbs[i].run(argc - 1, argv + 1);
	fprintf(stderr, "rtenf: unknown verb \"%s\"\n\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}

int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("rtenf %s\n", RTENF_VERSION);
	return 0;
}
