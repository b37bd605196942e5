/* standin_headers.c - the stand-in headers of a build (see
 * standin_headers.h): gcc's dependency list read for the names it could not
 * find, each checked to be a header path before an empty file is made. */
#include "standin_headers.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_cache.h"
#include "build_command.h"
#include "file_access.h"

#define MAX_ARGUMENTS 64

/* A relative path of plain segments ending in ".h": what an #include of a
 * header the shims lack names. */
static bool is_header_path(const char *name, size_t length)
{
	if (length < 3 || length >= STANDIN_NAME_SIZE || name[0] == '/' ||
	    strncmp(name + length - 2, ".h", 2) != 0)
		return false;
	for (size_t index = 0; index < length; index++) {
		char character = name[index];
		bool plain = (character >= 'a' && character <= 'z') ||
			     (character >= 'A' && character <= 'Z') ||
			     (character >= '0' && character <= '9') || character == '_' ||
			     character == '-' || character == '.' || character == '/';
		if (!plain || (character == '.' && index + 1 < length && name[index + 1] == '.') ||
		    (character == '/' && index + 1 < length && name[index + 1] == '/'))
			return false;
	}
	return true;
}

static bool listed(const struct standin_headers *standins, const char *name, size_t length)
{
	for (size_t index = 0; index < standins->count; index++)
		if (strlen(standins->names[index]) == length &&
		    strncmp(standins->names[index], name, length) == 0)
			return true;
	return false;
}

static enum tdxabi_status add_name(struct standin_headers *standins, const char *directory,
				   const char *name, size_t length, const char *what,
				   struct diagnostic *diagnostic)
{
	if (!is_header_path(name, length))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: includes %.*s, which neither the tree nor the shims have "
				       "(only a header path can be stood in for)",
				       what, (int)(length > 200 ? 200 : length), name);
	if (listed(standins, name, length))
		return TDXABI_OK;
	if (standins->count == STANDIN_MAX)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: more than %d headers that neither the tree nor the shims have",
				       what, STANDIN_MAX);
	char *slot = standins->names[standins->count++];
	memcpy(slot, name, length);
	slot[length] = '\0';
	char path[4096];
	if (!file_access_join(path, sizeof(path), directory, slot))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s: path too long", directory,
				       slot);
	static const char text[] = "/* empty stand-in written by tdxabi: the shims have no such header */\n";
	return build_cache_write_file(path, text, sizeof(text) - 1, diagnostic);
}

enum tdxabi_status standin_headers_add(const char *const *command, const char *directory,
				       const char *dependencies, const char *what,
				       struct standin_headers *standins,
				       struct diagnostic *diagnostic)
{
	const char *argv[MAX_ARGUMENTS];
	size_t count = 0;
	while (command[count] && count + 5 < MAX_ARGUMENTS) {
		argv[count] = command[count];
		count++;
	}
	if (command[count])
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: too many arguments", what);
	const char *tail[] = {"-M", "-MG", "-MF", dependencies, NULL};
	memcpy(argv + count, tail, sizeof(tail));
	char log[4200], action[512];
	snprintf(log, sizeof(log), "%s.log", dependencies);
	snprintf(action, sizeof(action), "%s: listing its headers", what);
	enum tdxabi_status status = build_command_run(argv, log, action, BUILD_COMMAND_TIME_LIMIT,
						      diagnostic);
	char *text = NULL;
	size_t size = 0;
	if (status == TDXABI_OK)
		status = file_access_read(dependencies, BUILD_CACHE_FILE_LIMIT, &text, &size, diagnostic);
	if (status != TDXABI_OK)
		return status;
	/* "target.o: /abs/source.S /abs/found.h \\\n missing/header.h ...": what
	 * the (absolute) include directories held comes out absolute, what they
	 * did not comes out as it was included; make's escapes ("\\ " a space,
	 * "\\#", "$$") are undone. The target's own name is skipped. */
	char *name = malloc(size + 1);
	if (!name)
		status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	bool target = true;
	for (const char *cursor = text; status == TDXABI_OK && *cursor;) {
		if (*cursor == ' ' || *cursor == '\t' || *cursor == '\n' ||
		    (cursor[0] == '\\' && cursor[1] == '\n')) {
			cursor += cursor[0] == '\\' ? 2 : 1;
			continue;
		}
		size_t length = 0;
		while (*cursor && *cursor != ' ' && *cursor != '\t' && *cursor != '\n') {
			if (cursor[0] == '\\' && (cursor[1] == ' ' || cursor[1] == '#'))
				cursor++;
			else if (cursor[0] == '$' && cursor[1] == '$')
				cursor++;
			name[length++] = *cursor++;
		}
		if (target) {
			target = !(length > 0 && name[length - 1] == ':');
			continue;
		}
		if (name[0] != '/')
			status = add_name(standins, directory, name, length, what, diagnostic);
	}
	free(name);
	free(text);
	return status;
}

enum tdxabi_status standin_headers_write(const struct standin_headers *standins,
					 const char *path, struct diagnostic *diagnostic)
{
	char text[STANDIN_MAX * STANDIN_NAME_SIZE + STANDIN_MAX];
	size_t used = 0;
	for (size_t index = 0; index < standins->count; index++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s\n", standins->names[index]);
	return build_cache_write_file(path, text, used, diagnostic);
}

enum tdxabi_status standin_headers_read(struct standin_headers *standins, const char *path,
					struct diagnostic *diagnostic)
{
	standins->count = 0;
	char *text = NULL;
	size_t size = 0;
	enum tdxabi_status status = file_access_read(path, BUILD_CACHE_FILE_LIMIT, &text, &size,
						     diagnostic);
	for (char *line = text; status == TDXABI_OK && line && *line;) {
		size_t length = strcspn(line, "\n");
		if (!is_header_path(line, length) || standins->count == STANDIN_MAX) {
			status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
						 "%s: not a list of stand-in headers", path);
			break;
		}
		memcpy(standins->names[standins->count], line, length);
		standins->names[standins->count++][length] = '\0';
		line += length + (line[length] == '\n');
	}
	free(text);
	return status;
}
