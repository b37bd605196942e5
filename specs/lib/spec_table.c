/* spec_table.c - parses spec revision tables (format in specs/README.md):
 *   revision NAME | src: ...
 *   tdcall|seamcall NUMBER NAME in: REGS out: REGS [exits: vmm] | src: ...
 *   vmcall SUBFUNCTION NAME in: REGS out: REGS | src: ...
 *   status NAME VALUE | src: ... */
#include "spec_table.h"

#include <stdlib.h>
#include <string.h>

#include "table_rows.h"

/* Tables hold a few hundred rows: growing by one row, and searching for
 * duplicates row by row, is simple and cheap up to SPEC_MAX_ROWS. */
static void *grow(void *array, size_t count, size_t element_size)
{
	return realloc(array, (count + 1) * element_size);
}

static enum tdxabi_status check_room(const struct table_row *row, size_t count, const char *kind,
				     struct diagnostic *diagnostic)
{
	if (count >= SPEC_MAX_ROWS)
		return table_row_fail(row, diagnostic, "more than %d %s rows", SPEC_MAX_ROWS, kind);
	return TDXABI_OK;
}

static enum tdxabi_status copy_name(const struct table_row *row, const char *text, char *name,
				    struct diagnostic *diagnostic)
{
	if (strlen(text) >= SPEC_NAME_SIZE)
		return table_row_fail(row, diagnostic, "name '%.40s...' longer than %d bytes",
				      text, SPEC_NAME_SIZE - 1);
	strcpy(name, text);
	return TDXABI_OK;
}

static enum tdxabi_status copy_citation(const struct table_row *row, char **citation,
					struct diagnostic *diagnostic)
{
	if (!row->citation)
		return table_row_fail(row, diagnostic,
				      "row has no source citation (end it with '| src: ...')");
	*citation = strdup(row->citation);
	if (!*citation)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	return TDXABI_OK;
}

/* Reads "in: r12 r13 out: r11 rcx?" style lists from field `first` on. */
struct operand_lists {
	register_set inputs;
	register_set outputs;
	register_set error_outputs;
	int exits_to_vmm;
};

static enum tdxabi_status add_operand(const struct table_row *row, const char *field,
				      int list, struct operand_lists *lists,
				      struct diagnostic *diagnostic)
{
	size_t length = strlen(field);
	int optional = length > 1 && field[length - 1] == '?';
	if (optional)
		length--;
	if (optional && list != 1)
		return table_row_fail(row, diagnostic,
				      "'%s': only outputs can be conditional ('?')", field);
	enum gpr gpr;
	if (!gpr_parse(field, length, &gpr))
		return table_row_fail(row, diagnostic, "unknown register '%s'", field);
	if (gpr == GPR_RAX || gpr == GPR_RSP)
		return table_row_fail(row, diagnostic,
				      "%s cannot be listed as an operand (RAX is the leaf and "
				      "status, RSP is never passed)",
				      gpr_display_name(gpr));
	register_set bit = REGISTER_BIT(gpr);
	register_set *set = list == 0 ? &lists->inputs : optional ? &lists->error_outputs
								 : &lists->outputs;
	if (list == 1 && ((lists->outputs | lists->error_outputs) & bit))
		return table_row_fail(row, diagnostic, "register %s listed twice in out:",
				      gpr_display_name(gpr));
	if (list == 0 && (*set & bit))
		return table_row_fail(row, diagnostic, "register %s listed twice in in:",
				      gpr_display_name(gpr));
	*set |= bit;
	return TDXABI_OK;
}

static enum tdxabi_status parse_operands(const struct table_row *row, size_t first,
					 struct operand_lists *lists, struct diagnostic *diagnostic)
{
	memset(lists, 0, sizeof(*lists));
	int list = -1; /* 0 in:, 1 out:, 2 exits: */
	int seen[3] = {0, 0, 0};
	for (size_t index = first; index < row->field_count; index++) {
		const char *field = row->fields[index];
		int key = strcmp(field, "in:") == 0    ? 0
			  : strcmp(field, "out:") == 0   ? 1
			  : strcmp(field, "exits:") == 0 ? 2
							 : -1;
		if (key >= 0) {
			if (seen[key])
				return table_row_fail(row, diagnostic, "'%s' given twice", field);
			seen[key] = 1;
			list = key;
			continue;
		}
		if (list < 0)
			return table_row_fail(row, diagnostic,
					      "unexpected '%s' (expected 'in:' or 'out:')", field);
		if (strcmp(field, "-") == 0)
			continue;
		if (list == 2) {
			if (strcmp(field, "vmm") != 0)
				return table_row_fail(row, diagnostic,
						      "unknown 'exits:' target '%s' (only 'vmm')",
						      field);
			lists->exits_to_vmm = 1;
			continue;
		}
		enum tdxabi_status status = add_operand(row, field, list, lists, diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	if (!seen[0] || !seen[1])
		return table_row_fail(row, diagnostic, "row needs both 'in:' and 'out:' (use '-' for none)");
	return TDXABI_OK;
}

static enum tdxabi_status parse_leaf(struct spec_table *table, const struct table_row *row,
				     enum tdx_instruction instruction,
				     struct diagnostic *diagnostic)
{
	if (row->field_count < 3)
		return table_row_fail(row, diagnostic, "expected '%s NUMBER NAME in: ... out: ...'",
				      tdx_instruction_name(instruction));
	uint64_t number;
	if (!parse_unsigned(row->fields[1], &number) || number > 0xFFFF)
		return table_row_fail(row, diagnostic, "leaf number '%s' is not 0..0xffff",
				      row->fields[1]);
	struct spec_leaf leaf = {.instruction = instruction, .number = (uint16_t)number,
				 .line = row->line};
	enum tdxabi_status status = check_room(row, table->leaf_count, "leaf", diagnostic);
	if (status == TDXABI_OK)
		status = copy_name(row, row->fields[2], leaf.name, diagnostic);
	if (status != TDXABI_OK)
		return status;
	struct operand_lists lists;
	if ((status = parse_operands(row, 3, &lists, diagnostic)) != TDXABI_OK)
		return status;
	if (lists.exits_to_vmm && instruction != TDX_TDCALL)
		return table_row_fail(row, diagnostic, "only a TDCALL leaf can exit to the VMM");
	if (lists.exits_to_vmm && spec_table_vmcall_leaf(table))
		return table_row_fail(row, diagnostic, "a second leaf that exits to the VMM");
	if (spec_table_find_leaf(table, instruction, leaf.number))
		return table_row_fail(row, diagnostic, "duplicate %s leaf number %u",
				      tdx_instruction_name(instruction), leaf.number);
	if (spec_table_find_leaf_by_name(table, leaf.name))
		return table_row_fail(row, diagnostic, "duplicate leaf name %s", leaf.name);
	leaf.inputs = lists.inputs;
	leaf.outputs = lists.outputs;
	leaf.error_outputs = lists.error_outputs;
	leaf.exits_to_vmm = lists.exits_to_vmm;
	if ((status = copy_citation(row, &leaf.citation, diagnostic)) != TDXABI_OK)
		return status;
	struct spec_leaf *leaves = grow(table->leaves, table->leaf_count, sizeof(leaf));
	if (!leaves) {
		free(leaf.citation);
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	table->leaves = leaves;
	table->leaves[table->leaf_count++] = leaf;
	return TDXABI_OK;
}

static enum tdxabi_status parse_vmcall(struct spec_table *table, const struct table_row *row,
				       struct diagnostic *diagnostic)
{
	if (row->field_count < 3)
		return table_row_fail(row, diagnostic,
				      "expected 'vmcall SUBFUNCTION NAME in: ... out: ...'");
	struct spec_vmcall vmcall = {.line = row->line};
	if (check_room(row, table->vmcall_count, "vmcall", diagnostic) != TDXABI_OK)
		return TDXABI_BAD_INPUT;
	if (!parse_unsigned(row->fields[1], &vmcall.subfunction))
		return table_row_fail(row, diagnostic, "sub-function '%s' is not a number",
				      row->fields[1]);
	enum tdxabi_status status = copy_name(row, row->fields[2], vmcall.name, diagnostic);
	if (status != TDXABI_OK)
		return status;
	struct operand_lists lists;
	if ((status = parse_operands(row, 3, &lists, diagnostic)) != TDXABI_OK)
		return status;
	if (lists.exits_to_vmm || lists.error_outputs)
		return table_row_fail(row, diagnostic,
				      "a sub-function row takes only 'in:' and 'out:' registers");
	register_set implicit = REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_R10);
	if ((lists.inputs | lists.outputs) & implicit)
		return table_row_fail(row, diagnostic,
				      "RCX (the exposure mask) and R10 (standard/vendor, then "
				      "status) are implicit in a sub-function row");
	if (lists.inputs & REGISTER_BIT(GPR_R11))
		return table_row_fail(row, diagnostic,
				      "R11 input is the sub-function number, implicit in the row");
	if (spec_table_find_vmcall(table, vmcall.subfunction))
		return table_row_fail(row, diagnostic, "duplicate sub-function 0x%llx",
				      (unsigned long long)vmcall.subfunction);
	if (spec_table_find_vmcall_by_name(table, vmcall.name))
		return table_row_fail(row, diagnostic, "duplicate sub-function name %s",
				      vmcall.name);
	vmcall.inputs = lists.inputs;
	vmcall.outputs = lists.outputs;
	if ((status = copy_citation(row, &vmcall.citation, diagnostic)) != TDXABI_OK)
		return status;
	struct spec_vmcall *vmcalls = grow(table->vmcalls, table->vmcall_count, sizeof(vmcall));
	if (!vmcalls) {
		free(vmcall.citation);
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	table->vmcalls = vmcalls;
	table->vmcalls[table->vmcall_count++] = vmcall;
	return TDXABI_OK;
}

static enum tdxabi_status parse_status(struct spec_table *table, const struct table_row *row,
				       struct diagnostic *diagnostic)
{
	if (row->field_count != 3)
		return table_row_fail(row, diagnostic, "expected 'status NAME VALUE'");
	struct spec_status entry = {.line = row->line};
	enum tdxabi_status status = check_room(row, table->status_count, "status", diagnostic);
	if (status == TDXABI_OK)
		status = copy_name(row, row->fields[1], entry.name, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (!parse_unsigned(row->fields[2], &entry.value))
		return table_row_fail(row, diagnostic, "status value '%s' is not a 64-bit number",
				      row->fields[2]);
	if (spec_table_find_status(table, entry.name))
		return table_row_fail(row, diagnostic, "duplicate status %s", entry.name);
	if ((status = copy_citation(row, &entry.citation, diagnostic)) != TDXABI_OK)
		return status;
	struct spec_status *statuses = grow(table->statuses, table->status_count, sizeof(entry));
	if (!statuses) {
		free(entry.citation);
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	table->statuses = statuses;
	table->statuses[table->status_count++] = entry;
	return TDXABI_OK;
}

static enum tdxabi_status parse_row(void *context, const struct table_row *row,
				    struct diagnostic *diagnostic)
{
	struct spec_table *table = context;
	const char *kind = row->fields[0];
	if (strcmp(kind, "revision") == 0) {
		if (table->revision[0])
			return table_row_fail(row, diagnostic, "a second 'revision' row");
		if (row->field_count != 2)
			return table_row_fail(row, diagnostic, "expected 'revision NAME'");
		enum tdxabi_status status = copy_name(row, row->fields[1], table->revision, diagnostic);
		if (status != TDXABI_OK)
			return status;
		return copy_citation(row, &table->citation, diagnostic);
	}
	if (!table->revision[0])
		return table_row_fail(row, diagnostic, "the first row must be 'revision NAME'");
	enum tdx_instruction instruction;
	if (tdx_instruction_parse(kind, &instruction))
		return parse_leaf(table, row, instruction, diagnostic);
	if (strcmp(kind, "vmcall") == 0)
		return parse_vmcall(table, row, diagnostic);
	if (strcmp(kind, "status") == 0)
		return parse_status(table, row, diagnostic);
	return table_row_fail(row, diagnostic,
			      "unknown row kind '%s' (expected revision, tdcall, seamcall, vmcall "
			      "or status)",
			      kind);
}

enum tdxabi_status spec_table_parse(const char *text, size_t length, const char *file_name,
				    struct spec_table *table, struct diagnostic *diagnostic)
{
	memset(table, 0, sizeof(*table));
	table->file_name = strdup(file_name);
	if (!table->file_name)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	enum tdxabi_status status =
		table_rows_each(table->file_name, text, length, parse_row, table, diagnostic);
	if (status == TDXABI_OK && !table->revision[0])
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: no 'revision' row: not a spec table", file_name);
	if (status != TDXABI_OK)
		spec_table_free(table);
	return status;
}

void spec_table_free(struct spec_table *table)
{
	for (size_t index = 0; index < table->leaf_count; index++)
		free(table->leaves[index].citation);
	for (size_t index = 0; index < table->vmcall_count; index++)
		free(table->vmcalls[index].citation);
	for (size_t index = 0; index < table->status_count; index++)
		free(table->statuses[index].citation);
	free(table->leaves);
	free(table->vmcalls);
	free(table->statuses);
	free(table->citation);
	free(table->file_name);
	memset(table, 0, sizeof(*table));
}

const struct spec_leaf *spec_table_find_leaf(const struct spec_table *table,
					     enum tdx_instruction instruction, uint16_t number)
{
	for (size_t index = 0; index < table->leaf_count; index++)
		if (table->leaves[index].instruction == instruction &&
		    table->leaves[index].number == number)
			return &table->leaves[index];
	return NULL;
}

const struct spec_leaf *spec_table_find_leaf_by_name(const struct spec_table *table,
						     const char *name)
{
	for (size_t index = 0; index < table->leaf_count; index++)
		if (strcmp(table->leaves[index].name, name) == 0)
			return &table->leaves[index];
	return NULL;
}

const struct spec_leaf *spec_table_vmcall_leaf(const struct spec_table *table)
{
	for (size_t index = 0; index < table->leaf_count; index++)
		if (table->leaves[index].exits_to_vmm)
			return &table->leaves[index];
	return NULL;
}

const struct spec_vmcall *spec_table_find_vmcall(const struct spec_table *table,
						 uint64_t subfunction)
{
	for (size_t index = 0; index < table->vmcall_count; index++)
		if (table->vmcalls[index].subfunction == subfunction)
			return &table->vmcalls[index];
	return NULL;
}

const struct spec_vmcall *spec_table_find_vmcall_by_name(const struct spec_table *table,
							 const char *name)
{
	for (size_t index = 0; index < table->vmcall_count; index++)
		if (strcmp(table->vmcalls[index].name, name) == 0)
			return &table->vmcalls[index];
	return NULL;
}

const struct spec_status *spec_table_find_status(const struct spec_table *table,
						 const char *name)
{
	for (size_t index = 0; index < table->status_count; index++)
		if (strcmp(table->statuses[index].name, name) == 0)
			return &table->statuses[index];
	return NULL;
}
