// SPDX-License-Identifier: GPL-2.0-only
/*
 * The results: a table per loop on stdout and, with --json, every per-round
 * value so that anyone can recompute the table.  All derived numbers come
 * from the medians over rounds, so the columns of a row agree with each
 * other: +ns = x - a, x/b = x / b, (x-a)/(b-a) = +ns(x) / +ns(b).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"
#include "util.h"

struct cell {
	bool ok;
	double med, min, max;
};

static struct cell cell_of(const struct bench *b, enum bench_clock k, enum cfg_id id, enum bench_loop l)
{
	const double *v = b->ns[k][id][l];
	struct cell c = {0};
	int n = b->n_rounds[id];

	if (n <= 0)
		return c;
	c.ok = true;
	c.med = median(v, n);
	c.min = c.max = v[0];
	for (int r = 1; r < n; r++) {
		c.min = v[r] < c.min ? v[r] : c.min;
		c.max = v[r] > c.max ? v[r] : c.max;
	}
	return c;
}

int bpf_stats_enabled(void)
{
	char *s = read_file("/proc/sys/kernel/bpf_stats_enabled", NULL);
	int v = s ? atoi(s) : -1;

	free(s);
	return v;
}

/* Median of the rounds that had the program; < 0 when none had it. */
static double prog_median(const struct bench *b, enum cfg_id id, enum prog_tp t)
{
	double v[BENCH_MAX_ROUNDS];
	int n = 0;

	for (int r = 0; r < b->n_rounds[id]; r++)
		if (b->prog_ns[id][t][r] >= 0)
			v[n++] = b->prog_ns[id][t][r];
	return n ? median(v, n) : -1;
}

static void loadavg(char *buf, size_t size)
{
	char *s = read_file("/proc/loadavg", NULL);

	snprintf(buf, size, "%.*s", s ? (int)strcspn(s, " \n") : 1, s ? s : "?");
	free(s);
}

static const char *size_str(uint64_t bytes, char *buf, size_t size)
{
	if (bytes >= 1 << 20)
		snprintf(buf, size, "%.1f MiB", (double)bytes / (1 << 20));
	else if (bytes >= 1 << 10)
		snprintf(buf, size, "%.1f KiB", (double)bytes / (1 << 10));
	else
		snprintf(buf, size, "%llu B", (unsigned long long)bytes);
	return buf;
}

void report_header(const struct bench *b)
{
	struct utsname u;
	int stats = bpf_stats_enabled();
	char load[32];

	uname(&u);
	loadavg(load, sizeof(load));
	printf("rtenf bench: openat+close and getppid loops under %d configurations, and loops per\n"
	       "operator under 1, 100 and 10,000 values, side by side\n",
	       N_CFGS);
	printf("  %d rounds x %d batches x %ld ops per loop; a round sets up and tears down every\n"
	       "  configuration in turn, the order rotating from round to round; the table's clock:\n"
	       "  %s\n",
	       b->o.rounds, b->o.batches, b->o.ops,
	       b->o.clock == CLOCK_CPU ? "the loop thread's CPU time (time other tasks took the CPU is left out)"
				       : "CLOCK_MONOTONIC (wall time)");
	if (b->o.cpu >= 0)
		printf("  loops pinned to CPU %d; agent, CLI and bpftrace on the other CPUs\n", b->o.cpu);
	printf("  kernel %s %s, %ld CPUs online, load average %s at start\n", u.release, u.machine,
	       sysconf(_SC_NPROCESSORS_ONLN), load);
	printf("  kernel.bpf_stats_enabled=%d%s\n", stats,
	       stats == 1 ? ": the kernel also times every BPF program run, in every BPF row below" : "");
	printf("  pid namespace of the bench: %u (%s)\n", b->pidns,
	       b->host_pidns ? "the host's; the policies say host_ns" : "not the host's; the policies name it");
	printf("  openat target: %s; value loops: %s (matched), %s (unmatched)\n", b->target, b->vin, b->vout);
	if (b->bpftrace)
		printf("  bpftrace: %s\n", b->bpftrace_version[0] ? b->bpftrace_version : "(version unknown)");
	else
		printf("  (d) skipped: %s\n", b->skipped[CFG_BPFTRACE_NS]);
	printf("\n");
}

static void print_loop(const struct bench *b, enum bench_clock k, enum bench_loop l)
{
	struct cell a = cell_of(b, k, CFG_NONE, l), fl = cell_of(b, k, CFG_FLOOR, l);

	printf("%s: ns per %s, %s, median of the round medians\n", loop_name(l),
	       l == LOOP_OPENAT ? "openat+close pair" : "getppid call",
	       k == CLOCK_CPU ? "thread CPU time" : "wall time (CLOCK_MONOTONIC)");
	printf("     %-47s %7s %15s %8s %6s %11s %7s\n", "configuration", "ns/op", "rounds min-max", "+ns vs a",
	       "x/b", "(x-a)/(b-a)", k == CLOCK_CPU ? "wall" : "cpu");
	for (int id = 0; id < N_CFGS; id++) {
		struct cell c = cell_of(b, k, id, l);
		char range[32];

		if (!cfg_runs_loop(id, l))
			continue;
		if (!c.ok) {
			printf("%-4s %-47s skipped: %s\n", bench_cfgs[id].tag, bench_cfgs[id].what,
			       b->skipped[id] ? b->skipped[id] : "not measured");
			continue;
		}
		snprintf(range, sizeof(range), "%.0f-%.0f", c.min, c.max);
		printf("%-4s %-47s %7.0f %15s %+8.0f", bench_cfgs[id].tag, bench_cfgs[id].what, c.med, range,
		       a.ok ? c.med - a.med : 0);
		if (fl.ok)
			printf(" %6.2f", c.med / fl.med);
		if (a.ok && fl.ok && fl.med - a.med > 0)
			printf(" %11.2f", (c.med - a.med) / (fl.med - a.med));
		else
			printf(" %11s", "-");
		printf(" %7.0f\n", cell_of(b, !k, id, l).med);
	}
	printf("\n");
}

static void print_prog_row(const struct bench *b, enum cfg_id id, const enum prog_tp *tps, int n)
{
	printf("%-4s %-47s", bench_cfgs[id].tag, bench_cfgs[id].what);
	for (int i = 0; i < n; i++) {
		double ns = prog_median(b, id, tps[i]);

		if (ns < 0)
			printf(" %20s", "-");
		else
			printf(" %20.0f", ns);
	}
	printf("\n");
}

static void print_prog_times(const struct bench *b)
{
	static const enum prog_tp base[] = {TP_ENTER_OPENAT, TP_EXIT_OPENAT, TP_ENTER_GETPPID},
				  values[] = {TP_ENTER_FSTATAT, TP_ENTER_FACCESSAT, TP_ENTER_GETPPID, TP_ENTER_GETPID};

	if (!b->bpf_stats) {
		printf("program run times: not recorded (kernel.bpf_stats_enabled is not 1; the bench does\n"
		       "not turn it on, as that would slow every BPF program on the machine down)\n\n");
		return;
	}
	printf("BPF program run time: ns per run of the program body alone, from the kernel's\n"
	       "statistics (run_time_ns / run_cnt over the timed batches, every caller), median of rounds\n");
	printf("     %-47s", "configuration");
	for (size_t t = 0; t < sizeof(base) / sizeof(base[0]); t++)
		printf(" %20s", prog_tp_names[base[t]]);
	printf("\n");
	for (int id = CFG_FLOOR; id < N_CFGS; id++)
		if (b->n_rounds[id] && !values_cfg(id))
			print_prog_row(b, id, base, sizeof(base) / sizeof(base[0]));
	printf("     %-47s", "");
	for (size_t t = 0; t < sizeof(values) / sizeof(values[0]); t++)
		printf(" %20s", prog_tp_names[values[t]]);
	printf("\n     %-47s %20s %20s %20s %20s\n", "", "(Equal: half hits)", "(Prefix: half hits)",
	       "(binaries: hits)", "(binaries: misses)");
	for (int id = CFG_FLOOR; id < N_CFGS; id++)
		if (b->n_rounds[id] && values_cfg(id))
			print_prog_row(b, id, values, sizeof(values) / sizeof(values[0]));
	printf("\n");
}

static void print_memory(const struct bench *b)
{
	const struct bench_mem *c = &b->mem[CFG_RTENF_NS], *c2 = &b->mem[CFG_RTENF_LAST];
	const struct bench_mem *d = &b->mem[CFG_BPFTRACE_NS];
	char s1[32], s2[32];

	printf("memory (last round; rtenf from `rtenf list -o json`, bpftrace from /proc)\n");
	if (c->valid) {
		printf("  rtenf agent RSS (agent.agent_rss)          %s with (c), %s with (c')\n",
		       size_str(c->rss, s1, sizeof(s1)), size_str(c2->rss, s2, sizeof(s2)));
		printf("    right after start, before any apply      %s\n", size_str(c->rss_idle, s1, sizeof(s1)));
		printf("    left out: its mappings of BPF maps       %s (the ring buffer's pages, mapped twice;\n"
		       "                                             kernel memory, in base_kernel_memory)\n",
		       size_str(c->rss_bpf_maps, s1, sizeof(s1)));
		printf("  base sensor maps (base_kernel_memory)      %s, once per agent\n",
		       size_str(c->base_kernel, s1, sizeof(s1)));
		printf("  base sensor programs (base_program_memory) %s, once per agent\n",
		       size_str(c->base_prog, s1, sizeof(s1)));
		printf("  policy (c)  maps (kernel_memory)           %s for its 2 hooks\n",
		       size_str(c->policy_kernel, s1, sizeof(s1)));
		printf("  policy (c') maps (kernel_memory)           %s for its 2 hooks\n",
		       size_str(c2->policy_kernel, s1, sizeof(s1)));
		printf("  policy (c)  programs (program_memory)      %s (memlock and JIT images)\n",
		       size_str(c->prog_kernel, s1, sizeof(s1)));
		printf("  policy (c') programs (program_memory)      %s\n", size_str(c2->prog_kernel, s1, sizeof(s1)));
	}
	if (d->valid) {
		printf("  bpftrace RSS                               %s\n", size_str(d->rss, s1, sizeof(s1)));
		printf("  bpftrace maps (fdinfo memlock)             %s, as rtenf's kernel_memory\n",
		       size_str(d->policy_kernel, s1, sizeof(s1)));
		printf("  bpftrace programs (memlock and JIT images) %s, as rtenf's program_memory\n",
		       size_str(d->prog_kernel, s1, sizeof(s1)));
	}
	printf("\n");
}

/* The cost of values: each operator's matched and unmatched loop under
 * (a), (v1), (v100), (v10k); what each adds over (a); and the added cost
 * of (v10k) over that of (v1) (1.00: ten thousand values cost what one
 * costs). */
static void print_values(const struct bench *b, enum bench_clock k)
{
	static const char *const what[N_LOOPS] = {
		[LOOP_EQUAL_HIT] = "matchArgs Equal, matched",
		[LOOP_EQUAL_MISS] = "matchArgs Equal, unmatched",
		[LOOP_PREFIX_HIT] = "matchArgs Prefix, matched",
		[LOOP_PREFIX_MISS] = "matchArgs Prefix, unmatched",
		[LOOP_BINARY_HIT] = "matchBinaries In, matched",
		[LOOP_BINARY_MISS] = "matchBinaries In, unmatched",
	};

	printf("values per operator: ns per call with 1, 100 and 10,000 values in the filter,\n"
	       "%s, median of the round medians (syscall: newfstatat for Equal,\n"
	       "faccessat for Prefix, getppid / getpid for matchBinaries)\n",
	       k == CLOCK_CPU ? "thread CPU time" : "wall time (CLOCK_MONOTONIC)");
	printf("     %-28s %7s %7s %7s %7s %7s %7s %7s %8s %8s\n", "operator, event", "a", "v1", "v100", "v10k", "+v1",
	       "+v100", "+v10k", "v10k/v1", "v10k/v100");
	for (int l = N_BASE_LOOPS; l < N_LOOPS; l++) {
		struct cell a = cell_of(b, k, CFG_NONE, l), v1 = cell_of(b, k, CFG_VALUES_1, l),
			    v100 = cell_of(b, k, CFG_VALUES_100, l), v10k = cell_of(b, k, CFG_VALUES_10K, l);

		if (!a.ok || !v1.ok || !v100.ok || !v10k.ok) {
			printf("     %-28s not measured\n", what[l]);
			continue;
		}
		printf("     %-28s %7.0f %7.0f %7.0f %7.0f %+7.0f %+7.0f %+7.0f", what[l], a.med, v1.med, v100.med,
		       v10k.med, v1.med - a.med, v100.med - a.med, v10k.med - a.med);
		for (int i = 0; i < 2; i++) {
			double base = (i ? v100.med : v1.med) - a.med;

			if (base > 0)
				printf(" %8.2f", (v10k.med - a.med) / base);
			else
				printf(" %8s", "-");
		}
		printf("\n");
	}
	printf("+vN: ns/op minus (a)'s, what the hook costs the call with N values.  v10k/v1:\n"
	       "+v10k over +v1 (1.00: 10,000 values cost what 1 costs); v10k/v100 likewise.  A lone\n"
	       "Equal or In value is compared inline, two or more are looked up in a hash set, so\n"
	       "v100 is the first row with a lookup.  Differences below about 2 x 35 ns are noise.\n\n");
}

/* Matched calls (v*) must be exactly the matched loops' calls: the
 * warm-up and the timed batches of the Equal, Prefix and binaries loops,
 * plus one getppid a round: the helper that runs `rtenf list` for the
 * counters calls it before its exec, while it is still the bench binary
 * (children.c). */
static unsigned long long values_expected(const struct bench *b, enum cfg_id id)
{
	unsigned long long per_loop = (unsigned long long)(b->o.batches * b->o.ops + b->o.ops / 4 + 1);

	return (unsigned long long)b->n_rounds[id] * (per_loop * 3 + 1);
}

static void print_checks(const struct bench *b)
{
	printf("checks\n  selector matches over all rounds (must be 0, or more than filtering was timed):");
	for (int id = CFG_RTENF_NS; id < CFG_VALUES_1; id++)
		if (b->n_rounds[id])
			printf(" %s %llu", bench_cfgs[id].tag, (unsigned long long)b->mem[id].matched);
	printf("\n  selector matches of v1, v100, v10k (must be the matched loops' calls, no more):");
	for (int id = CFG_VALUES_1; id < N_CFGS; id++)
		if (b->n_rounds[id])
			printf(" %s %llu%s", bench_cfgs[id].tag, (unsigned long long)b->mem[id].matched,
			       b->mem[id].matched == values_expected(b, id) ? " (ok)" : " (WRONG)");
	if (b->n_rounds[CFG_VALUES_1])
		printf(", expected %llu each", values_expected(b, CFG_VALUES_1));
	printf("\n");
	if (b->n_rounds[CFG_RTENF_LAST])
		printf("  rtenf (c') decisions deferred to sys_exit_openat %llu, argument read errors %llu\n",
		       (unsigned long long)b->mem[CFG_RTENF_LAST].late,
		       (unsigned long long)b->mem[CFG_RTENF_LAST].read_errors);
	if (!b->n_foreign)
		printf("  no other BPF program was on a syscall tracepoint before any setup\n");
	{
		char load[32];

		loadavg(load, sizeof(load));
		printf("  load average %s at the end\n", load);
	}
	if (b->n_foreign)
		printf("  WARNING: other BPF programs were on syscall tracepoints in %d of %d rounds: every\n"
		       "  syscall paid for them, so the numbers above are disturbed; rerun when they are gone:\n",
		       b->rounds_disturbed, b->o.rounds);
	for (int i = 0; i < b->n_foreign; i++)
		printf("    pid %d (%s) on %s\n", (int)b->foreign[i].pid, b->foreign[i].comm, b->foreign[i].tp);
}

void report_table(const struct bench *b)
{
	for (int l = 0; l < N_BASE_LOOPS; l++)
		print_loop(b, b->o.clock, l);
	printf("x/b: ns/op over the floor's ns/op.  (x-a)/(b-a): added ns over the floor's added ns\n"
	       "(1.00 = as cheap as an empty program).  %s: the median by the other clock.\n"
	       "c and c' include rtenf's sys_exit_openat program; b+ is the floor for that shape.\n\n",
	       b->o.clock == CLOCK_CPU ? "wall" : "cpu");
	print_values(b, b->o.clock);
	print_prog_times(b);
	print_memory(b);
	print_checks(b);
}

static double per_100k_s(uint64_t ns, uint64_t events)
{
	return events ? (double)ns / 1e9 * 100000.0 / (double)events : 0;
}

void report_delivery(const struct bench *b)
{
	const struct delivery *d = &b->delivery;
	const struct delivery_trial *best = d->best >= 0 ? &d->trials[d->best] : NULL;
	struct cell a = cell_of(b, CLOCK_CPU, CFG_NONE, LOOP_GETPPID);

	if (!b->o.delivery_seconds)
		return;
	printf("delivery: every getppid of the bench matched and posted, one client reading (a thread of\n"
	       "  the bench on the helper CPUs), %d s per trial, ring buffer %u KiB; agent CPU is its\n"
	       "  utime+stime over the trial and the drain after it\n",
	       b->o.delivery_seconds, d->ringbuf >> 10);
	if (!d->valid) {
		printf("  not measured (see the messages above)\n\n");
		return;
	}
	printf("  %10s %10s %10s %10s %8s %7s %6s  %12s %13s %9s\n", "asked/s", "done/s", "generated", "delivered",
	       "backlog", "k.drops", "lost", "agent CPU s", "per 100k ev.", "ns/call");
	for (int i = 0; i < d->n; i++) {
		const struct delivery_trial *t = &d->trials[i];

		printf("  %10.0f %10.0f %10llu %10llu %8llu %7llu %6llu  %12.2f %13.2f %9.0f%s\n", t->rate_asked,
		       t->rate_done, (unsigned long long)t->generated, (unsigned long long)t->delivered,
		       (unsigned long long)t->backlog, (unsigned long long)t->kernel_drops,
		       (unsigned long long)t->lost_announced, (double)t->agent_cpu_ns / 1e9,
		       per_100k_s(t->agent_cpu_ns, t->delivered), t->gen_ns_per_call, t->lossless ? "" : "  LOSS");
	}
	if (!best) {
		printf("  no trial was lossless\n\n");
		return;
	}
	printf("  highest rate delivered with zero loss: %.0f events/s%s\n", best->rate_done,
	       d->generator_bound ? " (the generating loop's limit: a lower bound)" : "");
	printf("  agent CPU per 100k events at that rate: %.2f s; the client's: %.2f s\n",
	       per_100k_s(best->agent_cpu_ns, best->delivered), per_100k_s(best->client_cpu_ns, best->delivered));
	if (d->kept_up >= 0)
		printf("  highest rate the agent kept up with (lossless, backlog under 5%% when the loop stopped):\n"
		       "    %.0f events/s; above it the ring buffer absorbed the difference for %d s\n",
		       d->trials[d->kept_up].rate_done, b->o.delivery_seconds);
	if (a.ok)
		printf("  a matched, posted getppid costs the calling thread %.0f ns; unmatched with nothing\n"
		       "  attached, (a) above: %.0f ns\n",
		       best->gen_ns_per_call, a.med);
	printf("\n");
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The value at quantile q of v[0..n) (nearest rank), v sorted in place. */
static double quantile(double *v, int n, double q)
{
	int k;

	if (n <= 0)
		return 0;
	qsort(v, (size_t)n, sizeof(*v), cmp_dbl);
	k = (int)(q * n + 0.999999) - 1;
	return v[k < 0 ? 0 : k >= n ? n - 1 : k];
}

static const char *const scenario_what[N_SCENARIOS] = {
	[SCN_MINER] = "exec DIR/xmrig",
	[SCN_BREAKOUT] = "unshare in new pidns",
};

static const char *const scenario_how[N_SCENARIOS] = {
	[SCN_MINER] = "sys_exit_execve",
	[SCN_BREAKOUT] = "sys_enter_unshare",
};

struct spread {
	bool ok;
	double med, p99, min, max;
};

static struct spread spread_of(const double *v, int n)
{
	struct spread s = {0};
	double *c;

	if (n <= 0)
		return s;
	c = malloc((size_t)n * sizeof(*c));
	if (!c)
		return s;
	memcpy(c, v, (size_t)n * sizeof(*c));
	s.ok = true;
	s.med = quantile(c, n, 0.5);
	s.p99 = quantile(c, n, 0.99);
	s.min = c[0]; /* sorted by quantile() */
	s.max = c[n - 1];
	free(c);
	return s;
}

static void reaction_row(const char *label, const struct spread *sp, int which)
{
	printf("  %-44s", label);
	for (int s = 0; s < N_SCENARIOS; s++) {
		double v = which == 0 ? sp[s].med : which == 1 ? sp[s].p99 : which == 2 ? sp[s].min : sp[s].max;

		if (sp[s].ok)
			printf(" %18.0f", v / 1e3);
		else
			printf(" %18s", "-");
	}
	printf("\n");
}

void report_reaction(const struct bench *b)
{
	struct spread client[N_SCENARIOS], hook[N_SCENARIOS];
	static const char *const stat[] = {"median", "p99", "min", "max"};
	struct utsname u;
	char load[32], label[64];

	uname(&u);
	loadavg(load, sizeof(load));
	printf("reaction: an offending process against the policy that kills it, enforce mode, side by side\n");
	printf("  %d runs per scenario, the scenarios alternating; kernel %s %s, %ld CPUs online,\n"
	       "  load average %s at the end\n\n",
	       b->o.runs, u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN), load);
	for (int s = 0; s < N_SCENARIOS; s++) {
		client[s] = spread_of(b->reaction[s].lat_ns, b->reaction[s].n_lat);
		hook[s] = spread_of(b->reaction[s].hook_ns, b->reaction[s].n_lat);
	}
	printf("  %-44s", "");
	for (int s = 0; s < N_SCENARIOS; s++)
		printf(" %18s", reaction_scenario_names[s]);
	printf("\n  %-44s", "what the process does");
	for (int s = 0; s < N_SCENARIOS; s++)
		printf(" %18s", scenario_what[s]);
	printf("\n  %-44s", "where rtenf kills it");
	for (int s = 0; s < N_SCENARIOS; s++)
		printf(" %18s", scenario_how[s]);
	printf("\n  %-44s", "runs");
	for (int s = 0; s < N_SCENARIOS; s++)
		printf(" %18d", b->reaction[s].runs);
	printf("\n  %-44s", "killed by SIGKILL");
	for (int s = 0; s < N_SCENARIOS; s++)
		printf(" %18d", b->reaction[s].killed);
	printf("\n  %-44s", "ran code of its own after the syscall (runs)");
	for (int s = 0; s < N_SCENARIOS; s++)
		printf(" %18d", b->reaction[s].ran_after);
	printf("\n  %-44s", "events missing at the client");
	for (int s = 0; s < N_SCENARIOS; s++)
		printf(" %18d", b->reaction[s].no_event);
	printf("\n  %-44s", "audit-mode control run: the marker showed");
	for (int s = 0; s < N_SCENARIOS; s++)
		printf(" %18s", b->reaction[s].control_ran && b->reaction[s].control_event ? "yes"
				: b->reaction[s].control_ran ? "yes, no event" : "NO");
	printf("\n");
	for (size_t i = 0; i < 4; i++) {
		snprintf(label, sizeof(label), "us syscall -> getevents client, %s", stat[i]);
		reaction_row(label, client, (int)i);
	}
	for (size_t i = 0; i < 2; i++) {
		snprintf(label, sizeof(label), "us syscall -> event time (hook ran), %s", stat[i]);
		reaction_row(label, hook, (int)i);
	}
	for (int s = 0; s < N_SCENARIOS; s++) {
		const struct reaction_result *r = &b->reaction[s];

		if (r->killed != r->runs || r->ran_after || r->no_event || !r->control_ran || !r->control_event)
			printf("  WARNING: %s: %d of %d killed, %d ran code after the syscall, %d events missing%s\n",
			       reaction_scenario_names[s], r->killed, r->runs, r->ran_after, r->no_event,
			       r->control_ran ? "" : ", the control run showed no marker");
	}
}

static void json_reaction(FILE *f, const struct bench *b)
{
	fprintf(f, ",\"reaction\":[");
	for (int s = 0; s < N_SCENARIOS; s++) {
		const struct reaction_result *r = &b->reaction[s];

		fprintf(f, "%s{\"scenario\":\"%s\",\"runs\":%d,\"killed\":%d,\"ran_after\":%d,\"no_event\":%d,"
			   "\"control_ran\":%s,\"control_event\":%s,\"latency_ns\":[",
			s ? "," : "", reaction_scenario_names[s], r->runs, r->killed, r->ran_after, r->no_event,
			r->control_ran ? "true" : "false", r->control_event ? "true" : "false");
		for (int i = 0; i < r->n_lat; i++)
			fprintf(f, "%s%.0f", i ? "," : "", r->lat_ns[i]);
		fprintf(f, "],\"hook_ns\":[");
		for (int i = 0; i < r->n_lat; i++)
			fprintf(f, "%s%.0f", i ? "," : "", r->hook_ns[i]);
		fprintf(f, "]}");
	}
	fprintf(f, "]");
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_config(FILE *f, const struct bench *b, enum cfg_id id)
{
	const struct bench_mem *m = &b->mem[id];

	fprintf(f, "{\"tag\":");
	json_string(f, bench_cfgs[id].tag);
	fprintf(f, ",\"what\":");
	json_string(f, bench_cfgs[id].what);
	fprintf(f, ",\"skipped\":");
	if (b->skipped[id])
		json_string(f, b->skipped[id]);
	else
		fprintf(f, "null");
	fprintf(f, ",\"loops\":{");
	for (int k = 0; k < N_CLOCKS; k++) {
		fprintf(f, "%s\"%s\":{", k ? "," : "", clock_name(k));
		for (int l = 0, first = 1; l < N_LOOPS; l++) {
			struct cell c = cell_of(b, k, id, l);

			if (!cfg_runs_loop(id, l))
				continue;
			fprintf(f, "%s\"%s\":{\"median_ns\":%.1f,\"min_ns\":%.1f,\"max_ns\":%.1f,\"rounds_ns\":[",
				first ? "" : ",", loop_name(l), c.med, c.min, c.max);
			first = 0;
			for (int r = 0; r < b->n_rounds[id]; r++)
				fprintf(f, "%s%.1f", r ? "," : "", b->ns[k][id][l][r]);
			fprintf(f, "]}");
		}
		fprintf(f, "}");
	}
	fprintf(f, "},\"program_ns\":{");
	for (int t = 0; t < N_PROG_TPS; t++) {
		double ns = prog_median(b, id, t);

		fprintf(f, "%s\"%s\":", t ? "," : "", prog_tp_names[t]);
		if (ns < 0)
			fprintf(f, "null");
		else
			fprintf(f, "%.1f", ns);
	}
	fprintf(f, "}");
	if (m->valid)
		fprintf(f,
			",\"memory\":{\"rss\":%llu,\"rss_bpf_map_mappings\":%llu,\"rss_before_apply\":%llu,"
			"\"base_kernel_memory\":%llu,\"base_program_memory\":%llu,\"kernel_memory\":%llu,"
			"\"program_memory\":%llu},\"matched\":%llu",
			(unsigned long long)m->rss, (unsigned long long)m->rss_bpf_maps,
			(unsigned long long)m->rss_idle, (unsigned long long)m->base_kernel,
			(unsigned long long)m->base_prog, (unsigned long long)m->policy_kernel,
			(unsigned long long)m->prog_kernel, (unsigned long long)m->matched);
	fprintf(f, "}");
}

int report_json(const struct bench *b, const char *path)
{
	struct utsname u;
	FILE *f = fopen(path, "w");

	if (!f) {
		perror(path);
		return -1;
	}
	uname(&u);
	fprintf(f, "{\"kernel\":");
	json_string(f, u.release);
	fprintf(f, ",\"clock\":\"%s\"", clock_name(b->o.clock));
	fprintf(f, ",\"cpus\":%ld,\"cpu\":%d,\"rounds\":%d,\"batches\":%d,\"ops\":%ld,\"bpf_stats_enabled\":%d,"
		   "\"host_pidns\":%s,\"bpftrace\":",
		sysconf(_SC_NPROCESSORS_ONLN), b->o.cpu, b->o.rounds, b->o.batches, b->o.ops, bpf_stats_enabled(),
		b->host_pidns ? "true" : "false");
	json_string(f, b->bpftrace ? b->bpftrace_version : "");
	fprintf(f, ",\"rounds_disturbed\":%d,\"configs\":[", b->rounds_disturbed);
	for (int id = 0; id < N_CFGS; id++) {
		fprintf(f, "%s", id ? "," : "");
		json_config(f, b, id);
	}
	fprintf(f, "]");
	if (b->delivery.valid) {
		const struct delivery *d = &b->delivery;

		fprintf(f, ",\"delivery\":{\"seconds\":%d,\"ringbuf\":%u,\"generator_bound\":%s,\"best\":%d,"
			   "\"kept_up\":%d,\"trials\":[",
			b->o.delivery_seconds, d->ringbuf, d->generator_bound ? "true" : "false", d->best, d->kept_up);
		for (int i = 0; i < d->n; i++) {
			const struct delivery_trial *t = &d->trials[i];

			fprintf(f,
				"%s{\"rate_asked\":%.0f,\"rate_done\":%.1f,\"generated\":%llu,\"matched\":%llu,"
				"\"delivered\":%llu,\"backlog\":%llu,\"kernel_drops\":%llu,\"lost_announced\":%llu,"
				"\"agent_cpu_ns\":%llu,\"client_cpu_ns\":%llu,\"ns_per_call\":%.1f,\"lossless\":%s}",
				i ? "," : "", t->rate_asked, t->rate_done, (unsigned long long)t->generated,
				(unsigned long long)t->matched, (unsigned long long)t->delivered,
				(unsigned long long)t->backlog, (unsigned long long)t->kernel_drops,
				(unsigned long long)t->lost_announced, (unsigned long long)t->agent_cpu_ns,
				(unsigned long long)t->client_cpu_ns, t->gen_ns_per_call, t->lossless ? "true" : "false");
		}
		fprintf(f, "]}");
	}
	if (b->reaction_done)
		json_reaction(f, b);
	fprintf(f, "}\n");
	if (fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}
