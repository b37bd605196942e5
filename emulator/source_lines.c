/* source_lines.c - source_lines.h on elfutils' libdwfl. libdwfl lays the
 * relocatable object's sections out at addresses of its own (and applies the
 * relocations of .debug_line); an image address is carried over section by
 * section, by section header index. */
#include "source_lines.h"

#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct source_lines {
	Dwfl *dwfl;
	Dwfl_Module *module;
	const struct object_image *image;
	Dwfl_Callbacks callbacks;
	char *debuginfo_path;
};

enum tdxabi_status source_lines_open(const struct object_image *image,
				     struct source_lines **out, struct diagnostic *diagnostic)
{
	struct source_lines *lines = calloc(1, sizeof(*lines));
	if (!lines)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	lines->image = image;
	lines->callbacks.find_debuginfo = dwfl_standard_find_debuginfo;
	lines->callbacks.section_address = dwfl_offline_section_address;
	lines->callbacks.debuginfo_path = &lines->debuginfo_path;
	lines->dwfl = dwfl_begin(&lines->callbacks);
	if (lines->dwfl) {
		/* libdwfl may keep pointers into the bytes: they stay the image's */
		lines->module = dwfl_report_offline_memory(lines->dwfl, "object", image->file_name,
							   (char *)image->file_bytes,
							   image->file_size);
		dwfl_report_end(lines->dwfl, NULL, NULL);
	}
	*out = lines;
	return TDXABI_OK;
}

void source_lines_close(struct source_lines *lines)
{
	if (!lines)
		return;
	if (lines->dwfl)
		dwfl_end(lines->dwfl);
	free(lines);
}

/* The address libdwfl gave the byte the image has at `address`. */
static bool module_address(struct source_lines *lines, uint64_t address, Dwarf_Addr *mapped)
{
	const struct image_section *section = object_image_section_at(lines->image, address);
	Dwarf_Addr bias = 0;
	Elf *elf = lines->module ? dwfl_module_getelf(lines->module, &bias) : NULL;
	if (!section || !elf)
		return false;
	GElf_Shdr header;
	Elf_Scn *scn = elf_getscn(elf, section->elf_index);
	if (!scn || !gelf_getshdr(scn, &header))
		return false;
	*mapped = header.sh_addr + bias + (address - section->address);
	return true;
}

/* libdw joins a relative name with the unit's directory: undone, so that
 * the name stays as the table wrote it. */
static void table_name(const char *name, const char *directory, char *file, size_t size)
{
	size_t length = directory ? strlen(directory) : 0;
	if (length && strncmp(name, directory, length) == 0 && name[length] == '/')
		name += length + 1;
	snprintf(file, size, "%s", name);
}

static Dwfl_Line *line_at(struct source_lines *lines, uint64_t address, Dwarf_Addr *mapped)
{
	return module_address(lines, address, mapped) ? dwfl_module_getsrc(lines->module, *mapped)
						      : NULL;
}

bool source_lines_find(struct source_lines *lines, uint64_t address, struct source_line *found)
{
	memset(found, 0, sizeof(*found));
	Dwarf_Addr mapped, row = 0;
	Dwfl_Line *line = line_at(lines, address, &mapped);
	if (!line)
		return false;
	int number = 0;
	const char *name = dwfl_lineinfo(line, &row, &number, NULL, NULL, NULL);
	if (!name || number <= 0)
		return false;
	Dwarf_Addr bias;
	Dwarf_Line *dwarf_line = dwfl_dwarf_line(line, &bias);
	unsigned discriminator = 0;
	if (dwarf_line)
		dwarf_linediscriminator(dwarf_line, &discriminator);
	const char *directory = dwfl_line_comp_dir(line);
	table_name(name, directory, found->file, sizeof(found->file));
	snprintf(found->directory, sizeof(found->directory), "%s", directory ? directory : "");
	found->line = (unsigned)number;
	found->discriminator = discriminator;
	found->row_address = address - (mapped - row);
	return true;
}

bool source_lines_file(struct source_lines *lines, uint64_t address, unsigned number, char *file,
		       size_t size)
{
	Dwarf_Addr mapped;
	Dwfl_Line *line = line_at(lines, address, &mapped);
	Dwarf_Die *unit = line ? dwfl_linecu(line) : NULL;
	Dwarf_Files *files = NULL;
	size_t count = 0;
	if (!unit || dwarf_getsrcfiles(unit, &files, &count) != 0 || number >= count)
		return false;
	const char *name = dwarf_filesrc(files, number, NULL, NULL);
	if (!name)
		return false;
	table_name(name, dwfl_line_comp_dir(line), file, size);
	return true;
}
