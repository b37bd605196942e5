/* assembly_lines.c - assembly_lines_mark() of assembly_lines.h. It reads the
 * preprocessor's line markers (# N "file" ...) to know each line's place,
 * tracks .macro definitions (their names, and whether a line is inside a
 * body) and writes a .loc before every line. The symbol .Ltdxabi_invocation
 * carries a top-level invocation's place into the body's .loc rows. */
#include "assembly_lines.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "source_lines.h"

#define MAX_FILES 256
#define MAX_MACROS 512
#define NAME_SIZE 64
#define FILE_NAME_SIZE 512
#define INVOCATION_SYMBOL ".Ltdxabi_invocation" /* local: not in the symbol table */

struct output {
	char *text;
	size_t length, capacity;
	bool failed;
};

static void append(struct output *output, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

static void append(struct output *output, const char *format, ...)
{
	if (output->failed)
		return;
	for (;;) {
		va_list arguments;
		va_start(arguments, format);
		size_t room = output->capacity - output->length;
		int written = vsnprintf(output->text ? output->text + output->length : NULL, room,
					format, arguments);
		va_end(arguments);
		if (written < 0) {
			output->failed = true;
			return;
		}
		if ((size_t)written < room) {
			output->length += (size_t)written;
			return;
		}
		size_t capacity = (output->capacity + (size_t)written + 1) * 2;
		char *grown = realloc(output->text, capacity);
		if (!grown) {
			output->failed = true;
			return;
		}
		output->text = grown;
		output->capacity = capacity;
	}
}

struct marking {
	struct output output;
	assembly_file_namer name_file;
	const void *context;
	char files[MAX_FILES][FILE_NAME_SIZE]; /* line-table number = index + 1 */
	size_t file_count;
	char macros[MAX_MACROS][NAME_SIZE];
	size_t macro_count;
	unsigned macro_depth; /* inside a .macro body when > 0 */
	int file;             /* the current file's number, 0 before the first marker */
	unsigned line;        /* the current line */
	char marker_path[FILE_NAME_SIZE]; /* the current file as the markers name it */
};

/* The line-table number of a file, declared on first use; 0 when full or
 * not the tree's. */
static int file_number(struct marking *marking, const char *path)
{
	char name[FILE_NAME_SIZE];
	if (!marking->name_file(marking->context, path, name, sizeof(name)))
		return 0;
	for (size_t index = 0; index < marking->file_count; index++)
		if (strcmp(marking->files[index], name) == 0)
			return (int)index + 1;
	if (marking->file_count == MAX_FILES || marking->file_count + 1 > SOURCE_INVOCATION_MAX_FILE)
		return 0;
	snprintf(marking->files[marking->file_count++], FILE_NAME_SIZE, "%s", name);
	append(&marking->output, "\t.file %zu \"", marking->file_count);
	for (const char *cursor = name; *cursor; cursor++)
		append(&marking->output, *cursor == '"' || *cursor == '\\' ? "\\%c" : "%c", *cursor);
	append(&marking->output, "\"\n");
	return (int)marking->file_count;
}

/* `# 12 "file" 1 3`: the next line is line 12 of file. */
static bool read_marker(struct marking *marking, const char *line, size_t length)
{
	if (length < 4 || line[0] != '#' || line[1] != ' ' || !isdigit((unsigned char)line[2]))
		return false;
	char *end = NULL;
	unsigned long number = strtoul(line + 2, &end, 10);
	const char *quote = memchr(line, '"', length);
	const char *close = quote ? memchr(quote + 1, '"', length - (size_t)(quote + 1 - line)) : NULL;
	if (!close || (size_t)(close - quote - 1) >= FILE_NAME_SIZE)
		return false;
	char path[FILE_NAME_SIZE];
	memcpy(path, quote + 1, (size_t)(close - quote - 1));
	path[close - quote - 1] = '\0';
	marking->file = path[0] == '<' ? 0 : file_number(marking, path); /* <built-in> */
	marking->line = (unsigned)number;
	snprintf(marking->marker_path, sizeof(marking->marker_path), "%s", path);
	append(&marking->output, "%.*s\n", (int)length, line);
	return true;
}

/* The first word of a statement, past any `label:` prefixes. */
static size_t first_word(const char *line, size_t length, const char **word)
{
	size_t at = 0;
	for (;;) {
		while (at < length && isspace((unsigned char)line[at]))
			at++;
		size_t start = at;
		while (at < length && (isalnum((unsigned char)line[at]) || line[at] == '_' ||
				       line[at] == '.' || line[at] == '$'))
			at++;
		if (at < length && line[at] == ':' && at > start) {
			at++;
			continue;
		}
		*word = line + start;
		return at - start;
	}
}

static bool word_is(const char *word, size_t length, const char *name)
{
	return strlen(name) == length && strncasecmp(word, name, length) == 0;
}

static bool is_macro(const struct marking *marking, const char *word, size_t length)
{
	for (size_t index = 0; index < marking->macro_count; index++)
		if (word_is(word, length, marking->macros[index]))
			return true;
	return false;
}

/* `.macro NAME args`: remembers NAME. */
static void define_macro(struct marking *marking, const char *line, size_t length,
			 const char *word, size_t word_length)
{
	const char *cursor = word + word_length, *end = line + length;
	while (cursor < end && isspace((unsigned char)*cursor))
		cursor++;
	const char *name = cursor;
	while (cursor < end && !isspace((unsigned char)*cursor) && *cursor != ',')
		cursor++;
	size_t name_length = (size_t)(cursor - name);
	if (name_length == 0 || name_length >= NAME_SIZE || marking->macro_count == MAX_MACROS)
		return;
	memcpy(marking->macros[marking->macro_count], name, name_length);
	marking->macros[marking->macro_count++][name_length] = '\0';
}

/* `.byte 0x66,0x0f,0x01,0xcc` and its kin: the mnemonic, or NULL. */
static const char *tdx_mnemonic(const char *line, size_t length)
{
	char packed[64];
	size_t used = 0;
	for (size_t index = 0; index < length; index++)
		if (!isspace((unsigned char)line[index])) {
			if (used + 1 == sizeof(packed))
				return NULL;
			packed[used++] = (char)tolower((unsigned char)line[index]);
		}
	packed[used] = '\0';
	static const struct {
		const char *bytes, *mnemonic;
	} instructions[] = {
		{".byte0x66,0x0f,0x01,0xcc", "tdcall"},  {".byte0x66,0x0f,0x01,0xcd", "seamret"},
		{".byte0x66,0x0f,0x01,0xce", "seamops"}, {".byte0x66,0x0f,0x01,0xcf", "seamcall"},
	};
	for (size_t index = 0; index < sizeof(instructions) / sizeof(instructions[0]); index++)
		if (strcmp(packed, instructions[index].bytes) == 0)
			return instructions[index].mnemonic;
	return NULL;
}

static void mark_line(struct marking *marking, const char *line, size_t length)
{
	const char *word;
	size_t word_length = first_word(line, length, &word);
	bool opens = word_is(word, word_length, ".macro");
	bool closes = word_is(word, word_length, ".endm") || word_is(word, word_length, ".endmacro");
	size_t before = marking->output.length;
	if (marking->file > 0 && marking->line > 0 && word_length > 0) {
		if (marking->macro_depth > 0)
			append(&marking->output, "\t.loc %d %u 0 discriminator " INVOCATION_SYMBOL "\n",
			       marking->file, marking->line);
		else if (!opens)
			append(&marking->output, "\t.loc %d %u\n", marking->file, marking->line);
		if (marking->macro_depth == 0 && is_macro(marking, word, word_length) &&
		    marking->line < (1u << SOURCE_INVOCATION_LINE_BITS))
			append(&marking->output, "\t.set " INVOCATION_SYMBOL ", %u\n",
			       SOURCE_INVOCATION(marking->file, marking->line));
	}
	/* what was inserted moved the assembler's own count of lines, which its
	 * messages use: a marker puts the line back in its place */
	if (marking->output.length != before)
		append(&marking->output, "# %u \"%s\"\n", marking->line, marking->marker_path);
	if (opens) {
		if (marking->macro_depth == 0)
			define_macro(marking, line, length, word, word_length);
		marking->macro_depth++;
	} else if (closes && marking->macro_depth > 0) {
		marking->macro_depth--;
	}
	const char *mnemonic = tdx_mnemonic(line, length);
	if (mnemonic)
		append(&marking->output, "\t%s\n", mnemonic);
	else
		append(&marking->output, "%.*s\n", (int)length, line);
}

enum tdxabi_status assembly_lines_mark(const char *text, size_t size, const char *what,
				       assembly_file_namer name_file, const void *context,
				       char **marked, size_t *marked_size,
				       struct diagnostic *diagnostic)
{
	struct marking *marking = calloc(1, sizeof(*marking));
	if (!marking)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	marking->name_file = name_file;
	marking->context = context;
	append(&marking->output, "\t.set " INVOCATION_SYMBOL ", 0\n");
	for (const char *cursor = text, *end = text + size; cursor < end;) {
		const char *newline = memchr(cursor, '\n', (size_t)(end - cursor));
		size_t length = (size_t)((newline ? newline : end) - cursor);
		if (!read_marker(marking, cursor, length)) {
			mark_line(marking, cursor, length);
			marking->line++;
		}
		cursor += length + 1;
	}
	enum tdxabi_status status = TDXABI_OK;
	if (marking->output.failed)
		status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "%s: out of memory", what);
	if (status == TDXABI_OK) {
		*marked = marking->output.text;
		*marked_size = marking->output.length;
	} else {
		free(marking->output.text);
	}
	free(marking);
	return status;
}
