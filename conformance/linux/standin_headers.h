/* standin_headers.h - empty stand-ins for headers a build command includes
 * that neither the shims nor the tree's copied headers provide, found by the
 * preprocessor itself (gcc -M -MG evaluates the __ASSEMBLY__ guards), and the
 * list of them a build keeps for its report. */
#ifndef TDXABI_STANDIN_HEADERS_H
#define TDXABI_STANDIN_HEADERS_H

#include <stddef.h>

#include "diagnostic.h"

#define STANDIN_MAX 32
#define STANDIN_NAME_SIZE 128
#define STANDIN_LIST_FILE "standins.list"

struct standin_headers {
	char names[STANDIN_MAX][STANDIN_NAME_SIZE]; /* include paths: "linux/mmzone.h" */
	size_t count;
};

/* Runs `command` (a gcc argv, NULL-terminated, naming its source but no
 * output) with -M -MG into dependencies; every header it names that no
 * include directory holds gets an empty file under directory, and its name
 * in *standins. A missing file that is no plain header path (a stub's
 * quote-included .S, a name with "..") fails, naming it: only headers are
 * stood in for. */
enum tdxabi_status standin_headers_add(const char *const *command, const char *directory,
				       const char *dependencies, const char *what,
				       struct standin_headers *standins,
				       struct diagnostic *diagnostic);

/* The list, one name a line, as the build directory keeps it. */
enum tdxabi_status standin_headers_write(const struct standin_headers *standins,
					 const char *path, struct diagnostic *diagnostic);
enum tdxabi_status standin_headers_read(struct standin_headers *standins, const char *path,
					struct diagnostic *diagnostic);

#endif
