// SPDX-License-Identifier: GPL-2.0-only
/*
 * data entries with source current_task and matchData, on the running
 * kernel: a value resolved from the current task_struct through the
 * kernel's BTF (cred.uid.val through the cred pointer, comm in place,
 * real_parent.tgid through the parent pointer) decides whether a real
 * process is killed or reported, and comes back in the event's data.
 * Tracepoints, syscall kprobes and uprobes run on every kernel; the
 * kernel-function kprobe and the LSM hook need kprobes / BPF LSM and skip
 * elsewhere (they run in vmtest).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "util.h"

#define NOBODY "65534"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(task_data, .fini = stop, .timeout = 180);

#define POLICY_HEAD                                                                                                   \
	"apiVersion: cilium.io/v1alpha1\n"                                                                            \
	"kind: TracingPolicy\n"                                                                                       \
	"metadata:\n"                                                                                                 \
	"  name: %s\n"                                                                                                \
	"spec:\n"

/* data 0: the real uid (through the task's cred pointer); data 1: comm. */
#define UID_AND_COMM                                                                                                  \
	"    data:\n"                                                                                                 \
	"    - index: 0\n"                                                                                            \
	"      type: int\n"                                                                                           \
	"      source: current_task\n"                                                                                \
	"      resolve: \"cred.uid.val\"\n"                                                                           \
	"      label: uid\n"                                                                                          \
	"    - index: 1\n"                                                                                            \
	"      type: string\n"                                                                                        \
	"      source: current_task\n"                                                                                \
	"      resolve: \"comm\"\n"

static void expect_killed(int status)
{
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "expected death by SIGKILL, wait status 0x%x",
		  status);
}

static void expect_exit0(int status)
{
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "expected exit 0, wait status 0x%x", status);
}

static int getppid_as(const char *uid)
{
	char *as_root[] = {(char *)testprog_bin(), "getppid", "1", NULL};
	char *as_user[] = {(char *)testprog_bin(), "setuid", (char *)uid, "getppid", "1", NULL};

	return run_wait(uid ? as_user : as_root);
}

static const rtenf_KprobeArgument *event_data(const rtenf_Event *ev, pb_size_t *n)
{
	switch (ev->which_event) {
	case rtenf_Event_process_tracepoint_tag:
		*n = ev->event.process_tracepoint.data_count;
		return ev->event.process_tracepoint.data;
	case rtenf_Event_process_kprobe_tag:
		*n = ev->event.process_kprobe.data_count;
		return ev->event.process_kprobe.data;
	case rtenf_Event_process_lsm_tag:
		*n = ev->event.process_lsm.data_count;
		return ev->event.process_lsm.data;
	case rtenf_Event_process_uprobe_tag:
		*n = ev->event.process_uprobe.data_count;
		return ev->event.process_uprobe.data;
	}
	*n = 0;
	return NULL;
}

/* The event carries uid 65534 and comm "rtenf-testprog" as data, not args. */
static void expect_uid_comm_event(struct event_stream *s, pb_size_t which)
{
	const rtenf_KprobeArgument *d;
	rtenf_Event ev;
	pb_size_t n;

	cr_assert_eq(stream_next_of(s, which, 0, &ev, 5000), 0, "no event within 5 s");
	d = event_data(&ev, &n);
	cr_assert_eq(n, 2, "data entries: %u", (unsigned)n);
	cr_expect_eq(d[0].which_arg, rtenf_KprobeArgument_int_arg_tag);
	cr_expect_eq(d[0].arg.int_arg, 65534);
	cr_expect_str_eq(d[0].label, "uid");
	cr_expect_eq(d[1].which_arg, rtenf_KprobeArgument_string_arg_tag);
	cr_expect_str_eq(d[1].arg.string_arg, "rtenf-testprog");
	if (which == rtenf_Event_process_tracepoint_tag)
		cr_expect_eq(ev.event.process_tracepoint.args_count, 0, "data must not show as arguments");
	pb_release(rtenf_Event_fields, &ev);
}

/* A process that dropped root to nobody is killed at getppid; one that
 * stays root is not: the decision reads cred->uid in the kernel. */
Test(task_data, tracepoint_kills_by_resolved_uid)
{
	rtenf_PolicyCounters c;
	struct event_stream s;
	char *yaml = xasprintf(POLICY_HEAD "  tracepoints:\n"
					   "  - subsystem: syscalls\n"
					   "    event: sys_enter_getppid\n" UID_AND_COMM
					   "    selectors:\n"
					   "    - matchData:\n"
					   "      - index: 0\n"
					   "        operator: Equal\n"
					   "        values: [\"" NOBODY "\"]\n"
					   "      - index: 1\n"
					   "        operator: Equal\n"
					   "        values: [\"rtenf-testprog\"]\n"
					   "      matchActions:\n"
					   "      - action: Sigkill\n",
			       "data-uid");

	agent_start(&agent, NULL);
	apply_ok(&agent, "data-uid", yaml, "enforce");
	stream_open(&s, &agent, "data-uid");
	expect_exit0(getppid_as(NULL));
	expect_killed(getppid_as(NOBODY));
	expect_uid_comm_event(&s, rtenf_Event_process_tracepoint_tag);
	policy_counters(&agent, "data-uid", &c);
	cr_expect_eq(c.actions_applied, 1, "only the process that dropped root is killed");
	stream_close(&s);
	free(yaml);
}

/* comm compared as text with Prefix; NotEqual on the uid keeps root out. */
Test(task_data, string_data_prefix_and_not_equal_uid)
{
	struct event_stream s;
	rtenf_PolicyCounters c;
	char *yaml = xasprintf(POLICY_HEAD "  tracepoints:\n"
					   "  - subsystem: syscalls\n"
					   "    event: sys_enter_getppid\n" UID_AND_COMM
					   "    selectors:\n"
					   "    - matchData:\n"
					   "      - index: 1\n"
					   "        operator: Prefix\n"
					   "        values: [\"rtenf-test\"]\n"
					   "      - index: 0\n"
					   "        operator: NotEqual\n"
					   "        values: [\"0\"]\n",
			       "data-comm");

	agent_start(&agent, NULL);
	apply_ok(&agent, "data-comm", yaml, "enforce");
	stream_open(&s, &agent, "data-comm");
	expect_exit0(getppid_as(NULL));
	expect_exit0(getppid_as(NOBODY));
	expect_uid_comm_event(&s, rtenf_Event_process_tracepoint_tag);
	policy_counters(&agent, "data-comm", &c);
	cr_expect_eq(c.matched, 1, "root's call must not match NotEqual 0");
	stream_close(&s);
	free(yaml);
}

/* real_parent.tgid reads through the parent pointer: the test itself is
 * the parent of the process it runs, not of that process's child. */
Test(task_data, pointer_path_real_parent_tgid)
{
	char *child[] = {(char *)testprog_bin(), "getppid", "1", NULL};
	char *grandchild[] = {(char *)testprog_bin(), "spawn", "getppid", "1", NULL};
	char *yaml = xasprintf(POLICY_HEAD "  kprobes:\n"
					   "  - call: sys_getppid\n"
					   "    syscall: true\n"
					   "    data:\n"
					   "    - index: 3\n"
					   "      type: int\n"
					   "      source: current_task\n"
					   "      resolve: \"real_parent.tgid\"\n"
					   "    selectors:\n"
					   "    - matchData:\n"
					   "      - index: 3\n"
					   "        operator: Equal\n"
					   "        values: [\"%d\"]\n",
			       "data-parent", (int)getpid());
	rtenf_PolicyCounters c;
	struct event_stream s;
	rtenf_Event ev;

	agent_start(&agent, NULL);
	apply_ok(&agent, "data-parent", yaml, "enforce");
	stream_open(&s, &agent, "data-parent");
	expect_exit0(run_wait(grandchild));
	expect_exit0(run_wait(child));
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0, "no event within 5 s");
	cr_assert_eq(ev.event.process_kprobe.data_count, 1);
	cr_expect_eq(ev.event.process_kprobe.data[0].arg.int_arg, getpid());
	pb_release(rtenf_Event_fields, &ev);
	policy_counters(&agent, "data-parent", &c);
	cr_expect_eq(c.matched, 1, "the grandchild's parent is not the test");
	stream_close(&s);
	free(yaml);
}

/* A uprobe in the test program: the task that calls the function is the
 * one data reads, whatever the function's arguments say. */
Test(task_data, uprobe_kills_by_resolved_uid)
{
	char *as_root[] = {(char *)testprog_bin(), "call", "1", "x", NULL};
	char *as_user[] = {(char *)testprog_bin(), "setuid", NOBODY, "call", "1", "x", NULL};
	struct event_stream s;
	char *yaml;

	require_any_feature("uprobes", "uprobe", NULL);
	yaml = xasprintf(POLICY_HEAD "  uprobes:\n"
				     "  - path: \"%s\"\n"
				     "    symbols: [rtenf_testprog_probe_target]\n" UID_AND_COMM
				     "    selectors:\n"
				     "    - matchData:\n"
				     "      - index: 0\n"
				     "        operator: Equal\n"
				     "        values: [\"" NOBODY "\"]\n"
				     "      matchActions:\n"
				     "      - action: Sigkill\n",
			 "data-uprobe", testprog_bin());
	agent_start(&agent, NULL);
	apply_ok(&agent, "data-uprobe", yaml, "enforce");
	stream_open(&s, &agent, "data-uprobe");
	expect_exit0(run_wait(as_root));
	expect_killed(run_wait(as_user));
	expect_uid_comm_event(&s, rtenf_Event_process_uprobe_tag);
	stream_close(&s);
	free(yaml);
}

/* The hook (kernel function or LSM hook, given as its YAML lines) sees a
 * mkdir by root and one by nobody; matchData on the uid kills only the
 * second, and the event carries the resolved uid and comm. */
static void mkdir_killed_by_resolved_uid(const char *hook_yaml, const char *name, pb_size_t event_tag)
{
	char *as_root[] = {(char *)testprog_bin(), "mkdir", NULL, NULL};
	char *as_user[] = {(char *)testprog_bin(), "setuid", NOBODY, "mkdir", NULL, NULL};
	struct event_stream s;
	char *yaml;

	yaml = xasprintf(POLICY_HEAD "%s" UID_AND_COMM
				     "    selectors:\n"
				     "    - matchData:\n"
				     "      - index: 0\n"
				     "        operator: Equal\n"
				     "        values: [\"" NOBODY "\"]\n"
				     "      matchActions:\n"
				     "      - action: Sigkill\n",
			 name, hook_yaml);
	agent_start(&agent, NULL);
	as_root[2] = xasprintf("%s/root-dir", agent.dir);
	as_user[4] = xasprintf("%s/nobody-dir", agent.dir);
	/* security_path_mkdir runs before the permission check: nobody needs
	 * only to reach the directory */
	cr_assert_eq(chmod(agent.dir, 0711), 0);
	apply_ok(&agent, name, yaml, "enforce");
	stream_open(&s, &agent, name);
	expect_exit0(run_wait(as_root));
	expect_killed(run_wait(as_user));
	expect_uid_comm_event(&s, event_tag);
	free(as_user[4]);
	stream_close(&s);
	free(as_root[2]);
	free(yaml);
}

/* A kernel function (not a syscall) and an LSM hook: kprobes / fentry /
 * BPF LSM, so vmtest runs these. */
Test(task_data, kernel_function_kprobe_kills_by_resolved_uid)
{
	require_any_feature("kernel-function kprobes", "kprobe_multi", "kprobe", "fentry", NULL);
	mkdir_killed_by_resolved_uid("  kprobes:\n"
				     "  - call: security_path_mkdir\n"
				     "    syscall: false\n",
				     "data-kprobe", rtenf_Event_process_kprobe_tag);
}

Test(task_data, lsm_hook_kills_by_resolved_uid)
{
	require_any_feature("LSM hooks", "lsm", "fmod_ret", "kprobe", NULL);
	mkdir_killed_by_resolved_uid("  lsmhooks:\n"
				     "  - hook: path_mkdir\n",
				     "data-lsm", rtenf_Event_process_lsm_tag);
}

/* resolve on a kernel function's argument: security_file_open's struct
 * file * read as its inode number (through f_inode) and its name (through
 * f_path.dentry, then the name pointer of its d_name). */
Test(task_data, kprobe_argument_resolve_through_the_file)
{
	char *open_it[] = {(char *)testprog_bin(), "open", NULL, NULL};
	struct event_stream s;
	struct stat st;
	rtenf_Event ev;
	char *yaml;
	FILE *f;

	require_any_feature("kernel-function kprobes", "kprobe_multi", "kprobe", "fentry", NULL);
	yaml = xasprintf(POLICY_HEAD "  kprobes:\n"
				     "  - call: security_file_open\n"
				     "    syscall: false\n"
				     "    args:\n"
				     "    - index: 0\n"
				     "      type: uint64\n"
				     "      resolve: \"f_inode.i_ino\"\n"
				     "      label: ino\n"
				     "    - index: 0\n"
				     "      type: string\n"
				     "      resolve: \"f_path.dentry.d_name.name\"\n"
				     "      label: name\n"
				     "    selectors:\n"
				     "    - matchArgs:\n"
				     "      - args: [1]\n"
				     "        operator: Equal\n"
				     "        values: [\"rtenf-resolve-me\"]\n"
				     "      matchActions:\n"
				     "      - action: Sigkill\n",
			 "arg-resolve");
	agent_start(&agent, NULL);
	open_it[2] = xasprintf("%s/rtenf-resolve-me", agent.dir);
	f = fopen(open_it[2], "w");
	cr_assert_not_null(f);
	fclose(f);
	cr_assert_eq(stat(open_it[2], &st), 0);
	apply_ok(&agent, "arg-resolve", yaml, "enforce");
	stream_open(&s, &agent, "arg-resolve");
	expect_killed(run_wait(open_it));
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0, "no event within 5 s");
	cr_assert_eq(ev.event.process_kprobe.args_count, 2);
	cr_expect_eq(ev.event.process_kprobe.args[0].which_arg, rtenf_KprobeArgument_size_arg_tag);
	cr_expect_eq(ev.event.process_kprobe.args[0].arg.size_arg, (uint64_t)st.st_ino);
	cr_expect_str_eq(ev.event.process_kprobe.args[1].arg.string_arg, "rtenf-resolve-me");
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(open_it[2]);
	free(yaml);
}
