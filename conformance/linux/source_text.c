/* source_text.c - comment-aware scanning of tree sources (see source_text.h). */
#include "source_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum mask_state { IN_CODE, IN_BLOCK_COMMENT, IN_LINE_COMMENT, IN_STRING, IN_CHARACTER };

char *source_text_mask(const char *text, size_t size, bool blank_literals)
{
	char *mask = malloc(size + 1);
	if (!mask)
		return NULL;
	enum mask_state state = IN_CODE;
	for (size_t index = 0; index < size; index++) {
		char character = text[index], next = index + 1 < size ? text[index + 1] : '\0';
		mask[index] = character;
		switch (state) {
		case IN_CODE:
			if (character == '/' && next == '*') {
				state = IN_BLOCK_COMMENT;
				mask[index] = mask[index + 1] = ' ';
				index++;
			} else if (character == '/' && next == '/') {
				state = IN_LINE_COMMENT;
				mask[index] = ' ';
			} else if (character == '"') {
				state = IN_STRING;
			} else if (character == '\'') {
				state = IN_CHARACTER;
			}
			break;
		case IN_BLOCK_COMMENT:
			if (character == '*' && next == '/') {
				state = IN_CODE;
				mask[index] = mask[index + 1] = ' ';
				index++;
			} else if (character != '\n') {
				mask[index] = ' ';
			}
			break;
		case IN_LINE_COMMENT:
			if (character == '\\' && next == '\n') { /* continued on the next line */
				mask[index] = ' ';
				mask[++index] = '\n';
			} else if (character == '\n') {
				state = IN_CODE;
			} else {
				mask[index] = ' ';
			}
			break;
		case IN_STRING:
		case IN_CHARACTER:
			if (character == '\n') { /* unterminated: do not let it run on */
				state = IN_CODE;
				break;
			}
			if ((state == IN_STRING && character == '"') ||
			    (state == IN_CHARACTER && character == '\'')) {
				state = IN_CODE;
				break;
			}
			if (character == '\\' && next != '\0' && next != '\n') {
				mask[index + 1] = next;
				if (blank_literals)
					mask[index] = mask[index + 1] = ' ';
				index++;
			} else if (blank_literals) {
				mask[index] = ' ';
			}
			break;
		}
	}
	mask[size] = '\0';
	return mask;
}

bool source_text_is_identifier_character(char character)
{
	return character == '_' || (character >= '0' && character <= '9') ||
	       (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z');
}

static size_t skip_space(const char *mask, size_t size, size_t cursor)
{
	while (cursor < size && (mask[cursor] == ' ' || mask[cursor] == '\t' || mask[cursor] == '\n' ||
				 mask[cursor] == '\r' || mask[cursor] == '\f' || mask[cursor] == '\v'))
		cursor++;
	return cursor;
}

size_t source_text_matching(const char *mask, size_t size, size_t open, char opening,
			    char closing)
{
	int depth = 0;
	for (size_t cursor = open; cursor < size; cursor++) {
		depth += mask[cursor] == opening;
		if (mask[cursor] == closing && --depth == 0)
			return cursor;
	}
	return size;
}

enum tdxabi_status source_text_function(const char *text, size_t size, const char *name,
					const char *file, char **function,
					struct diagnostic *diagnostic)
{
	*function = NULL;
	char *mask = source_text_mask(text, size, true);
	if (!mask)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	size_t length = strlen(name);
	const char *problem = NULL;
	int depth = 0;
	for (size_t index = 0; index < size && !problem; index++) {
		if (mask[index] == '{') {
			depth++;
			continue;
		}
		if (mask[index] == '}') {
			depth -= depth > 0;
			continue;
		}
		if (depth != 0 || strncmp(mask + index, name, length) != 0 ||
		    (index > 0 && source_text_is_identifier_character(mask[index - 1])) ||
		    source_text_is_identifier_character(mask[index + length]))
			continue;
		size_t open = skip_space(mask, size, index + length);
		if (open >= size || mask[open] != '(')
			continue;
		size_t close = source_text_matching(mask, size, open, '(', ')');
		if (close == size) {
			problem = "its parameter list does not end";
			break;
		}
		size_t body = skip_space(mask, size, close + 1);
		if (body < size && (mask[body] == ';' || mask[body] == ',')) {
			index = body; /* a declaration */
			continue;
		}
		if (body >= size || mask[body] != '{') {
			problem = "no body follows its parameter list";
			break;
		}
		size_t line = index;
		while (line > 0 && mask[line - 1] != '\n')
			line--;
		size_t end = source_text_matching(mask, size, body, '{', '}');
		if (end == size) {
			problem = "its body does not end (unbalanced braces)";
			break;
		}
		if (strncmp(mask + line, "static", 6) == 0) {
			index = end;
			continue;
		}
		if (*function) { /* e.g. two branches of an #if: which one builds is unknown */
			problem = "it is defined twice (preprocessor conditionals are not evaluated)";
			break;
		}
		index = end;
		size_t cut = end + 1 - line;
		if (!(*function = malloc(cut + 2))) {
			free(mask);
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		}
		memcpy(*function, text + line, cut);
		memcpy(*function + cut, "\n", 2);
	}
	free(mask);
	if (!problem)
		return TDXABI_OK;
	free(*function);
	*function = NULL;
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
			       "%s: cannot cut out the definition of %s: %s", file, name, problem);
}

/* The length of "include", "include_next" or "import" (all read a file)
 * at cursor, or 0. */
static size_t directive_length(const char *cursor)
{
	static const char *const words[] = {"include_next", "include", "import"};
	for (size_t index = 0; index < 3; index++) {
		size_t length = strlen(words[index]);
		if (strncmp(cursor, words[index], length) == 0 &&
		    !source_text_is_identifier_character(cursor[length]))
			return length;
	}
	return 0;
}

bool source_text_includes(const char *text, size_t size,
			  bool (*found)(enum source_include_kind kind, const char *include,
					size_t length, void *context),
			  void *context)
{
	char *mask = source_text_mask(text, size, false);
	if (!mask)
		return false;
	bool going = true;
	for (const char *line = mask; line && going;) {
		const char *cursor = line + strspn(line, " \t");
		size_t length = strcspn(line, "\n");
		if (*cursor == '#') {
			cursor += 1 + strspn(cursor + 1, " \t");
			size_t word = directive_length(cursor);
			if (word) {
				cursor += word + strspn(cursor + word, " \t");
				char closing = *cursor == '"' ? '"' : *cursor == '<' ? '>' : '\0';
				const char *close = closing ? strchr(cursor + 1, closing) : NULL;
				if (close && close < line + length)
					going = found(closing == '"' ? SOURCE_INCLUDE_QUOTED
								     : SOURCE_INCLUDE_ANGLED,
						      cursor + 1, (size_t)(close - cursor - 1), context);
				else
					going = found(SOURCE_INCLUDE_COMPUTED, cursor,
						      (size_t)(line + length - cursor), context);
			}
		}
		line = line[length] ? line + length + 1 : NULL;
	}
	free(mask);
	return true;
}

bool source_text_gas_file_directive(const char *text, size_t size, char *directive,
				    size_t directive_size)
{
	static const char *const directives[] = {".include", ".incbin"};
	char *mask = source_text_mask(text, size, true);
	if (!mask)
		return false;
	directive[0] = '\0';
	for (size_t index = 0; index < size && !directive[0]; index++) {
		if (mask[index] != '.' ||
		    (index > 0 && (source_text_is_identifier_character(mask[index - 1]) ||
				   mask[index - 1] == '.')))
			continue;
		for (size_t which = 0; which < 2; which++) {
			size_t length = strlen(directives[which]);
			if (strncmp(mask + index, directives[which], length) == 0 &&
			    !source_text_is_identifier_character(mask[index + length]))
				snprintf(directive, directive_size, "%s", directives[which]);
		}
	}
	free(mask);
	return true;
}
