// SPDX-License-Identifier: GPL-2.0-only
/* rtenf apply against a fake agent. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <stdio.h>

#include "cli_harness.h"
#include "util.h"

static rtenf_HookInfo unshare_hook = {
	.kind = "tracepoint",
	.target = "syscalls/sys_enter_unshare",
	.mechanism = "tracepoint",
	.enforcement = "bpf_send_signal",
};

static rtenf_PolicyInfo applied[] = {
	{.name = "kill-unshare", .id = 1, .mode = rtenf_PolicyMode_POLICY_MODE_ENFORCE,
	 .hooks_count = 1, .hooks = &unshare_hook},
	{.name = "audit-mounts", .id = 2, .mode = rtenf_PolicyMode_POLICY_MODE_AUDIT},
};

static void answer_applied(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	resp->ok = req->which_request == rtenf_Request_apply_tag;
	resp->policies = applied;
	resp->policies_count = 2;
}

static char *diagnostics[] = {
	"p/a.yaml:7:9: unknown action \"Sigkil\"; did you mean \"Sigkill\"?",
	"p/b.yaml:3:1: missing metadata.name",
};

static void answer_refused(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	(void)req;
	resp->ok = false;
	resp->error = "2 policies have errors; nothing was applied";
	resp->diagnostics = diagnostics;
	resp->diagnostics_count = 2;
}

static char *policy_dir(void)
{
	char *dir = tmpdir_make();

	free(write_file(dir, "20-b.yaml", "b: 2\n"));
	free(write_file(dir, "10-a.yml", "a: 1\n"));
	free(write_file(dir, "README.md", "not a policy\n"));
	return dir;
}

Test(cli_apply, directory_sent_sorted_in_one_request, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_applied};
	struct run_result r;
	char *dir = policy_dir(), *extra_dir = tmpdir_make();
	char *extra = write_file(extra_dir, "extra.yaml", "c: 3\n");
	const rtenf_ApplyRequest *req;

	fake_agent_start(&a);
	RUN(&r, cmd_apply, "apply", "-f", dir, "--file", extra, "--mode", "enforce", "--replace",
	    "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(a.n_requests, 1, "one request for all files");
	cr_assert_eq(a.requests[0].which_request, rtenf_Request_apply_tag);
	req = &a.requests[0].request.apply;
	cr_assert_eq(req->files_count, 3);
	cr_assert_not_null(strstr(req->files[0].file_name, "10-a.yml"));
	cr_assert_not_null(strstr(req->files[1].file_name, "20-b.yaml"));
	cr_assert_str_eq(req->files[2].file_name, extra);
	cr_assert_str_eq(req->files[0].yaml, "a: 1\n");
	cr_assert_eq(req->mode, rtenf_PolicyMode_POLICY_MODE_ENFORCE);
	cr_assert(req->replace);
	cr_assert_str_eq(r.out, "applied kill-unshare (enforce, 1 hook)\n"
				"applied audit-mounts (audit, 0 hooks)\n");
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
	fake_agent_free(&a);
	free(extra);
	tmpdir_remove(extra_dir);
	tmpdir_remove(dir);
}

Test(cli_apply, defaults_leave_mode_unset_and_do_not_replace, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_applied};
	struct run_result r;
	char *dir = policy_dir();

	fake_agent_start(&a);
	setenv("RTENF_SOCKET", a.path, 1);
	RUN(&r, cmd_apply, "apply", "-f", dir);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_eq(a.requests[0].request.apply.mode, rtenf_PolicyMode_POLICY_MODE_UNSET);
	cr_assert_not(a.requests[0].request.apply.replace);
	run_result_free(&r);
	fake_agent_free(&a);
	tmpdir_remove(dir);
}

Test(cli_apply, json_lists_applied_policies, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_applied};
	struct run_result r;
	char *dir = policy_dir();

	fake_agent_start(&a);
	RUN(&r, cmd_apply, "apply", "-o", "json", "-f", dir, "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(starts_with(r.out, "{\"applied\":[{\"name\":\"kill-unshare\",\"id\":1,\"mode\":\"enforce\","),
		  "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\"hooks\":[{\"kind\":\"tracepoint\",\"target\":\"syscalls/sys_enter_unshare\""));
	cr_assert_not_null(strstr(r.out, "{\"name\":\"audit-mounts\",\"id\":2,\"mode\":\"audit\""));
	cr_assert_eq(count_lines(r.out), 1);
	run_result_free(&r);
	fake_agent_free(&a);
	tmpdir_remove(dir);
}

Test(cli_apply, refusal_prints_error_and_diagnostics, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_refused};
	struct run_result r;
	char *dir = policy_dir();

	fake_agent_start(&a);
	RUN(&r, cmd_apply, "apply", "-f", dir, "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert_str_eq(r.err, "rtenf apply: 2 policies have errors; nothing was applied\n"
				"p/a.yaml:7:9: unknown action \"Sigkil\"; did you mean \"Sigkill\"?\n"
				"p/b.yaml:3:1: missing metadata.name\n");
	run_result_free(&r);
	fake_agent_free(&a);
	tmpdir_remove(dir);
}

Test(cli_apply, refusal_in_json, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_refused};
	struct run_result r;
	char *dir = policy_dir();

	fake_agent_start(&a);
	RUN(&r, cmd_apply, "apply", "-f", dir, "--socket", a.path, "-o", "json");
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	cr_assert_str_eq(r.err, "{\"error\":\"2 policies have errors; nothing was applied\",\"diagnostics\":["
				"\"p/a.yaml:7:9: unknown action \\\"Sigkil\\\"; did you mean \\\"Sigkill\\\"?\","
				"\"p/b.yaml:3:1: missing metadata.name\"]}\n");
	run_result_free(&r);
	fake_agent_free(&a);
	tmpdir_remove(dir);
}

Test(cli_apply, unreadable_file_sends_nothing, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_applied};
	struct run_result r;
	char *dir = policy_dir(), *missing = xasprintf("%s/missing.yaml", dir);

	fake_agent_start(&a);
	RUN(&r, cmd_apply, "apply", "-f", dir, "-f", missing, "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 1);
	cr_assert_eq(a.n_requests, 0, "nothing may be sent");
	cr_assert_not_null(strstr(r.err, missing), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "nothing was applied"), "%s", r.err);
	run_result_free(&r);
	fake_agent_free(&a);
	free(missing);
	tmpdir_remove(dir);
}

/* Policies with thousands of values are large: the document travels as a
 * string field, which nanopb does not cap at 64 KiB as it does bytes. */
Test(cli_apply, large_file_is_sent_whole, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_applied};
	struct run_result r;
	char *dir = tmpdir_make(), *big = xmalloc(200001), *path;

	memset(big, '#', 200000);
	big[200000] = '\0';
	path = write_file(dir, "big.yaml", big);
	fake_agent_start(&a);
	RUN(&r, cmd_apply, "apply", "-f", path, "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(a.n_requests, 1);
	cr_assert_eq(strlen(a.requests[0].request.apply.files[0].yaml), 200000);
	run_result_free(&r);
	fake_agent_free(&a);
	free(big);
	free(path);
	tmpdir_remove(dir);
}

/* A NUL byte would silently cut the document short on the wire. */
Test(cli_apply, file_with_nul_byte_is_refused, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_applied};
	struct run_result r;
	char *dir = tmpdir_make(), *path = xasprintf("%s/nul.yaml", dir);
	FILE *f = fopen(path, "wb");

	cr_assert_not_null(f);
	fwrite("a: 1\n\0b: 2\n", 1, 11, f);
	fclose(f);
	fake_agent_start(&a);
	RUN(&r, cmd_apply, "apply", "-f", path, "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 1);
	cr_assert_eq(a.n_requests, 0);
	cr_assert_not_null(strstr(r.err, "contains a NUL byte"), "%s", r.err);
	run_result_free(&r);
	fake_agent_free(&a);
	free(path);
	tmpdir_remove(dir);
}

Test(cli_apply, directory_without_policies_is_an_error)
{
	struct run_result r;
	char *dir = tmpdir_make();

	RUN(&r, cmd_apply, "apply", "-f", dir, "--socket", "/nonexistent/rtenf.sock");
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.err, "no *.yaml or *.yml files"), "%s", r.err);
	run_result_free(&r);
	tmpdir_remove(dir);
}

Test(cli_apply, agent_not_running)
{
	struct run_result r;
	char *dir = policy_dir(), *sock = xasprintf("%s/rtenf.sock", dir), *want;

	RUN(&r, cmd_apply, "apply", "-f", dir, "--socket", sock);
	cr_assert_eq(r.status, 1);
	want = xasprintf("rtenf apply: agent not running at %s; start it with `rtenf agent`\n", sock);
	cr_assert_str_eq(r.err, want);
	free(want);
	free(sock);
	run_result_free(&r);
	tmpdir_remove(dir);
}

Test(cli_apply, help_goes_to_stdout)
{
	struct run_result r;

	RUN(&r, cmd_apply, "apply", "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(starts_with(r.out, "usage: rtenf apply -f FILE|DIR"), "%s", r.out);
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
}

/* Each case: the arguments after "apply", and what the message must say. */
static const struct {
	const char *args[6];
	const char *message;
} apply_usage_errors[] = {
	{{NULL}, "no policy given"},
	{{"policy.yaml"}, "unexpected argument \"policy.yaml\"; give policy files with -f"},
	{{"-f", "x.yaml", "--mode", "block"}, "unknown mode \"block\""},
	{{"-f"}, "option -f needs a value"},
	{{"-f", "x.yaml", "--mode"}, "option --mode needs a value"},
	{{"-f", "x.yaml", "--force"}, "unknown option --force"},
	{{"-f", "x.yaml", "-q"}, "unknown option -q"},
	{{"-f", "x.yaml", "--replace=yes"}, "option --replace takes no value"},
	{{"-f", "x.yaml", "-o", "yaml"}, "unknown output format \"yaml\""},
	{{"-f", ""}, "-f needs a file or a directory"},
	{{"-f", "x.yaml", "--socket", ""}, "--socket needs a path"},
};

Test(cli_apply, usage_errors)
{
	for (size_t i = 0; i < ARRAY_SIZE(apply_usage_errors); i++) {
		const char *argv[8] = {"apply"};
		struct run_result r;

		for (size_t j = 0; apply_usage_errors[i].args[j]; j++)
			argv[j + 1] = apply_usage_errors[i].args[j];
		run_verb(cmd_apply, argv, &r);
		cr_expect_eq(r.status, EXIT_USAGE, "case %zu: status %d", i, r.status);
		cr_expect_not_null(strstr(r.err, apply_usage_errors[i].message), "case %zu: %s", i, r.err);
		cr_expect_not_null(strstr(r.err, "\nusage: rtenf apply"), "case %zu: usage missing", i);
		cr_expect_str_eq(r.out, "", "case %zu", i);
		run_result_free(&r);
	}
}

static char *skipped_names[] = {"watch-open"};
static char *skip_warnings[] = {
	"p/lsm.yaml:9:11: warning: cannot hook LSM hook file_open on this kernel: lsmhooks need CONFIG_BPF_LSM=y",
};

static void answer_skipped(struct fake_agent *a, const rtenf_Request *req, rtenf_Response *resp)
{
	(void)a;
	resp->ok = req->which_request == rtenf_Request_apply_tag && req->request.apply.skip_unsupported;
	resp->policies = applied;
	resp->policies_count = 1;
	resp->skipped = skipped_names;
	resp->skipped_count = 1;
	resp->diagnostics = skip_warnings;
	resp->diagnostics_count = 1;
}

Test(cli_apply, skip_unsupported_lists_what_was_left_out, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_skipped};
	struct run_result r;
	char *dir = policy_dir();

	fake_agent_start(&a);
	RUN(&r, cmd_apply, "apply", "-f", dir, "--skip-unsupported", "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert(a.requests[0].request.apply.skip_unsupported);
	cr_assert_str_eq(r.out, "applied kill-unshare (enforce, 1 hook)\n"
				"skipped watch-open (this kernel cannot run it; see the warnings)\n");
	cr_assert_str_eq(r.err, "p/lsm.yaml:9:11: warning: cannot hook LSM hook file_open on this kernel: lsmhooks "
				"need CONFIG_BPF_LSM=y\n");
	run_result_free(&r);
	fake_agent_free(&a);
	tmpdir_remove(dir);
}

Test(cli_apply, skip_unsupported_in_json, .timeout = 10)
{
	struct fake_agent a = {.respond = answer_skipped};
	struct run_result r;
	char *dir = policy_dir();

	fake_agent_start(&a);
	RUN(&r, cmd_apply, "apply", "-o", "json", "-f", dir, "--skip-unsupported", "--socket", a.path);
	fake_agent_stop(&a);
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	cr_assert_not_null(strstr(r.out, "],\"skipped\":[\"watch-open\"],\"diagnostics\":[\"p/lsm.yaml:9:11: warning: "),
			   "%s", r.out);
	cr_assert_eq(count_lines(r.out), 1);
	cr_assert_str_eq(r.err, "");
	run_result_free(&r);
	fake_agent_free(&a);
	tmpdir_remove(dir);
}
