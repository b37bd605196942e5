/* fuzz_text_tables.c - libFuzzer target: any bytes as a spec table and as a
 * binding file (based on the bundled revisions and calling conventions):
 * each parses or fails with a diagnostic, and lints, never crashing. */
#include <stddef.h>
#include <stdint.h>

#include "binding.h"
#include "fuzz_support.h"
#include "spec_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore_problem(void *context, const struct diagnostic *problem)
{
	(void)context;
	(void)problem;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct catalog *catalog = fuzz_catalog();
	struct diagnostic diagnostic;
	const char *text = (const char *)data;
	struct spec_table table;
	if (spec_table_parse(text, size, "fuzz.spec", catalog_spec_resolver, (void *)catalog, &table,
			     &diagnostic) == TDXABI_OK)
		spec_table_free(&table);
	struct binding binding;
	if (binding_parse(text, size, "fuzz.binding", catalog_abi_resolver, (void *)catalog, &binding,
			  &diagnostic) == TDXABI_OK)
		binding_free(&binding);
	binding_lint(text, size, "fuzz.binding", catalog_abi_resolver, (void *)catalog, ignore_problem, NULL);
	spec_table_lint(text, size, "fuzz.spec", catalog_spec_resolver, (void *)catalog, ignore_problem, NULL);
	return 0;
}
