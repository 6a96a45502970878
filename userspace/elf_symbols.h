/* SPDX-License-Identifier: GPL-2.0-only */
/* Does an ELF file (binary or shared library) define a function? Checked
 * before a uprobe is attached, so a typo is an error with its location. */
#ifndef RTENF_ELF_SYMBOLS_H
#define RTENF_ELF_SYMBOLS_H

/* 0 if path defines a function named sym (.symtab or .dynsym); -ENOENT if
 * it does not; -ENOEXEC if it is not ELF; -errno if it cannot be read. */
int elf_find_function(const char *path, const char *sym);

#endif /* RTENF_ELF_SYMBOLS_H */
