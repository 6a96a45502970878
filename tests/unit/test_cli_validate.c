// SPDX-License-Identifier: GPL-2.0-only
/* rtenf validate: offline checks through policy_check(), per file. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "cli_harness.h"
#include "util.h"

static const char valid_policy[] =
	"apiVersion: cilium.io/v1alpha1\n"
	"kind: TracingPolicy\n"
	"metadata:\n"
	"  name: kill-unshare\n"
	"spec:\n"
	"  tracepoints:\n"
	"  - subsystem: \"syscalls\"\n"
	"    event: \"sys_enter_unshare\"\n"
	"    selectors:\n"
	"    - matchActions:\n"
	"      - action: Sigkill\n";

/* Not a TracingPolicy at all: any checker reports it. */
static const char invalid_policy[] = "just: a map\nof: nothing\n";

Test(cli_validate, valid_file)
{
	char *dir = tmpdir_make(), *path = write_file(dir, "p.yaml", valid_policy), *want;
	struct run_result r;

	RUN(&r, cmd_validate, "validate", path);
	cr_assert_eq(r.status, 0, "%s", r.err);
	want = xasprintf("%s: ok (policy kill-unshare, 1 hook)\n", path);
	cr_assert_str_eq(r.out, want);
	free(want);
	run_result_free(&r);
	free(path);
	tmpdir_remove(dir);
}

Test(cli_validate, invalid_file_prints_diagnostics_and_fails)
{
	char *dir = tmpdir_make(), *bad = write_file(dir, "bad.yaml", invalid_policy);
	char *good = write_file(dir, "good.yaml", valid_policy), *prefix = xasprintf("%s:", bad);
	struct run_result r;

	RUN(&r, cmd_validate, "validate", bad, good);
	cr_assert_eq(r.status, 1);
	cr_assert(starts_with(r.err, prefix), "diagnostics name the file: %s", r.err);
	/* The good file is still checked and reported. */
	cr_assert_not_null(strstr(r.out, "good.yaml: ok (policy kill-unshare"), "%s", r.out);
	cr_assert_null(strstr(r.out, "bad.yaml"), "%s", r.out);
	run_result_free(&r);
	free(prefix);
	free(bad);
	free(good);
	tmpdir_remove(dir);
}

Test(cli_validate, directory_files_in_order)
{
	char *dir = tmpdir_make();
	struct run_result r;
	char *a, *b;

	free(write_file(dir, "b.yaml", valid_policy));
	free(write_file(dir, "a.yml", valid_policy));
	free(write_file(dir, "skip.json", invalid_policy));
	RUN(&r, cmd_validate, "validate", dir);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out), 2, "%s", r.out);
	a = strstr(r.out, "/a.yml: ok");
	b = strstr(r.out, "/b.yaml: ok");
	cr_assert(a && b && a < b, "%s", r.out);
	run_result_free(&r);
	tmpdir_remove(dir);
}

Test(cli_validate, unreadable_file_fails_and_others_go_on)
{
	char *dir = tmpdir_make(), *good = write_file(dir, "good.yaml", valid_policy);
	char *missing = xasprintf("%s/missing.yaml", dir);
	struct run_result r;

	RUN(&r, cmd_validate, "validate", missing, good);
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.err, missing), "%s", r.err);
	cr_assert_not_null(strstr(r.out, "good.yaml: ok"), "%s", r.out);
	run_result_free(&r);
	free(missing);
	free(good);
	tmpdir_remove(dir);
}

Test(cli_validate, json_report)
{
	char *dir = tmpdir_make(), *bad = write_file(dir, "bad.yaml", invalid_policy);
	char *good = write_file(dir, "good.yaml", valid_policy), *want;
	struct run_result r;

	RUN(&r, cmd_validate, "validate", "-o", "json", good, bad);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.err, "", "json mode keeps everything in the report");
	cr_assert_eq(count_lines(r.out), 1, "%s", r.out);
	want = xasprintf("{\"files\":[{\"file\":\"%s\",\"ok\":true,\"policy\":\"kill-unshare\",\"hooks\":1,"
			 "\"diagnostics\":[",
			 good);
	cr_assert(starts_with(r.out, want), "%s", r.out);
	free(want);
	want = xasprintf("{\"file\":\"%s\",\"ok\":false,", bad);
	cr_assert_not_null(strstr(r.out, want), "%s", r.out);
	free(want);
	want = xasprintf("\"diagnostics\":[\"%s:", bad);
	cr_assert_not_null(strstr(r.out, want), "%s", r.out);
	free(want);
	cr_assert(strstr(r.out, "],\"kernel_checked\":true}\n") || strstr(r.out, "],\"kernel_checked\":false}\n"),
		  "%s", r.out);
	run_result_free(&r);
	free(bad);
	free(good);
	tmpdir_remove(dir);
}

Test(cli_validate, empty_directory_is_an_error)
{
	char *dir = tmpdir_make();
	struct run_result r;

	RUN(&r, cmd_validate, "validate", "-o", "json", dir);
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.out, "\"ok\":false"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "no *.yaml or *.yml files"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\"kernel_checked\":false"), "%s", r.out);
	run_result_free(&r);
	tmpdir_remove(dir);
}

Test(cli_validate, usage_errors)
{
	struct run_result r;

	RUN(&r, cmd_validate, "validate");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert_not_null(strstr(r.err, "no policy file given"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "usage: rtenf validate"), "%s", r.err);
	run_result_free(&r);

	/* validate never talks to an agent */
	RUN(&r, cmd_validate, "validate", "--socket", "/x", "p.yaml");
	cr_assert_eq(r.status, EXIT_USAGE);
	cr_assert_not_null(strstr(r.err, "unknown option --socket"), "%s", r.err);
	run_result_free(&r);

	RUN(&r, cmd_validate, "validate", "-o", "yaml", "p.yaml");
	cr_assert_eq(r.status, EXIT_USAGE);
	run_result_free(&r);

	RUN(&r, cmd_validate, "validate", "--help");
	cr_assert_eq(r.status, 0);
	cr_assert(starts_with(r.out, "usage: rtenf validate"), "%s", r.out);
	run_result_free(&r);
}

/* Every shipped policy is parsed and compiled (offline: the kernel is
 * judged by tests/integration/test_library.c). */
Test(cli_validate, shipped_policies_validate, .timeout = 20)
{
	struct run_result r;

	RUN(&r, cmd_validate, "validate", "policies", "policies/default");
	cr_assert_eq(r.status, 0, "rtenf validate policies policies/default:\n%s%s", r.out, r.err);
	cr_assert_geq(count_lines(r.out), 10, "%s", r.out);
	cr_assert_null(strstr(r.out, "warning"), "%s", r.out);
	run_result_free(&r);
}

/* Policies written the way Tetragon's examples are (tests/data/tetragon-
 * style, written for rtenf): every one that uses only what rtenf supports
 * validates as it is. */
#define TETRAGON_STYLE "tests/data/tetragon-style/"

Test(cli_validate, tetragon_style_policies_validate)
{
	static const char *const files[] = {
		"01-protect-secrets-lsm.yaml: ok (policy protect-secrets, 1 hook)",
		"02-setuid-root-kprobe.yaml: ok (policy setuid-root-in-containers, 1 hook)",
		"03-outbound-connections.yaml: ok (policy outbound-connections, 1 hook)",
		"04-exec-from-scratch-dirs.yaml: ok (policy exec-from-scratch-dirs, 1 hook)",
		"05-miners-tracepoint.yaml: ok (policy miners, 1 hook)",
		"06-capability-changes.yaml: ok (policy capability-changes, 1 hook)",
		"07-mount-flags.yaml: ok (policy mount-flags, 1 hook)",
		"08-shell-readline-uprobe.yaml: ok (policy shell-readline, 1 hook)",
		"09-dns-packets-skb.yaml: ok (policy dns-packets, 1 hook)",
		"10-fd-duplication-raw-syscalls.yaml: ok (policy fd-duplication, 1 hook)",
		"11-task-data-kprobe.yaml: ok (policy task-data, 1 hook)",
		"12-stack-traces-tracepoint.yaml: ok (policy stacks-of-unshare, 1 hook)",
	};
	struct run_result r;
	const char *p;

	RUN(&r, cmd_validate, "validate", TETRAGON_STYLE "supported");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(count_lines(r.out), sizeof(files) / sizeof(files[0]), "%s", r.out);
	p = r.out;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *want = xasprintf(TETRAGON_STYLE "supported/%s\n", files[i]);

		cr_assert(starts_with(p, want), "line %zu is not \"%s\":\n%s", i + 1, want, r.out);
		p += strlen(want);
		free(want);
	}
	run_result_free(&r);
}

/* ... and one that uses what rtenf does not support is refused with the
 * field and its place, never a generic parse error. */
Test(cli_validate, tetragon_style_unsupported_fields_are_named)
{
	static const char *const want =
		TETRAGON_STYLE "unsupported/dns-lookup.yaml:12:17: not supported yet: action \"DnsLookup\"\n"
		TETRAGON_STYLE "unsupported/dns-lookup.yaml:13:9: not supported yet: argFqdn\n"
		TETRAGON_STYLE "unsupported/get-url.yaml:12:17: not supported yet: action \"GetUrl\"\n"
		TETRAGON_STYLE "unsupported/get-url.yaml:13:9: not supported yet: argUrl\n"
		TETRAGON_STYLE "unsupported/usdt.yaml:7:3: not supported yet: spec.usdts\n";
	struct run_result r;

	RUN(&r, cmd_validate, "validate", TETRAGON_STYLE "unsupported");
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	/* without root, a note on unchecked tracepoints follows */
	cr_assert(starts_with(r.err, want) && (!r.err[strlen(want)] || starts_with(r.err + strlen(want), "note: ")),
		  "%s", r.err);
	run_result_free(&r);
}
