/* calling_convention.c - parses a calling-convention file (format in
 * specs/README.md) into calling_convention.h, refusing any malformed or
 * missing row with file:line. */
#include "calling_convention.h"

#include <stdlib.h>
#include <string.h>

#include "table_rows.h"

enum abi_row {
	ROW_ARGUMENTS,
	ROW_STACK_ARGUMENTS,
	ROW_SHADOW_SPACE,
	ROW_CALLEE_SAVED,
	ROW_CALLEE_SAVED_XMM,
	ROW_RESULT,
	ROW_DIRECTION_FLAG,
	ROW_OTHER_REGISTERS,
	ROW_COUNT
};

static const char *const row_keywords[ROW_COUNT] = {
	"arguments", "stack-arguments", "shadow-space", "callee-saved", "callee-saved-xmm",
	"result", "direction-flag", "other-registers",
};

struct abi_parse {
	struct calling_convention *convention;
	bool seen[ROW_COUNT];
};

static enum tdxabi_status parse_registers(const struct table_row *row, register_set *set,
					  enum gpr *order, size_t *count, size_t limit,
					  struct diagnostic *diagnostic)
{
	*set = 0;
	if (row->field_count == 2 && strcmp(row->fields[1], "-") == 0)
		return TDXABI_OK;
	if (row->field_count < 2 || row->field_count - 1 > limit)
		return table_row_fail(row, diagnostic, "expected '%s REG...' (1 to %zu, or -)",
				      row->fields[0], limit);
	for (size_t index = 1; index < row->field_count; index++) {
		enum gpr gpr;
		enum tdxabi_status status = table_row_register(row, row->fields[index], &gpr, diagnostic);
		if (status != TDXABI_OK)
			return status;
		if (gpr == GPR_RSP || gpr == GPR_RAX)
			return table_row_fail(row, diagnostic, "%s cannot be listed here",
					      gpr_display_name(gpr));
		if (register_set_has(*set, gpr))
			return table_row_fail(row, diagnostic, "%s listed twice", gpr_display_name(gpr));
		*set |= REGISTER_BIT(gpr);
		if (order)
			order[(*count)++] = gpr;
	}
	return TDXABI_OK;
}

static enum tdxabi_status parse_offset(const struct table_row *row, const char *text,
				       uint32_t *value, struct diagnostic *diagnostic)
{
	uint64_t number;
	if (!parse_unsigned(text, &number) || number > 0x1000 || number % 8 != 0)
		return table_row_fail(row, diagnostic, "'%s' is not a multiple of 8 up to 0x1000",
				      text);
	*value = (uint32_t)number;
	return TDXABI_OK;
}

static enum tdxabi_status parse_known_row(struct calling_convention *convention,
					  enum abi_row kind, const struct table_row *row,
					  struct diagnostic *diagnostic)
{
	register_set set;
	switch (kind) {
	case ROW_ARGUMENTS:
		return parse_registers(row, &set, convention->argument_registers,
				       &convention->argument_register_count, ABI_MAX_ARGUMENT_REGISTERS,
				       diagnostic);
	case ROW_STACK_ARGUMENTS:
		if (row->field_count != 2)
			return table_row_fail(row, diagnostic, "expected 'stack-arguments OFFSET'");
		return parse_offset(row, row->fields[1], &convention->first_stack_argument, diagnostic);
	case ROW_SHADOW_SPACE: {
		if (row->field_count != 3)
			return table_row_fail(row, diagnostic, "expected 'shadow-space OFFSET SIZE'");
		enum tdxabi_status status =
			parse_offset(row, row->fields[1], &convention->shadow_space_offset, diagnostic);
		if (status == TDXABI_OK)
			status = parse_offset(row, row->fields[2], &convention->shadow_space_size,
					      diagnostic);
		if (status == TDXABI_OK && convention->shadow_space_size &&
		    convention->shadow_space_offset < 8)
			return table_row_fail(row, diagnostic,
					      "the shadow space cannot cover the return address");
		return status;
	}
	case ROW_CALLEE_SAVED: {
		enum tdxabi_status status =
			parse_registers(row, &convention->callee_saved, NULL, NULL, GPR_COUNT, diagnostic);
		return status;
	}
	case ROW_CALLEE_SAVED_XMM:
		if (row->field_count == 2 && strcmp(row->fields[1], "-") == 0)
			return TDXABI_OK;
		if (row->field_count < 2)
			return table_row_fail(row, diagnostic, "expected 'callee-saved-xmm N...' or '-'");
		for (size_t index = 1; index < row->field_count; index++) {
			uint64_t number;
			if (!parse_unsigned(row->fields[index], &number) || number >= XMM_COUNT)
				return table_row_fail(row, diagnostic, "'%s' is not an XMM number 0..15",
						      row->fields[index]);
			if (convention->callee_saved_xmm & (1u << number))
				return table_row_fail(row, diagnostic, "XMM%u listed twice",
						      (unsigned)number);
			convention->callee_saved_xmm |= (uint16_t)(1u << number);
		}
		return TDXABI_OK;
	case ROW_RESULT:
		if (row->field_count != 2)
			return table_row_fail(row, diagnostic, "expected 'result REG'");
		return table_row_register(row, row->fields[1], &convention->result_register, diagnostic);
	case ROW_DIRECTION_FLAG:
		if (row->field_count != 2 || (strcmp(row->fields[1], "clear") != 0 &&
					       strcmp(row->fields[1], "any") != 0))
			return table_row_fail(row, diagnostic, "expected 'direction-flag clear|any'");
		convention->direction_flag_clear = strcmp(row->fields[1], "clear") == 0;
		return TDXABI_OK;
	case ROW_OTHER_REGISTERS:
		if (row->field_count != 2 || (strcmp(row->fields[1], "zero") != 0 &&
					       strcmp(row->fields[1], "caller-values") != 0))
			return table_row_fail(row, diagnostic,
					      "expected 'other-registers caller-values|zero'");
		convention->other_registers_zero = strcmp(row->fields[1], "zero") == 0;
		return TDXABI_OK;
	case ROW_COUNT:
		break;
	}
	return TDXABI_OK;
}

static enum tdxabi_status parse_row(void *context, const struct table_row *row,
				    struct diagnostic *diagnostic)
{
	struct abi_parse *parse = context;
	struct calling_convention *convention = parse->convention;
	if (strcmp(row->fields[0], "abi") == 0) {
		if (convention->name[0])
			return table_row_fail(row, diagnostic, "a second 'abi' row");
		if (row->field_count != 2 || !row->citation)
			return table_row_fail(row, diagnostic, "expected 'abi NAME | src: ...'");
		if (strlen(row->fields[1]) >= sizeof(convention->name))
			return table_row_fail(row, diagnostic, "name longer than %zu bytes",
					      sizeof(convention->name) - 1);
		strcpy(convention->name, row->fields[1]);
		convention->citation = strdup(row->citation);
		return convention->citation ? TDXABI_OK
					    : diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY,
							      "out of memory");
	}
	if (!convention->name[0])
		return table_row_fail(row, diagnostic, "the first row must be 'abi NAME | src: ...'");
	for (int kind = 0; kind < ROW_COUNT; kind++) {
		if (strcmp(row->fields[0], row_keywords[kind]) != 0)
			continue;
		if (parse->seen[kind])
			return table_row_fail(row, diagnostic, "a second '%s' row", row_keywords[kind]);
		if (!row->citation)
			return table_row_fail(row, diagnostic, "the '%s' row must cite its source",
					      row_keywords[kind]);
		parse->seen[kind] = true;
		return parse_known_row(convention, (enum abi_row)kind, row, diagnostic);
	}
	return table_row_fail(row, diagnostic, "unknown calling-convention row '%s'", row->fields[0]);
}

enum tdxabi_status calling_convention_parse(const char *text, size_t length,
					    const char *file_name,
					    struct calling_convention *convention,
					    struct diagnostic *diagnostic)
{
	memset(convention, 0, sizeof(*convention));
	convention->file_name = strdup(file_name);
	if (!convention->file_name)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	struct abi_parse parse = {.convention = convention};
	enum tdxabi_status status =
		table_rows_each(convention->file_name, text, length, parse_row, &parse, diagnostic);
	for (int kind = 0; kind < ROW_COUNT && status == TDXABI_OK; kind++)
		if (!parse.seen[kind])
			status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
						 "%s: calling convention %s has no '%s' row", file_name,
						 convention->name[0] ? convention->name : "?",
						 row_keywords[kind]);
	if (status == TDXABI_OK && convention->shadow_space_size &&
	    convention->first_stack_argument <
		    convention->shadow_space_offset + convention->shadow_space_size)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: calling convention %s: stack arguments start inside "
					 "the shadow space",
					 file_name, convention->name);
	if (status == TDXABI_OK && convention->first_stack_argument < 8)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: calling convention %s: stack arguments cannot start at "
					 "the return address",
					 file_name, convention->name);
	if (status != TDXABI_OK)
		calling_convention_free(convention);
	return status;
}

void calling_convention_free(struct calling_convention *convention)
{
	free(convention->citation);
	free(convention->file_name);
	memset(convention, 0, sizeof(*convention));
}

void calling_convention_argument(const struct calling_convention *convention, size_t index,
				 bool *in_register, enum gpr *gpr, uint32_t *stack_offset)
{
	*in_register = index < convention->argument_register_count;
	if (*in_register) {
		*gpr = convention->argument_registers[index];
		return;
	}
	*stack_offset = convention->first_stack_argument +
			(uint32_t)(index - convention->argument_register_count) * 8;
}
