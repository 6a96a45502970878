/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runs the BPF selector matcher (kernel/selector.bpf.h, wrapped by
 * tests/bpf/matcher_test.bpf.c) on hooks compiled from YAML by the real
 * parser and compiler, with bpf_prog_test_run.  Needs root.
 *
 * The hook is on a made-up tracepoint, syscalls/sys_enter_matcher, whose
 * fields sit at 8-byte steps so that a __u64 array is its record:
 *
 *   index  field                      record
 *   0      long a          (int64)    slot 0
 *   1      unsigned long b (uint64)   slot 1
 *   2      long c          (int)      slot 2: "int" reads its low 32 bits
 *   3      unsigned long d (uint32)   slot 3
 *   4      const char *s   (string)   slot 4: a pointer into this process
 *   5      const char *t   (string)   slot 5
 *   6      int hi          (int)      the upper half of slot 6 (offset 52)
 *   7      __data_loc name (string)   slot 7; its bytes in slots 8-11
 *
 * MATCHER_ARGS declares all eight as args in this order, so matchArgs
 * index N is field N.
 */
#ifndef RTENF_TEST_MATCHER_FIXTURE_H
#define RTENF_TEST_MATCHER_FIXTURE_H

#include <stdbool.h>

#include "fake_kernel.h"
#include "policy_compile.h"

/* A raw_tp test run takes at most this many u64s of context. */
#define MATCHER_SLOTS 12
#define MATCHER_DATA_SLOT 8 /* where data_loc strings go */

#define MATCHER_HEAD                 \
	"apiVersion: cilium.io/v1alpha1\n" \
	"kind: TracingPolicy\n"      \
	"metadata:\n"                \
	"  name: matcher\n"          \
	"spec:\n"                    \
	"  tracepoints:\n"           \
	"  - subsystem: syscalls\n"  \
	"    event: sys_enter_matcher\n"

#define MATCHER_ARGS                 \
	"    args:\n"                \
	"    - index: 0\n"           \
	"      type: int64\n"        \
	"    - index: 1\n"           \
	"      type: uint64\n"       \
	"    - index: 2\n"           \
	"      type: int\n"          \
	"    - index: 3\n"           \
	"      type: uint32\n"       \
	"    - index: 4\n"           \
	"      type: string\n"       \
	"    - index: 5\n"           \
	"      type: string\n"       \
	"    - index: 6\n"           \
	"      type: int\n"          \
	"    - index: 7\n"           \
	"      type: string\n"

struct matcher_test_bpf;

struct matcher {
	struct fake_kernel fk;        /* adjust before matcher_load() */
	bool no_defer;                /* load with the late-decision flag cleared */
	struct compiled_policy *cp;
	struct matcher_test_bpf *skel;
};

/* A fake kernel with syscalls/sys_enter_matcher; host namespaces are this
 * process's own. */
void matcher_init(struct matcher *m);
/* Compiles MATCHER_HEAD MATCHER_ARGS "    selectors:\n" selectors (NULL:
 * no selectors) and loads its hook. */
void matcher_load(struct matcher *m, const char *selectors);
/* Compiles a whole policy and loads its first hook. */
void matcher_load_yaml(struct matcher *m, const char *yaml);
void matcher_unload(struct matcher *m);

/* Outcomes besides a selector index: RTENF_SELECTOR_NONE and _DEFER of
 * kernel/selector.bpf.h, a BPF-only header (the fixture checks they agree). */
#define MATCH_NONE  (-1)
#define MATCH_DEFER (-2)

/* Runs the matcher on the record; returns the selector index, MATCH_NONE
 * or MATCH_DEFER. */
int matcher_run(struct matcher *m, const __u64 rec[MATCHER_SLOTS]);
/* Asserts the outcome of one run. */
#define expect_match(m, rec, want)                                                                  \
	do {                                                                                        \
		int got_ = matcher_run((m), (rec));                                                 \
		cr_assert_eq(got_, (want), "%s:%d: matched %d, expected %d", __FILE__, __LINE__, got_, \
			     (int)(want));                                                          \
	} while (0)

/* Loads one selector with one matchArgs entry on field index. */
void matcher_load_arg(struct matcher *m, unsigned index, const char *op, const char *values);
/* Runs the matcher on a record whose only non-zero slot holds v. */
int matcher_run_int(struct matcher *m, unsigned slot, __u64 v);
/* Asserts the outcome of matcher_run_int() on the suite's matcher m. */
#define expect_int(slot, v, want)                                                                      \
	cr_assert_eq(matcher_run_int(&m, (slot), (v)), (want), "line %d: slot %u = %#llx", __LINE__, \
		     (unsigned)(slot), (unsigned long long)(v))

/* s as a record slot the matcher reads with bpf_probe_read_user_str().
 * That helper does not fault pages in, and a string literal may sit in a
 * page of the test binary this process has not read yet: the read would
 * fail (the matcher then defers or sees "") depending on what ran before.
 * Reading s here maps its pages, as a real syscall's argument is mapped by
 * the process that wrote it.  NULL stays 0. */
__u64 matcher_user_str(const char *s);

/* A record whose slot 7 is a __data_loc of s, stored from slot 8 on. */
void matcher_data_loc(__u64 rec[MATCHER_SLOTS], const char *s);

/* rtenf_hash_bytes() in BPF, with the fake kernel's key, of len bytes. */
__u64 matcher_bpf_hash(struct matcher *m, const void *bytes, __u32 len);
/* This process's row in the process table (as the exec program writes
 * it), hashed in BPF; NULL removes the row. */
void matcher_set_binary(struct matcher *m, const char *path);

/* Inode of this process's namespace ns (enum rtenf_ns). */
__u32 own_ns_inum(unsigned ns);

#endif /* RTENF_TEST_MATCHER_FIXTURE_H */
