/* fuzz_object_image.c - libFuzzer target: any bytes as a relocatable object:
 * the loader accepts it or says why, and what it accepts has its line table
 * read and every function audited statically, never crashing. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_support.h"
#include "object_image.h"
#include "source_lines.h"
#include "static_audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct object_image image;
	struct diagnostic diagnostic;
	if (object_image_load(data, size, "fuzz.o", &image, &diagnostic) != TDXABI_OK)
		return 0;
	struct source_lines *lines = NULL;
	if (source_lines_open(&image, &lines, &diagnostic) == TDXABI_OK) {
		struct source_line line;
		for (size_t index = 0; index < image.symbol_count; index++)
			source_lines_find(lines, image.symbols[index].address, &line);
		source_lines_close(lines);
	}
	static struct audit_result result; /* large: not on the stack */
	for (size_t index = 0; index < image.symbol_count && index < 8; index++) {
		const struct image_symbol *symbol = &image.symbols[index];
		if (!symbol->defined || symbol->section < 0 || !image.sections[symbol->section].executable)
			continue;
		struct audit_request request = {.image = &image, .symbol = symbol->name,
						.abi_name = fuzz_sysv()->name,
						.callee_saved = fuzz_sysv()->callee_saved};
		static_audit_run(&request, &result, &diagnostic);
	}
	object_image_free(&image);
	return 0;
}
