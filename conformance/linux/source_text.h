/* source_text.h - reading C and assembler source of a Linux tree the way the
 * compiler would, as far as the kernel builder needs it: comments (and
 * literals) blanked out, matching brackets, a function cut out at file
 * scope, a source's #include lines and gas file directives. */
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

/* [A-Za-z0-9_] */
bool source_text_is_identifier_character(char character);

/* The index of the bracket closing the one at mask[open], or size when it
 * does not close; mask has comments and literals blanked. */
size_t source_text_matching(const char *mask, size_t size, size_t open, char opening,
			    char closing);

/* The file-scope definition `... NAME(...) { ... }` in C text, from the start
 * of its line to its closing brace, found and delimited outside comments and
 * literals; a definition whose line starts with "static" is not the one
 * wanted. *function (malloc'ed) is NULL when the text only declares or calls
 * NAME. Fails, naming `file` and NAME, when the text has NAME( at file scope
 * but no definition can be cut out (unbalanced braces or parentheses), or
 * when it has two definitions. */
enum tdxabi_status source_text_function(const char *text, size_t size, const char *name,
					const char *file, char **function,
					struct diagnostic *diagnostic);

enum source_include_kind {
	SOURCE_INCLUDE_QUOTED,   /* #include "FILE" */
	SOURCE_INCLUDE_ANGLED,   /* #include <FILE> */
	SOURCE_INCLUDE_COMPUTED, /* #include MACRO: include is the rest of the line */
};

/* Calls found(kind, include, length, context) for each #include (or
 * #include_next, #import) line of text, outside comments, until it returns false. False when out of memory. */
bool source_text_includes(const char *text, size_t size,
			  bool (*found)(enum source_include_kind kind, const char *include,
					size_t length, void *context),
			  void *context);

/* The first gas `.include` or `.incbin` directive of assembler text outside
 * comments and literals ("" when none) into directive; false when out of
 * memory. */
bool source_text_gas_file_directive(const char *text, size_t size, char *directive,
				    size_t directive_size);

#endif
