/* test_support.c - helpers of test_support.h. */
#include "test_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_contents.h"

int set_up_catalog(void **state)
{
	struct catalog *catalog = calloc(1, sizeof(*catalog));
	struct diagnostic diagnostic;
	if (!catalog || catalog_load(catalog, &diagnostic) != TDXABI_OK)
		fail_msg("bundled catalog: %s", catalog ? diagnostic.text : "out of memory");
	*state = catalog;
	return 0;
}

int tear_down_catalog(void **state)
{
	catalog_free(*state);
	free(*state);
	return 0;
}

uint8_t *read_test_file(const char *path, size_t *size)
{
	uint8_t *bytes = NULL;
	struct diagnostic diagnostic;
	if (file_contents_read(path, &bytes, size, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	return bytes;
}

void load_test_object(const char *path, struct object_image *image)
{
	size_t size;
	uint8_t *bytes = read_test_file(path, &size);
	struct diagnostic diagnostic;
	enum tdxabi_status status = object_image_load(bytes, size, path, image, &diagnostic);
	free(bytes);
	if (status != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
}

enum tdxabi_status check_test_stub(const struct catalog *catalog, const char *object_path,
				   const char *symbol, const char *binding_name, const char *leaf,
				   struct check_report *report, struct diagnostic *diagnostic)
{
	const struct binding *binding = catalog_find_binding(catalog, binding_name);
	if (!binding)
		fail_msg("no bundled binding %s", binding_name);
	struct object_image image;
	load_test_object(object_path, &image);
	struct stub_target target = {object_path, &image, symbol, binding};
	struct check_options options = {
		.spec = catalog_newest_spec(catalog),
		.selection = {.leaf_name = leaf, .fault_mask = ALL_FAULTS},
		.seed = 1,
		.instruction_budget = DEFAULT_INSTRUCTION_BUDGET,
	};
	enum tdxabi_status status = stub_check_run(&target, &options, report, diagnostic);
	object_image_free(&image);
	return status;
}

void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("expected to find \"%s\" in:\n%s", part, text);
}
