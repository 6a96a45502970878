// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF matcher on the operators beyond equality and prefixes: integer
 * ranges and maps (InRange, NotInRange, InMap, NotInMap), substrings,
 * file types, each matching and not, on records passed to bpf_prog_test_run (field layout in
 * matcher_fixture.h), with values compiled by the real compiler.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include <bpf/bpf.h>

#include "matcher_fixture.h"
#include "matcher_test.skel.h"
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

TestSuite(matcher_ops, .init = setup, .fini = teardown, .timeout = 120);


/* --- ranges ---------------------------------------------------------------------------- */

Test(matcher_ops, in_range_signed_64)
{
	matcher_load_arg(&m, 0, "InRange", "\"-5:5\", \"1000:1000\"");
	expect_int(0, (__u64)-5, 0);
	expect_int(0, 0, 0);
	expect_int(0, 5, 0);
	expect_int(0, 1000, 0);
	expect_int(0, (__u64)-6, MATCH_NONE);
	expect_int(0, 6, MATCH_NONE);
	expect_int(0, 999, MATCH_NONE);
	expect_int(0, 0x8000000000000000ULL, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 0, "InRange", "\"-9223372036854775808:-9223372036854775807\"");
	expect_int(0, 0x8000000000000000ULL, 0);
	expect_int(0, 0x8000000000000001ULL, 0);
	expect_int(0, 0x8000000000000002ULL, MATCH_NONE);
	expect_int(0, 0x7fffffffffffffffULL, MATCH_NONE);
}

Test(matcher_ops, not_in_range)
{
	matcher_load_arg(&m, 0, "NotInRange", "\"-5:5\"");
	expect_int(0, (__u64)-5, MATCH_NONE);
	expect_int(0, 5, MATCH_NONE);
	expect_int(0, (__u64)-6, 0);
	expect_int(0, 6, 0);
	matcher_unload(&m);

	matcher_load_arg(&m, 1, "NotInRange", "\"0:9\", \"20:29\"");
	expect_int(1, 0, MATCH_NONE);
	expect_int(1, 25, MATCH_NONE);
	expect_int(1, 10, 0);
	expect_int(1, ~0ULL, 0);
}

/* "int" compares its low 32 bits, sign-extended, whatever the upper half
 * of the register holds; "uint32" its low 32 bits as they are. */
Test(matcher_ops, in_range_32_bit_types)
{
	matcher_load_arg(&m, 2, "InRange", "\"-100:-1\"");
	expect_int(2, 0xffffff9c, 0);
	expect_int(2, 0x12345678ffffffffULL, 0);
	expect_int(2, 0, MATCH_NONE);
	expect_int(2, 0xffffff9b, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 3, "InRange", "\"0xfffffff0:0xffffffff\"");
	expect_int(3, 0xfffffff0, 0);
	expect_int(3, 0xabcdef00ffffffffULL, 0);
	expect_int(3, 0xffffffef, MATCH_NONE);
	expect_int(3, 0x1fffffff0ULL & 0xffffffef, MATCH_NONE);
}

Test(matcher_ops, in_range_unsigned_64)
{
	matcher_load_arg(&m, 1, "InRange", "\"18446744073709551000:18446744073709551615\", \"1024:65535\"");
	expect_int(1, ~0ULL, 0);
	expect_int(1, 18446744073709551000ULL, 0);
	expect_int(1, 18446744073709550999ULL, MATCH_NONE);
	expect_int(1, 1024, 0);
	expect_int(1, 65535, 0);
	expect_int(1, 1023, MATCH_NONE);
	expect_int(1, 65536, MATCH_NONE);
	expect_int(1, 0x8000000000000000ULL, MATCH_NONE); /* unsigned: no sign flip */
}

/* --- maps ------------------------------------------------------------------------------ */

Test(matcher_ops, in_map_values_and_ranges)
{
	matcher_load_arg(&m, 1, "InMap", "3, 7, \"100:199\"");
	expect_int(1, 3, 0);
	expect_int(1, 7, 0);
	expect_int(1, 150, 0);
	expect_int(1, 4, MATCH_NONE);
	expect_int(1, 200, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 1, "InMap", "3, 7");
	expect_int(1, 3, 0);
	expect_int(1, 5, MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 0, "NotInMap", "-1, \"10:20\"");
	expect_int(0, (__u64)-1, MATCH_NONE);
	expect_int(0, 15, MATCH_NONE);
	expect_int(0, 0, 0);
	expect_int(0, 21, 0);
	matcher_unload(&m);

	matcher_load_arg(&m, 0, "NotInMap", "-1, 2");
	expect_int(0, 2, MATCH_NONE);
	expect_int(0, 1, 0);
}

/* Ten thousand ranges: the first, the last and one in the middle match,
 * the gaps between them do not. */
Test(matcher_ops, ten_thousand_ranges)
{
	struct strbuf sb = {0};

	for (unsigned i = 0; i < 10000; i++)
		sb_printf(&sb, "%s\"%u:%u\"", i ? ", " : "", i * 100, i * 100 + 49);
	matcher_load_arg(&m, 1, "InRange", sb.buf);
	sb_free(&sb);
	expect_int(1, 0, 0);
	expect_int(1, 49, 0);
	expect_int(1, 50, MATCH_NONE);
	expect_int(1, 500017, 0);
	expect_int(1, 500077, MATCH_NONE);
	expect_int(1, 999949, 0);
	expect_int(1, 999950, MATCH_NONE);
}

/* --- substrings -------------------------------------------------------------------------- */

static int run_str(const char *s)
{
	__u64 rec[MATCHER_SLOTS] = {[4] = matcher_user_str(s)};

	return matcher_run(&m, rec);
}

#define expect_str(s, want) cr_assert_eq(run_str(s), (want), "line %d: \"%s\"", __LINE__, (s))

Test(matcher_ops, substring)
{
	matcher_load_arg(&m, 4, "SubString", "\"xmrig\", \"/.ssh/\"");
	expect_str("/tmp/x/xmrig", 0);
	expect_str("xmrig", 0);
	expect_str("/home/a/.ssh/id_rsa", 0);
	expect_str("/tmp/xmrig2/run", 0);
	expect_str("/tmp/xmri", MATCH_NONE);
	expect_str("/tmp/XMRIG", MATCH_NONE);
	expect_str("/home/a/.ssh", MATCH_NONE);
	expect_str("", MATCH_NONE);
}

/* Values that overlap: the walk must fall back along failure links
 * without missing a value that starts inside another's partial match. */
Test(matcher_ops, substring_failure_links)
{
	matcher_load_arg(&m, 4, "SubString", "\"he\", \"she\", \"his\", \"hers\"");
	expect_str("ushers", 0);
	expect_str("ahishe", 0);
	expect_str("hxs", MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 4, "SubString", "\"abcd\", \"bce\"");
	expect_str("abce", 0);
	expect_str("abcabcd", 0);
	expect_str("abcbc", MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 4, "SubString", "\"aab\"");
	expect_str("aaab", 0);
	expect_str("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 0);
	expect_str("abaabaa", 0);
	expect_str("abababa", MATCH_NONE);
}

Test(matcher_ops, substring_ignore_case)
{
	matcher_load_arg(&m, 4, "SubStringIgnCase", "\"XMRig\"");
	expect_str("/tmp/xmrig", 0);
	expect_str("/tmp/XMRIG.sh", 0);
	expect_str("/tmp/xmr1g", MATCH_NONE);
	matcher_unload(&m);

	matcher_load_arg(&m, 4, "SubString", "\"XMRig\"");
	expect_str("/tmp/xmrig", MATCH_NONE);
	expect_str("/tmp/XMRig", 0);
}

Test(matcher_ops, substring_empty_value_is_in_every_string)
{
	matcher_load_arg(&m, 4, "SubString", "\"\", \"zz\"");
	expect_str("", 0);
	expect_str("abc", 0);
}

/* The value at the very end of a path-long string. */
Test(matcher_ops, substring_at_the_end_of_a_long_string)
{
	char *s = xmalloc(RTENF_PATH_MAX);

	memset(s, 'a', RTENF_PATH_MAX - 1);
	s[RTENF_PATH_MAX - 1] = '\0';
	memcpy(s + RTENF_PATH_MAX - 1 - 5, "xmrig", 5);
	matcher_load_arg(&m, 4, "SubString", "\"xmrig\"");
	expect_str(s, 0);
	s[RTENF_PATH_MAX - 2] = 'h';
	expect_str(s, MATCH_NONE);
	free(s);
}

/* Against strstr(): random values and strings over a small alphabet, so
 * values overlap each other and the strings often. */
Test(matcher_ops, substring_agrees_with_strstr, .timeout = 300)
{
	unsigned seed = 12345;

	for (int round = 0; round < 20; round++) {
		char values[8][8], text[64];
		struct strbuf sb = {0};
		int nv = 1 + rand_r(&seed) % 8;

		for (int v = 0; v < nv; v++) {
			int len = 1 + rand_r(&seed) % 6;

			for (int c = 0; c < len; c++)
				values[v][c] = (char)('a' + rand_r(&seed) % 3);
			values[v][len] = '\0';
			sb_printf(&sb, "%s\"%s\"", v ? ", " : "", values[v]);
		}
		matcher_load_arg(&m, 4, "SubString", sb.buf);
		sb_free(&sb);
		for (int t = 0; t < 50; t++) {
			int len = rand_r(&seed) % 40;
			bool want = false;

			for (int c = 0; c < len; c++)
				text[c] = (char)('a' + rand_r(&seed) % 3);
			text[len] = '\0';
			for (int v = 0; v < nv; v++)
				want |= strstr(text, values[v]) != NULL;
			expect_str(text, want ? 0 : MATCH_NONE);
		}
		matcher_unload(&m);
	}
}

Test(matcher_ops, ten_thousand_substrings)
{
	struct strbuf sb = {0};

	for (unsigned i = 0; i < 10000; i++)
		sb_printf(&sb, "%s\"/bad-%u/\"", i ? ", " : "", i * 7);
	matcher_load_arg(&m, 4, "SubString", sb.buf);
	sb_free(&sb);
	expect_str("/opt/bad-0/x", 0);
	expect_str("/opt/bad-69993/x", 0);
	expect_str("/opt/bad-35000/x", 0);
	expect_str("/opt/bad-35001/x", MATCH_NONE);
	expect_str("/opt/bad-70000/x", MATCH_NONE);
}

/* --- file types ------------------------------------------------------------------------- */

/* Field 0 as a file descriptor of this process (the test run executes in
 * it, as a syscall would). */
static void load_fd_filter(const char *op, const char *values)
{
	char *yaml = xasprintf(MATCHER_HEAD
			       "    args:\n"
			       "    - index: 0\n"
			       "      type: fd\n"
			       "    selectors:\n"
			       "    - matchArgs:\n"
			       "      - index: 0\n"
			       "        operator: %s\n"
			       "        values: [%s]\n",
			       op, values);

	matcher_load_yaml(&m, yaml);
	free(yaml);
}

Test(matcher_ops, file_type_of_descriptors)
{
	int reg = open("/proc/self/exe", O_RDONLY), dir = open("/", O_RDONLY | O_DIRECTORY),
	    chr = open("/dev/null", O_RDONLY), sock = socket(AF_UNIX, SOCK_STREAM, 0), pipes[2];

	cr_assert(reg >= 0 && dir >= 0 && chr >= 0 && sock >= 0 && pipe(pipes) == 0);
	load_fd_filter("FileType", "reg");
	expect_int(0, (__u64)reg, 0);
	expect_int(0, (__u64)dir, MATCH_NONE);
	expect_int(0, (__u64)chr, MATCH_NONE);
	expect_int(0, (__u64)-1, MATCH_NONE); /* no file: no type */
	matcher_unload(&m);

	load_fd_filter("FileType", "dir, pipe, socket");
	expect_int(0, (__u64)dir, 0);
	expect_int(0, (__u64)pipes[0], 0);
	expect_int(0, (__u64)sock, 0);
	expect_int(0, (__u64)reg, MATCH_NONE);
	matcher_unload(&m);

	load_fd_filter("NotFileType", "reg, chr");
	expect_int(0, (__u64)reg, MATCH_NONE);
	expect_int(0, (__u64)chr, MATCH_NONE);
	expect_int(0, (__u64)dir, 0);
	expect_int(0, (__u64)-1, 0);
	close(reg);
	close(dir);
	close(chr);
	close(sock);
	close(pipes[0]);
	close(pipes[1]);
}

/* --- capabilities and their changes, namespace changes ---------------------------------- */

static const __u64 no_args[MATCHER_SLOTS];

/* This process's effective and permitted sets, and setting the effective
 * one (a set inside the permitted one needs no privilege). */
static void own_caps(__u64 *eff, __u64 *prm)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];

	cr_assert_eq(syscall(SYS_capget, &hdr, d), 0);
	*eff = d[0].effective | (__u64)d[1].effective << 32;
	*prm = d[0].permitted | (__u64)d[1].permitted << 32;
}

static void set_effective(__u64 eff)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2];

	cr_assert_eq(syscall(SYS_capget, &hdr, d), 0);
	d[0].effective = (__u32)eff;
	d[1].effective = (__u32)(eff >> 32);
	cr_assert_eq(syscall(SYS_capset, &hdr, d), 0, "capset: %s", strerror(errno));
}

#define CAP_BIT(c) (1ULL << (c))

static void load_sel(const char *sel)
{
	matcher_load(&m, sel);
}

Test(matcher_ops, capabilities_in_and_not_in)
{
	__u64 eff, prm;

	own_caps(&eff, &prm);
	cr_assert(eff & CAP_BIT(CAP_NET_RAW), "the test needs CAP_NET_RAW (run as root)");
	load_sel("    - matchCapabilities:\n      - operator: In\n        values: [CAP_NET_RAW, CAP_FOWNER]\n");
	expect_match(&m, no_args, 0);
	set_effective(eff & ~(CAP_BIT(CAP_NET_RAW) | CAP_BIT(CAP_FOWNER)));
	expect_match(&m, no_args, MATCH_NONE);
	set_effective(eff);
	matcher_unload(&m);

	load_sel("    - matchCapabilities:\n      - operator: NotIn\n        values: [CAP_NET_RAW]\n");
	expect_match(&m, no_args, MATCH_NONE);
	set_effective(eff & ~CAP_BIT(CAP_NET_RAW));
	expect_match(&m, no_args, 0);
	set_effective(eff);
	matcher_unload(&m);

	/* the permitted set is not the effective one */
	set_effective(eff & ~CAP_BIT(CAP_NET_RAW));
	load_sel("    - matchCapabilities:\n      - type: Permitted\n        operator: In\n        values: [CAP_NET_RAW]\n");
	expect_match(&m, no_args, 0);
	set_effective(eff);
}

/* isNamespaceCapability: a process in the host user namespace (this one,
 * as the fixture's host namespaces are its own) is judged by neither In nor
 * NotIn; outside it (a made-up host), as usual. */
Test(matcher_ops, capabilities_of_namespace_only)
{
	load_sel("    - matchCapabilities:\n      - operator: In\n        isNamespaceCapability: true\n"
		 "        values: [CAP_NET_RAW]\n");
	expect_match(&m, no_args, MATCH_NONE);
	matcher_unload(&m);
	load_sel("    - matchCapabilities:\n      - operator: NotIn\n        isNamespaceCapability: true\n"
		 "        values: [CAP_NET_RAW]\n");
	expect_match(&m, no_args, MATCH_NONE);
	matcher_unload(&m);

	m.fk.host_ns[RTENF_NS_USER] = 12345;
	load_sel("    - matchCapabilities:\n      - operator: In\n        isNamespaceCapability: true\n"
		 "        values: [CAP_NET_RAW]\n");
	expect_match(&m, no_args, 0);
}

/* The first look records the baseline; a change of a listed capability
 * matches once, then is the new baseline. */
Test(matcher_ops, capability_changes)
{
	__u64 eff, prm;

	own_caps(&eff, &prm);
	load_sel("    - matchCapabilityChanges:\n      - operator: In\n        values: [CAP_NET_RAW]\n"
		 "    - matchCapabilityChanges:\n      - operator: NotIn\n        values: [CAP_NET_RAW]\n");
	expect_match(&m, no_args, MATCH_NONE);
	set_effective(eff & ~CAP_BIT(CAP_NET_RAW));
	expect_match(&m, no_args, 0);
	expect_match(&m, no_args, MATCH_NONE);
	set_effective(eff);
	expect_match(&m, no_args, 0);
	set_effective(eff & ~CAP_BIT(CAP_FOWNER)); /* not listed: NotIn */
	expect_match(&m, no_args, 1);
	expect_match(&m, no_args, MATCH_NONE);
	set_effective(eff);
}

Test(matcher_ops, namespace_changes)
{
	load_sel("    - matchNamespaceChanges:\n      - operator: In\n        values: [Uts]\n"
		 "    - matchNamespaceChanges:\n      - operator: NotIn\n        values: [Uts]\n");
	expect_match(&m, no_args, MATCH_NONE);
	cr_assert_eq(unshare(CLONE_NEWUTS), 0);
	expect_match(&m, no_args, 0);
	expect_match(&m, no_args, MATCH_NONE);
	cr_assert_eq(unshare(CLONE_NEWIPC), 0);
	expect_match(&m, no_args, 1);
	expect_match(&m, no_args, MATCH_NONE);
}

/* --- binaries: prefixes, postfixes, parents ---------------------------------------------- */

/* This process's binary as the kernel names it: its record is made from
 * its mm the first time a hook looks (it started before the "agent"). */
static char *own_exe(void)
{
	char *p = realpath("/proc/self/exe", NULL);

	cr_assert_not_null(p);
	return p;
}

static void load_binaries(const char *key, const char *op, const char *values)
{
	char *sel = xasprintf("    - %s:\n      - operator: %s\n        values: [%s]\n", key, op, values);

	matcher_load(&m, sel);
	free(sel);
}

Test(matcher_ops, binary_prefix_and_postfix)
{
	char *exe = own_exe(), *dir = xstrdup(exe), *vals;
	const char *base = strrchr(exe, '/');

	*strrchr(dir, '/') = '\0';
	vals = xasprintf("\"/nonexistent/\", \"%s/\"", dir);
	load_binaries("matchBinaries", "Prefix", vals);
	expect_match(&m, no_args, 0);
	matcher_unload(&m);
	load_binaries("matchBinaries", "NotPrefix", vals);
	expect_match(&m, no_args, MATCH_NONE);
	matcher_unload(&m);
	free(vals);

	load_binaries("matchBinaries", "Prefix", "\"/nonexistent/\"");
	expect_match(&m, no_args, MATCH_NONE);
	matcher_unload(&m);

	vals = xasprintf("\"%s\", \"/xmrig\"", base);
	load_binaries("matchBinaries", "Postfix", vals);
	expect_match(&m, no_args, 0);
	matcher_unload(&m);
	load_binaries("matchBinaries", "NotPostfix", vals);
	expect_match(&m, no_args, MATCH_NONE);
	matcher_unload(&m);
	free(vals);

	/* one byte more than the name is another binary */
	vals = xasprintf("\"%sx\"", base);
	load_binaries("matchBinaries", "Postfix", vals);
	expect_match(&m, no_args, MATCH_NONE);
	free(vals);
	free(dir);
	free(exe);
}

/* The parent: its row of the process table for In/NotIn, its binary (read
 * from its mm) for Prefix/Postfix. */
Test(matcher_ops, parent_binaries)
{
	char *exe = own_exe(), *vals;
	int fd;
	__u32 ppid = (__u32)getppid();
	struct rtenf_process proc = {.exec_id = 1};

	/* the test runner's workers are forks of the runner: same binary */
	vals = xasprintf("\"%s\"", strrchr(exe, '/'));
	load_binaries("matchParentBinaries", "Postfix", vals);
	expect_match(&m, no_args, 0);
	matcher_unload(&m);
	load_binaries("matchParentBinaries", "NotPostfix", vals);
	expect_match(&m, no_args, MATCH_NONE);
	matcher_unload(&m);
	free(vals);

	load_binaries("matchParentBinaries", "In", "\"/usr/sbin/sshd\"");
	expect_match(&m, no_args, MATCH_NONE); /* not in the process table */
	proc.bin_hash = matcher_bpf_hash(&m, "/usr/sbin/sshd", 14);
	fd = bpf_map__fd(m.skel->maps.processes);
	cr_assert_eq(bpf_map_update_elem(fd, &ppid, &proc, BPF_ANY), 0);
	expect_match(&m, no_args, 0);
	matcher_set_binary(&m, "/usr/sbin/sshd"); /* the process itself does not count */
	proc.bin_hash = matcher_bpf_hash(&m, "/bin/bash", 9);
	cr_assert_eq(bpf_map_update_elem(fd, &ppid, &proc, BPF_ANY), 0);
	expect_match(&m, no_args, MATCH_NONE);
	free(exe);
}

/* --- ten thousand values for every set-like operator ------------------------------------ */

/* "[\"fmt(0)\", \"fmt(1)\", ...]" of n values. */
static char *many(const char *fmt, unsigned n)
{
	struct strbuf sb = {0};

	for (unsigned i = 0; i < n; i++) {
		sb_puts(&sb, i ? ", \"" : "\"");
		sb_printf(&sb, fmt, i);
		sb_putc(&sb, '"');
	}
	return sb_steal(&sb);
}

Test(matcher_ops, ten_thousand_strings_prefixes_and_postfixes, .timeout = 300)
{
	char *v = many("/etc/app-%u.conf", 10000);

	matcher_load_arg(&m, 4, "Equal", v);
	expect_str("/etc/app-0.conf", 0);
	expect_str("/etc/app-9999.conf", 0);
	expect_str("/etc/app-10000.conf", MATCH_NONE);
	matcher_unload(&m);
	free(v);

	v = many("/srv/tenant-%u/", 10000);
	matcher_load_arg(&m, 4, "Prefix", v);
	expect_str("/srv/tenant-4711/data", 0);
	expect_str("/srv/tenant-10001/data", MATCH_NONE);
	matcher_unload(&m);
	free(v);

	v = many(".ext%u", 10000);
	matcher_load_arg(&m, 4, "NotPostfix", v);
	expect_str("/x/file.ext9999", MATCH_NONE);
	expect_str("/x/file.txt", 0);
	free(v);
}

Test(matcher_ops, ten_thousand_binaries, .timeout = 300)
{
	char *v = many("/opt/tool-%u", 10000), *exe = own_exe(), *sel;

	sel = xasprintf("    - matchBinaries:\n      - operator: In\n        values: [%s, \"%s\"]\n", v, exe);
	matcher_load(&m, sel);
	matcher_set_binary(&m, exe);
	expect_match(&m, no_args, 0);
	matcher_set_binary(&m, "/opt/tool-5000");
	expect_match(&m, no_args, 0);
	matcher_set_binary(&m, "/opt/tool-10000");
	expect_match(&m, no_args, MATCH_NONE);
	matcher_unload(&m);
	free(sel);
	free(v);

	v = many("/opt/dir-%u/", 10000);
	sel = xasprintf("    - matchBinaries:\n      - operator: NotPrefix\n        values: [%s]\n", v);
	matcher_load(&m, sel);
	expect_match(&m, no_args, 0);
	free(sel);
	free(v);
	free(exe);
}

Test(matcher_ops, ten_thousand_pids, .timeout = 300)
{
	struct strbuf sb = {0};

	for (unsigned i = 0; i < 10000; i++)
		sb_printf(&sb, "%s%u", i ? ", " : "", 4000000 + i);
	sb_printf(&sb, ", %d", getpid());
	{
		char *sel = xasprintf("    - matchPIDs:\n      - operator: In\n        values: [%s]\n", sb.buf);

		matcher_load(&m, sel);
		free(sel);
	}
	expect_match(&m, no_args, 0);
	sb_free(&sb);
}
