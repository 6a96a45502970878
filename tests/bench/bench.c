// SPDX-License-Identifier: GPL-2.0-only
/*
 * `make bench` (docs/bench.md): rounds of every configuration, interleaved.
 *
 * A round sets up each configuration in turn, times the two loops under it
 * and tears it down again, so that no configuration ever runs with
 * another's programs attached; before each setup the bench checks that no
 * BPF program at all sits on a syscall tracepoint.  The order rotates from
 * round to round, so with 7 rounds every configuration takes every
 * position once and slow drifts of the machine hit all of them alike.
 * Within a configuration the loops alternate batch by batch and the
 * round's value is the median of its batches; the report gives the median
 * over rounds.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bench.h"

#define PROC_PID_INIT_INO 0xEFFFFFFCU /* the initial pid namespace: include/linux/proc_ns.h */

volatile sig_atomic_t bench_stop;

static int none_setup(struct bench *b, enum cfg_id id)
{
	(void)b;
	(void)id;
	return 0;
}

static void none_teardown(struct bench *b, enum cfg_id id)
{
	(void)b;
	(void)id;
}

const struct bench_cfg bench_cfgs[N_CFGS] = {
	[CFG_NONE] = {"a", "nothing attached", none_setup, NULL, none_teardown},
	[CFG_FLOOR] = {"b", "empty BPF program (the floor)", empty_setup, NULL, empty_teardown},
	[CFG_FLOOR_EXIT] = {"b+", "empty program, also on sys_exit_openat", empty_setup, NULL, empty_teardown},
	[CFG_RTENF_NS] = {"c", "rtenf: namespace rejects", rtenf_setup, rtenf_inspect, rtenf_teardown},
	[CFG_RTENF_LAST] = {"c'", "rtenf: namespace passes, last filter rejects", rtenf_setup, rtenf_inspect,
			    rtenf_teardown},
	[CFG_BPFTRACE_NS] = {"d", "bpftrace: namespace rejects", bpftrace_setup, bpftrace_inspect,
			     bpftrace_teardown},
	[CFG_BPFTRACE_LAST] = {"d'", "bpftrace: namespace passes, last filter rejects", bpftrace_setup,
			       bpftrace_inspect, bpftrace_teardown},
	[CFG_VALUES_1] = {"v1", "rtenf: one filter per hook, 1 value", rtenf_setup, rtenf_inspect, rtenf_teardown},
	[CFG_VALUES_100] = {"v100", "rtenf: one filter per hook, 100 values", rtenf_setup, rtenf_inspect,
			    rtenf_teardown},
	[CFG_VALUES_10K] = {"v10k", "rtenf: one filter per hook, 10,000 values", rtenf_setup, rtenf_inspect,
			    rtenf_teardown},
};

/* (a) runs every loop, as the reference of both groups; (b) to (d') the
 * two base loops; (v*) the loops of their operators. */
bool cfg_runs_loop(enum cfg_id id, enum bench_loop l)
{
	if (id == CFG_NONE)
		return true;
	return values_cfg(id) ? l >= N_BASE_LOOPS : l < N_BASE_LOOPS;
}

/* An empty file at path, and its directory. */
static int make_file(const char *path)
{
	char *dir = strdup(path);
	int fd;

	if (!dir)
		return -1;
	*strrchr(dir, '/') = '\0';
	if (mkdir(dir, 0700) && errno != EEXIST) {
		free(dir);
		return -1;
	}
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "rtenf\n", 6) != 6 || close(fd))
		return -1;
	return 0;
}

/* libbpf's warnings (a verifier log, say) are worth seeing; its chatter is not. */
static int libbpf_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bench [--section all|overhead|reaction] [--rounds N] [--ops N] [--batches N]\n"
		   "             [--cpu N|-1] [--clock cpu|monotonic] [--runs N] [--delivery-seconds N]\n"
		   "             [--json FILE] [--no-bpftrace]\n"
		   "\n"
		   "What rtenf costs syscalls it does not match, side by side with nothing\n"
		   "attached, an empty BPF program and bpftrace, and what 1, 100 and 10,000 values\n"
		   "per operator cost matched and unmatched calls; and how fast it stops an\n"
		   "offending process.  Needs root.  See docs/bench.md.\n"
		   "\n"
		   "  --section S    overhead (the loops), reaction (miner and breakout kills), or\n"
		   "                 all (default)\n"
		   "  --rounds N     rounds; each sets up every configuration once (default 7)\n"
		   "  --ops N        syscalls per timed batch (default 20000)\n"
		   "  --batches N    timed batches per loop and configuration in a round (default 5)\n"
		   "  --cpu N        CPU the loops run on, -1 for none (default: the last allowed CPU;\n"
		   "                 the agent and bpftrace run on the others)\n"
		   "  --clock C      the table's clock: cpu (the loop thread's CPU time, default) or\n"
		   "                 monotonic (wall time); the other is shown too\n"
		   "  --json FILE    also write every per-round value, by both clocks, to FILE\n"
		   "  --no-bpftrace  skip (d) and (d')\n"
		   "  --delivery-seconds N\n"
		   "                 seconds per trial of the delivery section (default 2; 0 skips it)\n"
		   "  --runs N       reaction: runs per scenario (default 100)\n"
		   "environment: RTENF (the rtenf binary, default build/rtenf), BPFTRACE (default: PATH)\n");
}

static long parse_num(const char *s, const char *opt, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi) {
		fprintf(stderr, "bench: %s wants a number from %ld to %ld, not \"%s\"\n", opt, lo, hi, s);
		exit(2);
	}
	return v;
}

static void parse_opts(struct bench_opts *o, int argc, char **argv)
{
	static const struct option longs[] = {
		{"rounds", required_argument, NULL, 'r'}, {"ops", required_argument, NULL, 'n'},
		{"batches", required_argument, NULL, 'B'}, {"cpu", required_argument, NULL, 'c'},
		{"json", required_argument, NULL, 'j'},  {"no-bpftrace", no_argument, NULL, 'X'},
		{"clock", required_argument, NULL, 'C'}, {"help", no_argument, NULL, 'h'},
		{"delivery-seconds", required_argument, NULL, 'D'},
		{"section", required_argument, NULL, 'S'}, {"runs", required_argument, NULL, 'R'},
		{NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct bench_opts){
		.rounds = 7, .ops = 20000, .batches = 5, .cpu = -2, .bpftrace = true, .clock = CLOCK_CPU,
		.delivery_seconds = 2,
		.runs = 100,
	};
	while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
		switch (c) {
		case 'r':
			o->rounds = (int)parse_num(optarg, "--rounds", 1, BENCH_MAX_ROUNDS);
			break;
		case 'n':
			o->ops = parse_num(optarg, "--ops", 100, 100000000);
			break;
		case 'B':
			o->batches = (int)parse_num(optarg, "--batches", 1, BENCH_MAX_BATCHES);
			break;
		case 'c':
			o->cpu = (int)parse_num(optarg, "--cpu", -1, CPU_SETSIZE - 1);
			break;
		case 'j':
			o->json_path = optarg;
			break;
		case 'X':
			o->bpftrace = false;
			break;
		case 'D':
			o->delivery_seconds = (int)parse_num(optarg, "--delivery-seconds", 0, 60);
			break;
		case 'C':
			if (strcmp(optarg, "cpu") && strcmp(optarg, "monotonic")) {
				fprintf(stderr, "bench: --clock is cpu or monotonic, not \"%s\"\n", optarg);
				exit(2);
			}
			o->clock = strcmp(optarg, "cpu") ? CLOCK_WALL : CLOCK_CPU;
			break;
		case 'S':
			if (!strcmp(optarg, "all")) {
				o->section = SECTION_ALL;
			} else if (!strcmp(optarg, "overhead")) {
				o->section = SECTION_OVERHEAD;
			} else if (!strcmp(optarg, "reaction")) {
				o->section = SECTION_REACTION;
			} else {
				fprintf(stderr, "bench: --section is all, overhead or reaction, not \"%s\"\n", optarg);
				exit(2);
			}
			break;
		case 'R':
			o->runs = (int)parse_num(optarg, "--runs", 1, BENCH_MAX_RUNS);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (optind < argc) {
		usage(stderr);
		exit(2);
	}
}

static void on_signal(int sig)
{
	if (bench_stop) { /* a second Ctrl-C: helpers die with us (PR_SET_PDEATHSIG) */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	bench_stop = 1;
}

/* The loops run alone on one CPU; helpers get the others (if any). */
static int pin(struct bench *b)
{
	cpu_set_t allowed, self;
	int last = -1;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return -1;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &allowed))
			last = c;
	if (b->o.cpu == -2)
		b->o.cpu = last;
	if (b->o.cpu < 0)
		return 0;
	if (!CPU_ISSET(b->o.cpu, &allowed)) {
		fprintf(stderr, "bench: CPU %d is not one this process may run on\n", b->o.cpu);
		return -1;
	}
	CPU_ZERO(&self);
	CPU_SET(b->o.cpu, &self);
	if (sched_setaffinity(0, sizeof(self), &self))
		return -1;
	CPU_CLR(b->o.cpu, &allowed);
	if (CPU_COUNT(&allowed) > 0) {
		b->others_size = sizeof(allowed);
		b->others = malloc(sizeof(allowed));
		if (!b->others)
			return -1;
		memcpy(b->others, &allowed, sizeof(allowed));
	}
	return 0;
}

static int prepare(struct bench *b)
{
	struct stat st;

	b->rtenf = getenv("RTENF") ? getenv("RTENF") : "build/rtenf";
	if (access(b->rtenf, X_OK)) {
		fprintf(stderr, "bench: no rtenf binary at %s (set RTENF, or run `make bench`)\n", b->rtenf);
		return -1;
	}
	if (pin(b)) {
		fprintf(stderr, "bench: cannot pin to CPU %d: %s\n", b->o.cpu, strerror(errno));
		return -1;
	}
	snprintf(b->dir, sizeof(b->dir), "%s", "/tmp/rtenf-bench-XXXXXX");
	if (!mkdtemp(b->dir)) {
		fprintf(stderr, "bench: cannot create a temporary directory: %s\n", strerror(errno));
		b->dir[0] = '\0';
		return -1;
	}
	/* The file the openat loop opens: ours, so it exists and is small. */
	snprintf(b->target, sizeof(b->target), "%s/target", b->dir);
	/* The value loops' files: same length, one inside the listed directory. */
	snprintf(b->vin, sizeof(b->vin), "%s/in/target", b->dir);
	snprintf(b->vout, sizeof(b->vout), "%s/out/target", b->dir);
	for (const char *f = b->target; f; f = f == b->target ? b->vin : f == b->vin ? b->vout : NULL)
		if (make_file(f)) {
			fprintf(stderr, "bench: cannot create %s: %s\n", f, strerror(errno));
			return -1;
		}
	if (stat("/proc/self/ns/pid", &st)) {
		fprintf(stderr, "bench: cannot read /proc/self/ns/pid: %s\n", strerror(errno));
		return -1;
	}
	b->pidns = (uint32_t)st.st_ino;
	b->host_pidns = st.st_ino == PROC_PID_INIT_INO;
	b->bpf_stats = bpf_stats_enabled() == 1;
	if (b->o.bpftrace)
		bpftrace_find(b);
	if (!b->bpftrace) {
		const char *why = b->o.bpftrace ? "bpftrace not installed" : "--no-bpftrace";

		b->skipped[CFG_BPFTRACE_NS] = why;
		b->skipped[CFG_BPFTRACE_LAST] = why;
	}
	libbpf_set_print(libbpf_warnings);
	return rtenf_prepare(b) || values_prepare(b) ? -1 : 0;
}

/* Every helper and program gone, whatever state we stopped in. */
static void cleanup(struct bench *b)
{
	for (int id = 0; id < N_CFGS; id++)
		bench_cfgs[id].teardown(b, id);
	empty_unload(b);
	if (b->dir[0] && !getenv("RTENF_BENCH_KEEP") && remove_tree(b->dir))
		fprintf(stderr, "bench: could not remove %s\n", b->dir);
	free(b->others);
}

/* Nothing may sit on a syscall tracepoint between two configurations: not
 * a leftover of ours (a bug: abort), not another tool (noted). */
static int check_alone(struct bench *b, int round, bool *disturbed)
{
	struct foreign_tracer t[8];
	int n = syscall_tracers(0, t, 8);

	for (int i = 0; i < n && i < 8; i++) {
		bool known = false;

		if (t[i].pid == getpid()) {
			fprintf(stderr, "bench: our own program is still on %s: teardown failed\n", t[i].tp);
			return -1;
		}
		for (int j = 0; j < b->n_foreign; j++)
			known |= b->foreign[j].pid == t[i].pid && !strcmp(b->foreign[j].tp, t[i].tp);
		if (!known && b->n_foreign < (int)(sizeof(b->foreign) / sizeof(b->foreign[0]))) {
			b->foreign[b->n_foreign++] = t[i];
			fprintf(stderr, "bench: round %d: pid %d (%s) has a BPF program on %s: numbers are disturbed\n",
				round + 1, (int)t[i].pid, t[i].comm, t[i].tp);
		}
	}
	if (n > 0 && !*disturbed) {
		*disturbed = true;
		b->rounds_disturbed++;
	}
	return 0;
}

/* Who holds the configuration's programs, for the kernel's statistics. */
static pid_t prog_holder(const struct bench *b, enum cfg_id id)
{
	switch (id) {
	case CFG_FLOOR:
	case CFG_FLOOR_EXIT:
		return getpid();
	case CFG_RTENF_NS:
	case CFG_RTENF_LAST:
	case CFG_VALUES_1:
	case CFG_VALUES_100:
	case CFG_VALUES_10K:
		return b->agent;
	case CFG_BPFTRACE_NS:
	case CFG_BPFTRACE_LAST:
		return b->bpftrace_pid;
	default:
		return 0;
	}
}

static void prog_snapshot(const struct bench *b, pid_t pid, struct prog_stat snap[N_PROG_TPS])
{
	struct prog_stat all[16];
	int n = b->bpf_stats && pid > 0 ? syscall_prog_stats(pid, all, 16) : 0;

	memset(snap, 0, N_PROG_TPS * sizeof(*snap));
	for (int t = 0; t < N_PROG_TPS; t++)
		for (int i = 0; i < n; i++)
			if (!strcmp(all[i].tp, prog_tp_names[t]))
				snap[t] = all[i];
}

static int measure(struct bench *b, enum cfg_id id)
{
	struct prog_stat before[N_PROG_TPS], after[N_PROG_TPS];
	double v[N_CLOCKS][N_LOOPS][BENCH_MAX_BATCHES], ns[N_CLOCKS];
	int r = b->n_rounds[id], err;

	/* warm-up: caches, the dentry of the target, the agent's first scan */
	for (int l = 0; l < N_LOOPS; l++) {
		if (!cfg_runs_loop(id, l))
			continue;
		err = loop_batch(b, l, b->o.ops / 4 + 1, ns);
		if (err) {
			fprintf(stderr, "bench: the %s loop failed: %s\n", loop_name(l), strerror(-err));
			return -1;
		}
	}
	/* the snapshots are taken outside the timed batches */
	prog_snapshot(b, prog_holder(b, id), before);
	for (int i = 0; i < b->o.batches && !bench_stop; i++)
		for (int l = 0; l < N_LOOPS; l++) {
			if (!cfg_runs_loop(id, l))
				continue;
			loop_batch(b, l, b->o.ops, ns);
			for (int c = 0; c < N_CLOCKS; c++)
				v[c][l][i] = ns[c];
		}
	if (bench_stop)
		return -1;
	prog_snapshot(b, prog_holder(b, id), after);
	for (int c = 0; c < N_CLOCKS; c++)
		for (int l = 0; l < N_LOOPS; l++)
			b->ns[c][id][l][r] = cfg_runs_loop(id, l) ? median(v[c][l], b->o.batches) : 0;
	for (int t = 0; t < N_PROG_TPS; t++) {
		uint64_t runs = after[t].run_cnt - before[t].run_cnt;

		b->prog_ns[id][t][r] = after[t].prog_id && after[t].prog_id == before[t].prog_id && runs
					       ? (double)(after[t].run_ns - before[t].run_ns) / (double)runs
					       : -1;
	}
	b->n_rounds[id]++;
	return 0;
}

static int run_round(struct bench *b, int round)
{
	bool disturbed = false;

	for (int k = 0; k < N_CFGS && !bench_stop; k++) {
		enum cfg_id id = (enum cfg_id)((round + k) % N_CFGS);
		const struct bench_cfg *c = &bench_cfgs[id];

		if (b->skipped[id])
			continue;
		if (check_alone(b, round, &disturbed))
			return -1;
		if (c->setup(b, id)) {
			if (bench_stop)
				return -1;
			if (id == CFG_BPFTRACE_NS || id == CFG_BPFTRACE_LAST) {
				/* bpftrace is someone else's tool: report, go on */
				b->skipped[id] = "bpftrace failed to attach (see above)";
				continue;
			}
			return -1;
		}
		if (measure(b, id)) {
			c->teardown(b, id);
			return -1;
		}
		if (c->inspect)
			c->inspect(b, id);
		c->teardown(b, id);
	}
	return bench_stop ? -1 : 0;
}

/* The reaction section, after the overhead rounds: its agent must not
 * disturb them. */
static int run_reaction(struct bench *b)
{
	for (int s = 0; s < N_SCENARIOS; s++)
		b->reaction[s].lat_ns = calloc((size_t)b->o.runs, sizeof(double));
	for (int s = 0; s < N_SCENARIOS; s++)
		b->reaction[s].hook_ns = calloc((size_t)b->o.runs, sizeof(double));
	fprintf(stderr, "bench: reaction, %d runs per scenario\n", b->o.runs);
	if (reaction_run(b))
		return -1;
	b->reaction_done = true;
	return 0;
}

int main(int argc, char **argv)
{
	static struct bench b;
	struct sigaction sa = {.sa_handler = on_signal};
	int rc = 0, rounds_done = 0;
	bool overhead, reaction;

	parse_opts(&b.o, argc, argv);
	overhead = b.o.section != SECTION_REACTION;
	reaction = b.o.section != SECTION_OVERHEAD;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		fprintf(stderr, "bench: needs root: it loads BPF programs and starts the rtenf agent.\n"
				"Run it as root: sudo make bench\n");
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (prepare(&b)) {
		cleanup(&b);
		return 1;
	}
	if (overhead)
		report_header(&b);
	for (int r = 0; overhead && r < b.o.rounds; r++) {
		if (run_round(&b, r)) {
			rc = 1;
			break;
		}
		rounds_done++;
		fprintf(stderr, "bench: round %d/%d done%s", r + 1, b.o.rounds, isatty(2) ? "\r" : "\n");
	}
	if (overhead && isatty(2))
		fprintf(stderr, "\n");
	if (!bench_stop && rounds_done == b.o.rounds && b.o.delivery_seconds) {
		bool disturbed = false;

		fprintf(stderr, "bench: delivery trials, %d s each\n", b.o.delivery_seconds);
		if (check_alone(&b, b.o.rounds, &disturbed) || delivery_run(&b))
			rc = 1;
	}
	if (reaction && !rc && !bench_stop && run_reaction(&b))
		rc = 1;
	cleanup(&b);
	if (bench_stop) {
		fprintf(stderr, "bench: interrupted; everything it attached is detached%s\n",
			rounds_done ? ", results of the finished rounds follow" : "");
		rc = 130;
	}
	if (rounds_done == 0 && !b.reaction_done)
		return rc ? rc : 1;
	if (rounds_done) {
		report_table(&b);
		report_delivery(&b);
	}
	if (b.reaction_done) {
		if (rounds_done)
			printf("\n");
		report_reaction(&b);
	}
	if (b.o.json_path && report_json(&b, b.o.json_path))
		rc = rc ? rc : 1;
	for (int s = 0; s < N_SCENARIOS; s++) {
		free(b.reaction[s].lat_ns);
		free(b.reaction[s].hook_ns);
	}
	return rc;
}
