/* marshal.c - binding_marshal() of marshal.h. Caller memory is filled with
 * guard tags, each object with caller-memory tags, and each input field with
 * the value the caller supplies for its register; arguments go where the
 * binding's calling convention puts them. */
#include "marshal.h"

#include <stddef.h>
#include <string.h>

#include "poison_tag.h"

#define OBJECT_GUARD_BYTES 64

static void fill_words(uint8_t *bytes, size_t size, uint64_t nonce, enum tag_origin origin,
		       unsigned fixed_index, bool index_by_word)
{
	if (!index_by_word && size >= 8) { /* one tag: written once, then copied in doublings */
		uint64_t tag = poison_tag(nonce, origin, fixed_index);
		memcpy(bytes, &tag, 8);
		size_t filled = 8;
		for (; filled * 2 <= size; filled *= 2)
			memcpy(bytes + filled, bytes, filled);
		memcpy(bytes + filled, bytes, size - filled);
		return;
	}
	for (size_t offset = 0; offset < size; offset += 8) {
		uint64_t tag = poison_tag(nonce, origin,
					  index_by_word ? (unsigned)(offset / 8) : fixed_index);
		size_t length = size - offset < 8 ? size - offset : 8;
		memcpy(bytes + offset, &tag, length);
	}
}

/* The value the caller supplies for a TDX register: 0 where the leaf
 * requires it, the leaf-level fixed values of TDG.VP.VMCALL, else an input
 * tag naming the register (for a vendor sub-function R10 too: any non-zero
 * value is a vendor call). */
static uint64_t supplied_value(const struct check_case *check_case, enum gpr gpr, uint64_t nonce)
{
	if (register_set_has(check_case->leaf->zero_inputs, gpr))
		return 0; /* the module refuses anything else */
	if (check_case->vmcall) {
		if (gpr == GPR_RCX)
			return check_case->vmcall_mask;
		if (gpr == GPR_R10 && !check_case->vmcall->vendor)
			return 0; /* standard GHCI TDVMCALL */
		if (gpr == GPR_R11 && !check_case->vmcall->vendor)
			return check_case->vmcall->subfunction;
	}
	return poison_tag(nonce, TAG_CALLER_INPUT, gpr);
}

static void store_field(struct call_plan *plan, const struct binding_transfer *field,
			uint64_t value)
{
	if (plan->object_null[field->object])
		return;
	memcpy(plan->caller_memory + (plan->object_address[field->object] - LAYOUT_CALLER_MEMORY) +
		       field->offset,
	       &value, sizeof(value));
}

/* Puts argument `index` where the calling convention passes it. */
static void place_argument(const struct binding *binding, const struct check_case *check_case,
			   size_t index, uint64_t nonce, struct call_plan *plan)
{
	const struct binding_argument *argument = &binding->arguments[index];
	bool in_register;
	enum gpr gpr = GPR_RAX;
	uint32_t offset = 0;
	calling_convention_argument(binding->abi, index, &in_register, &gpr, &offset);
	uint64_t value = 0;
	switch (argument->kind) {
	case ARGUMENT_LEAF:
		value = plan->supplied[GPR_RAX];
		break;
	case ARGUMENT_REGISTER:
		value = plan->supplied[argument->tdx_register];
		break;
	case ARGUMENT_OBJECT:
		value = plan->object_null[argument->object] ? 0 : plan->object_address[argument->object];
		break;
	case ARGUMENT_FLAGS:
		value = check_case->flags;
		break;
	case ARGUMENT_VALUE: /* the caller's own value, tagged with where it is passed */
		value = poison_tag(nonce, TAG_CALLER_POISON, in_register ? (unsigned)gpr : 0xFF);
		break;
	case ARGUMENT_UNUSED:
		return;
	}
	if (in_register)
		plan->registers[gpr] = value;
	else if (plan->stack_word_count < MACHINE_MAX_STACK_WORDS)
		plan->stack_words[plan->stack_word_count++] = (struct stack_word){offset, value};
}

/* The bytes the binding has the caller put into its objects; a stop is the
 * sentinel, whose reaching ends the call as the binding declares. */
static void fill_objects(const struct binding *binding, struct call_plan *plan)
{
	for (size_t index = 0; index < binding->fill_count; index++) {
		const struct binding_fill *fill = &binding->fills[index];
		if (plan->object_null[fill->object])
			continue;
		uint64_t value = fill->stop ? LAYOUT_SENTINEL_ADDRESS : fill->value;
		memcpy(plan->caller_memory + (plan->object_address[fill->object] - LAYOUT_CALLER_MEMORY) +
			       fill->offset,
		       &value, fill->size);
	}
}

/* The XMM registers the convention makes callee-saved start with tags. */
static void poison_xmm(const struct calling_convention *abi, uint64_t nonce,
		       struct call_plan *plan)
{
	plan->sets_xmm = abi->callee_saved_xmm != 0;
	for (unsigned index = 0; plan->sets_xmm && index < MACHINE_XMM_COUNT; index++)
		plan->xmm[index] = (struct xmm_value){poison_tag(nonce, TAG_CALLER_XMM, index),
						      poison_tag(nonce, TAG_CALLER_XMM, index + 16)};
}

static bool output_condition_holds(enum output_condition condition,
				   const struct check_case *check_case)
{
	switch (condition) {
	case STORED_ALWAYS:
		return true;
	case STORED_WHEN_TDX_SUCCESS:
		return fault_scenario_instruction_succeeds(check_case->fault,
							   check_case->leaf->exits_to_vmm);
	case STORED_WHEN_VMM_SUCCESS:
		return fault_scenario_vmm_succeeds(check_case->fault);
	}
	return true;
}

void binding_marshal(const struct binding *binding, const struct check_case *check_case,
		     uint64_t nonce, struct call_plan *plan)
{
	/* all but the caller memory, of which the guard fill below writes the used part */
	size_t memory = offsetof(struct call_plan, caller_memory);
	size_t after = memory + sizeof(plan->caller_memory);
	memset(plan, 0, memory);
	memset((uint8_t *)plan + after, 0, sizeof(*plan) - after);
	for (int index = 0; index < GPR_COUNT; index++)
		plan->registers[index] = binding->abi->other_registers_zero
						 ? 0
						 : poison_tag(nonce, TAG_CALLER_POISON, (unsigned)index);
	uint64_t offset = OBJECT_GUARD_BYTES;
	for (size_t index = 0; index < binding->object_count; index++) {
		plan->object_address[index] = LAYOUT_CALLER_MEMORY + offset;
		plan->object_null[index] = check_case->null_objects & (1u << index);
		offset += (binding->objects[index].size + OBJECT_GUARD_BYTES - 1) / OBJECT_GUARD_BYTES *
				  OBJECT_GUARD_BYTES +
			  OBJECT_GUARD_BYTES;
	}
	plan->caller_memory_size = offset < sizeof(plan->caller_memory) ? offset
									: sizeof(plan->caller_memory);
	fill_words(plan->caller_memory, plan->caller_memory_size, nonce, TAG_GUARD, 0xFF, false);
	for (size_t index = 0; index < binding->object_count; index++)
		fill_words(plan->caller_memory + (plan->object_address[index] - LAYOUT_CALLER_MEMORY),
			   binding->objects[index].size, nonce, TAG_CALLER_MEMORY, 0, true);

	plan->supplied[GPR_RAX] = check_case_rax(check_case);
	plan->supplied_set = REGISTER_BIT(GPR_RAX);
	if (binding->fixed_leaf[0] || binding->vmcall_mask_has_field) {
		plan->supplied[GPR_RCX] = check_case->vmcall_mask;
		plan->supplied_set |= REGISTER_BIT(GPR_RCX);
	}
	if (binding->vmcall_mask_has_field) {
		uint64_t extra = check_case->vmcall_mask & ~binding->vmcall_mask;
		store_field(plan, &binding->vmcall_mask_field, extra);
	}
	for (int gpr = 0; gpr < GPR_COUNT; gpr++) {
		if (!register_set_has(binding->constants, (enum gpr)gpr))
			continue;
		plan->supplied[gpr] = binding->constant_values[gpr];
		plan->supplied_set |= REGISTER_BIT(gpr);
	}
	for (size_t index = 0; index < binding->input_count; index++) {
		const struct binding_transfer *input = &binding->inputs[index];
		uint64_t value = input->tdx_register == GPR_RAX
					 ? plan->supplied[GPR_RAX]
					 : supplied_value(check_case, input->tdx_register, nonce);
		plan->supplied[input->tdx_register] = value;
		plan->supplied_set |= REGISTER_BIT(input->tdx_register);
		if (input->place == PLACE_OBJECT)
			store_field(plan, input, value);
	}

	fill_objects(binding, plan);
	for (size_t index = 0; index < binding->argument_count; index++)
		place_argument(binding, check_case, index, nonce, plan);
	poison_xmm(binding->abi, nonce, plan);

	for (size_t index = 0; index < binding->output_count; index++) {
		const struct binding_transfer *output = &binding->outputs[index];
		if (plan->object_null[output->object])
			continue;
		if (output->flag >= 0 &&
		    !(check_case->flags & (1ull << binding->flags[output->flag].bit)))
			continue;
		if (!output_condition_holds(output->condition, check_case))
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
	for (size_t index = 0; index < binding->writable_field_count; index++) {
		const struct binding_fill *field = &binding->writable_fields[index];
		if (plan->object_null[field->object])
			continue;
		uint64_t start = plan->object_address[field->object] + field->offset;
		plan->expected_writes[plan->expected_write_count++] =
			(struct address_range){start, start + field->size};
	}
	const struct calling_convention *abi = binding->abi;
	if (abi->shadow_space_size)
		plan->expected_writes[plan->expected_write_count++] = (struct address_range){
			LAYOUT_ENTRY_RSP + abi->shadow_space_offset,
			LAYOUT_ENTRY_RSP + abi->shadow_space_offset + abi->shadow_space_size};
}

const struct output_location *call_plan_output(const struct call_plan *plan, enum gpr gpr)
{
	for (size_t index = 0; index < plan->output_count; index++)
		if (plan->outputs[index].tdx_register == gpr)
			return &plan->outputs[index];
	return NULL;
}
