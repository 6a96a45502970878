// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_compile: the byte format documented at the top of
 * userspace/policy_compile.c, checked field by field on policies compiled
 * against a fake kernel.  The matcher tests (tests/integration/test_matcher*)
 * check that the kernel reads this format the way it is meant; these check
 * that the compiler writes it.  Values are in test_policy_compile_values.c,
 * errors in test_policy_compile_errors.c.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compile_fixture.h"
#include "util.h"

/* --- arguments ---------------------------------------------------------------------- */

Test(compile_args, syscall_fields_from_the_format_file)
{
	struct compiled_policy *cp = compile_ok(OPENAT
		"    args:\n"
		"    - index: 5\n"
		"      type: int\n"
		"      label: dir\n"
		"    - index: 6\n"
		"      type: string\n"
		"    - index: 7\n"
		"      type: uint32\n"
		"    - index: 8\n");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_hook_config *c = &h->cfg;

	cr_assert_str_eq(h->subsystem, "syscalls");
	cr_assert_str_eq(h->event, "sys_enter_openat");
	cr_assert_eq(c->op, RTENF_OP_TRACEPOINT);
	cr_assert_eq(c->hook_id, 0);
	cr_assert_eq(c->nargs, 4);
	assert_arg(&c->args[0], 16, 8, RTENF_ARG_INT, RTENF_SRC_VALUE, 0);
	assert_arg(&c->args[1], 24, 8, RTENF_ARG_STRING, RTENF_SRC_USER_PTR, 0);
	assert_arg(&c->args[2], 32, 8, RTENF_ARG_UINT32, RTENF_SRC_VALUE, 0);
	/* no type: an 8-byte unsigned field is a uint64 */
	assert_arg(&c->args[3], 40, 8, RTENF_ARG_UINT64, RTENF_SRC_VALUE, 0);
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(c->args[i].flags, RTENF_ARGD_F_EMIT);
		cr_assert_eq(c->args[i].size_arg, 0xff);
	}
	cr_assert_eq(c->record_size, 48);
	cr_assert_eq(h->n_emitted, 4);
	cr_assert_str_eq(h->emitted[0].label, "dir");
	cr_assert_null(h->emitted[1].label);
	cr_assert_eq(h->emitted[1].type, RTENF_ARG_STRING);
	cr_assert_eq(h->emitted[3].type, RTENF_ARG_UINT64);
	cr_assert(cp->kernel_checked);
	compiled_policy_free(cp);
}

Test(compile_args, auto_types_sizes_and_sources)
{
	struct compiled_policy *cp = compile_ok(WIDTHS
		"    args:\n"
		"    - index: 4\n"
		"    - index: 5\n"
		"    - index: 6\n"
		"    - index: 7\n"
		"    - index: 8\n"
		"    - index: 9\n"
		"    - index: 10\n"
		"    - index: 3\n");
	const struct rtenf_hook_config *c = &only_hook(cp)->cfg;

	cr_assert_eq(c->nargs, 8);
	assert_arg(&c->args[0], 8, 1, RTENF_ARG_INT, RTENF_SRC_VALUE, 1);
	assert_arg(&c->args[1], 10, 2, RTENF_ARG_UINT32, RTENF_SRC_VALUE, 0);
	assert_arg(&c->args[2], 12, 4, RTENF_ARG_INT, RTENF_SRC_VALUE, 1);
	assert_arg(&c->args[3], 16, 8, RTENF_ARG_UINT64, RTENF_SRC_VALUE, 0);
	assert_arg(&c->args[4], 24, 8, RTENF_ARG_INT64, RTENF_SRC_VALUE, 1);
	/* not a syscall: a char pointer points into the kernel */
	assert_arg(&c->args[5], 32, 8, RTENF_ARG_STRING, RTENF_SRC_KERNEL_PTR, 0);
	assert_arg(&c->args[6], 40, 4, RTENF_ARG_STRING, RTENF_SRC_DATA_LOC, 1);
	assert_arg(&c->args[7], 4, 4, RTENF_ARG_INT, RTENF_SRC_VALUE, 1); /* common_pid */
	cr_assert_eq(c->record_size, 44);
	compiled_policy_free(cp);
}

Test(compile_args, data_loc_and_unaligned_fields)
{
	struct compiled_policy *cp = compile_ok(POLICY_HEAD
		"  - subsystem: sched\n"
		"    event: sched_process_exec\n"
		"    args:\n"
		"    - index: 4\n"
		"      type: string\n"
		"    - index: 5\n"
		"      type: int\n");
	const struct rtenf_hook_config *c = &only_hook(cp)->cfg;

	cr_assert_eq(c->nargs, 2);
	assert_arg(&c->args[0], 8, 4, RTENF_ARG_STRING, RTENF_SRC_DATA_LOC, 0);
	assert_arg(&c->args[1], 12, 4, RTENF_ARG_INT, RTENF_SRC_VALUE, 1);
	cr_assert_eq(c->record_size, 16);
	compiled_policy_free(cp);
}

Test(compile_args, declared_types_win_over_the_format)
{
	struct compiled_policy *cp = compile_ok(OPENAT
		"    args:\n"
		"    - index: 5\n"
		"      type: int64\n"
		"    - index: 5\n"
		"      type: fd\n"
		"    - index: 8\n"
		"      type: size_t\n"
		"    - index: 7\n"   /* an 8-byte syscall field holds a register: it may be a pointer */
		"      type: string\n"
		"    - index: 4\n"
		"      type: int32\n");
	const struct rtenf_hook_config *c = &only_hook(cp)->cfg;

	assert_arg(&c->args[0], 16, 8, RTENF_ARG_INT64, RTENF_SRC_VALUE, 0);
	assert_arg(&c->args[1], 16, 8, RTENF_ARG_FD, RTENF_SRC_VALUE, 0);
	assert_arg(&c->args[2], 40, 8, RTENF_ARG_SIZE_T, RTENF_SRC_VALUE, 0);
	assert_arg(&c->args[3], 32, 8, RTENF_ARG_STRING, RTENF_SRC_USER_PTR, 0);
	assert_arg(&c->args[4], 8, 4, RTENF_ARG_INT, RTENF_SRC_VALUE, 1);
	compiled_policy_free(cp);
}

Test(compile_args, char_buf_gets_a_hidden_size_argument)
{
	struct compiled_policy *cp = compile_ok(POLICY_HEAD
		"  - subsystem: syscalls\n"
		"    event: sys_enter_write\n"
		"    args:\n"
		"    - index: 5\n"
		"      type: fd\n"
		"    - index: 6\n"
		"      type: char_buf\n"
		"      sizeArgIndex: 8\n");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_hook_config *c = &h->cfg;

	cr_assert_eq(c->nargs, 3);
	assert_arg(&c->args[1], 24, 8, RTENF_ARG_CHAR_BUF, RTENF_SRC_USER_PTR, 0);
	cr_assert_eq(c->args[1].size_arg, 2);
	cr_assert_eq(c->args[1].flags, RTENF_ARGD_F_EMIT);
	/* sizeArgIndex is 1-based: field 7, count */
	assert_arg(&c->args[2], 32, 8, RTENF_ARG_UINT64, RTENF_SRC_VALUE, 0);
	cr_assert_eq(c->args[2].flags, 0, "a hidden argument is not emitted");
	cr_assert_eq(c->args[2].size_arg, 0xff);
	cr_assert_eq(h->n_emitted, 2);
	cr_assert_eq(c->record_size, 40);
	compiled_policy_free(cp);
}

Test(compile_args, char_buf_reuses_a_listed_size_argument)
{
	struct compiled_policy *cp = compile_ok(POLICY_HEAD
		"  - subsystem: syscalls\n"
		"    event: sys_enter_write\n"
		"    args:\n"
		"    - index: 6\n"
		"      type: char_buf\n"
		"      sizeArgIndex: 8\n"
		"    - index: 7\n"
		"      type: size_t\n");
	const struct rtenf_hook_config *c = &only_hook(cp)->cfg;

	cr_assert_eq(c->nargs, 2);
	cr_assert_eq(c->args[0].size_arg, 1);
	cr_assert_eq(c->args[1].flags, RTENF_ARGD_F_EMIT);
	compiled_policy_free(cp);
}

/* --- filters and selectors ---------------------------------------------------------- */

Test(compile_filters, no_selectors_means_every_call)
{
	struct compiled_policy *cp = compile_ok(OPENAT);
	const struct rtenf_hook_config *c = &only_hook(cp)->cfg;

	cr_assert_eq(c->nselectors, 1);
	cr_assert_eq(c->nfilters, 1);
	assert_filter(&c->filters[0], RTENF_FILTER_ALWAYS, 0, 0, 0, 0);
	cr_assert_eq(c->selectors[0].nactions, 0);
	cr_assert_eq(c->selectors[0].action_bits, RTENF_ACTION_BIT(RTENF_ACTION_POST));
	cr_assert_eq(c->flags, 0);
	cr_assert_null(only_hook(cp)->exit_event);
	compiled_policy_free(cp);
}

Test(compile_filters, cheap_filters_first_whatever_the_yaml_order)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: Equal\n"
		"        values: [\"/etc/passwd\"]\n"
		"      - index: 1\n"
		"        operator: Equal\n"
		"        values: [3]\n"
		"      - index: 0\n"
		"        operator: Prefix\n"
		"        values: [\"/etc/\"]\n"
		"      - index: 2\n"
		"        operator: Mask\n"
		"        values: [1]\n"
		"      matchBinaries:\n"
		"      - operator: In\n"
		"        values: [\"/usr/bin/cat\"]\n"
		"      matchNamespaces:\n"
		"      - namespace: Mnt\n"
		"        operator: NotIn\n"
		"        values: [host_ns]\n"
		"      matchPIDs:\n"
		"      - operator: In\n"
		"        values: [42]\n");
	const struct rtenf_hook_config *c = &only_hook(cp)->cfg;
	const __u8 imm = RTENF_FILTER_F_IMM;

	cr_assert_eq(c->nselectors, 1);
	cr_assert_eq(c->nfilters, 7);
	assert_filter(&c->filters[0], RTENF_FILTER_PID, RTENF_FOP_IN, 0, imm, 0);
	assert_filter(&c->filters[1], RTENF_FILTER_NAMESPACE, RTENF_FOP_NOT_IN, RTENF_NS_MNT, imm, 0);
	assert_filter(&c->filters[2], RTENF_FILTER_BINARY, RTENF_FOP_IN, 0, imm, 0);
	/* integers, then strings, each in policy order */
	assert_filter(&c->filters[3], RTENF_FILTER_ARG_INT, RTENF_FOP_IN, 1, imm | RTENF_FILTER_F_SIGNED, 0);
	assert_filter(&c->filters[4], RTENF_FILTER_ARG_INT, RTENF_FOP_MASK, 2, 0, 0);
	assert_filter(&c->filters[5], RTENF_FILTER_ARG_STR, RTENF_FOP_IN, 0, imm, 0);
	assert_filter(&c->filters[6], RTENF_FILTER_ARG_STR, RTENF_FOP_PREFIX, 0, 0, 0);
	/* every filter has its own set, numbered from 1 */
	for (int i = 0; i < 7; i++)
		for (int j = 0; j < i; j++)
			cr_assert_neq(c->filters[i].set_id, c->filters[j].set_id, "filters %d and %d share set %u", i, j,
				      c->filters[i].set_id);
	compiled_policy_free(cp);
}

Test(compile_filters, filters_grouped_by_selector)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
		"    - matchPIDs:\n"
		"      - operator: In\n"
		"        values: [1]\n"
		"      matchArgs:\n"
		"      - index: 1\n"
		"        operator: Equal\n"
		"        values: [3]\n"
		"    - matchActions:\n"
		"      - action: Sigkill\n"
		"    - matchArgs:\n"
		"      - index: 2\n"
		"        operator: Mask\n"
		"        values: [1]\n");
	const struct rtenf_hook_config *c = &only_hook(cp)->cfg;

	cr_assert_eq(c->nselectors, 3);
	cr_assert_eq(c->nfilters, 4);
	cr_assert_eq(c->filters[0].kind, RTENF_FILTER_PID);
	cr_assert_eq(c->filters[0].selector, 0);
	cr_assert_eq(c->filters[1].kind, RTENF_FILTER_ARG_INT);
	cr_assert_eq(c->filters[1].selector, 0);
	/* a selector with only actions matches everything */
	assert_filter(&c->filters[2], RTENF_FILTER_ALWAYS, 0, 0, 0, 1);
	cr_assert_eq(c->filters[3].kind, RTENF_FILTER_ARG_INT);
	cr_assert_eq(c->filters[3].selector, 2);
	cr_assert_eq(c->selectors[1].nactions, 1);
	cr_assert_eq(c->selectors[1].actions[0].kind, RTENF_ACTION_SIGKILL);
	compiled_policy_free(cp);
}

Test(compile_filters, pids_imm_set_and_flags)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
		"    - matchPIDs:\n"
		"      - operator: In\n"
		"        values: [42]\n"
		"      - operator: NotIn\n"
		"        followForks: true\n"
		"        isNamespacePID: true\n"
		"        values: [1, \"2\", 4294967295]\n");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = h->cfg.filters;
	const __u64 set[] = {1, 2, 4294967295u};

	assert_filter(&f[0], RTENF_FILTER_PID, RTENF_FOP_IN, 0, RTENF_FILTER_F_IMM, 0);
	cr_assert_eq(f[0].imm, 42);
	cr_assert_eq(rows_in_set(h, f[0].set_id), 0, "an immediate has no rows");
	assert_filter(&f[1], RTENF_FILTER_PID, RTENF_FOP_NOT_IN, 0,
		      RTENF_FILTER_F_FOLLOW_FORKS | RTENF_FILTER_F_NS_PID, 0);
	cr_assert_eq(f[1].imm, 0);
	assert_set(h, &f[1], set, 3);
	cr_assert_eq(h->n_values, 3);
	compiled_policy_free(cp);
}

Test(compile_filters, namespaces_host_ns_and_inodes)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
		"    - matchNamespaces:\n"
		"      - namespace: Pid\n"
		"        operator: In\n"
		"        values: [host_ns]\n"
		"      - namespace: Mnt\n"
		"        operator: NotIn\n"
		"        values: [host_ns, 4026531840]\n");
	const struct compiled_hook *h = only_hook(cp);
	const struct rtenf_filter *f = h->cfg.filters;
	const __u64 set[] = {0xf0000000u + RTENF_NS_MNT, 4026531840u};

	assert_filter(&f[0], RTENF_FILTER_NAMESPACE, RTENF_FOP_IN, RTENF_NS_PID, RTENF_FILTER_F_IMM, 0);
	cr_assert_eq(f[0].imm, 0xf0000000u + RTENF_NS_PID);
	assert_filter(&f[1], RTENF_FILTER_NAMESPACE, RTENF_FOP_NOT_IN, RTENF_NS_MNT, 0, 0);
	assert_set(h, &f[1], set, 2);
	compiled_policy_free(cp);
}

/* The compiler passes the parser's namespace straight through as the
 * kernel's enum rtenf_ns: the two orders must agree. */
Test(compile_filters, every_namespace_name_is_the_kernels_namespace)
{
	static const struct {
		const char *name;
		enum rtenf_ns ns;
	} names[] = {
		{"Uts", RTENF_NS_UTS}, {"Ipc", RTENF_NS_IPC}, {"Mnt", RTENF_NS_MNT}, {"Pid", RTENF_NS_PID},
		{"PidForChildren", RTENF_NS_PID_FOR_CHILDREN}, {"Net", RTENF_NS_NET}, {"Time", RTENF_NS_TIME},
		{"TimeForChildren", RTENF_NS_TIME_FOR_CHILDREN}, {"Cgroup", RTENF_NS_CGROUP},
		{"User", RTENF_NS_USER},
	};

	cr_assert_eq(ARRAY_SIZE(names), RTENF_NS_COUNT);
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char *yaml = xasprintf(OPENAT_SEL
				       "    - matchNamespaces:\n"
				       "      - namespace: %s\n"
				       "        operator: In\n"
				       "        values: [host_ns]\n",
				       names[i].name);
		struct compiled_policy *cp = compile_ok(yaml);
		const struct rtenf_filter *f = &only_hook(cp)->cfg.filters[0];

		cr_assert_eq(f->arg, names[i].ns, "%s compiled as namespace %u", names[i].name, f->arg);
		cr_assert_eq(f->imm, 0xf0000000u + names[i].ns, "%s: host_ns of another namespace", names[i].name);
		compiled_policy_free(cp);
		free(yaml);
	}
}

Test(compile_filters, binaries_hash_the_path_and_its_canonical_form)
{
	/* a merged-/usr host whose /usr/bin/sh is a link to dash */
	static const struct fake_symlink links[] = {{"/bin", "/usr/bin"}, {"/bin/sh", "/usr/bin/dash"}};
	struct diag_list d = {0};
	struct compiled_policy *cp;
	const struct compiled_hook *h;
	struct fake_kernel fk;
	const __u64 deny[] = {key_hash("/bin/sh"), key_hash("/usr/bin/dash")};
	const __u64 allow[] = {key_hash("/bin/sh"), key_hash("/usr/bin/sh")};
	const __u64 ab[] = {key_hash("/a"), key_hash("/b")};

	unit_kernel(&fk);
	fk.links = links;
	fk.n_links = ARRAY_SIZE(links);
	cp = compile_with(OPENAT_SEL
		"    - matchBinaries:\n"
		"      - operator: In\n"
		"        values: [\"/usr/bin/cat\"]\n"
		"      - operator: In\n"
		"        values: [\"/bin/sh\"]\n"
		"      - operator: NotIn\n"
		"        values: [\"/bin/sh\"]\n"
		"      - operator: In\n"
		"        values: [\"/a\", \"/b\"]\n", &fk, &d);
	cr_assert_not_null(cp, "%s", diags_dump(&d));
	h = only_hook(cp);
	assert_filter(&h->cfg.filters[0], RTENF_FILTER_BINARY, RTENF_FOP_IN, 0, RTENF_FILTER_F_IMM, 0);
	cr_assert_eq(h->cfg.filters[0].imm, key_hash("/usr/bin/cat"));
	/* one value, two hashes: the name and the file it resolves to */
	assert_filter(&h->cfg.filters[1], RTENF_FILTER_BINARY, RTENF_FOP_IN, 0, 0, 0);
	assert_set(h, &h->cfg.filters[1], deny, 2);
	/* an allow list follows the directory, never the link at the end: its
	 * target may be a multi-call binary (busybox) and would admit every
	 * name it runs under */
	assert_filter(&h->cfg.filters[2], RTENF_FILTER_BINARY, RTENF_FOP_NOT_IN, 0, 0, 0);
	assert_set(h, &h->cfg.filters[2], allow, 2);
	assert_set(h, &h->cfg.filters[3], ab, 2);
	compiled_policy_free(cp);
	diag_list_free(&d);
}

/* --- actions ------------------------------------------------------------------------ */

Test(compile_actions, kinds_arguments_and_bits)
{
	struct compiled_policy *cp = compile_ok(OPENAT_SEL
		"    - matchActions:\n"
		"      - action: Post\n"
		"      - action: sigkill\n"
		"      - action: Signal\n"
		"        argSig: 10\n"
		"      - action: NoPost\n"
		"    - matchPIDs:\n"
		"      - operator: In\n"
		"        values: [1]\n");
	const struct rtenf_hook_config *c = &only_hook(cp)->cfg;
	const struct rtenf_selector_desc *s = &c->selectors[0];

	cr_assert_eq(c->nselectors, 2);
	cr_assert_eq(s->nactions, 4);
	cr_assert_eq(s->actions[0].kind, RTENF_ACTION_POST);
	cr_assert_eq(s->actions[1].kind, RTENF_ACTION_SIGKILL);
	cr_assert_eq(s->actions[1].arg, 9);
	cr_assert_eq(s->actions[2].kind, RTENF_ACTION_SIGNAL);
	cr_assert_eq(s->actions[2].arg, 10);
	cr_assert_eq(s->actions[3].kind, RTENF_ACTION_NOPOST);
	cr_assert_eq(s->action_bits, RTENF_ACTION_BIT(RTENF_ACTION_POST) | RTENF_ACTION_BIT(RTENF_ACTION_SIGKILL) |
					     RTENF_ACTION_BIT(RTENF_ACTION_SIGNAL) |
					     RTENF_ACTION_BIT(RTENF_ACTION_NOPOST));
	/* no matchActions: Post */
	cr_assert_eq(c->selectors[1].nactions, 0);
	cr_assert_eq(c->selectors[1].action_bits, RTENF_ACTION_BIT(RTENF_ACTION_POST));
	compiled_policy_free(cp);
}

Test(compile_actions, policy_metadata_is_kept)
{
	struct compiled_policy *cp = compile_ok(
		"apiVersion: cilium.io/v1alpha1\n"
		"kind: TracingPolicy\n"
		"metadata:\n"
		"  name: meta\n"
		"spec:\n"
		"  options:\n"
		"  - name: policy-mode\n"
		"    value: enforce\n"
		"  tracepoints:\n"
		"  - subsystem: syscalls\n"
		"    event: sys_enter_openat\n"
		"    message: opened\n"
		"    tags: [fs, x]\n"
		"  - subsystem: syscalls\n"
		"    event: sys_enter_write\n");

	cr_assert_str_eq(cp->name, "meta");
	cr_assert_str_eq(cp->file, "t.yaml");
	cr_assert_eq(cp->mode, POLICY_MODE_ENFORCE);
	cr_assert_eq(cp->n_hooks, 2);
	cr_assert_str_eq(cp->hooks[0].message, "opened");
	cr_assert_eq(cp->hooks[0].n_tags, 2);
	cr_assert_str_eq(cp->hooks[0].tags[1], "x");
	cr_assert_eq(cp->hooks[1].cfg.hook_id, 1);
	cr_assert_str_eq(cp->hooks[1].event, "sys_enter_write");
	cr_assert_null(cp->hooks[1].message);
	compiled_policy_free(cp);
}

/* --- late decisions ------------------------------------------------------------------- */

static void expect_defer(const char *yaml, const char *exit_event)
{
	struct compiled_policy *cp = compile_ok(yaml);
	const struct compiled_hook *h = only_hook(cp);

	if (exit_event) {
		cr_assert_eq(h->cfg.flags, RTENF_HOOKCFG_F_DEFER_ON_FAULT);
		cr_assert_not_null(h->exit_event);
		cr_assert_str_eq(h->exit_event, exit_event);
	} else {
		cr_assert_eq(h->cfg.flags, 0);
		cr_assert_null(h->exit_event, "exit event %s", h->exit_event);
	}
	compiled_policy_free(cp);
}

Test(compile_defer, only_syscall_hooks_that_filter_user_strings)
{
	expect_defer(OPENAT_SEL
		     "    - matchArgs:\n"
		     "      - index: 0\n"
		     "        operator: Postfix\n"
		     "        values: [\".so\"]\n", "sys_exit_openat");
	/* the string filter is in a later selector: still */
	expect_defer(OPENAT_SEL
		     "    - matchPIDs:\n"
		     "      - operator: In\n"
		     "        values: [1]\n"
		     "    - matchArgs:\n"
		     "      - index: 0\n"
		     "        operator: Equal\n"
		     "        values: [\"/x\"]\n", "sys_exit_openat");
	/* integers only, or the string only emitted */
	expect_defer(OPENAT_SEL
		     "    - matchArgs:\n"
		     "      - index: 1\n"
		     "        operator: Equal\n"
		     "        values: [3]\n", NULL);
	expect_defer(OPENAT_SEL
		     "    - matchPIDs:\n"
		     "      - operator: In\n"
		     "        values: [1]\n", NULL);
	/* strings in the record or in the kernel are always resident */
	expect_defer(POLICY_HEAD
		     "  - subsystem: sched\n"
		     "    event: sched_process_exec\n"
		     "    args:\n"
		     "    - index: 4\n"
		     "    selectors:\n"
		     "    - matchArgs:\n"
		     "      - index: 0\n"
		     "        operator: Prefix\n"
		     "        values: [\"/tmp/\"]\n", NULL);
	expect_defer(WIDTHS
		     "    args:\n"
		     "    - index: 9\n"
		     "    selectors:\n"
		     "    - matchArgs:\n"
		     "      - index: 0\n"
		     "        operator: Equal\n"
		     "        values: [\"x\"]\n", NULL);
}

/* --- compiling without the kernel (rtenf validate) ------------------------------------- */

Test(compile_offline, unreadable_formats_compile_unchecked)
{
	struct diag_list d = {0};
	struct compiled_policy *cp;
	struct fake_kernel fk;
	const struct rtenf_hook_config *c;

	unit_kernel(&fk);
	fk.tp_error = -EACCES;
	fk.kv.offline = true;
	cp = compile_with(OPENAT_SEL
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: Prefix\n"
		"        values: [\"/etc/\"]\n", &fk, &d);
	cr_assert_not_null(cp, "%s", diags_dump(&d));
	cr_assert_eq(d.n, 0, "%s", diags_dump(&d));
	cr_assert_not(cp->kernel_checked);
	c = &only_hook(cp)->cfg;
	assert_arg(&c->args[0], 0, 8, RTENF_ARG_STRING, RTENF_SRC_USER_PTR, 0);
	assert_arg(&c->args[1], 0, 8, RTENF_ARG_INT, RTENF_SRC_VALUE, 0);
	compiled_policy_free(cp);
}

Test(compile_offline, host_ns_unknown_is_skipped_only_offline)
{
	struct diag_list d = {0};
	struct compiled_policy *cp;
	struct fake_kernel fk;
	const char *yaml = OPENAT_SEL
		"    - matchNamespaces:\n"
		"      - namespace: Pid\n"
		"        operator: NotIn\n"
		"        values: [host_ns]\n"
		"      - namespace: Time\n"
		"        operator: In\n"
		"        values: [host_ns, 5]\n";

	unit_kernel(&fk);
	fk.host_ns_error = -EACCES;
	fk.kv.offline = true;
	cp = compile_with(yaml, &fk, &d);
	cr_assert_not_null(cp, "%s", diags_dump(&d));
	cr_assert_eq(d.n, 0, "%s", diags_dump(&d));
	cr_assert_eq(only_hook(cp)->cfg.filters[0].imm, 0);
	cr_assert(has_row(only_hook(cp), only_hook(cp)->cfg.filters[1].set_id, 0));
	compiled_policy_free(cp);

	/* a kernel without time namespaces, offline: no error either */
	unit_kernel(&fk);
	fk.host_ns[RTENF_NS_TIME] = 0;
	fk.kv.offline = true;
	cp = compile_with(yaml, &fk, &d);
	cr_assert_not_null(cp, "%s", diags_dump(&d));
	cr_assert_eq(only_hook(cp)->cfg.filters[0].imm, 0xf0000000u + RTENF_NS_PID);
	compiled_policy_free(cp);
	diag_list_free(&d);
}

/* An argument without a type takes its type from the format file; when
 * that cannot be read (rtenf validate without root), a policy that is valid
 * on the kernel must not be rejected for using it as a string. */
Test(compile_offline, untyped_args_are_judged_by_their_filters)
{
	static const char yaml[] = OPENAT
		"    args:\n"
		"    - index: 6\n"
		"    - index: 5\n"
		"    selectors:\n"
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: Prefix\n"
		"        values: [\"/etc/\"]\n"
		"      - index: 0\n"
		"        operator: NotEqual\n"
		"        values: [\"/etc/passwd\", \"3\"]\n"
		"      - index: 1\n"
		"        operator: Equal\n"
		"        values: [-100]\n"
		"      - index: 1\n"
		"        operator: GT\n"
		"        values: [3]\n";
	struct diag_list d = {0};
	struct compiled_policy *cp;
	struct fake_kernel fk;
	const struct rtenf_filter *f;

	compiled_policy_free(compile_ok(yaml)); /* valid on the kernel */
	unit_kernel(&fk);
	fk.tp_error = -EACCES;
	fk.kv.offline = true;
	cp = compile_with(yaml, &fk, &d);
	cr_assert_not_null(cp, "%s", diags_dump(&d));
	cr_assert_eq(d.n, 0, "%s", diags_dump(&d));
	cr_assert_not(cp->kernel_checked);
	f = only_hook(cp)->cfg.filters;
	assert_filter(&f[0], RTENF_FILTER_ARG_INT, RTENF_FOP_IN, 1, RTENF_FILTER_F_IMM, 0);
	assert_filter(&f[1], RTENF_FILTER_ARG_INT, RTENF_FOP_GT, 1, 0, 0);
	assert_filter(&f[2], RTENF_FILTER_ARG_STR, RTENF_FOP_PREFIX, 0, 0, 0);
	assert_filter(&f[3], RTENF_FILTER_ARG_STR, RTENF_FOP_NOT_IN, 0, 0, 0);
	compiled_policy_free(cp);

	/* what can be checked without the format still is */
	unit_kernel(&fk);
	fk.tp_error = -EACCES;
	fk.kv.offline = true;
	expect_compile_error_with(OPENAT
		"    args:\n"
		"    - index: 6\n"
		"    selectors:\n"
		"    - matchArgs:\n"
		"      - index: 0\n"
		"        operator: Postfix\n"
		"        values: [\"\", \"" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]\n", &fk,
		"t.yaml:15:22: Postfix value is 253 bytes; the limit is 252");
}
