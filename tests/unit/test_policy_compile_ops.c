// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_compile: operators on kernel objects, FileType and NotFileType:
 * what they compile to, and every mistake, at the offending token.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "compile_fixture.h"
#include "util.h"

/* Lines 1-14: a kprobe on security_file_open with arg 0 a file; its
 * matchArgs entry continues on line 15 (operator), 16 (values). */
#define FILE_OPEN_SEL                                        \
	"apiVersion: cilium.io/v1alpha1\n"           /* 1 */ \
	"kind: TracingPolicy\n"                      /* 2 */ \
	"metadata:\n"                                /* 3 */ \
	"  name: test\n"                             /* 4 */ \
	"spec:\n"                                    /* 5 */ \
	"  kprobes:\n"                               /* 6 */ \
	"  - call: security_file_open\n"             /* 7 */ \
	"    syscall: false\n"                       /* 8 */ \
	"    args:\n"                                /* 9 */ \
	"    - index: 0\n"                           /* 10 */ \
	"      type: %s\n"                           /* 11 */ \
	"    selectors:\n"                           /* 12 */ \
	"    - matchArgs:\n"                         /* 13 */ \
	"      - index: 0\n"                         /* 14 */ \
	"        operator: %s\n"                     /* 15 */ \
	"        values: [%s]\n"                     /* 16 */

static struct compiled_policy *compile_file(const char *type, const char *op, const char *values)
{
	char *yaml = xasprintf(FILE_OPEN_SEL, type, op, values);
	struct compiled_policy *cp = compile_ok(yaml);

	free(yaml);
	return cp;
}

Test(compile_ops, file_type_names_are_inode_type_bits)
{
	static const struct {
		const char *name;
		__u64 bits;
	} names[] = {
		{"reg", 0100000}, {"regular", 0100000}, {"dir", 0040000}, {"lnk", 0120000}, {"link", 0120000},
		{"chr", 0020000}, {"char", 0020000},	{"blk", 0060000}, {"block", 0060000}, {"fifo", 0010000},
		{"pipe", 0010000}, {"sock", 0140000},	{"socket", 0140000},
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		struct compiled_policy *cp = compile_file("file", "FileType", names[i].name);
		const struct rtenf_filter *f = &only_hook(cp)->cfg.filters[0];

		assert_filter(f, RTENF_FILTER_ARG_FILETYPE, RTENF_FOP_IN, 0, RTENF_FILTER_F_IMM, 0);
		cr_assert_eq(f->imm, names[i].bits, "%s: %#llo", names[i].name, (unsigned long long)f->imm);
		compiled_policy_free(cp);
	}
}

Test(compile_ops, file_type_on_every_file_like_type)
{
	static const char *const types[] = {"file", "path", "fd", "linux_binprm"};

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		struct compiled_policy *cp = compile_file(types[i], "NotFileType", "reg, dir");
		const struct compiled_hook *h = only_hook(cp);
		const __u64 want[] = {0100000, 0040000};

		assert_filter(&h->cfg.filters[0], RTENF_FILTER_ARG_FILETYPE, RTENF_FOP_NOT_IN, 0, 0, 0);
		assert_set(h, &h->cfg.filters[0], want, 2);
		compiled_policy_free(cp);
	}
}

/* A file type is cheaper than the path: it comes before string filters. */
Test(compile_ops, file_type_before_the_path)
{
	struct compiled_policy *cp = compile_ok("apiVersion: cilium.io/v1alpha1\n"
						"kind: TracingPolicy\n"
						"metadata:\n"
						"  name: test\n"
						"spec:\n"
						"  kprobes:\n"
						"  - call: security_file_open\n"
						"    syscall: false\n"
						"    args:\n"
						"    - index: 0\n"
						"      type: file\n"
						"    selectors:\n"
						"    - matchArgs:\n"
						"      - index: 0\n"
						"        operator: Prefix\n"
						"        values: [/etc/]\n"
						"      - index: 0\n"
						"        operator: FileType\n"
						"        values: [reg]\n");
	const struct compiled_hook *h = only_hook(cp);

	cr_assert_eq(h->cfg.nfilters, 2);
	cr_assert_eq(h->cfg.filters[0].kind, RTENF_FILTER_ARG_FILETYPE);
	cr_assert_eq(h->cfg.filters[1].kind, RTENF_FILTER_ARG_STR);
	compiled_policy_free(cp);
}

Test(compile_ops, file_type_mistakes)
{
	static const struct {
		const char *type, *values, *msg;
	} cases[] = {
		{"file", "regular_file", "t.yaml:16:18: \"regular_file\" is not a file type; use reg, dir, lnk, chr, blk, "
					 "fifo or sock (or regular, link, char, block, pipe, socket)"},
		{"file", "Reg", "t.yaml:16:18: \"Reg\" is not a file type; use reg, dir, lnk, chr, blk, fifo or sock (or "
				"regular, link, char, block, pipe, socket)"},
		{"string", "reg", "t.yaml:15:19: operator FileType needs a file, path, fd or linux_binprm argument; "
				  "argument 0 is string"},
		{"filename", "reg", "t.yaml:15:19: operator FileType needs a file, path, fd or linux_binprm argument; "
				    "argument 0 is filename"},
		{"int", "reg", "t.yaml:15:19: operator FileType needs a file, path, fd or linux_binprm argument; "
			       "argument 0 is int"},
		{"sock", "reg", "t.yaml:15:19: operator FileType needs a file, path, fd or linux_binprm argument; "
				"argument 0 is sock"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *yaml = xasprintf(FILE_OPEN_SEL, cases[i].type, "FileType", cases[i].values);

		expect_compile_error(yaml, cases[i].msg);
		free(yaml);
	}
}

/* --- capability sets --------------------------------------------------------------- */

/* Lines 1-16: security_capset with args 0 effective (kernel_cap_t), 1
 * inheritable (kernel_cap_t), 2 new (cred); selectors from line 17. */
#define CAPSET_SEL                                           \
	"apiVersion: cilium.io/v1alpha1\n"           /* 1 */ \
	"kind: TracingPolicy\n"                      /* 2 */ \
	"metadata:\n"                                /* 3 */ \
	"  name: test\n"                             /* 4 */ \
	"spec:\n"                                    /* 5 */ \
	"  kprobes:\n"                               /* 6 */ \
	"  - call: security_capset\n"                /* 7 */ \
	"    syscall: false\n"                       /* 8 */ \
	"    args:\n"                                /* 9 */ \
	"    - index: 2\n"                           /* 10 */ \
	"      type: cap_effective\n"                /* 11 */ \
	"    - index: 3\n"                           /* 12 */ \
	"      type: cap_inheritable\n"              /* 13 */ \
	"    - index: 0\n"                           /* 14 */ \
	"      type: cred\n"                         /* 15 */ \
	"    selectors:\n"                           /* 16 */

Test(compile_ops, capabilities_gained_compares_two_positions)
{
	struct compiled_policy *cp = compile_ok(CAPSET_SEL
						"    - matchArgs:\n"
						"      - args: [1, 0]\n"
						"        operator: CapabilitiesGained\n");
	const struct rtenf_filter *f = &only_hook(cp)->cfg.filters[0];

	assert_filter(f, RTENF_FILTER_ARG_INT, RTENF_FOP_CAPS_GAINED, 1, 0, 0);
	cr_assert_eq(f->imm, 0, "the second position is the new set");
	compiled_policy_free(cp);
}

/* Values of a capability argument may be capability names, any case. */
Test(compile_ops, capability_names_as_values)
{
	struct compiled_policy *cp = compile_ok(CAPSET_SEL
						"    - matchArgs:\n"
						"      - index: 2\n"
						"        operator: Mask\n"
						"        values: [CAP_SYS_ADMIN, cap_net_raw, 0x1]\n");
	const struct rtenf_filter *f = &only_hook(cp)->cfg.filters[0];

	assert_filter(f, RTENF_FILTER_ARG_INT, RTENF_FOP_MASK, 0, 0, 0);
	cr_assert_eq(f->imm, (1ULL << 21) | (1ULL << 13) | 1);
	compiled_policy_free(cp);
}

Test(compile_ops, capability_mistakes)
{
	expect_compile_error(CAPSET_SEL "    - matchArgs:\n      - args: [0, 2]\n        operator: CapabilitiesGained\n",
			     "t.yaml:18:9: CapabilitiesGained compares capability sets; argument 2 of args is cred");
	expect_compile_error(CAPSET_SEL "    - matchArgs:\n      - args: [0, 3]\n        operator: CapabilitiesGained\n",
			     "t.yaml:18:9: args position 3 names no argument: the hook lists 3");
	expect_compile_error(CAPSET_SEL "    - matchArgs:\n      - index: 2\n        operator: Mask\n"
					"        values: [CAP_NOPE]\n",
			     "t.yaml:20:18: \"CAP_NOPE\" is not a capability (CAP_SYS_ADMIN, ...) or a 64-bit capability set");
	expect_compile_error(CAPSET_SEL "    - matchArgs:\n      - index: 2\n        operator: InRange\n"
					"        values: [\"1:2\"]\n",
			     "t.yaml:19:19: operator InRange needs an integer argument; argument 2 is capabilities");
}

/* --- matchCapabilities, matchCapabilityChanges, matchNamespaceChanges ------------- */

Test(compile_ops, capabilities_filters)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
						"    - matchCapabilities:\n"
						"      - type: Permitted\n"
						"        operator: NotIn\n"
						"        isNamespaceCapability: true\n"
						"        values: [CAP_SYS_ADMIN, \" cap_net_raw \"]\n"
						"      matchCapabilityChanges:\n"
						"      - operator: In\n"
						"        values: [CAP_SETUID]\n"
						"    - matchNamespaceChanges:\n"
						"      - operator: NotIn\n"
						"        values: [mnt, PidForChildren]\n");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = h->cfg.filters;

	cr_assert_eq(h->cfg.nfilters, 3);
	assert_filter(&f[0], RTENF_FILTER_CAPS, RTENF_FOP_NOT_IN, RTENF_CAPS_PERMITTED, RTENF_FILTER_F_NS_CAPS, 0);
	cr_assert_eq(f[0].imm, (1ULL << 21) | (1ULL << 13));
	cr_assert_eq(f[0].aux, 0xf0000000 + RTENF_NS_USER, "the host's user namespace");
	assert_filter(&f[1], RTENF_FILTER_CAPS_CHANGE, RTENF_FOP_IN, RTENF_CAPS_EFFECTIVE, 0, 0);
	cr_assert_eq(f[1].imm, 1ULL << 7);
	assert_filter(&f[2], RTENF_FILTER_NS_CHANGE, RTENF_FOP_NOT_IN, 0, 0, 1);
	cr_assert_eq(f[2].imm, (1ULL << RTENF_NS_MNT) | (1ULL << RTENF_NS_PID_FOR_CHILDREN));
	cr_assert_eq(h->cfg.selectors[0].flags, RTENF_SEL_F_REBASE_CAPS, "a matched change becomes the baseline");
	cr_assert_eq(h->cfg.selectors[1].flags, RTENF_SEL_F_REBASE_NS);
	compiled_policy_free(cp);
}

/* The task's own state is cheaper than any argument: before them. */
Test(compile_ops, capabilities_before_arguments)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
						"    - matchArgs:\n"
						"      - index: 5\n"
						"        operator: Equal\n"
						"        values: [3]\n"
						"      matchCapabilities:\n"
						"      - operator: In\n"
						"        values: [CAP_BPF]\n");
	const struct compiled_hook *h = only_hook(cp);

	cr_assert_eq(h->cfg.filters[0].kind, RTENF_FILTER_CAPS);
	cr_assert_eq(h->cfg.filters[1].kind, RTENF_FILTER_ARG_INT);
	compiled_policy_free(cp);
}

Test(compile_ops, capabilities_mistakes)
{
	struct fake_kernel fk;

	expect_compile_error(OPENAT_SEL "    - matchCapabilities:\n      - operator: In\n        values: [CAP_BPF, CAP_FLY]\n",
			     "t.yaml:19:27: \"CAP_FLY\" is not a capability; use the names of capabilities(7), e.g. "
			     "CAP_SYS_ADMIN");
	expect_compile_error(OPENAT_SEL "    - matchCapabilityChanges:\n      - operator: In\n        values: [\"21\"]\n",
			     "t.yaml:19:18: \"21\" is not a capability; use the names of capabilities(7), e.g. CAP_SYS_ADMIN");
	expect_compile_error(OPENAT_SEL "    - matchNamespaceChanges:\n      - operator: In\n        values: [Mnt, Disk]\n",
			     "t.yaml:19:23: \"Disk\" is not a namespace; use Uts, Ipc, Mnt, Pid, PidForChildren, Net, Time, "
			     "TimeForChildren, Cgroup or User");
	unit_kernel(&fk);
	fk.host_ns_error = -EACCES;
	expect_compile_error_with(OPENAT_SEL "    - matchCapabilities:\n      - operator: In\n"
					     "        isNamespaceCapability: true\n        values: [CAP_BPF]\n",
				  &fk, "t.yaml:18:9: cannot determine the host's user namespace for isNamespaceCapability: "
				       "Permission denied");
}

/* --- matchBinaries Prefix/Postfix, followChildren, matchParentBinaries ------------- */

Test(compile_ops, binary_prefix_postfix_and_parents)
{
	static const struct fake_symlink links[] = {{"/bin", "/usr/bin"}};
	struct diag_list d = {0};
	struct fake_kernel fk;
	struct compiled_policy *cp;
	const struct compiled_hook *h;
	const struct rtenf_filter *f;

	unit_kernel(&fk);
	fk.links = links;
	fk.n_links = ARRAY_SIZE(links);
	cp = compile_with(OPENAT_SEL
			  "    - matchBinaries:\n"
			  "      - operator: Prefix\n"
			  "        values: [\"/bin/\", \"/opt/x\"]\n"
			  "      - operator: NotPostfix\n"
			  "        values: [\"/xmrig\"]\n"
			  "      matchParentBinaries:\n"
			  "      - operator: In\n"
			  "        values: [\"/usr/sbin/sshd\"]\n"
			  "      - operator: Postfix\n"
			  "        values: [sshd]\n", &fk, &d);
	cr_assert_not_null(cp, "%s", diags_dump(&d));
	h = only_hook(cp);
	f = h->cfg.filters;
	cr_assert_eq(h->cfg.nfilters, 4);
	assert_filter(&f[0], RTENF_FILTER_BINARY, RTENF_FOP_PREFIX, 0, 0, 0);
	expect_lpm_row(h, f[0].set_id, "/bin/");
	expect_lpm_row(h, f[0].set_id, "/usr/bin/"); /* the directory's canonical form too */
	expect_lpm_row(h, f[0].set_id, "/opt/x");
	assert_filter(&f[1], RTENF_FILTER_BINARY, RTENF_FOP_NOT_POSTFIX, 0, 0, 0);
	expect_lpm_row(h, f[1].set_id, "girmx/");
	assert_filter(&f[2], RTENF_FILTER_BINARY, RTENF_FOP_IN, 1, RTENF_FILTER_F_IMM, 0);
	cr_assert_eq(f[2].imm, key_hash("/usr/sbin/sshd"));
	assert_filter(&f[3], RTENF_FILTER_BINARY, RTENF_FOP_POSTFIX, 1, 0, 0);
	expect_lpm_row(h, f[3].set_id, "dhss");
	compiled_policy_free(cp);
	diag_list_free(&d);
}

/* followChildren keeps set_id + 1 free for the bit the loader writes. */
Test(compile_ops, follow_children_reserves_a_set)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
						"    - matchBinaries:\n"
						"      - operator: In\n"
						"        followChildren: true\n"
						"        values: [\"/usr/sbin/sshd\", \"/usr/sbin/cron\"]\n"
						"      matchArgs:\n"
						"      - index: 5\n"
						"        operator: Equal\n"
						"        values: [1, 2]\n");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = h->cfg.filters;
	const __u64 bins[] = {key_hash("/usr/sbin/sshd"), key_hash("/usr/sbin/cron")};

	assert_filter(&f[0], RTENF_FILTER_BINARY, RTENF_FOP_IN, 0, RTENF_FILTER_F_FOLLOW_CHILDREN, 0);
	assert_set(h, &f[0], bins, 2);
	cr_assert_eq(rows_in_set(h, f[0].set_id + 1), 0, "the loader writes the bit");
	cr_assert_neq(f[1].set_id, f[0].set_id + 1, "the next filter's set is another");
	compiled_policy_free(cp);
}

Test(compile_ops, binary_value_too_long)
{
	char *v = xmalloc(RTENF_LPM_STR_MAX + 2), *yaml;

	memset(v, 'a', RTENF_LPM_STR_MAX + 1);
	v[RTENF_LPM_STR_MAX + 1] = '\0';
	yaml = xasprintf(OPENAT_SEL "    - matchBinaries:\n      - operator: Postfix\n        values: [\"%s\"]\n", v);
	expect_compile_error(yaml, "t.yaml:19:18: matchBinaries Postfix value is 253 bytes; the limit is 252");
	free(yaml);
	yaml = xasprintf(OPENAT_SEL "    - matchParentBinaries:\n      - operator: Prefix\n        values: [\"%s\"]\n", v);
	expect_compile_error(yaml, "t.yaml:19:18: matchParentBinaries Prefix value is 253 bytes; the limit is 252");
	free(yaml);
	free(v);
}

/* --- matchActions: rateLimit ------------------------------------------------------- */

Test(compile_ops, rate_limit_in_the_selector)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
						"    - matchActions:\n"
						"      - action: Post\n"
						"        rateLimit: 2m\n"
						"        rateLimitScope: global\n"
						"    - matchActions:\n"
						"      - action: Sigkill\n"
						"      - action: Post\n"
						"        rateLimit: \"5\"\n");
	const struct compiled_hook *h = only_hook(cp);

	cr_assert_eq(h->cfg.selectors[0].rate_limit_ms, 120000);
	cr_assert_eq(h->cfg.selectors[0].rate_scope, RTENF_RATE_GLOBAL);
	cr_assert_eq(h->cfg.selectors[1].rate_limit_ms, 5000);
	cr_assert_eq(h->cfg.selectors[1].rate_scope, RTENF_RATE_THREAD);
	cr_assert_eq(h->cfg.selectors[1].action_bits,
		     RTENF_ACTION_BIT(RTENF_ACTION_SIGKILL) | RTENF_ACTION_BIT(RTENF_ACTION_POST));
	compiled_policy_free(cp);
}

/* --- matchActions: kernelStackTrace / userStackTrace ----------------------------------- */

Test(compile_ops, stack_trace_flags_in_the_selector)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
						"    - matchActions:\n"
						"      - action: Post\n"
						"        kernelStackTrace: true\n"
						"    - matchActions:\n"
						"      - action: Sigkill\n"
						"      - action: Post\n"
						"        userStackTrace: true\n"
						"        kernelStackTrace: true\n"
						"    - matchActions:\n"
						"      - action: Post\n");
	const struct compiled_hook *h = only_hook(cp);
	const __u8 both = RTENF_SEL_F_KERNEL_STACK | RTENF_SEL_F_USER_STACK;

	cr_assert_eq(h->cfg.selectors[0].flags & both, RTENF_SEL_F_KERNEL_STACK);
	cr_assert_eq(h->cfg.selectors[1].flags & both, both);
	cr_assert_eq(h->cfg.selectors[2].flags & both, 0);
	compiled_policy_free(cp);
}

/* --- selectorsMacros ------------------------------------------------------------------ */

/* A selector built from macros compiles as the one written out. */
Test(compile_ops, macros_compile_as_written_out)
{
	struct compiled_policy *a = compile_ok(POLICY_HEAD
					       "  - subsystem: syscalls\n"
					       "    event: sys_enter_openat\n"
					       "    args: [{index: 6, type: string}]\n"
					       "    selectors:\n"
					       "    - macros: [etc, kill]\n"
					       "  selectorsMacros:\n"
					       "    etc:\n"
					       "      matchArgs: [{index: 6, operator: Prefix, values: [/etc/]}]\n"
					       "    kill:\n"
					       "      matchActions: [{action: Sigkill}]\n");
	struct compiled_policy *b = compile_ok(POLICY_HEAD
					       "  - subsystem: syscalls\n"
					       "    event: sys_enter_openat\n"
					       "    args: [{index: 6, type: string}]\n"
					       "    selectors:\n"
					       "    - matchArgs: [{index: 6, operator: Prefix, values: [/etc/]}]\n"
					       "      matchActions: [{action: Sigkill}]\n");
	const struct compiled_hook *ha = only_hook(a), *hb = only_hook(b);

	cr_assert_eq(memcmp(&ha->cfg, &hb->cfg, sizeof(ha->cfg)), 0, "the configurations differ");
	cr_assert_eq(ha->n_prefixes, hb->n_prefixes);
	cr_assert_eq(memcmp(ha->prefixes, hb->prefixes, ha->n_prefixes * sizeof(*ha->prefixes)), 0);
	compiled_policy_free(a);
	compiled_policy_free(b);
}

/* Agent-wide limits one policy can break on its own are reported with
 * their numbers by the compiler, so rtenf validate shows them. */
Test(compile_ops, follow_children_limits_of_one_policy)
{
	struct strbuf sb = {0};

	sb_puts(&sb, POLICY_HEAD);
	for (int i = 0; i < RTENF_FOLLOW_SETS + 1; i++) /* lines 7 + 5i ... */
		sb_printf(&sb, "  - subsystem: syscalls\n"
			       "    event: sys_enter_openat\n"
			       "    selectors:\n"
			       "    - matchBinaries:\n"
			       "      - {operator: In, followChildren: true, values: [/usr/sbin/sshd]}\n");
	expect_compile_error(sb.buf, "t.yaml:327:5: too many matchBinaries followChildren filters: 65 (one per hook and "
				     "function), at most 64 loaded at once, all policies together");
	sb_free(&sb);
}
