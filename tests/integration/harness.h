/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Integration test harness: a real agent per test (its own socket and
 * temporary directory), the real CLI, real processes.  Needs root.
 */
#ifndef RTENF_TEST_HARNESS_H
#define RTENF_TEST_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "api.pb.h"
#include "events.pb.h"
#include "rtenf_events.h"

struct test_agent {
	pid_t pid;
	char dir[64];
	char sock[128];
	char log[128];
	char bpf_dir[128];    /* private --bpf-dir under /sys/fs/bpf */
	bool pins_may_stay;   /* agent_stop: pins left behind are expected */
};

/* Skips the calling test (with a printed reason) when not root. */
void require_root(void);
/* True when `rtenf probe` says the running kernel has the feature (its
 * name in `rtenf probe -o json`, e.g. "kprobe", "lsm", "fmod_ret"). */
bool kernel_has(const char *feature);
/* Skips the calling test, saying why, unless the kernel has at least one of
 * the features (NULL-terminated list). */
void require_any_feature(const char *why, ...);

const char *rtenf_bin(void);
/* How much slower than the host this machine is taken to be: 1, or
 * RTENF_TEST_START_TIMEOUT / 10 (vmtest's emulated guests).  Time bounds
 * on the agent's answers scale with it. */
int test_slowdown(void);
const char *testprog_bin(void);

/* Starts `rtenf agent --socket DIR/sock --bpf-dir /sys/fs/bpf/rtenf-test-X`
 * plus extra args (NULL-terminated) and waits until it answers. */
void agent_start(struct test_agent *a, ...);
/* Starts the agent again with the same socket, log and --bpf-dir (after
 * agent_kill, or a stop with --keep-on-exit). */
void agent_restart(struct test_agent *a, ...);
/* kill -9 and reap it: what a crash looks like. */
void agent_kill(struct test_agent *a);
/* SIGTERM, wait, assert it exited 0 and left nothing in bpffs (unless
 * pins_may_stay); removes the directory and any pins left.  Call it at the
 * end of a test whose verdict depends on a clean exit (LeakSanitizer
 * reports at exit): criterion 2.4 does not count an assertion that fails in
 * a suite's .fini. */
void agent_stop(struct test_agent *a);
/* Runs `rtenf agent --cleanup --bpf-dir BPF_DIR`; returns its exit code. */
int agent_cleanup_pins(const struct test_agent *a, char **err);
/* The agent's stderr so far (for failure messages); caller frees. */
char *agent_log(const struct test_agent *a);

/* Writes yaml to DIR/NAME.yaml and returns the path (static storage per call site is not used: caller frees). */
char *policy_file(const struct test_agent *a, const char *name, const char *yaml);

/* Runs `rtenf ARGS... --socket SOCK` (when sock is non-NULL); returns the
 * exit code, captures stdout/stderr (caller frees; NULL to discard). */
int cli(const struct test_agent *a, char **out, char **err, ...);
/* The same as user and group uid (setuid in the forked child, no
 * supplementary groups): for what the agent lets other users do. */
int cli_as(const struct test_agent *a, uid_t uid, char **out, char **err, ...);
/* Applies a policy text with `rtenf apply`; asserts success. */
void apply_ok(struct test_agent *a, const char *name, const char *yaml, const char *mode);

/* Assert a wait status: death by signal sig, or exit with code. */
void assert_killed_by(int status, int sig);
void assert_exited(int status, int code);

/* Runs argv (NULL-terminated) and returns its wait status. */
int run_wait(char *const argv[]);
/* Starts argv with a pipe on its stdin (for `testprog gate`); returns the pid. */
pid_t run_gated(char *const argv[], int *gate_fd);
/* Opens the gate and waits; returns the wait status. */
int gate_and_wait(pid_t pid, int gate_fd);

struct event_stream {
	int fd;
};
/* Subscribes to events of one policy (NULL: all). */
void stream_open(struct event_stream *s, const struct test_agent *a, const char *policy);
/* The same, asking for ancestors (getevents --ancestors). */
void stream_open_ancestors(struct event_stream *s, const struct test_agent *a, const char *policy);
/* Next event within timeout_ms: 0, or -ETIMEDOUT.  Caller pb_release()s. */
int stream_next(struct event_stream *s, rtenf_Event *ev, int timeout_ms);
/* Next process_tracepoint event (others skipped) whose process pid is pid (0: any). */
int stream_next_hook(struct event_stream *s, uint32_t pid, rtenf_Event *ev, int timeout_ms);
/* Next event of one kind (rtenf_Event_process_kprobe_tag, ...), others
 * skipped, whose process pid is pid (0: any). */
int stream_next_of(struct event_stream *s, pb_size_t which, uint32_t pid, rtenf_Event *ev, int timeout_ms);
/* The process of a hook event of any kind (NULL for other events). */
const rtenf_Process *hook_event_process(const rtenf_Event *ev);
void stream_close(struct event_stream *s);

/* One request on a connection of its own: 0, or a -errno of the exchange.
 * Caller pb_release()s resp. */
int agent_request(const struct test_agent *a, const rtenf_Request *req, rtenf_Response *resp);

/* A cgroup v2 directory for a test: cgroup_make("/a/b") makes ROOT/a/b
 * (ROOT found from mountinfo) and returns the full path (caller frees);
 * cgroup_remove_tree() removes such a directory and everything below it,
 * best effort (a process still inside keeps its cgroup). */
char *cgroup_make(const char *rel);
void cgroup_remove_tree(const char *rel);

/* The agent's counters for a policy (asserts it exists). */
void policy_counters(const struct test_agent *a, const char *name, rtenf_PolicyCounters *out);
/* The agent's report of a policy (asserts it exists); caller pb_release()s. */
void policy_report(const struct test_agent *a, const char *name, rtenf_Response *resp);
/* How many policies the agent runs. */
size_t policy_count(const struct test_agent *a);
/* Hook idx of a policy as `list` shows it: mechanism and enforcement
 * (caller frees; asserts the policy and hook exist). */
void policy_hook_info(const struct test_agent *a, const char *name, size_t idx, char **mechanism,
		      char **enforcement);
/* Agent-wide info from `list`. */
void agent_info(const struct test_agent *a, rtenf_AgentInfo *out);

#endif /* RTENF_TEST_HARNESS_H */
