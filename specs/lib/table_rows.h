/* table_rows.h - the line format shared by spec tables and bindings: one row
 * per line, whitespace-separated fields, an optional "| src: citation" tail,
 * '#' comment lines. Errors name file:line. */
#ifndef TDXABI_TABLE_ROWS_H
#define TDXABI_TABLE_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "registers.h"

#define TABLE_ROW_MAX_FIELDS 40
#define TABLE_LINE_MAX 1024

struct table_row {
	const char *file_name;
	unsigned line;
	size_t field_count;
	char *fields[TABLE_ROW_MAX_FIELDS];
	char *citation; /* text after "| src:", or NULL when the row cites nothing */
};

typedef enum tdxabi_status (*table_row_handler)(void *context, const struct table_row *row,
						struct diagnostic *diagnostic);

/* Calls handler for every non-blank, non-comment row of text, in order, and
 * stops at the first failure (of the reader or of the handler). */
enum tdxabi_status table_rows_each(const char *file_name, const char *text, size_t length,
				   table_row_handler handler, void *context,
				   struct diagnostic *diagnostic);

/* As table_rows_each, but a line that does not read or that the handler
 * refuses is passed to on_problem and reading goes on; returns how many. */
typedef void (*table_problem_handler)(void *context, const struct diagnostic *problem);
size_t table_rows_each_collecting(const char *file_name, const char *text, size_t length,
				  table_row_handler handler, void *context,
				  table_problem_handler on_problem, void *problem_context);

/* Fails with "file:line: <message>". */
enum tdxabi_status table_row_fail(const struct table_row *row, struct diagnostic *diagnostic,
				  const char *format, ...) __attribute__((format(printf, 3, 4)));

/* Strict unsigned parse: decimal or 0x-hex, the whole string, no overflow. */
bool parse_unsigned(const char *text, uint64_t *value);

/* Parses a register name, failing with file:line on anything else. */
enum tdxabi_status table_row_register(const struct table_row *row, const char *text,
				      enum gpr *gpr, struct diagnostic *diagnostic);

#endif
