/* kernel_offsets.c - offsets.c from the tree's definitions and the layouts
 * read back from its assembly (see kernel_offsets.h), and the struct member
 * parser kernel_struct_members() of kernel_build.h. */
#include "kernel_offsets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_cache.h"
#include "source_text.h"

/* "struct NAME {" ... "};" in text: [start, end) of the whole definition. */
static bool find_struct(const char *text, const char *struct_name, const char **start,
			const char **end)
{
	char opening[KERNEL_NAME_SIZE + 16];
	snprintf(opening, sizeof(opening), "struct %s {", struct_name);
	const char *found = strstr(text, opening);
	if (!found)
		return false;
	const char *close = strstr(found, "\n};");
	if (!close)
		return false;
	*start = found;
	*end = close + 3;
	return true;
}

static bool is_identifier_character(char character)
{
	return character == '_' || (character >= '0' && character <= '9') ||
	       (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z');
}

/* The last identifier of a declarator ("u64 *r10" -> "r10"), as [begin, end). */
static bool last_identifier(const char *text, size_t length, size_t *begin, size_t *end)
{
	while (length > 0 && !is_identifier_character(text[length - 1]))
		length--;
	size_t start = length;
	while (start > 0 && is_identifier_character(text[start - 1]))
		start--;
	*begin = start;
	*end = length;
	return length > start;
}

/* kernel_struct_members on header text whose comments are already blanked. */
static bool struct_members(const char *masked, const char *struct_name,
			   struct struct_layout *layout)
{
	const char *start, *end;
	memset(layout, 0, sizeof(*layout));
	if (!find_struct(masked, struct_name, &start, &end) ||
	    strlen(struct_name) >= sizeof(layout->name))
		return false;
	snprintf(layout->name, sizeof(layout->name), "%s", struct_name);
	/* declarations end in ';', declarators are separated by ',' and share
	 * the type before the first one ("u64 r10, r11;") */
	char declaration[512];
	size_t used = 0;
	for (const char *cursor = strchr(start, '{') + 1; cursor < end - 2; cursor++) {
		if (*cursor != ';' && *cursor != ',') {
			if (used + 1 < sizeof(declaration))
				declaration[used++] = *cursor;
			continue;
		}
		size_t begin, finish;
		if (last_identifier(declaration, used, &begin, &finish) && finish - begin < KERNEL_NAME_SIZE) {
			if (layout->member_count == KERNEL_MAX_MEMBERS) {
				layout->too_many_members = true;
				return false;
			}
			struct struct_member *member = &layout->members[layout->member_count++];
			memcpy(member->name, declaration + begin, finish - begin);
			member->name[finish - begin] = '\0';
		}
		used = *cursor == ',' ? begin : 0; /* after ',' the type carries over */
	}
	return layout->member_count > 0;
}

bool kernel_struct_members(const char *header, const char *struct_name,
			   struct struct_layout *layout)
{
	memset(layout, 0, sizeof(*layout));
	if (!header)
		return false;
	char *masked = source_text_mask(header, strlen(header), false);
	bool found = masked && struct_members(masked, struct_name, layout);
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

/* The struct's layout and its definition in one of the headers. */
static enum tdxabi_status add_layout(const struct kernel_tree *tree, char *const headers[2],
				     const char *struct_name, struct kernel_build *build,
				     struct text_buffer *source, struct diagnostic *diagnostic)
{
	static const char *const names[2] = {KERNEL_TDX_HEADER, KERNEL_SHARED_TDX_HEADER};
	if (build->layout_count == KERNEL_MAX_LAYOUTS)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s/%s: names struct %s and more than %d TDX structs in all, "
				       "more than tdxabi follows",
				       tree->root, KERNEL_ASM_OFFSETS, struct_name, KERNEL_MAX_LAYOUTS);
	struct struct_layout *layout = &build->layouts[build->layout_count];
	const char *start = NULL, *end = NULL;
	for (int header = 0; header < 2 && !start; header++) {
		if (!headers[header])
			continue;
		if (struct_members(headers[header], struct_name, layout))
			find_struct(headers[header], struct_name, &start, &end);
		if (layout->too_many_members)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s/%s: struct %s has more than %d members, more than "
					       "tdxabi follows",
					       tree->root, names[header], struct_name, KERNEL_MAX_MEMBERS);
	}
	if (!start)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s/%s: names struct %s, which neither %s nor %s defines",
				       tree->root, KERNEL_ASM_OFFSETS, struct_name, KERNEL_TDX_HEADER,
				       KERNEL_SHARED_TDX_HEADER);
	build->layout_count++;
	if (!append(source, start, (size_t)(end - start)) || !append_text(source, "\n"))
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	return TDXABI_OK;
}

enum tdxabi_status kernel_offsets_source(const struct kernel_tree *tree,
					 const struct kernel_inputs *inputs,
					 struct kernel_build *build, char **source_text,
					 size_t *source_size, struct diagnostic *diagnostic)
{
	static const char *const paths[3] = {KERNEL_ASM_OFFSETS, KERNEL_TDX_HEADER,
					     KERNEL_SHARED_TDX_HEADER};
	char *masked[3] = {NULL, NULL, NULL};
	enum tdxabi_status status = TDXABI_OK;
	for (int index = 0; index < 3 && status == TDXABI_OK; index++) {
		const struct kernel_input *input = kernel_inputs_find(inputs, paths[index]);
		if (!input)
			status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s: %s", tree->root,
						 paths[index], "No such file or directory");
		else if (!(masked[index] = source_text_mask(input->text, input->size, false)))
			status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	struct text_buffer source = {NULL, 0, 0}, lines = {NULL, 0, 0};
	bool ok = append_text(&lines, "") &&
		  append_text(&source, "/* generated by tdxabi from the tree's own definitions */\n"
				       "#include <linux/types.h>\n"
				       "#define DEFINE(sym, val) asm volatile(\"\\n.ascii \\\"->\" #sym \" %0 \" #val "
				       "\"\\\"\" : : \"i\" (val))\n"
				       "#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(struct str, mem))\n");
	for (const char *line = masked[0]; status == TDXABI_OK && ok && line;) {
		const char *newline = strchr(line, '\n');
		size_t length = newline ? (size_t)(newline - line) : strlen(line);
		const char *offset = strstr(line, "OFFSET(TDX_");
		if (offset && offset < line + length) {
			char struct_name[KERNEL_NAME_SIZE];
			if (sscanf(offset, "OFFSET(%*[^,], %63[A-Za-z0-9_]", struct_name) == 1 &&
			    !kernel_build_layout(build, struct_name))
				status = add_layout(tree, masked + 1, struct_name, build, &source, diagnostic);
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
		const struct struct_layout *layout = &build->layouts[index];
		char line[256];
		snprintf(line, sizeof(line), "\tDEFINE(TDXABI_SIZE__%s, sizeof(struct %s));\n", layout->name,
			 layout->name);
		ok = append_text(&source, line);
		for (size_t member = 0; ok && member < layout->member_count; member++) {
			snprintf(line, sizeof(line), "\tOFFSET(TDXABI_MEMBER__%s__%s, %s, %s);\n", layout->name,
				 layout->members[member].name, layout->name, layout->members[member].name);
			ok = append_text(&source, line);
		}
	}
	ok = ok && append_text(&source, "}\n");
	if (status == TDXABI_OK && !ok)
		status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	free(lines.text);
	for (int index = 0; index < 3; index++)
		free(masked[index]);
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
	if (!build_cache_read(assembly_path, &assembly, &size))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "cannot read %s", assembly_path);
	struct text_buffer header = {NULL, 0, 0};
	bool ok = append_text(&header, "/* generated by tdxabi: the tree's TDX asm-offsets */\n");
	for (const char *marker = strstr(assembly, "->"); ok && marker; marker = strstr(marker + 2, "->")) {
		char name[160];
		unsigned long long value;
		if (sscanf(marker, "->%159s $%llu", name, &value) != 2 &&
		    sscanf(marker, "->%159s %llu", name, &value) != 2)
			continue;
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
			char line[200];
			snprintf(line, sizeof(line), "#define %s %llu\n", name, value);
			ok = append_text(&header, line);
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
