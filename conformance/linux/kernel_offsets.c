/* kernel_offsets.c - offsets.c from the tree's definitions, the layouts
 * read back from its assembly, and the struct member parser (see
 * kernel_offsets.h). */
#include "kernel_offsets.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_cache.h"
#include "file_access.h"
#include "source_text.h"

#define TDXABI_STRING(value) TDXABI_STRING_OF(value)
#define TDXABI_STRING_OF(value) #value

/* Where "struct NAME {...} ...;" is defined in masked text (comments and
 * literals blanked): from "struct" to past the ';' after the closing brace
 * (so that attributes may follow it), and the braces. Any whitespace may
 * separate the words; a declaration or use of the struct is passed over. */
struct struct_definition {
	size_t start, open, close, end;
};

static bool find_struct(const char *masked, const char *struct_name,
			struct struct_definition *found)
{
	size_t size = strlen(masked), length = strlen(struct_name);
	for (const char *word = strstr(masked, "struct"); word; word = strstr(word + 6, "struct")) {
		size_t start = (size_t)(word - masked), name = start + 6;
		if ((start > 0 && source_text_is_identifier_character(masked[start - 1])) ||
		    !isspace((unsigned char)masked[name]))
			continue;
		while (isspace((unsigned char)masked[name]))
			name++;
		if (strncmp(masked + name, struct_name, length) != 0 ||
		    source_text_is_identifier_character(masked[name + length]))
			continue;
		size_t open = name + length;
		while (isspace((unsigned char)masked[open]))
			open++;
		if (masked[open] != '{')
			continue;
		size_t close = source_text_matching(masked, size, open, '{', '}');
		const char *semicolon = close < size ? strchr(masked + close, ';') : NULL;
		if (!semicolon)
			return false;
		*found = (struct struct_definition){start, open, close, (size_t)(semicolon - masked) + 1};
		return true;
	}
	return false;
}

/* The last identifier of a declarator ("u64 *r10" -> "r10"), as [begin, end). */
static bool last_identifier(const char *text, size_t length, size_t *begin, size_t *end)
{
	while (length > 0 && !source_text_is_identifier_character(text[length - 1]))
		length--;
	size_t start = length;
	while (start > 0 && source_text_is_identifier_character(text[start - 1]))
		start--;
	*begin = start;
	*end = length;
	return length > start;
}

/* kernel_struct_members on masked header text; *definition tells where. */
static bool struct_members(const char *masked, const char *struct_name,
			   struct struct_layout *layout, struct struct_definition *definition)
{
	memset(layout, 0, sizeof(*layout));
	if (!find_struct(masked, struct_name, definition) ||
	    strlen(struct_name) >= sizeof(layout->name))
		return false;
	snprintf(layout->name, sizeof(layout->name), "%s", struct_name);
	/* declarations end in ';', declarators are separated by ',' and share
	 * the type before the first one ("u64 r10, r11;") */
	char declaration[512];
	size_t used = 0;
	for (size_t cursor = definition->open + 1; cursor < definition->close; cursor++) {
		char character = masked[cursor];
		if (character != ';' && character != ',') {
			if (used + 1 < sizeof(declaration))
				declaration[used++] = character;
			continue;
		}
		size_t begin = 0, finish;
		if (last_identifier(declaration, used, &begin, &finish)) {
			if (finish - begin >= KERNEL_NAME_SIZE) {
				layout->member_name_too_long = true;
				return false;
			}
			if (layout->member_count == KERNEL_MAX_MEMBERS) {
				layout->too_many_members = true;
				return false;
			}
			struct struct_member *member = &layout->members[layout->member_count++];
			memcpy(member->name, declaration + begin, finish - begin);
			member->name[finish - begin] = '\0';
		}
		used = character == ',' ? begin : 0; /* after ',' the type carries over */
	}
	return layout->member_count > 0;
}

bool kernel_struct_members(const char *header, const char *struct_name,
			   struct struct_layout *layout)
{
	memset(layout, 0, sizeof(*layout));
	if (!header)
		return false;
	char *masked = source_text_mask(header, strlen(header), true);
	struct struct_definition definition;
	bool found = masked && struct_members(masked, struct_name, layout, &definition);
	free(masked);
	return found;
}

struct text_buffer {
	char *text;
	size_t used, capacity;
};

static bool append(struct text_buffer *buffer, const char *text, size_t length)
{
	if (buffer->used + length + 1 > buffer->capacity) {
		size_t capacity = (buffer->used + length + 1) * 2;
		char *grown = realloc(buffer->text, capacity);
		if (!grown)
			return false;
		buffer->text = grown;
		buffer->capacity = capacity;
	}
	memcpy(buffer->text + buffer->used, text, length);
	buffer->used += length;
	buffer->text[buffer->used] = '\0';
	return true;
}

static bool append_text(struct text_buffer *buffer, const char *text)
{
	return append(buffer, text, strlen(text));
}

/* The TDX headers searched for the structs: as read, and masked. */
struct header_texts {
	const struct kernel_input *inputs[KERNEL_MAX_INPUTS];
	char *masked[KERNEL_MAX_INPUTS];
	size_t count;
};

/* The struct's layout and its definition in one of the headers. */
static enum tdxabi_status add_layout(const struct kernel_tree *tree,
				     const struct header_texts *headers, const char *struct_name,
				     struct kernel_build *build, struct text_buffer *source,
				     struct diagnostic *diagnostic)
{
	if (build->layout_count == KERNEL_MAX_LAYOUTS)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s/%s: names struct %s and more than %d TDX structs in all, "
				       "more than tdxabi follows",
				       tree->root, KERNEL_ASM_OFFSETS, struct_name, KERNEL_MAX_LAYOUTS);
	struct struct_layout *layout = &build->layouts[build->layout_count];
	struct struct_definition definition;
	for (size_t header = 0; header < headers->count; header++) {
		bool found = struct_members(headers->masked[header], struct_name, layout, &definition);
		if (layout->too_many_members || layout->member_name_too_long)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s/%s: struct %s has %s, more than tdxabi follows",
					       tree->root, headers->inputs[header]->path, struct_name,
					       layout->too_many_members
						       ? "more than " TDXABI_STRING(KERNEL_MAX_MEMBERS) " members"
						       : "a member name of " TDXABI_STRING(KERNEL_NAME_SIZE)
							 " characters or more");
		if (!found)
			continue;
		build->layout_count++;
		if (!append(source, headers->inputs[header]->text + definition.start,
			    definition.end - definition.start) ||
		    !append_text(source, "\n"))
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		return TDXABI_OK;
	}
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
			       "%s/%s: names struct %s, which none of the tree's %zu TDX headers "
			       "(%s, %s, ...) defines",
			       tree->root, KERNEL_ASM_OFFSETS, struct_name, headers->count,
			       KERNEL_TDX_HEADER, KERNEL_SHARED_TDX_HEADER);
}

/* The struct an OFFSET(SYM, STRUCT, MEMBER) line names, into name; false
 * when it names none, or one of KERNEL_NAME_SIZE characters or more
 * (*too_long then set). */
static bool offset_struct_name(const char *offset, const char *line_end, char *name,
			       bool *too_long)
{
	*too_long = false;
	const char *comma = memchr(offset, ',', (size_t)(line_end - offset));
	if (!comma)
		return false;
	const char *begin = comma + 1;
	while (begin < line_end && isspace((unsigned char)*begin))
		begin++;
	const char *end = begin;
	while (end < line_end && source_text_is_identifier_character(*end))
		end++;
	if (end == begin)
		return false;
	if ((size_t)(end - begin) >= KERNEL_NAME_SIZE) {
		*too_long = true;
		return false;
	}
	memcpy(name, begin, (size_t)(end - begin));
	name[end - begin] = '\0';
	return true;
}

enum tdxabi_status kernel_offsets_source(const struct kernel_tree *tree,
					 const struct kernel_inputs *inputs,
					 struct kernel_build *build, char **source_text,
					 size_t *source_size, struct diagnostic *diagnostic)
{
	struct header_texts *headers = calloc(1, sizeof(*headers));
	const struct kernel_input *offsets = kernel_inputs_find(inputs, KERNEL_ASM_OFFSETS);
	char *offsets_masked = NULL;
	enum tdxabi_status status = TDXABI_OK;
	if (!headers)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	if (!offsets)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s: %s", tree->root,
					 KERNEL_ASM_OFFSETS, "No such file or directory");
	else if (!(offsets_masked = source_text_mask(offsets->text, offsets->size, false)))
		status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	for (size_t index = 0; index < inputs->count && status == TDXABI_OK; index++) {
		const struct kernel_input *input = &inputs->files[index];
		if (!input->declares)
			continue;
		headers->inputs[headers->count] = input;
		if (!(headers->masked[headers->count++] = source_text_mask(input->text, input->size, true)))
			status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	struct text_buffer source = {NULL, 0, 0}, lines = {NULL, 0, 0};
	bool ok = append_text(&lines, "") &&
		  append_text(&source, "/* generated by tdxabi from the tree's own definitions */\n"
				       "#include <linux/types.h>\n"
				       "#define DEFINE(sym, val) asm volatile(\"\\n.ascii \\\"->\" #sym \" %0 \" #val "
				       "\"\\\"\" : : \"i\" (val))\n"
				       "#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(struct str, mem))\n");
	for (const char *line = offsets_masked; status == TDXABI_OK && ok && line;) {
		const char *newline = strchr(line, '\n');
		size_t length = newline ? (size_t)(newline - line) : strlen(line);
		const char *offset = strstr(line, "OFFSET(TDX_");
		if (offset && offset < line + length) {
			char struct_name[KERNEL_NAME_SIZE];
			bool too_long;
			if (offset_struct_name(offset, line + length, struct_name, &too_long) &&
			    !kernel_offsets_layout(build, struct_name))
				status = add_layout(tree, headers, struct_name, build, &source, diagnostic);
			if (too_long)
				status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
							 "%s/%s: %.*s: a struct name of %d characters or "
							 "more, more than tdxabi follows",
							 tree->root, KERNEL_ASM_OFFSETS,
							 (int)(length - (size_t)(offset - line)), offset,
							 KERNEL_NAME_SIZE);
			ok = append_text(&lines, "\t") &&
			     append(&lines, offset, length - (size_t)(offset - line)) &&
			     append_text(&lines, "\n");
		}
		line = newline ? newline + 1 : NULL;
	}
	if (status == TDXABI_OK && ok && build->layout_count == 0)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s has no OFFSET(TDX_...) lines",
					 tree->root, KERNEL_ASM_OFFSETS);
	ok = ok && append_text(&source, "void tdxabi_offsets(void);\nvoid tdxabi_offsets(void)\n{\n") &&
	     append(&source, lines.text, lines.used);
	for (size_t index = 0; ok && index < build->layout_count; index++) {
		const char *name = build->layouts[index].name;
		ok = append_text(&source, "\tDEFINE(TDXABI_SIZE__") && append_text(&source, name) &&
		     append_text(&source, ", sizeof(struct ") && append_text(&source, name) &&
		     append_text(&source, "));\n");
		for (size_t member = 0; ok && member < build->layouts[index].member_count; member++) {
			const char *member_name = build->layouts[index].members[member].name;
			ok = append_text(&source, "\tOFFSET(TDXABI_MEMBER__") &&
			     append_text(&source, name) && append_text(&source, "__") &&
			     append_text(&source, member_name) && append_text(&source, ", ") &&
			     append_text(&source, name) && append_text(&source, ", ") &&
			     append_text(&source, member_name) && append_text(&source, ");\n");
		}
	}
	ok = ok && append_text(&source, "}\n");
	if (status == TDXABI_OK && !ok)
		status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	free(lines.text);
	free(offsets_masked);
	for (size_t index = 0; index < headers->count; index++)
		free(headers->masked[index]);
	free(headers);
	if (status != TDXABI_OK) {
		free(source.text);
		return status;
	}
	*source_text = source.text;
	*source_size = source.used;
	return TDXABI_OK;
}

enum tdxabi_status kernel_offsets_read(struct kernel_build *build, const char *assembly_path,
				       char **header_text, size_t *header_size,
				       struct diagnostic *diagnostic)
{
	char *assembly;
	size_t size;
	enum tdxabi_status status =
		file_access_read(assembly_path, BUILD_CACHE_FILE_LIMIT, &assembly, &size, diagnostic);
	if (status != TDXABI_OK)
		return status;
	struct text_buffer header = {NULL, 0, 0};
	bool ok = append_text(&header, "/* generated by tdxabi: the tree's TDX asm-offsets */\n");
	for (const char *marker = strstr(assembly, "->"); ok && marker; marker = strstr(marker + 2, "->")) {
		/* "->NAME $VALUE" (or without the '$') */
		const char *name_start = marker + 2;
		size_t name_length = strcspn(name_start, " \t\n\"");
		const char *number = name_start + name_length;
		number += strspn(number, " \t");
		number += *number == '$';
		if (name_length == 0 || *number < '0' || *number > '9')
			continue;
		unsigned long long value = strtoull(number, NULL, 10);
		char name[2 * KERNEL_NAME_SIZE + 32]; /* holds every TDXABI_ name */
		snprintf(name, sizeof(name), "%.*s", (int)name_length, name_start);
		if (strncmp(name, "TDXABI_SIZE__", 13) == 0) {
			for (size_t index = 0; index < build->layout_count; index++)
				if (strcmp(build->layouts[index].name, name + 13) == 0)
					build->layouts[index].size = value;
		} else if (strncmp(name, "TDXABI_MEMBER__", 15) == 0) {
			char *separator = strstr(name + 15, "__");
			for (size_t index = 0; separator && index < build->layout_count; index++) {
				struct struct_layout *layout = &build->layouts[index];
				if (strlen(layout->name) != (size_t)(separator - (name + 15)) ||
				    strncmp(layout->name, name + 15, strlen(layout->name)) != 0)
					continue;
				for (size_t member = 0; member < layout->member_count; member++)
					if (strcmp(layout->members[member].name, separator + 2) == 0)
						layout->members[member].offset = value;
			}
		} else if (header_text) {
			char number_text[32];
			snprintf(number_text, sizeof(number_text), " %llu\n", value);
			ok = append_text(&header, "#define ") && append(&header, name_start, name_length) &&
			     append_text(&header, number_text);
		}
	}
	free(assembly);
	if (!ok) {
		free(header.text);
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	if (header_text) {
		*header_text = header.text;
		*header_size = header.used;
	} else {
		free(header.text);
	}
	return TDXABI_OK;
}

const struct struct_layout *kernel_offsets_layout(const struct kernel_build *build,
						  const char *struct_name)
{
	for (size_t index = 0; index < build->layout_count; index++)
		if (strcmp(build->layouts[index].name, struct_name) == 0)
			return &build->layouts[index];
	return NULL;
}
