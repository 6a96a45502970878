/* SPDX-License-Identifier: GPL-2.0-only */
/* Syscall names and numbers of the architecture rtenf was built for, for
 * syscall64 arguments and spec.lists of type syscalls. */
#ifndef RTENF_SYSCALL_NAMES_H
#define RTENF_SYSCALL_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Tetragon's syscall64 values: bit 31 marks a 32-bit (compat) syscall of a
 * 64-bit kernel; the low bits are its number in that ABI's table. */
#define SYSCALL64_COMPAT_BIT 0x80000000ULL

/* "dup" or "sys_dup" as its native number; false when there is no such
 * syscall on this architecture. */
bool syscall_number(const char *name, uint64_t *id);

/* The name of a syscall64 value ("dup", without "sys_"), NULL when unknown;
 * *abi (if abi is not NULL) is the ABI of the table it was looked up in:
 * "x64" or "i386" on x86. */
const char *syscall_name(uint64_t id, const char **abi);

/* "x64" on x86: the ABI of syscalls without the compat bit. */
const char *syscall_native_abi(void);

/* Every native syscall name, in number order, for generated_syscalls lists
 * and suggestions. */
const char *syscall_name_at(size_t i);
size_t syscall_count(void);

#endif
