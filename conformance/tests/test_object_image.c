/* test_object_image.c - the ELF loader: each relocation type lands where the
 * CPU reads it, undefined symbols get trap slots, __ex_table entries resolve,
 * and corrupt or unsupported objects (including every truncation and random
 * byte corruption of a real one) give one diagnostic, never a crash. */
#define _GNU_SOURCE /* memmem */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "memory_layout.h"
#include "test_support.h"

#include "linux_environment.h"

#define RELOCATIONS TDXABI_FIXTURE_DIR "/relocations.o"
#define SAME_CODE TDXABI_FIXTURE_DIR "/same_code.o"

static uint64_t symbol_address(const struct object_image *image, const char *name)
{
	const struct image_symbol *symbol = object_image_find_symbol(image, name);
	if (!symbol)
		fail_msg("no symbol %s", name);
	return symbol->address;
}

static uint64_t read_field(const struct object_image *image, uint64_t address, unsigned width)
{
	const struct image_section *section = object_image_section_at(image, address);
	assert_non_null(section);
	uint64_t value = 0;
	memcpy(&value, section->bytes + (address - section->address), width);
	if (width == 4)
		value = (uint64_t)(int64_t)(int32_t)value;
	return value;
}

static uint64_t trap_of(const struct object_image *image, const char *name)
{
	for (size_t index = 0; index < image->undefined_count; index++)
		if (strcmp(image->undefined[index].name, name) == 0)
			return image->undefined[index].trap_address;
	fail_msg("%s is not undefined", name);
	return 0;
}

static void test_relocations_land_where_the_cpu_reads_them(void **state)
{
	(void)state;
	struct object_image image;
	load_test_object(RELOCATIONS, &image);
	uint64_t data = symbol_address(&image, "data_word");
	uint64_t end_pc32 = symbol_address(&image, "end_pc32");
	assert_int_equal(read_field(&image, symbol_address(&image, "end_64") - 8, 8), data);
	assert_int_equal(read_field(&image, end_pc32 - 4, 4), data - end_pc32);
	uint64_t end_plt32 = symbol_address(&image, "end_plt32");
	assert_int_equal(read_field(&image, end_plt32 - 4, 4),
			 trap_of(&image, "external_function") - end_plt32);
	assert_int_equal(read_field(&image, symbol_address(&image, "end_32") - 4, 4) & 0xFFFFFFFF,
			 data);
	assert_int_equal(read_field(&image, symbol_address(&image, "end_32s") - 4, 4), data);
	uint64_t end_thunk = symbol_address(&image, "end_thunk");
	assert_int_equal(read_field(&image, end_thunk - 4, 4),
			 trap_of(&image, "__x86_return_thunk") - end_thunk);
	/* .data: an absolute pointer with addend, a PC64 difference */
	assert_int_equal(read_field(&image, data, 8), 0x1122334455667788ull);
	assert_int_equal(read_field(&image, data + 8, 8), symbol_address(&image, "fixture_entry") + 4);
	assert_int_equal(read_field(&image, data + 16, 8), data - (data + 16));
	object_image_free(&image);
}

static void test_sections_symbols_and_traps(void **state)
{
	(void)state;
	struct object_image image;
	load_test_object(RELOCATIONS, &image);
	const struct image_symbol *entry = object_image_find_symbol(&image, "fixture_entry");
	assert_true(entry->global && entry->function && entry->defined);
	const struct image_section *text = object_image_section_at(&image, entry->address);
	assert_string_equal(text->name, ".text");
	assert_true(text->executable);
	assert_false(text->writable);
	assert_int_equal(text->address % LAYOUT_PAGE_SIZE, 0);
	assert_true(text->address >= LAYOUT_OBJECT_BASE);
	const struct image_section *data =
		object_image_section_at(&image, symbol_address(&image, "data_word"));
	assert_true(data->writable && !data->executable);
	assert_int_not_equal(data->address, text->address);

	assert_int_equal(image.undefined_count, 2);
	uint64_t first = trap_of(&image, "external_function"), second = trap_of(&image, "__x86_return_thunk");
	assert_int_not_equal(first, second);
	assert_string_equal(object_image_undefined_at(&image, second)->name, "__x86_return_thunk");
	assert_null(object_image_undefined_at(&image, LAYOUT_UNDEFINED_SYMBOL_PAGE + 0x800));
	assert_null(object_image_find_symbol(&image, "external_function"));

	uint64_t start, end;
	object_image_symbol_range(&image, entry, &start, &end);
	assert_int_equal(end - start, entry->size);
	const struct image_symbol *second_function = object_image_find_symbol(&image, "second_function");
	assert_int_equal(second_function->size, 0);
	object_image_symbol_range(&image, second_function, &start, &end);
	assert_int_equal(end, symbol_address(&image, "third_function"));

	char text_buffer[96];
	object_image_describe_address(&image, second_function->address + 1, text_buffer,
				      sizeof(text_buffer));
	assert_string_equal(text_buffer, "second_function+0x1");
	object_image_describe_address(&image, first, text_buffer, sizeof(text_buffer));
	assert_string_equal(text_buffer, "external_function (undefined)");
	object_image_free(&image);
}

static void test_exception_table(void **state)
{
	(void)state;
	struct object_image image;
	load_test_object(RELOCATIONS, &image);
	uint64_t entry = symbol_address(&image, "fixture_entry");
	uint64_t second = symbol_address(&image, "second_function");
	struct linux_exception_table table;
	struct diagnostic diagnostic;
	assert_int_equal(linux_exception_table_read(&image, &table, &diagnostic), TDXABI_OK);
	assert_int_equal(table.count, 2);
	const struct linux_exception *fault = linux_exception_find(&table, entry);
	assert_non_null(fault);
	assert_int_equal(fault->fixup, second);
	assert_int_equal(fault->type, 2);
	const struct linux_exception *other = linux_exception_find(&table, second + 1);
	assert_non_null(other);
	assert_int_equal(other->fixup, entry);
	assert_int_equal(other->type, 0xa001);
	assert_null(linux_exception_find(&table, entry + 1));
	linux_exception_table_free(&table);
	/* a table that is not whole entries is refused naming the file */
	struct image_section *section = (struct image_section *)object_image_find_section(&image, "__ex_table");
	assert_non_null(section);
	section->size -= 1;
	assert_int_equal(linux_exception_table_read(&image, &table, &diagnostic), TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "__ex_table is 23 bytes, not a whole number of 12-byte entries");
	section->size += 1;
	object_image_free(&image);
}

static void expect_refused(const uint8_t *bytes, size_t size, const char *expected)
{
	struct object_image image;
	struct diagnostic diagnostic = {""};
	enum tdxabi_status status = object_image_load(bytes, size, "bad.o", &image, &diagnostic);
	if (status != TDXABI_BAD_INPUT || !strstr(diagnostic.text, expected))
		fail_msg("status %d, diagnostic \"%s\", expected \"%s\"", status, diagnostic.text, expected);
	assert_non_null(strstr(diagnostic.text, "bad.o: "));
}

static void test_unsupported_and_overflowing_relocations(void **state)
{
	(void)state;
	size_t size;
	uint8_t *bytes = read_test_file(TDXABI_FIXTURE_DIR "/unsupported_relocation.o", &size);
	expect_refused(bytes, size, "unsupported R_X86_64_REX_GOTPCRELX (type 42) in .rela.text");
	free(bytes);
	bytes = read_test_file(TDXABI_FIXTURE_DIR "/relocation_overflow.o", &size);
	expect_refused(bytes, size, "R_X86_64_32 at offset 0x1 against too_far overflows its field");
	free(bytes);
}

static void test_corrupt_headers(void **state)
{
	(void)state;
	size_t size;
	uint8_t *good = read_test_file(RELOCATIONS, &size);
	uint8_t *bytes = malloc(size);
	Elf64_Ehdr header;
	memcpy(&header, good, sizeof(header));

	expect_refused(good, 10, "not an ELF file");
	expect_refused((const uint8_t *)"hello world, not an object at all........................"
					 "...........",
		       64, "not an ELF file");
	memcpy(bytes, good, size);
	bytes[EI_CLASS] = ELFCLASS32;
	expect_refused(bytes, size, "not a 64-bit little-endian ELF file");
	memcpy(bytes, good, size);
	((Elf64_Ehdr *)bytes)->e_type = ET_EXEC;
	expect_refused(bytes, size, "is not a relocatable object");
	memcpy(bytes, good, size);
	((Elf64_Ehdr *)bytes)->e_machine = EM_AARCH64;
	expect_refused(bytes, size, "is not x86-64");
	memcpy(bytes, good, size);
	((Elf64_Ehdr *)bytes)->e_shoff = size - 8;
	expect_refused(bytes, size, "section header table at offset");
	memcpy(bytes, good, size);
	((Elf64_Ehdr *)bytes)->e_shstrndx = header.e_shnum + 3;
	expect_refused(bytes, size, "section name table index");
	memcpy(bytes, good, size);
	Elf64_Shdr *sections = (Elf64_Shdr *)(bytes + header.e_shoff);
	for (int index = 1; index < header.e_shnum; index++) {
		if (sections[index].sh_type == SHT_PROGBITS) {
			sections[index].sh_offset = size * 4;
			break;
		}
	}
	expect_refused(bytes, size, "runs past the end of the file");
	memcpy(bytes, good, size);
	for (int index = 1; index < header.e_shnum; index++)
		if (sections[index].sh_type == SHT_SYMTAB)
			sections[index].sh_entsize = 12;
	expect_refused(bytes, size, "symbol table entry size 12");
	memcpy(bytes, good, size);
	for (int index = 1; index < header.e_shnum; index++)
		if (sections[index].sh_type == SHT_SYMTAB)
			sections[index].sh_type = SHT_PROGBITS;
	expect_refused(bytes, size, "no symbol table");
	memcpy(bytes, good, size);
	for (int index = 1; index < header.e_shnum; index++) {
		if (sections[index].sh_type == SHT_RELA) {
			Elf64_Rela *first = (Elf64_Rela *)(bytes + sections[index].sh_offset);
			first->r_offset = 1u << 20;
			break;
		}
	}
	expect_refused(bytes, size, "lies outside");
	free(bytes);
	free(good);
}

static void test_empty_allocated_section(void **state)
{
	(void)state;
	struct object_image image;
	load_test_object(TDXABI_FIXTURE_DIR "/empty_section.o", &image);
	uint64_t marker = symbol_address(&image, "marker");
	assert_true(marker >= LAYOUT_OBJECT_BASE);
	assert_int_equal(read_field(&image, symbol_address(&image, "uses_marker") + 2, 8), marker);
	object_image_free(&image);
}

/* An allocated SHT_NULL section header pointing past the file is ignored,
 * not read; names with control bytes come out printable. */
static void test_hostile_headers_and_names(void **state)
{
	(void)state;
	size_t size;
	uint8_t *bytes = read_test_file(RELOCATIONS, &size);
	Elf64_Ehdr header;
	memcpy(&header, bytes, sizeof(header));
	Elf64_Shdr *sections = (Elf64_Shdr *)(bytes + header.e_shoff);
	sections[0].sh_flags = SHF_ALLOC;
	sections[0].sh_size = 64;
	sections[0].sh_offset = size;
	/* in the symbols' string table: clang also writes the name into DWARF */
	const Elf64_Shdr *strings = NULL;
	for (unsigned index = 0; index < header.e_shnum; index++)
		if (sections[index].sh_type == SHT_SYMTAB)
			strings = &sections[sections[index].sh_link];
	assert_non_null(strings);
	uint8_t *name = memmem(bytes + strings->sh_offset, strings->sh_size, "second_function", 16);
	assert_non_null(name);
	name[6] = '\n';
	struct object_image image;
	struct diagnostic diagnostic;
	assert_int_equal(object_image_load(bytes, size, "hostile.o", &image, &diagnostic), TDXABI_OK);
	assert_null(object_image_find_symbol(&image, "second\nfunction"));
	assert_non_null(object_image_find_symbol(&image, "second?function"));
	object_image_free(&image);
	free(bytes);
}

/* Every prefix, and many single-byte corruptions, of a real object: the
 * loader must answer with success or one diagnostic, never crash (the
 * sanitizer build turns any out-of-bounds access into a failure). */
static void test_truncations_and_corruptions_never_crash(void **state)
{
	(void)state;
	size_t size;
	uint8_t *good = read_test_file(RELOCATIONS, &size);
	uint8_t *bytes = malloc(size);
	for (size_t length = 0; length < size; length++) {
		struct object_image image;
		struct diagnostic diagnostic = {""};
		memcpy(bytes, good, length);
		if (object_image_load(bytes, length, "cut.o", &image, &diagnostic) == TDXABI_OK)
			object_image_free(&image);
		else
			assert_true(diagnostic.text[0] != '\0');
	}
	uint64_t random = 0x2545F4914F6CDD1Dull;
	for (int round = 0; round < 20000; round++) {
		memcpy(bytes, good, size);
		for (int flips = 0; flips < 1 + round % 4; flips++) {
			random ^= random << 13;
			random ^= random >> 7;
			random ^= random << 17;
			bytes[random % size] = (uint8_t)(random >> 32);
		}
		struct object_image image;
		struct diagnostic diagnostic = {""};
		if (object_image_load(bytes, size, "flipped.o", &image, &diagnostic) == TDXABI_OK)
			object_image_free(&image);
		else
			assert_true(diagnostic.text[0] != '\0');
	}
	free(bytes);
	free(good);
}

static bool same_code(const struct object_image *image, const char *one, const char *other,
		      uint64_t *difference)
{
	const struct image_symbol *first = object_image_find_symbol(image, one);
	const struct image_symbol *second = object_image_find_symbol(image, other);
	assert_non_null(first);
	assert_non_null(second);
	return linux_same_function(image, first, image, second, difference);
}

/* A relocated field is the same code only when it refers to the same thing:
 * `jmp __x86_return_thunk` is not `jmp __x86_indirect_thunk_rax`, though
 * their bytes (before relocation) are. */
static void test_same_code_compares_what_relocations_refer_to(void **state)
{
	(void)state;
	struct object_image image;
	load_test_object(SAME_CODE, &image);
	uint64_t difference = 0;
	assert_true(same_code(&image, "return_thunk_one", "return_thunk_two", &difference));
	assert_false(same_code(&image, "return_thunk_one", "indirect_thunk", &difference));
	assert_int_equal(difference, 4); /* movq %rdi, %rax (3 bytes), e9, then the field */
	assert_false(same_code(&image, "return_thunk_one", "return_thunk_plus_one", &difference));
	assert_int_equal(difference, 4);
	/* against a data section: the same word is the same, another is not */
	assert_true(same_code(&image, "first_word", "first_word_again", &difference));
	assert_false(same_code(&image, "first_word", "second_word", &difference));
	assert_int_equal(difference, 3); /* 48 8d 05, then the field */
	/* the same bytes with other fixups are other code */
	assert_true(same_code(&image, "fault_fixup", "fault_fixup_again", &difference));
	assert_false(same_code(&image, "fault_fixup", "default_fixup", &difference));
	assert_int_equal(difference, 0); /* the faulting instruction */
	assert_false(same_code(&image, "fault_fixup", "no_fixup", &difference));
	assert_false(same_code(&image, "no_fixup", "fault_fixup", &difference));
	/* and across two loads of the object */
	struct object_image again;
	load_test_object(SAME_CODE, &again);
	assert_true(object_image_same_code(&image, object_image_find_symbol(&image, "return_thunk_one"),
					   &again, object_image_find_symbol(&again, "return_thunk_two"),
					   &difference));
	assert_false(object_image_same_code(&image, object_image_find_symbol(&image, "return_thunk_one"),
					    &again, object_image_find_symbol(&again, "indirect_thunk"),
					    &difference));
	object_image_free(&again);
	object_image_free(&image);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_relocations_land_where_the_cpu_reads_them),
		cmocka_unit_test(test_sections_symbols_and_traps),
		cmocka_unit_test(test_exception_table),
		cmocka_unit_test(test_unsupported_and_overflowing_relocations),
		cmocka_unit_test(test_corrupt_headers),
		cmocka_unit_test(test_empty_allocated_section),
		cmocka_unit_test(test_hostile_headers_and_names),
		cmocka_unit_test(test_truncations_and_corruptions_never_crash),
		cmocka_unit_test(test_same_code_compares_what_relocations_refer_to),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
