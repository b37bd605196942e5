/* object_image.h - an ELF64 x86-64 relocatable object (what `gcc -c` or
 * `nasm -f elf64` emits) laid out at its emulated addresses: allocated
 * sections with relocations applied, symbols, undefined symbols bound to trap
 * slots. What an environment keeps in its own sections (a fixup table) it
 * reads from the sections itself. */
#ifndef TDXABI_OBJECT_IMAGE_H
#define TDXABI_OBJECT_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"

struct image_section {
	char *name;
	uint64_t address;
	uint64_t size;
	uint8_t *bytes; /* size bytes, relocated; zeroes for SHT_NOBITS */
	bool executable;
	bool writable;
	unsigned elf_index; /* its section header index in the file */
};

struct image_symbol {
	char *name;
	uint64_t address;
	uint64_t size;
	int section; /* index into sections, or -1 */
	bool defined;
	bool global;
	bool function;
};

struct image_undefined_symbol {
	char *name;
	uint64_t trap_address;
};

/* A field a relocation wrote: its bytes depend on where things were placed;
 * what it refers to is its type, symbol and addend. */
struct image_relocation {
	uint64_t address;
	unsigned width;
	unsigned type;   /* R_X86_64_* */
	size_t symbol;   /* index into symbols */
	int64_t addend;
};

struct object_image {
	char *file_name;
	uint8_t *file_bytes; /* the object file as read, for its debug information */
	size_t file_size;
	struct image_section *sections;
	size_t section_count;
	struct image_symbol *symbols;
	size_t symbol_count;
	struct image_undefined_symbol *undefined;
	size_t undefined_count;
	struct image_relocation *relocations;
	size_t relocation_count;
};

/* Parses and relocates; every malformed byte is reported as
 * "file: what, where". On failure the image needs no object_image_free. */
enum tdxabi_status object_image_load(const uint8_t *bytes, size_t size, const char *file_name,
				     struct object_image *image, struct diagnostic *diagnostic);
void object_image_free(struct object_image *image);

const struct image_symbol *object_image_find_symbol(const struct object_image *image,
						    const char *name);
/* [start, end) of a defined symbol: its st_size, or when that is 0, up to the
 * next symbol of its section or the section end. */
void object_image_symbol_range(const struct object_image *image,
			       const struct image_symbol *symbol, uint64_t *start, uint64_t *end);
const struct image_section *object_image_section_at(const struct object_image *image,
						    uint64_t address);
/* The first allocated section of that name, or NULL. */
const struct image_section *object_image_find_section(const struct object_image *image,
						      const char *name);
/* The undefined symbol whose trap slot holds `address`, or NULL. */
const struct image_undefined_symbol *object_image_undefined_at(const struct object_image *image,
							       uint64_t address);
/* Whether two functions (of two images) hold the same code: same length and
 * bytes, where a relocated field counts as equal only when both functions
 * have a relocation at that offset of the same type against the same symbol
 * name with the same addend (or, against their own section, the same place
 * relative to the function). *difference is the offset of the first
 * difference. */
bool object_image_same_code(const struct object_image *first, const struct image_symbol *one,
			    const struct object_image *second, const struct image_symbol *other,
			    uint64_t *difference);
/* Whether two images hold the same loaded contents: sections (names, sizes,
 * relocated bytes) and symbols, whatever their debug information says. */
bool object_image_same_contents(const struct object_image *first,
				const struct object_image *second);
/* "__seamcall_ret+0x1f", "section .text+0x40" or "0x7da1..." */
void object_image_describe_address(const struct object_image *image, uint64_t address,
				   char *text, size_t size);

#endif
