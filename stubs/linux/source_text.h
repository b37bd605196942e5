/* source_text.h - reading C and assembler source of a Linux tree the way the
 * compiler would, as far as the kernel builder needs it: comments (and, for
 * counting braces, string and character literals) blanked out, a function
 * definition cut out at file scope, the files a source includes by quotes. */
#ifndef TDXABI_SOURCE_TEXT_H
#define TDXABI_SOURCE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnostic.h"

/* A copy of text[0, size) (NUL-terminated, same length, same offsets) with
 * every comment (block and line) turned into spaces, newlines kept; with
 * blank_literals, the contents of string and character literals too. NULL
 * when out of memory. */
char *source_text_mask(const char *text, size_t size, bool blank_literals);

/* The file-scope definition `... NAME(...) { ... }` in C text, from the start
 * of its line to its closing brace, found and delimited outside comments and
 * literals; a definition whose line starts with "static" is not the one
 * wanted. *function (malloc'ed) is NULL when the text only declares or calls
 * NAME. Fails, naming `file` and NAME, when the text has NAME( at file scope
 * but no definition can be cut out (unbalanced braces or parentheses). */
enum tdxabi_status source_text_function(const char *text, size_t size, const char *name,
					const char *file, char **function,
					struct diagnostic *diagnostic);

/* Calls found(include, length, context) for each `#include "FILE"` of text,
 * outside comments; false when out of memory. */
bool source_text_quote_includes(const char *text, size_t size,
				void (*found)(const char *include, size_t length, void *context),
				void *context);

#endif
