/* file_contents.c - file_contents_read() of file_contents.h. */
#include "file_contents.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum tdxabi_status file_contents_read(const char *path, uint8_t **bytes, size_t *size,
				      struct diagnostic *diagnostic)
{
	struct stat information;
	if (stat(path, &information) != 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: %s", path, strerror(errno));
	if (!S_ISREG(information.st_mode))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: not a regular file", path);
	if ((uint64_t)information.st_size > FILE_CONTENTS_LIMIT)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: larger than %u MiB", path,
				       FILE_CONTENTS_LIMIT >> 20);
	FILE *file = fopen(path, "rb");
	if (!file)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: %s", path, strerror(errno));
	size_t expected = (size_t)information.st_size;
	uint8_t *buffer = malloc(expected + 1);
	if (!buffer) {
		fclose(file);
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	size_t got = fread(buffer, 1, expected, file);
	int failed = ferror(file);
	fclose(file);
	if (failed || got != expected) {
		free(buffer);
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: read error", path);
	}
	buffer[got] = 0;
	*bytes = buffer;
	*size = got;
	return TDXABI_OK;
}
