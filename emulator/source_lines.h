/* source_lines.h - the source line of an address in a loaded object, from
 * the object's DWARF line table (elfutils libdwfl, relocated to the image's
 * own section addresses). */
#ifndef TDXABI_SOURCE_LINES_H
#define TDXABI_SOURCE_LINES_H

#include <stdbool.h>
#include <stdint.h>

#include "diagnostic.h"
#include "object_image.h"

#define SOURCE_PATH_SIZE 256

struct source_line {
	char file[SOURCE_PATH_SIZE];      /* as the line table names it */
	char directory[SOURCE_PATH_SIZE]; /* its unit's directory, "" when none */
	unsigned line;
	unsigned discriminator;      /* the line table's; 0 when none */
	uint64_t row_address;        /* where the table's row for the line starts */
};

/* A discriminator that names a macro invocation: the flag, the invoking
 * file's line-table number and its line (written by a build step that
 * marks macro bodies; compilers' own discriminators stay far below). libdw
 * keeps 24 bits of a discriminator: all of it fits in them. */
#define SOURCE_INVOCATION_FLAG (1u << 23)
#define SOURCE_INVOCATION_LINE_BITS 16
#define SOURCE_INVOCATION_MAX_FILE ((1u << (23 - SOURCE_INVOCATION_LINE_BITS)) - 1)
#define SOURCE_INVOCATION(file, line) \
	(SOURCE_INVOCATION_FLAG | (unsigned)(file) << SOURCE_INVOCATION_LINE_BITS | (unsigned)(line))

struct source_lines;

/* An object without debug information opens fine and finds nothing. */
enum tdxabi_status source_lines_open(const struct object_image *image,
				     struct source_lines **lines, struct diagnostic *diagnostic);
void source_lines_close(struct source_lines *lines);
/* The line of the instruction at `address`; false when the table has none. */
bool source_lines_find(struct source_lines *lines, uint64_t address, struct source_line *found);
/* The line-table file with that number in the unit of `address` (a macro
 * invocation's file, named by number in a discriminator), as the table
 * names it; false if none. */
bool source_lines_file(struct source_lines *lines, uint64_t address, unsigned number, char *file,
		       size_t size);

#endif
