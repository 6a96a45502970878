// SPDX-License-Identifier: GPL-2.0-only
#include "elf_symbols.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
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

int elf_find_function(const char *path, const char *sym)
{
	Elf_Scn *scn = NULL;
	int fd, r = -ENOENT;
	Elf *elf;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		r = -ENOEXEC;
		goto out_close;
	}
	while ((scn = elf_nextscn(elf, scn)) && r) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && (sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM))
			r = search_section(elf, scn, &sh, sym);
	}
out_close:
	if (elf)
		elf_end(elf);
	close(fd);
	return r;
}
