// SPDX-License-Identifier: GPL-2.0-only
/*
 * spec.kprobes on the running kernel.  Syscall kprobes (call: sys_openat)
 * run everywhere: through kprobes or fentry where the kernel has them,
 * through the syscalls/sys_enter_* tracepoint where it does not (this
 * project's host).  Kernel-function kprobes and Override of security_*
 * functions need kprobes, trampolines or bpf_override_return; on a kernel
 * without them those tests skip, saying so, and run in the vmtest matrix.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
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

static struct test_agent agent;

static void stop(void)
{
	agent_stop(&agent);
}

TestSuite(kprobe, .fini = stop, .timeout = 120);

#define POLICY_HEAD                                                                                                   \
	"apiVersion: cilium.io/v1alpha1\n"                                                                            \
	"kind: TracingPolicy\n"                                                                                       \
	"metadata:\n"                                                                                                 \
	"  name: %s\n"                                                                                                \
	"spec:\n"

static int testprog(const char *cmd, const char *arg)
{
	char *argv[] = {(char *)testprog_bin(), (char *)cmd, (char *)arg, NULL};

	return run_wait(argv);
}

static void expect_exit(int status, int code)
{
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == code, "expected exit %d, wait status 0x%x", code, status);
}

static void expect_killed(int status)
{
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "expected death by SIGKILL, wait status 0x%x",
		  status);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = s ? strlen(s) : 0, m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", agent.dir, name);
}

static void create_file(const char *path)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "cannot create %s", path);
	fputs("data\n", f);
	fclose(f);
}

/* Tetragon's classic: kprobes: call: sys_openat, the path as a string. */
static char *openat_policy(const char *name, const char *prefix, const char *action)
{
	return xasprintf(POLICY_HEAD
			 "  kprobes:\n"
			 "  - call: \"sys_openat\"\n"
			 "    syscall: true\n"
			 "    args:\n"
			 "    - index: 0\n"
			 "      type: int\n"
			 "    - index: 1\n"
			 "      type: string\n"
			 "      label: path\n"
			 "    - index: 2\n"
			 "      type: int\n"
			 "      label: flags\n"
			 "    selectors:\n"
			 "    - matchArgs:\n"
			 "      - index: 1\n"
			 "        operator: Prefix\n"
			 "        values: [\"%s\"]\n"
			 "%s",
			 name, prefix, action ? action : "");
}

static const char sigkill_action[] = "      matchActions:\n"
				     "      - action: Sigkill\n";

static bool kernel_has_function_hooks(void)
{
	return kernel_has("kprobe_multi") || kernel_has("kprobe") || kernel_has("fentry");
}

Test(kprobe, syscall_openat_reports_decoded_arguments)
{
	char *prefix, *path, *yaml, *mech, *enf;
	rtenf_ProcessKprobe *k;
	struct event_stream s;
	rtenf_Event ev;

	agent_start(&agent, NULL);
	prefix = in_dir("secret");
	path = in_dir("secret-1");
	yaml = openat_policy("watch-openat", prefix, NULL);
	apply_ok(&agent, "watch-openat", yaml, "enforce");
	stream_open(&s, &agent, "watch-openat");

	expect_exit(testprog("openat", path), ENOENT);
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0,
		     "no process_kprobe event within 5 s\n%s", agent_log(&agent));
	k = &ev.event.process_kprobe;
	cr_expect(ends_with(k->function_name, "sys_openat"), "function %s", k->function_name);
	cr_expect_str_eq(k->policy_name, "watch-openat");
	cr_expect_eq(k->action, rtenf_KprobeAction_KPROBE_ACTION_POST);
	cr_assert_eq(k->args_count, 3);
	cr_expect_eq(k->args[0].which_arg, rtenf_KprobeArgument_int_arg_tag);
	cr_expect_eq(k->args[0].arg.int_arg, AT_FDCWD, "dirfd %d", k->args[0].arg.int_arg);
	cr_expect_eq(k->args[1].which_arg, rtenf_KprobeArgument_string_arg_tag);
	cr_expect_str_eq(k->args[1].arg.string_arg, path);
	cr_expect_str_eq(k->args[1].label, "path");
	cr_expect_eq(k->args[2].arg.int_arg & O_ACCMODE, O_RDONLY);
	cr_assert_not_null(k->process);
	cr_expect(ends_with(k->process->binary, "rtenf-testprog"), "binary %s", k->process->binary);

	/* The event and `list` name the same mechanism, and on a kernel with
	 * no kprobes and no trampolines it is the syscall tracepoint. */
	policy_hook_info(&agent, "watch-openat", 0, &mech, &enf);
	cr_expect(k->mechanism && !strncmp(mech, k->mechanism, strlen(k->mechanism)), "event says %s, list says %s",
		  k->mechanism, mech);
	if (!kernel_has_function_hooks())
		cr_expect_str_eq(mech, "syscall tracepoint syscalls/sys_enter_openat, decided at return when a string "
				       "page is not resident");
	cr_expect_str_eq(enf, "none (observe only)");
	pb_release(rtenf_Event_fields, &ev);

	/* a path outside the prefix is filtered in the kernel: the next event
	 * is the second matching open, not the unrelated one */
	expect_exit(testprog("openat", agent.dir), 0);
	free(path);
	path = in_dir("secret-2");
	expect_exit(testprog("openat", path), ENOENT);
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0);
	cr_expect_str_eq(ev.event.process_kprobe.args[1].arg.string_arg, path);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(mech), free(enf), free(yaml), free(path), free(prefix);
}

Test(kprobe, syscall_sigkill_kills_inside_the_syscall)
{
	char *prefix, *path, *yaml;
	rtenf_PolicyCounters c;
	struct event_stream s;
	rtenf_Event ev;

	agent_start(&agent, NULL);
	prefix = in_dir("forbidden");
	path = in_dir("forbidden-file");
	create_file(path);
	yaml = openat_policy("kill-openat", prefix, sigkill_action);
	apply_ok(&agent, "kill-openat", yaml, "enforce");
	stream_open(&s, &agent, "kill-openat");

	expect_killed(testprog("openat", path));
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0);
	cr_expect_eq(ev.event.process_kprobe.action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	cr_expect(ev.event.process_kprobe.enforced);
	cr_expect_eq(ev.event.process_kprobe.signal, SIGKILL);
	cr_expect_eq(ev.event.process_kprobe.policy_mode, rtenf_PolicyMode_POLICY_MODE_ENFORCE);
	pb_release(rtenf_Event_fields, &ev);

	/* other files open normally */
	expect_exit(testprog("openat", agent.dir), 0);
	policy_counters(&agent, "kill-openat", &c);
	cr_expect_eq(c.actions_applied, 1);
	stream_close(&s);
	free(yaml), free(path), free(prefix);
}

Test(kprobe, syscall_audit_mode_reports_what_it_would_have_done)
{
	char *prefix, *path, *yaml;
	rtenf_PolicyCounters c;
	struct event_stream s;
	rtenf_Event ev;

	agent_start(&agent, NULL);
	prefix = in_dir("forbidden");
	path = in_dir("forbidden-file");
	create_file(path);
	yaml = openat_policy("kill-openat", prefix, sigkill_action);
	apply_ok(&agent, "kill-openat", yaml, "audit");
	stream_open(&s, &agent, "kill-openat");

	expect_exit(testprog("openat", path), 0);
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0);
	cr_expect_eq(ev.event.process_kprobe.action, rtenf_KprobeAction_KPROBE_ACTION_SIGKILL);
	cr_expect_not(ev.event.process_kprobe.enforced);
	cr_expect_eq(ev.event.process_kprobe.policy_mode, rtenf_PolicyMode_POLICY_MODE_AUDIT);
	pb_release(rtenf_Event_fields, &ev);
	policy_counters(&agent, "kill-openat", &c);
	cr_expect_eq(c.actions_applied, 0);
	cr_expect_eq(c.actions_audited, 1);

	/* switched live, the same hook kills */
	cr_assert_eq(cli(&agent, NULL, NULL, "mode", "kill-openat", "enforce", NULL), 0);
	expect_killed(testprog("openat", path));
	stream_close(&s);
	free(yaml), free(path), free(prefix);
}

/* return: true with matchReturnArgs: only the opens that failed with ENOENT. */
Test(kprobe, syscall_return_value_selects_failed_opens)
{
	char *dir_prefix, *present, *absent, *absent2, *yaml;
	rtenf_ProcessKprobe *k;
	struct event_stream s;
	rtenf_Event ev;

	agent_start(&agent, NULL);
	dir_prefix = in_dir(""), present = in_dir("present"), absent = in_dir("absent"), absent2 = in_dir("absent-2");
	create_file(present);
	yaml = xasprintf(POLICY_HEAD
			 "  kprobes:\n"
			 "  - call: \"sys_openat\"\n"
			 "    return: true\n"
			 "    args:\n"
			 "    - index: 1\n"
			 "      type: string\n"
			 "    returnArg:\n"
			 "      index: 0\n"
			 "      type: int\n"
			 "    selectors:\n"
			 "    - matchArgs:\n"
			 "      - index: 1\n"
			 "        operator: Prefix\n"
			 "        values: [\"%s\"]\n"
			 "      matchReturnArgs:\n"
			 "      - index: 0\n"
			 "        operator: Equal\n"
			 "        values: [\"-2\"]\n",
			 "failed-opens", dir_prefix);
	apply_ok(&agent, "failed-opens", yaml, "enforce");
	stream_open(&s, &agent, "failed-opens");

	expect_exit(testprog("openat", absent), ENOENT);
	expect_exit(testprog("openat", present), 0);
	expect_exit(testprog("openat", absent2), ENOENT);
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0);
	k = &ev.event.process_kprobe;
	cr_expect_str_eq(k->args[0].arg.string_arg, absent);
	cr_assert(k->has_return_arg);
	cr_expect_eq(k->return_arg.arg.int_arg, -ENOENT);
	pb_release(rtenf_Event_fields, &ev);
	/* the successful open in between was filtered out in the kernel */
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0);
	cr_expect_str_eq(ev.event.process_kprobe.args[0].arg.string_arg, absent2);
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(yaml), free(dir_prefix), free(present), free(absent), free(absent2);
}

/* A kernel function with a struct file * argument, decoded to its path. */
static char *file_open_policy(const char *name, const char *path, const char *action)
{
	return xasprintf(POLICY_HEAD
			 "  kprobes:\n"
			 "  - call: \"security_file_open\"\n"
			 "    syscall: false\n"
			 "    args:\n"
			 "    - index: 0\n"
			 "      type: file\n"
			 "    selectors:\n"
			 "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: Equal\n"
			 "        values: [\"%s\"]\n"
			 "%s",
			 name, path, action ? action : "");
}

Test(kprobe, kernel_function_file_argument_is_its_path)
{
	char *path, *yaml;
	struct event_stream s;
	rtenf_Event ev;

	require_any_feature("kernel-function kprobes", "kprobe_multi", "kprobe", "fentry", NULL);
	agent_start(&agent, NULL);
	path = in_dir("watched");
	create_file(path);
	yaml = file_open_policy("watch-file-open", path, NULL);
	apply_ok(&agent, "watch-file-open", yaml, "enforce");
	stream_open(&s, &agent, "watch-file-open");

	expect_exit(testprog("openat", path), 0);
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0,
		     "no event\n%s", agent_log(&agent));
	cr_expect_str_eq(ev.event.process_kprobe.function_name, "security_file_open");
	cr_assert_eq(ev.event.process_kprobe.args_count, 1);
	cr_assert_eq(ev.event.process_kprobe.args[0].which_arg, rtenf_KprobeArgument_file_arg_tag);
	cr_expect_str_eq(ev.event.process_kprobe.args[0].arg.file_arg.path, path);
	cr_expect_str_eq(ev.event.process_kprobe.args[0].arg.file_arg.permission, "-rw-r--r--");
	pb_release(rtenf_Event_fields, &ev);
	stream_close(&s);
	free(yaml), free(path);
}

Test(kprobe, kernel_function_sigkill)
{
	char *path, *yaml;

	require_any_feature("kernel-function kprobes", "kprobe_multi", "kprobe", "fentry", NULL);
	agent_start(&agent, NULL);
	path = in_dir("guarded");
	create_file(path);
	yaml = file_open_policy("kill-file-open", path, sigkill_action);
	apply_ok(&agent, "kill-file-open", yaml, "enforce");
	expect_killed(testprog("openat", path));
	expect_exit(testprog("openat", agent.dir), 0);
	free(yaml), free(path);
}

/* Override on a security_* function: mkdir fails and nothing is created. */
static char *mkdir_override_policy(const char *dir)
{
	return xasprintf(POLICY_HEAD
			 "  kprobes:\n"
			 "  - call: \"security_path_mkdir\"\n"
			 "    syscall: false\n"
			 "    args:\n"
			 "    - index: 0\n"
			 "      type: path\n"
			 "    selectors:\n"
			 "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: Equal\n"
			 "        values: [\"%s\"]\n"
			 "      matchActions:\n"
			 "      - action: Override\n"
			 "        argError: -1\n",
			 "deny-mkdir", dir);
}

Test(kprobe, override_security_function_denies_mkdir)
{
	char *yaml, *target, *mech, *enf;
	struct event_stream s;
	struct stat st;
	rtenf_Event ev;

	require_any_feature("Override of a security_* function", "fmod_ret", "helper_override_return", NULL);
	agent_start(&agent, NULL);
	target = in_dir("new-dir");
	yaml = mkdir_override_policy(agent.dir);
	apply_ok(&agent, "deny-mkdir", yaml, "enforce");
	policy_hook_info(&agent, "deny-mkdir", 0, &mech, &enf);
	cr_expect(strstr(enf, "fmod_ret") || strstr(enf, "bpf_override_return"), "enforcement: %s", enf);
	stream_open(&s, &agent, "deny-mkdir");

	expect_exit(testprog("mkdir", target), EPERM);
	cr_expect(stat(target, &st) && errno == ENOENT, "%s was created", target);
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0);
	cr_expect_eq(ev.event.process_kprobe.action, rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE);
	cr_expect_eq(abs(ev.event.process_kprobe.error), EPERM);
	cr_expect(ev.event.process_kprobe.enforced);
	pb_release(rtenf_Event_fields, &ev);

	/* audit: the directory is created, the event says what would have happened */
	cr_assert_eq(cli(&agent, NULL, NULL, "mode", "deny-mkdir", "audit", NULL), 0);
	expect_exit(testprog("mkdir", target), 0);
	cr_expect_eq(stat(target, &st), 0);
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0);
	cr_expect_eq(ev.event.process_kprobe.action, rtenf_KprobeAction_KPROBE_ACTION_OVERRIDE);
	cr_expect_eq(abs(ev.event.process_kprobe.error), EPERM);
	cr_expect_not(ev.event.process_kprobe.enforced);
	pb_release(rtenf_Event_fields, &ev);
	rmdir(target);
	stream_close(&s);
	free(yaml), free(target), free(mech), free(enf);
}

/* The path string is in a page nothing has touched: unreadable at syscall
 * entry.  The hook must decide at return (event marked late), not match an
 * empty string and let the call through. */
Test(kprobe, syscall_string_not_resident_is_decided_at_return)
{
	char *prefix, *path, *holder, *yaml;
	char *argv[4];
	rtenf_PolicyCounters c;
	struct event_stream s;
	rtenf_Event ev;
	FILE *f;

	agent_start(&agent, NULL);
	prefix = in_dir("forbidden");
	path = in_dir("forbidden-file");
	holder = in_dir("path-holder");
	create_file(path);
	f = fopen(holder, "w");
	cr_assert_not_null(f);
	fwrite(path, 1, strlen(path) + 1, f);
	fclose(f);
	yaml = openat_policy("kill-openat", prefix, sigkill_action);
	apply_ok(&agent, "kill-openat", yaml, "enforce");
	stream_open(&s, &agent, "kill-openat");

	argv[0] = (char *)testprog_bin(), argv[1] = "open-mapped", argv[2] = holder, argv[3] = NULL;
	expect_killed(run_wait(argv));
	cr_assert_eq(stream_next_of(&s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000), 0);
	cr_expect_str_eq(ev.event.process_kprobe.args[1].arg.string_arg, path);
	cr_expect(ev.event.process_kprobe.late, "the decision was not taken at return");
	cr_expect(ev.event.process_kprobe.enforced);
	pb_release(rtenf_Event_fields, &ev);
	policy_counters(&agent, "kill-openat", &c);
	cr_expect_eq(c.late, 1);
	stream_close(&s);
	free(yaml), free(path), free(prefix), free(holder);
}

/* call: "list:NAME" hooks every function of the list, each with its own
 * program (or one kprobe_multi link), and each names itself in its events. */
static char *function_list_policy(void)
{
	return xasprintf(POLICY_HEAD
			 "  lists:\n"
			 "  - name: watched\n"
			 "    values: [\"security_file_open\", \"security_path_mkdir\"]\n"
			 "  kprobes:\n"
			 "  - call: \"list:watched\"\n"
			 "    syscall: false\n"
			 "    selectors:\n"
			 "    - matchBinaries:\n"
			 "      - operator: In\n"
			 "        values: [\"%s\"]\n",
			 "watch-list", testprog_bin());
}

/* The next kprobe event of the test program from function fn; others
 * (the loader's own opens, say) are skipped. */
static bool next_event_from(struct event_stream *s, const char *fn)
{
	rtenf_Event ev;

	while (stream_next_of(s, rtenf_Event_process_kprobe_tag, 0, &ev, 5000) == 0) {
		bool hit = ev.event.process_kprobe.function_name && !strcmp(ev.event.process_kprobe.function_name, fn);

		pb_release(rtenf_Event_fields, &ev);
		if (hit)
			return true;
	}
	return false;
}

Test(kprobe, call_list_hooks_every_function_of_the_list)
{
	char *yaml = function_list_policy(), *path, *out = NULL, *err = NULL, *file;
	struct event_stream s;

	agent_start(&agent, NULL);
	if (!kernel_has_function_hooks()) {
		/* the host: refused whole, with the plan's reason */
		file = policy_file(&agent, "watch-list", yaml);
		cr_assert_neq(cli(&agent, &out, &err, "apply", "-f", file, NULL), 0, "applied on a kernel without kprobes");
		cr_expect(strstr(err, "cannot hook kernel function security_file_open on this kernel") &&
				  strstr(err, "cannot hook kernel function security_path_mkdir on this kernel"),
			  "the refusal does not name each function of the list: %s", err);
		free(out), free(err), free(file), free(yaml);
		cr_skip_test("kernel-function kprobes: this kernel has neither kprobes nor fentry (checked in vmtest)");
	}
	apply_ok(&agent, "watch-list", yaml, "enforce");
	stream_open(&s, &agent, "watch-list");
	path = in_dir("listed");
	expect_exit(testprog("openat", agent.dir), 0);
	cr_expect(next_event_from(&s, "security_file_open"), "no security_file_open event\n%s", agent_log(&agent));
	expect_exit(testprog("mkdir", path), 0);
	cr_expect(next_event_from(&s, "security_path_mkdir"), "no security_path_mkdir event\n%s", agent_log(&agent));
	stream_close(&s);
	free(yaml), free(path);
}
