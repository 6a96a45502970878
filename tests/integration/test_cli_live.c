// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CLI against a live agent: event output pipelines can rely on (checked
 * with jq when it is installed, field by field otherwise), list, replace,
 * and all-or-nothing directory applies.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(cli_live, .fini = stop, .timeout = 120);

static const char watch_open[] = "apiVersion: cilium.io/v1alpha1\n"
				 "kind: TracingPolicy\n"
				 "metadata:\n"
				 "  name: %s\n"
				 "spec:\n"
				 "  options:\n"
				 "  - name: policy-mode\n"
				 "    value: %s\n"
				 "  tracepoints:\n"
				 "  - subsystem: syscalls\n"
				 "    event: sys_enter_openat\n"
				 "    message: \"%s\"\n"
				 "    args:\n"
				 "    - index: 6\n"
				 "      type: string\n"
				 "      label: path\n"
				 "    selectors:\n"
				 "    - matchArgs:\n"
				 "      - index: 0\n"
				 "        operator: Equal\n"
				 "        values: [\"%s\"]\n";

/* Starts `rtenf getevents ARGS` writing to DIR/NAME and returns its pid. */
static pid_t getevents_to(const char *name, const char *const *args)
{
	char *out = xasprintf("%s/%s", agent.dir, name);
	const char *argv[32];
	int argc = 0;
	pid_t pid;

	argv[argc++] = rtenf_bin();
	argv[argc++] = "getevents";
	for (; *args; args++)
		argv[argc++] = *args;
	argv[argc++] = "--socket";
	argv[argc++] = agent.sock;
	argv[argc] = NULL;
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		freopen(out, "w", stdout);
		execv(argv[0], (char **)argv);
		_exit(127);
	}
	free(out);
	usleep(300000); /* subscribed before the test acts */
	return pid;
}

static char *finish(pid_t pid, const char *name)
{
	char *path = xasprintf("%s/%s", agent.dir, name), *text;
	int status;

	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "getevents exited 0x%x", status);
	text = read_file(path, NULL);
	cr_assert_not_null(text);
	free(path);
	return text;
}

static bool have_jq(void)
{
	return system("command -v jq >/dev/null 2>&1") == 0;
}

/* Runs jq -e FILTER on the file; true when jq says the filter held. */
static bool jq(const char *file, const char *filter)
{
	char *cmd = xasprintf("jq -e -s '%s' %s/%s >/dev/null", filter, agent.dir, file);
	int r = system(cmd);

	free(cmd);
	return r == 0;
}

Test(cli_live, json_events_describe_exec_hook_and_exit)
{
	const char *args[] = {"-o", "json", "--timeout", "4", NULL};
	char *target, *yaml, *text;
	char *argv[4];
	pid_t pid;

	agent_start(&agent, NULL);
	target = xasprintf("%s/secret", agent.dir);
	yaml = xasprintf(watch_open, "watch", "audit", "someone opened the secret", target);
	apply_ok(&agent, "watch", yaml, NULL);
	pid = getevents_to("events.json", args);
	argv[0] = (char *)testprog_bin(), argv[1] = "open", argv[2] = target, argv[3] = NULL;
	run_wait(argv);
	text = finish(pid, "events.json");
	cr_assert(strstr(text, "\"process_exec\"") && strstr(text, "\"process_tracepoint\"") &&
		  strstr(text, "\"process_exit\""), "%s", text);
	if (!have_jq()) {
		cr_log_info("jq not installed: JSON checked by substring only");
	} else {
		char *f = xasprintf("map(select(.process_tracepoint.policy_name == \"watch\")) | length == 1 and "
				    ".[0].process_tracepoint.args[0].string_arg == \"%s\" and "
				    ".[0].process_tracepoint.args[0].label == \"path\" and "
				    ".[0].process_tracepoint.message == \"someone opened the secret\" and "
				    ".[0].process_tracepoint.policy_mode == \"audit\" and "
				    ".[0].process_tracepoint.action == \"KPROBE_ACTION_POST\" and "
				    "(.[0].process_tracepoint.process.binary | endswith(\"rtenf-testprog\")) and "
				    "(.[0].node_name | length > 0) and (.[0].time | test(\"^20..-..-..T\"))",
				    target);

		cr_expect(jq("events.json", f), "the hook event is not as expected:\n%s", text);
		free(f);
		f = xasprintf("map(select(.process_exec.process.binary // \"\" | endswith(\"rtenf-testprog\"))) | "
			      ".[0].process_exec | .process.arguments == \"open %s\" and "
			      "(.process.exec_id | length > 0) and (.process.parent_exec_id | length > 0) and "
			      "(.parent.pid > 0) and (.process.pid > 0) and (.process.cwd | length > 0)",
			      target);
		cr_expect(jq("events.json", f), "the exec event is not as expected:\n%s", text);
		free(f);
		cr_expect(jq("events.json", "map(select(.process_exit.process.binary // \"\" | "
					    "endswith(\"rtenf-testprog\"))) | .[0].process_exit.status == 0"),
			  "the exit event is not as expected:\n%s", text);
	}
	free(text);
	free(yaml);
	free(target);
}

Test(cli_live, exit_event_names_the_killing_signal)
{
	const char *args[] = {"-o", "json", "--event-types", "process_exit", "--process", "rtenf-testprog$",
			      "--count", "1", "--timeout", "5", NULL};
	char *argv[] = {(char *)testprog_bin(), "kill-self", "9", NULL};
	char *text;
	pid_t pid;

	agent_start(&agent, NULL);
	pid = getevents_to("exit.json", args);
	run_wait(argv);
	text = finish(pid, "exit.json");
	cr_expect(strstr(text, "\"signal\":\"SIGKILL\"") != NULL, "%s", text);
	cr_expect(strstr(text, "\"process_exec\"") == NULL, "--event-types filtered: %s", text);
	free(text);
}

Test(cli_live, compact_output_marks_audit)
{
	const char *args[] = {"-o", "compact", "--color", "never", "--policy", "watch", "--count", "1", "--timeout",
			      "5", NULL};
	char *target, *yaml, *text, *argv[4];
	pid_t pid;

	agent_start(&agent, NULL);
	target = xasprintf("%s/secret", agent.dir);
	yaml = xasprintf(watch_open, "watch", "audit", "m", target);
	apply_ok(&agent, "watch", yaml, NULL);
	pid = getevents_to("compact.txt", args);
	argv[0] = (char *)testprog_bin(), argv[1] = "open", argv[2] = target, argv[3] = NULL;
	run_wait(argv);
	text = finish(pid, "compact.txt");
	cr_expect(strstr(text, "tracepoint") && strstr(text, "syscalls/sys_enter_openat") &&
		  strstr(text, "[watch]") && strstr(text, target), "%s", text);
	cr_expect(strchr(text, '\033') == NULL, "--color never: %s", text);
	free(text);
	free(yaml);
	free(target);
}

Test(cli_live, same_name_needs_replace_and_replace_swaps_mode)
{
	char *yaml_a = xasprintf(watch_open, "dup", "audit", "a", "/nonexistent/a");
	char *yaml_b = xasprintf(watch_open, "dup", "enforce", "b", "/nonexistent/b");
	char *path_b, *out = NULL, *err = NULL;

	agent_start(&agent, NULL);
	apply_ok(&agent, "dup-a", yaml_a, NULL);
	path_b = policy_file(&agent, "dup-b", yaml_b);
	cr_expect_eq(cli(&agent, &out, &err, "apply", "-f", path_b, NULL), 1);
	cr_expect(strstr(err, "already loaded") != NULL, "%s", err);
	free(out);
	free(err);
	cr_expect_eq(cli(&agent, &out, &err, "apply", "-f", path_b, "--replace", NULL), 0, "%s", err);
	cr_expect(strstr(out, "applied dup (enforce, 1 hook)") != NULL, "%s", out);
	free(out);
	free(err);
	cr_expect_eq(cli(&agent, &out, NULL, "list", "-o", "json", NULL), 0);
	cr_expect(strstr(out, "\"mode\":\"enforce\"") && !strstr(out, "\"mode\":\"audit\""), "%s", out);
	free(out);
	free(path_b);
	free(yaml_a);
	free(yaml_b);
}

Test(cli_live, a_directory_applies_all_or_nothing)
{
	char *dir, *good = xasprintf(watch_open, "good", "audit", "g", "/nonexistent/g"), *out = NULL, *err = NULL;
	FILE *f;

	agent_start(&agent, NULL);
	dir = xasprintf("%s/set", agent.dir);
	cr_assert_eq(mkdir(dir, 0700), 0);
	f = fopen(xasprintf("%s/1-good.yaml", dir), "w");
	fputs(good, f);
	fclose(f);
	f = fopen(xasprintf("%s/2-bad.yaml", dir), "w");
	fputs("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: bad\nspec:\n"
	      "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n    args:\n    - index: 99\n",
	      f);
	fclose(f);
	cr_expect_eq(cli(&agent, &out, &err, "apply", "-f", dir, NULL), 1);
	cr_expect(strstr(err, "2-bad.yaml:10:7:") != NULL, "%s", err);
	cr_expect(strstr(err, "out of range") != NULL, "%s", err);
	free(out);
	free(err);
	cr_expect_eq(cli(&agent, &out, NULL, "list", "-o", "json", NULL), 0);
	cr_expect(strstr(out, "\"good\"") == NULL, "nothing may be applied: %s", out);
	free(out);
	free(dir);
	free(good);
}

Test(cli_live, validate_needs_no_agent_and_reports_locations)
{
	char *out = NULL, *err = NULL, *path;
	int rc;

	require_root();
	strcpy(agent.dir, "/tmp/rtenf-test-XXXXXX");
	cr_assert_not_null(mkdtemp(agent.dir));
	path = policy_file(&agent, "typo", "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n"
				 "  name: typo\nspec:\n  tracepoints:\n  - subsystem: syscalls\n"
				 "    event: sys_enter_openat\n    selectors:\n    - matchActions:\n"
				 "      - action: Sigkil\n");
	rc = cli(NULL, &out, &err, "validate", path, NULL);
	cr_expect_eq(rc, 1);
	cr_expect(strstr(err, "typo.yaml:11:17:") != NULL, "%s", err);
	cr_expect(strstr(err, "Sigkill") != NULL, "a suggestion: %s", err);
	free(out);
	free(err);
	rc = cli(NULL, &out, &err, "validate", "policies/kill-unshare.yaml", NULL);
	cr_expect_eq(rc, 0, "%s", err);
	free(out);
	free(err);
	free(path);
}
