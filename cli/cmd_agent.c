// SPDX-License-Identifier: GPL-2.0-only
/* rtenf agent: parse options, run the agent. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent.h"
#include "cli.h"
#include "log.h"
#include "pin_store.h"
#include "util.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: rtenf agent [options]\n"
		"\n"
		"Loads the base sensor and the given policies, enforces them in the kernel and\n"
		"streams events to clients (`rtenf getevents`).  Runs in the foreground until\n"
		"SIGINT or SIGTERM, then unloads everything (unless --keep-on-exit).  Programs\n"
		"and maps are pinned under --bpf-dir: if the agent is killed or crashes, every\n"
		"policy keeps enforcing, and the next agent with that directory adopts them.\n"
		"\n"
		"  --policy FILE|DIR      apply these policies at start (repeatable; a directory\n"
		"                         means its *.yaml files); all or nothing\n"
		"  --skip-unsupported     leave out start-up policies this kernel cannot run\n"
		"                         (logged with the reason) and apply the others\n"
		"  --mode audit|enforce   mode of policies that set no policy-mode (default enforce)\n"
		"  --stdout compact|json|none\n"
		"                         also print events on stdout (default none)\n"
		"  --color auto|always|never   colours in compact stdout output (default auto)\n"
		"  --socket PATH          control socket (default $RTENF_SOCKET or %s)\n"
		"  --bpf-dir DIR|none     bpffs directory for the pins (default %s);\n"
		"                         none: enforcement ends with the agent, whatever the cause\n"
		"  --keep-on-exit         on SIGTERM/SIGINT leave the pinned policies enforcing\n"
		"  --cleanup              unpin everything rtenf pinned in --bpf-dir, then exit\n"
		"  --ringbuf-size BYTES   kernel ring buffer size, a power of two (default 8M)\n"
		"  --max-processes N      process table size (default 65536)\n"
		"  --policy-memory-limit SIZE\n"
		"                         refuse a policy whose maps need more kernel memory\n"
		"                         (k/M/G suffixes; default: no limit)\n"
		"  --client-queue-size BYTES\n"
		"                         events queued per slow client before it loses some\n"
		"                         (default 8M)\n"
		"  --resume-wait SECONDS  after adopting pins, wait this long for a first client\n"
		"                         before reading what the kernel queued meanwhile (default 5)\n"
		"  --report-rows N        distinct rows per table of `rtenf report`, per policy\n"
		"                         (default 128; more are counted in an \"other\" row)\n"
		"  --log-level error|warn|info|debug   (default info; debug shows verifier logs)\n"
		"  --daemon               detach once started\n",
		RTENF_DEFAULT_SOCKET, PIN_DEFAULT_DIR);
}

static int parse_size64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoull(s, &end, 10);
	if (end == s || v > (1ull << 40))
		return -1;
	if (*end == 'k' || *end == 'K')
		v <<= 10, end++;
	else if (*end == 'm' || *end == 'M')
		v <<= 20, end++;
	else if (*end == 'g' || *end == 'G')
		v <<= 30, end++;
	if (*end || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_size(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_size64(s, 1ull << 30, &v))
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int cmd_agent(int argc, char **argv)
{
	static const struct option opts[] = {
		{"policy", required_argument, NULL, 'p'},
		{"mode", required_argument, NULL, 'm'},
		{"stdout", required_argument, NULL, 'o'},
		{"color", required_argument, NULL, 'c'},
		{"socket", required_argument, NULL, 's'},
		{"bpf-dir", required_argument, NULL, 'b'},
		{"ringbuf-size", required_argument, NULL, 'r'},
		{"max-processes", required_argument, NULL, 'n'},
		{"report-rows", required_argument, NULL, 'R'},
		{"log-level", required_argument, NULL, 'l'},
		{"daemon", no_argument, NULL, 'd'},
		{"keep-on-exit", no_argument, NULL, 'K'},
		{"cleanup", no_argument, NULL, 'C'},
		{"policy-memory-limit", required_argument, NULL, 'M'},
		{"client-queue-size", required_argument, NULL, 'Q'},
		{"resume-wait", required_argument, NULL, 'W'},
		{"skip-unsupported", no_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{0},
	};
	struct agent_config cfg = {
		.default_mode = RTENF_MODE_ENFORCE,
		.stdout_format = AGENT_STDOUT_NONE,
		.ringbuf_bytes = 8u << 20,
		.max_processes = 65536,
		.bpf_dir = PIN_DEFAULT_DIR,
		.resume_wait_s = 5,
	};
	const char *color = "auto";
	bool cleanup = false;
	int c, level, code, li = 0;
	uint64_t v;
	char *end;

	cfg.socket_path = getenv("RTENF_SOCKET") ? getenv("RTENF_SOCKET") : RTENF_DEFAULT_SOCKET;
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, &li)) != -1) {
		switch (c) {
		case 'p':
			cfg.policy_paths = xrealloc(cfg.policy_paths, (cfg.n_policy_paths + 1) * sizeof(char *));
			cfg.policy_paths[cfg.n_policy_paths++] = optarg;
			break;
		case 'm':
			if (!strcmp(optarg, "audit"))
				cfg.default_mode = RTENF_MODE_AUDIT;
			else if (!strcmp(optarg, "enforce"))
				cfg.default_mode = RTENF_MODE_ENFORCE;
			else
				goto bad_value;
			break;
		case 'o':
			if (!strcmp(optarg, "compact"))
				cfg.stdout_format = AGENT_STDOUT_COMPACT;
			else if (!strcmp(optarg, "json"))
				cfg.stdout_format = AGENT_STDOUT_JSON;
			else if (!strcmp(optarg, "none"))
				cfg.stdout_format = AGENT_STDOUT_NONE;
			else
				goto bad_value;
			break;
		case 'c':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				goto bad_value;
			color = optarg;
			break;
		case 's':
			cfg.socket_path = optarg;
			break;
		case 'b':
			if (!*optarg)
				goto bad_value;
			cfg.bpf_dir = strcmp(optarg, "none") ? optarg : NULL;
			break;
		case 'K':
			cfg.keep_on_exit = true;
			break;
		case 'C':
			cleanup = true;
			break;
		case 'M':
			if (parse_size64(optarg, UINT64_MAX, &cfg.policy_memory_limit))
				goto bad_value;
			break;
		case 'Q':
			if (parse_size(optarg, &cfg.client_queue_bytes) || cfg.client_queue_bytes < 4096) {
				fprintf(stderr, "rtenf agent: --client-queue-size must be between 4k and 1G\n");
				goto usage_error;
			}
			break;
		case 'W':
			v = strtoull(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || v > 3600)
				goto bad_value;
			cfg.resume_wait_s = (unsigned)v;
			break;
		case 'r':
			if (parse_size(optarg, &cfg.ringbuf_bytes) || (cfg.ringbuf_bytes & (cfg.ringbuf_bytes - 1)) ||
			    cfg.ringbuf_bytes < 4096) {
				fprintf(stderr, "rtenf agent: --ringbuf-size must be a power of two of at least 4096 (e.g. 8M)\n");
				goto usage_error;
			}
			cfg.ringbuf_given = true;
			break;
		case 'n':
			if (parse_size(optarg, &cfg.max_processes))
				goto bad_value;
			cfg.max_processes_given = true;
			break;
		case 'R':
			if (parse_size(optarg, &cfg.report_rows) || cfg.report_rows > 65536)
				goto bad_value;
			break;
		case 'l':
			level = log_level_parse(optarg);
			if (level < 0)
				goto bad_value;
			log_set_level((enum log_level)level);
			break;
		case 'd':
			cfg.daemonize = true;
			break;
		case 'u':
			cfg.skip_unsupported = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			goto usage_error;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "rtenf agent: unexpected argument \"%s\"\n", argv[optind]);
		goto usage_error;
	}
	cfg.color = !strcmp(color, "always") || (!strcmp(color, "auto") && isatty(1));
	if (cleanup && cfg.n_policy_paths) {
		fprintf(stderr, "rtenf agent: --cleanup removes pins and exits; it takes no --policy\n");
		goto usage_error;
	}
	code = cleanup ? agent_cleanup(&cfg) : agent_run(&cfg);
	free(cfg.policy_paths);
	return code;

bad_value:
	fprintf(stderr, "rtenf agent: invalid value \"%s\" for --%s\n", optarg, opts[li].name);
usage_error:
	free(cfg.policy_paths);
	usage(stderr);
	return EXIT_USAGE;
}
