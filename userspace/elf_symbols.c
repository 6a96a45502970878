// SPDX-License-Identifier: GPL-2.0-only
#include "elf_symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int search_section(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, const char *sym)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 0; data && i < n; i++) {
		GElf_Sym s;
		const char *name;

		if (!gelf_getsym(data, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC || s.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(elf, sh->sh_link, s.st_name);
		if (name && !strcmp(name, sym))
			return 0;
	}
	return -ENOENT;
}

/* Opens path as an ELF file; on success the caller ends with elf_close(). */
static int elf_open(const char *path, int *fd, Elf **elf)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return -errno;
	*elf = elf_begin(*fd, ELF_C_READ, NULL);
	if (!*elf || elf_kind(*elf) != ELF_K_ELF) {
		if (*elf)
			elf_end(*elf);
		close(*fd);
		return -ENOEXEC;
	}
	return 0;
}

static void elf_close(int fd, Elf *elf)
{
	elf_end(elf);
	close(fd);
}

int elf_find_function(const char *path, const char *sym)
{
	Elf_Scn *scn = NULL;
	Elf *elf;
	int fd, r;

	r = elf_open(path, &fd, &elf);
	if (r)
		return r;
	r = -ENOENT;
	while ((scn = elf_nextscn(elf, scn)) && r) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM))
			r = search_section(elf, scn, &sh, sym);
	}
	elf_close(fd, elf);
	return r;
}

/* The virtual address a file offset is loaded at, from the PT_LOAD segment
 * that holds it. */
static int file_off_to_vaddr(Elf *elf, uint64_t file_off, uint64_t *vaddr)
{
	size_t n;

	if (elf_getphdrnum(elf, &n))
		return -ENOEXEC;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (file_off >= ph.p_offset && file_off < ph.p_offset + ph.p_filesz) {
			*vaddr = file_off - ph.p_offset + ph.p_vaddr;
			return 0;
		}
	}
	return -ENOENT;
}

static int function_in_section(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t vaddr, char **name,
			       uint64_t *sym_off)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;

	for (size_t i = 0; data && i < n; i++) {
		GElf_Sym s;
		const char *sname;

		if (!gelf_getsym(data, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC || s.st_shndx == SHN_UNDEF)
			continue;
		/* a return address can be one past a call that ends a function
		 * (a noreturn callee): sizes are exact, so that frame stays unnamed */
		if (vaddr < s.st_value || vaddr >= s.st_value + (s.st_size ? s.st_size : 1))
			continue;
		sname = elf_strptr(elf, sh->sh_link, s.st_name);
		if (!sname || !*sname)
			continue;
		*name = strdup(sname);
		*sym_off = vaddr - s.st_value;
		return *name ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

int elf_function_at(const char *path, uint64_t file_off, char **name, uint64_t *sym_off)
{
	Elf_Scn *scn = NULL;
	uint64_t vaddr;
	int fd, r;
	Elf *elf;

	r = elf_open(path, &fd, &elf);
	if (r)
		return r;
	r = file_off_to_vaddr(elf, file_off, &vaddr);
	if (r)
		goto out_close;
	r = -ENOENT;
	/* .symtab first: it names static functions .dynsym leaves out */
	for (int pass = 0; pass < 2 && r; pass++) {
		scn = NULL;
		while ((scn = elf_nextscn(elf, scn)) && r) {
			GElf_Shdr sh;

			if (gelf_getshdr(scn, &sh) && sh.sh_type == (pass ? SHT_DYNSYM : SHT_SYMTAB))
				r = function_in_section(elf, scn, &sh, vaddr, name, sym_off);
		}
	}
out_close:
	elf_close(fd, elf);
	return r;
}
