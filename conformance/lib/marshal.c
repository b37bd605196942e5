/* marshal.c - binding_marshal() of marshal.h. Caller memory is filled with
 * guard tags, each object with caller-memory tags, and each input field with
 * the value the caller supplies for its register. */
#include "marshal.h"

#include <string.h>

#include "poison_tag.h"

#define OBJECT_GUARD_BYTES 64

/* SysV: the first six integer arguments. */
static const enum gpr argument_registers[BINDING_MAX_ARGUMENTS] = {
	GPR_RDI, GPR_RSI, GPR_RDX, GPR_RCX, GPR_R8, GPR_R9,
};

static void fill_words(uint8_t *bytes, size_t size, uint64_t nonce, enum tag_origin origin,
		       unsigned fixed_index, bool index_by_word)
{
	for (size_t offset = 0; offset < size; offset += 8) {
		uint64_t tag = poison_tag(nonce, origin,
					  index_by_word ? (unsigned)(offset / 8) : fixed_index);
		size_t length = size - offset < 8 ? size - offset : 8;
		memcpy(bytes + offset, &tag, length);
	}
}

/* The value the caller supplies for a TDX register: the leaf-level fixed
 * values of TDG.VP.VMCALL, else an input tag naming the register (for a
 * vendor sub-function R10 too: any non-zero value is a vendor call). */
static uint64_t supplied_value(const struct binding *binding, const struct check_case *check_case,
			       enum gpr gpr, uint64_t nonce)
{
	if (check_case->vmcall) {
		if (gpr == GPR_RCX)
			return binding->vmcall_mask;
		if (gpr == GPR_R10 && !check_case->vmcall->vendor)
			return 0; /* standard GHCI TDVMCALL */
		if (gpr == GPR_R11 && !check_case->vmcall->vendor)
			return check_case->vmcall->subfunction;
	}
	return poison_tag(nonce, TAG_CALLER_INPUT, gpr);
}

void binding_marshal(const struct binding *binding, const struct check_case *check_case,
		     uint64_t nonce, struct call_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	for (int index = 0; index < GPR_COUNT; index++)
		plan->registers[index] = poison_tag(nonce, TAG_CALLER_POISON, (unsigned)index);
	fill_words(plan->caller_memory, sizeof(plan->caller_memory), nonce, TAG_GUARD, 0xFF, false);

	uint64_t offset = OBJECT_GUARD_BYTES;
	for (size_t index = 0; index < binding->object_count; index++) {
		const struct binding_object *object = &binding->objects[index];
		plan->object_address[index] = LAYOUT_CALLER_MEMORY + offset;
		plan->object_null[index] = check_case->null_objects & (1u << index);
		fill_words(plan->caller_memory + offset, object->size, nonce, TAG_CALLER_MEMORY, 0, true);
		offset += (object->size + OBJECT_GUARD_BYTES - 1) / OBJECT_GUARD_BYTES * OBJECT_GUARD_BYTES +
			  OBJECT_GUARD_BYTES;
	}

	plan->supplied[GPR_RAX] = check_case_rax(check_case);
	plan->supplied_set = REGISTER_BIT(GPR_RAX);
	if (binding->fixed_leaf[0]) {
		plan->supplied[GPR_RCX] = binding->vmcall_mask;
		plan->supplied_set |= REGISTER_BIT(GPR_RCX);
	}
	for (size_t index = 0; index < binding->input_count; index++) {
		const struct binding_transfer *input = &binding->inputs[index];
		uint64_t value = supplied_value(binding, check_case, input->tdx_register, nonce);
		plan->supplied[input->tdx_register] = value;
		plan->supplied_set |= REGISTER_BIT(input->tdx_register);
		if (input->place == PLACE_OBJECT && !plan->object_null[input->object])
			memcpy(plan->caller_memory + (plan->object_address[input->object] -
						      LAYOUT_CALLER_MEMORY) + input->offset,
			       &value, sizeof(value));
	}

	for (size_t index = 0; index < binding->argument_count; index++) {
		const struct binding_argument *argument = &binding->arguments[index];
		uint64_t *slot = &plan->registers[argument_registers[index]];
		switch (argument->kind) {
		case ARGUMENT_LEAF:
			*slot = plan->supplied[GPR_RAX];
			break;
		case ARGUMENT_REGISTER:
			*slot = plan->supplied[argument->tdx_register];
			break;
		case ARGUMENT_OBJECT:
			*slot = plan->object_null[argument->object] ? 0
								     : plan->object_address[argument->object];
			break;
		case ARGUMENT_FLAGS:
			*slot = check_case->flags;
			break;
		case ARGUMENT_UNUSED:
			break;
		}
	}

	for (size_t index = 0; index < binding->output_count; index++) {
		const struct binding_transfer *output = &binding->outputs[index];
		if (plan->object_null[output->object])
			continue;
		if (output->flag >= 0 &&
		    !(check_case->flags & (1ull << binding->flags[output->flag].bit)))
			continue;
		struct output_location *location = &plan->outputs[plan->output_count++];
		location->tdx_register = output->tdx_register;
		location->address = plan->object_address[output->object] + output->offset;
		location->object = output->object;
	}

	enum fault_scenario fault = check_case->fault;
	bool failure = fault == FAULT_VMFAILINVALID || fault == FAULT_UD || fault == FAULT_GP;
	for (size_t index = 0; index < plan->output_count; index++) {
		if (failure && binding->failure_outputs_untouched)
			break;
		plan->expected_writes[plan->expected_write_count++] =
			(struct address_range){plan->outputs[index].address,
					       plan->outputs[index].address + 8};
	}
}

const struct output_location *call_plan_output(const struct call_plan *plan, enum gpr gpr)
{
	for (size_t index = 0; index < plan->output_count; index++)
		if (plan->outputs[index].tdx_register == gpr)
			return &plan->outputs[index];
	return NULL;
}
