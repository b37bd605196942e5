/* spec_table.h - one TDX ABI spec revision as data: TDCALL and SEAMCALL leaves
 * with the registers they read and write, TDG.VP.VMCALL sub-functions, and
 * completion status codes, each row carrying its source citation. */
#ifndef TDXABI_SPEC_TABLE_H
#define TDXABI_SPEC_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "fault_scenario.h"
#include "registers.h"

#define SPEC_NAME_SIZE 64
/* Rows of one kind in a table: real revisions hold a few hundred. */
#define SPEC_MAX_ROWS 4096

struct spec_leaf {
	enum tdx_instruction instruction;
	uint16_t number;            /* RAX[15:0] */
	char name[SPEC_NAME_SIZE];
	register_set inputs;        /* registers the leaf reads, RAX excluded */
	register_set outputs;       /* registers written on the success path */
	register_set error_outputs; /* written only on some error paths ("rcx?" in the table) */
	int exits_to_vmm;           /* TDG.VP.VMCALL: the exposed registers go to the VMM */
	char *citation;
	unsigned line;
};

/* A TDG.VP.VMCALL sub-function: R10 = 0 and R11 = subfunction on input, the
 * TDVMCALL status in R10 on output (both implicit in the table). */
struct spec_vmcall {
	uint64_t subfunction;
	char name[SPEC_NAME_SIZE];
	register_set inputs;
	register_set outputs;
	char *citation;
	unsigned line;
};

struct spec_status {
	char name[SPEC_NAME_SIZE];
	uint64_t value;
	char *citation;
	unsigned line;
};

struct spec_table {
	char revision[SPEC_NAME_SIZE];
	char *citation;
	char *file_name;
	struct spec_leaf *leaves;
	size_t leaf_count;
	struct spec_vmcall *vmcalls;
	size_t vmcall_count;
	struct spec_status *statuses;
	size_t status_count;
};

/* Parses a table; file_name is used in every error ("file:line: ..."). On
 * failure the table is left empty and needs no spec_table_free. */
enum tdxabi_status spec_table_parse(const char *text, size_t length, const char *file_name,
				    struct spec_table *table, struct diagnostic *diagnostic);
void spec_table_free(struct spec_table *table);

const struct spec_leaf *spec_table_find_leaf(const struct spec_table *table,
					     enum tdx_instruction instruction, uint16_t number);
const struct spec_leaf *spec_table_find_leaf_by_name(const struct spec_table *table,
						     const char *name);
const struct spec_leaf *spec_table_vmcall_leaf(const struct spec_table *table);
const struct spec_vmcall *spec_table_find_vmcall(const struct spec_table *table,
						 uint64_t subfunction);
const struct spec_vmcall *spec_table_find_vmcall_by_name(const struct spec_table *table,
							 const char *name);
const struct spec_status *spec_table_find_status(const struct spec_table *table,
						 const char *name);

#endif
