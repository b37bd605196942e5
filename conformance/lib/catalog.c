/* catalog.c - parses the bundled files into a catalog (see catalog.h). A
 * bundled file that does not parse is a build defect and is reported as such. */
#include "catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundled_files.h"
#include "file_contents.h"
#include "table_rows.h"

const unsigned char *catalog_bundled(const char *name, size_t *size)
{
	for (size_t index = 0; index < bundled_file_count; index++) {
		if (strcmp(bundled_files[index].name, name) == 0) {
			*size = (size_t)(bundled_files[index].end - bundled_files[index].start);
			return bundled_files[index].start;
		}
	}
	return NULL;
}

static bool has_prefix_and_suffix(const char *name, const char *prefix, const char *suffix)
{
	size_t length = strlen(name), prefix_length = strlen(prefix), suffix_length = strlen(suffix);
	return length > prefix_length + suffix_length && strncmp(name, prefix, prefix_length) == 0 &&
	       strcmp(name + length - suffix_length, suffix) == 0;
}

const struct spec_table *catalog_spec_resolver(void *catalog, const char *revision)
{
	return catalog_find_spec(catalog, revision);
}

/* One row of specs/revisions.list: FILE [default], a bundled table to parse. */
static enum tdxabi_status add_spec(void *context, const struct table_row *row,
				   struct diagnostic *diagnostic)
{
	struct catalog *catalog = context;
	bool is_default = row->field_count == 2 && strcmp(row->fields[1], "default") == 0;
	if (row->field_count != 1 && !is_default)
		return table_row_fail(row, diagnostic, "expected 'FILE [default]'");
	if (is_default && catalog->has_default)
		return table_row_fail(row, diagnostic, "a second default revision");
	char bundle_name[128];
	snprintf(bundle_name, sizeof(bundle_name), "specs/%s", row->fields[0]);
	size_t size;
	const unsigned char *text = catalog_bundled(bundle_name, &size);
	if (!text)
		return table_row_fail(row, diagnostic, "no bundled spec file %s", row->fields[0]);
	struct spec_table *specs = realloc(catalog->specs, (catalog->spec_count + 1) * sizeof(*specs));
	if (!specs)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	catalog->specs = specs;
	struct spec_table *spec = &catalog->specs[catalog->spec_count];
	enum tdxabi_status status = spec_table_parse((const char *)text, size, bundle_name,
						     catalog_spec_resolver, catalog, spec, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (catalog_find_spec(catalog, spec->revision)) {
		status = table_row_fail(row, diagnostic, "revision %s is bundled twice", spec->revision);
		spec_table_free(spec);
		return status;
	}
	if (is_default) {
		catalog->default_spec = catalog->spec_count;
		catalog->has_default = true;
	}
	catalog->spec_count++;
	return TDXABI_OK;
}

static enum tdxabi_status read_bundled_list(const char *name, table_row_handler handler,
					    struct catalog *catalog, struct diagnostic *diagnostic)
{
	size_t size;
	const unsigned char *list = catalog_bundled(name, &size);
	if (!list)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "bundle has no %s", name);
	return table_rows_each(name, (const char *)list, size, handler, catalog, diagnostic);
}

static enum tdxabi_status load_specs(struct catalog *catalog, struct diagnostic *diagnostic)
{
	enum tdxabi_status status =
		read_bundled_list("specs/revisions.list", add_spec, catalog, diagnostic);
	if (status != TDXABI_OK)
		return status;
	for (size_t index = 0; index < bundled_file_count; index++) {
		const char *name = bundled_files[index].name;
		bool listed = false;
		for (size_t spec = 0; spec < catalog->spec_count && !listed; spec++)
			listed = strcmp(catalog->specs[spec].file_name, name) == 0;
		if (has_prefix_and_suffix(name, "specs/", ".spec") && !listed)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s is bundled but missing from specs/revisions.list", name);
	}
	if (!catalog->has_default)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "specs/revisions.list marks no revision 'default'");
	return TDXABI_OK;
}

static enum tdxabi_status load_abis(struct catalog *catalog, struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < bundled_file_count; index++) {
		const struct bundled_file *file = &bundled_files[index];
		if (!has_prefix_and_suffix(file->name, "abis/", ".abi"))
			continue;
		struct calling_convention *abis =
			realloc(catalog->abis, (catalog->abi_count + 1) * sizeof(*abis));
		if (!abis)
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		catalog->abis = abis;
		struct calling_convention *abi = &catalog->abis[catalog->abi_count];
		enum tdxabi_status status =
			calling_convention_parse((const char *)file->start,
						 (size_t)(file->end - file->start), file->name, abi,
						 diagnostic);
		if (status != TDXABI_OK)
			return status;
		if (catalog_find_abi(catalog, abi->name)) {
			status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
						 "%s: calling convention %s is bundled twice", file->name,
						 abi->name);
			calling_convention_free(abi);
			return status;
		}
		catalog->abi_count++;
	}
	return TDXABI_OK;
}

static enum tdxabi_status load_bindings(struct catalog *catalog, struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < bundled_file_count; index++) {
		const struct bundled_file *file = &bundled_files[index];
		if (!has_prefix_and_suffix(file->name, "bindings/", ".binding"))
			continue;
		struct binding *bindings =
			realloc(catalog->bindings, (catalog->binding_count + 1) * sizeof(*bindings));
		if (!bindings)
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		catalog->bindings = bindings;
		enum tdxabi_status status =
			binding_parse((const char *)file->start, (size_t)(file->end - file->start),
				      file->name, catalog_abi_resolver, catalog,
				      &catalog->bindings[catalog->binding_count], diagnostic);
		if (status != TDXABI_OK)
			return status;
		if (catalog_find_binding(catalog, catalog->bindings[catalog->binding_count].name)) {
			status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
						 "%s: binding %s is bundled twice", file->name,
						 catalog->bindings[catalog->binding_count].name);
			binding_free(&catalog->bindings[catalog->binding_count]);
			return status;
		}
		catalog->binding_count++;
	}
	return TDXABI_OK;
}

/* One row of stubs/reference.list: OBJECT SYMBOL BINDING. */
static enum tdxabi_status add_stub(void *context, const struct table_row *row,
				   struct diagnostic *diagnostic)
{
	struct catalog *catalog = context;
	if (row->field_count != 3)
		return table_row_fail(row, diagnostic, "expected 'OBJECT SYMBOL BINDING'");
	struct reference_stub stub;
	memset(&stub, 0, sizeof(stub));
	if (strlen(row->fields[0]) >= sizeof(stub.object) ||
	    strlen(row->fields[1]) >= sizeof(stub.symbol) ||
	    strlen(row->fields[2]) >= sizeof(stub.binding))
		return table_row_fail(row, diagnostic, "name too long");
	strcpy(stub.object, row->fields[0]);
	strcpy(stub.symbol, row->fields[1]);
	strcpy(stub.binding, row->fields[2]);
	if (!catalog_find_binding(catalog, stub.binding))
		return table_row_fail(row, diagnostic, "unknown binding %s", stub.binding);
	struct reference_stub *stubs = realloc(catalog->stubs, (catalog->stub_count + 1) * sizeof(*stubs));
	if (!stubs)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	catalog->stubs = stubs;
	catalog->stubs[catalog->stub_count++] = stub;
	return TDXABI_OK;
}

enum tdxabi_status catalog_load(struct catalog *catalog, struct diagnostic *diagnostic)
{
	memset(catalog, 0, sizeof(*catalog));
	enum tdxabi_status status = load_specs(catalog, diagnostic);
	if (status == TDXABI_OK)
		status = load_abis(catalog, diagnostic);
	if (status == TDXABI_OK)
		status = load_bindings(catalog, diagnostic);
	if (status == TDXABI_OK)
		status = read_bundled_list("stubs/reference.list", add_stub, catalog, diagnostic);
	if (status != TDXABI_OK)
		catalog_free(catalog);
	return status;
}

void catalog_free(struct catalog *catalog)
{
	for (size_t index = 0; index < catalog->spec_count; index++)
		spec_table_free(&catalog->specs[index]);
	for (size_t index = 0; index < catalog->binding_count; index++)
		binding_free(&catalog->bindings[index]);
	for (size_t index = 0; index < catalog->abi_count; index++)
		calling_convention_free(&catalog->abis[index]);
	free(catalog->abis);
	free(catalog->specs);
	free(catalog->bindings);
	free(catalog->stubs);
	memset(catalog, 0, sizeof(*catalog));
}

const struct spec_table *catalog_default_spec(const struct catalog *catalog)
{
	return &catalog->specs[catalog->default_spec];
}

enum tdxabi_status catalog_resolve_spec(const struct catalog *catalog, const char *name,
					struct spec_table *user_spec, const struct spec_table **spec,
					struct diagnostic *diagnostic)
{
	memset(user_spec, 0, sizeof(*user_spec));
	*spec = name ? catalog_find_spec(catalog, name) : catalog_default_spec(catalog);
	if (*spec)
		return TDXABI_OK;
	if (!strchr(name, '/') && !has_prefix_and_suffix(name, "", ".spec"))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "unknown spec revision '%s' (see 'tdxabi list specs', or give a "
				       "table file)",
				       name);
	uint8_t *text;
	size_t size;
	enum tdxabi_status status = file_contents_read(name, &text, &size, diagnostic);
	if (status != TDXABI_OK)
		return status;
	status = spec_table_parse((const char *)text, size, name, catalog_spec_resolver, (void *)catalog,
				  user_spec, diagnostic);
	free(text);
	if (status == TDXABI_OK)
		*spec = user_spec;
	return status;
}

const struct spec_table *catalog_find_spec(const struct catalog *catalog, const char *revision)
{
	for (size_t index = 0; index < catalog->spec_count; index++)
		if (strcmp(catalog->specs[index].revision, revision) == 0)
			return &catalog->specs[index];
	return NULL;
}

const struct binding *catalog_find_binding(const struct catalog *catalog, const char *name)
{
	for (size_t index = 0; index < catalog->binding_count; index++)
		if (strcmp(catalog->bindings[index].name, name) == 0)
			return &catalog->bindings[index];
	return NULL;
}

const struct calling_convention *catalog_find_abi(const struct catalog *catalog, const char *name)
{
	for (size_t index = 0; index < catalog->abi_count; index++)
		if (strcmp(catalog->abis[index].name, name) == 0)
			return &catalog->abis[index];
	return NULL;
}

const struct calling_convention *catalog_abi_resolver(void *catalog, const char *name)
{
	return catalog_find_abi(catalog, name);
}

enum tdxabi_status catalog_resolve_binding(const struct catalog *catalog, const char *name,
					   struct binding *user_binding,
					   const struct binding **binding,
					   struct diagnostic *diagnostic)
{
	memset(user_binding, 0, sizeof(*user_binding));
	if ((*binding = catalog_find_binding(catalog, name)))
		return TDXABI_OK;
	if (!strchr(name, '/') && !has_prefix_and_suffix(name, "", ".binding"))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "unknown binding '%s' (see 'tdxabi list bindings', or give a "
				       "binding file)",
				       name);
	uint8_t *text;
	size_t size;
	enum tdxabi_status status = file_contents_read(name, &text, &size, diagnostic);
	if (status != TDXABI_OK)
		return status;
	status = binding_parse((const char *)text, size, name, catalog_abi_resolver, (void *)catalog,
			       user_binding, diagnostic);
	free(text);
	if (status == TDXABI_OK)
		*binding = user_binding;
	return status;
}

enum tdxabi_status catalog_binding_for_symbol(const struct catalog *catalog, const char *symbol,
					      const struct binding **binding,
					      struct diagnostic *diagnostic)
{
	*binding = NULL;
	char names[512] = "";
	size_t used = 0, count = 0;
	for (size_t index = 0; index < catalog->binding_count; index++) {
		if (!binding_names_symbol(&catalog->bindings[index], symbol))
			continue;
		*binding = &catalog->bindings[index];
		count++;
		int written = snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "",
				       catalog->bindings[index].name);
		if (written > 0 && (size_t)written < sizeof(names) - used)
			used += (size_t)written;
	}
	if (count == 1)
		return TDXABI_OK;
	*binding = NULL;
	if (count == 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s is a function no binding names; give --binding", symbol);
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
			       "%s is the name of several conventions (%s); give --binding NAME|FILE",
			       symbol, names);
}

bool catalog_names_symbol(const struct catalog *catalog, const char *symbol)
{
	for (size_t index = 0; index < catalog->binding_count; index++)
		if (binding_names_symbol(&catalog->bindings[index], symbol))
			return true;
	return false;
}
