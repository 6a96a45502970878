/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compiler tests: parse YAML with the real parser, compile it with the real
 * compiler against a fake kernel (tests/common/fake_kernel.h) whose
 * tracepoints are the format files below.
 */
#ifndef RTENF_TEST_COMPILE_FIXTURE_H
#define RTENF_TEST_COMPILE_FIXTURE_H

#include "fake_kernel.h"
#include "policy.h"
#include "policy_compile.h"

/*
 * Tracepoints of the fake kernel:
 *   syscalls/sys_enter_openat  as on Linux 6.18: 0-3 common, 4 __syscall_nr
 *                              (int, 4 bytes), 5 dfd, 6 filename, 7 flags,
 *                              8 mode (8 bytes each, from offset 16)
 *   syscalls/sys_enter_write   5 fd, 6 buf, 7 count
 *   sched/sched_process_exec   4 filename (__data_loc), 5 pid (offset 12),
 *                              6 old_pid (offset 16)
 *   test/widths                made up: 4 s8 small@8, 5 u16 half@10,
 *                              6 int word@12, 7 u64 big@16, 8 long sbig@24,
 *                              9 const char *name@32, 10 __data_loc path@40,
 *                              11 char comm[16]@44, 12 u8 bytes[3]@60,
 *                              13 u32 far@256 (past what rtenf reads)
 */
extern const struct fake_tracepoint unit_tracepoints[];
extern const size_t n_unit_tracepoints;

/* Lines 1-6; the first tracepoint starts on line 7. */
#define POLICY_HEAD                                  \
	"apiVersion: cilium.io/v1alpha1\n" /* 1 */   \
	"kind: TracingPolicy\n"            /* 2 */   \
	"metadata:\n"                      /* 3 */   \
	"  name: test\n"                   /* 4 */   \
	"spec:\n"                          /* 5 */   \
	"  tracepoints:\n"                 /* 6 */

/* Lines 1-8: an openat hook; its further keys start on line 9, column 5. */
#define OPENAT                                       \
	POLICY_HEAD                                  \
	"  - subsystem: syscalls\n"        /* 7 */   \
	"    event: sys_enter_openat\n"    /* 8 */

/* Lines 1-16: openat with args filename (0, string), dfd (1, int), flags
 * (2, uint32); selectors follow from line 17. */
#define OPENAT_SEL                                   \
	OPENAT                                       \
	"    args:\n"                      /* 9 */   \
	"    - index: 6\n"                 /* 10 */  \
	"      type: string\n"             /* 11 */  \
	"    - index: 5\n"                 /* 12 */  \
	"      type: int\n"                /* 13 */  \
	"    - index: 7\n"                 /* 14 */  \
	"      type: uint32\n"             /* 15 */  \
	"    selectors:\n"                 /* 16 */

/* Lines 1-8: a hook on test/widths. */
#define WIDTHS                                       \
	POLICY_HEAD                                  \
	"  - subsystem: test\n"            /* 7 */   \
	"    event: widths\n"              /* 8 */

/* Lines 1-22: a test/widths hook whose args are one integer type each:
 * 0 int, 1 uint32, 2 int64, 3 uint64, 4 size_t, 5 fd; selectors follow
 * from line 23. */
#define WIDTHS_INTS                                  \
	WIDTHS                                       \
	"    args:\n"                      /* 9 */   \
	"    - index: 6\n"                 /* 10 */  \
	"      type: int\n"                /* 11 */  \
	"    - index: 6\n"                 /* 12 */  \
	"      type: uint32\n"             /* 13 */  \
	"    - index: 8\n"                 /* 14 */  \
	"      type: int64\n"              /* 15 */  \
	"    - index: 7\n"                 /* 16 */  \
	"      type: uint64\n"             /* 17 */  \
	"    - index: 7\n"                 /* 18 */  \
	"      type: size_t\n"             /* 19 */  \
	"    - index: 6\n"                 /* 20 */  \
	"      type: fd\n"                 /* 21 */  \
	"    selectors:\n"                 /* 22 */

/* A fake kernel with the tracepoints above. */
void unit_kernel(struct fake_kernel *fk);

/* Parses yaml (which must parse) and compiles it against fk. */
struct compiled_policy *compile_with(const char *yaml, struct fake_kernel *fk, struct diag_list *diags);
/* Compiles against unit_kernel(); asserts success without diagnostics. */
struct compiled_policy *compile_ok(const char *yaml);
/* The policy's only hook. */
const struct compiled_hook *only_hook(const struct compiled_policy *cp);

/* Asserts that compiling fails with exactly one diagnostic, which
 * diag_format() prints as want ("t.yaml:LINE:COL: message"). */
void expect_compile_error(const char *yaml, const char *want);
void expect_compile_error_with(const char *yaml, struct fake_kernel *fk, const char *want);
/* Same for a policy already parsed (tests that edit the AST). */
void expect_policy_error(const struct policy *p, struct fake_kernel *fk, const char *want);
/* The same, for messages whose end depends on the machine: the formatted
 * diagnostic must start with want. */
void expect_compile_error_start(const char *yaml, const char *want);
void expect_compile_error_start_with(const char *yaml, struct fake_kernel *fk, const char *want);

/* "  file:line:col: message\n" per diagnostic; caller frees. */
char *diags_dump(const struct diag_list *d);

/* rtenf_hash() of s with the fake kernel's key. */
__u64 key_hash(const char *s);

/* Field-by-field checks of the compiled format, with readable failures. */
#define assert_arg(d, OFF, SIZE, TYPE, SRC, SIGNED)                                                   \
	do {                                                                                          \
		const struct rtenf_arg_desc *d_ = (d);                                                \
		cr_assert(d_->offset == (OFF) && d_->size == (SIZE) && d_->type == (TYPE) &&           \
				  d_->source == (SRC) && d_->is_signed == (SIGNED),                    \
			  "%s: offset %u size %u type %u source %u signed %u, expected %u %u %u %u %u", \
			  #d, d_->offset, d_->size, d_->type, d_->source, d_->is_signed, (unsigned)(OFF), \
			  (unsigned)(SIZE), (unsigned)(TYPE), (unsigned)(SRC), (unsigned)(SIGNED));   \
	} while (0)

#define assert_filter(f, KIND, OP, ARG, FLAGS, SEL)                                                      \
	do {                                                                                             \
		const struct rtenf_filter *f_ = (f);                                                     \
		cr_assert(f_->kind == (KIND) && f_->op == (OP) && f_->arg == (ARG) && f_->flags == (FLAGS) && \
				  f_->selector == (SEL),                                                  \
			  "%s: kind %u op %u arg %u flags %#x selector %u, expected %u %u %u %#x %u", #f,    \
			  f_->kind, f_->op, f_->arg, f_->flags, f_->selector, (unsigned)(KIND),          \
			  (unsigned)(OP), (unsigned)(ARG), (unsigned)(FLAGS), (unsigned)(SEL));          \
	} while (0)

/* Rows of value_sets in set set_id. */
size_t rows_in_set(const struct compiled_hook *h, __u32 set_id);
bool has_row(const struct compiled_hook *h, __u32 set_id, __u64 v);
/* The filter uses a set (no imm) holding exactly v[0..n). */
void assert_set(const struct compiled_hook *h, const struct rtenf_filter *f, const __u64 *v, size_t n);
bool has_prefix(const struct compiled_hook *h, const struct rtenf_prefix_key *k);
/* The hook has the LPM row for bytes s in set set_id, built here byte by
 * byte (not with prefix_key_make()). */
void expect_lpm_row(const struct compiled_hook *h, __u32 set_id, const char *s);

#endif /* RTENF_TEST_COMPILE_FIXTURE_H */
