/* assembly_lines.h - the builder's own line-table step for a preprocessed
 * assembly file: GNU as gives every instruction of a .macro expansion the
 * invocation's line, so each line gets a .loc of its own (inside a macro
 * body, tagged with the top-level invocation as its discriminator), TDX
 * instructions written as bytes get their mnemonic (same bytes, a row of
 * their own), and file names are written as the tree names them. */
#ifndef TDXABI_ASSEMBLY_LINES_H
#define TDXABI_ASSEMBLY_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnostic.h"

/* The name a file of the preprocessor's line markers is given in the line
 * table (a copy in the build directory named at its tree path); false for a
 * file that is not the tree's (a shim): its lines get no row of their own,
 * so a shim macro's instructions keep the row of the line invoking it. */
typedef bool (*assembly_file_namer)(const void *context, const char *path, char *name,
				    size_t size);

/* *marked is malloc'ed and NUL-terminated; the caller frees it. */
enum tdxabi_status assembly_lines_mark(const char *text, size_t size, const char *what,
				       assembly_file_namer name_file, const void *context,
				       char **marked, size_t *marked_size,
				       struct diagnostic *diagnostic);

#endif
