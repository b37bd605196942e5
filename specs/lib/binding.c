/* binding.c - parses binding files (format in specs/README.md) into the
 * marshalling description of binding.h, rejecting anything inconsistent with
 * file:line. */
#include "binding.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "table_rows.h"

typedef enum tdxabi_status (*row_parser)(struct binding *, const struct table_row *,
					 struct diagnostic *);

static enum tdxabi_status copy_field(const struct table_row *row, const char *text, char *out,
				     size_t size, struct diagnostic *diagnostic)
{
	if (strlen(text) >= size)
		return table_row_fail(row, diagnostic, "'%.40s' longer than %zu bytes", text,
				      size - 1);
	strcpy(out, text);
	return TDXABI_OK;
}

static enum tdxabi_status expect_fields(const struct table_row *row, size_t minimum,
					size_t maximum, const char *usage,
					struct diagnostic *diagnostic)
{
	if (row->field_count < minimum || row->field_count > maximum)
		return table_row_fail(row, diagnostic, "expected '%s'", usage);
	return TDXABI_OK;
}

static int find_object(const struct binding *binding, const char *name)
{
	for (size_t index = 0; index < binding->object_count; index++)
		if (strcmp(binding->objects[index].name, name) == 0)
			return (int)index;
	return -1;
}

static int find_flag(const struct binding *binding, const char *name)
{
	for (size_t index = 0; index < binding->flag_count; index++)
		if (strcmp(binding->flags[index].name, name) == 0)
			return (int)index;
	return -1;
}

static enum tdxabi_status parse_prototype(struct binding *binding, const struct table_row *row,
					  struct diagnostic *diagnostic)
{
	if (row->field_count < 2)
		return table_row_fail(row, diagnostic, "expected 'prototype C-DECLARATION'");
	if (binding->prototype[0])
		return table_row_fail(row, diagnostic, "a second 'prototype' row");
	size_t used = 0;
	for (size_t index = 1; index < row->field_count; index++) {
		size_t length = strlen(row->fields[index]);
		if (used + length + 2 > sizeof(binding->prototype))
			return table_row_fail(row, diagnostic, "prototype longer than %zu bytes",
					      sizeof(binding->prototype) - 1);
		if (used)
			binding->prototype[used++] = ' ';
		memcpy(binding->prototype + used, row->fields[index], length + 1);
		used += length;
	}
	return TDXABI_OK;
}

static enum tdxabi_status parse_instructions(struct binding *binding,
					     const struct table_row *row,
					     struct diagnostic *diagnostic)
{
	if (row->field_count < 2)
		return table_row_fail(row, diagnostic, "expected 'instructions tdcall|seamcall ...'");
	for (size_t index = 1; index < row->field_count; index++) {
		enum tdx_instruction instruction;
		if (!tdx_instruction_parse(row->fields[index], &instruction))
			return table_row_fail(row, diagnostic,
					      "unknown instruction '%s' (tdcall or seamcall)",
					      row->fields[index]);
		binding->instructions[instruction] = true;
	}
	return TDXABI_OK;
}

static enum tdxabi_status add_input(struct binding *binding, const struct table_row *row,
				    struct binding_transfer transfer, struct diagnostic *diagnostic)
{
	if (binding_input_for(binding, transfer.tdx_register) ||
	    register_set_has(binding->constants, transfer.tdx_register))
		return table_row_fail(row, diagnostic, "register %s is carried in twice",
				      gpr_display_name(transfer.tdx_register));
	if (binding->input_count == BINDING_MAX_TRANSFERS)
		return table_row_fail(row, diagnostic, "too many inputs");
	binding->inputs[binding->input_count++] = transfer;
	return TDXABI_OK;
}

/* RAX may be carried only through a caller field (the leaf in, the status
 * out); RSP never. */
static enum tdxabi_status parse_transfer_register(const struct table_row *row,
						  const char *text, bool allow_rax, enum gpr *gpr,
						  struct diagnostic *diagnostic)
{
	enum tdxabi_status status = table_row_register(row, text, gpr, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if ((*gpr == GPR_RAX && !allow_rax) || *gpr == GPR_RSP)
		return table_row_fail(row, diagnostic,
				      "%s cannot be carried here (RAX only through a field, as the leaf "
				      "in and the status out; RSP is the stack)",
				      gpr_display_name(*gpr));
	return TDXABI_OK;
}

static enum tdxabi_status parse_argument(struct binding *binding, const struct table_row *row,
					 struct diagnostic *diagnostic)
{
	static const char usage[] =
		"argument N leaf | argument N register REG | argument N object NAME SIZE "
		"[nullable] | argument N flags | argument N do-sti | argument N value";
	enum tdxabi_status status = expect_fields(row, 3, 6, usage, diagnostic);
	if (status != TDXABI_OK)
		return status;
	uint64_t number;
	if (!parse_unsigned(row->fields[1], &number) || number < 1 ||
	    number > BINDING_MAX_ARGUMENTS)
		return table_row_fail(row, diagnostic, "argument number '%s' is not 1..%d",
				      row->fields[1], BINDING_MAX_ARGUMENTS);
	unsigned index = (unsigned)number - 1;
	struct binding_argument *argument = &binding->arguments[index];
	if (argument->kind != ARGUMENT_UNUSED)
		return table_row_fail(row, diagnostic, "argument %u declared twice", index + 1);
	const char *kind = row->fields[2];
	if (strcmp(kind, "leaf") == 0 && row->field_count == 3) {
		for (size_t other = 0; other < BINDING_MAX_ARGUMENTS; other++)
			if (binding->arguments[other].kind == ARGUMENT_LEAF)
				return table_row_fail(row, diagnostic, "a second leaf argument");
		argument->kind = ARGUMENT_LEAF;
	} else if (strcmp(kind, "flags") == 0 && row->field_count == 3) {
		if (binding->flags_argument >= 0)
			return table_row_fail(row, diagnostic, "a second flags argument");
		argument->kind = ARGUMENT_FLAGS;
		binding->flags_argument = (int)index;
	} else if (strcmp(kind, "do-sti") == 0 && row->field_count == 3) {
		/* a boolean: non-zero asks for STI right before the TDCALL */
		if (binding->flags_argument >= 0 || binding->flag_count == BINDING_MAX_FLAGS)
			return table_row_fail(row, diagnostic, "a do-sti argument besides flags");
		argument->kind = ARGUMENT_FLAGS;
		binding->flags_argument = (int)index;
		struct binding_flag *flag = &binding->flags[binding->flag_count++];
		strcpy(flag->name, "do_sti");
		flag->bit = 0;
	} else if (strcmp(kind, "value") == 0 && row->field_count == 3) {
		argument->kind = ARGUMENT_VALUE;
	} else if (strcmp(kind, "register") == 0 && row->field_count == 4) {
		argument->kind = ARGUMENT_REGISTER;
		if ((status = parse_transfer_register(row, row->fields[3], false,
						      &argument->tdx_register, diagnostic)) != TDXABI_OK)
			return status;
		struct binding_transfer transfer = {.tdx_register = argument->tdx_register,
						    .place = PLACE_ARGUMENT, .argument = index,
						    .flag = -1};
		if ((status = add_input(binding, row, transfer, diagnostic)) != TDXABI_OK)
			return status;
	} else if (strcmp(kind, "object") == 0 && row->field_count >= 5) {
		if (binding->object_count == BINDING_MAX_OBJECTS)
			return table_row_fail(row, diagnostic, "too many objects");
		struct binding_object *object = &binding->objects[binding->object_count];
		if (find_object(binding, row->fields[3]) >= 0)
			return table_row_fail(row, diagnostic, "object '%s' declared twice",
					      row->fields[3]);
		if ((status = copy_field(row, row->fields[3], object->name, sizeof(object->name),
					 diagnostic)) != TDXABI_OK)
			return status;
		uint64_t size;
		if (!parse_unsigned(row->fields[4], &size) || size == 0 ||
		    size > BINDING_MAX_OBJECT_SIZE)
			return table_row_fail(row, diagnostic, "object size '%s' is not 1..%d",
					      row->fields[4], BINDING_MAX_OBJECT_SIZE);
		object->size = (uint32_t)size;
		if (row->field_count == 6) {
			if (strcmp(row->fields[5], "nullable") != 0)
				return table_row_fail(row, diagnostic,
						      "unknown object attribute '%s' (only 'nullable')",
						      row->fields[5]);
			object->nullable = true;
		}
		object->argument = index;
		argument->kind = ARGUMENT_OBJECT;
		argument->object = (unsigned)binding->object_count++;
	} else {
		return table_row_fail(row, diagnostic, "expected '%s'", usage);
	}
	if (index + 1 > binding->argument_count)
		binding->argument_count = index + 1;
	return TDXABI_OK;
}

static enum tdxabi_status parse_flag(struct binding *binding, const struct table_row *row,
				     struct diagnostic *diagnostic)
{
	enum tdxabi_status status = expect_fields(row, 3, 3, "flag NAME BIT", diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (binding->flag_count == BINDING_MAX_FLAGS)
		return table_row_fail(row, diagnostic, "too many flags");
	if (find_flag(binding, row->fields[1]) >= 0)
		return table_row_fail(row, diagnostic, "flag '%s' declared twice", row->fields[1]);
	struct binding_flag *flag = &binding->flags[binding->flag_count];
	if ((status = copy_field(row, row->fields[1], flag->name, sizeof(flag->name),
				 diagnostic)) != TDXABI_OK)
		return status;
	uint64_t bit;
	if (!parse_unsigned(row->fields[2], &bit) || bit > 63)
		return table_row_fail(row, diagnostic, "flag bit '%s' is not 0..63", row->fields[2]);
	for (size_t index = 0; index < binding->flag_count; index++)
		if (binding->flags[index].bit == bit)
			return table_row_fail(row, diagnostic, "flag bit %u used twice",
					      (unsigned)bit);
	flag->bit = (unsigned)bit;
	binding->flag_count++;
	return TDXABI_OK;
}

/* "args+16" -> object index and offset of an 8-byte field inside it */
static enum tdxabi_status parse_location(const struct binding *binding,
					 const struct table_row *row, const char *text,
					 struct binding_transfer *transfer,
					 struct diagnostic *diagnostic)
{
	const char *plus = strchr(text, '+');
	if (!plus || plus == text)
		return table_row_fail(row, diagnostic, "location '%s' is not OBJECT+OFFSET", text);
	char name[BINDING_NAME_SIZE];
	size_t length = (size_t)(plus - text);
	if (length >= sizeof(name))
		return table_row_fail(row, diagnostic, "object name in '%.40s' too long", text);
	memcpy(name, text, length);
	name[length] = '\0';
	int object = find_object(binding, name);
	if (object < 0)
		return table_row_fail(row, diagnostic, "unknown object '%s' (declare it with "
				      "'argument N object %s SIZE')", name, name);
	uint64_t offset;
	if (!parse_unsigned(plus + 1, &offset))
		return table_row_fail(row, diagnostic, "offset '%s' is not a number", plus + 1);
	if (binding->objects[object].size < 8 || offset > binding->objects[object].size - 8)
		return table_row_fail(row, diagnostic,
				      "field %s+%llu (8 bytes) lies outside the %u-byte object", name,
				      (unsigned long long)offset, binding->objects[object].size);
	transfer->place = PLACE_OBJECT;
	transfer->object = (unsigned)object;
	transfer->offset = (uint32_t)offset;
	return TDXABI_OK;
}

static enum tdxabi_status parse_in(struct binding *binding, const struct table_row *row,
				   struct diagnostic *diagnostic)
{
	enum tdxabi_status status = expect_fields(row, 3, 3, "in REG OBJECT+OFFSET", diagnostic);
	if (status != TDXABI_OK)
		return status;
	struct binding_transfer transfer = {.flag = -1};
	if ((status = parse_transfer_register(row, row->fields[1], true, &transfer.tdx_register,
					      diagnostic)) != TDXABI_OK)
		return status;
	if ((status = parse_location(binding, row, row->fields[2], &transfer, diagnostic)) !=
	    TDXABI_OK)
		return status;
	return add_input(binding, row, transfer, diagnostic);
}

static bool parse_condition(const char *text, enum output_condition *condition)
{
	if (strcmp(text, "tdx-success") == 0)
		*condition = STORED_WHEN_TDX_SUCCESS;
	else if (strcmp(text, "vmm-success") == 0)
		*condition = STORED_WHEN_VMM_SUCCESS;
	else
		return false;
	return true;
}

static enum tdxabi_status parse_out(struct binding *binding, const struct table_row *row,
				    struct diagnostic *diagnostic)
{
	static const char usage[] =
		"out REG OBJECT+OFFSET [if FLAG] [when tdx-success|vmm-success]";
	enum tdxabi_status status = expect_fields(row, 3, 7, usage, diagnostic);
	if (status != TDXABI_OK)
		return status;
	struct binding_transfer transfer = {.flag = -1};
	if ((status = parse_transfer_register(row, row->fields[1], true, &transfer.tdx_register,
					      diagnostic)) != TDXABI_OK)
		return status;
	if ((status = parse_location(binding, row, row->fields[2], &transfer, diagnostic)) !=
	    TDXABI_OK)
		return status;
	for (size_t field = 3; field < row->field_count; field += 2) {
		const char *word = row->fields[field];
		if (field + 1 == row->field_count)
			return table_row_fail(row, diagnostic, "expected '%s'", usage);
		const char *value = row->fields[field + 1];
		if (strcmp(word, "if") == 0 && transfer.flag < 0) {
			transfer.flag = find_flag(binding, value);
			if (transfer.flag < 0)
				return table_row_fail(row, diagnostic, "unknown flag '%s'", value);
		} else if (strcmp(word, "when") == 0 && transfer.condition == STORED_ALWAYS) {
			if (!parse_condition(value, &transfer.condition))
				return table_row_fail(row, diagnostic,
						      "unknown condition '%s' (tdx-success or vmm-success)",
						      value);
		} else {
			return table_row_fail(row, diagnostic, "expected '%s'", usage);
		}
	}
	for (size_t index = 0; index < binding->output_count; index++)
		if (binding->outputs[index].tdx_register == transfer.tdx_register)
			return table_row_fail(row, diagnostic, "register %s is carried out twice",
					      gpr_display_name(transfer.tdx_register));
	if (binding->output_count == BINDING_MAX_TRANSFERS)
		return table_row_fail(row, diagnostic, "too many outputs");
	binding->outputs[binding->output_count++] = transfer;
	return TDXABI_OK;
}

static enum tdxabi_status parse_leaf(struct binding *binding, const struct table_row *row,
				     struct diagnostic *diagnostic)
{
	enum tdxabi_status status = expect_fields(row, 2, 2, "leaf NAME", diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (binding->fixed_leaf[0])
		return table_row_fail(row, diagnostic, "a second 'leaf' row");
	return copy_field(row, row->fields[1], binding->fixed_leaf, sizeof(binding->fixed_leaf),
			  diagnostic);
}

static enum tdxabi_status parse_vmcall_mask(struct binding *binding,
					    const struct table_row *row,
					    struct diagnostic *diagnostic)
{
	static const char usage[] = "vmcall-mask VALUE [plus OBJECT+OFFSET]";
	enum tdxabi_status status = expect_fields(row, 2, 4, usage, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (binding->has_vmcall_mask)
		return table_row_fail(row, diagnostic, "a second 'vmcall-mask' row");
	if (row->field_count == 3 || (row->field_count == 4 && strcmp(row->fields[2], "plus") != 0))
		return table_row_fail(row, diagnostic, "expected '%s'", usage);
	if (row->field_count == 4) {
		struct binding_transfer *field = &binding->vmcall_mask_field;
		*field = (struct binding_transfer){.tdx_register = GPR_RCX, .flag = -1};
		if ((status = parse_location(binding, row, row->fields[3], field, diagnostic)) !=
		    TDXABI_OK)
			return status;
		binding->vmcall_mask_has_field = true;
	}
	uint64_t mask;
	if (!parse_unsigned(row->fields[1], &mask) || mask > 0xFFFF)
		return table_row_fail(row, diagnostic,
				      "vmcall-mask '%s' is not a 16-bit register mask", row->fields[1]);
	if (mask & TDVMCALL_NEVER_EXPOSED)
		return table_row_fail(row, diagnostic,
				      "vmcall-mask 0x%llx exposes RAX, RCX or RSP, which the TDX "
				      "module rejects",
				      (unsigned long long)mask);
	binding->has_vmcall_mask = true;
	binding->vmcall_mask = mask;
	return TDXABI_OK;
}

static enum tdxabi_status parse_result(struct binding *binding, const struct table_row *row,
				       struct diagnostic *diagnostic)
{
	enum tdxabi_status status = expect_fields(row, 2, 2, "result status|REG|none", diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (strcmp(row->fields[1], "status") == 0) {
		binding->result = RESULT_MODULE_STATUS;
		return TDXABI_OK;
	}
	if (strcmp(row->fields[1], "none") == 0) {
		binding->result = RESULT_NONE;
		return TDXABI_OK;
	}
	binding->result = RESULT_REGISTER;
	return parse_transfer_register(row, row->fields[1], false, &binding->result_register,
				       diagnostic);
}

static enum tdxabi_status parse_fault(struct binding *binding, const struct table_row *row,
				      struct diagnostic *diagnostic)
{
	static const char usage[] =
		"fault FAULT returns module-status | fault FAULT returns STATUS[+trap] | "
		"fault FAULT returns NUMBER | fault FAULT panics SYMBOL|ud2";
	enum tdxabi_status status = expect_fields(row, 4, 4, usage, diagnostic);
	if (status != TDXABI_OK)
		return status;
	enum fault_scenario fault;
	if (!fault_scenario_parse(row->fields[1], &fault))
		return table_row_fail(row, diagnostic, "unknown fault '%s' (see 'tdxabi list faults')",
				      row->fields[1]);
	if (binding_result_governs(binding, fault))
		return table_row_fail(row, diagnostic,
				      "fault '%s' is governed by the 'result' row, not declared",
				      row->fields[1]);
	struct fault_outcome *outcome = &binding->outcomes[fault];
	if (outcome->kind != OUTCOME_UNDECLARED)
		return table_row_fail(row, diagnostic, "fault '%s' declared twice", row->fields[1]);
	const char *verb = row->fields[2], *value = row->fields[3];
	if (strcmp(verb, "panics") == 0 && strcmp(value, "ud2") == 0) {
		outcome->kind = OUTCOME_UD2;
	} else if (strcmp(verb, "panics") == 0) {
		outcome->kind = OUTCOME_PANIC;
		status = copy_field(row, value, outcome->panic_symbol, sizeof(outcome->panic_symbol),
				    diagnostic);
	} else if (strcmp(verb, "returns") == 0 && strcmp(value, "module-status") == 0) {
		outcome->kind = OUTCOME_MODULE_STATUS;
	} else if (strcmp(verb, "returns") == 0 && isdigit((unsigned char)value[0])) {
		outcome->kind = OUTCOME_VALUE;
		if (!parse_unsigned(value, &outcome->value))
			return table_row_fail(row, diagnostic,
					      "bad number '%s' (decimal or 0x hex, 64 bits; -2 is "
					      "0xFFFFFFFFFFFFFFFE)",
					      value);
	} else if (strcmp(verb, "returns") == 0) {
		outcome->kind = OUTCOME_NAMED_STATUS;
		const char *plus = strchr(value, '+');
		char name[BINDING_NAME_SIZE] = "";
		size_t length = plus ? (size_t)(plus - value) : strlen(value);
		if (length == 0 || length >= sizeof(name))
			return table_row_fail(row, diagnostic, "bad status name in '%s'", value);
		memcpy(name, value, length);
		name[length] = '\0';
		if (plus) {
			if (strcmp(plus, "+trap") != 0)
				return table_row_fail(row, diagnostic,
						      "'%s': only '+trap' may follow a status name", value);
			if (fault_scenario_trap_number(fault) < 0)
				return table_row_fail(row, diagnostic,
						      "fault '%s' raises no trap to add to the status",
						      row->fields[1]);
			outcome->or_trap_number = true;
		}
		strcpy(outcome->status_name, name);
	} else {
		return table_row_fail(row, diagnostic, "expected '%s'", usage);
	}
	if (status == TDXABI_OK && row->citation && !(outcome->citation = strdup(row->citation)))
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	return status;
}

static enum tdxabi_status parse_failure_outputs(struct binding *binding,
						const struct table_row *row,
						struct diagnostic *diagnostic)
{
	enum tdxabi_status status =
		expect_fields(row, 2, 2, "failure-outputs untouched|stored", diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (strcmp(row->fields[1], "untouched") == 0)
		binding->failure_outputs_untouched = true;
	else if (strcmp(row->fields[1], "stored") == 0)
		binding->failure_outputs_untouched = false;
	else
		return table_row_fail(row, diagnostic, "expected 'failure-outputs untouched|stored'");
	return TDXABI_OK;
}

static enum tdxabi_status parse_linux_symbols(struct binding *binding,
					     const struct table_row *row,
					     struct diagnostic *diagnostic)
{
	if (row->field_count < 2 || row->field_count - 1 > BINDING_MAX_LINUX_SYMBOLS)
		return table_row_fail(row, diagnostic, "expected 'linux-symbols NAME...' (1 to %d)",
				      BINDING_MAX_LINUX_SYMBOLS);
	if (binding->linux_symbol_count)
		return table_row_fail(row, diagnostic, "a second 'linux-symbols' row");
	for (size_t index = 1; index < row->field_count; index++) {
		enum tdxabi_status status =
			copy_field(row, row->fields[index], binding->linux_symbols[index - 1],
				   sizeof(binding->linux_symbols[0]), diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	binding->linux_symbol_count = row->field_count - 1;
	return TDXABI_OK;
}

static enum tdxabi_status parse_linux_struct(struct binding *binding, const struct table_row *row,
					    struct diagnostic *diagnostic)
{
	enum tdxabi_status status =
		expect_fields(row, 3, 3, "linux-struct OBJECT STRUCT-NAME", diagnostic);
	if (status != TDXABI_OK)
		return status;
	int object = find_object(binding, row->fields[1]);
	if (object < 0)
		return table_row_fail(row, diagnostic, "unknown object '%s'", row->fields[1]);
	struct binding_object *target = &binding->objects[object];
	if (target->linux_struct[0])
		return table_row_fail(row, diagnostic, "object '%s' already has a struct", row->fields[1]);
	return copy_field(row, row->fields[2], target->linux_struct, sizeof(target->linux_struct),
			  diagnostic);
}

static enum tdxabi_status parse_symbols(struct binding *binding, const struct table_row *row,
					struct diagnostic *diagnostic)
{
	if (row->field_count < 2 || row->field_count - 1 > BINDING_MAX_SYMBOLS)
		return table_row_fail(row, diagnostic, "expected 'symbols NAME...' (1 to %d)",
				      BINDING_MAX_SYMBOLS);
	if (binding->symbol_count)
		return table_row_fail(row, diagnostic, "a second 'symbols' row");
	for (size_t index = 1; index < row->field_count; index++) {
		enum tdxabi_status status =
			copy_field(row, row->fields[index], binding->symbols[index - 1],
				   sizeof(binding->symbols[0]), diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	binding->symbol_count = row->field_count - 1;
	return TDXABI_OK;
}

/* "constant REG VALUE": the stub loads REG itself (R10 = 0 for a standard
 * TDVMCALL, R11 = a fixed sub-function). */
static enum tdxabi_status parse_constant(struct binding *binding, const struct table_row *row,
					 struct diagnostic *diagnostic)
{
	enum tdxabi_status status = expect_fields(row, 3, 3, "constant REG VALUE", diagnostic);
	enum gpr gpr = GPR_RAX;
	if (status == TDXABI_OK)
		status = parse_transfer_register(row, row->fields[1], false, &gpr, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (gpr == GPR_RCX)
		return table_row_fail(row, diagnostic, "RCX of a TDVMCALL is its 'vmcall-mask'");
	if ((binding->constants & REGISTER_BIT(gpr)) || binding_input_for(binding, gpr))
		return table_row_fail(row, diagnostic, "register %s is carried in twice",
				      gpr_display_name(gpr));
	uint64_t value;
	if (!parse_unsigned(row->fields[2], &value))
		return table_row_fail(row, diagnostic, "constant '%s' is not a number", row->fields[2]);
	binding->constants |= REGISTER_BIT(gpr);
	binding->constant_values[gpr] = value;
	return TDXABI_OK;
}

static enum tdxabi_status parse_environment(struct binding *binding, const struct table_row *row,
					    struct diagnostic *diagnostic)
{
	enum tdxabi_status status = expect_fields(row, 2, 2, "environment NAME", diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (binding->environment[0])
		return table_row_fail(row, diagnostic, "a second 'environment' row");
	return copy_field(row, row->fields[1], binding->environment, sizeof(binding->environment),
			  diagnostic);
}

/* "ignore-input REG": a sub-function input the stub leaves as it found it,
 * by design (CPUID leaf 0xB's sub-leaf, when only the x2APIC ID is read).
 * "ignore-output REG": an output the stub drops by design (it restores the
 * register, as td-shim does with what TDG.VP.ENTER returns in RDI). */
static enum tdxabi_status parse_ignored(struct binding *binding, const struct table_row *row,
					bool input, struct diagnostic *diagnostic)
{
	enum tdxabi_status status =
		expect_fields(row, 2, 2, input ? "ignore-input REG" : "ignore-output REG", diagnostic);
	enum gpr gpr = GPR_RAX;
	if (status == TDXABI_OK)
		status = parse_transfer_register(row, row->fields[1], false, &gpr, diagnostic);
	if (status != TDXABI_OK)
		return status;
	register_set *ignored = input ? &binding->ignored_inputs : &binding->ignored_outputs;
	if (register_set_has(*ignored, gpr))
		return table_row_fail(row, diagnostic, "register %s is ignored twice",
				      gpr_display_name(gpr));
	*ignored |= REGISTER_BIT(gpr);
	return TDXABI_OK;
}

static enum tdxabi_status parse_ignore_input(struct binding *binding, const struct table_row *row,
					     struct diagnostic *diagnostic)
{
	return parse_ignored(binding, row, true, diagnostic);
}

static enum tdxabi_status parse_ignore_output(struct binding *binding, const struct table_row *row,
					      struct diagnostic *diagnostic)
{
	return parse_ignored(binding, row, false, diagnostic);
}

/* "entry never-returns" and "code-writable": what an AP loop is. */
static enum tdxabi_status parse_entry(struct binding *binding, const struct table_row *row,
				      struct diagnostic *diagnostic)
{
	if (row->field_count != 2 || strcmp(row->fields[1], "never-returns") != 0)
		return table_row_fail(row, diagnostic, "expected 'entry never-returns'");
	binding->entry_point = true;
	return TDXABI_OK;
}

static enum tdxabi_status parse_code_writable(struct binding *binding, const struct table_row *row,
					      struct diagnostic *diagnostic)
{
	enum tdxabi_status status = expect_fields(row, 1, 1, "code-writable", diagnostic);
	binding->code_writable = status == TDXABI_OK;
	return status;
}

/* "fill OBJECT+OFFSET SIZE VALUE|stop" */
static enum tdxabi_status parse_fill(struct binding *binding, const struct table_row *row,
				     struct diagnostic *diagnostic)
{
	static const char usage[] = "fill OBJECT+OFFSET SIZE VALUE|stop";
	enum tdxabi_status status = expect_fields(row, 4, 4, usage, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (binding->fill_count == BINDING_MAX_FILLS)
		return table_row_fail(row, diagnostic, "too many fills (at most %d)", BINDING_MAX_FILLS);
	struct binding_transfer place = {.flag = -1};
	if ((status = parse_location(binding, row, row->fields[1], &place, diagnostic)) != TDXABI_OK)
		return status;
	uint64_t size;
	if (!parse_unsigned(row->fields[2], &size) ||
	    (size != 1 && size != 2 && size != 4 && size != 8))
		return table_row_fail(row, diagnostic, "fill size '%s' is not 1, 2, 4 or 8",
				      row->fields[2]);
	struct binding_fill *fill = &binding->fills[binding->fill_count];
	*fill = (struct binding_fill){.object = place.object, .offset = place.offset,
				      .size = (uint32_t)size};
	if (strcmp(row->fields[3], "stop") == 0) {
		if (size != 8)
			return table_row_fail(row, diagnostic, "a stop address fills 8 bytes");
		fill->stop = true;
	} else if (!parse_unsigned(row->fields[3], &fill->value) ||
		   (size < 8 && fill->value >> (size * 8) != 0)) {
		return table_row_fail(row, diagnostic, "fill value '%s' is not a %u-byte number",
				      row->fields[3], (unsigned)size);
	}
	binding->fill_count++;
	return TDXABI_OK;
}

/* "may-write OBJECT+OFFSET SIZE" */
static enum tdxabi_status parse_may_write(struct binding *binding, const struct table_row *row,
					  struct diagnostic *diagnostic)
{
	enum tdxabi_status status = expect_fields(row, 3, 3, "may-write OBJECT+OFFSET SIZE",
						  diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (binding->writable_field_count == BINDING_MAX_FILLS)
		return table_row_fail(row, diagnostic, "too many may-write rows (at most %d)",
				      BINDING_MAX_FILLS);
	struct binding_transfer place = {.flag = -1};
	if ((status = parse_location(binding, row, row->fields[1], &place, diagnostic)) != TDXABI_OK)
		return status;
	uint64_t size;
	if (!parse_unsigned(row->fields[2], &size) || size == 0 ||
	    place.offset + size > binding->objects[place.object].size)
		return table_row_fail(row, diagnostic, "%s bytes at %s do not lie inside the object",
				      row->fields[2], row->fields[1]);
	binding->writable_fields[binding->writable_field_count++] = (struct binding_fill){
		.object = place.object, .offset = place.offset, .size = (uint32_t)size};
	return TDXABI_OK;
}

static enum tdxabi_status parse_abi(struct binding *binding, const struct table_row *row,
				    calling_convention_resolver resolve, void *context,
				    struct diagnostic *diagnostic)
{
	enum tdxabi_status status = expect_fields(row, 2, 2, "abi NAME", diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (binding->abi)
		return table_row_fail(row, diagnostic, "a second 'abi' row");
	binding->abi = resolve ? resolve(context, row->fields[1]) : NULL;
	if (!binding->abi)
		return table_row_fail(row, diagnostic,
				      "unknown calling convention '%s' (see 'tdxabi list abis')",
				      row->fields[1]);
	return TDXABI_OK;
}

static const struct {
	const char *keyword;
	row_parser parse;
} row_parsers[] = {
	{"linux-symbols", parse_linux_symbols}, {"linux-struct", parse_linux_struct},
	{"prototype", parse_prototype},     {"instructions", parse_instructions},
	{"argument", parse_argument},       {"flag", parse_flag},
	{"in", parse_in},                   {"out", parse_out},
	{"leaf", parse_leaf},               {"vmcall-mask", parse_vmcall_mask},
	{"result", parse_result},           {"fault", parse_fault},
	{"failure-outputs", parse_failure_outputs},
	{"symbols", parse_symbols},         {"constant", parse_constant},
	{"environment", parse_environment}, {"ignore-input", parse_ignore_input},
	{"ignore-output", parse_ignore_output},
	{"entry", parse_entry},             {"code-writable", parse_code_writable},
	{"fill", parse_fill},               {"may-write", parse_may_write},
};

struct binding_parse {
	struct binding *binding;
	bool has_result;
	calling_convention_resolver resolve_abi;
	void *resolver_context;
};

static enum tdxabi_status parse_row(void *context, const struct table_row *row,
				    struct diagnostic *diagnostic)
{
	struct binding_parse *parse = context;
	struct binding *binding = parse->binding;
	const char *keyword = row->fields[0];
	if (strcmp(keyword, "binding") == 0) {
		if (binding->name[0])
			return table_row_fail(row, diagnostic, "a second 'binding' row");
		if (row->field_count != 2)
			return table_row_fail(row, diagnostic, "expected 'binding NAME | src: ...'");
		if (!row->citation)
			return table_row_fail(row, diagnostic,
					      "the binding row must cite its source ('| src: ...')");
		/* the name first: a lint goes on past a row that fails, and a later
		 * 'binding' row must not leave this one's citation behind */
		enum tdxabi_status status = copy_field(row, row->fields[1], binding->name,
						       sizeof(binding->name), diagnostic);
		if (status == TDXABI_OK && !(binding->citation = strdup(row->citation)))
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		return status;
	}
	if (!binding->name[0])
		return table_row_fail(row, diagnostic, "the first row must be 'binding NAME'");
	if (strcmp(keyword, "abi") == 0)
		return parse_abi(binding, row, parse->resolve_abi, parse->resolver_context, diagnostic);
	for (size_t index = 0; index < sizeof(row_parsers) / sizeof(row_parsers[0]); index++) {
		if (strcmp(keyword, row_parsers[index].keyword) != 0)
			continue;
		if (row_parsers[index].parse == parse_result) {
			if (parse->has_result)
				return table_row_fail(row, diagnostic, "a second 'result' row");
			parse->has_result = true;
		}
		return row_parsers[index].parse(binding, row, diagnostic);
	}
	return table_row_fail(row, diagnostic, "unknown binding row '%s'", keyword);
}

/* Cross-row rules that only hold once the whole file is read. */
static enum tdxabi_status check_complete(const struct binding *binding, bool has_result,
					 const char *file_name, struct diagnostic *diagnostic)
{
	const char *name = binding->name[0] ? binding->name : file_name;
	bool has_leaf_argument = false;
	for (size_t index = 0; index < binding->argument_count; index++) {
		if (binding->arguments[index].kind == ARGUMENT_UNUSED)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s: binding %s: argument %zu is not declared",
					       file_name, name, index + 1);
		has_leaf_argument |= binding->arguments[index].kind == ARGUMENT_LEAF;
	}
	const char *missing = !binding->name[0]                           ? "'binding NAME'"
			      : !binding->abi                                ? "'abi'"
			      : !binding->environment[0]                     ? "'environment'"
			      : !binding->prototype[0]                      ? "'prototype'"
			      : !binding->instructions[TDX_TDCALL] &&
					      !binding->instructions[TDX_SEAMCALL] ? "'instructions'"
			      : !has_result                                  ? "'result'"
									     : NULL;
	if (missing)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: binding %s has no %s row",
				       file_name, name, missing);
	int leaf_sources = has_leaf_argument + (binding->fixed_leaf[0] != '\0') +
			   (binding_input_for(binding, GPR_RAX) != NULL);
	if (leaf_sources != 1)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: binding %s needs exactly one of 'argument N leaf', "
				       "'leaf NAME' and 'in rax OBJECT+OFFSET'",
				       file_name, name);
	bool stops = false;
	for (size_t index = 0; index < binding->fill_count; index++)
		stops |= binding->fills[index].stop;
	if (binding->entry_point != (binding->result == RESULT_NONE) ||
	    (binding->entry_point && (!stops || binding->output_count)))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: binding %s: an entry point ('entry never-returns') has "
				       "'result none', no outputs and a 'fill ... stop', and only it",
				       file_name, name);
	for (size_t index = 0; index < binding->output_count; index++)
		if (binding->outputs[index].condition == STORED_WHEN_VMM_SUCCESS &&
		    !binding->has_vmcall_mask)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s: binding %s stores %s 'when vmm-success' but issues "
					       "no TDG.VP.VMCALL (no 'vmcall-mask')",
					       file_name, name,
					       gpr_display_name(binding->outputs[index].tdx_register));
	char both[96];
	register_set carried_and_ignored =
		((binding_carried_inputs(binding) | binding->constants) & binding->ignored_inputs) |
		(binding_carried_outputs(binding) & binding->ignored_outputs);
	if (carried_and_ignored)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: binding %s both carries and ignores %s", file_name, name,
				       register_set_format(carried_and_ignored, both, sizeof(both)));
	if (binding->flag_count > 0 && binding->flags_argument < 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: binding %s declares flags but no 'argument N flags'",
				       file_name, name);
	if (binding->fixed_leaf[0] && !binding->has_vmcall_mask)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: binding %s issues %s itself and needs its 'vmcall-mask'",
				       file_name, name, binding->fixed_leaf);
	return TDXABI_OK;
}

enum tdxabi_status binding_parse(const char *text, size_t length, const char *file_name,
				 calling_convention_resolver resolve_abi, void *resolver_context,
				 struct binding *binding, struct diagnostic *diagnostic)
{
	memset(binding, 0, sizeof(*binding));
	binding->flags_argument = -1;
	binding->file_name = strdup(file_name);
	if (!binding->file_name)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	struct binding_parse parse = {binding, false, resolve_abi, resolver_context};
	enum tdxabi_status status =
		table_rows_each(binding->file_name, text, length, parse_row, &parse, diagnostic);
	if (status == TDXABI_OK)
		status = check_complete(binding, parse.has_result, file_name, diagnostic);
	if (status != TDXABI_OK)
		binding_free(binding);
	return status;
}

struct lint_count {
	binding_problem_reporter report;
	void *context;
	size_t problems;
};

static void count_problem(void *context, const struct diagnostic *problem)
{
	struct lint_count *count = context;
	count->problems++;
	count->report(count->context, problem);
}

size_t binding_lint(const char *text, size_t length, const char *file_name,
		    calling_convention_resolver resolve_abi, void *resolver_context,
		    binding_problem_reporter report, void *report_context)
{
	struct binding binding;
	memset(&binding, 0, sizeof(binding));
	binding.flags_argument = -1;
	struct lint_count count = {report, report_context, 0};
	struct binding_parse parse = {&binding, false, resolve_abi, resolver_context};
	table_rows_each_collecting(file_name, text, length, parse_row, &parse, count_problem, &count);
	struct diagnostic diagnostic;
	if (check_complete(&binding, parse.has_result, file_name, &diagnostic) != TDXABI_OK)
		count_problem(&count, &diagnostic);
	binding_free(&binding);
	return count.problems;
}

void binding_free(struct binding *binding)
{
	for (int fault = 0; fault < FAULT_SCENARIO_COUNT; fault++)
		free(binding->outcomes[fault].citation);
	free(binding->citation);
	free(binding->file_name);
	memset(binding, 0, sizeof(*binding));
	binding->flags_argument = -1;
}

register_set binding_carried_inputs(const struct binding *binding)
{
	register_set set = 0;
	for (size_t index = 0; index < binding->input_count; index++)
		set |= REGISTER_BIT(binding->inputs[index].tdx_register);
	return set;
}

register_set binding_carried_outputs(const struct binding *binding)
{
	register_set set = 0;
	for (size_t index = 0; index < binding->output_count; index++)
		set |= REGISTER_BIT(binding->outputs[index].tdx_register);
	return set;
}

const struct binding_transfer *binding_input_for(const struct binding *binding, enum gpr gpr)
{
	for (size_t index = 0; index < binding->input_count; index++)
		if (binding->inputs[index].tdx_register == gpr)
			return &binding->inputs[index];
	return NULL;
}

bool binding_names_linux_symbol(const struct binding *binding, const char *symbol)
{
	for (size_t index = 0; index < binding->linux_symbol_count; index++)
		if (strcmp(binding->linux_symbols[index], symbol) == 0)
			return true;
	return false;
}

bool binding_names_symbol(const struct binding *binding, const char *symbol)
{
	for (size_t index = 0; index < binding->symbol_count; index++)
		if (strcmp(binding->symbols[index], symbol) == 0)
			return true;
	return binding_names_linux_symbol(binding, symbol);
}

bool binding_result_governs(const struct binding *binding, enum fault_scenario fault)
{
	if (fault == FAULT_NONE)
		return true;
	return !binding->entry_point &&
	       (fault == FAULT_ERROR_STATUS || fault_scenario_is_vmm_status(fault));
}
