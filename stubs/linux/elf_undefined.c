/* elf_undefined.c - elf_first_unexpected_undefined() of elf_undefined.h:
 * walks the symbol table with every offset and size checked. */
#include "elf_undefined.h"

#include <elf.h>
#include <stdio.h>
#include <string.h>

static bool fits(uint64_t offset, uint64_t length, size_t size)
{
	return offset <= size && length <= size - offset;
}

static bool malformed(char *name, size_t name_size)
{
	snprintf(name, name_size, "(malformed ELF)");
	return true;
}

bool elf_first_unexpected_undefined(const unsigned char *bytes, size_t size,
				    bool (*allowed)(const char *name), char *name,
				    size_t name_size)
{
	Elf64_Ehdr header;
	if (size < sizeof(header))
		return malformed(name, name_size);
	memcpy(&header, bytes, sizeof(header));
	if (memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64 ||
	    header.e_shentsize != sizeof(Elf64_Shdr) ||
	    !fits(header.e_shoff, (uint64_t)header.e_shnum * sizeof(Elf64_Shdr), size))
		return malformed(name, name_size);
	for (size_t index = 0; index < header.e_shnum; index++) {
		Elf64_Shdr symtab, strtab;
		memcpy(&symtab, bytes + header.e_shoff + index * sizeof(symtab), sizeof(symtab));
		if (symtab.sh_type != SHT_SYMTAB)
			continue;
		if (symtab.sh_link >= header.e_shnum || !fits(symtab.sh_offset, symtab.sh_size, size))
			return malformed(name, name_size);
		memcpy(&strtab, bytes + header.e_shoff + symtab.sh_link * sizeof(strtab), sizeof(strtab));
		if (!fits(strtab.sh_offset, strtab.sh_size, size) || strtab.sh_size == 0 ||
		    bytes[strtab.sh_offset + strtab.sh_size - 1] != '\0')
			return malformed(name, name_size);
		const char *strings = (const char *)bytes + strtab.sh_offset;
		for (uint64_t offset = sizeof(Elf64_Sym); offset + sizeof(Elf64_Sym) <= symtab.sh_size;
		     offset += sizeof(Elf64_Sym)) {
			Elf64_Sym symbol;
			memcpy(&symbol, bytes + symtab.sh_offset + offset, sizeof(symbol));
			if (symbol.st_shndx != SHN_UNDEF || symbol.st_name == 0)
				continue;
			if (symbol.st_name >= strtab.sh_size)
				return malformed(name, name_size);
			if (!allowed(strings + symbol.st_name)) {
				snprintf(name, name_size, "%s", strings + symbol.st_name);
				return true;
			}
		}
	}
	return false;
}
