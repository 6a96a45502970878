// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF matcher on compiled hooks, run with bpf_prog_test_run: the keyed
 * hash on both sides, the filters that look at the task (pid, namespaces,
 * binary), and how selectors combine.  Argument filters are in
 * test_matcher_args.c.
 */
#include <criterion/criterion.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "matcher_fixture.h"
#include "util.h"

static struct matcher m;

static void setup(void)
{
	matcher_init(&m);
}

static void teardown(void)
{
	matcher_unload(&m);
}

TestSuite(matcher, .init = setup, .fini = teardown, .timeout = 120);

static const __u64 no_args[MATCHER_SLOTS];

/* --- the keyed hash ---------------------------------------------------------------------- */

/* Lengths from long to short: the BPF buffer keeps what a longer input left
 * behind, which must not leak into the hash of a shorter one. */
Test(matcher, bpf_and_user_space_hash_alike)
{
	static __u8 bytes[RTENF_HASH_MAX_LEN];

	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (__u8)(i * 131 + 7); /* every byte value, NULs included */
	matcher_load(&m, NULL);
	cr_assert_eq(matcher_bpf_hash(&m, bytes, RTENF_HASH_MAX_LEN - 1),
		     rtenf_hash(bytes, RTENF_HASH_MAX_LEN - 1, &fake_key), "4095 bytes");
	for (int len = 300; len >= 0; len--)
		cr_assert_eq(matcher_bpf_hash(&m, bytes, (__u32)len), rtenf_hash(bytes, (__u32)len, &fake_key),
			     "%d bytes: BPF and user space disagree", len);
}

/* --- matchPIDs ---------------------------------------------------------------------------- */

static void load_pids(const char *op, const char *flags, const char *values)
{
	char *sel = xasprintf("    - matchPIDs:\n"
			      "      - operator: %s\n"
			      "%s"
			      "        values: [%s]\n",
			      op, flags, values);

	matcher_load(&m, sel);
	free(sel);
}

static void expect_pids(const char *op, const char *flags, const char *values, int want)
{
	load_pids(op, flags, values);
	expect_match(&m, no_args, want);
	matcher_unload(&m);
}

Test(matcher, pids_in_and_not_in)
{
	char self[16], other[16], set[64];

	snprintf(self, sizeof(self), "%d", getpid());
	snprintf(other, sizeof(other), "%d", getpid() + 100000);
	snprintf(set, sizeof(set), "1, %s, %d", other, getpid());
	expect_pids("In", "", self, 0);
	expect_pids("In", "", other, MATCH_NONE);
	expect_pids("In", "", set, 0);
	expect_pids("In", "", "1, 2", MATCH_NONE);
	expect_pids("NotIn", "", self, MATCH_NONE);
	expect_pids("NotIn", "", set, MATCH_NONE);
	expect_pids("NotIn", "", other, 0);
	expect_pids("NotIn", "", "1, 2", 0);
}

/* The test's parent runs it: with followForks, the parent's pid covers it. */
Test(matcher, pids_follow_forks_up_the_parent_chain)
{
	char parent[16];

	snprintf(parent, sizeof(parent), "%d", getppid());
	expect_pids("In", "", parent, MATCH_NONE);
	expect_pids("In", "        followForks: true\n", parent, 0);
	expect_pids("NotIn", "", parent, 0);
	expect_pids("NotIn", "        followForks: true\n", parent, MATCH_NONE);
	/* an ancestor that is not one */
	expect_pids("In", "        followForks: true\n", "4000000000", MATCH_NONE);
}

/* Runs the loaded matcher as pid 1 of a new pid namespace; returns its
 * outcome. */
static int run_as_ns_init(void)
{
	int status, ret;
	pid_t outer = fork();

	cr_assert_geq(outer, 0);
	if (outer == 0) {
		pid_t inner;

		if (unshare(CLONE_NEWPID))
			_exit(100);
		inner = fork();
		if (inner == 0)
			_exit(getpid() == 1 ? 10 + matcher_run(&m, no_args) : 101);
		if (inner < 0 || waitpid(inner, &status, 0) != inner || !WIFEXITED(status))
			_exit(102);
		_exit(WEXITSTATUS(status));
	}
	cr_assert_eq(waitpid(outer, &status, 0), outer);
	cr_assert(WIFEXITED(status));
	ret = WEXITSTATUS(status);
	cr_assert(ret < 100, "the pid namespace child failed (%d)", ret);
	return ret - 10;
}

Test(matcher, pids_as_the_namespace_numbers_them)
{
	load_pids("In", "        isNamespacePID: true\n", "1");
	cr_assert_eq(run_as_ns_init(), 0, "isNamespacePID: pid 1 in its namespace");
	expect_match(&m, no_args, MATCH_NONE); /* this process is no pid 1 */
	matcher_unload(&m);

	load_pids("In", "", "1");
	cr_assert_eq(run_as_ns_init(), MATCH_NONE, "without isNamespacePID the host pid counts");
	matcher_unload(&m);

	load_pids("NotIn", "        isNamespacePID: true\n", "1");
	cr_assert_eq(run_as_ns_init(), MATCH_NONE);
}

/* --- matchNamespaces -------------------------------------------------------------------- */

static const char *const ns_yaml_names[RTENF_NS_COUNT] = {
	"Uts", "Ipc", "Mnt", "Pid", "PidForChildren", "Net", "Time", "TimeForChildren", "Cgroup", "User",
};

static void expect_ns(unsigned ns, const char *op, const char *values, int want)
{
	char *sel = xasprintf("    - matchNamespaces:\n"
			      "      - namespace: %s\n"
			      "        operator: %s\n"
			      "        values: [%s]\n",
			      ns_yaml_names[ns], op, values);

	matcher_load(&m, sel);
	expect_match(&m, no_args, want);
	matcher_unload(&m);
	free(sel);
}

/* Each namespace as BPF reads it from the task is the inode /proc shows. */
Test(matcher, every_namespace_by_inode)
{
	for (unsigned ns = 0; ns < RTENF_NS_COUNT; ns++) {
		char own[16], set[48];

		snprintf(own, sizeof(own), "%u", own_ns_inum(ns));
		snprintf(set, sizeof(set), "1, %u, 2", own_ns_inum(ns));
		expect_ns(ns, "In", own, 0);
		expect_ns(ns, "In", set, 0);
		expect_ns(ns, "In", "1, 2", MATCH_NONE);
		expect_ns(ns, "NotIn", own, MATCH_NONE);
		expect_ns(ns, "NotIn", "1", 0);
	}
}

Test(matcher, namespaces_host_ns)
{
	/* the fake kernel's host is this process */
	expect_ns(RTENF_NS_PID, "In", "host_ns", 0);
	expect_ns(RTENF_NS_NET, "NotIn", "host_ns", MATCH_NONE);
	/* a host this process is not in */
	m.fk.host_ns[RTENF_NS_PID] = own_ns_inum(RTENF_NS_PID) + 1;
	m.fk.host_ns[RTENF_NS_MNT] = own_ns_inum(RTENF_NS_MNT) + 1;
	expect_ns(RTENF_NS_PID, "NotIn", "host_ns", 0);
	expect_ns(RTENF_NS_PID, "In", "host_ns", MATCH_NONE);
	expect_ns(RTENF_NS_MNT, "NotIn", "host_ns, 7", 0);
}

/* A real new namespace: NotIn host_ns holds inside it. */
Test(matcher, namespaces_of_a_process_that_unshared)
{
	int status;
	pid_t pid;

	expect_ns(RTENF_NS_UTS, "NotIn", "host_ns", MATCH_NONE);
	matcher_load(&m, "    - matchNamespaces:\n"
			 "      - namespace: Uts\n"
			 "        operator: NotIn\n"
			 "        values: [host_ns]\n");
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0)
		_exit(unshare(CLONE_NEWUTS) ? 100 : 10 + matcher_run(&m, no_args));
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 10, "status %#x", status);
}

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080 /* linux/sched.h, 5.6 */
#endif

/* unshare() of a pid or time namespace changes only the namespace the
 * caller's children get: the caller's own and its "for children" one are
 * told apart. */
Test(matcher, namespaces_for_children_after_unshare)
{
	static const struct {
		unsigned own, children;
		int flag;
	} kinds[] = {
		{RTENF_NS_PID, RTENF_NS_PID_FOR_CHILDREN, CLONE_NEWPID},
		{RTENF_NS_TIME, RTENF_NS_TIME_FOR_CHILDREN, CLONE_NEWTIME},
	};

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		char *sel = xasprintf("    - matchNamespaces:\n"
				      "      - namespace: %s\n"
				      "        operator: In\n"
				      "        values: [%u]\n"
				      "      - namespace: %s\n"
				      "        operator: NotIn\n"
				      "        values: [%u]\n",
				      ns_yaml_names[kinds[k].own], own_ns_inum(kinds[k].own),
				      ns_yaml_names[kinds[k].children], own_ns_inum(kinds[k].children));
		int status;
		pid_t pid;

		matcher_load(&m, sel);
		expect_match(&m, no_args, MATCH_NONE);
		pid = fork();
		cr_assert_geq(pid, 0);
		if (pid == 0)
			_exit(unshare(kinds[k].flag) ? 100 : 10 + matcher_run(&m, no_args));
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 10, "%s: status %#x",
			  ns_yaml_names[kinds[k].children], status);
		matcher_unload(&m);
		free(sel);
	}
}

/* --- matchBinaries ---------------------------------------------------------------------- */

static void load_binaries(const char *op, const char *values)
{
	char *sel = xasprintf("    - matchBinaries:\n"
			      "      - operator: %s\n"
			      "        values: [%s]\n",
			      op, values);

	matcher_load(&m, sel);
	free(sel);
}

/* A path of len bytes: "/" then a pattern, distinct for every length. */
static char *path_of_len(size_t len, char first)
{
	char *s = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++)
		s[i] = i == 0 ? '/' : i == 1 ? first : (char)('a' + (i * 7 + len) % 26);
	s[len] = '\0';
	return s;
}

/* A path none of the path_of_len(.., 'x') is, about len bytes long ("/"
 * has no other path of its length). */
static char *other_path(size_t len)
{
	return path_of_len(len < 2 ? 2 : len, 'y');
}

Test(matcher, binaries_of_a_process_not_in_the_table)
{
	load_binaries("In", "\"/usr/bin/true\"");
	matcher_set_binary(&m, NULL);
	expect_match(&m, no_args, MATCH_NONE);
	matcher_unload(&m);
	load_binaries("NotIn", "\"/usr/bin/true\"");
	matcher_set_binary(&m, NULL);
	expect_match(&m, no_args, 0);
}

Test(matcher, binaries_in_and_not_in_one_value)
{
	static const size_t lens[] = {1, 2, 7, 8, 9, 15, 16, 17, 251, 252, 253, 256, 300};

	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		char *path = path_of_len(lens[i], 'x'), *other = other_path(lens[i]);
		char *value = xasprintf("\"%s\"", path);

		load_binaries("In", value);
		matcher_set_binary(&m, path);
		expect_match(&m, no_args, 0);
		matcher_set_binary(&m, other);
		expect_match(&m, no_args, MATCH_NONE);
		matcher_unload(&m);

		load_binaries("NotIn", value);
		matcher_set_binary(&m, path);
		expect_match(&m, no_args, MATCH_NONE);
		matcher_set_binary(&m, other);
		expect_match(&m, no_args, 0);
		matcher_unload(&m);
		free(value);
		free(other);
		free(path);
	}
}

/* The compiler hashes in user space, the exec program in BPF: for every
 * length up to 300 the two must meet in the set. */
Test(matcher, binaries_set_for_every_length, .timeout = 300)
{
	static const char *const ops[] = {"In", "NotIn"};
	struct strbuf values = {0};

	for (size_t len = 1; len <= 300; len++) {
		char *path = path_of_len(len, 'x');

		sb_printf(&values, "%s\"%s\"", len > 1 ? ", " : "", path);
		free(path);
	}
	for (size_t o = 0; o < ARRAY_SIZE(ops); o++) {
		int in = o == 0 ? 0 : MATCH_NONE, out = o == 0 ? MATCH_NONE : 0;

		load_binaries(ops[o], values.buf);
		for (size_t len = 1; len <= 300; len++) {
			char *path = path_of_len(len, 'x'), *other = other_path(len);

			matcher_set_binary(&m, path);
			cr_assert_eq(matcher_run(&m, no_args), in, "%s, %zu bytes", ops[o], len);
			matcher_set_binary(&m, other);
			cr_assert_eq(matcher_run(&m, no_args), out, "%s, %zu bytes, another path", ops[o], len);
			free(other);
			free(path);
		}
		matcher_unload(&m);
	}
	sb_free(&values);
}

/* "/bin/sh" in a policy also matches the file it resolves to, which is
 * what the exec program sees. */
Test(matcher, binaries_match_the_canonical_path)
{
	static const struct fake_symlink links[] = {{"/bin/sh", "/usr/bin/dash"}};

	m.fk.links = links;
	m.fk.n_links = 1;
	load_binaries("In", "\"/bin/sh\"");
	matcher_set_binary(&m, "/usr/bin/dash");
	expect_match(&m, no_args, 0);
	matcher_set_binary(&m, "/bin/sh");
	expect_match(&m, no_args, 0);
	matcher_set_binary(&m, "/usr/bin/bash");
	expect_match(&m, no_args, MATCH_NONE);
}

/* --- selectors ------------------------------------------------------------------------------ */

Test(matcher, no_selectors_match_everything)
{
	matcher_load(&m, NULL);
	expect_match(&m, no_args, 0);
}

Test(matcher, filters_of_a_selector_are_anded)
{
	char *sel = xasprintf("    - matchPIDs:\n"
			      "      - operator: In\n"
			      "        values: [%d]\n"
			      "      matchArgs:\n"
			      "      - index: 0\n"
			      "        operator: Equal\n"
			      "        values: [5]\n"
			      "      - index: 1\n"
			      "        operator: LT\n"
			      "        values: [10]\n",
			      getpid());
	__u64 rec[MATCHER_SLOTS] = {5, 9};

	matcher_load(&m, sel);
	expect_match(&m, rec, 0);
	rec[1] = 10;
	expect_match(&m, rec, MATCH_NONE);
	rec[1] = 9;
	rec[0] = 6;
	expect_match(&m, rec, MATCH_NONE);
	free(sel);
}

Test(matcher, selectors_are_ored_and_the_first_match_wins)
{
	__u64 rec[MATCHER_SLOTS] = {0};

	matcher_load(&m, "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: Equal\n"
			 "        values: [1]\n"
			 "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: GT\n"
			 "        values: [0]\n"
			 "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: Equal\n"
			 "        values: [2]\n"
			 "    - matchArgs:\n"
			 "      - index: 1\n"
			 "        operator: Equal\n"
			 "        values: [7]\n");
	rec[0] = 1;
	expect_match(&m, rec, 0);
	rec[0] = 2; /* selectors 1 and 2 hold: the first decides */
	expect_match(&m, rec, 1);
	rec[0] = (__u64)-3;
	expect_match(&m, rec, MATCH_NONE);
	rec[1] = 7;
	expect_match(&m, rec, 3);
}

/* A selector with only actions holds always: later ones are never reached. */
Test(matcher, a_selector_without_filters_stops_the_search)
{
	__u64 rec[MATCHER_SLOTS] = {1};

	matcher_load(&m, "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: Equal\n"
			 "        values: [2]\n"
			 "    - matchActions:\n"
			 "      - action: Post\n"
			 "    - matchArgs:\n"
			 "      - index: 0\n"
			 "        operator: Equal\n"
			 "        values: [1]\n");
	expect_match(&m, rec, 1);
	rec[0] = 2;
	expect_match(&m, rec, 0);
}
