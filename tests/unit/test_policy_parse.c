// SPDX-License-Identifier: GPL-2.0-only
/*
 * policy_parse: Tetragon TracingPolicy YAML into the AST, and every way of
 * getting it wrong, each reported at its line and column.  Error tests mostly
 * use expect_only_error(), which also fails on any second diagnostic: one
 * mistake must give one message, not a cascade.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "util.h"

/* Lines 1-4: a policy without spec. */
#define HEAD4                                        \
	"apiVersion: cilium.io/v1alpha1\n" /* 1 */   \
	"kind: TracingPolicy\n"            /* 2 */   \
	"metadata:\n"                      /* 3 */   \
	"  name: test\n"                   /* 4 */

/* Lines 1-5: spec's keys start on line 6, column 3. */
#define HEAD HEAD4 "spec:\n" /* 5 */

/* Lines 1-8: one tracepoint; its further keys start on line 9, column 5. */
#define TP                                           \
	HEAD "  tracepoints:\n"            /* 6 */   \
	"  - subsystem: syscalls\n"        /* 7 */   \
	"    event: sys_enter_openat\n"    /* 8 */

/* Lines 1-10: a selector, whose first key follows on line 10, column 7;
 * its further keys start on line 11, column 7. */
#define SEL                                          \
	TP "    selectors:\n"              /* 9 */   \
	"    - "                           /* 10 */

#define assert_loc(l, L, C)                                                                                \
	cr_assert((l).line == (L) && (l).col == (C), "%s is %u:%u, expected %u:%u", #l, (l).line, (l).col, \
		  (unsigned)(L), (unsigned)(C))

static char *dump(const struct diag_list *d)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < d->n; i++) {
		char *s = diag_format(&d->v[i]);

		sb_printf(&sb, "  %s\n", s);
		free(s);
	}
	return sb_steal(&sb);
}

static struct policy *parse_ok(const char *yaml)
{
	struct diag_list d = { 0 };
	struct policy *p = policy_parse(yaml, strlen(yaml), "t.yaml", &d);

	cr_assert_not_null(p, "unexpected errors:\n%s", dump(&d));
	cr_assert_eq(d.n, 0, "diagnostics on success:\n%s", dump(&d));
	diag_list_free(&d);
	return p;
}

static bool has_error(const struct diag_list *d, unsigned line, unsigned col, const char *msg)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].level == DIAG_ERROR && d->v[i].loc.line == line && d->v[i].loc.col == col &&
		    strstr(d->v[i].msg, msg))
			return true;
	return false;
}

/* The policy must be rejected with an error at line:col whose message
 * contains msg.  Returns how many diagnostics there were. */
static size_t expect_error(const char *yaml, unsigned line, unsigned col, const char *msg)
{
	struct diag_list d = { 0 };
	struct policy *p = policy_parse(yaml, strlen(yaml), "t.yaml", &d);
	size_t n = d.n;

	cr_assert_null(p, "accepted, expected %u:%u: %s", line, col, msg);
	cr_assert(has_error(&d, line, col, msg), "expected %u:%u: %s\ngot:\n%s", line, col, msg, dump(&d));
	diag_list_free(&d);
	return n;
}

static void expect_only_error(const char *yaml, unsigned line, unsigned col, const char *msg)
{
	size_t n = expect_error(yaml, line, col, msg);

	cr_assert_eq(n, 1, "expected only %u:%u: %s, got %zu diagnostics", line, col, msg, n);
}

__attribute__((format(printf, 2, 3)))
static const char *fmt(char *buf, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, 4096, f, ap);
	va_end(ap);
	return buf;
}

/* --- valid policies ----------------------------------------------------------- */

static const char full_policy[] =
	"apiVersion: cilium.io/v1alpha1\n"          /* 1 */
	"kind: TracingPolicy\n"                     /* 2 */
	"metadata:\n"                               /* 3 */
	"  name: full.example-1\n"                  /* 4 */
	"  namespace: ignored\n"                    /* 5 */
	"  labels: {app: x}\n"                      /* 6 */
	"  annotations:\n"                          /* 7 */
	"    note: \"ignored too\"\n"               /* 8 */
	"spec:\n"                                   /* 9 */
	"  options:\n"                              /* 10 */
	"  - name: policy-mode\n"                   /* 11 */
	"    value: enforce\n"                      /* 12 */
	"  tracepoints:\n"                          /* 13 */
	"  - subsystem: syscalls\n"                 /* 14 */
	"    event: sys_enter_write\n"              /* 15 */
	"    message: \"write to a watched fd\"\n"  /* 16 */
	"    tags: [observability, \"fs\"]\n"       /* 17 */
	"    args:\n"                               /* 18 */
	"    - index: 5\n"                          /* 19 */
	"      type: fd\n"                          /* 20 */
	"    - index: 6\n"                          /* 21 */
	"      type: char_buf\n"                    /* 22 */
	"      sizeArgIndex: 7\n"                   /* 23 */
	"      returnCopy: false\n"                 /* 24 */
	"      label: data\n"                       /* 25 */
	"    selectors:\n"                          /* 26 */
	"    - matchPIDs:\n"                        /* 27 */
	"      - operator: NotIn\n"                 /* 28 */
	"        followForks: true\n"               /* 29 */
	"        isNamespacePID: false\n"           /* 30 */
	"        values: [0, \"1\"]\n"              /* 31 */
	"      matchNamespaces:\n"                  /* 32 */
	"      - namespace: Mnt\n"                  /* 33 */
	"        operator: In\n"                    /* 34 */
	"        values: [4026531840, host_ns]\n"   /* 35 */
	"      matchBinaries:\n"                    /* 36 */
	"      - operator: In\n"                    /* 37 */
	"        values:\n"                         /* 38 */
	"        - /usr/bin/cat\n"                  /* 39 */
	"        - \"/bin/dd\"\n"                   /* 40 */
	"      matchArgs:\n"                        /* 41 */
	"      - index: 5\n"                        /* 42 */
	"        operator: Equal\n"                 /* 43 */
	"        values: [\"1\", 2]\n"              /* 44 */
	"      - index: 0x6\n"                      /* 45 */
	"        operator: GreaterThan\n"           /* 46 */
	"        values: [4096]\n"                  /* 47 */
	"      matchActions:\n"                     /* 48 */
	"      - action: Signal\n"                  /* 49 */
	"        argSig: 10\n"                      /* 50 */
	"      - action: NoPost\n"                  /* 51 */
	"    - matchActions:\n"                     /* 52 */
	"      - action: Override\n"                /* 53 */
	"        argError: -1\n"                    /* 54 */
	"      - action: sigkill\n"                 /* 55 */
	"  - subsystem: raw_syscalls\n"             /* 56 */
	"    event: sys_enter\n"                    /* 57 */
	"    selectors:\n"                          /* 58 */
	"    - {}\n";                               /* 59 */

Test(policy_parse, full_policy_every_field)
{
	struct diag_list d = { 0 };
	struct policy *p = policy_parse(full_policy, strlen(full_policy), "full.yaml", &d);
	struct policy_hook *h;
	struct policy_selector *s;

	cr_assert_not_null(p, "errors:\n%s", dump(&d));
	cr_assert_eq(d.n, 0);
	cr_assert_str_eq(p->file, "full.yaml");
	cr_assert_str_eq(p->name, "full.example-1");
	assert_loc(p->name_loc, 4, 9);
	assert_loc(p->loc, 1, 1);
	cr_assert_eq(p->mode, POLICY_MODE_ENFORCE);
	assert_loc(p->mode_loc, 12, 12);
	cr_assert_eq(p->n_hooks, 2);

	h = &p->hooks[0];
	cr_assert_eq(h->kind, POLICY_HOOK_TRACEPOINT);
	cr_assert_str_eq(h->subsystem, "syscalls");
	cr_assert_str_eq(h->event, "sys_enter_write");
	assert_loc(h->loc, 14, 5);
	assert_loc(h->subsystem_loc, 14, 16);
	assert_loc(h->event_loc, 15, 12);
	cr_assert_str_eq(h->message, "write to a watched fd");
	cr_assert_eq(h->n_tags, 2);
	cr_assert_str_eq(h->tags[0], "observability");
	cr_assert_str_eq(h->tags[1], "fs");

	cr_assert_eq(h->n_args, 2);
	cr_assert_eq(h->args[0].index, 5);
	cr_assert_eq(h->args[0].type, PARG_FD);
	cr_assert_not(h->args[0].has_size_arg_index);
	cr_assert_not(h->args[0].return_copy);
	cr_assert_null(h->args[0].label);
	assert_loc(h->args[0].loc, 19, 7);
	assert_loc(h->args[0].type_loc, 20, 13);
	cr_assert_eq(h->args[1].index, 6);
	cr_assert_eq(h->args[1].type, PARG_CHAR_BUF);
	cr_assert(h->args[1].has_size_arg_index);
	cr_assert_eq(h->args[1].size_arg_index, 7);
	cr_assert_not(h->args[1].return_copy);
	cr_assert_str_eq(h->args[1].label, "data");
	assert_loc(h->args[1].loc, 21, 7);

	cr_assert_eq(h->n_selectors, 2);
	s = &h->selectors[0];
	assert_loc(s->loc, 27, 7);

	cr_assert_eq(s->n_pids, 1);
	cr_assert_eq(s->pids[0].op, POP_NOT_IN);
	cr_assert(s->pids[0].follow_forks);
	cr_assert_not(s->pids[0].is_namespace_pid);
	assert_loc(s->pids[0].loc, 28, 9);
	assert_loc(s->pids[0].op_loc, 28, 19);
	cr_assert_eq(s->pids[0].values.n, 2);
	assert_loc(s->pids[0].values.loc, 31, 17);
	cr_assert_str_eq(s->pids[0].values.v[0].text, "0");
	assert_loc(s->pids[0].values.v[0].loc, 31, 18);
	cr_assert_str_eq(s->pids[0].values.v[1].text, "1");
	assert_loc(s->pids[0].values.v[1].loc, 31, 21);

	cr_assert_eq(s->n_namespaces, 1);
	cr_assert_eq(s->namespaces[0].ns, PNS_MNT);
	cr_assert_eq(s->namespaces[0].op, POP_IN);
	assert_loc(s->namespaces[0].loc, 33, 9);
	assert_loc(s->namespaces[0].op_loc, 34, 19);
	cr_assert_eq(s->namespaces[0].values.n, 2);
	cr_assert_str_eq(s->namespaces[0].values.v[0].text, "4026531840");
	cr_assert_str_eq(s->namespaces[0].values.v[1].text, "host_ns");

	cr_assert_eq(s->n_binaries, 1);
	cr_assert_eq(s->binaries[0].op, POP_IN);
	assert_loc(s->binaries[0].loc, 37, 9);
	assert_loc(s->binaries[0].op_loc, 37, 19);
	cr_assert_eq(s->binaries[0].values.n, 2);
	assert_loc(s->binaries[0].values.loc, 39, 9);
	cr_assert_str_eq(s->binaries[0].values.v[0].text, "/usr/bin/cat");
	assert_loc(s->binaries[0].values.v[0].loc, 39, 11);
	cr_assert_str_eq(s->binaries[0].values.v[1].text, "/bin/dd");
	assert_loc(s->binaries[0].values.v[1].loc, 40, 11);

	cr_assert_eq(s->n_args, 2);
	cr_assert_eq(s->args[0].index, 5);
	cr_assert_eq(s->args[0].op, POP_EQUAL);
	assert_loc(s->args[0].loc, 42, 9);
	assert_loc(s->args[0].index_loc, 42, 16);
	assert_loc(s->args[0].op_loc, 43, 19);
	cr_assert_eq(s->args[0].values.n, 2);
	cr_assert_str_eq(s->args[0].values.v[0].text, "1");
	cr_assert_str_eq(s->args[0].values.v[1].text, "2");
	cr_assert_eq(s->args[1].index, 6);
	cr_assert_eq(s->args[1].op, POP_GT);
	cr_assert_eq(s->args[1].values.n, 1);
	cr_assert_str_eq(s->args[1].values.v[0].text, "4096");

	cr_assert_eq(s->n_actions, 2);
	cr_assert_eq(s->actions[0].kind, PACT_SIGNAL);
	cr_assert(s->actions[0].has_arg_sig);
	cr_assert_eq(s->actions[0].arg_sig, 10);
	cr_assert_not(s->actions[0].has_arg_error);
	assert_loc(s->actions[0].loc, 49, 9);
	cr_assert_eq(s->actions[1].kind, PACT_NOPOST);
	cr_assert_not(s->actions[1].has_arg_sig);

	s = &h->selectors[1];
	assert_loc(s->loc, 52, 7);
	cr_assert_eq(s->n_pids + s->n_namespaces + s->n_binaries + s->n_args, 0);
	cr_assert_eq(s->n_actions, 2);
	cr_assert_eq(s->actions[0].kind, PACT_OVERRIDE);
	cr_assert(s->actions[0].has_arg_error);
	cr_assert_eq(s->actions[0].arg_error, -1);
	cr_assert_eq(s->actions[1].kind, PACT_SIGKILL);

	h = &p->hooks[1];
	cr_assert_str_eq(h->subsystem, "raw_syscalls");
	cr_assert_str_eq(h->event, "sys_enter");
	assert_loc(h->loc, 56, 5);
	cr_assert_null(h->message);
	cr_assert_eq(h->n_tags, 0);
	cr_assert_eq(h->n_args, 0);
	/* An empty selector matches everything; the compiler posts. */
	cr_assert_eq(h->n_selectors, 1);
	cr_assert_eq(h->selectors[0].n_pids + h->selectors[0].n_namespaces + h->selectors[0].n_binaries +
			     h->selectors[0].n_args + h->selectors[0].n_actions,
		     0);
	policy_free(p);
}

Test(policy_parse, tetragon_block_unshare_from_file)
{
	struct diag_list d = { 0 };
	struct policy *p = policy_parse_file("tests/unit/policies/block-unshare.yaml", &d);
	struct policy_selector *s;

	cr_assert_not_null(p, "errors:\n%s", dump(&d));
	cr_assert_str_eq(p->file, "tests/unit/policies/block-unshare.yaml");
	cr_assert_str_eq(p->name, "block-unshare-outside-host");
	cr_assert_eq(p->mode, POLICY_MODE_UNSET);
	cr_assert_eq(p->n_hooks, 1);
	cr_assert_str_eq(p->hooks[0].subsystem, "syscalls");
	cr_assert_str_eq(p->hooks[0].event, "sys_enter_unshare");
	cr_assert_eq(p->hooks[0].n_args, 1);
	cr_assert_eq(p->hooks[0].args[0].index, 4);
	cr_assert_eq(p->hooks[0].args[0].type, PARG_UINT64);
	cr_assert_eq(p->hooks[0].n_selectors, 1);
	s = &p->hooks[0].selectors[0];
	cr_assert_eq(s->n_namespaces, 1);
	cr_assert_eq(s->namespaces[0].ns, PNS_PID);
	cr_assert_eq(s->namespaces[0].op, POP_NOT_IN);
	cr_assert_eq(s->namespaces[0].values.n, 1);
	cr_assert_str_eq(s->namespaces[0].values.v[0].text, "host_ns");
	assert_loc(s->namespaces[0].values.v[0].loc, 18, 11);
	cr_assert_eq(s->n_actions, 1);
	cr_assert_eq(s->actions[0].kind, PACT_SIGKILL);
	policy_free(p);
}

Test(policy_parse, file_errors_collected_in_one_pass_in_file_order)
{
	static const struct {
		unsigned line, col;
		const char *msg;
	} want[] = {
		{ 5, 9, "invalid policy name \"Many_Errors\"" },
		{ 7, 3, "not supported yet: spec.usdts" },
		{ 12, 14, "\"index\" must not be negative, found -1" },
		{ 13, 13, "not supported yet: argument type \"bpf_attr\"" },
		{ 17, 18, "matchBinaries value must be an absolute path (starting with \"/\"), not \"bash\"" },
		{ 19, 9, "action Signal requires \"argSig\"" },
		{ 21, 19, "matchPIDs operator must be In or NotIn, not \"Equal\"" },
		{ 23, 22, "expected true or false for \"followForks\", found \"yes\"" },
	};
	struct diag_list d = { 0 };
	const char *path = "tests/unit/policies/many-errors.yaml";
	struct policy *p = policy_parse_file(path, &d);

	cr_assert_null(p);
	cr_assert_eq(d.n, ARRAY_SIZE(want), "got:\n%s", dump(&d));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		cr_assert_str_eq(d.v[i].file, path);
		assert_loc(d.v[i].loc, want[i].line, want[i].col);
		cr_assert(strstr(d.v[i].msg, want[i].msg), "diag %zu is \"%s\", expected \"%s\"", i, d.v[i].msg,
			  want[i].msg);
	}
	diag_list_free(&d);
}

Test(policy_parse, missing_file)
{
	struct diag_list d = { 0 };

	cr_assert_null(policy_parse_file("tests/unit/policies/no-such-file.yaml", &d));
	cr_assert_eq(d.n, 1);
	cr_assert_str_eq(d.v[0].file, "tests/unit/policies/no-such-file.yaml");
	cr_assert_eq(d.v[0].loc.line, 0);
	cr_assert(strstr(d.v[0].msg, "cannot read policy file: No such file or directory"), "%s", d.v[0].msg);
	diag_list_free(&d);
}

Test(policy_parse, tetragon_spellings)
{
	/* monitor = audit; lower-case actions; GreaterThan/LessThan; type
	 * aliases; quoted and unquoted values alike; flow style. */
	struct policy *p = parse_ok(HEAD4 "spec:\n"
				    "  options: [{name: policy-mode, value: monitor}]\n"
				    "  tracepoints:\n"
				    "  - subsystem: syscalls\n"
				    "    event: sys_enter_kill\n"
				    "    args: [{index: 0, type: long}, {index: 1, type: ulong}, {index: 2, type: sint32},\n"
				    "           {index: 3, type: auto}, {index: 4, type: int}, {index: 5, type: size_t}]\n"
				    "    selectors:\n"
				    "    - matchArgs:\n"
				    "      - {index: 1, operator: LessThan, values: [\"0x10\"]}\n"
				    "      - {index: 1, operator: LT, values: [16]}\n"
				    "      - {index: 0, operator: Mask, values: [0xff]}\n"
				    "      matchActions:\n"
				    "      - action: signal\n"
				    "        argSig: 9\n"
				    "      - action: POST\n");
	struct policy_selector *s = &p->hooks[0].selectors[0];

	cr_assert_eq(p->mode, POLICY_MODE_AUDIT);
	cr_assert_eq(p->hooks[0].args[0].type, PARG_INT64);
	cr_assert_eq(p->hooks[0].args[1].type, PARG_UINT64);
	cr_assert_eq(p->hooks[0].args[2].type, PARG_INT32);
	cr_assert_eq(p->hooks[0].args[3].type, PARG_AUTO);
	cr_assert_eq(p->hooks[0].args[4].type, PARG_INT);
	cr_assert_eq(p->hooks[0].args[5].type, PARG_SIZE_T);
	cr_assert_eq(s->args[0].op, POP_LT);
	cr_assert_str_eq(s->args[0].values.v[0].text, "0x10");
	cr_assert_eq(s->args[1].op, POP_LT);
	cr_assert_str_eq(s->args[1].values.v[0].text, "16");
	cr_assert_eq(s->args[2].op, POP_MASK);
	cr_assert_str_eq(s->args[2].values.v[0].text, "0xff");
	cr_assert_eq(s->actions[0].kind, PACT_SIGNAL);
	cr_assert_eq(s->actions[0].arg_sig, 9);
	cr_assert_eq(s->actions[1].kind, PACT_POST);
	policy_free(p);
}

Test(policy_parse, mode_audit_and_values_of_every_operator)
{
	static const struct {
		const char *name;
		enum policy_op op;
	} ops[] = {
		{ "Equal", POP_EQUAL },		{ "NotEqual", POP_NOT_EQUAL }, { "Prefix", POP_PREFIX },
		{ "NotPrefix", POP_NOT_PREFIX }, { "Postfix", POP_POSTFIX },   { "NotPostfix", POP_NOT_POSTFIX },
		{ "GT", POP_GT },		{ "GreaterThan", POP_GT },     { "LT", POP_LT },
		{ "LessThan", POP_LT },		{ "Mask", POP_MASK },
		{ "SPort", POP_SPORT },		{ "NotSPort", POP_NOT_SPORT }, { "SPortPriv", POP_SPORT_PRIV },
		{ "NotSPortPriv", POP_NOT_SPORT_PRIV }, { "NotSportPriv", POP_NOT_SPORT_PRIV },
		{ "DPort", POP_DPORT },		{ "NotDPort", POP_NOT_DPORT }, { "DPortPriv", POP_DPORT_PRIV },
		{ "NotDPortPriv", POP_NOT_DPORT_PRIV }, { "SAddr", POP_SADDR }, { "NotSAddr", POP_NOT_SADDR },
		{ "DAddr", POP_DADDR },		{ "NotDAddr", POP_NOT_DADDR }, { "Protocol", POP_PROTOCOL },
		{ "Family", POP_FAMILY },	{ "State", POP_STATE },
	};
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		struct policy *p = parse_ok(fmt(buf,
						HEAD "  options:\n  - name: policy-mode\n    value: audit\n"
						     "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n"
						     "    selectors:\n    - matchArgs:\n"
						     "      - index: 1\n        operator: %s\n        values: [\"/etc/\"]\n",
						ops[i].name));

		cr_assert_eq(p->mode, POLICY_MODE_AUDIT);
		cr_assert_eq(p->hooks[0].selectors[0].args[0].op, ops[i].op, "%s", ops[i].name);
		policy_free(p);
	}
}

Test(policy_parse, every_namespace)
{
	static const char *const names[] = { "Uts", "Ipc", "Mnt", "Pid", "PidForChildren",
					     "Net", "Time", "TimeForChildren", "Cgroup", "User" };
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		struct policy *p = parse_ok(fmt(buf,
						SEL "matchNamespaces:\n      - namespace: %s\n        operator: In\n"
						    "        values: [host_ns]\n",
						names[i]));

		cr_assert_eq(p->hooks[0].selectors[0].namespaces[0].ns, (enum policy_ns)i, "%s", names[i]);
		cr_assert_str_eq(policy_ns_name((enum policy_ns)i), names[i]);
		policy_free(p);
	}
}

Test(policy_parse, booleans_yaml_core_spellings)
{
	static const struct {
		const char *text;
		bool value;
	} bools[] = { { "true", true }, { "True", true }, { "TRUE", true },
		      { "false", false }, { "False", false }, { "FALSE", false } };
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(bools); i++) {
		struct policy *p = parse_ok(fmt(buf,
						SEL "matchPIDs:\n      - operator: In\n        values: [1]\n"
						    "        followForks: %s\n        isNamespacePID: %s\n",
						bools[i].text, bools[i].text));

		cr_assert_eq(p->hooks[0].selectors[0].pids[0].follow_forks, bools[i].value, "%s", bools[i].text);
		cr_assert_eq(p->hooks[0].selectors[0].pids[0].is_namespace_pid, bools[i].value, "%s", bools[i].text);
		policy_free(p);
	}
}

Test(policy_parse, integers_hex_octal_and_tags)
{
	struct policy *p = parse_ok(TP "    args:\n"
				       "    - {index: 0x10, type: int}\n"
				       "    - {index: 0o17, type: int}\n"
				       "    - {index: +3, type: int}\n"
				       "    - {index: !!int \"4\", type: !!str string}\n"
				       "    - {index: 4294967295, type: int}\n");

	cr_assert_eq(p->hooks[0].args[0].index, 16);
	cr_assert_eq(p->hooks[0].args[1].index, 15);
	cr_assert_eq(p->hooks[0].args[2].index, 3);
	cr_assert_eq(p->hooks[0].args[3].index, 4);
	cr_assert_eq(p->hooks[0].args[3].type, PARG_STRING);
	cr_assert_eq(p->hooks[0].args[4].index, 4294967295u);
	policy_free(p);
}

Test(policy_parse, null_optional_values_are_absent)
{
	struct policy *p = parse_ok(TP "    message:\n    tags:\n    args:\n    selectors:\n"
				       "    - matchPIDs:\n      - operator: In\n        values: [1]\n        followForks:\n");

	cr_assert_null(p->hooks[0].message);
	cr_assert_eq(p->hooks[0].n_tags, 0);
	cr_assert_eq(p->hooks[0].n_args, 0);
	cr_assert_not(p->hooks[0].selectors[0].pids[0].follow_forks);
	policy_free(p);
}

Test(policy_parse, empty_spec_and_stray_document_markers)
{
	struct policy *p = parse_ok("---\n" HEAD4 "spec:\n---\n");

	cr_assert_eq(p->n_hooks, 0);
	cr_assert_str_eq(p->name, "test");
	policy_free(p);
	p = parse_ok("---\n---\n" HEAD4 "spec: {}\n...\n");
	cr_assert_eq(p->n_hooks, 0);
	policy_free(p);
}

Test(policy_parse, aliases_share_a_node)
{
	struct policy *p = parse_ok(HEAD "  tracepoints:\n"
					 "  - subsystem: syscalls\n"
					 "    event: sys_enter_execve\n"
					 "    selectors: &sels\n"
					 "    - matchBinaries:\n"
					 "      - operator: In\n"
					 "        values: &bins [\"/bin/sh\", /bin/bash]\n"
					 "  - subsystem: syscalls\n"
					 "    event: sys_enter_execveat\n"
					 "    selectors: *sels\n");

	cr_assert_eq(p->n_hooks, 2);
	cr_assert_eq(p->hooks[1].n_selectors, 1);
	cr_assert_str_eq(p->hooks[1].selectors[0].binaries[0].values.v[1].text, "/bin/bash");
	/* Each hook owns its copy: policy_free must not free twice. */
	cr_assert_neq(p->hooks[0].selectors, p->hooks[1].selectors);
	policy_free(p);
}

Test(policy_parse, name_rules)
{
	char name[300];
	char buf[4096];

	memset(name, 'a', 253);
	name[253] = '\0';
	policy_free(parse_ok(fmt(buf, "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\n"
				      "metadata:\n  name: %s\nspec: {}\n",
				 name)));
	policy_free(parse_ok(HEAD4 "spec: {}\n" /* name: test */));
	policy_free(parse_ok("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\n"
			     "metadata: {name: 0a.b-c9}\nspec: {}\n"));
}

Test(policy_parse, appends_to_an_existing_list)
{
	struct diag_list d = { 0 };
	const char *yaml = HEAD4 "spec: {}\n";
	struct policy *p;

	diag_error(&d, "earlier.yaml", ((struct src_loc){ 9, 9 }), "an earlier error");
	p = policy_parse(yaml, strlen(yaml), "t.yaml", &d);
	cr_assert_not_null(p);
	cr_assert_eq(d.n, 1);
	policy_free(p);
	yaml = HEAD4 "spec:\n  foo: 1\n";
	cr_assert_null(policy_parse(yaml, strlen(yaml), "t.yaml", &d));
	cr_assert_eq(d.n, 2);
	/* Sorting our errors by location leaves earlier entries alone. */
	cr_assert_str_eq(d.v[0].file, "earlier.yaml");
	assert_loc(d.v[1].loc, 6, 3);
	diag_list_free(&d);
}

Test(policy_names, names_and_unknown_values)
{
	cr_assert_str_eq(policy_op_name(POP_IN), "In");
	cr_assert_str_eq(policy_op_name(POP_NOT_IN), "NotIn");
	cr_assert_str_eq(policy_op_name(POP_EQUAL), "Equal");
	cr_assert_str_eq(policy_op_name(POP_NOT_EQUAL), "NotEqual");
	cr_assert_str_eq(policy_op_name(POP_PREFIX), "Prefix");
	cr_assert_str_eq(policy_op_name(POP_NOT_PREFIX), "NotPrefix");
	cr_assert_str_eq(policy_op_name(POP_POSTFIX), "Postfix");
	cr_assert_str_eq(policy_op_name(POP_NOT_POSTFIX), "NotPostfix");
	cr_assert_str_eq(policy_op_name(POP_GT), "GT");
	cr_assert_str_eq(policy_op_name(POP_LT), "LT");
	cr_assert_str_eq(policy_op_name(POP_MASK), "Mask");
	cr_assert_str_eq(policy_op_name(POP_SPORT), "SPort");
	cr_assert_str_eq(policy_op_name(POP_NOT_SPORT), "NotSPort");
	cr_assert_str_eq(policy_op_name(POP_SPORT_PRIV), "SPortPriv");
	cr_assert_str_eq(policy_op_name(POP_NOT_SPORT_PRIV), "NotSPortPriv");
	cr_assert_str_eq(policy_op_name(POP_DPORT), "DPort");
	cr_assert_str_eq(policy_op_name(POP_NOT_DPORT), "NotDPort");
	cr_assert_str_eq(policy_op_name(POP_DPORT_PRIV), "DPortPriv");
	cr_assert_str_eq(policy_op_name(POP_NOT_DPORT_PRIV), "NotDPortPriv");
	cr_assert_str_eq(policy_op_name(POP_SADDR), "SAddr");
	cr_assert_str_eq(policy_op_name(POP_NOT_SADDR), "NotSAddr");
	cr_assert_str_eq(policy_op_name(POP_DADDR), "DAddr");
	cr_assert_str_eq(policy_op_name(POP_NOT_DADDR), "NotDAddr");
	cr_assert_str_eq(policy_op_name(POP_PROTOCOL), "Protocol");
	cr_assert_str_eq(policy_op_name(POP_FAMILY), "Family");
	cr_assert_str_eq(policy_op_name(POP_STATE), "State");
	cr_assert_str_eq(policy_op_name((enum policy_op)0), "unknown");
	cr_assert_str_eq(policy_op_name((enum policy_op)(POP_STATE + 1)), "unknown");

	cr_assert_str_eq(policy_arg_type_name(PARG_AUTO), "auto");
	cr_assert_str_eq(policy_arg_type_name(PARG_INT), "int");
	cr_assert_str_eq(policy_arg_type_name(PARG_UINT32), "uint32");
	cr_assert_str_eq(policy_arg_type_name(PARG_INT32), "int32");
	cr_assert_str_eq(policy_arg_type_name(PARG_INT64), "int64");
	cr_assert_str_eq(policy_arg_type_name(PARG_UINT64), "uint64");
	cr_assert_str_eq(policy_arg_type_name(PARG_SIZE_T), "size_t");
	cr_assert_str_eq(policy_arg_type_name(PARG_STRING), "string");
	cr_assert_str_eq(policy_arg_type_name(PARG_CHAR_BUF), "char_buf");
	cr_assert_str_eq(policy_arg_type_name(PARG_FD), "fd");
	cr_assert_str_eq(policy_arg_type_name(PARG_FILE), "file");
	cr_assert_str_eq(policy_arg_type_name(PARG_PATH), "path");
	cr_assert_str_eq(policy_arg_type_name(PARG_FILENAME), "filename");
	cr_assert_str_eq(policy_arg_type_name(PARG_LINUX_BINPRM), "linux_binprm");
	cr_assert_str_eq(policy_arg_type_name(PARG_SOCK), "sock");
	cr_assert_str_eq(policy_arg_type_name(PARG_SOCKADDR), "sockaddr");
	cr_assert_str_eq(policy_arg_type_name(PARG_CRED), "cred");
	cr_assert_str_eq(policy_arg_type_name(PARG_CAP_INHERITABLE), "cap_inheritable");
	cr_assert_str_eq(policy_arg_type_name(PARG_CAP_PERMITTED), "cap_permitted");
	cr_assert_str_eq(policy_arg_type_name(PARG_CAP_EFFECTIVE), "cap_effective");
	cr_assert_str_eq(policy_arg_type_name(PARG_KERNEL_CAP_T), "kernel_cap_t");
	cr_assert_str_eq(policy_arg_type_name((enum policy_arg_type)-1), "unknown");
	cr_assert_str_eq(policy_arg_type_name(PARG_SKB), "skb");
	cr_assert_str_eq(policy_arg_type_name(PARG_SYSCALL64), "syscall64");
	cr_assert_str_eq(policy_arg_type_name((enum policy_arg_type)(PARG_SKB + 1)), "unknown");

	cr_assert_str_eq(policy_ns_name((enum policy_ns)10), "unknown");

	cr_assert_str_eq(policy_action_name(PACT_POST), "Post");
	cr_assert_str_eq(policy_action_name(PACT_NOPOST), "NoPost");
	cr_assert_str_eq(policy_action_name(PACT_SIGKILL), "Sigkill");
	cr_assert_str_eq(policy_action_name(PACT_SIGNAL), "Signal");
	cr_assert_str_eq(policy_action_name(PACT_OVERRIDE), "Override");
	cr_assert_str_eq(policy_action_name((enum policy_action_kind)0), "unknown");

	cr_assert_str_eq(policy_mode_name(POLICY_MODE_UNSET), "unset");
	cr_assert_str_eq(policy_mode_name(POLICY_MODE_AUDIT), "audit");
	cr_assert_str_eq(policy_mode_name(POLICY_MODE_ENFORCE), "enforce");
	cr_assert_str_eq(policy_mode_name((enum policy_mode)3), "unknown");
}

/* --- YAML-level errors ------------------------------------------------------- */

Test(policy_errors, malformed_yaml)
{
	expect_only_error("a: [1, 2\n", 2, 1,
			  "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)");
	expect_only_error("a: b\n\tc: d\n", 2, 1, "invalid YAML: found a tab character that violates indentation");
	/* a key indented one space less than its siblings */
	expect_only_error(TP "   selectors: []\n", 9, 4,
			  "invalid YAML: did not find expected key (while parsing a block mapping at line 6, column 3)");
	expect_only_error(TP "     selectors: []\n", 9, 15, "invalid YAML: mapping values are not allowed in this context");
	expect_only_error("a: 'x\n", 2, 1, "invalid YAML: found unexpected end of stream");
}

Test(policy_errors, invalid_utf8)
{
	expect_only_error("a: b\nkey: \xff\n", 2, 6, "invalid YAML: invalid leading UTF-8 octet (0xFF)");
}

Test(policy_errors, empty_documents)
{
	struct diag_list d = { 0 };

	expect_only_error("", 1, 1, "empty document; expected a TracingPolicy");
	expect_only_error("# only a comment\n", 1, 1, "empty document");
	expect_only_error("---\n", 1, 1, "empty document");
	expect_only_error("\n\n---\n...\n", 3, 1, "empty document");
	expect_only_error("~\n", 1, 1, "empty document");
	/* NULL input with no file name */
	cr_assert_null(policy_parse(NULL, 0, NULL, &d));
	cr_assert_eq(d.n, 1);
	cr_assert_str_eq(d.v[0].file, "<input>");
	assert_loc(d.v[0].loc, 1, 1);
	diag_list_free(&d);
}

Test(policy_errors, several_documents)
{
	const char *two = "apiVersion: cilium.io/v1alpha1\n" /* 1 */
			  "kind: TracingPolicy\n"            /* 2 */
			  "metadata:\n"                      /* 3 */
			  "  name: Bad\n"                    /* 4 */
			  "spec: {}\n"                       /* 5 */
			  "---\n"                            /* 6 */
			  HEAD4 "spec: {}\n";

	/* The first document is still checked. */
	cr_assert_eq(expect_error(two, 6, 1,
				  "not supported yet: several documents in one file; put each policy in its own file"),
		     2);
	expect_error(two, 4, 9, "invalid policy name \"Bad\"");
}

Test(policy_errors, top_level_not_a_mapping)
{
	expect_only_error("- a\n- b\n", 1, 1, "expected a mapping for the document, found a list");
	expect_only_error("just text\n", 1, 1, "expected a mapping for the document, found \"just text\"");
}

Test(policy_errors, nul_in_a_value)
{
	expect_only_error(HEAD "  tracepoints:\n  - subsystem: \"sys\\0calls\"\n", 7, 16,
			  "a value contains a NUL character");
}

Test(policy_errors, tags)
{
	expect_only_error(HEAD "  tracepoints: !foo []\n", 6, 16, "unsupported YAML tag \"!foo\" on a list");
	expect_only_error(HEAD "  x: !!binary aGk=\n", 6, 6, "unsupported YAML tag \"!!binary\" on a scalar");
	expect_only_error(HEAD "  tracepoints: !!map []\n", 6, 16, "unsupported YAML tag \"!!map\" on a list");
	/* !!str makes a string, which an integer field refuses */
	expect_only_error(TP "    args:\n    - {index: !!str 1, type: int}\n", 10, 15,
			  "expected an integer for \"index\", found the string \"1\"");
}

Test(policy_errors, aliases)
{
	expect_only_error(HEAD "  tracepoints: *nope\n", 6, 16, "undefined alias \"*nope\"");
	expect_only_error(HEAD "  tracepoints: &loop [*loop]\n", 6, 23, "alias \"*loop\" is used inside the node it names");
	expect_only_error(HEAD "  tracepoints: &a []\n---\n" HEAD "  tracepoints: *a\n", 13, 16,
			  "undefined alias \"*a\""); /* anchors end with their document */
	expect_only_error(HEAD "  <<: {tracepoints: []}\n", 6, 3, "not supported yet: YAML merge keys (<<)");
}

Test(policy_errors, alias_expansion_is_bounded)
{
	/* "Billion laughs": 10^6 nodes from a few lines. */
	const char *yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
			   "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			   "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
			   "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
			   "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
			   "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";

	expect_only_error(yaml, 6, 8, "policy is too large: more than 200000 YAML nodes");
}

Test(policy_errors, nesting_is_bounded)
{
	struct strbuf sb = { 0 };

	sb_puts(&sb, "a: ");
	for (int i = 0; i < 1000; i++)
		sb_putc(&sb, '[');
	for (int i = 0; i < 1000; i++)
		sb_putc(&sb, ']');
	sb_putc(&sb, '\n');
	/* The root mapping and the brackets at columns 4..66 make 64 levels. */
	expect_only_error(sb.buf, 1, 67, "nesting is too deep (more than 64 levels)");
	sb_free(&sb);
}

Test(policy_errors, anchors_are_bounded)
{
	struct strbuf sb = { 0 };

	sb_puts(&sb, "a: [");
	for (int i = 0; i < 1025; i++)
		sb_printf(&sb, "&a%d x, ", i);
	sb_puts(&sb, "x]\n");
	/* "a: [" then 1024 times "&aN x, " (7 to 10 characters each); the
	 * 1025th anchored scalar starts at its "&". */
	expect_only_error(sb.buf, 1, 5 + 10 * 7 + 90 * 8 + 900 * 9 + 24 * 10, "too many YAML anchors (at most 1024)");
	sb_free(&sb);
}

/* --- document and metadata -------------------------------------------------- */

Test(policy_errors, api_version_and_kind)
{
	expect_only_error("apiVersion: cilium.io/v1\nkind: TracingPolicy\nmetadata: {name: a}\nspec: {}\n", 1, 13,
			  "apiVersion must be \"cilium.io/v1alpha1\", not \"cilium.io/v1\"");
	expect_only_error("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicyNamespaced\nmetadata: {name: a}\nspec: {}\n",
			  2, 7, "not supported yet: TracingPolicyNamespaced");
	/* Something else altogether: its spec is not judged. */
	expect_only_error("apiVersion: cilium.io/v1alpha1\nkind: Pod\nmetadata: {name: a}\n"
			  "spec: {containers: [{name: x}]}\n",
			  2, 7, "kind must be TracingPolicy, not \"Pod\"");
	/* A typo of TracingPolicy: the spec is still checked. */
	cr_assert_eq(expect_error("apiVersion: cilium.io/v1alpha1\nkind: TracingPolcy\nmetadata: {name: a}\n"
				  "spec: {foo: 1}\n",
				  2, 7, "kind must be TracingPolicy, not \"TracingPolcy\""),
		     2);
	cr_assert_eq(expect_error("apiVersion: cilium.io/v1alpha1\nkind: tracingpolicy\nmetadata: {name: a}\n"
				  "spec: {foo: 1}\n",
				  2, 7, "kind must be TracingPolicy, not \"tracingpolicy\""),
		     2);
	expect_only_error("apiVersion: [cilium.io/v1alpha1]\nkind: TracingPolicy\nmetadata: {name: a}\nspec: {}\n", 1,
			  13, "expected a string for \"apiVersion\", found a list");
}

Test(policy_errors, missing_top_level_keys)
{
	expect_only_error("kind: TracingPolicy\nmetadata: {name: a}\nspec: {}\n", 1, 1,
			  "missing required key \"apiVersion\" at the top level");
	expect_only_error("apiVersion: cilium.io/v1alpha1\nmetadata: {name: a}\nspec: {}\n", 1, 1,
			  "missing required key \"kind\" at the top level");
	expect_only_error("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nspec: {}\n", 1, 1,
			  "missing required key \"metadata\" at the top level");
	expect_only_error(HEAD4, 1, 1, "missing required key \"spec\" at the top level");
	expect_only_error("apiVersion: cilium.io/v1alpha1\nkind:\nmetadata: {name: a}\nspec: {}\n", 2, 1,
			  "missing value for \"kind\"");
}

Test(policy_errors, missing_name)
{
	const char *head = "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\n";
	char buf[4096];

	expect_only_error(fmt(buf, "%smetadata:\nspec: {}\n", head), 3, 1, "missing required key \"name\" in metadata");
	expect_only_error(fmt(buf, "%smetadata: {}\nspec: {}\n", head), 3, 11, "missing required key \"name\" in metadata");
	expect_only_error(fmt(buf, "%smetadata:\n  labels: {a: b}\nspec: {}\n", head), 4, 3,
			  "missing required key \"name\" in metadata");
	expect_only_error(fmt(buf, "%smetadata:\n  name:\nspec: {}\n", head), 4, 3, "missing value for \"name\"");
	expect_only_error(fmt(buf, "%smetadata:\n  name: \"\"\nspec: {}\n", head), 4, 9, "empty value for \"name\"");
	expect_only_error(fmt(buf, "%smetadata: [a]\nspec: {}\n", head), 3, 11,
			  "expected a mapping for \"metadata\", found a list");
}

Test(policy_errors, bad_names)
{
	static const char *const bad[] = { "Upper", "under_score", "-lead", "trail.", "trail-", "sp ace", "ünï" };
	const char *head = "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: ";
	char name[300];
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect_only_error(fmt(buf, "%s\"%s\"\nspec: {}\n", head, bad[i]), 4, 9, "invalid policy name");
	expect_only_error(fmt(buf, "%sUpper\nspec: {}\n", head), 4, 9,
			  "invalid policy name \"Upper\": use lower-case letters, digits, \"-\" and \".\", starting and ending with a letter or digit");
	memset(name, 'a', 254);
	name[254] = '\0';
	expect_only_error(fmt(buf, "%s%s\nspec: {}\n", head, name), 4, 9,
			  "policy name is too long: 254 characters (at most 253)");
}

/* --- unknown, duplicate and misplaced keys ----------------------------------- */

Test(policy_errors, unknown_keys_at_every_level)
{
	expect_only_error(HEAD4 "spec: {}\nstatus: {}\n", 6, 1,
			  "unknown key \"status\" at the top level; expected one of: apiVersion, kind, metadata, spec");
	expect_only_error("apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: a\n  uid: x\nspec: {}\n",
			  5, 3, "unknown key \"uid\" in metadata; expected one of: name, namespace, labels, annotations");
	expect_only_error(HEAD "  foo: 1\n", 6, 3,
			  "unknown key \"foo\" in spec; expected one of: tracepoints, kprobes, lsmhooks, uprobes, lists, options");
	expect_only_error(HEAD "  options:\n  - name: policy-mode\n    value: audit\n    foo: 1\n", 9, 5,
			  "unknown key \"foo\" in option; expected one of: name, value");
	expect_only_error(TP "    foo: 1\n", 9, 5,
			  "unknown key \"foo\" in tracepoint; expected one of: subsystem, event, args, selectors, message, tags, raw");
	expect_only_error(TP "    args:\n    - index: 0\n      type: int\n      foo: 1\n", 12, 7,
			  "unknown key \"foo\" in argument; expected one of: index, type, sizeArgIndex, returnCopy, label, maxData");
	expect_only_error(SEL "foo: 1\n", 10, 7,
			  "unknown key \"foo\" in selector; expected one of: matchPIDs, matchNamespaces, matchBinaries, matchArgs, "
			  "matchActions, matchReturnArgs");
	expect_only_error(SEL "matchPIDs:\n      - operator: In\n        values: [1]\n        foo: 1\n", 13, 9,
			  "unknown key \"foo\" in matchPIDs; expected one of: operator, values, followForks, isNamespacePID");
	expect_only_error(SEL "matchNamespaces:\n      - namespace: Pid\n        operator: In\n        values: [1]\n"
			      "        foo: 1\n",
			  14, 9, "unknown key \"foo\" in matchNamespaces; expected one of: namespace, operator, values");
	expect_only_error(SEL "matchBinaries:\n      - operator: In\n        values: [/a]\n        foo: 1\n", 13, 9,
			  "unknown key \"foo\" in matchBinaries; expected one of: operator, values, followChildren");
	expect_only_error(SEL "matchArgs:\n      - index: 0\n        operator: Equal\n        values: [1]\n        foo: 1\n",
			  14, 9, "unknown key \"foo\" in matchArgs; expected one of: index, operator, values");
	expect_only_error(SEL "matchActions:\n      - action: Post\n        foo: 1\n", 12, 9,
			  "unknown key \"foo\" in matchActions; expected one of: action, argSig, argError");
}

Test(policy_errors, every_unknown_key_is_reported)
{
	struct diag_list d = { 0 };
	const char *yaml = TP "    foo: 1\n    bar: 2\n    baz: 3\n";

	cr_assert_null(policy_parse(yaml, strlen(yaml), "t.yaml", &d));
	cr_assert_eq(d.n, 3, "got:\n%s", dump(&d));
	cr_assert(has_error(&d, 9, 5, "unknown key \"foo\""));
	cr_assert(has_error(&d, 10, 5, "unknown key \"bar\""));
	cr_assert(has_error(&d, 11, 5, "unknown key \"baz\""));
	diag_list_free(&d);
}

Test(policy_errors, typo_suggests_and_is_not_also_missing)
{
	expect_only_error(HEAD "  tracepoints:\n  - subsystem: syscalls\n    evnt: x\n", 8, 5,
			  "unknown key \"evnt\" in tracepoint; did you mean \"event\"?");
	expect_only_error(HEAD "  tracepoint: []\n", 6, 3, "unknown key \"tracepoint\" in spec; did you mean \"tracepoints\"?");
	expect_only_error(SEL "matchpids: []\n", 10, 7, "did you mean \"matchPIDs\"?");
	/* a suggestion can be a key that is not supported yet */
	expect_only_error(HEAD "  kprobe: []\n", 6, 3, "did you mean \"kprobes\"?");
}

Test(policy_errors, duplicate_keys)
{
	expect_only_error(HEAD4 "kind: TracingPolicy\nspec: {}\n", 5, 1,
			  "duplicate key \"kind\" at the top level (first given at line 2, column 1)");
	expect_only_error(TP "    event: again\n", 9, 5,
			  "duplicate key \"event\" in tracepoint (first given at line 8, column 5)");
	expect_only_error(SEL "matchActions: []\n      matchActions: []\n", 11, 7,
			  "duplicate key \"matchActions\" in selector (first given at line 10, column 7)");
}

Test(policy_errors, wrong_node_types)
{
	expect_only_error(HEAD4 "spec: [1]\n", 5, 7, "expected a mapping for \"spec\", found a list");
	expect_only_error(HEAD4 "spec: text\n", 5, 7, "expected a mapping for \"spec\", found \"text\"");
	expect_only_error(HEAD "  tracepoints: {a: 1}\n", 6, 16, "expected a list for \"tracepoints\", found a mapping");
	expect_only_error(HEAD "  tracepoints:\n  - foo\n", 7, 5, "expected a mapping for each tracepoint, found \"foo\"");
	expect_only_error(HEAD "  options: {name: policy-mode}\n", 6, 12, "expected a list for \"options\", found a mapping");
	expect_only_error(HEAD "  options: [policy-mode]\n", 6, 13, "expected a mapping for each option, found \"policy-mode\"");
	expect_only_error(TP "    args: 5\n", 9, 11, "expected a list for \"args\", found \"5\"");
	expect_only_error(TP "    args: [[]]\n", 9, 12, "expected a mapping for each argument, found a list");
	expect_only_error(TP "    selectors: [x]\n", 9, 17, "expected a mapping for each selector, found \"x\"");
	expect_only_error(TP "    message: {a: b}\n", 9, 14, "expected a string for \"message\", found a mapping");
	expect_only_error(HEAD "  tracepoints:\n  - subsystem: [a]\n    event: x\n", 7, 16,
			  "expected a string for \"subsystem\", found a list");
	expect_only_error(SEL "matchPIDs: {operator: In}\n", 10, 18, "expected a list for \"matchPIDs\", found a mapping");
	expect_only_error(SEL "matchArgs:\n      - index: 0\n        operator: Equal\n        values: foo\n", 13, 17,
			  "expected a list for \"values\", found \"foo\"");
	expect_only_error(SEL "matchArgs:\n      - index: 0\n        operator: Equal\n        values: [{a: 1}]\n", 13, 18,
			  "expected a single value in \"values\", found a mapping");
	expect_only_error(SEL "matchActions:\n      - action: [Post]\n", 11, 17,
			  "expected a string for \"action\", found a list");
	expect_only_error(HEAD "  ? [a]\n  : b\n", 6, 5, "expected a plain string as key in spec, found a list");
}

/* --- integers and booleans ------------------------------------------------------ */

Test(policy_errors, bad_integers)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "abc", "expected an integer for \"index\", found \"abc\"" },
		{ "1.5", "expected an integer for \"index\", found \"1.5\"" },
		{ "0x", "expected an integer for \"index\", found \"0x\"" },
		{ "1_000", "expected an integer for \"index\", found \"1_000\"" },
		{ "-0x1", "expected an integer for \"index\", found \"-0x1\"" },
		{ "-1", "\"index\" must not be negative, found -1" },
		{ "4294967296", "\"index\" is too large, found 4294967296 (at most 4294967295)" },
		{ "99999999999999999999999", "\"index\" is too large, found 99999999999999999999999" },
		{ "-99999999999999999999999", "\"index\" must not be negative, found -99999999999999999999999" },
		{ "\"1\"", "expected an integer for \"index\", found the string \"1\" (remove the quotes)" },
		{ "'1'", "expected an integer for \"index\", found the string \"1\"" },
		{ "010", "found \"010\" (leading zeros are ambiguous: YAML 1.1 reads them as octal)" },
		{ "[1]", "expected an integer for \"index\", found a list" },
		{ "true", "expected an integer for \"index\", found \"true\"" },
	};
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect_only_error(fmt(buf, TP "    args:\n    - index: %s\n      type: int\n", bad[i].text), 10, 14,
				  bad[i].msg);
	expect_only_error(TP "    args:\n    - index:\n      type: int\n", 10, 7, "missing value for \"index\"");
	expect_only_error(TP "    args:\n    - index: 1\n      type: char_buf\n      sizeArgIndex: -2\n", 12, 21,
			  "\"sizeArgIndex\" must not be negative, found -2");
	expect_only_error(SEL "matchArgs:\n      - index: x\n        operator: Equal\n        values: [1]\n", 11, 16,
			  "expected an integer for \"index\", found \"x\"");
}

Test(policy_errors, bad_booleans)
{
	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{ "yes", "expected true or false for \"followForks\", found \"yes\" (YAML 1.2 booleans are true and false only)" },
		{ "off", "found \"off\" (YAML 1.2 booleans are true and false only)" },
		{ "\"true\"", "found \"true\" (a quoted string is not a boolean; remove the quotes)" },
		{ "1", "expected true or false for \"followForks\", found \"1\"" },
		{ "tRuE", "expected true or false for \"followForks\", found \"tRuE\"" },
		{ "{}", "expected true or false for \"followForks\", found a mapping" },
	};
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect_only_error(fmt(buf,
				      SEL "matchPIDs:\n      - operator: In\n        values: [1]\n        followForks: %s\n",
				      bad[i].text),
				  13, 22, bad[i].msg);
	expect_only_error(TP "    raw: no\n", 9, 10, "expected true or false for \"raw\", found \"no\"");
}

/* --- enums ----------------------------------------------------------------------- */

Test(policy_errors, unknown_enum_values)
{
	expect_only_error(SEL "matchArgs:\n      - index: 0\n        operator: Foo\n        values: [1]\n", 12, 19,
			  "unknown matchArgs operator \"Foo\"; expected one of: Equal, NotEqual, Prefix, NotPrefix, "
			  "Postfix, NotPostfix, GT, GreaterThan, LT, LessThan, Mask, SPort, NotSPort, SPortPriv, "
			  "NotSPortPriv, NotSportPriv, DPort, NotDPort, DPortPriv, NotDPortPriv, SAddr, NotSAddr, DAddr, "
			  "NotDAddr, Protocol, Family, State, InMap, NotInMap, InRange, NotInRange, SubString, "
			  "SubStringIgnCase, FileType, NotFileType, CapabilitiesGained");
	expect_only_error(SEL "matchArgs:\n      - index: 0\n        operator: equal\n        values: [1]\n", 12, 19,
			  "unknown matchArgs operator \"equal\"; did you mean \"Equal\"?");
	expect_only_error(SEL "matchPIDs:\n      - operator: Equal\n        values: [1]\n", 11, 19,
			  "matchPIDs operator must be In or NotIn, not \"Equal\"");
	expect_only_error(SEL "matchNamespaces:\n      - namespace: Pid\n        operator: in\n        values: [1]\n", 12,
			  19, "matchNamespaces operator must be In or NotIn, not \"in\"");
	expect_only_error(SEL "matchBinaries:\n      - operator: Contains\n        values: [/a]\n", 11, 19,
			  "unknown matchBinaries operator \"Contains\"; expected one of: In, NotIn, Prefix, NotPrefix, "
			  "Postfix, NotPostfix");
	expect_only_error(SEL "matchNamespaces:\n      - namespace: Foo\n        operator: In\n        values: [1]\n", 11,
			  20, "unknown namespace \"Foo\"; expected one of: Uts, Ipc, Mnt, Pid, PidForChildren, Net, Time, "
			      "TimeForChildren, Cgroup, User");
	expect_only_error(SEL "matchNamespaces:\n      - namespace: pid\n        operator: In\n        values: [1]\n", 11,
			  20, "unknown namespace \"pid\"; did you mean \"Pid\"?");
	expect_only_error(SEL "matchActions:\n      - action: Kill\n", 11, 17,
			  "unknown action \"Kill\"; expected one of: Post, NoPost, Sigkill, Signal, Override");
	expect_only_error(SEL "matchActions:\n      - action: Sigkil\n", 11, 17,
			  "unknown action \"Sigkil\"; did you mean \"Sigkill\"?");
	expect_only_error(TP "    args:\n    - index: 0\n      type: foo\n", 11, 13,
			  "unknown argument type \"foo\"; expected one of: auto, int, uint32, int32, int64, uint64, "
			  "size_t, string, char_buf, fd, file, path, filename, linux_binprm, sock, sockaddr, skb, cred, "
			  "cap_inheritable, cap_permitted, cap_effective, kernel_cap_t, exec_args, syscall64, sint32, long, sint64, ulong");
	expect_only_error(TP "    args:\n    - index: 0\n      type: Int\n", 11, 13,
			  "unknown argument type \"Int\"; did you mean \"int\"?");
}

/* --- missing keys and empty values ------------------------------------------------- */

Test(policy_errors, missing_required_keys)
{
	expect_only_error(HEAD "  tracepoints:\n  - subsystem: syscalls\n", 7, 5,
			  "missing required key \"event\" in tracepoint");
	expect_only_error(HEAD "  tracepoints:\n  - event: sys_enter_openat\n", 7, 5,
			  "missing required key \"subsystem\" in tracepoint");
	cr_assert_eq(expect_error(HEAD "  tracepoints:\n  - {}\n", 7, 5, "missing required key \"subsystem\" in tracepoint"),
		     2);
	expect_error(HEAD "  tracepoints:\n  - {}\n", 7, 5, "missing required key \"event\" in tracepoint");
	expect_only_error(TP "    args:\n    - type: int\n", 10, 7, "missing required key \"index\" in argument");
	expect_only_error(SEL "matchPIDs:\n      - operator: In\n", 11, 9, "missing required key \"values\" in matchPIDs");
	expect_only_error(SEL "matchPIDs:\n      - values: [1]\n", 11, 9, "missing required key \"operator\" in matchPIDs");
	expect_only_error(SEL "matchNamespaces:\n      - operator: In\n        values: [host_ns]\n", 11, 9,
			  "missing required key \"namespace\" in matchNamespaces");
	expect_only_error(SEL "matchBinaries:\n      - values: [/a]\n", 11, 9,
			  "missing required key \"operator\" in matchBinaries");
	expect_only_error(SEL "matchArgs:\n      - operator: Equal\n        values: [1]\n", 11, 9,
			  "missing required key \"index\" in matchArgs");
	expect_only_error(SEL "matchActions:\n      - argSig: 9\n", 11, 9, "missing required key \"action\" in matchActions");
	expect_only_error(HEAD "  options:\n  - value: audit\n", 7, 5, "missing required key \"name\" in option");
	expect_only_error(TP "    selectors:\n    - matchActions:\n      - action:\n", 11, 9, "missing value for \"action\"");
	expect_only_error(HEAD "  tracepoints:\n  - subsystem: syscalls\n    event: \"\"\n", 8, 12,
			  "empty value for \"event\"");
}

Test(policy_errors, empty_values)
{
	const char *m = SEL "matchArgs:\n      - index: 0\n        operator: Equal\n"; /* lines 1-12 */
	char buf[4096];

	expect_only_error(fmt(buf, "%s        values: []\n", m), 13, 17,
			  "empty list for \"values\"; give at least one value");
	expect_only_error(fmt(buf, "%s        values:\n", m), 13, 9, "empty list for \"values\"");
	expect_only_error(fmt(buf, "%s        values: [a, ~]\n", m), 13, 21,
			  "empty item in \"values\"; write \"\" for an empty string");
	expect_only_error(fmt(buf, "%s        values:\n        -\n", m), 14, 10, "empty item in \"values\"");
	/* a quoted empty string is a value */
	policy_free(parse_ok(fmt(buf, "%s        values: [\"\"]\n", m)));
}

/* --- selector semantics --------------------------------------------------------------- */

Test(policy_errors, signal_and_override_arguments)
{
	expect_only_error(SEL "matchActions:\n      - action: Signal\n", 11, 9,
			  "action Signal requires \"argSig\", the signal to send (1 to 64)");
	expect_only_error(SEL "matchActions:\n      - action: signal\n", 11, 9, "action Signal requires \"argSig\"");
	expect_only_error(SEL "matchActions:\n      - action: Signal\n        argSig: 0\n", 12, 17,
			  "\"argSig\" must be between 1 and 64, found 0");
	expect_only_error(SEL "matchActions:\n      - action: Signal\n        argSig: 65\n", 12, 17,
			  "\"argSig\" must be between 1 and 64, found 65");
	expect_only_error(SEL "matchActions:\n      - action: Signal\n        argSig:\n", 12, 9,
			  "missing value for \"argSig\"");
	expect_only_error(SEL "matchActions:\n      - action: Override\n", 11, 9,
			  "action Override requires \"argError\", the value to return");
	expect_only_error(SEL "matchActions:\n      - action: Override\n        argError: 2147483648\n", 12, 19,
			  "\"argError\" must be between -2147483648 and 2147483647, found 2147483648");
	/* A bad action name does not also complain about its arguments. */
	expect_only_error(SEL "matchActions:\n      - action: Sgnal\n", 11, 17, "unknown action \"Sgnal\"");
}

Test(policy_errors, binary_paths)
{
	expect_only_error(SEL "matchBinaries:\n      - operator: In\n        values: [/bin/sh, bash]\n", 12, 27,
			  "matchBinaries value must be an absolute path (starting with \"/\"), not \"bash\"");
	expect_only_error(SEL "matchBinaries:\n      - operator: NotIn\n        values: [\"\"]\n", 12, 18,
			  "matchBinaries value must be an absolute path (starting with \"/\"), not \"\"");
	/* Prefix and Postfix take path fragments */
	policy_free(parse_ok(SEL "matchBinaries:\n      - operator: Postfix\n        values: [bash]\n"));
	policy_free(parse_ok(SEL "matchParentBinaries:\n      - operator: NotPrefix\n        values: [usr/]\n"));
	expect_only_error(SEL "matchParentBinaries:\n      - operator: In\n        values: [sshd]\n", 12, 18,
			  "matchParentBinaries value must be an absolute path (starting with \"/\"), not \"sshd\"");
}

Test(policy_errors, pid_values)
{
	struct diag_list d = { 0 };
	const char *yaml = SEL "matchPIDs:\n      - operator: In\n        values: [1, x1, \"2\", -3, 4294967296, 4294967295]\n";

	cr_assert_null(policy_parse(yaml, strlen(yaml), "t.yaml", &d));
	cr_assert_eq(d.n, 3, "got:\n%s", dump(&d));
	cr_assert(has_error(&d, 12, 21, "matchPIDs value must be a process id (0 to 4294967295), not \"x1\""));
	cr_assert(has_error(&d, 12, 30, "not \"-3\""));
	cr_assert(has_error(&d, 12, 34, "not \"4294967296\""));
	diag_list_free(&d);
}

Test(policy_errors, namespace_values)
{
	struct diag_list d = { 0 };
	const char *yaml = SEL "matchNamespaces:\n      - namespace: Pid\n        operator: In\n"
			       "        values: [host_ns, abc, -1, 4294967296, 4294967295, HOST_NS]\n";

	cr_assert_null(policy_parse(yaml, strlen(yaml), "t.yaml", &d));
	cr_assert_eq(d.n, 4, "got:\n%s", dump(&d));
	cr_assert(has_error(&d, 13, 27,
			    "matchNamespaces value must be a namespace inode number or host_ns, not \"abc\""));
	cr_assert(has_error(&d, 13, 32, "not \"-1\""));
	cr_assert(has_error(&d, 13, 36, "not \"4294967296\""));
	cr_assert(has_error(&d, 13, 60, "not \"HOST_NS\""));
	diag_list_free(&d);
}

Test(policy_errors, tracepoint_names_and_tags)
{
	expect_only_error(HEAD "  tracepoints:\n  - subsystem: ../../x\n    event: y\n", 7, 16,
			  "invalid tracepoint subsystem \"../../x\": use letters, digits, \"_\" and \"-\"");
	expect_only_error(HEAD "  tracepoints:\n  - subsystem: syscalls\n    event: a/b\n", 8, 12,
			  "invalid tracepoint event \"a/b\"");
	expect_only_error(TP "    tags: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q]\n", 9, 11,
			  "too many tags: 17 (at most 16)");
	expect_only_error(TP "    tags: [a, [b]]\n", 9, 15, "expected a single value in \"tags\", found a list");
	expect_only_error(TP "    tags: [a, \"\"]\n", 9, 15, "empty tag in \"tags\"");
	cr_assert_eq(expect_error(TP "    tags: [a, ~]\n", 9, 15, "empty item in \"tags\""), 1);
}

/* --- options --------------------------------------------------------------------------- */

Test(policy_errors, options)
{
	expect_only_error(HEAD "  options:\n  - name: policy-mode\n    value: block\n", 8, 12,
			  "unknown policy-mode \"block\"; expected one of: enforce, audit, monitor");
	expect_only_error(HEAD "  options:\n  - name: policy-mode\n", 7, 5,
			  "missing required key \"value\" in option \"policy-mode\"");
	expect_only_error(HEAD "  options:\n  - name: policy-mode\n    value: audit\n  - name: policy-mode\n    value: enforce\n",
			  9, 11, "option \"policy-mode\" given twice (first at line 7, column 11)");
	expect_only_error(HEAD "  options:\n  - name: foo\n    value: 1\n", 7, 11,
			  "unknown option \"foo\"; expected one of: policy-mode, cgroup-paths, container-ids");
	expect_only_error(HEAD "  options:\n  - name: policy_mode\n    value: audit\n", 7, 11,
			  "unknown option \"policy_mode\"; did you mean \"policy-mode\"?");
}

/* --- not supported yet ------------------------------------------------------------------ */

Test(policy_not_supported, spec_keys)
{
	static const char *const keys[] = { "usdts",	     "fentries",	  "enforcers",	 "podSelector",
					    "containerSelector", "hostSelector", "nodeSelector", "loader" };
	char buf[4096], msg[128];

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		expect_only_error(fmt(buf, HEAD "  %s: []\n", keys[i]), 6, 3,
				  fmt(msg, "not supported yet: spec.%s", keys[i]));
}

Test(policy_not_supported, options)
{
	static const char *const names[] = { "disable-kprobe-multi", "disable-uprobe-multi", "uprobe-heap-size" };
	char buf[4096], msg[128];

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		expect_only_error(fmt(buf, HEAD "  options:\n  - name: %s\n    value: \"1\"\n", names[i]), 7, 11,
				  fmt(msg, "not supported yet: option \"%s\"", names[i]));
}

Test(policy_not_supported, tracepoint_and_argument_fields)
{
	expect_only_error(TP "    args:\n    - index: 0\n      type: char_buf\n      maxData: true\n", 12, 16,
			  "not supported yet: maxData");
	policy_free(parse_ok(TP "    args:\n    - index: 0\n      type: char_buf\n      maxData: false\n"));
	expect_only_error(TP "    args:\n    - index: 0\n      type: int\n      resolve: \"f_path\"\n", 12, 16,
			  "not supported yet: resolve on tracepoint arguments");
}

Test(policy_not_supported, argument_types)
{
	static const char *const types[] = {
		"char_iovec", "socket",	"nop",	     "bpf_attr", "perf_event", "bpf_map",
		"user_namespace", "capability", "kiocb", "iov_iter", "load_info", "module",	"data_loc",
		"net_device", "bpf_cmd",    "dentry",	     "bpf_prog", "int8",	"sint8",
		"uint8",      "int16",	    "sint16",	"uint16",    "const_buf",
	};
	char buf[4096], msg[128];

	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		expect_only_error(fmt(buf, TP "    args:\n    - index: 0\n      type: %s\n", types[i]), 11, 13,
				  fmt(msg, "not supported yet: argument type \"%s\"", types[i]));
}

Test(policy_not_supported, selector_keys)
{
	static const char *const keys[] = { "matchReturnActions" };
	char buf[4096], msg[128];

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		expect_only_error(fmt(buf, SEL "%s: []\n", keys[i]), 10, 7, fmt(msg, "not supported yet: %s", keys[i]));
}

Test(policy_selectors, binary_operators_and_follow_children)
{
	static const char *const ops[] = { "Prefix", "NotPrefix", "Postfix", "NotPostfix" };
	char buf[4096], msg[128];
	struct policy *p;

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		p = parse_ok(fmt(buf, SEL "matchBinaries:\n      - operator: %s\n        values: [sh]\n", ops[i]));
		cr_assert_eq(p->hooks[0].selectors[0].binaries[0].values.n, 1);
		policy_free(p);
		expect_only_error(fmt(buf, SEL "matchBinaries:\n      - operator: %s\n        values: [sh]\n"
					  "        followChildren: true\n", ops[i]),
				  13, 25, fmt(msg, "followChildren works with In and NotIn, not %s (as in Tetragon)", ops[i]));
	}
	p = parse_ok(SEL "matchBinaries:\n      - operator: In\n        values: [/bin/sh]\n        followChildren: true\n");
	cr_assert(p->hooks[0].selectors[0].binaries[0].follow_children);
	policy_free(p);
	p = parse_ok(SEL "matchBinaries:\n      - operator: In\n        values: [/bin/sh]\n        followChildren: false\n");
	cr_assert_not(p->hooks[0].selectors[0].binaries[0].follow_children);
	policy_free(p);
	expect_only_error(SEL "matchParentBinaries:\n      - operator: In\n        values: [/bin/sh]\n"
			  "        followChildren: true\n",
			  13, 25, "not supported yet: followChildren in matchParentBinaries");
}

Test(policy_not_supported, actions_and_action_keys)
{
	static const char *const acts[] = { "FollowFD",	  "UnfollowFD",	 "CopyFD",	   "GetUrl",
					    "DnsLookup",  "TrackSock",	 "UntrackSock",	   "NotifyEnforcer",
					    "Set",	  "CleanupEnforcerNotification", "followfd" };
	static const char *const keys[] = { "argFd", "argName", "argUrl", "argFqdn", "argSock" };
	char buf[4096], msg[128];

	for (size_t i = 0; i < ARRAY_SIZE(acts) - 1; i++)
		expect_only_error(fmt(buf, SEL "matchActions:\n      - action: %s\n", acts[i]), 11, 17,
				  fmt(msg, "not supported yet: action \"%s\"", acts[i]));
	/* Lower-case spellings are Tetragon's too; the message uses the canonical one. */
	expect_only_error(SEL "matchActions:\n      - action: followfd\n", 11, 17, "not supported yet: action \"FollowFD\"");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		expect_only_error(fmt(buf, SEL "matchActions:\n      - action: Post\n        %s: 1\n", keys[i]), 12, 9,
				  fmt(msg, "not supported yet: %s", keys[i]));
	/* false is what rtenf does */
	expect_only_error(SEL "matchActions:\n      - action: Post\n        imaHash: true\n", 12, 18,
			  "not supported: imaHash: rtenf events carry no IMA hash; set it to false or remove it");
	policy_free(parse_ok(SEL "matchActions:\n      - action: Post\n        imaHash: false\n"));
}

/* kernelStackTrace / userStackTrace: on Post, the event carries the stack;
 * on an action that makes no event, a mistake reported at the key. */
Test(policy_selectors, stack_trace_flags)
{
	static const char *const flags[] = { "kernelStackTrace", "userStackTrace" };
	static const char *const others[] = { "NoPost", "Sigkill", "Signal\n        argSig: 10", "Override\n        argError: -1" };
	static const char *const other_names[] = { "NoPost", "Sigkill", "Signal", "Override" };
	struct policy *p;
	char buf[4096], msg[256];

	p = parse_ok(SEL "matchActions:\n      - action: Post\n        kernelStackTrace: true\n        userStackTrace: true\n");
	cr_assert(p->hooks[0].selectors[0].actions[0].kernel_stack);
	cr_assert(p->hooks[0].selectors[0].actions[0].user_stack);
	policy_free(p);
	p = parse_ok(SEL "matchActions:\n      - action: Post\n        kernelStackTrace: false\n        userStackTrace: false\n");
	cr_assert(!p->hooks[0].selectors[0].actions[0].kernel_stack);
	cr_assert(!p->hooks[0].selectors[0].actions[0].user_stack);
	policy_free(p);
	for (size_t f = 0; f < ARRAY_SIZE(flags); f++) {
		unsigned line = 12;

		for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
			line = strchr(others[i], '\n') ? 13 : 12;
			expect_only_error(fmt(buf, SEL "matchActions:\n      - action: %s\n        %s: true\n", others[i], flags[f]),
					  line, 9,
					  fmt(msg, "%s applies to the Post action only, not %s: only Post makes an event to carry the stack",
					      flags[f], other_names[i]));
			/* false says nothing */
			policy_free(parse_ok(fmt(buf, SEL "matchActions:\n      - action: %s\n        %s: false\n", others[i], flags[f])));
		}
		/* not a boolean */
		expect_only_error(fmt(buf, SEL "matchActions:\n      - action: Post\n        %s: yes please\n", flags[f]), 12,
				  9 + (unsigned)strlen(flags[f]) + 2, "");
	}
}



Test(policy_selectors, rate_limits)
{
	static const struct {
		const char *text;
		unsigned ms;
	} ok[] = {
		{"30", 30000}, {"30s", 30000}, {"5m", 300000}, {"2H", 7200000}, {"0", 0}, {"4294967295", UINT32_MAX},
		{"1000000h", UINT32_MAX},
	};
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++) {
		struct policy *p = parse_ok(fmt(buf, SEL "matchActions:\n      - action: Post\n        rateLimit: %s\n",
						ok[i].text));
		const struct policy_action *a = &p->hooks[0].selectors[0].actions[0];

		cr_assert(a->has_rate_limit);
		cr_assert_eq(a->rate_limit_ms, ok[i].ms, "%s: %u ms", ok[i].text, a->rate_limit_ms);
		cr_assert_eq(a->rate_limit_scope, PRATE_THREAD, "thread is the default");
		policy_free(p);
	}
	{
		struct policy *p = parse_ok(SEL "matchActions:\n      - action: post\n        rateLimit: 1m\n"
					    "        rateLimitScope: process\n");

		cr_assert_eq(p->hooks[0].selectors[0].actions[0].rate_limit_scope, PRATE_PROCESS);
		policy_free(p);
	}
}

Test(policy_selectors, rate_limit_mistakes)
{
	static const char *const bad[] = {"5x", "m", "-1", "1.5m", "4294967296", "5 m", "\"\""};
	char buf[4096], msg[256];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect_only_error(fmt(buf, SEL "matchActions:\n      - action: Post\n        rateLimit: %s\n", bad[i]), 12,
				  20, i == ARRAY_SIZE(bad) - 1 ? "rateLimit"
							       : fmt(msg, "rateLimit \"%s\" is not a time: write seconds, or a "
									  "number with s, m or h (e.g. 30s, 5m, 1h)", bad[i]));
	expect_only_error(SEL "matchActions:\n      - action: Sigkill\n        rateLimit: 5m\n", 12, 9,
			  "rateLimit applies to the Post action only, not Sigkill");
	expect_only_error(SEL "matchActions:\n      - action: Post\n        rateLimitScope: global\n", 12, 9,
			  "rateLimitScope needs rateLimit, the time to wait between events");
	expect_only_error(SEL "matchActions:\n      - action: Post\n        rateLimit: 5m\n        rateLimitScope: pod\n",
			  13, 25, "unknown rateLimitScope \"pod\"; expected one of: thread, process, global");
}

/* --- reporting -------------------------------------------------------------------------- */

Test(policy_errors, sorted_by_location)
{
	struct diag_list d = { 0 };
	/* "foo" is seen first, but the missing key belongs to the mapping
	 * that starts a line earlier. */
	const char *yaml = HEAD "  tracepoints:\n  - subsystem: syscalls\n    foo: 1\n";

	cr_assert_null(policy_parse(yaml, strlen(yaml), "t.yaml", &d));
	cr_assert_eq(d.n, 2, "got:\n%s", dump(&d));
	assert_loc(d.v[0].loc, 7, 5);
	cr_assert(strstr(d.v[0].msg, "missing required key \"event\""));
	assert_loc(d.v[1].loc, 8, 5);
	cr_assert(strstr(d.v[1].msg, "unknown key \"foo\""));
	diag_list_free(&d);
}

Test(policy_errors, error_count_is_capped)
{
	struct strbuf sb = { 0 };
	struct diag_list d = { 0 };

	sb_puts(&sb, HEAD);
	for (int i = 0; i < 60; i++)
		sb_printf(&sb, "  unknown%d: 1\n", i);
	cr_assert_null(policy_parse(sb.buf, sb.len, "t.yaml", &d));
	cr_assert_eq(d.n, 41, "got %zu", d.n);
	assert_loc(d.v[39].loc, 45, 3);
	cr_assert_str_eq(d.v[40].msg, "too many errors; 20 more not shown");
	cr_assert_eq(d.v[40].loc.line, 0);
	diag_list_free(&d);
	sb_free(&sb);
}

Test(policy_errors, user_text_is_escaped)
{
	/* A key holding ESC [ 3 1 m and a C1 CSI must not reach a terminal raw. */
	expect_only_error(HEAD "  \"\\e[31mred\\u009b\": 1\n", 6, 3, "unknown key \"\\x1B[31mred\\u009B\" in spec");
	expect_only_error(HEAD "  \"a\\nb\": 1\n", 6, 3, "unknown key \"a\\nb\" in spec");
}

Test(policy_errors, long_values_are_cut_in_messages)
{
	struct strbuf sb = { 0 };
	struct diag_list d = { 0 };

	sb_puts(&sb, HEAD "  ");
	for (int i = 0; i < 500; i++)
		sb_putc(&sb, 'k');
	sb_puts(&sb, ": 1\n");
	cr_assert_null(policy_parse(sb.buf, sb.len, "t.yaml", &d));
	cr_assert_eq(d.n, 1);
	cr_assert(strstr(d.v[0].msg, "kkk...\" in spec"), "%s", d.v[0].msg);
	cr_assert_lt(strlen(d.v[0].msg), 200);
	diag_list_free(&d);
	sb_free(&sb);
}

/* Tetragon reads an argument without a type as "auto": so do we. */
Test(policy_parse, argument_without_type_is_auto)
{
	static const char doc[] = "apiVersion: cilium.io/v1alpha1\nkind: TracingPolicy\nmetadata:\n  name: t\nspec:\n"
				  "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n"
				  "    args:\n    - index: 6\n";
	struct diag_list diags = {0};
	struct policy *p = policy_parse(doc, sizeof(doc) - 1, "t.yaml", &diags);

	cr_assert_not_null(p);
	cr_assert_eq(diags.n, 0);
	cr_assert_eq(p->hooks[0].n_args, 1);
	cr_expect_eq(p->hooks[0].args[0].type, PARG_AUTO);
	policy_free(p);
	diag_list_free(&diags);
}

/* --- kprobes, LSM hooks, uprobes, lists -------------------------------------------- */

/* Lines 1-7: one kprobe; its further keys start on line 8, column 5. */
#define KP HEAD "  kprobes:\n" /* 6 */ "  - call: sys_openat\n" /* 7 */

/* Lines 1-7: one LSM hook; its further keys start on line 8, column 5. */
#define LSM HEAD "  lsmhooks:\n" /* 6 */ "  - hook: file_open\n" /* 7 */

/* Lines 1-8: one uprobe; its further keys start on line 9, column 5. */
#define UP HEAD "  uprobes:\n" /* 6 */ "  - path: /bin/bash\n" /* 7 */ "    symbols: [readline]\n" /* 8 */

/* Tetragon's well-known kprobe examples, with the lists after the kprobes
 * that name them. */
static const char kprobe_policy[] =
	HEAD "  kprobes:\n"                             /* 6 */
	"  - call: \"security_file_open\"\n"            /* 7 */
	"    syscall: false\n"                          /* 8 */
	"    message: \"file opened\"\n"                /* 9 */
	"    tags: [fs]\n"                              /* 10 */
	"    args:\n"                                   /* 11 */
	"    - index: 0\n"                              /* 12 */
	"      type: \"file\"\n"                        /* 13 */
	"    selectors:\n"                              /* 14 */
	"    - matchArgs:\n"                            /* 15 */
	"      - index: 0\n"                            /* 16 */
	"        operator: \"Prefix\"\n"                /* 17 */
	"        values: [\"/etc/shadow\"]\n"           /* 18 */
	"      matchActions:\n"                         /* 19 */
	"      - action: Override\n"                    /* 20 */
	"        argError: -1\n"                        /* 21 */
	"  - call: \"sys_write\"\n"                     /* 22 */
	"    syscall: true\n"                           /* 23 */
	"    args:\n"                                   /* 24 */
	"    - index: 0\n"                              /* 25 */
	"      type: \"fd\"\n"                          /* 26 */
	"    - index: 1\n"                              /* 27 */
	"      type: \"char_buf\"\n"                    /* 28 */
	"      sizeArgIndex: 3\n"                       /* 29 */
	"    - index: 2\n"                              /* 30 */
	"      type: \"size_t\"\n"                      /* 31 */
	"  - call: \"tcp_connect\"\n"                   /* 32 */
	"    syscall: false\n"                          /* 33 */
	"    args:\n"                                   /* 34 */
	"    - index: 0\n"                              /* 35 */
	"      type: \"sock\"\n"                        /* 36 */
	"    selectors:\n"                              /* 37 */
	"    - matchArgs:\n"                            /* 38 */
	"      - index: 0\n"                            /* 39 */
	"        operator: \"DPort\"\n"                 /* 40 */
	"        values: [\"80\", \"443\"]\n"           /* 41 */
	"      - index: 0\n"                            /* 42 */
	"        operator: \"NotDAddr\"\n"              /* 43 */
	"        values: [\"127.0.0.1/8\", \"::1\"]\n"  /* 44 */
	"  - call: \"sys_openat\"\n"                    /* 45 */
	"    return: true\n"                            /* 46 */
	"    returnArg:\n"                              /* 47 */
	"      index: 0\n"                              /* 48 */
	"      type: int\n"                             /* 49 */
	"      label: fd\n"                             /* 50 */
	"    returnArgAction: Post\n"                   /* 51 */
	"    ignore:\n"                                 /* 52 */
	"      callNotFound: false\n"                   /* 53 */
	"    selectors:\n"                              /* 54 */
	"    - matchReturnArgs:\n"                      /* 55 */
	"      - index: 0\n"                            /* 56 */
	"        operator: \"LT\"\n"                    /* 57 */
	"        values: [0]\n"                         /* 58 */
	"      matchActions:\n"                         /* 59 */
	"      - action: Post\n"                        /* 60 */
	"  - call: \"list:dups\"\n"                     /* 61 */
	"    selectors:\n"                              /* 62 */
	"    - matchActions:\n"                         /* 63 */
	"      - action: Override\n"                    /* 64 */
	"        argError: 1\n"                         /* 65 */
	"  - call: list:traced\n"                       /* 66 */
	"  lists:\n"                                    /* 67 */
	"  - name: \"dups\"\n"                          /* 68 */
	"    type: \"syscalls\"\n"                      /* 69 */
	"    values:\n"                                 /* 70 */
	"    - \"sys_dup\"\n"                           /* 71 */
	"    - sys_dup2\n"                              /* 72 */
	"  - name: traced\n"                            /* 73 */
	"    type: generated_ftrace\n"                  /* 74 */
	"    pattern: \"^security_file_.*\"\n"          /* 75 */
	"    validated: false\n";                       /* 76 */

Test(policy_parse, kprobes_every_field)
{
	struct policy *p = parse_ok(kprobe_policy);
	struct policy_hook *h;
	struct policy_selector *s;

	cr_assert_eq(p->n_hooks, 6);
	cr_assert_eq(p->n_lists, 2);

	/* security_file_open: syscall: false, a file argument, Override */
	h = &p->hooks[0];
	cr_assert_eq(h->kind, POLICY_HOOK_KPROBE);
	assert_loc(h->loc, 7, 5);
	cr_assert_str_eq(h->call, "security_file_open");
	assert_loc(h->call_loc, 7, 11);
	cr_assert_not(h->syscall);
	cr_assert(h->syscall_set);
	cr_assert_not(h->ret);
	cr_assert_not(h->has_return_arg);
	cr_assert_null(h->subsystem);
	cr_assert_null(h->lsm_hook);
	cr_assert_null(h->path);
	cr_assert_str_eq(h->message, "file opened");
	cr_assert_eq(h->n_tags, 1);
	cr_assert_str_eq(h->tags[0], "fs");
	cr_assert_eq(h->n_args, 1);
	cr_assert_eq(h->args[0].index, 0);
	cr_assert_eq(h->args[0].type, PARG_FILE);
	assert_loc(h->args[0].loc, 12, 7);
	assert_loc(h->args[0].type_loc, 13, 13);
	cr_assert_eq(h->n_selectors, 1);
	s = &h->selectors[0];
	assert_loc(s->loc, 15, 7);
	cr_assert_eq(s->n_args, 1);
	cr_assert_eq(s->args[0].op, POP_PREFIX);
	cr_assert_str_eq(s->args[0].values.v[0].text, "/etc/shadow");
	cr_assert_eq(s->n_return_args, 0);
	cr_assert_eq(s->n_actions, 1);
	cr_assert_eq(s->actions[0].kind, PACT_OVERRIDE);
	cr_assert(s->actions[0].has_arg_error);
	cr_assert_eq(s->actions[0].arg_error, -1);
	assert_loc(s->actions[0].loc, 20, 9);

	/* sys_write: syscall: true said explicitly; fd, char_buf, size_t */
	h = &p->hooks[1];
	assert_loc(h->loc, 22, 5);
	cr_assert_str_eq(h->call, "sys_write");
	cr_assert(h->syscall);
	cr_assert(h->syscall_set);
	cr_assert_null(h->message);
	cr_assert_eq(h->n_selectors, 0);
	cr_assert_eq(h->n_args, 3);
	cr_assert_eq(h->args[0].type, PARG_FD);
	cr_assert_eq(h->args[1].index, 1);
	cr_assert_eq(h->args[1].type, PARG_CHAR_BUF);
	cr_assert(h->args[1].has_size_arg_index);
	cr_assert_eq(h->args[1].size_arg_index, 3);
	cr_assert_eq(h->args[2].index, 2);
	cr_assert_eq(h->args[2].type, PARG_SIZE_T);
	assert_loc(h->args[2].loc, 30, 7);

	/* tcp_connect: a sock argument and the network operators */
	h = &p->hooks[2];
	cr_assert_str_eq(h->call, "tcp_connect");
	cr_assert_not(h->syscall);
	cr_assert_eq(h->args[0].type, PARG_SOCK);
	assert_loc(h->args[0].type_loc, 36, 13);
	s = &h->selectors[0];
	cr_assert_eq(s->n_args, 2);
	cr_assert_eq(s->args[0].op, POP_DPORT);
	assert_loc(s->args[0].op_loc, 40, 19);
	cr_assert_eq(s->args[0].values.n, 2);
	cr_assert_str_eq(s->args[0].values.v[0].text, "80");
	cr_assert_str_eq(s->args[0].values.v[1].text, "443");
	assert_loc(s->args[0].values.v[1].loc, 41, 24);
	cr_assert_eq(s->args[1].op, POP_NOT_DADDR);
	assert_loc(s->args[1].loc, 42, 9);
	cr_assert_str_eq(s->args[1].values.v[0].text, "127.0.0.1/8");
	cr_assert_str_eq(s->args[1].values.v[1].text, "::1");

	/* sys_openat: return value, its type, matchReturnArgs */
	h = &p->hooks[3];
	assert_loc(h->loc, 45, 5);
	cr_assert(h->syscall);
	cr_assert_not(h->syscall_set);
	cr_assert(h->ret);
	cr_assert(h->has_return_arg);
	cr_assert_eq(h->return_arg.type, PARG_INT);
	assert_loc(h->return_arg.loc, 48, 7);
	assert_loc(h->return_arg.type_loc, 49, 13);
	cr_assert_str_eq(h->return_arg.label, "fd");
	cr_assert_eq(h->n_args, 0);
	s = &h->selectors[0];
	assert_loc(s->loc, 55, 7);
	cr_assert_eq(s->n_args, 0);
	cr_assert_eq(s->n_return_args, 1);
	cr_assert_eq(s->return_args[0].op, POP_LT);
	assert_loc(s->return_args[0].loc, 56, 9);
	assert_loc(s->return_args[0].index_loc, 56, 16);
	assert_loc(s->return_args[0].op_loc, 57, 19);
	cr_assert_eq(s->return_args[0].values.n, 1);
	assert_loc(s->return_args[0].values.loc, 58, 17);
	cr_assert_str_eq(s->return_args[0].values.v[0].text, "0");
	assert_loc(s->return_args[0].values.v[0].loc, 58, 18);
	cr_assert_eq(s->actions[0].kind, PACT_POST);

	/* list calls: syscall keeps its default, argError as written */
	h = &p->hooks[4];
	cr_assert_str_eq(h->call, "list:dups");
	assert_loc(h->call_loc, 61, 11);
	cr_assert(h->syscall);
	cr_assert_not(h->syscall_set);
	cr_assert_eq(h->selectors[0].actions[0].arg_error, 1);
	h = &p->hooks[5];
	cr_assert_str_eq(h->call, "list:traced");
	assert_loc(h->call_loc, 66, 11);
	cr_assert_eq(h->n_args + h->n_selectors + h->n_tags, 0);

	cr_assert_str_eq(p->lists[0].name, "dups");
	assert_loc(p->lists[0].loc, 68, 5);
	cr_assert_str_eq(p->lists[0].type, "syscalls");
	assert_loc(p->lists[0].type_loc, 69, 11);
	cr_assert_eq(p->lists[0].values.n, 2);
	assert_loc(p->lists[0].values.loc, 71, 5);
	cr_assert_str_eq(p->lists[0].values.v[0].text, "sys_dup");
	assert_loc(p->lists[0].values.v[0].loc, 71, 7);
	cr_assert_str_eq(p->lists[0].values.v[1].text, "sys_dup2");
	cr_assert_null(p->lists[0].pattern);
	cr_assert_str_eq(p->lists[1].name, "traced");
	cr_assert_str_eq(p->lists[1].type, "generated_ftrace");
	cr_assert_eq(p->lists[1].values.n, 0);
	cr_assert_str_eq(p->lists[1].pattern, "^security_file_.*");
	assert_loc(p->lists[1].pattern_loc, 75, 14);
	policy_free(p);
}

Test(policy_parse, lsmhooks_every_field)
{
	struct policy *p = parse_ok(HEAD "  lsmhooks:\n"               /* 6 */
				    "  - hook: \"file_open\"\n"            /* 7 */
				    "    message: \"lsm open\"\n"          /* 8 */
				    "    tags: [lsm, fs]\n"                /* 9 */
				    "    args:\n"                          /* 10 */
				    "    - index: 0\n"                     /* 11 */
				    "      type: \"file\"\n"               /* 12 */
				    "    selectors:\n"                     /* 13 */
				    "    - matchBinaries:\n"               /* 14 */
				    "      - operator: In\n"               /* 15 */
				    "        values: [\"/usr/bin/cat\"]\n" /* 16 */
				    "      matchArgs:\n"                   /* 17 */
				    "      - index: 0\n"                   /* 18 */
				    "        operator: Equal\n"            /* 19 */
				    "        values: [\"/etc/passwd\"]\n"  /* 20 */
				    "      matchActions:\n"                /* 21 */
				    "      - action: Override\n"           /* 22 */
				    "        argError: -13\n"              /* 23 */
				    "  - hook: bprm_check_security\n"      /* 24 */
				    "    args:\n"                          /* 25 */
				    "    - index: 0\n"                     /* 26 */
				    "      type: linux_binprm\n");         /* 27 */
	struct policy_hook *h = &p->hooks[0];
	struct policy_selector *s = &h->selectors[0];

	cr_assert_eq(p->n_hooks, 2);
	cr_assert_eq(h->kind, POLICY_HOOK_LSM);
	assert_loc(h->loc, 7, 5);
	cr_assert_str_eq(h->lsm_hook, "file_open");
	assert_loc(h->lsm_hook_loc, 7, 11);
	cr_assert_null(h->call);
	cr_assert_not(h->ret);
	cr_assert_str_eq(h->message, "lsm open");
	cr_assert_eq(h->n_tags, 2);
	cr_assert_str_eq(h->tags[1], "fs");
	cr_assert_eq(h->n_args, 1);
	cr_assert_eq(h->args[0].type, PARG_FILE);
	assert_loc(h->args[0].type_loc, 12, 13);
	cr_assert_eq(h->n_selectors, 1);
	assert_loc(s->loc, 14, 7);
	cr_assert_eq(s->binaries[0].op, POP_IN);
	cr_assert_str_eq(s->binaries[0].values.v[0].text, "/usr/bin/cat");
	cr_assert_eq(s->args[0].op, POP_EQUAL);
	cr_assert_str_eq(s->args[0].values.v[0].text, "/etc/passwd");
	cr_assert_eq(s->actions[0].kind, PACT_OVERRIDE);
	cr_assert_eq(s->actions[0].arg_error, -13);
	assert_loc(s->actions[0].loc, 22, 9);

	h = &p->hooks[1];
	assert_loc(h->loc, 24, 5);
	cr_assert_str_eq(h->lsm_hook, "bprm_check_security");
	assert_loc(h->lsm_hook_loc, 24, 11);
	cr_assert_null(h->message);
	cr_assert_eq(h->args[0].type, PARG_LINUX_BINPRM);
	cr_assert_eq(h->n_selectors, 0);
	policy_free(p);
}

Test(policy_parse, uprobes_every_field)
{
	struct policy *p = parse_ok(HEAD "  uprobes:\n"                /* 6 */
				    "  - path: \"/bin/bash\"\n"            /* 7 */
				    "    symbols:\n"                       /* 8 */
				    "    - \"readline\"\n"                 /* 9 */
				    "    - _ZN3foo3barEv\n"                /* 10 */
				    "    message: \"bash readline\"\n"     /* 11 */
				    "    tags: [shell]\n"                  /* 12 */
				    "    args:\n"                          /* 13 */
				    "    - index: 0\n"                     /* 14 */
				    "      type: string\n"                 /* 15 */
				    "    selectors:\n"                     /* 16 */
				    "    - matchPIDs:\n"                   /* 17 */
				    "      - operator: NotIn\n"            /* 18 */
				    "        values: [1]\n"                /* 19 */
				    "  - path: /usr/lib/libc.so.6\n"       /* 20 */
				    "    symbols: [malloc]\n");            /* 21 */
	struct policy_hook *h = &p->hooks[0];

	cr_assert_eq(p->n_hooks, 2);
	cr_assert_eq(h->kind, POLICY_HOOK_UPROBE);
	assert_loc(h->loc, 7, 5);
	cr_assert_str_eq(h->path, "/bin/bash");
	assert_loc(h->path_loc, 7, 11);
	cr_assert_eq(h->n_symbols, 2);
	cr_assert_str_eq(h->symbols[0], "readline");
	assert_loc(h->symbol_locs[0], 9, 7);
	cr_assert_str_eq(h->symbols[1], "_ZN3foo3barEv");
	assert_loc(h->symbol_locs[1], 10, 7);
	cr_assert_str_eq(h->message, "bash readline");
	cr_assert_str_eq(h->tags[0], "shell");
	cr_assert_eq(h->args[0].type, PARG_STRING);
	cr_assert_eq(h->selectors[0].pids[0].op, POP_NOT_IN);
	cr_assert_null(h->call);

	h = &p->hooks[1];
	assert_loc(h->loc, 20, 5);
	cr_assert_str_eq(h->path, "/usr/lib/libc.so.6");
	cr_assert_eq(h->n_symbols, 1);
	cr_assert_str_eq(h->symbols[0], "malloc");
	assert_loc(h->symbol_locs[0], 21, 15);
	policy_free(p);
}

Test(policy_parse, raw_tracepoint)
{
	struct policy *p = parse_ok(TP "    raw: true\n");

	cr_assert(p->hooks[0].raw);
	policy_free(p);
	p = parse_ok(TP "    raw: false\n");
	cr_assert_not(p->hooks[0].raw);
	policy_free(p);
	p = parse_ok(TP);
	cr_assert_not(p->hooks[0].raw);
	policy_free(p);
}

Test(policy_parse, lists_every_field)
{
	struct policy *p = parse_ok(HEAD "  lists:\n"                                  /* 6 */
				    "  - name: plain\n"                                    /* 7 */
				    "    values: [fd_install, \"security_file_open\"]\n"   /* 8 */
				    "  - name: calls\n"                                    /* 9 */
				    "    type: Syscalls\n"                                 /* 10 */
				    "    values: [sys_dup]\n"                              /* 11 */
				    "  - name: all-syscalls\n"                             /* 12 */
				    "    type: generated_syscalls\n"                       /* 13 */
				    "    validated: true\n"                                /* 14 */
				    "  - name: ftrace\n"                                   /* 15 */
				    "    type: generated_ftrace\n"                         /* 16 */
				    "    pattern: \"^vfs_.*\"\n");                         /* 17 */
	struct policy_list *l = p->lists;

	/* Lists alone make no hooks; the compiler says "no hooks". */
	cr_assert_eq(p->n_hooks, 0);
	cr_assert_eq(p->n_lists, 4);
	cr_assert_str_eq(l[0].name, "plain");
	assert_loc(l[0].loc, 7, 5);
	cr_assert_str_eq(l[0].type, "");
	cr_assert_eq(l[0].values.n, 2);
	assert_loc(l[0].values.loc, 8, 13);
	cr_assert_str_eq(l[0].values.v[0].text, "fd_install");
	assert_loc(l[0].values.v[0].loc, 8, 14);
	cr_assert_str_eq(l[0].values.v[1].text, "security_file_open");
	assert_loc(l[0].values.v[1].loc, 8, 26);
	cr_assert_null(l[0].pattern);

	/* Tetragon compares types case-insensitively; the AST has the canonical name. */
	cr_assert_str_eq(l[1].type, "syscalls");
	assert_loc(l[1].type_loc, 10, 11);
	cr_assert_str_eq(l[1].values.v[0].text, "sys_dup");

	cr_assert_str_eq(l[2].name, "all-syscalls");
	cr_assert_str_eq(l[2].type, "generated_syscalls");
	cr_assert_eq(l[2].values.n, 0);
	cr_assert_null(l[2].pattern);

	cr_assert_str_eq(l[3].type, "generated_ftrace");
	cr_assert_str_eq(l[3].pattern, "^vfs_.*");
	assert_loc(l[3].pattern_loc, 17, 14);
	policy_free(p);
}

Test(policy_parse, hooks_keep_the_order_of_the_file)
{
	struct policy *p = parse_ok(HEAD "  kprobes:\n"
				    "  - call: fd_install\n"
				    "  tracepoints:\n"
				    "  - subsystem: syscalls\n"
				    "    event: sys_enter_openat\n"
				    "  uprobes:\n"
				    "  - {path: /bin/true, symbols: [main]}\n"
				    "  lsmhooks:\n"
				    "  - hook: file_open\n"
				    "  - hook: file_permission\n");

	cr_assert_eq(p->n_hooks, 5);
	cr_assert_eq(p->hooks[0].kind, POLICY_HOOK_KPROBE);
	cr_assert_eq(p->hooks[1].kind, POLICY_HOOK_TRACEPOINT);
	cr_assert_eq(p->hooks[2].kind, POLICY_HOOK_UPROBE);
	cr_assert_eq(p->hooks[3].kind, POLICY_HOOK_LSM);
	cr_assert_str_eq(p->hooks[4].lsm_hook, "file_permission");
	policy_free(p);
}

Test(policy_parse, kprobe_defaults_and_spellings)
{
	/* null values are absent: syscall keeps its default */
	struct policy *p = parse_ok(KP "    syscall:\n    return:\n    ignore:\n    message:\n");

	cr_assert(p->hooks[0].syscall);
	cr_assert_not(p->hooks[0].syscall_set);
	cr_assert_not(p->hooks[0].ret);
	cr_assert_null(p->hooks[0].message);
	policy_free(p);

	/* Tetragon's lower-case returnArgAction; a kernel symbol with a dot;
	 * returnArg without index; the old NotSportPriv spelling. */
	p = parse_ok(HEAD "  kprobes:\n"
		     "  - call: tcp_v4_connect.cold\n"
		     "    return: true\n"
		     "    returnArg: {type: sock}\n"
		     "    returnArgAction: post\n"
		     "    selectors:\n"
		     "    - matchReturnArgs:\n"
		     "      - {operator: NotSportPriv, values: [\"0\"]}\n");
	cr_assert_str_eq(p->hooks[0].call, "tcp_v4_connect.cold");
	cr_assert_eq(p->hooks[0].return_arg.type, PARG_SOCK);
	cr_assert_eq(p->hooks[0].selectors[0].return_args[0].op, POP_NOT_SPORT_PRIV);
	cr_assert_eq(p->hooks[0].selectors[0].return_args[0].index_loc.line, 0);
	policy_free(p);
}

Test(policy_parse, kernel_object_argument_types)
{
	static const struct {
		const char *name;
		enum policy_arg_type type;
	} types[] = {
		{ "file", PARG_FILE },
		{ "path", PARG_PATH },
		{ "filename", PARG_FILENAME },
		{ "linux_binprm", PARG_LINUX_BINPRM },
		{ "sock", PARG_SOCK },
		{ "sockaddr", PARG_SOCKADDR },
		{ "skb", PARG_SKB },
		{ "cred", PARG_CRED },
		{ "cap_inheritable", PARG_CAP_INHERITABLE },
		{ "cap_permitted", PARG_CAP_PERMITTED },
		{ "cap_effective", PARG_CAP_EFFECTIVE },
		{ "kernel_cap_t", PARG_KERNEL_CAP_T },
	};
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		struct policy *p = parse_ok(fmt(buf, KP "    args:\n    - index: 0\n      type: %s\n", types[i].name));

		cr_assert_eq(p->hooks[0].args[0].type, types[i].type, "%s", types[i].name);
		cr_assert_str_eq(policy_arg_type_name(types[i].type), types[i].name);
		policy_free(p);
	}
}

Test(policy_errors, kprobe_call)
{
	expect_only_error(HEAD "  lists:\n  - name: dups\n    values: [sys_dup]\n  kprobes:\n  - call: \"list:dupz\"\n", 10,
			  11, "no list named \"dupz\" in spec.lists; did you mean \"dups\"?");
	expect_only_error(HEAD "  kprobes:\n  - call: list:nope\n", 7, 11, "no list named \"nope\" in spec.lists");
	expect_only_error(HEAD "  kprobes:\n  - call: \"list:\"\n", 7, 11, "missing list name after \"list:\" in call");
	/* names are compared exactly */
	expect_only_error(HEAD "  lists:\n  - name: Dups\n    values: [sys_dup]\n  kprobes:\n  - call: list:dups\n", 10, 11,
			  "no list named \"dups\" in spec.lists; did you mean \"Dups\"?");
	expect_only_error(HEAD "  kprobes:\n  - call: \"sys write\"\n", 7, 11,
			  "invalid kprobe call \"sys write\": use a kernel function name (letters, digits, \"_\" and \".\") "
			  "or \"list:NAME\"");
	expect_only_error(HEAD "  kprobes:\n  - call: /sys_write\n", 7, 11, "invalid kprobe call \"/sys_write\"");
	expect_only_error(HEAD "  kprobes:\n  - syscall: false\n", 7, 5, "missing required key \"call\" in kprobe");
	expect_only_error(HEAD "  kprobes:\n  - call: \"\"\n", 7, 11, "empty value for \"call\"");
	expect_only_error(KP "    syscall: yes\n", 8, 14, "expected true or false for \"syscall\", found \"yes\"");
}

Test(policy_errors, kprobe_return)
{
	expect_only_error(KP "    return: true\n", 8, 13,
			  "\"return: true\" needs \"returnArg\", the type of the return value");
	expect_only_error(KP "    returnArg: {index: 0, type: int}\n", 8, 5, "\"returnArg\" needs \"return: true\"");
	expect_only_error(KP "    return: false\n    returnArg: {index: 0, type: int}\n", 9, 5,
			  "\"returnArg\" needs \"return: true\"");
	expect_only_error(KP "    returnArgAction: Post\n", 8, 5, "\"returnArgAction\" needs \"return: true\"");
	/* A bad return: is one mistake, not three. */
	expect_only_error(KP "    return: yes\n    selectors:\n    - matchReturnArgs: [{operator: Equal, values: [0]}]\n", 8,
			  13, "expected true or false for \"return\", found \"yes\"");
	expect_only_error(KP "    return: true\n    returnArg:\n      index: 0\n", 10, 7,
			  "missing required key \"type\" in returnArg");
	expect_only_error(KP "    return: true\n    returnArg:\n", 9, 5, "missing required key \"type\" in returnArg");
	expect_only_error(KP "    return: true\n    returnArg: {type: int, index: -1}\n", 9, 35,
			  "\"index\" must not be negative, found -1");
	expect_only_error(KP "    return: true\n    returnArg: {type: integer}\n", 9, 23,
			  "unknown argument type \"integer\"");
	expect_only_error(KP "    return: true\n    returnArg: int\n", 9, 16,
			  "expected a mapping for \"returnArg\", found \"int\"");
	expect_only_error(KP "    return: true\n    returnArg: {type: int, foo: 1}\n", 9, 28,
			  "unknown key \"foo\" in returnArg; expected one of: index, type, label");
	expect_only_error(KP "    return: true\n    returnArg: {type: int}\n    returnArgAction: Drop\n", 10, 22,
			  "unknown returnArgAction \"Drop\"; expected Post");
}

Test(policy_errors, match_return_args)
{
	expect_only_error(KP "    selectors:\n    - matchReturnArgs:\n      - operator: Equal\n        values: [0]\n", 9, 7,
			  "matchReturnArgs needs \"return: true\" on the kprobe: without it there is no return value to match");
	expect_only_error(SEL "matchReturnArgs: []\n", 10, 7,
			  "matchReturnArgs is only for kprobes with \"return: true\": a tracepoint has no return value to match");
	expect_only_error(LSM "    selectors:\n    - matchReturnArgs: []\n", 9, 7,
			  "matchReturnArgs is only for kprobes with \"return: true\": an LSM hook has no return value to match");
	expect_only_error(UP "    selectors:\n    - matchReturnArgs: []\n", 10, 7,
			  "matchReturnArgs is only for kprobes with \"return: true\": a uprobe has no return value to match");
}

/* The matchArgs shape, index optional. */
Test(policy_errors, match_return_args_entries)
{
	const char *r = KP "    return: true\n    returnArg: {type: int}\n    selectors:\n    - matchReturnArgs:\n"; /* 1-11 */
	char buf[4096];

	expect_only_error(fmt(buf, "%s      - operator: Foo\n        values: [0]\n", r), 12, 19,
			  "unknown matchReturnArgs operator \"Foo\"");
	expect_only_error(fmt(buf, "%s      - operator: CapabilitiesGained\n        values: [0]\n", r), 12, 19,
			  "CapabilitiesGained compares two arguments: matchReturnArgs has only the return value");
	expect_only_error(fmt(buf, "%s      - values: [0]\n", r), 12, 9,
			  "missing required key \"operator\" in matchReturnArgs");
	expect_only_error(fmt(buf, "%s      - operator: Equal\n", r), 12, 9,
			  "missing required key \"values\" in matchReturnArgs");
	expect_only_error(fmt(buf, "%s      - {operator: Equal, values: [0], foo: 1}\n", r), 12, 40,
			  "unknown key \"foo\" in matchReturnArgs; expected one of: index, operator, values");
	expect_only_error(fmt(buf, "%s      - {index: x, operator: Equal, values: [0]}\n", r), 12, 17,
			  "expected an integer for \"index\", found \"x\"");
}

Test(policy_errors, override_needs_arg_error_on_every_hook)
{
	expect_only_error(KP "    selectors:\n    - matchActions:\n      - action: Override\n", 10, 9,
			  "action Override requires \"argError\", the value to return (e.g. -1)");
	expect_only_error(LSM "    selectors:\n    - matchActions:\n      - action: override\n", 10, 9,
			  "action Override requires \"argError\"");
	expect_only_error(KP "    selectors:\n    - matchActions:\n      - action: Override\n        argError: -1.5\n", 11, 19,
			  "expected an integer for \"argError\", found \"-1.5\"");
}

Test(policy_errors, lsm_hook_names)
{
	static const char *const bad[] = { "file-open", "1file_open", "security/file_open", "file_open()", "bpf lsm" };
	char buf[4096], msg[128];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		expect_only_error(fmt(buf, HEAD "  lsmhooks:\n  - hook: \"%s\"\n", bad[i]), 7, 11,
				  fmt(msg, "invalid LSM hook name \"%s\": use letters, digits and \"_\", not starting with a digit",
				      bad[i]));
	expect_only_error(HEAD "  lsmhooks:\n  - args: []\n", 7, 5, "missing required key \"hook\" in lsmhook");
	expect_only_error(HEAD "  lsmhooks:\n  - hook: [file_open]\n", 7, 11, "expected a string for \"hook\", found a list");
	policy_free(parse_ok(HEAD "  lsmhooks:\n  - hook: _x9\n"));
}

Test(policy_errors, uprobe_path_and_symbols)
{
	expect_only_error(HEAD "  uprobes:\n  - path: bin/bash\n    symbols: [main]\n", 7, 11,
			  "uprobe path must be absolute (starting with \"/\"), not \"bin/bash\"");
	expect_only_error(HEAD "  uprobes:\n  - path: ./a.out\n    symbols: [main]\n", 7, 11, "not \"./a.out\"");
	expect_only_error(HEAD "  uprobes:\n  - symbols: [main]\n", 7, 5, "missing required key \"path\" in uprobe");
	expect_only_error(HEAD "  uprobes:\n  - path: /bin/bash\n    symbols: []\n", 8, 14,
			  "empty list for \"symbols\"; give at least one symbol");
	expect_only_error(HEAD "  uprobes:\n  - path: /bin/bash\n    symbols:\n", 8, 5,
			  "empty list for \"symbols\"; give at least one symbol");
	expect_only_error(HEAD "  uprobes:\n  - path: /bin/bash\n", 7, 5, "missing required key \"symbols\" in uprobe");
	expect_only_error(HEAD "  uprobes:\n  - path: /bin/bash\n    symbols: [main, \"\"]\n", 8, 21,
			  "empty symbol in \"symbols\"");
	expect_only_error(HEAD "  uprobes:\n  - path: /bin/bash\n    symbols: [main, ~]\n", 8, 21,
			  "empty item in \"symbols\"");
	expect_only_error(HEAD "  uprobes:\n  - path: /bin/bash\n    symbols: [[main]]\n", 8, 15,
			  "expected a single value in \"symbols\", found a list");
	expect_only_error(HEAD "  uprobes:\n  - path: /bin/bash\n    symbols: main\n", 8, 14,
			  "expected a list for \"symbols\", found \"main\"");
	/* a typo is reported as such, not also as a missing key */
	expect_only_error(HEAD "  uprobes:\n  - path: /bin/bash\n    symbol: [main]\n", 8, 5,
			  "unknown key \"symbol\" in uprobe; did you mean \"symbols\"?");
	/* offsets would stand in for symbols: saying it is not supported is enough */
	expect_only_error(HEAD "  uprobes:\n  - path: /bin/bash\n    offsets: [0x10]\n", 8, 5, "not supported yet: offsets");
}

Test(policy_errors, lists)
{
	expect_only_error(HEAD "  lists:\n  - name: a\n    values: [f]\n  - name: a\n    values: [g]\n", 9, 11,
			  "list \"a\" defined twice (first at line 7, column 5)");
	expect_only_error(HEAD "  lists:\n  - values: [f]\n", 7, 5, "missing required key \"name\" in list");
	expect_only_error(HEAD "  lists:\n  - name: \"\"\n    values: [f]\n", 7, 11, "empty value for \"name\"");
	expect_only_error(HEAD "  lists:\n  - name: f\n", 7, 5, "missing required key \"values\" in list");
	expect_only_error(HEAD "  lists:\n  - name: f\n    type: syscalls\n", 7, 5, "missing required key \"values\" in list");
	expect_only_error(HEAD "  lists:\n  - name: f\n    value: [dup]\n", 8, 5,
			  "unknown key \"value\" in list; did you mean \"values\"?");
	expect_only_error(HEAD "  lists:\n  - name: f\n    values: []\n", 8, 13,
			  "empty list for \"values\"; give at least one function");
	expect_only_error(HEAD "  lists:\n  - name: f\n    type: syscalls\n    values: []\n", 9, 13,
			  "empty list for \"values\"; give at least one syscall");
	expect_only_error(HEAD "  lists:\n  - name: f\n    values: [a, \"\"]\n", 8, 17, "empty function name in \"values\"");
	expect_only_error(HEAD "  lists:\n  - name: f\n    type: syscalls\n    values: [~]\n", 9, 14,
			  "empty item in \"values\"");
	/* the type decides the rest: a bad one is the only message */
	expect_only_error(HEAD "  lists:\n  - name: f\n    type: kprobes\n", 8, 11,
			  "unknown list type \"kprobes\"; expected one of: syscalls, generated_syscalls, generated_ftrace");
	expect_only_error(HEAD "  lists:\n  - name: f\n    type: generated_ftrace\n", 7, 5,
			  "missing required key \"pattern\" in list; a generated_ftrace list holds the functions its pattern matches");
	expect_only_error(HEAD "  lists:\n  - name: f\n    type: generated_ftrace\n    pattern: \"\"\n", 9, 14,
			  "empty value for \"pattern\"");
	expect_only_error(HEAD "  lists:\n  - name: f\n    type: generated_ftrace\n    patern: x\n", 9, 5,
			  "unknown key \"patern\" in list; did you mean \"pattern\"?");
	expect_only_error(HEAD "  lists:\n  - name: f\n    type: syscalls\n    values: [dup]\n    pattern: x\n", 10, 5,
			  "\"pattern\" is only for lists of type generated_ftrace");
	expect_only_error(HEAD "  lists:\n  - name: f\n    values: [dup]\n    pattern: x\n", 9, 5,
			  "\"pattern\" is only for lists of type generated_ftrace");
	expect_only_error(HEAD "  lists:\n  - name: g\n    type: generated_syscalls\n    values: [dup]\n", 9, 5,
			  "a generated_syscalls list takes no \"values\": the kernel provides them");
	expect_only_error(HEAD "  lists:\n  - name: g\n    type: generated_ftrace\n    pattern: x\n    values: [dup]\n", 10,
			  5, "a generated_ftrace list takes no \"values\"");
	expect_only_error(HEAD "  lists:\n  - name: f\n    values: [dup]\n    validated: 1\n", 9, 16,
			  "expected true or false for \"validated\", found \"1\"");
	expect_only_error(HEAD "  lists: {name: f}\n", 6, 10, "expected a list for \"lists\", found a mapping");
}

Test(policy_errors, unknown_keys_of_the_hook_families)
{
	expect_only_error(KP "    foo: 1\n", 8, 5,
			  "unknown key \"foo\" in kprobe; expected one of: call, syscall, return, returnArg, returnArgAction, "
			  "args, selectors, message, tags, ignore");
	expect_only_error(LSM "    foo: 1\n", 8, 5,
			  "unknown key \"foo\" in lsmhook; expected one of: hook, args, selectors, message, tags");
	expect_only_error(UP "    foo: 1\n", 9, 5,
			  "unknown key \"foo\" in uprobe; expected one of: path, symbols, args, selectors, message, tags");
	expect_only_error(HEAD "  lists:\n  - name: f\n    values: [dup]\n    foo: 1\n", 9, 5,
			  "unknown key \"foo\" in list; expected one of: name, type, values, pattern, validated");
	expect_only_error(KP "    ignore: {foo: 1}\n", 8, 14, "unknown key \"foo\" in ignore; expected one of: callNotFound");
	expect_only_error(KP "    ignore: true\n", 8, 13, "expected a mapping for \"ignore\", found \"true\"");
	expect_only_error(KP "    sycall: true\n", 8, 5, "unknown key \"sycall\" in kprobe; did you mean \"syscall\"?");
	expect_only_error(HEAD "  kprobes:\n  - cal: sys_openat\n", 7, 5,
			  "unknown key \"cal\" in kprobe; did you mean \"call\"?");
	expect_only_error(HEAD "  kprobes: {call: sys_openat}\n", 6, 12, "expected a list for \"kprobes\", found a mapping");
	expect_only_error(HEAD "  lsmhooks:\n  - file_open\n", 7, 5,
			  "expected a mapping for each LSM hook, found \"file_open\"");
	expect_only_error(HEAD "  uprobes: [/bin/bash]\n", 6, 13, "expected a mapping for each uprobe, found \"/bin/bash\"");
	expect_only_error(HEAD "  kprobe: []\n", 6, 3, "unknown key \"kprobe\" in spec; did you mean \"kprobes\"?");
}

Test(policy_not_supported, hook_family_fields)
{
	static const struct {
		const char *yaml;
		unsigned line, col;
		const char *msg;
	} cases[] = {
		{ KP "    ignore:\n      callNotFound: true\n", 9, 21, "not supported yet: callNotFound" },
		{ KP "    return: true\n    returnArg: {type: int}\n    returnArgAction: TrackSock\n", 10, 22,
		  "not supported yet: returnArgAction \"TrackSock\"" },
		{ KP "    return: true\n    returnArg: {type: int}\n    returnArgAction: UntrackSock\n", 10, 22,
		  "not supported yet: returnArgAction \"UntrackSock\"" },
		{ KP "    return: true\n    returnArg:\n      type: int\n      sizeArgIndex: 1\n", 11, 7,
		  "not supported yet: sizeArgIndex in returnArg" },
		{ KP "    return: true\n    returnArg:\n      type: int\n      returnCopy: true\n", 11, 7,
		  "not supported yet: returnCopy in returnArg" },
		{ KP "    return: true\n    returnArg:\n      type: int\n      maxData: true\n", 11, 7,
		  "not supported yet: maxData in returnArg" },
		{ KP "    return: true\n    returnArg:\n      type: file\n      resolve: f_path\n", 11, 7,
		  "not supported yet: resolve in returnArg" },
		{ KP "    args:\n    - index: 0\n      type: bpf_attr\n", 10, 13,
		  "not supported yet: argument type \"bpf_attr\"" },
		{ KP "    args:\n    - index: 1\n      type: char_buf\n      sizeArgIndex: 3\n      returnCopy: true\n", 12,
		  19, "not supported yet: returnCopy (rtenf reads arguments when the call starts, not again at its return)" },
		{ UP "    offsets: [0]\n", 9, 5, "not supported yet: offsets" },
		{ UP "    refCtrOffsets: [0]\n", 9, 5, "not supported yet: refCtrOffsets" },
		{ UP "    addrs: [0]\n", 9, 5, "not supported yet: addrs" },
		{ UP "    btfPath: /sys/kernel/btf/vmlinux\n", 9, 5, "not supported yet: btfPath" },
		{ UP "    preload: []\n", 9, 5, "not supported yet: preload" },
		{ UP "    return: true\n", 9, 5, "not supported yet: return on uprobes" },
		{ UP "    returnArg: {type: int}\n", 9, 5, "not supported yet: returnArg on uprobes" },
		{ LSM "    selectors:\n    - matchReturnActions: []\n", 9, 7, "not supported yet: matchReturnActions" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_only_error(cases[i].yaml, cases[i].line, cases[i].col, cases[i].msg);
	/* callNotFound: false is what rtenf does anyway */
	policy_free(parse_ok(KP "    ignore:\n      callNotFound: false\n"));
}

Test(policy_errors, hooks_are_checked_alike)
{
	/* selectors, args and tags of every kind go through the same checks */
	expect_only_error(LSM "    args:\n    - type: file\n", 9, 7, "missing required key \"index\" in argument");
	expect_only_error(UP "    tags: [a, \"\"]\n", 9, 15, "empty tag in \"tags\"");
	expect_only_error(KP "    selectors:\n    - matchPIDs:\n      - operator: In\n        values: [x]\n", 11, 18,
			  "matchPIDs value must be a process id");
	expect_only_error(KP "    message: [a]\n", 8, 14, "expected a string for \"message\", found a list");
}

Test(policy_errors, every_mistake_of_a_kprobe_policy_in_one_pass)
{
	struct diag_list d = { 0 };
	const char *yaml = HEAD "  kprobes:\n"               /* 6 */
			   "  - call: list:missing\n"        /* 7 */
			   "    return: true\n"              /* 8 */
			   "  - call: tcp_connect\n"         /* 9 */
			   "    args:\n"                     /* 10 */
			   "    - index: 0\n"                /* 11 */
			   "      type: sock\n"              /* 12 */
			   "    selectors:\n"                /* 13 */
			   "    - matchArgs:\n"              /* 14 */
			   "      - index: 0\n"              /* 15 */
			   "        operator: DPrt\n"        /* 16 */
			   "        values: [80]\n"          /* 17 */
			   "      matchReturnArgs: []\n"     /* 18 */
			   "  lists:\n"                      /* 19 */
			   "  - name: l\n"                   /* 20 */
			   "    values: [a]\n"               /* 21 */
			   "  - name: l\n"                   /* 22 */
			   "    values: [b]\n";              /* 23 */

	cr_assert_null(policy_parse(yaml, strlen(yaml), "t.yaml", &d));
	cr_assert_eq(d.n, 5, "got:\n%s", dump(&d));
	assert_loc(d.v[0].loc, 7, 11);
	cr_assert(strstr(d.v[0].msg, "no list named \"missing\""));
	assert_loc(d.v[1].loc, 8, 13);
	cr_assert(strstr(d.v[1].msg, "needs \"returnArg\""));
	assert_loc(d.v[2].loc, 16, 19);
	cr_assert(strstr(d.v[2].msg, "unknown matchArgs operator \"DPrt\"; did you mean \"DPort\"?"), "%s", d.v[2].msg);
	assert_loc(d.v[3].loc, 18, 7);
	cr_assert(strstr(d.v[3].msg, "matchReturnArgs needs \"return: true\""));
	assert_loc(d.v[4].loc, 22, 11);
	cr_assert(strstr(d.v[4].msg, "list \"l\" defined twice (first at line 20, column 5)"));
	diag_list_free(&d);
}

/* --- args (Tetragon's positions) and CapabilitiesGained --------------------------- */

Test(policy_selectors, match_args_args_names_an_argument_by_position)
{
	struct policy *p = parse_ok(SEL "matchArgs:\n      - args: [1]\n        operator: Equal\n        values: [3]\n");
	const struct policy_match_args *m = &p->hooks[0].selectors[0].args[0];

	cr_assert_eq(m->n_positions, 1);
	cr_assert_eq(m->positions[0], 1);
	assert_loc(m->positions_loc, 11, 9);
	policy_free(p);

	p = parse_ok(SEL "matchArgs:\n      - args: [0, 2]\n        operator: CapabilitiesGained\n");
	m = &p->hooks[0].selectors[0].args[0];
	cr_assert_eq(m->op, POP_CAPABILITIES_GAINED);
	cr_assert_eq(m->n_positions, 2);
	cr_assert(m->positions[0] == 0 && m->positions[1] == 2);
	cr_assert_eq(m->values.n, 0);
	policy_free(p);
}

Test(policy_selectors, match_args_args_mistakes)
{
	expect_only_error(SEL "matchArgs:\n      - operator: Equal\n        values: [3]\n", 11, 9,
			  "missing required key \"index\" in matchArgs");
	expect_only_error(SEL "matchArgs:\n      - index: 0\n        operator: Equal\n", 11, 9,
			  "missing required key \"values\" in matchArgs");
	expect_only_error(SEL "matchArgs:\n      - args: []\n        operator: Equal\n        values: [3]\n", 11, 15,
			  "empty list for \"args\"; give the argument's position");
	expect_only_error(SEL "matchArgs:\n      - args: [x]\n        operator: Equal\n        values: [3]\n", 11, 16,
			  "args value must be a position in the hook's args (0, 1, ...), not \"x\"");
	expect_only_error(SEL "matchArgs:\n      - args: [0, 1]\n        operator: Equal\n        values: [3]\n", 11, 9,
			  "args names one argument, except for CapabilitiesGained");
	expect_only_error(SEL "matchArgs:\n      - args: [0, 1, 2]\n        operator: CapabilitiesGained\n", 11, 15,
			  "args names at most 2 arguments, not 3");
	expect_only_error(SEL "matchArgs:\n      - args: [0]\n        operator: CapabilitiesGained\n", 11, 9,
			  "CapabilitiesGained needs args: [OLD, NEW], the positions in the hook's args of two capability "
			  "arguments");
	expect_only_error(SEL "matchArgs:\n      - index: 0\n        operator: CapabilitiesGained\n", 12, 19,
			  "CapabilitiesGained needs args: [OLD, NEW], the positions in the hook's args of two capability "
			  "arguments");
	expect_only_error(SEL "matchArgs:\n      - args: [0, 1]\n        operator: CapabilitiesGained\n"
			  "        values: [CAP_SYS_ADMIN]\n", 13, 9,
			  "CapabilitiesGained takes no values: it compares the two arguments args names");
}

/* --- matchCapabilities, matchCapabilityChanges, matchNamespaceChanges ------------- */

Test(policy_selectors, capabilities_and_changes)
{
	struct policy *p = parse_ok(SEL "matchCapabilities:\n"
				    "      - type: permitted\n"
				    "        operator: NotIn\n"
				    "        isNamespaceCapability: true\n"
				    "        values: [CAP_SYS_ADMIN, cap_net_raw]\n"
				    "      - operator: In\n"
				    "        values: [CAP_BPF]\n"
				    "      matchCapabilityChanges:\n"
				    "      - type: Inheritable\n"
				    "        operator: In\n"
				    "        values: [CAP_SETUID]\n"
				    "      matchNamespaceChanges:\n"
				    "      - operator: In\n"
				    "        values: [Mnt, uts]\n");
	const struct policy_selector *s = &p->hooks[0].selectors[0];

	cr_assert_eq(s->n_caps, 2);
	cr_assert_eq(s->caps[0].type, PCAPS_PERMITTED);
	cr_assert_eq(s->caps[0].op, POP_NOT_IN);
	cr_assert(s->caps[0].is_namespace_capability);
	cr_assert_eq(s->caps[0].values.n, 2);
	cr_assert_eq(s->caps[1].type, PCAPS_EFFECTIVE, "Effective is the default");
	cr_assert_not(s->caps[1].is_namespace_capability);
	cr_assert_eq(s->n_cap_changes, 1);
	cr_assert_eq(s->cap_changes[0].type, PCAPS_INHERITABLE);
	cr_assert_eq(s->n_ns_changes, 1);
	cr_assert_eq(s->ns_changes[0].op, POP_IN);
	cr_assert_str_eq(s->ns_changes[0].values.v[1].text, "uts");
	policy_free(p);
}

Test(policy_selectors, capabilities_and_changes_mistakes)
{
	expect_only_error(SEL "matchCapabilities:\n      - type: Bounding\n        operator: In\n        values: [CAP_BPF]\n",
			  11, 15, "unknown capability set type \"Bounding\"");
	expect_only_error(SEL "matchCapabilities:\n      - operator: Equal\n        values: [CAP_BPF]\n", 11, 19,
			  "matchCapabilities operator must be In or NotIn, not \"Equal\"");
	expect_only_error(SEL "matchCapabilityChanges:\n      - operator: In\n", 11, 9,
			  "missing required key \"values\" in matchCapabilityChanges");
	expect_only_error(SEL "matchCapabilities:\n      - operator: In\n        values: [CAP_BPF]\n"
			  "        isNamespaceCapability: yes\n", 13, 32, "isNamespaceCapability");
	expect_only_error(SEL "matchNamespaceChanges:\n      - operator: In\n        values: []\n", 12, 17,
			  "empty list for \"values\"");
	expect_only_error(SEL "matchNamespaceChanges:\n      - operator: In\n        values: [Mnt]\n        type: x\n",
			  13, 9, "unknown key \"type\" in matchNamespaceChanges");
}

/* --- selectorsMacros and labels -------------------------------------------------- */

/* Lines 1-12: two macros; a tracepoint follows from line 13, its selectors
 * from line 17 (first key at column 7). */
#define MACROS                                                \
	HEAD                                          /* 1-5 */   \
	"  selectorsMacros:\n"                        /* 6 */     \
	"    sshd:\n"                                 /* 7 */     \
	"      label: from-sshd\n"                    /* 8 */     \
	"      matchBinaries:\n"                      /* 9 */     \
	"      - {operator: In, values: [/usr/sbin/sshd]}\n" /* 10 */ \
	"    kill:\n"                                 /* 11 */    \
	"      matchActions: [{action: Sigkill}]\n"   /* 12 */    \
	"  tracepoints:\n"                            /* 13 */    \
	"  - subsystem: syscalls\n"                   /* 14 */    \
	"    event: sys_enter_openat\n"               /* 15 */    \
	"    selectors:\n"                            /* 16 */    \
	"    - "                                      /* 17 */

Test(policy_selectors, macros_fill_selectors)
{
	struct policy *p = parse_ok(MACROS "macros: [sshd, kill]\n"
				    "      matchArgs: [{index: 0, operator: Prefix, values: [/etc/]}]\n"
				    "    - label: own\n"
				    "      macros: [sshd]\n");
	const struct policy_selector *s0 = &p->hooks[0].selectors[0], *s1 = &p->hooks[0].selectors[1];

	cr_assert_eq(p->n_macros, 2);
	cr_assert_eq(s0->n_binaries, 1);
	cr_assert_str_eq(s0->binaries[0].values.v[0].text, "/usr/sbin/sshd");
	cr_assert_eq(s0->n_actions, 1);
	cr_assert_eq(s0->actions[0].kind, PACT_SIGKILL);
	cr_assert_eq(s0->n_args, 1);
	cr_assert_str_eq(s0->label, "from-sshd", "the macro's label, as the selector has none");
	assert_loc(s0->label_loc, 17, 16);
	cr_assert_str_eq(s1->label, "own", "the selector's own label wins");
	cr_assert_eq(s1->n_binaries, 1);
	cr_assert_eq(s1->n_actions, 0);
	policy_free(p);
}

Test(policy_selectors, macro_mistakes)
{
	expect_only_error(MACROS "macros: [shd]\n", 17, 16,
			  "no macro named \"shd\" in spec.selectorsMacros; did you mean \"sshd\"?");
	expect_only_error(MACROS "macros: [nothing-like-it]\n", 17, 16,
			  "no macro named \"nothing-like-it\" in spec.selectorsMacros");
	expect_only_error(TP "    selectors:\n    - macros: [m]\n", 10, 16,
			  "no macro named \"m\": spec.selectorsMacros defines none");
	expect_only_error(MACROS "macros: [sshd]\n      matchBinaries: [{operator: In, values: [/bin/sh]}]\n", 17, 16,
			  "matchBinaries is set both by macro \"sshd\" and by this selector or an earlier macro; set each "
			  "filter in one place");
	expect_only_error(MACROS "macros: [kill, kill]\n", 17, 22,
			  "matchActions is set both by macro \"kill\" and by this selector or an earlier macro; set each "
			  "filter in one place");
	expect_only_error(HEAD "  selectorsMacros:\n    a:\n      macros: [b]\n    b: {}\n", 8, 7,
			  "a macro cannot use other macros");
	expect_only_error(HEAD "  selectorsMacros: [a]\n", 6, 20,
			  "selectorsMacros must map macro names to selectors, found a list");
	expect_only_error(HEAD "  selectorsMacros:\n    ret:\n      matchReturnArgs: [{operator: Equal, values: [0]}]\n"
			  "  tracepoints:\n  - subsystem: syscalls\n    event: sys_enter_openat\n    selectors:\n"
			  "    - macros: [ret]\n", 13, 16,
			  "macro \"ret\" has matchReturnArgs, which needs a kprobe with \"return: true\"");
}

Test(policy_selectors, selector_labels_are_unique_per_hook)
{
	expect_only_error(SEL "label: a\n    - label: b\n    - label: a\n", 12, 14,
			  "selector label \"a\" is used twice in this hook (first at line 10, column 14)");
	/* a macro's label counts */
	expect_only_error(MACROS "label: from-sshd\n    - macros: [sshd]\n", 18, 16,
			  "selector label \"from-sshd\" is used twice in this hook (first at line 17, column 14)");
	/* other hooks may reuse a label */
	policy_free(parse_ok(HEAD "  tracepoints:\n"
			     "  - {subsystem: syscalls, event: sys_enter_openat, selectors: [{label: a}]}\n"
			     "  - {subsystem: syscalls, event: sys_enter_close, selectors: [{label: a}]}\n"));
}

/* data (source current_task) and matchData: the parser checks the shape;
 * the resolve path is checked against the kernel's BTF by the compiler. */
#define TP_DATA                                      \
	TP "    data:\n"                   /* 9 */   \
	"    - index: 0\n"                 /* 10 */  \
	"      type: int\n"                /* 11 */  \
	"      source: current_task\n"     /* 12 */  \
	"      resolve: cred.uid.val\n"    /* 13 */

Test(policy_data, data_and_match_data_on_every_hook_kind)
{
	static const char *const heads[] = { TP, KP, LSM, UP };
	char buf[4096];

	for (size_t i = 0; i < ARRAY_SIZE(heads); i++) {
		struct policy *p = parse_ok(fmt(buf, "%s    data:\n    - index: 2\n      type: string\n"
						"      source: current_task\n      resolve: comm\n      label: who\n"
						"    selectors:\n    - matchData:\n      - index: 2\n"
						"        operator: Prefix\n        values: [sh]\n", heads[i]));
		const struct policy_hook *h = &p->hooks[0];

		cr_assert_eq(h->n_data, 1);
		cr_assert_eq(h->data[0].index, 2);
		cr_assert_eq(h->data[0].type, PARG_STRING);
		cr_assert_str_eq(h->data[0].resolve, "comm");
		cr_assert_str_eq(h->data[0].label, "who");
		cr_assert_eq(h->selectors[0].n_data, 1);
		cr_assert_eq(h->selectors[0].data[0].op, POP_PREFIX);
		cr_assert_eq(h->selectors[0].data[0].index, 2);
		policy_free(p);
	}
}

Test(policy_data, errors)
{
	expect_only_error(TP "    data:\n    - index: 0\n      type: int\n      source: current_task\n", 10, 7,
			  "resolve");
	expect_only_error(TP "    data:\n    - index: 0\n      type: int\n      source: pt_regs\n"
			     "      resolve: ax\n", 12, 15, "not supported yet: data source \"pt_regs\" (rtenf reads data from current_task only)");
	expect_only_error(TP "    data:\n    - index: 0\n      type: file\n      source: current_task\n"
			     "      resolve: mm\n", 11, 13, "data type must be an integer type or string");
	expect_only_error(TP "    data:\n    - index: 0\n      type: int\n      source: current_task\n"
			     "      resolve: \"\"\n", 13, 16, "empty value for \"resolve\"");
	expect_only_error(TP_DATA "    - index: 0\n      type: int\n      source: current_task\n"
				  "      resolve: pid\n", 14, 7, "data index 0 is used twice in this hook (first at line 10, "
				  "column 7)");
	expect_only_error(TP_DATA "    selectors:\n    - matchData:\n      - operator: Equal\n        values: [1]\n",
			  16, 9, "index");
	expect_only_error(TP_DATA "    selectors:\n    - matchData:\n      - index: 0\n        operator: Equal\n"
				  "        args: [0]\n        values: [1]\n", 18, 9, "not supported yet: args in matchData");
	expect_only_error(TP_DATA "    selectors:\n    - matchData:\n      - index: 0\n        operator: "
				  "CapabilitiesGained\n        values: [1]\n", 17, 19, "CapabilitiesGained compares two "
				  "capability arguments: use it in matchArgs");
}

/* resolve on arguments needs a kernel function's BTF type. */
Test(policy_data, argument_resolve_only_where_btf_types_exist)
{
	struct policy *p = parse_ok(KP "    syscall: false\n    args:\n    - index: 0\n      type: int\n"
				       "      resolve: f_inode.i_ino\n");

	cr_assert_str_eq(p->hooks[0].args[0].resolve, "f_inode.i_ino");
	policy_free(p);
	p = parse_ok(LSM "    args:\n    - index: 0\n      type: string\n      resolve: f_path.dentry.d_name.name\n");
	policy_free(p);
	expect_only_error(TP "    args:\n    - index: 0\n      type: int\n      resolve: x\n", 12, 16,
			  "not supported yet: resolve on tracepoint arguments");
	expect_only_error(KP "    args:\n    - index: 0\n      type: int\n      resolve: x\n", 11, 16,
			  "not supported yet: resolve on syscall arguments");
	expect_only_error(UP "    args:\n    - index: 0\n      type: int\n      resolve: x\n", 12, 16,
			  "not supported yet: resolve on uprobe arguments");
}
