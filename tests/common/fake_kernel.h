/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A made-up kernel for the compiler (struct kernel_view): tracepoints given
 * as the text of their format files, host namespaces as fixed inode numbers,
 * canonical paths from a table, a fixed hash key.  Compiler unit tests and
 * matcher tests both compile against it, so their results do not depend on
 * the machine they run on.
 */
#ifndef RTENF_TEST_FAKE_KERNEL_H
#define RTENF_TEST_FAKE_KERNEL_H

#include <stddef.h>

#include "kernel_view.h"

struct fake_tracepoint {
	const char *subsystem;
	const char *event;
	const char *format;  /* text of events/SUBSYSTEM/EVENT/format */
};

struct fake_symlink {
	const char *path;
	const char *canonical;
};

struct fake_kernel {
	struct kernel_view kv;           /* what the compiler is given */
	const struct fake_tracepoint *tps;
	size_t n_tps;
	int tp_error;                    /* nonzero: every format read fails so */
	__u32 host_ns[RTENF_NS_COUNT];   /* 0: that namespace type is unknown */
	int host_ns_error;               /* nonzero: host_ns fails so */
	const struct fake_symlink *links;
	size_t n_links;
};

/* The key every fake kernel hashes with. */
extern const struct rtenf_hash_key fake_key;

/* A kernel with the given tracepoints, host namespaces 0xf0000000 + ns,
 * no symlinks; adjust the fields afterwards as a test needs. */
void fake_kernel_init(struct fake_kernel *fk, const struct fake_tracepoint *tps, size_t n_tps);

#endif /* RTENF_TEST_FAKE_KERNEL_H */
