/* linux_environment.c - the Linux environment of linux_environment.h. */
#include "linux_environment.h"

#include <stdlib.h>
#include <string.h>

#define EX_TABLE_ENTRY_SIZE 12
#define EX_TYPE_DEFAULT 1
#define EX_TYPE_FAULT 2
#define EX_TYPE_DEFAULT_MCE_SAFE 14
#define EX_TYPE_FAULT_MCE_SAFE 15
#define EX_FLAG_CLEAR_AX 0x1000 /* extable_fixup_types.h: EX_DATA_FLAG(1) */
#define EX_FLAG_CLEAR_DX 0x2000 /* EX_DATA_FLAG(2) */

enum tdxabi_status linux_exception_table_read(const struct object_image *image,
					      struct linux_exception_table *table,
					      struct diagnostic *diagnostic)
{
	memset(table, 0, sizeof(*table));
	for (size_t index = 0; index < image->section_count; index++) {
		const struct image_section *section = &image->sections[index];
		if (strcmp(section->name, "__ex_table") != 0)
			continue;
		if (section->size % EX_TABLE_ENTRY_SIZE != 0) {
			linux_exception_table_free(table);
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s: __ex_table is %llu bytes, not a whole number of "
					       "12-byte entries",
					       image->file_name, (unsigned long long)section->size);
		}
		size_t count = section->size / EX_TABLE_ENTRY_SIZE;
		struct linux_exception *entries =
			realloc(table->entries, (table->count + count + 1) * sizeof(*entries));
		if (!entries) {
			linux_exception_table_free(table);
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		}
		table->entries = entries;
		for (size_t entry = 0; entry < count; entry++) {
			int32_t fields[3];
			memcpy(fields, section->bytes + entry * EX_TABLE_ENTRY_SIZE, sizeof(fields));
			uint64_t base = section->address + entry * EX_TABLE_ENTRY_SIZE;
			struct linux_exception *exception = &table->entries[table->count++];
			exception->instruction = base + (uint64_t)(int64_t)fields[0];
			exception->fixup = base + 4 + (uint64_t)(int64_t)fields[1];
			exception->type = (uint32_t)fields[2];
		}
	}
	return TDXABI_OK;
}

void linux_exception_table_free(struct linux_exception_table *table)
{
	free(table->entries);
	memset(table, 0, sizeof(*table));
}

const struct linux_exception *linux_exception_find(const struct linux_exception_table *table,
						   uint64_t instruction)
{
	for (size_t index = 0; index < table->count; index++)
		if (table->entries[index].instruction == instruction)
			return &table->entries[index];
	return NULL;
}

/* The index-th entry whose faulting instruction lies in [start, end), or
 * NULL; entries are taken in table order. */
static const struct linux_exception *exception_in(const struct linux_exception_table *table,
						  uint64_t start, uint64_t end, size_t index)
{
	for (size_t which = 0; which < table->count; which++) {
		const struct linux_exception *entry = &table->entries[which];
		if (entry->instruction >= start && entry->instruction < end && index-- == 0)
			return entry;
	}
	return NULL;
}

bool linux_same_fixups(const struct linux_exception_table *first, uint64_t start_one,
		       uint64_t end_one, const struct linux_exception_table *second,
		       uint64_t start_other, uint64_t end_other, uint64_t *difference)
{
	for (size_t index = 0;; index++) {
		const struct linux_exception *a = exception_in(first, start_one, end_one, index);
		const struct linux_exception *b = exception_in(second, start_other, end_other, index);
		if (!a && !b)
			return true;
		if (a && b && a->instruction - start_one == b->instruction - start_other &&
		    a->fixup - start_one == b->fixup - start_other && a->type == b->type)
			continue;
		*difference = (a ? a->instruction - start_one : b->instruction - start_other);
		return false;
	}
}

bool linux_same_function(const struct object_image *first, const struct image_symbol *one,
			 const struct object_image *second, const struct image_symbol *other,
			 uint64_t *difference)
{
	if (!object_image_same_code(first, one, second, other, difference))
		return false;
	struct linux_exception_table table_one, table_other;
	struct diagnostic ignored;
	if (linux_exception_table_read(first, &table_one, &ignored) != TDXABI_OK)
		return false;
	if (linux_exception_table_read(second, &table_other, &ignored) != TDXABI_OK) {
		linux_exception_table_free(&table_one);
		return false;
	}
	uint64_t start_one, end_one, start_other, end_other;
	object_image_symbol_range(first, one, &start_one, &end_one);
	object_image_symbol_range(second, other, &start_other, &end_other);
	bool same = linux_same_fixups(&table_one, start_one, end_one, &table_other, start_other,
				      end_other, difference);
	linux_exception_table_free(&table_one);
	linux_exception_table_free(&table_other);
	return same;
}

/* fixup_exception(): ex_handler_fault puts the trap number in RAX, then
 * ex_handler_default applies the CLEAR_AX/CLEAR_DX flags and resumes at the
 * fixup; other types are not modelled. */
static void resolve_trap(const void *context, uint64_t address, int trap_number,
			 struct trap_fixup *fixup)
{
	const struct linux_exception *entry = linux_exception_find(context, address);
	if (!entry)
		return;
	uint32_t type = entry->type & 0xFF;
	fixup->fixup_kind = type;
	if (type != EX_TYPE_DEFAULT && type != EX_TYPE_FAULT && type != EX_TYPE_DEFAULT_MCE_SAFE &&
	    type != EX_TYPE_FAULT_MCE_SAFE) {
		fixup->resolution = TRAP_FIXUP_NOT_MODELLED;
		return;
	}
	fixup->resolution = TRAP_FIXED;
	fixup->resume_rip = entry->fixup;
	if (type == EX_TYPE_FAULT || type == EX_TYPE_FAULT_MCE_SAFE) {
		fixup->written |= REGISTER_BIT(GPR_RAX);
		fixup->values[GPR_RAX] = (uint64_t)trap_number;
	}
	if (entry->type & EX_FLAG_CLEAR_AX) {
		fixup->written |= REGISTER_BIT(GPR_RAX);
		fixup->values[GPR_RAX] = 0;
	}
	if (entry->type & EX_FLAG_CLEAR_DX) {
		fixup->written |= REGISTER_BIT(GPR_RDX);
		fixup->values[GPR_RDX] = 0;
	}
}

/* The kernel's return thunk (CONFIG_MITIGATION_RETHUNK) returns at once. */
static bool returns_at_once(const void *context, const char *symbol)
{
	(void)context;
	return strcmp(symbol, "__x86_return_thunk") == 0;
}

static void close_linux(void *state)
{
	linux_exception_table_free(state);
	free(state);
}

static enum tdxabi_status open_linux(const struct object_image *image,
				     struct stub_environment *environment,
				     struct diagnostic *diagnostic)
{
	struct linux_exception_table *table = calloc(1, sizeof(*table));
	if (!table)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	enum tdxabi_status status = linux_exception_table_read(image, table, diagnostic);
	if (status != TDXABI_OK) {
		free(table);
		return status;
	}
	*environment = (struct stub_environment){
		.machine = {.resolve_trap = resolve_trap,
			    .returns_at_once = returns_at_once,
			    .context = table},
		.fixups = "__ex_table",
		.unhandled = "the kernel would oops",
		.state = table,
		.close = close_linux,
	};
	return TDXABI_OK;
}

const struct environment_kind linux_environment = {"linux", open_linux};

const struct environment_kind *const every_environment_kind[] = {&firmware_environment,
								 &linux_environment};
const size_t every_environment_kind_count =
	sizeof(every_environment_kind) / sizeof(every_environment_kind[0]);
