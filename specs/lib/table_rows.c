/* table_rows.c - reads the shared row format of spec tables and bindings
 * (see table_rows.h). Every malformed line is reported as file:line. */
#include "table_rows.h"

#include "printable_text.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct table_reader {
	const char *file_name;
	const char *text;
	size_t length;
	size_t position;
	unsigned line;
	char buffer[TABLE_LINE_MAX + 1];
};

enum tdxabi_status table_row_fail(const struct table_row *row, struct diagnostic *diagnostic,
				  const char *format, ...)
{
	char message[DIAGNOSTIC_TEXT_SIZE];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(message, sizeof(message), format, arguments);
	va_end(arguments);
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s:%u: %s", row->file_name, row->line,
			       message);
}

static char *trim(char *text)
{
	while (*text == ' ' || *text == '\t')
		text++;
	size_t length = strlen(text);
	while (length > 0 && (text[length - 1] == ' ' || text[length - 1] == '\t' ||
			      text[length - 1] == '\r'))
		text[--length] = '\0';
	return text;
}

static void skip_rest_of_line(struct table_reader *reader)
{
	while (reader->position < reader->length && reader->text[reader->position++] != '\n')
		;
}

/* Copies the next physical line into the buffer; fails on overlong lines,
 * on control bytes, which no table legitimately holds, and on invalid UTF-8.
 * A failing line is consumed whole, so reading can go on after it. */
static enum tdxabi_status read_line(struct table_reader *reader, struct diagnostic *diagnostic)
{
	size_t used = 0;
	reader->line++;
	while (reader->position < reader->length) {
		unsigned char byte = (unsigned char)reader->text[reader->position++];
		if (byte == '\n')
			break;
		/* a CRLF line end does not count toward the line's length */
		if (byte == '\r' && (reader->position == reader->length ||
				     reader->text[reader->position] == '\n'))
			continue;
		if (byte < 0x20 && byte != '\t' && byte != '\r') {
			skip_rest_of_line(reader);
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s:%u: control byte 0x%02x in a table line",
					       reader->file_name, reader->line, byte);
		}
		if (used == TABLE_LINE_MAX) {
			skip_rest_of_line(reader);
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s:%u: line longer than %d bytes", reader->file_name,
					       reader->line, TABLE_LINE_MAX);
		}
		reader->buffer[used++] = (char)byte;
	}
	reader->buffer[used] = '\0';
	for (size_t offset = 0; offset < used;) {
		size_t length = utf8_character_length((const unsigned char *)reader->buffer + offset,
						      used - offset);
		if (length == 0)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s:%u: invalid UTF-8 at byte %zu of the line",
					       reader->file_name, reader->line, offset + 1);
		offset += length;
	}
	return TDXABI_OK;
}

/* Reads the next row; at the end of the text returns TDXABI_OK with *has_row
 * false. The row's strings live in the reader until the next call. */
static enum tdxabi_status table_reader_next(struct table_reader *reader, struct table_row *row,
					    bool *has_row, struct diagnostic *diagnostic)
{
	*has_row = false;
	while (reader->position < reader->length) {
		enum tdxabi_status status = read_line(reader, diagnostic);
		if (status != TDXABI_OK)
			return status;
		char *text = trim(reader->buffer);
		if (text[0] == '\0' || text[0] == '#')
			continue;

		memset(row, 0, sizeof(*row));
		row->file_name = reader->file_name;
		row->line = reader->line;
		char *bar = strchr(text, '|');
		if (bar) {
			*bar = '\0';
			char *citation = trim(bar + 1);
			if (strncmp(citation, "src:", 4) != 0)
				return table_row_fail(row, diagnostic,
						      "expected 'src:' after '|', found '%.40s'",
						      citation);
			citation = trim(citation + 4);
			if (citation[0] == '\0')
				return table_row_fail(row, diagnostic, "empty citation after 'src:'");
			row->citation = citation;
		}
		char *cursor = text;
		for (;;) {
			while (*cursor == ' ' || *cursor == '\t')
				cursor++;
			if (*cursor == '\0')
				break;
			if (row->field_count == TABLE_ROW_MAX_FIELDS)
				return table_row_fail(row, diagnostic, "more than %d fields",
						      TABLE_ROW_MAX_FIELDS);
			row->fields[row->field_count++] = cursor;
			while (*cursor && *cursor != ' ' && *cursor != '\t')
				cursor++;
			if (*cursor)
				*cursor++ = '\0';
		}
		if (row->field_count == 0)
			return table_row_fail(row, diagnostic, "a citation with no row before it");
		*has_row = true;
		return TDXABI_OK;
	}
	return TDXABI_OK;
}

enum tdxabi_status table_rows_each(const char *file_name, const char *text, size_t length,
				   table_row_handler handler, void *context,
				   struct diagnostic *diagnostic)
{
	struct table_reader *reader = calloc(1, sizeof(*reader));
	if (!reader)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	reader->file_name = file_name;
	reader->text = text;
	reader->length = length;
	enum tdxabi_status status;
	for (;;) {
		struct table_row row;
		bool has_row;
		status = table_reader_next(reader, &row, &has_row, diagnostic);
		if (status != TDXABI_OK || !has_row)
			break;
		if ((status = handler(context, &row, diagnostic)) != TDXABI_OK)
			break;
	}
	free(reader);
	return status;
}

size_t table_rows_each_collecting(const char *file_name, const char *text, size_t length,
				  table_row_handler handler, void *context,
				  table_problem_handler on_problem, void *problem_context)
{
	struct table_reader *reader = calloc(1, sizeof(*reader));
	struct diagnostic diagnostic;
	if (!reader) {
		diagnostic_fail(&diagnostic, TDXABI_OUT_OF_MEMORY, "%s: out of memory", file_name);
		on_problem(problem_context, &diagnostic);
		return 1;
	}
	reader->file_name = file_name;
	reader->text = text;
	reader->length = length;
	size_t problems = 0;
	for (;;) {
		struct table_row row;
		bool has_row;
		/* a bad line is consumed before it is reported: reading can go on */
		if (table_reader_next(reader, &row, &has_row, &diagnostic) != TDXABI_OK) {
			on_problem(problem_context, &diagnostic);
			problems++;
			continue;
		}
		if (!has_row)
			break;
		if (handler(context, &row, &diagnostic) != TDXABI_OK) {
			on_problem(problem_context, &diagnostic);
			problems++;
		}
	}
	free(reader);
	return problems;
}

bool parse_unsigned(const char *text, uint64_t *value)
{
	if (!text || !isdigit((unsigned char)text[0]))
		return false;
	int base = 10;
	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
		base = 16;
		text += 2;
		if (!isxdigit((unsigned char)text[0]))
			return false;
	}
	char *end = NULL;
	errno = 0;
	unsigned long long parsed = strtoull(text, &end, base);
	if (errno != 0 || end == text || *end != '\0')
		return false;
	*value = (uint64_t)parsed;
	return true;
}

enum tdxabi_status table_row_register(const struct table_row *row, const char *text,
				      enum gpr *gpr, struct diagnostic *diagnostic)
{
	if (!gpr_parse(text, strlen(text), gpr))
		return table_row_fail(row, diagnostic, "unknown register '%s'", text);
	return TDXABI_OK;
}
