/* SPDX-License-Identifier: GPL-2.0-only */
/* Functions of an ELF file (binary or shared library): does it define one
 * (checked before a uprobe is attached, so a typo is an error with its
 * location), and which one holds a code address (user stack frames). */
#ifndef RTENF_ELF_SYMBOLS_H
#define RTENF_ELF_SYMBOLS_H

/* 0 if path defines a function named sym (.symtab or .dynsym); -ENOENT if
 * it does not; -ENOEXEC if it is not ELF; -errno if it cannot be read. */
int elf_find_function(const char *path, const char *sym);

#include <stdint.h>

/* The function of path whose code holds the byte at file offset file_off
 * (a mapped address minus its mapping's start plus the mapping's file
 * offset): 0 with *name (malloc'd) and *sym_off, the distance from the
 * function's start; -ENOENT if no function symbol covers it; -ENOEXEC if
 * path is not ELF; -errno if it cannot be read. */
int elf_function_at(const char *path, uint64_t file_off, char **name, uint64_t *sym_off);

#endif /* RTENF_ELF_SYMBOLS_H */
