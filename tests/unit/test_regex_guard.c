// SPDX-License-Identifier: GPL-2.0-only
/*
 * regex_guard: user regexes that would keep the agent's thread in regcomp
 * for minutes (nested bounded repetitions) or in regexec for exponential
 * time (backreferences) are refused before glibc sees them, wherever a
 * regex comes from: getevents --process (agent and CLI) and
 * generated_ftrace list patterns.
 */
#include <criterion/criterion.h>
#include <string.h>
#include <time.h>

#include "compile_fixture.h"
#include "event_filter.h"
#include "regex_guard.h"
#include "util.h"

/* Seen in code review, then run through fuzz_request: regcomp ran out of
 * 2 GiB after 11 s in duplicate_tree() (16 million copies of "a"). */
#define NESTED_BOUNDS "((a{1,255}){1,255}){1,255}"

static void expect_refused(const char *re, const char *msg)
{
	char err[256] = "";

	cr_assert_eq(regex_guard(re, err, sizeof(err)), -1, "\"%s\" was let through", re);
	cr_assert(strstr(err, msg), "\"%s\": message \"%s\" lacks \"%s\"", re, err, msg);
}

static void expect_allowed(const char *re)
{
	char err[256] = "";

	cr_assert_eq(regex_guard(re, err, sizeof(err)), 0, "\"%s\" refused: %s", re, err);
}

Test(regex_guard, ordinary_regexes_pass)
{
	expect_allowed("");
	expect_allowed("^/usr/(s)?bin/(cat|curl)$");
	expect_allowed("[[:alpha:]]{1,50}x{2,}");
	expect_allowed("^sys_[a-z]+$");
	expect_allowed("(a+)+b"); /* no backtracking in glibc without backreferences */
	expect_allowed("a{10000}");
	expect_allowed("[a{1000}]{1000}"); /* braces in a bracket are characters */
	expect_allowed("a\\{1000\\}{5}");
}

Test(regex_guard, nested_bounds_are_refused)
{
	expect_refused(NESTED_BOUNDS, "regex repeats too much");
	expect_refused("(a{1,100}){1,101}", "more than 10000 atoms");
	expect_refused("a{10001}", "more than 10000 atoms");
	expect_refused("x{1,99999999999999999999999999}", "more than 10000 atoms");
	expect_refused("(ab{99}){50}(c{2}){50}d{1,9000}", "repeats too much");
	expect_refused("(a{100}+){60}", "repeats too much");
}

/* fuzz_request (tests/fuzz/regress/request/regex-escaped-comma.bin): glibc
 * reads "\\," in an interval as a comma, so this is (...){1,25255}; regcomp
 * ran out of 2 GiB. */
#define ESCAPED_COMMA "(\xff\xff\xffs*a\x01\xc2?){1\\,25255}"

Test(regex_guard, intervals_read_as_glibc_reads_them)
{
	expect_refused(ESCAPED_COMMA, "more than 10000 atoms");
	expect_refused("a{10\\0\\01}", "more than 10000 atoms"); /* "\\0" is a digit: a{10001} */
	expect_refused("(ab){,9000}", "more than 10000 atoms");	 /* "{,m}" is "{0,m}" */
	expect_allowed("a{1\\,5}");
	expect_allowed("a{1\\}"); /* "\\}" closes nothing: regcomp rejects it */
}

/* glibc links every atom that can match nothing to each one after it, so
 * regcomp's time and memory grow with the square of their number: these
 * took 0.5 s and 770 MB, 1.5 s and 1 GB, 0.9 s and 880 MB here. */
Test(regex_guard, long_runs_of_optional_atoms_are_refused)
{
	expect_refused("a{1,9999}", "more than 2000 of its atoms");
	expect_refused("(\\b){4999}", "are optional");
	expect_refused("(x|\\b){3000}", "are optional");
	expect_refused("(^){4999}", "are optional");
	expect_refused("((a?){1,40}){1,40}", "are optional");
	expect_refused("(a|){2001}", "are optional");
	expect_allowed("a{1,2001}");
	expect_allowed("(a?){1000}");
	expect_allowed("(abc|){100}");
}

Test(regex_guard, backreferences_are_refused)
{
	expect_refused("(a|b)\\1", "backreferences");
	expect_refused("(.*)(.*)\\2\\1", "exponential");
}

Test(regex_guard, length_is_bounded)
{
	char re[REGEX_MAX_LEN + 2];

	memset(re, 'a', sizeof(re) - 1);
	re[sizeof(re) - 1] = '\0';
	expect_refused(re, "over the limit of 1024");
	re[REGEX_MAX_LEN] = '\0';
	expect_allowed(re);
}

Test(regex_guard, getevents_filter_refuses_quickly)
{
	rtenf_GetEventsRequest req = rtenf_GetEventsRequest_init_zero;
	struct event_filter f;
	struct timespec t0, t1;
	char err[256];

	req.process_regex = NESTED_BOUNDS;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(event_filter_init(&f, &req, err, sizeof(err)), -1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_assert(strstr(err, "process regex refused: regex repeats too much"), "%s", err);
	cr_assert_lt((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000, 100);

	req.process_regex = "^/usr/bin/(.*)\\1$";
	cr_assert_eq(event_filter_init(&f, &req, err, sizeof(err)), -1);
	cr_assert(strstr(err, "backreferences"), "%s", err);
}

Test(regex_guard, generated_ftrace_pattern_is_refused_at_its_location)
{
	expect_compile_error("apiVersion: cilium.io/v1alpha1\n"
			     "kind: TracingPolicy\n"
			     "metadata:\n"
			     "  name: test\n"
			     "spec:\n"
			     "  lists:\n"
			     "  - name: fns\n"
			     "    type: generated_ftrace\n"
			     "    pattern: \"" NESTED_BOUNDS "\"\n"
			     "  kprobes:\n"
			     "  - call: list:fns\n",
			     "t.yaml:9:14: pattern refused: regex repeats too much: its bounded repetitions {n,m} "
			     "expand to more than 10000 atoms; use * or + instead of large or nested bounds");
}
