/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `make bench`: what rtenf costs a syscall it does not match, next to
 * nothing attached, an empty BPF program (the floor) and bpftrace, measured
 * side by side in one run.  docs/bench.md explains the method and the output.
 *
 * One file per job: bench.c runs the rounds, loops.c times the syscalls,
 * cfg_*.c set up and tear down one kind of configuration each, tracers.c
 * finds BPF programs on syscall tracepoints, children.c starts and stops
 * helper processes, report.c prints the results.
 */
#ifndef RTENF_BENCH_H
#define RTENF_BENCH_H

#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_MAX_ROUNDS  99
#define BENCH_MAX_BATCHES 99
#define BENCH_MAX_RUNS    100000

/* The syscall loops.  The first two run under (a) to (d'); the others,
 * one syscall per operator so that each has its own hook, under (a) and
 * (v1), (v100), (v10k).  "hit" calls match the filter, "miss" calls do not. */
enum bench_loop {
	LOOP_OPENAT,      /* openat(fixed file) + close */
	LOOP_GETPPID,     /* getppid(): the cheapest syscall, so overhead shows most */
	LOOP_EQUAL_HIT,   /* newfstatat(vin): filename Equal, listed */
	LOOP_EQUAL_MISS,  /* newfstatat(vout): not listed */
	LOOP_PREFIX_HIT,  /* faccessat(vin): filename Prefix, under a listed directory */
	LOOP_PREFIX_MISS, /* faccessat(vout): under none */
	LOOP_BINARY_HIT,  /* getppid(): matchBinaries In, the bench is listed */
	LOOP_BINARY_MISS, /* getpid(): matchBinaries In, the bench is not listed */
	N_LOOPS,
};
#define N_BASE_LOOPS LOOP_EQUAL_HIT /* loops of (a) to (d') */

/* The two clocks every batch is timed with (loops.c). */
enum bench_clock {
	CLOCK_WALL, /* CLOCK_MONOTONIC */
	CLOCK_CPU,  /* CLOCK_THREAD_CPUTIME_ID */
	N_CLOCKS,
};

/* Configurations, in the order the report lists them. */
enum cfg_id {
	CFG_NONE,         /* (a) nothing attached */
	CFG_FLOOR,        /* (b) empty program on both sys_enter tracepoints */
	CFG_FLOOR_EXIT,   /* (b+) (b) plus an empty program on sys_exit_openat */
	CFG_RTENF_NS,     /* (c) rtenf, the namespace filter rejects */
	CFG_RTENF_LAST,   /* (c') rtenf, the namespace passes, the last filter rejects */
	CFG_BPFTRACE_NS,  /* (d) bpftrace, same filter as (c) */
	CFG_BPFTRACE_LAST,/* (d') bpftrace, same filter as (c') */
	CFG_VALUES_1,     /* (v1) rtenf, a matching selector, 1 value per filter */
	CFG_VALUES_100,   /* (v100) ... 100 values */
	CFG_VALUES_10K,   /* (v10k) ... 10,000 values */
	N_CFGS,
};

/* What a run measures: --section. */
enum bench_section {
	SECTION_ALL,
	SECTION_OVERHEAD, /* the loops under every configuration */
	SECTION_REACTION, /* how fast an offending process is stopped (reaction.c) */
};

struct bench_opts {
	enum bench_section section;
	int runs;              /* reaction: runs per scenario */
	int rounds;
	long ops;              /* syscalls per timed batch */
	int batches;           /* timed batches per loop, configuration and round */
	int cpu;               /* CPU the loops run on; -1: not pinned */
	const char *json_path; /* NULL: no JSON */
	bool bpftrace;         /* false: --no-bpftrace */
	enum bench_clock clock;/* the one the table shows */
	int delivery_seconds;  /* per delivery trial; 0: no delivery section */
};

/* One delivery trial (delivery.c): getppid at a paced rate, every call
 * matched and posted, one client counting what arrives. */
struct delivery_trial {
	double rate_asked, rate_done; /* calls per second */
	double seconds;               /* the loop's wall time */
	uint64_t generated;           /* calls made */
	uint64_t matched;             /* the policy's matched counter, this trial */
	uint64_t delivered;           /* hook events the client received */
	uint64_t backlog;             /* not yet at the client when the loop ended */
	uint64_t kernel_drops;        /* agent.kernel_drops, this trial */
	uint64_t lost_announced;      /* sum of lost_events counts the client got */
	uint64_t agent_cpu_ns;        /* agent utime+stime over the trial */
	uint64_t client_cpu_ns;       /* the client thread's CPU time */
	double gen_ns_per_call;       /* the loop's thread CPU per matched getppid */
	bool lossless;
};

#define DELIVERY_MAX_TRIALS 16

struct delivery {
	bool valid;
	bool generator_bound;  /* the loop could not go faster: the best is a lower bound */
	uint32_t ringbuf;      /* the agent's ring buffer */
	int n, best;           /* best: the fastest lossless trial, -1: none */
	int kept_up;           /* the fastest lossless one with a backlog under 5%, -1: none */
	struct delivery_trial trials[DELIVERY_MAX_TRIALS];
};

/* Syscall tracepoints whose programs' own run time the bench records. */
enum prog_tp {
	TP_ENTER_OPENAT,
	TP_EXIT_OPENAT,
	TP_ENTER_GETPPID,
	TP_ENTER_FSTATAT,   /* (v*): the Equal hook */
	TP_ENTER_FACCESSAT, /* (v*): the Prefix hook */
	TP_ENTER_GETPID,    /* (v*): the matchBinaries hook that never matches */
	N_PROG_TPS,
};

/* Reaction scenarios (reaction.c), in the order the report lists them. */
enum reaction_scenario {
	SCN_MINER,    /* exec of a binary named like a miner, killed by matchBinaries */
	SCN_BREAKOUT, /* unshare from a non-host pid namespace, kill-unshare */
	N_SCENARIOS,
};

struct reaction_result {
	int runs, killed;
	int ran_after;         /* runs in which the process ran code after the syscall */
	int no_event;          /* runs whose event never reached the client */
	double *lat_ns;        /* syscall -> event at the getevents client, one per run with an event */
	double *hook_ns;       /* syscall -> the event's own time (its BPF program ran) */
	int n_lat;
	bool control_ran;      /* audit-mode control run: the marker appeared */
	bool control_event;    /* ... and its event arrived */
};

extern const char *const reaction_scenario_names[N_SCENARIOS];

/* The kernel's statistics of one program on one syscall tracepoint. */
struct prog_stat {
	char tp[64];
	uint32_t prog_id;
	uint64_t run_ns, run_cnt;
};

/* What `rtenf list -o json` and /proc say about a configuration's memory. */
struct bench_mem {
	bool valid;
	uint64_t rss_idle;        /* agent RSS before the policy was applied */
	uint64_t rss;		  /* RSS with the configuration attached (rtenf: without BPF map mappings) */
	uint64_t rss_bpf_maps;	  /* rtenf: its mappings of BPF maps, from smaps (not in rss) */
	uint64_t base_kernel;     /* agent.base_kernel_memory */
	uint64_t base_prog;	  /* agent.base_program_memory */
	uint64_t policy_kernel;   /* policies[].kernel_memory, or bpftrace's maps */
	uint64_t prog_kernel;	  /* policies[].program_memory, or bpftrace's programs measured the same way */
	uint64_t matched, late, read_errors; /* the policy's counters afterwards */
};

/* Another BPF program found on a syscall tracepoint. */
struct foreign_tracer {
	pid_t pid;
	char comm[16];
	char tp[64];
};

struct bench {
	struct bench_opts o;
	const char *rtenf;      /* the rtenf binary ($RTENF) */
	const char *bpftrace;   /* NULL: not installed */
	char bpftrace_version[64];
	char dir[64];           /* our temporary directory */
	char target[PATH_MAX];  /* the file the openat loop opens */
	char vin[PATH_MAX];     /* the file the value loops' hits name: <dir>/in/target */
	char vout[PATH_MAX];    /* ... and their misses: <dir>/out/target */
	uint32_t pidns;         /* inode of the bench's pid namespace */
	bool host_pidns;        /* ... and it is the initial one */
	cpu_set_t *others;      /* CPUs for helper processes; NULL: any */
	size_t others_size;

	/* live state of the configuration being measured */
	struct bench_empty_bpf *skel;
	struct bpf_link *links[3];
	pid_t agent;
	char agent_sock[96];     /* fits sockaddr_un.sun_path */
	char agent_log[128];
	pid_t bpftrace_pid;
	char bpftrace_log[128];

	/* results: per-round medians of the batches, ns per operation */
	double ns[N_CLOCKS][N_CFGS][N_LOOPS][BENCH_MAX_ROUNDS];
	int n_rounds[N_CFGS];
	/* ns per program run from the kernel's statistics; < 0: none there */
	double prog_ns[N_CFGS][N_PROG_TPS][BENCH_MAX_ROUNDS];
	bool bpf_stats;              /* kernel.bpf_stats_enabled was 1 */
	const char *skipped[N_CFGS]; /* why a configuration was not measured */
	struct bench_mem mem[N_CFGS];
	struct foreign_tracer foreign[8];
	int n_foreign;
	int rounds_disturbed;
	struct delivery delivery;
	struct reaction_result reaction[N_SCENARIOS];
	bool reaction_done;
};

struct bench_cfg {
	const char *tag;   /* "a", "b", "c'", ... */
	const char *what;  /* one line for the table */
	/* 0: attached and ready; <0: failed (the reason is printed). */
	int (*setup)(struct bench *b, enum cfg_id id);
	/* After measuring, still attached: memory and counters.  May be NULL. */
	void (*inspect)(struct bench *b, enum cfg_id id);
	/* Detaches everything setup attached; safe to call twice. */
	void (*teardown)(struct bench *b, enum cfg_id id);
};

extern const struct bench_cfg bench_cfgs[N_CFGS];

/* Set by SIGINT/SIGTERM: finish the current step, tear down, exit. */
extern volatile sig_atomic_t bench_stop;

/* cfg_empty.c */
int empty_setup(struct bench *b, enum cfg_id id);
void empty_teardown(struct bench *b, enum cfg_id id);
void empty_unload(struct bench *b);

/* cfg_rtenf.c */
int rtenf_prepare(struct bench *b);
/* Starts the agent (b->agent, b->agent_sock) and waits until it answers;
 * rtenf_teardown() stops it. */
int rtenf_agent_start(struct bench *b);
int rtenf_setup(struct bench *b, enum cfg_id id);
void rtenf_inspect(struct bench *b, enum cfg_id id);
void rtenf_teardown(struct bench *b, enum cfg_id id);
const char *rtenf_policy_name(enum cfg_id id);
/* The first number after "key": that follows anchor in `rtenf list -o json`. */
uint64_t json_u64(const char *json, const char *anchor, const char *key);

/* delivery.c: the highest rate of matched events the agent delivers to a
 * client with none lost.  0, or -1 (the reason is printed). */
int delivery_run(struct bench *b);

/* cfg_values.c: the policies of (v1), (v100), (v10k) and their files,
 * written to b->dir; rtenf_setup() applies them like the others. */
int values_prepare(struct bench *b);
const char *values_policy_name(enum cfg_id id);
unsigned values_count(enum cfg_id id);
bool values_cfg(enum cfg_id id);

/* bench.c: does configuration id run loop l? */
bool cfg_runs_loop(enum cfg_id id, enum bench_loop l);

/* cfg_bpftrace.c */
/* Sets b->bpftrace (NULL: not installed) and its version. */
void bpftrace_find(struct bench *b);
int bpftrace_setup(struct bench *b, enum cfg_id id);
void bpftrace_inspect(struct bench *b, enum cfg_id id);
void bpftrace_teardown(struct bench *b, enum cfg_id id);
char *bpftrace_script(const struct bench *b, enum cfg_id id);

/* loops.c: times one batch; ns[] gets ns per operation by each clock.
 * Returns 0 or a negative errno. */
int loop_batch(const struct bench *b, enum bench_loop loop, long ops, double ns[N_CLOCKS]);
const char *clock_name(enum bench_clock c);
double median(const double *v, int n);
const char *loop_name(enum bench_loop loop);

/* tracers.c: BPF programs on syscall tracepoints (sys_enter*, sys_exit*).
 * pid 0 scans every process.  Returns how many were found, fills up to
 * max entries of out (out may be NULL). */
int syscall_tracers(pid_t pid, struct foreign_tracer *out, int max);
/* The programs pid holds on syscall tracepoints, with their run_time_ns
 * and run_cnt (counted only while kernel.bpf_stats_enabled is 1). */
int syscall_prog_stats(pid_t pid, struct prog_stat *out, int max);
extern const char *const prog_tp_names[N_PROG_TPS];
/* Sum of the memlock of every BPF map pid holds open. */
uint64_t process_map_memory(pid_t pid);
uint64_t process_bpf_map_rss(pid_t pid);
uint64_t syscall_prog_memory(pid_t pid);
uint64_t process_rss(pid_t pid);

/* children.c */
/* Starts argv in its own process group, on the helper CPUs, dying with
 * us; stdout and stderr go to out_path (NULL: /dev/null). */
pid_t child_start(const struct bench *b, char *const argv[], const char *out_path);
/* Signals and reaps pid, waiting up to timeout_ms before SIGKILL.
 * Returns the wait status. */
int child_stop(pid_t pid, int sig, int timeout_ms);
/* Runs argv to the end; *out gets stdout+stderr (caller frees).
 * Returns the exit code, or -1. */
int child_run(const struct bench *b, char *const argv[], char **out);
bool child_alive(pid_t pid);
void sleep_ms(int ms);
int remove_tree(const char *dir);

/* reaction.c: the reaction section; fills b->reaction.  0 or -1. */
int reaction_run(struct bench *b);

/* report.c */
int bpf_stats_enabled(void); /* kernel.bpf_stats_enabled, -1 if unreadable */
void report_header(const struct bench *b);
void report_table(const struct bench *b);
void report_delivery(const struct bench *b);
void report_reaction(const struct bench *b);
int report_json(const struct bench *b, const char *path);

#endif /* RTENF_BENCH_H */
