/* catalog.h - the bundled spec revisions (in the order of
 * specs/revisions.list, oldest first, one marked default), calling
 * conventions, bindings and reference stubs, parsed once; plus loading a
 * user's own spec table or binding file. */
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
	struct calling_convention *abis;
	size_t abi_count;
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
/* The one bundled binding that names a function (its 'symbols' or Linux
 * functions); fails listing the candidates when several do, or none. */
enum tdxabi_status catalog_binding_for_symbol(const struct catalog *catalog, const char *symbol,
					      const struct binding **binding,
					      struct diagnostic *diagnostic);
/* Whether any bundled binding names the function. */
bool catalog_names_symbol(const struct catalog *catalog, const char *symbol);
const struct calling_convention *catalog_find_abi(const struct catalog *catalog, const char *name);
/* catalog_find_abi as a calling_convention_resolver (context: the catalog). */
const struct calling_convention *catalog_abi_resolver(void *catalog, const char *name);
/* A bundled binding by name, or a binding file of the user's (a name with
 * '/' or ending in .binding) parsed into *user_binding, which the caller
 * releases with binding_free (zeroed when unused). */
enum tdxabi_status catalog_resolve_binding(const struct catalog *catalog, const char *name,
					   struct binding *user_binding,
					   const struct binding **binding,
					   struct diagnostic *diagnostic);
/* The bytes of a bundled file ("stubs/module_args_6_7.o"), or NULL. */
const unsigned char *catalog_bundled(const char *name, size_t *size);

#endif
