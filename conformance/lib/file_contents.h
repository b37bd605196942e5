/* file_contents.h - reads a whole user file (object, spec table) into memory,
 * refusing what is not a regular file (never blocking on a FIFO) or is
 * unreasonably large. */
#ifndef TDXABI_FILE_CONTENTS_H
#define TDXABI_FILE_CONTENTS_H

#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"

#define FILE_CONTENTS_LIMIT (256u << 20)

/* On success *bytes is malloc'ed (NUL-terminated beyond *size) and the caller frees it. */
enum tdxabi_status file_contents_read(const char *path, uint8_t **bytes, size_t *size,
				      struct diagnostic *diagnostic);

#endif
