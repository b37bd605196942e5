/* file_access.h - the file primitives of every file tdxabi reads (objects,
 * tables, bindings, kernel trees): joining two paths, failing rather than
 * truncating, and reading one whole regular file up to a size limit without
 * ever blocking on a FIFO or device. */
#ifndef TDXABI_FILE_ACCESS_H
#define TDXABI_FILE_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnostic.h"

/* "<directory>/<relative>" into path; false (path then "") when it does not
 * fit in size bytes. */
bool file_access_join(char *path, size_t size, const char *directory, const char *relative);

/* Removes "." and "dir/.." components of a relative or absolute path in
 * place, lexically (a leading ".." stays): "a/b/../c" is "a/c". */
void file_access_normalize(char *path);

/* Whether path is (following symlinks) a regular file, a directory. */
bool file_access_is_regular(const char *path);
bool file_access_is_directory(const char *path);

/* Reads the regular file at path (opened without blocking) into *text,
 * malloc'ed and NUL-terminated beyond *size; the caller frees it. Anything
 * but a regular file, or more than limit bytes (at most limit + 1 are ever
 * read, so a growing file cannot take all memory), fails naming path. */
enum tdxabi_status file_access_read(const char *path, size_t limit, char **text, size_t *size,
				    struct diagnostic *diagnostic);

#endif
