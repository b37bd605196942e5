/* catalog.h - the bundled spec revisions (in the order of
 * specs/revisions.list, newest last), bindings and reference stubs, parsed
 * once; plus loading a user's own spec table file. */
#ifndef TDXABI_CATALOG_H
#define TDXABI_CATALOG_H

#include <stddef.h>

#include "binding.h"
#include "diagnostic.h"
#include "spec_table.h"

struct reference_stub {
	char object[64];  /* bundle name of the object, "module_args_6_7.o" */
	char symbol[128];
	char binding[BINDING_NAME_SIZE];
};

struct catalog {
	struct spec_table *specs;
	size_t spec_count;
	struct binding *bindings;
	size_t binding_count;
	struct reference_stub *stubs;
	size_t stub_count;
};

enum tdxabi_status catalog_load(struct catalog *catalog, struct diagnostic *diagnostic);
void catalog_free(struct catalog *catalog);

const struct spec_table *catalog_newest_spec(const struct catalog *catalog);
const struct spec_table *catalog_find_spec(const struct catalog *catalog, const char *revision);
const struct binding *catalog_find_binding(const struct catalog *catalog, const char *name);
/* The bytes of a bundled file ("stubs/module_args_6_7.o"), or NULL. */
const unsigned char *catalog_bundled(const char *name, size_t *size);
/* The bundled shim headers of the kernel-tree builder; *count of them. */
struct shim_file;
enum tdxabi_status catalog_shims(struct shim_file **shims, size_t *count,
				 struct diagnostic *diagnostic);

#endif
