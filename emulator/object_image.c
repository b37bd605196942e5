/* object_image.c - loads an ELF64 x86-64 relocatable object into an
 * object_image: validates every offset against the file, lays sections out
 * from LAYOUT_OBJECT_BASE, resolves symbols, applies relocations. A corrupt
 * file yields one diagnostic, never a crash. */
#include "object_image.h"

#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory_layout.h"
#include "printable_text.h"

#define MAX_SECTION_SIZE (LAYOUT_OBJECT_LIMIT - LAYOUT_OBJECT_BASE)
/* More is refused: the emulator maps and hooks what a stub's object has. */
#define MAX_ALLOCATED_SECTIONS 1024

struct elf_file {
	const uint8_t *bytes;
	size_t size;
	const char *name;
	Elf64_Ehdr header;
	Elf64_Shdr *sections;    /* e_shnum headers, copied out of the file */
	int *image_section;      /* ELF section index -> image section index or -1 */
	const char *section_names;
	size_t section_names_size;
};

static enum tdxabi_status fail(const struct elf_file *elf, struct diagnostic *diagnostic,
			       const char *format, ...) __attribute__((format(printf, 3, 4)));

static enum tdxabi_status fail(const struct elf_file *elf, struct diagnostic *diagnostic,
			       const char *format, ...)
{
	char message[DIAGNOSTIC_TEXT_SIZE];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(message, sizeof(message), format, arguments);
	va_end(arguments);
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: %s", elf->name, message);
}

static enum tdxabi_status out_of_memory(struct diagnostic *diagnostic)
{
	return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
}

/* Whether [offset, offset + length) lies inside a buffer of `size` bytes. */
static bool range_fits(uint64_t offset, uint64_t length, uint64_t size)
{
	return offset <= size && length <= size - offset;
}

static const char *string_at(const char *table, size_t table_size, uint64_t offset)
{
	if (!table || offset >= table_size)
		return NULL;
	if (!memchr(table + offset, '\0', table_size - offset))
		return NULL;
	return table + offset;
}

static const char *section_name(const struct elf_file *elf, size_t index)
{
	const char *name = string_at(elf->section_names, elf->section_names_size,
				     elf->sections[index].sh_name);
	return name ? name : "?";
}

static enum tdxabi_status read_header(struct elf_file *elf, struct diagnostic *diagnostic)
{
	if (elf->size < sizeof(Elf64_Ehdr) || memcmp(elf->bytes, ELFMAG, SELFMAG) != 0)
		return fail(elf, diagnostic, "not an ELF file");
	memcpy(&elf->header, elf->bytes, sizeof(elf->header));
	const Elf64_Ehdr *header = &elf->header;
	if (header->e_ident[EI_CLASS] != ELFCLASS64 || header->e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(elf, diagnostic, "not a 64-bit little-endian ELF file");
	if (header->e_machine != EM_X86_64)
		return fail(elf, diagnostic, "ELF machine %u is not x86-64", header->e_machine);
	if (header->e_type != ET_REL)
		return fail(elf, diagnostic,
			    "ELF type %u is not a relocatable object (give the .o that `gcc -c` makes)",
			    header->e_type);
	if (header->e_shnum == 0 || header->e_shentsize != sizeof(Elf64_Shdr))
		return fail(elf, diagnostic, "no usable section header table (e_shnum %u, e_shentsize %u)",
			    header->e_shnum, header->e_shentsize);
	if (!range_fits(header->e_shoff, (uint64_t)header->e_shnum * sizeof(Elf64_Shdr), elf->size))
		return fail(elf, diagnostic, "section header table at offset 0x%llx runs past the "
			    "end of the %zu-byte file",
			    (unsigned long long)header->e_shoff, elf->size);
	if (header->e_shstrndx >= header->e_shnum)
		return fail(elf, diagnostic, "section name table index %u out of range",
			    header->e_shstrndx);
	return TDXABI_OK;
}

static enum tdxabi_status read_section_headers(struct elf_file *elf, struct diagnostic *diagnostic)
{
	size_t count = elf->header.e_shnum;
	elf->sections = calloc(count, sizeof(Elf64_Shdr));
	elf->image_section = malloc(count * sizeof(int));
	if (!elf->sections || !elf->image_section)
		return out_of_memory(diagnostic);
	memcpy(elf->sections, elf->bytes + elf->header.e_shoff, count * sizeof(Elf64_Shdr));
	for (size_t index = 0; index < count; index++) {
		const Elf64_Shdr *section = &elf->sections[index];
		elf->image_section[index] = -1;
		if (section->sh_type != SHT_NOBITS && section->sh_type != SHT_NULL &&
		    !range_fits(section->sh_offset, section->sh_size, elf->size))
			return fail(elf, diagnostic,
				    "section %zu (offset 0x%llx, size 0x%llx) runs past the end of "
				    "the file",
				    index, (unsigned long long)section->sh_offset,
				    (unsigned long long)section->sh_size);
	}
	const Elf64_Shdr *names = &elf->sections[elf->header.e_shstrndx];
	if (names->sh_type != SHT_STRTAB)
		return fail(elf, diagnostic, "section name table (section %u) is not a string table",
			    elf->header.e_shstrndx);
	elf->section_names = (const char *)elf->bytes + names->sh_offset;
	elf->section_names_size = names->sh_size;
	return TDXABI_OK;
}

/* Names from the file, made printable: a hostile name cannot break a line
 * of output or a JSON report. */
static char *printable_duplicate(const char *text)
{
	char *copy = malloc(strlen(text) + 1);
	if (copy)
		printable_copy(copy, strlen(text) + 1, text);
	return copy;
}

static uint64_t round_up(uint64_t value, uint64_t alignment)
{
	return (value + alignment - 1) & ~(alignment - 1);
}

static enum tdxabi_status lay_out_sections(struct elf_file *elf, struct object_image *image,
					   struct diagnostic *diagnostic)
{
	size_t count = elf->header.e_shnum;
	image->sections = calloc(count, sizeof(*image->sections));
	if (!image->sections)
		return out_of_memory(diagnostic);
	uint64_t next = LAYOUT_OBJECT_BASE;
	size_t allocated = 0;
	for (size_t index = 0; index < count; index++)
		allocated += (elf->sections[index].sh_flags & SHF_ALLOC) &&
			     elf->sections[index].sh_type != SHT_NULL;
	if (allocated > MAX_ALLOCATED_SECTIONS)
		return fail(elf, diagnostic, "%zu allocated sections, more than the %d a stub's object "
			    "may have", allocated, MAX_ALLOCATED_SECTIONS);
	/* sections of one permission (code, writable code, data, writable data)
	 * next to each other, so that the emulator maps each kind once */
	for (size_t pass = 0; pass < 4 * count; pass++) {
		size_t index = pass % count;
		const Elf64_Shdr *header = &elf->sections[index];
		unsigned kind = (header->sh_flags & SHF_EXECINSTR ? 0 : 2) +
				(header->sh_flags & SHF_WRITE ? 1 : 0);
		/* empty allocated sections get an address (labels may live there), no memory */
		if (!(header->sh_flags & SHF_ALLOC) || header->sh_type == SHT_NULL ||
		    kind != pass / count)
			continue;
		const char *name = section_name(elf, index);
		if (header->sh_size > MAX_SECTION_SIZE)
			return fail(elf, diagnostic, "section %s is %llu bytes, more than the %llu-byte limit",
				    name, (unsigned long long)header->sh_size,
				    (unsigned long long)MAX_SECTION_SIZE);
		if (header->sh_addralign > LAYOUT_PAGE_SIZE)
			return fail(elf, diagnostic, "section %s asks for %llu-byte alignment (at most 4096)",
				    name, (unsigned long long)header->sh_addralign);
		uint64_t address = round_up(next, LAYOUT_PAGE_SIZE);
		if (address + header->sh_size > LAYOUT_OBJECT_LIMIT)
			return fail(elf, diagnostic, "allocated sections exceed the %llu-byte object area",
				    (unsigned long long)(LAYOUT_OBJECT_LIMIT - LAYOUT_OBJECT_BASE));
		struct image_section *section = &image->sections[image->section_count];
		section->name = printable_duplicate(name);
		section->bytes = calloc(1, header->sh_size ? header->sh_size : 1);
		if (!section->name || !section->bytes) {
			free(section->name);
			free(section->bytes);
			return out_of_memory(diagnostic);
		}
		if (header->sh_type != SHT_NOBITS)
			memcpy(section->bytes, elf->bytes + header->sh_offset, header->sh_size);
		section->address = address;
		section->size = header->sh_size;
		section->executable = header->sh_flags & SHF_EXECINSTR;
		section->writable = header->sh_flags & SHF_WRITE;
		section->elf_index = (unsigned)index;
		elf->image_section[index] = (int)image->section_count++;
		next = address + header->sh_size;
	}
	return TDXABI_OK;
}

static int find_symbol_table(const struct elf_file *elf)
{
	for (size_t index = 0; index < elf->header.e_shnum; index++)
		if (elf->sections[index].sh_type == SHT_SYMTAB)
			return (int)index;
	return -1;
}

static enum tdxabi_status bind_undefined(struct object_image *image, const char *name,
					 const struct elf_file *elf, uint64_t *address,
					 struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < image->undefined_count; index++) {
		if (strcmp(image->undefined[index].name, name) == 0) {
			*address = image->undefined[index].trap_address;
			return TDXABI_OK;
		}
	}
	if (image->undefined_count == LAYOUT_MAX_UNDEFINED_SYMBOLS)
		return fail(elf, diagnostic, "more than %llu undefined symbols",
			    (unsigned long long)LAYOUT_MAX_UNDEFINED_SYMBOLS);
	struct image_undefined_symbol *slot = &image->undefined[image->undefined_count];
	if (!(slot->name = printable_duplicate(name)))
		return out_of_memory(diagnostic);
	slot->trap_address = LAYOUT_UNDEFINED_SYMBOL_PAGE +
			     image->undefined_count * LAYOUT_UNDEFINED_SYMBOL_SLOT;
	image->undefined_count++;
	*address = slot->trap_address;
	return TDXABI_OK;
}

static enum tdxabi_status read_symbols(struct elf_file *elf, int symtab_index,
				       struct object_image *image, struct diagnostic *diagnostic)
{
	const Elf64_Shdr *symtab = &elf->sections[symtab_index];
	if (symtab->sh_entsize != sizeof(Elf64_Sym) || symtab->sh_size % sizeof(Elf64_Sym) != 0)
		return fail(elf, diagnostic, "symbol table entry size %llu is not %zu",
			    (unsigned long long)symtab->sh_entsize, sizeof(Elf64_Sym));
	if (symtab->sh_link >= elf->header.e_shnum ||
	    elf->sections[symtab->sh_link].sh_type != SHT_STRTAB)
		return fail(elf, diagnostic, "symbol table links to section %u, not a string table",
			    symtab->sh_link);
	const Elf64_Shdr *strtab = &elf->sections[symtab->sh_link];
	const char *strings = (const char *)elf->bytes + strtab->sh_offset;
	size_t count = symtab->sh_size / sizeof(Elf64_Sym);
	image->symbols = calloc(count ? count : 1, sizeof(*image->symbols));
	image->undefined = calloc(LAYOUT_MAX_UNDEFINED_SYMBOLS, sizeof(*image->undefined));
	if (!image->symbols || !image->undefined)
		return out_of_memory(diagnostic);
	for (size_t index = 0; index < count; index++) {
		Elf64_Sym entry;
		memcpy(&entry, elf->bytes + symtab->sh_offset + index * sizeof(entry), sizeof(entry));
		struct image_symbol *symbol = &image->symbols[image->symbol_count++];
		symbol->section = -1;
		const char *name = string_at(strings, strtab->sh_size, entry.st_name);
		if (!name)
			return fail(elf, diagnostic, "symbol %zu has a name outside the string table", index);
		unsigned type = ELF64_ST_TYPE(entry.st_info);
		if (type == STT_SECTION && entry.st_shndx < elf->header.e_shnum)
			name = section_name(elf, entry.st_shndx);
		if (!(symbol->name = printable_duplicate(name)))
			return out_of_memory(diagnostic);
		symbol->size = entry.st_size;
		symbol->global = ELF64_ST_BIND(entry.st_info) != STB_LOCAL;
		symbol->function = type == STT_FUNC;
		if (index == 0) {
			symbol->defined = true; /* the null symbol: value 0 for relocations */
			continue;
		}
		if (entry.st_shndx == SHN_UNDEF) {
			enum tdxabi_status status =
				bind_undefined(image, symbol->name, elf, &symbol->address, diagnostic);
			if (status != TDXABI_OK)
				return status;
		} else if (entry.st_shndx == SHN_ABS) {
			symbol->address = entry.st_value;
			symbol->defined = true;
		} else if (entry.st_shndx >= SHN_LORESERVE || entry.st_shndx >= elf->header.e_shnum) {
			return fail(elf, diagnostic,
				    "symbol %s is in section 0x%x (COMMON or extended index: unsupported)",
				    name, entry.st_shndx);
		} else if (elf->image_section[entry.st_shndx] >= 0) {
			const struct image_section *section =
				&image->sections[elf->image_section[entry.st_shndx]];
			if (entry.st_value > section->size)
				return fail(elf, diagnostic, "symbol %s lies past the end of section %s",
					    name, section->name);
			symbol->section = elf->image_section[entry.st_shndx];
			symbol->address = section->address + entry.st_value;
			symbol->defined = true;
		}
	}
	return TDXABI_OK;
}

static const char *relocation_name(unsigned type)
{
	switch (type) {
	case R_X86_64_64: return "R_X86_64_64";
	case R_X86_64_PC32: return "R_X86_64_PC32";
	case R_X86_64_PLT32: return "R_X86_64_PLT32";
	case R_X86_64_32: return "R_X86_64_32";
	case R_X86_64_32S: return "R_X86_64_32S";
	case R_X86_64_PC64: return "R_X86_64_PC64";
	case R_X86_64_GOTPCREL: return "R_X86_64_GOTPCREL";
	case R_X86_64_GOTPCRELX: return "R_X86_64_GOTPCRELX";
	case R_X86_64_REX_GOTPCRELX: return "R_X86_64_REX_GOTPCRELX";
	case R_X86_64_TPOFF32: return "R_X86_64_TPOFF32";
	default: return "relocation";
	}
}

static enum tdxabi_status apply_relocation(const struct elf_file *elf, struct object_image *image,
					   struct image_section *target, const Elf64_Rela *rela,
					   const char *relocation_section,
					   struct diagnostic *diagnostic)
{
	unsigned type = ELF64_R_TYPE(rela->r_info);
	size_t symbol_index = ELF64_R_SYM(rela->r_info);
	if (type == R_X86_64_NONE)
		return TDXABI_OK;
	if (symbol_index >= image->symbol_count)
		return fail(elf, diagnostic, "%s at offset 0x%llx names symbol %zu of %zu",
			    relocation_section, (unsigned long long)rela->r_offset, symbol_index,
			    image->symbol_count);
	const struct image_symbol *symbol = &image->symbols[symbol_index];
	if (!symbol->defined && symbol->address == 0)
		return fail(elf, diagnostic, "%s at offset 0x%llx refers to %s, which is in a section "
			    "that is not loaded",
			    relocation_section, (unsigned long long)rela->r_offset, symbol->name);
	unsigned width = (type == R_X86_64_64 || type == R_X86_64_PC64) ? 8 : 4;
	if (!range_fits(rela->r_offset, width, target->size))
		return fail(elf, diagnostic, "%s: %s at offset 0x%llx lies outside %s",
			    relocation_section, relocation_name(type),
			    (unsigned long long)rela->r_offset, target->name);
	uint64_t value = symbol->address + (uint64_t)rela->r_addend;
	uint64_t place = target->address + rela->r_offset;
	int64_t relative = (int64_t)(value - place);
	bool fits = true;
	switch (type) {
	case R_X86_64_64:
		break;
	case R_X86_64_PC64:
		value -= place;
		break;
	case R_X86_64_PC32:
	case R_X86_64_PLT32:
		fits = relative >= INT32_MIN && relative <= INT32_MAX;
		value = (uint64_t)relative;
		break;
	case R_X86_64_32:
		fits = value <= UINT32_MAX;
		break;
	case R_X86_64_32S:
		fits = (int64_t)value >= INT32_MIN && (int64_t)value <= INT32_MAX;
		break;
	default:
		return fail(elf, diagnostic,
			    "unsupported %s (type %u) in %s at offset 0x%llx against %s", relocation_name(type),
			    type, relocation_section, (unsigned long long)rela->r_offset,
			    symbol->name);
	}
	if (!fits)
		return fail(elf, diagnostic, "%s at offset 0x%llx against %s overflows its field",
			    relocation_name(type), (unsigned long long)rela->r_offset, symbol->name);
	memcpy(target->bytes + rela->r_offset, &value, width); /* x86-64 is little-endian */
	struct image_relocation *relocations =
		realloc(image->relocations, (image->relocation_count + 1) * sizeof(*relocations));
	if (!relocations)
		return out_of_memory(diagnostic);
	image->relocations = relocations;
	image->relocations[image->relocation_count++] =
		(struct image_relocation){target->address + rela->r_offset, width, type, symbol_index,
					  rela->r_addend};
	return TDXABI_OK;
}

static enum tdxabi_status apply_relocations(const struct elf_file *elf, int symtab_index,
					    struct object_image *image, struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < elf->header.e_shnum; index++) {
		const Elf64_Shdr *header = &elf->sections[index];
		if (header->sh_type == SHT_REL)
			return fail(elf, diagnostic, "section %s uses SHT_REL, which x86-64 objects never do",
				    section_name(elf, index));
		if (header->sh_type != SHT_RELA)
			continue;
		const char *name = section_name(elf, index);
		if (header->sh_info >= elf->header.e_shnum)
			return fail(elf, diagnostic, "%s applies to section %u, which does not exist", name,
				    header->sh_info);
		int target = elf->image_section[header->sh_info];
		if (target < 0)
			continue; /* debug information and other unloaded sections */
		if ((int)header->sh_link != symtab_index)
			return fail(elf, diagnostic, "%s uses section %u as its symbol table", name,
				    header->sh_link);
		if (header->sh_entsize != sizeof(Elf64_Rela) || header->sh_size % sizeof(Elf64_Rela))
			return fail(elf, diagnostic, "%s entry size %llu is not %zu", name,
				    (unsigned long long)header->sh_entsize, sizeof(Elf64_Rela));
		for (uint64_t offset = 0; offset < header->sh_size; offset += sizeof(Elf64_Rela)) {
			Elf64_Rela rela;
			memcpy(&rela, elf->bytes + header->sh_offset + offset, sizeof(rela));
			enum tdxabi_status status = apply_relocation(
				elf, image, &image->sections[target], &rela, name, diagnostic);
			if (status != TDXABI_OK)
				return status;
		}
	}
	return TDXABI_OK;
}

enum tdxabi_status object_image_load(const uint8_t *bytes, size_t size, const char *file_name,
				     struct object_image *image, struct diagnostic *diagnostic)
{
	memset(image, 0, sizeof(*image));
	struct elf_file elf = {.bytes = bytes, .size = size, .name = file_name};
	enum tdxabi_status status = TDXABI_OK;
	if (!(image->file_name = strdup(file_name)) || !(image->file_bytes = malloc(size ? size : 1)))
		status = out_of_memory(diagnostic);
	if (status == TDXABI_OK) {
		memcpy(image->file_bytes, bytes, size);
		image->file_size = size;
	}
	if (status == TDXABI_OK)
		status = read_header(&elf, diagnostic);
	if (status == TDXABI_OK)
		status = read_section_headers(&elf, diagnostic);
	if (status == TDXABI_OK)
		status = lay_out_sections(&elf, image, diagnostic);
	int symtab_index = status == TDXABI_OK ? find_symbol_table(&elf) : -1;
	if (status == TDXABI_OK && symtab_index < 0)
		status = fail(&elf, diagnostic, "no symbol table (was the object stripped?)");
	if (status == TDXABI_OK)
		status = read_symbols(&elf, symtab_index, image, diagnostic);
	if (status == TDXABI_OK)
		status = apply_relocations(&elf, symtab_index, image, diagnostic);
	free(elf.sections);
	free(elf.image_section);
	if (status != TDXABI_OK)
		object_image_free(image);
	return status;
}

void object_image_free(struct object_image *image)
{
	for (size_t index = 0; index < image->section_count; index++) {
		free(image->sections[index].name);
		free(image->sections[index].bytes);
	}
	for (size_t index = 0; index < image->symbol_count; index++)
		free(image->symbols[index].name);
	for (size_t index = 0; index < image->undefined_count; index++)
		free(image->undefined[index].name);
	free(image->sections);
	free(image->symbols);
	free(image->undefined);
	free(image->relocations);
	free(image->file_name);
	free(image->file_bytes);
	memset(image, 0, sizeof(*image));
}

const struct image_section *object_image_find_section(const struct object_image *image,
						      const char *name)
{
	for (size_t index = 0; index < image->section_count; index++)
		if (strcmp(image->sections[index].name, name) == 0)
			return &image->sections[index];
	return NULL;
}

const struct image_symbol *object_image_find_symbol(const struct object_image *image,
						    const char *name)
{
	const struct image_symbol *local = NULL;
	for (size_t index = 0; index < image->symbol_count; index++) {
		const struct image_symbol *symbol = &image->symbols[index];
		if (!symbol->defined || symbol->section < 0 || strcmp(symbol->name, name) != 0)
			continue;
		if (symbol->global)
			return symbol;
		if (!local)
			local = symbol;
	}
	return local;
}

void object_image_symbol_range(const struct object_image *image,
			       const struct image_symbol *symbol, uint64_t *start, uint64_t *end)
{
	*start = symbol->address;
	*end = symbol->address + symbol->size;
	if (symbol->size != 0 || symbol->section < 0)
		return;
	const struct image_section *section = &image->sections[symbol->section];
	*end = section->address + section->size;
	for (size_t index = 0; index < image->symbol_count; index++) {
		const struct image_symbol *other = &image->symbols[index];
		if (other->section == symbol->section && other->address > symbol->address &&
		    other->address < *end && other->name[0] && strcmp(other->name, section->name) != 0)
			*end = other->address;
	}
}

const struct image_section *object_image_section_at(const struct object_image *image,
						    uint64_t address)
{
	for (size_t index = 0; index < image->section_count; index++) {
		const struct image_section *section = &image->sections[index];
		if (address >= section->address && address - section->address < section->size)
			return section;
	}
	return NULL;
}

const struct image_undefined_symbol *object_image_undefined_at(const struct object_image *image,
							       uint64_t address)
{
	if (address < LAYOUT_UNDEFINED_SYMBOL_PAGE)
		return NULL;
	uint64_t slot = (address - LAYOUT_UNDEFINED_SYMBOL_PAGE) / LAYOUT_UNDEFINED_SYMBOL_SLOT;
	return slot < image->undefined_count ? &image->undefined[slot] : NULL;
}

static const struct image_relocation *relocation_at(const struct object_image *image,
						    uint64_t address)
{
	for (size_t index = 0; index < image->relocation_count; index++)
		if (address >= image->relocations[index].address &&
		    address < image->relocations[index].address + image->relocations[index].width)
			return &image->relocations[index];
	return NULL;
}

static const uint8_t *code_byte(const struct object_image *image, uint64_t address)
{
	const struct image_section *section = object_image_section_at(image, address);
	return section ? &section->bytes[address - section->address] : NULL;
}

/* Whether two relocations, each at the same offset of its function, refer
 * to the same thing: same type, and the same symbol name and addend, or a
 * target in the function's own section at the same place relative to it. */
static bool same_relocation(const struct object_image *first, const struct image_relocation *one,
			    uint64_t start_one, const struct object_image *second,
			    const struct image_relocation *other, uint64_t start_other)
{
	if (one->type != other->type || one->width != other->width ||
	    one->address - start_one != other->address - start_other ||
	    one->symbol >= first->symbol_count || other->symbol >= second->symbol_count)
		return false;
	const struct image_symbol *symbol_one = &first->symbols[one->symbol];
	const struct image_symbol *symbol_other = &second->symbols[other->symbol];
	if (one->addend == other->addend && strcmp(symbol_one->name, symbol_other->name) == 0)
		return true;
	const struct image_section *home_one = object_image_section_at(first, start_one);
	const struct image_section *home_other = object_image_section_at(second, start_other);
	return symbol_one->defined && symbol_other->defined && symbol_one->section >= 0 &&
	       symbol_other->section >= 0 && home_one == &first->sections[symbol_one->section] &&
	       home_other == &second->sections[symbol_other->section] &&
	       symbol_one->address + (uint64_t)one->addend - start_one ==
		       symbol_other->address + (uint64_t)other->addend - start_other;
}

bool object_image_same_code(const struct object_image *first, const struct image_symbol *one,
			    const struct object_image *second, const struct image_symbol *other,
			    uint64_t *difference)
{
	uint64_t start_one, end_one, start_other, end_other;
	object_image_symbol_range(first, one, &start_one, &end_one);
	object_image_symbol_range(second, other, &start_other, &end_other);
	uint64_t length = end_one - start_one, other_length = end_other - start_other;
	for (uint64_t offset = 0; offset < length && offset < other_length; offset++) {
		const uint8_t *a = code_byte(first, start_one + offset);
		const uint8_t *b = code_byte(second, start_other + offset);
		const struct image_relocation *field = relocation_at(first, start_one + offset);
		const struct image_relocation *other_field = relocation_at(second, start_other + offset);
		bool same = a && b &&
			    (field || other_field
				     ? field && other_field &&
					       same_relocation(first, field, start_one, second, other_field,
							       start_other)
				     : *a == *b);
		if (same)
			continue;
		*difference = offset;
		return false;
	}
	*difference = length < other_length ? length : other_length;
	return length == other_length;
}

void object_image_describe_address(const struct object_image *image, uint64_t address,
				   char *text, size_t size)
{
	const struct image_section *section = object_image_section_at(image, address);
	if (!section) {
		const struct image_undefined_symbol *undefined = object_image_undefined_at(image, address);
		if (undefined)
			snprintf(text, size, "%s (undefined)", undefined->name);
		else
			snprintf(text, size, "0x%llx", (unsigned long long)address);
		return;
	}
	const struct image_symbol *best = NULL;
	for (size_t index = 0; index < image->symbol_count; index++) {
		const struct image_symbol *symbol = &image->symbols[index];
		if (!symbol->defined || symbol->section < 0 ||
		    &image->sections[symbol->section] != section || symbol->address > address ||
		    !symbol->name[0] || strcmp(symbol->name, section->name) == 0)
			continue;
		/* prefer the closest symbol; among equals, a global function */
		if (!best || symbol->address > best->address ||
		    (symbol->address == best->address && symbol->global && !best->global))
			best = symbol;
	}
	if (best)
		snprintf(text, size, "%s+0x%llx", best->name,
			 (unsigned long long)(address - best->address));
	else
		snprintf(text, size, "%s+0x%llx", section->name,
			 (unsigned long long)(address - section->address));
}

bool object_image_same_contents(const struct object_image *first,
				const struct object_image *second)
{
	if (first->section_count != second->section_count ||
	    first->symbol_count != second->symbol_count ||
	    first->undefined_count != second->undefined_count)
		return false;
	for (size_t index = 0; index < first->section_count; index++) {
		const struct image_section *one = &first->sections[index], *other = &second->sections[index];
		if (strcmp(one->name, other->name) != 0 || one->size != other->size ||
		    one->address != other->address || memcmp(one->bytes, other->bytes, one->size) != 0)
			return false;
	}
	for (size_t index = 0; index < first->symbol_count; index++) {
		const struct image_symbol *one = &first->symbols[index], *other = &second->symbols[index];
		if (strcmp(one->name, other->name) != 0 || one->address != other->address ||
		    one->size != other->size || one->defined != other->defined ||
		    one->global != other->global || one->function != other->function)
			return false;
	}
	for (size_t index = 0; index < first->undefined_count; index++)
		if (strcmp(first->undefined[index].name, second->undefined[index].name) != 0)
			return false;
	return true;
}
