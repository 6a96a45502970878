// SPDX-License-Identifier: GPL-2.0-only
/*
 * kernelStackTrace / userStackTrace on Post: the event of a matching
 * selector carries the stacks of the task at the hook, named in user space.
 * A syscall tracepoint loads on every kernel, so these run on the host and
 * in the vmtest matrix alike.
 */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pb_decode.h>

#include "harness.h"
#include "rtenf_policy.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(stacktrace, .fini = stop, .timeout = 120);

/* getppid of the test program only, Post with the given flags. */
static void apply_getppid_policy(const char *name, const char *post_flags)
{
	char *yaml = xasprintf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: %s\nspec:\n"
			       "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_getppid\n"
			       "    selectors:\n    - matchBinaries:\n      - operator: In\n        values: [\"%s\"]\n"
			       "      matchActions:\n      - action: Post\n%s",
			       name, testprog_bin(), post_flags);

	apply_ok(&agent, name, yaml, NULL);
	free(yaml);
}

/* Runs `testprog stack-getppid` and returns its tracepoint event. */
static void getppid_event(const char *policy, rtenf_Event *ev)
{
	char *argv[] = {(char *)testprog_bin(), "stack-getppid", NULL};
	struct event_stream s;
	int status;

	stream_open(&s, &agent, policy);
	status = run_wait(argv);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "testprog stack-getppid: wait status 0x%x", status);
	cr_assert_eq(stream_next_hook(&s, 0, ev, 5000), 0, "no event of %s within 5 s\n%s", policy, agent_log(&agent));
	stream_close(&s);
}

static bool frames_have_symbol(const rtenf_StackTraceEntry *f, pb_size_t n, const char *part)
{
	for (pb_size_t i = 0; i < n; i++)
		if (f[i].symbol && strstr(f[i].symbol, part))
			return true;
	return false;
}

static char *frames_text(const rtenf_StackTraceEntry *f, pb_size_t n)
{
	struct strbuf sb = {0};

	for (pb_size_t i = 0; i < n; i++)
		sb_printf(&sb, "  %#llx %s+%#llx %s\n", (unsigned long long)f[i].address, f[i].symbol ? f[i].symbol : "?",
			  (unsigned long long)f[i].offset, f[i].module ? f[i].module : "");
	sb_putc(&sb, '\0');
	return sb.buf;
}

Test(stacktrace, kernel_stack_names_the_syscall_entry)
{
	rtenf_ProcessTracepoint *tp;
	rtenf_Event ev;
	char *text;

	agent_start(&agent, NULL);
	apply_getppid_policy("kstack", "        kernelStackTrace: true\n");
	getppid_event("kstack", &ev);
	tp = &ev.event.process_tracepoint;
	text = frames_text(tp->kernel_stack_trace, tp->kernel_stack_trace_count);
	if (!tp->kernel_stack_trace_count) {
		/* some kernels (6.1) give a syscall tracepoint the user registers:
		 * the event must say so (kprobe_event_carries_both_stacks checks
		 * a real kernel stack there) */
		cr_assert(tp->stack_trace_error && strstr(tp->stack_trace_error, "kernel stack empty"),
			  "no kernel stack and no note why (note: %s)", tp->stack_trace_error);
		cr_log_info("%s", tp->stack_trace_error);
		free(text);
		pb_release(rtenf_Event_fields, &ev);
		return;
	}
	cr_expect_eq(tp->user_stack_trace_count, 0, "a user stack nobody asked for");
	cr_expect(tp->kernel_stack_trace[0].address >= 0xffff800000000000ull, "not a kernel address:\n%s", text);
	if (tp->stack_trace_error && strstr(tp->stack_trace_error, "hidden"))
		cr_skip_test("kernel symbols hidden here: %s", tp->stack_trace_error);
	/* the tracepoint fires from the syscall entry code, whose function
	 * names say so on every x86 kernel: do_syscall_64, x64_sys_call ... */
	cr_expect(frames_have_symbol(tp->kernel_stack_trace, tp->kernel_stack_trace_count, "syscall"),
		  "no syscall-entry frame in the kernel stack:\n%s", text);
	free(text);
	pb_release(rtenf_Event_fields, &ev);
}

Test(stacktrace, user_stack_names_the_program_and_libc)
{
	rtenf_ProcessTracepoint *tp;
	bool in_libc = false;
	rtenf_Event ev;
	char *text;

	agent_start(&agent, NULL);
	apply_getppid_policy("ustack", "        userStackTrace: true\n");
	getppid_event("ustack", &ev);
	tp = &ev.event.process_tracepoint;
	text = frames_text(tp->user_stack_trace, tp->user_stack_trace_count);
	cr_assert_gt(tp->user_stack_trace_count, 0, "no user stack (note: %s)", tp->stack_trace_error);
	cr_expect_eq(tp->kernel_stack_trace_count, 0, "a kernel stack nobody asked for");
	cr_expect_null(tp->stack_trace_error, "note: %s", tp->stack_trace_error);
	/* frame 0 is where the syscall was made: libc's wrapper (a static
	 * test program has it in its own binary) */
	in_libc = tp->user_stack_trace[0].module &&
		  (strstr(tp->user_stack_trace[0].module, "libc") ||
		   strstr(tp->user_stack_trace[0].module, "rtenf-testprog"));
	cr_expect(in_libc, "frame 0 is not in libc or the program:\n%s", text);
	cr_expect(frames_have_symbol(tp->user_stack_trace, tp->user_stack_trace_count, "getppid"),
		  "libc's getppid is not named:\n%s", text);
	/* the program keeps frame pointers: the unwinder reaches its callers */
	cr_expect(frames_have_symbol(tp->user_stack_trace, tp->user_stack_trace_count, "rtenf_testprog_stack_outer"),
		  "rtenf_testprog_stack_outer is not on the user stack:\n%s", text);
	free(text);
	pb_release(rtenf_Event_fields, &ev);
}

/* Starts `rtenf getevents ARGS --policy POLICY --count 1` writing to
 * DIR/NAME; returns its pid. */
static pid_t getevents_to(const char *name, const char *format, const char *policy)
{
	char *out = xasprintf("%s/%s", agent.dir, name);
	const char *argv[] = {rtenf_bin(), "getevents", "-o", format, "--color", "never", "--policy", policy,
			      "--count", "1", "--timeout", "10", "--socket", agent.sock, NULL};
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (!freopen(out, "w", stdout))
			_exit(126);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	free(out);
	return pid;
}

static char *getevents_output(pid_t pid, const char *name)
{
	char *path = xasprintf("%s/%s", agent.dir, name), *text;
	int status;

	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "getevents exited 0x%x", status);
	text = read_file(path, NULL);
	cr_assert_not_null(text, "cannot read %s", path);
	free(path);
	return text;
}

/* Both stacks at once, through the CLI: JSON frames as Tetragon's
 * StackTraceEntry, compact frames on indented lines after the event. */
Test(stacktrace, both_stacks_in_json_and_compact_output)
{
	char *argv[] = {(char *)testprog_bin(), "stack-getppid", NULL};
	char *json, *compact;
	pid_t pj, pc;
	int status;

	agent_start(&agent, NULL);
	apply_getppid_policy("bothstacks", "        kernelStackTrace: true\n        userStackTrace: true\n");
	pj = getevents_to("stacks.json", "json", "bothstacks");
	pc = getevents_to("stacks.txt", "compact", "bothstacks");
	usleep(500000); /* both subscribed before the program runs */
	status = run_wait(argv);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "wait status 0x%x", status);
	json = getevents_output(pj, "stacks.json");
	compact = getevents_output(pc, "stacks.txt");
	/* a kernel stack, or the note that this kernel's syscall tracepoint has none */
	cr_expect(strstr(json, "\"kernel_stack_trace\":[{\"address\":\"") != NULL ||
			  strstr(json, "\"stack_trace_error\":\"kernel stack empty"),
		  "%s", json);
	cr_expect(strstr(json, "\"user_stack_trace\":[{\"address\":\"") != NULL, "%s", json);
	cr_expect(strstr(json, "\"symbol\":\"rtenf_testprog_stack_outer\"") != NULL, "%s", json);
	cr_expect(strstr(compact, "\n    kernel stack:\n      0x") != NULL ||
			  strstr(compact, "\n    stack: kernel stack empty"),
		  "%s", compact);
	cr_expect(strstr(compact, "\n    user stack:\n      0x") != NULL, "%s", compact);
	cr_expect(strstr(compact, " rtenf_testprog_stack_outer+0x") != NULL, "%s", compact);
	free(json);
	free(compact);
}

Test(stacktrace, no_flags_no_stacks)
{
	rtenf_ProcessTracepoint *tp;
	rtenf_Event ev;

	agent_start(&agent, NULL);
	apply_getppid_policy("nostack", "");
	getppid_event("nostack", &ev);
	tp = &ev.event.process_tracepoint;
	cr_expect_eq(tp->kernel_stack_trace_count, 0);
	cr_expect_eq(tp->user_stack_trace_count, 0);
	cr_expect_null(tp->stack_trace_error);
	pb_release(rtenf_Event_fields, &ev);
}

/* Every selector of a full hook compares openat's path (Equal, Prefix,
 * Postfix in turn) and asks for both stacks; only the last one matches.
 * The hook still loads: the stack path is verified once, not once per
 * selector (inlined, it took a hook like this past the verifier's
 * 1M-instruction limit even with no stack asked for), and the event of the
 * last selector has its user stack. */
Test(stacktrace, full_hook_of_stack_selectors_loads_and_reports)
{
	char *path, *argv[] = {(char *)testprog_bin(), "open", NULL, NULL};
	struct strbuf sb = {0};
	rtenf_ProcessTracepoint *tp;
	struct event_stream s;
	rtenf_Event ev;

	agent_start(&agent, NULL);
	path = xasprintf("%s/last-selector", agent.dir);
	sb_printf(&sb,
		  "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: fullstacks\nspec:\n"
		  "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n"
		  "    args:\n    - index: 6\n      type: string\n    selectors:\n");
	for (int i = 0; i < RTENF_MAX_SELECTORS; i++) {
		bool last = i == RTENF_MAX_SELECTORS - 1;
		char *value = last ? xstrdup(path)
			      : i % 3 == 0 ? xasprintf("%s/eq%d", agent.dir, i)
			      : i % 3 == 1 ? xasprintf("%s/p%d-", agent.dir, i)
					   : xasprintf("/s%d.end", i);

		sb_printf(&sb,
			  "    - matchArgs:\n      - index: 0\n        operator: %s\n        values: [\"%s\"]\n"
			  "      matchActions:\n      - action: Post\n        kernelStackTrace: true\n"
			  "        userStackTrace: true\n",
			  last || i % 3 == 0 ? "Equal" : i % 3 == 1 ? "Prefix" : "Postfix", value);
		free(value);
	}
	apply_ok(&agent, "fullstacks", sb.buf, NULL);
	stream_open(&s, &agent, "fullstacks");
	argv[2] = path;
	run_wait(argv);
	cr_assert_eq(stream_next_hook(&s, 0, &ev, 5000), 0, "no event within 5 s\n%s", agent_log(&agent));
	tp = &ev.event.process_tracepoint;
	cr_expect_eq(tp->selector, RTENF_MAX_SELECTORS - 1);
	cr_expect_gt(tp->user_stack_trace_count, 0, "no user stack (%s)", tp->stack_trace_error ? tp->stack_trace_error : "");
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(sb.buf);
	free(path);
}

/* A syscall kprobe: kprobe or fentry program where the kernel has them (the
 * vmtest kernels), the syscall tracepoint on this project's host. */
Test(stacktrace, kprobe_event_carries_both_stacks)
{
	char *argv[] = {(char *)testprog_bin(), "stack-getppid", NULL}, *yaml, *text;
	rtenf_ProcessKprobe *k;
	struct event_stream s;
	rtenf_Event ev;
	int status;

	agent_start(&agent, NULL);
	yaml = xasprintf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: kstacks\nspec:\n"
			 "  kprobes:\n  - call: sys_getppid\n    syscall: true\n"
			 "    selectors:\n    - matchBinaries:\n      - operator: In\n        values: [\"%s\"]\n"
			 "      matchActions:\n      - action: Post\n        kernelStackTrace: true\n"
			 "        userStackTrace: true\n",
			 testprog_bin());
	apply_ok(&agent, "kstacks", yaml, NULL);
	stream_open(&s, &agent, "kstacks");
	status = run_wait(argv);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "wait status 0x%x", status);
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0,
		     "no process_kprobe event within 5 s\n%s", agent_log(&agent));
	k = &ev.event.process_kprobe;
	cr_log_info("kprobe stacks through %s", k->mechanism);
	text = frames_text(k->kernel_stack_trace, k->kernel_stack_trace_count);
	cr_assert_gt(k->kernel_stack_trace_count, 0, "no kernel stack via %s (note: %s)", k->mechanism,
		     k->stack_trace_error);
	if (!k->stack_trace_error || !strstr(k->stack_trace_error, "hidden"))
		cr_expect(frames_have_symbol(k->kernel_stack_trace, k->kernel_stack_trace_count, "syscall"),
			  "no syscall-entry frame in the kernel stack via %s:\n%s", k->mechanism, text);
	free(text);
	text = frames_text(k->user_stack_trace, k->user_stack_trace_count);
	cr_expect(frames_have_symbol(k->user_stack_trace, k->user_stack_trace_count, "rtenf_testprog_stack_outer"),
		  "rtenf_testprog_stack_outer is not on the user stack via %s:\n%s", k->mechanism, text);
	free(text);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(yaml);
}

/* An LSM hook (BPF LSM, or the fallback the kernel offers): the kernel
 * stack goes through the open path. */
Test(stacktrace, lsm_event_carries_the_kernel_stack)
{
	char *path, *yaml, *text;
	char *argv[4];
	rtenf_ProcessLsm *l;
	struct event_stream s;
	rtenf_Event ev;

	require_any_feature("LSM hooks", "lsm", "fmod_ret", "kprobe", NULL);
	agent_start(&agent, NULL);
	path = xasprintf("%s/stack-file", agent.dir);
	yaml = xasprintf("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: lsmstack\nspec:\n"
			 "  lsmhooks:\n  - hook: \"file_open\"\n    args:\n    - index: 0\n      type: file\n"
			 "    selectors:\n    - matchArgs:\n      - index: 0\n        operator: Equal\n"
			 "        values: [\"%s\"]\n"
			 "      matchActions:\n      - action: Post\n        kernelStackTrace: true\n",
			 path);
	{
		FILE *f = fopen(path, "w");

		cr_assert_not_null(f);
		fclose(f);
	}
	apply_ok(&agent, "lsmstack", yaml, NULL);
	stream_open(&s, &agent, "lsmstack");
	argv[0] = (char *)testprog_bin(), argv[1] = "openat", argv[2] = path, argv[3] = NULL;
	run_wait(argv);
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_lsm_tag, 0, &ev, 5000), 0,
		     "no process_lsm event within 5 s\n%s", agent_log(&agent));
	l = &ev.event.process_lsm;
	text = frames_text(l->kernel_stack_trace, l->kernel_stack_trace_count);
	cr_assert_gt(l->kernel_stack_trace_count, 0, "no kernel stack via %s (note: %s)", l->mechanism,
		     l->stack_trace_error);
	if (!l->stack_trace_error || !strstr(l->stack_trace_error, "hidden"))
		cr_expect(frames_have_symbol(l->kernel_stack_trace, l->kernel_stack_trace_count, "open"),
			  "no open-path frame in the kernel stack via %s:\n%s", l->mechanism, text);
	cr_expect_eq(l->user_stack_trace_count, 0);
	free(text);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(yaml), free(path);
}
