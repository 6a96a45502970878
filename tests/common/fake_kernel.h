/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A made-up kernel for the compiler (struct kernel_view): tracepoints given
 * as the text of their format files, host namespaces as fixed inode numbers,
 * canonical paths from a table, a fixed hash key, and on request the
 * features, kernel symbols and ELF functions it has.  Compiler unit tests and
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

/* What a kernel can do, for tests of the compiler's mechanism choice.  The
 * string lists end with NULL. */
struct fake_facts {
	const enum feature_state *states; /* has(), indexed by enum feature: YES is yes */
	const char *const *symbols;       /* in kallsyms (the fake has no BTF) */
	const char *const *injectable;    /* the error-injection list; NULL: unreadable */
	const char *const *elf_functions; /* functions every ELF file defines */
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
	const struct fake_facts *facts;  /* NULL: see fake_kernel_use_facts() */
};

/* The key every fake kernel hashes with. */
extern const struct rtenf_hash_key fake_key;

/* A kernel with the given tracepoints, host namespaces 0xf0000000 + ns,
 * no symlinks; adjust the fields afterwards as a test needs. */
void fake_kernel_init(struct fake_kernel *fk, const struct fake_tracepoint *tps, size_t n_tps);

/* Makes the kernel answer has(), symbol_exists(), error_injectable() and
 * elf_symbol() from facts, which must outlive fk.  Without this those stay
 * NULL and the compiler assumes the kernel can do anything (offline). */
void fake_kernel_use_facts(struct fake_kernel *fk, const struct fake_facts *facts);

#endif /* RTENF_TEST_FAKE_KERNEL_H */
