/* linux_environment.h - the Linux kernel as an environment: its __ex_table
 * (read from the object's own section, applied as fixup_exception() would)
 * and the return thunk the harness stands in for. */
#ifndef TDXABI_LINUX_ENVIRONMENT_H
#define TDXABI_LINUX_ENVIRONMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "environment.h"

/* One __ex_table entry: if `instruction` faults, the kernel resumes at
 * `fixup`; the low byte of `type` says what else it does (EX_TYPE_*). */
struct linux_exception {
	uint64_t instruction;
	uint64_t fixup;
	uint32_t type;
};

struct linux_exception_table {
	struct linux_exception *entries;
	size_t count;
};

extern const struct environment_kind linux_environment;
/* Every environment the tool knows: firmware and Linux. */
extern const struct environment_kind *const every_environment_kind[];
extern const size_t every_environment_kind_count;

/* Reads every __ex_table section of the image; a malformed one fails naming the file. */
enum tdxabi_status linux_exception_table_read(const struct object_image *image,
					      struct linux_exception_table *table,
					      struct diagnostic *diagnostic);
void linux_exception_table_free(struct linux_exception_table *table);
const struct linux_exception *linux_exception_find(const struct linux_exception_table *table,
						   uint64_t instruction);
/* Whether two functions have the same __ex_table entries, instruction and
 * fixup at the same places relative to each, of the same type; *difference
 * is the offset of the first that differs. */
bool linux_same_fixups(const struct linux_exception_table *first, uint64_t start_one,
		       uint64_t end_one, const struct linux_exception_table *second,
		       uint64_t start_other, uint64_t end_other, uint64_t *difference);

/* object_image_same_code, and the same __ex_table entries relative to each
 * function (false also when either table does not read). */
bool linux_same_function(const struct object_image *first, const struct image_symbol *one,
			 const struct object_image *second, const struct image_symbol *other,
			 uint64_t *difference);

#endif
