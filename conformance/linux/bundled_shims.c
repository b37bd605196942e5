/* bundled_shims.c - bundled_shims_load() of bundled_shims.h. */
#include "bundled_shims.h"

#include <stdlib.h>
#include <string.h>

#include "bundled_files.h"

enum tdxabi_status bundled_shims_load(struct shim_file **shims, size_t *count,
				      struct diagnostic *diagnostic)
{
	static const char prefix[] = "linux-shims/";
	*count = 0;
	*shims = calloc(bundled_file_count ? bundled_file_count : 1, sizeof(**shims));
	if (!*shims)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	for (size_t index = 0; index < bundled_file_count; index++) {
		const struct bundled_file *file = &bundled_files[index];
		if (strncmp(file->name, prefix, sizeof(prefix) - 1) != 0)
			continue;
		struct shim_file *shim = &(*shims)[(*count)++];
		shim->path = file->name + sizeof(prefix) - 1;
		shim->bytes = file->start;
		shim->size = (size_t)(file->end - file->start);
	}
	return TDXABI_OK;
}
