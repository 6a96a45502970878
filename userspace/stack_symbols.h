/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names for the return addresses of the stacks in hook events
 * (kernelStackTrace / userStackTrace).  Kernel addresses are looked up in
 * /proc/kallsyms, loaded once and loaded again when a kernel module comes or
 * goes; user addresses in the task's /proc/PID/maps and the ELF symbols of
 * the file mapped there.  Strings in the frames are malloc'd.
 */
#ifndef RTENF_STACK_SYMBOLS_H
#define RTENF_STACK_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "events.pb.h"

struct kernel_symbols;

struct kernel_symbols *kernel_symbols_new(void);
void kernel_symbols_free(struct kernel_symbols *ks);

/* Fills out[0..n) for the kernel addresses.  Returns NULL, or a note for
 * the event when the frames could not be named (kptr_restrict hides the
 * addresses in /proc/kallsyms, or it cannot be read). */
const char *kernel_symbols_resolve(struct kernel_symbols *ks, const uint64_t *addrs, size_t n,
				   rtenf_StackTraceEntry *out);

/* Fills out[0..n) for the user addresses of process pid: symbol+offset, or
 * module+offset when the file has no symbol there.  Returns NULL, or a note
 * when the process is gone (addresses only). */
const char *user_symbols_resolve(pid_t pid, const uint64_t *addrs, size_t n, rtenf_StackTraceEntry *out);

#endif /* RTENF_STACK_SYMBOLS_H */
