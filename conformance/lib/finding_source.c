/* finding_source.c - finding_source.h: line-table lookups and the text of
 * the line, read from the source file (the last one is kept). */
#include "finding_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "file_access.h"
#include "tdx_opcodes.h"

/* A source file bigger than this is not read for its text. */
#define SOURCE_FILE_LIMIT (8u << 20)
/* How far past its row's line the line of a TDX instruction written as data
 * is looked for. */
#define DATA_INSTRUCTION_LOOKAHEAD 8

enum tdxabi_status finding_source_open(const struct object_image *image,
				       source_path_mapper map_path, const void *map_context,
				       struct finding_source *source, struct diagnostic *diagnostic)
{
	memset(source, 0, sizeof(*source));
	source->image = image;
	source->map_path = map_path;
	source->map_context = map_context;
	return source_lines_open(image, &source->lines, diagnostic);
}

void finding_source_close(struct finding_source *source)
{
	source_lines_close(source->lines);
	free(source->cached_text);
	memset(source, 0, sizeof(*source));
}

/* Line `line` of `file` without its newline and leading blanks; "" when the
 * file cannot be read or is shorter. */
static void line_text(struct finding_source *source, const char *file, unsigned line, char *text,
		      size_t size)
{
	text[0] = '\0';
	if (strcmp(source->cached_file, file) != 0) {
		free(source->cached_text);
		source->cached_text = NULL;
		source->cached_size = 0;
		snprintf(source->cached_file, sizeof(source->cached_file), "%s", file);
		struct diagnostic ignored;
		if (file_access_read(file, SOURCE_FILE_LIMIT, &source->cached_text,
				     &source->cached_size, &ignored) != TDXABI_OK)
			source->cached_text = NULL;
	}
	const char *cursor = source->cached_text, *end = cursor + source->cached_size;
	for (unsigned number = 1; cursor && number < line; number++) {
		cursor = memchr(cursor, '\n', (size_t)(end - cursor));
		cursor = cursor ? cursor + 1 : NULL;
	}
	if (!cursor || cursor >= end)
		return;
	while (cursor < end && (*cursor == ' ' || *cursor == '\t'))
		cursor++;
	const char *stop = memchr(cursor, '\n', (size_t)(end - cursor));
	size_t length = (size_t)((stop ? stop : end) - cursor);
	if (length >= size)
		length = size - 1;
	for (size_t index = 0; index < length; index++)
		text[index] = (unsigned char)cursor[index] < 0x20 ? ' ' : cursor[index];
	text[length] = '\0';
}

static bool tdx_instruction_at(const struct object_image *image, uint64_t address)
{
	const struct image_section *section = object_image_section_at(image, address);
	if (!section)
		return false;
	uint64_t offset = address - section->address;
	return tdx_opcode_at(section->bytes + offset, (size_t)(section->size - offset)) !=
	       TDX_OPCODE_NONE;
}

static bool names_tdx_instruction(const char *text)
{
	static const char *const names[] = {"tdcall", "seamcall", "0x01,0xc", "0x01, 0xc"};
	for (const char *cursor = text; *cursor; cursor++)
		for (size_t index = 0; index < sizeof(names) / sizeof(names[0]); index++)
			if (strncasecmp(cursor, names[index], strlen(names[index])) == 0)
				return true;
	return false;
}

/* Assemblers give bytes (`.byte 0x66,0x0f,0x01,0xcc`, `db ...`: how stubs
 * write TDCALL) no line of their own; they sit in the row of the
 * instruction before. Their line is the next one that names them. */
static void find_data_instruction_line(struct finding_source *source, const char *file,
				       struct source_line *found)
{
	char text[VIOLATION_TEXT_SIZE];
	for (unsigned line = found->line + 1; line <= found->line + DATA_INSTRUCTION_LOOKAHEAD;
	     line++) {
		line_text(source, file, line, text, sizeof(text));
		if (names_tdx_instruction(text)) {
			found->line = line;
			return;
		}
	}
}

static void show_path(const struct finding_source *source, const char *name,
		      const char *directory, char *shown, size_t size)
{
	if (source->map_path)
		source->map_path(source->map_context, name, directory, shown, size);
	else if (name[0] == '/' || !directory[0])
		snprintf(shown, size, "%s", name);
	else
		snprintf(shown, size, "%s/%s", directory, name);
}

bool finding_source_locate(struct finding_source *source, uint64_t address,
			   struct source_location *location)
{
	struct source_line found;
	memset(location, 0, sizeof(*location));
	if (!source->lines || !source_lines_find(source->lines, address, &found))
		return false;
	show_path(source, found.file, found.directory, location->file, sizeof(location->file));
	if (found.row_address != address && tdx_instruction_at(source->image, address))
		find_data_instruction_line(source, location->file, &found);
	line_text(source, location->file, found.line, location->text, sizeof(location->text));
	location->line = found.line;
	if (!(found.discriminator & SOURCE_INVOCATION_FLAG))
		return true;
	unsigned number = (found.discriminator & ~SOURCE_INVOCATION_FLAG) >>
			  SOURCE_INVOCATION_LINE_BITS;
	char invoked[SOURCE_PATH_SIZE];
	if (!source_lines_file(source->lines, address, number, invoked, sizeof(invoked)))
		return true;
	show_path(source, invoked, found.directory, location->invoked_file,
		  sizeof(location->invoked_file));
	location->invoked_line = found.discriminator & ((1u << SOURCE_INVOCATION_LINE_BITS) - 1);
	return true;
}

static void fill(struct finding_source *source, struct violation *violation)
{
	struct source_location location;
	if (!violation->has_rip || !finding_source_locate(source, violation->rip, &location))
		return;
	snprintf(violation->source_file, sizeof(violation->source_file), "%s", location.file);
	violation->source_line = location.line;
	snprintf(violation->source_text, sizeof(violation->source_text), "%s", location.text);
	snprintf(violation->invoked_file, sizeof(violation->invoked_file), "%s",
		 location.invoked_file);
	violation->invoked_line = location.invoked_line;
}

void finding_source_fill(struct finding_source *source, struct check_result *result)
{
	for (size_t index = 0; index < result->violation_count; index++)
		fill(source, &result->violations[index]);
}
