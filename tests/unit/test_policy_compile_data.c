// SPDX-License-Identifier: GPL-2.0-only
/*
 * data (source current_task) and matchData through the compiler, against
 * the unit kernel with a made-up BTF (task_btf.h): each data entry is one
 * value slot after the arguments, with its resolve steps and the BTF
 * member's size and sign; matchData filters name that slot; mistakes are
 * reported at the resolve value with the segment that is wrong.
 */
#include <criterion/criterion.h>

#include <bpf/btf.h>

#include "compile_fixture.h"
#include "task_btf.h"
#include "util.h"

static struct fake_kernel fk;

static void setup(void)
{
	unit_kernel(&fk);
	fk.kv.btf = task_btf_new();
}

static void teardown(void)
{
	btf__free((struct btf *)fk.kv.btf);
}

TestSuite(compile_data, .init = setup, .fini = teardown);

/* Lines 1-8 openat, then one arg (filename, 9-11) and data from line 12. */
#define OPENAT_DATA                                  \
	OPENAT                                       \
	"    args:\n"                      /* 9 */   \
	"    - index: 6\n"                 /* 10 */  \
	"      type: string\n"             /* 11 */  \
	"    data:\n"                      /* 12 */  \
	"    - index: 0\n"                 /* 13 */  \
	"      type: int\n"                /* 14 */  \
	"      source: current_task\n"     /* 15 */  \
	"      resolve: cred.uid.val\n"    /* 16 */  \
	"    - index: 1\n"                 /* 17 */  \
	"      type: string\n"             /* 18 */  \
	"      source: current_task\n"     /* 19 */  \
	"      resolve: comm\n"            /* 20 */  \
	"      label: comm\n"              /* 21 */  \
	"    selectors:\n"                 /* 22 */

static const struct compiled_hook *compile_here(const char *yaml, struct compiled_policy **cp)
{
	struct diag_list d = {0};

	*cp = compile_with(yaml, &fk, &d);
	cr_assert_not_null(*cp, "errors:\n%s", diags_dump(&d));
	cr_assert_eq(d.n, 0, "diagnostics:\n%s", diags_dump(&d));
	diag_list_free(&d);
	return only_hook(*cp);
}

Test(compile_data, slots_after_the_arguments_with_their_steps)
{
	struct compiled_policy *cp;
	const struct compiled_hook *h = compile_here(OPENAT_DATA "    - matchData:\n"
								 "      - index: 0\n"
								 "        operator: NotEqual\n"
								 "        values: [0]\n"
								 "      - index: 1\n"
								 "        operator: Equal\n"
								 "        values: [sh]\n",
						     &cp);
	const struct rtenf_hook_config *cfg = &h->cfg;

	cr_assert_eq(cfg->nargs, 3);
	cr_expect_eq(cfg->args[1].source, RTENF_SRC_TASK);
	cr_expect_eq(cfg->args[1].type, RTENF_ARG_INT);
	cr_expect_eq(cfg->args[1].size, 4);
	cr_expect_eq(cfg->args[1].is_signed, 0, "kuid's val is unsigned int");
	cr_expect_eq(cfg->args[1].flags, RTENF_ARGD_F_EMIT | RTENF_ARGD_F_DATA);
	cr_assert_eq(cfg->resolve[1].nsteps, 2);
	cr_expect_eq(cfg->resolve[1].off[0], 16);
	cr_expect_eq(cfg->resolve[1].off[1], 4);
	cr_expect_eq(cfg->resolve[1].deref, 0x1);
	cr_expect_eq(cfg->args[2].type, RTENF_ARG_STRING);
	cr_expect_eq(cfg->args[2].source, RTENF_SRC_TASK);
	cr_assert_eq(cfg->resolve[2].nsteps, 1);
	cr_expect_eq(cfg->resolve[2].off[0], 24);
	cr_expect_eq(cfg->resolve[2].deref, 0);
	cr_expect_eq(cfg->resolve[0].nsteps, 0, "an argument has no steps");
	/* events: the argument, then the two data entries, marked */
	cr_assert_eq(h->n_emitted, 3);
	cr_expect_not(h->emitted[0].is_data);
	cr_expect(h->emitted[1].is_data && h->emitted[2].is_data);
	cr_expect_str_eq(h->emitted[2].label, "comm");
	/* integers first, strings last; each names its data slot */
	cr_assert_eq(cfg->nfilters, 2);
	/* declared int: compared as a signed value */
	assert_filter(&cfg->filters[0], RTENF_FILTER_ARG_INT, RTENF_FOP_NOT_IN, 1,
		      RTENF_FILTER_F_IMM | RTENF_FILTER_F_SIGNED, 0);
	cr_expect_eq(cfg->filters[0].imm, 0);
	assert_filter(&cfg->filters[1], RTENF_FILTER_ARG_STR, RTENF_FOP_IN, 2, RTENF_FILTER_F_IMM, 0);
	cr_expect_eq(cfg->filters[1].imm, key_hash("sh"));
	compiled_policy_free(cp);
}

Test(compile_data, a_signed_64_bit_member_as_int64)
{
	struct compiled_policy *cp;
	const struct compiled_hook *h = compile_here(OPENAT "    data:\n    - index: 0\n      type: int64\n"
							     "      source: current_task\n      resolve: cred.big\n",
						     &cp);

	cr_expect_eq(h->cfg.args[0].size, 8);
	cr_expect_eq(h->cfg.args[0].type, RTENF_ARG_INT64);
	compiled_policy_free(cp);
}

Test(compile_data, errors_at_the_resolve_value)
{
	expect_compile_error_with(OPENAT "    data:\n    - index: 0\n      type: int\n      source: current_task\n"
				  "      resolve: cred.uidx.val\n",
				  &fk, "t.yaml:13:16: task_struct.cred has no member 'uidx'");
	expect_compile_error_with(OPENAT "    data:\n    - index: 0\n      type: string\n      source: current_task\n"
				  "      resolve: pid\n",
				  &fk, "t.yaml:13:16: task_struct.pid is a 4-byte signed integer, not text: type string "
				       "needs a char array or char pointer");
	expect_compile_error_with(OPENAT "    data:\n    - index: 0\n      type: int\n      source: current_task\n"
				  "      resolve: real_parent\n",
				  &fk, "t.yaml:13:16: task_struct.real_parent is struct task_struct *, not an integer: type "
				       "int needs an integer member");
	expect_compile_error_with(OPENAT "    data:\n    - index: 0\n      type: uint32\n      source: current_task\n"
				  "      resolve: big\n",
				  &fk, "t.yaml:13:16: task_struct.big is a 8-byte unsigned integer, which does not fit "
				       "type uint32 (4 bytes): declare int64 or uint64");
}

Test(compile_data, match_data_needs_a_data_entry)
{
	expect_compile_error_with(OPENAT_DATA "    - matchData:\n      - index: 5\n        operator: Equal\n"
					      "        values: [1]\n",
				  &fk, "t.yaml:24:16: matchData index 5 names no data entry: list it in data (index: 5) "
				       "first");
}

Test(compile_data, arguments_and_data_share_the_slots)
{
	struct strbuf y = {0};

	sb_puts(&y, OPENAT "    args:\n");
	for (int i = 0; i < RTENF_MAX_ARGS; i++)
		sb_puts(&y, "    - index: 5\n      type: int\n");
	sb_puts(&y, "    data:\n    - index: 0\n      type: int\n      source: current_task\n      resolve: pid\n");
	expect_compile_error_with(y.buf, &fk,
				  "t.yaml:27:7: too many values: a hook reads at most 8 (arguments, sizes of char_buf "
				  "arguments and data together)");
	sb_free(&y);
}

/* Without a kernel BTF (validate on a machine without one) the path is
 * not checked; the slot still has the declared type. */
Test(compile_data, without_btf_paths_wait_for_apply)
{
	struct compiled_policy *cp;
	const struct compiled_hook *h;

	btf__free((struct btf *)fk.kv.btf);
	fk.kv.btf = NULL;
	h = compile_here(OPENAT "    data:\n    - index: 0\n      type: int\n      source: current_task\n"
				"      resolve: no.such.member\n",
			 &cp);
	cr_expect_eq(h->cfg.args[0].source, RTENF_SRC_TASK);
	cr_expect_eq(h->cfg.resolve[0].nsteps, 0);
	compiled_policy_free(cp);
}

/* Arguments with resolve: the walk starts at the object a kernel
 * function's argument points to, its struct named by the function's BTF
 * prototype. */
#define TASK_FN                                      \
	"apiVersion: cilium.io/v1alpha1\n"           \
	"kind: TracingPolicy\n"                      \
	"metadata:\n"                                \
	"  name: test\n"                             \
	"spec:\n"                                    \
	"  kprobes:\n"                               \
	"  - call: task_fn\n"              /* 7 */   \
	"    syscall: false\n"             /* 8 */   \
	"    args:\n"                      /* 9 */

Test(compile_data, argument_resolve_from_the_parameter_struct)
{
	struct compiled_policy *cp;
	const struct compiled_hook *h = compile_here(TASK_FN "    - index: 0\n      type: uint32\n"
							      "      resolve: cred.uid.val\n"
							      "    - index: 0\n      type: string\n"
							      "      resolve: real_parent.comm\n"
							      "    - index: 1\n      type: int\n",
						     &cp);
	const struct rtenf_hook_config *cfg = &h->cfg;

	cr_assert_eq(cfg->nargs, 3);
	cr_expect_eq(cfg->args[0].flags, RTENF_ARGD_F_EMIT | RTENF_ARGD_F_RESOLVE);
	cr_expect_eq(cfg->args[0].source, RTENF_SRC_VALUE);
	cr_expect_eq(cfg->args[0].size, 4);
	cr_assert_eq(cfg->resolve[0].nsteps, 2);
	cr_expect_eq(cfg->resolve[0].off[0], 16);
	cr_expect_eq(cfg->resolve[0].deref, 0x1);
	cr_expect_eq(cfg->args[1].type, RTENF_ARG_STRING);
	cr_expect_eq(cfg->args[1].source, RTENF_SRC_KERNEL_PTR, "the walk ends at the string's bytes");
	cr_assert_eq(cfg->resolve[1].nsteps, 2);
	cr_expect_eq(cfg->resolve[1].off[1], 24);
	cr_expect_eq(cfg->args[2].flags, RTENF_ARGD_F_EMIT, "a plain argument next to them");
	cr_expect_eq(cfg->resolve[2].nsteps, 0);
	compiled_policy_free(cp);
}

Test(compile_data, argument_resolve_errors)
{
	expect_compile_error_with(TASK_FN "    - index: 1\n      type: int\n      resolve: pid\n", &fk,
				  "t.yaml:12:16: argument 1 of task_fn is a 4-byte signed integer: resolve starts from a "
				  "pointer to a struct");
	expect_compile_error_with(TASK_FN "    - index: 0\n      type: int\n      resolve: cred.uidx.val\n", &fk,
				  "t.yaml:12:16: task_struct.cred has no member 'uidx'");
	expect_compile_error_with(TASK_FN "    - index: 0\n      type: file\n      resolve: comm\n", &fk,
				  "t.yaml:11:13: an argument with resolve needs an integer type or string: the member is "
				  "compared as a number or as text");
	expect_compile_error_with(TASK_FN "    - index: 0\n      type: int\n      resolve: comm\n", &fk,
				  "t.yaml:12:16: task_struct.comm is an array of 16, not an integer: type int needs an "
				  "integer member");
}
