/* catalog.h - the bundled spec revisions (in the order of
 * specs/revisions.list, oldest first, one marked default), bindings and reference stubs, parsed
 * once; plus loading a user's own spec table file. */
#ifndef TDXABI_CATALOG_H
#define TDXABI_CATALOG_H

#include <stdbool.h>
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
	size_t default_spec; /* index of the revision marked 'default' */
	bool has_default;
	struct binding *bindings;
	size_t binding_count;
	struct reference_stub *stubs;
	size_t stub_count;
};

enum tdxabi_status catalog_load(struct catalog *catalog, struct diagnostic *diagnostic);
void catalog_free(struct catalog *catalog);

const struct spec_table *catalog_default_spec(const struct catalog *catalog);
/* The default revision (name NULL), a bundled one by name, or a table file
 * of the user's (a name with '/' or ending in .spec, possibly based on a
 * bundled revision), parsed into *user_spec,
 * which the caller releases with spec_table_free (zeroed when unused). */
enum tdxabi_status catalog_resolve_spec(const struct catalog *catalog, const char *name,
					struct spec_table *user_spec, const struct spec_table **spec,
					struct diagnostic *diagnostic);
const struct spec_table *catalog_find_spec(const struct catalog *catalog, const char *revision);
/* catalog_find_spec as a spec_resolver, for tables based on a bundled
 * revision (context: the catalog). */
const struct spec_table *catalog_spec_resolver(void *catalog, const char *revision);
const struct binding *catalog_find_binding(const struct catalog *catalog, const char *name);
/* The bytes of a bundled file ("stubs/module_args_6_7.o"), or NULL. */
const unsigned char *catalog_bundled(const char *name, size_t *size);
/* The bundled shim headers of the kernel-tree builder; *count of them. */
struct shim_file;
enum tdxabi_status catalog_shims(struct shim_file **shims, size_t *count,
				 struct diagnostic *diagnostic);

#endif
