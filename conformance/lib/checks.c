/* checks.c - one function per rule id (see checks.h). Checks on the state at
 * return run only when the stub returned; what happened before the end
 * (inputs at the instruction, stray writes) is always judged. */
#include "checks.h"

#include <stdio.h>
#include <string.h>

#include "attribution.h"
#include "flagged_values.h"
#include "poison_tag.h"

#define RFLAGS_DF (1ull << 10)

struct checker {
	const struct check_context *context;
	struct check_result *result;
	struct diagnostic *diagnostic;
	enum tdxabi_status status;
};

/* The plain tag behind a value of this call (flagged_values.h). */
static uint64_t tag_of(const struct checker *checker, uint64_t value)
{
	uint64_t flags;
	return flagged_value_tag(checker->context->model, checker->context->nonce, value, &flags);
}

static void describe_value(const struct checker *checker, uint64_t value, char *text, size_t size)
{
	flagged_value_describe(checker->context->model, checker->context->nonce, value, text, size);
}

static struct violation new_violation(enum rule rule, int tdx_register)
{
	struct violation violation;
	memset(&violation, 0, sizeof(violation));
	violation.rule = rule;
	violation.tdx_register = tdx_register;
	return violation;
}

static void set_values(struct violation *violation, uint64_t expected, uint64_t actual)
{
	violation->has_expected = true;
	violation->has_actual = true;
	violation->expected = expected;
	violation->actual = actual;
}

static void set_rip(const struct checker *checker, struct violation *violation, uint64_t rip)
{
	violation_point_at(violation, checker->context->image, checker->context->machine, rip);
}

/* A finding about what a TDX instruction read. */
static void observe_at_event(const struct checker *checker, struct violation *violation,
			     const struct model_event *event)
{
	violation->observed = OBSERVED_REGISTER_AT_TDX;
	violation->tdx_event = (unsigned)(event - checker->context->model->events);
	set_rip(checker, violation, event->address);
}

static void report(struct checker *checker, const struct violation *violation)
{
	if (checker->status == TDXABI_OK)
		checker->status =
			check_result_add_violation(checker->result, violation, checker->diagnostic);
}

/* The stub returned to its caller (an entry point never does: reaching its
 * stop address is judged by check_status only). */
static bool returned(const struct checker *checker)
{
	return checker->context->outcome->end == CALL_RETURNED &&
	       !checker->context->binding->entry_point;
}

static bool reached_stop(const struct checker *checker)
{
	return checker->context->outcome->end == CALL_RETURNED &&
	       checker->context->binding->entry_point;
}

static const struct model_event *last_event(const struct checker *checker)
{
	size_t count = checker->context->model->event_count;
	return count ? &checker->context->model->events[count - 1] : NULL;
}

static const char *instruction_name(const struct model_event *event)
{
	return tdx_instruction_name(event->instruction);
}

/* input-not-passed: each register the leaf (and, for TDG.VP.VMCALL, the
 * sub-function as the VMM sees it) reads must hold what the caller supplied. */
static void check_one_input(struct checker *checker, const struct model_event *event,
			    enum gpr gpr, bool through_vmm)
{
	const struct check_context *context = checker->context;
	bool exposed = register_set_has(event->exposed, gpr);
	uint64_t actual = through_vmm && event->reached_vmm ? event->vmm_view[gpr]
							     : event->registers[gpr];
	uint64_t expected = context->plan->supplied[gpr];
	if (actual == expected)
		return;
	struct violation violation = new_violation(RULE_INPUT_NOT_PASSED, gpr);
	set_values(&violation, expected, actual);
	observe_at_event(checker, &violation, event);
	char leaf[RESULT_NAME_SIZE], expected_text[128], actual_text[128];
	check_case_leaf_name(context->check_case, leaf, sizeof(leaf));
	describe_value(checker, expected, expected_text, sizeof(expected_text));
	describe_value(checker, event->registers[gpr], actual_text, sizeof(actual_text));
	if (through_vmm && event->reached_vmm && !exposed)
		snprintf(violation.detail, sizeof(violation.detail),
			 "%s reads %s, but the RCX mask 0x%llx does not expose it to the VMM",
			 leaf, gpr_display_name(gpr), (unsigned long long)event->registers[GPR_RCX]);
	else
		snprintf(violation.detail, sizeof(violation.detail),
			 "%s reads %s: at %s it holds %s instead of %s", leaf, gpr_display_name(gpr),
			 instruction_name(event), actual_text, expected_text);
	report(checker, &violation);
}

static bool is_declared_panic(const struct binding *binding, const char *symbol)
{
	for (int fault = 0; fault < FAULT_SCENARIO_COUNT; fault++)
		if (binding->outcomes[fault].kind == OUTCOME_PANIC &&
		    strcmp(binding->outcomes[fault].panic_symbol, symbol) == 0)
			return true;
	return false;
}

static bool declares_ud2(const struct binding *binding)
{
	for (int fault = 0; fault < FAULT_SCENARIO_COUNT; fault++)
		if (binding->outcomes[fault].kind == OUTCOME_UD2)
			return true;
	return false;
}

/* The call ended in a panic path the binding declares for some fault. */
static bool ended_in_declared_panic(const struct check_context *context)
{
	const struct call_outcome *outcome = context->outcome;
	if (outcome->end == CALL_UD2)
		return declares_ud2(context->binding);
	return outcome->end == CALL_UNDEFINED_SYMBOL && outcome->undefined &&
	       is_declared_panic(context->binding, outcome->undefined->name);
}

/* The module refused a call of this stub for its inputs (input-rejected: a
 * TDG.VP.VMCALL mask, a zero-in: register): what the stub does next is its
 * failure path, which the other scenarios judge. */
static bool module_rejected(const struct checker *checker)
{
	for (size_t index = 0; index < checker->context->model->event_count; index++)
		if (checker->context->model->events[index].rejected)
			return true;
	return false;
}

static void check_inputs(struct checker *checker)
{
	const struct check_context *context = checker->context;
	const struct call_outcome *outcome = context->outcome;
	size_t count = context->model->event_count;
	if (count == 0) {
		bool panicked = ended_in_declared_panic(context);
		if (returned(checker) || reached_stop(checker) || outcome->end == CALL_WRONG_RETURN ||
		    panicked) {
			struct violation violation = new_violation(RULE_INPUT_NOT_PASSED, -1);
			snprintf(violation.detail, sizeof(violation.detail), "the stub %s without executing "
				 "TDCALL or SEAMCALL",
				 panicked ? "called its panic path" : "returned");
			report(checker, &violation);
		}
		return;
	}
	const struct check_case *check_case = context->check_case;
	for (size_t index = 0; index < count; index++) {
		const struct model_event *event = &context->model->events[index];
		register_set leaf_inputs =
			REGISTER_BIT(GPR_RAX) | spec_leaf_inputs(check_case->leaf, check_case->version);
		register_set vmm_inputs = 0;
		if (check_case->vmcall)
			vmm_inputs = spec_vmcall_vmm_inputs(check_case->vmcall);
		/* a stub that loads its own mask is judged by what the mask does
		 * (not exposed, rejected, exposing a TD value), not by its value */
		if (check_case->leaf->exits_to_vmm && context->binding->fixed_leaf[0] &&
		    !context->binding->vmcall_mask_has_field)
			leaf_inputs &= (register_set)~REGISTER_BIT(GPR_RCX);
		vmm_inputs &= (register_set)~context->binding->ignored_inputs;
		leaf_inputs &= (register_set)~event->rejected_nonzero; /* input-rejected says why */
		for (int gpr = 0; gpr < GPR_COUNT; gpr++) {
			if (register_set_has(leaf_inputs, (enum gpr)gpr))
				check_one_input(checker, event, (enum gpr)gpr, false);
			else if (register_set_has(vmm_inputs, (enum gpr)gpr))
				check_one_input(checker, event, (enum gpr)gpr, true);
		}
	}
}

static void describe_location(const struct checker *checker, uint64_t address, char *text,
			      size_t size)
{
	const struct binding *binding = checker->context->binding;
	const struct call_plan *plan = checker->context->plan;
	for (size_t index = 0; index < binding->object_count; index++) {
		if (plan->object_null[index])
			continue;
		uint64_t start = plan->object_address[index];
		const char *name = binding->objects[index].name;
		uint64_t size_of_object = binding->objects[index].size;
		if (address >= start && address < start + size_of_object) {
			snprintf(text, size, "%s+%llu", name, (unsigned long long)(address - start));
			return;
		}
		if (address >= start + size_of_object && address < start + size_of_object + 64) {
			snprintf(text, size, "%s+%llu, past the end of the %llu-byte %s", name,
				 (unsigned long long)(address - start),
				 (unsigned long long)size_of_object, name);
			return;
		}
		if (address < start && address + 64 >= start) {
			snprintf(text, size, "%llu bytes before %s", (unsigned long long)(start - address),
				 name);
			return;
		}
	}
	if (address >= LAYOUT_ENTRY_RSP && address < LAYOUT_ENTRY_RSP + 8) {
		snprintf(text, size, "entry RSP+%llu, across the return address into the caller's frame",
			 (unsigned long long)(address - LAYOUT_ENTRY_RSP));
		return;
	}
	if (address >= LAYOUT_ENTRY_RSP + 8 && address < LAYOUT_STACK_TOP) {
		snprintf(text, size, "the caller's frame at entry RSP+%llu",
			 (unsigned long long)(address - LAYOUT_ENTRY_RSP));
		return;
	}
	object_image_describe_address(checker->context->image, address, text, size);
}

static uint64_t caller_word(const struct checker *checker, uint64_t address)
{
	uint64_t value;
	memcpy(&value, checker->context->caller_memory + (address - LAYOUT_CALLER_MEMORY),
	       sizeof(value));
	return value;
}

/* output-not-stored: after the call, every output location the binding
 * enables in this case holds its register as the instruction left it: the
 * leaf's outputs (for TDG.VP.VMCALL, every register the VMM wrote) and the
 * registers the module kept. */
static void check_outputs(struct checker *checker)
{
	const struct model_event *event = last_event(checker);
	if (!returned(checker) || !event || !event->answered || module_rejected(checker))
		return;
	const struct check_case *check_case = checker->context->check_case;
	const struct call_plan *plan = checker->context->plan;
	for (size_t index = 0; index < plan->output_count; index++) {
		enum gpr gpr = plan->outputs[index].tdx_register;
		bool written = register_set_has(event->written, gpr);
		uint64_t expected = gpr == GPR_RAX ? event->status
				    : written      ? event->written_values[gpr]
						   : event->registers[gpr];
		uint64_t actual = caller_word(checker, plan->outputs[index].address);
		if (actual == expected)
			continue;
		struct violation violation = new_violation(RULE_OUTPUT_NOT_STORED, gpr);
		set_values(&violation, expected, actual);
		violation.observed = OBSERVED_MEMORY_AT_END;
		violation.memory_address = plan->outputs[index].address;
		char where[128], actual_text[128], expected_text[128], leaf[RESULT_NAME_SIZE];
		describe_location(checker, plan->outputs[index].address, where, sizeof(where));
		describe_value(checker, actual, actual_text, sizeof(actual_text));
		describe_value(checker, expected, expected_text, sizeof(expected_text));
		check_case_leaf_name(check_case, leaf, sizeof(leaf));
		snprintf(violation.detail, sizeof(violation.detail),
			 "after %s, %s must hold %s %s, but holds %s", leaf, where,
			 gpr_display_name(gpr), expected_text, actual_text);
		report(checker, &violation);
	}
}

/* The last TDX instruction of the call after which the module zeroed the
 * vector registers (clears:), if any did. */
static const struct model_event *vector_clearer(const struct checker *checker)
{
	const struct module_model *model = checker->context->model;
	for (size_t index = model->event_count; index-- > 0;)
		if (model->events[index].cleared_vector_bytes)
			return &model->events[index];
	return NULL;
}

static void check_callee_saved_xmm(struct checker *checker)
{
	const struct calling_convention *abi = checker->context->binding->abi;
	const struct call_plan *plan = checker->context->plan;
	const struct call_outcome *outcome = checker->context->outcome;
	const struct model_event *clearer = vector_clearer(checker);
	char cause[160] = "";
	if (clearer)
		snprintf(cause, sizeof(cause), ", and %s zeroes %s0-15 at its %s",
			 clearer->leaf->name, clearer->cleared_vector_bytes == 32 ? "YMM" : "XMM",
			 instruction_name(clearer));
	for (unsigned index = 0; plan->sets_xmm && index < MACHINE_XMM_COUNT; index++) {
		const struct xmm_value *entry = &plan->xmm[index], *exit = &outcome->xmm[index];
		if (!(abi->callee_saved_xmm & (1u << index)) ||
		    (entry->low == exit->low && entry->high == exit->high))
			continue;
		struct violation violation = new_violation(RULE_CALLEE_SAVED_CLOBBERED, -1);
		set_values(&violation, entry->low, exit->low);
		violation.observed = OBSERVED_XMM_AT_END;
		violation.xmm = index;
		snprintf(violation.detail, sizeof(violation.detail),
			 "XMM%u is callee-saved under %s but holds 0x%016llx%016llx at return%s", index,
			 abi->name, (unsigned long long)exit->high, (unsigned long long)exit->low,
			 exit->low == 0 && exit->high == 0 ? cause : "");
		report(checker, &violation);
	}
}

/* The last TDX instruction of the call that wrote `value` to `gpr`, if
 * any did: where a clobbered register's value came from. */
static const struct model_event *module_writer(const struct checker *checker, enum gpr gpr,
					       uint64_t value)
{
	const struct module_model *model = checker->context->model;
	for (size_t index = model->event_count; index-- > 0;) {
		const struct model_event *event = &model->events[index];
		if (register_set_has(event->written, gpr))
			return event->written_values[gpr] == value ? event : NULL;
	}
	return NULL;
}

static void check_callee_saved(struct checker *checker)
{
	if (!returned(checker))
		return;
	const struct calling_convention *abi = checker->context->binding->abi;
	const uint64_t *entry = checker->context->plan->registers;
	const uint64_t *exit = checker->context->outcome->registers;
	for (int gpr = 0; gpr < GPR_COUNT; gpr++) {
		if (!register_set_has(abi->callee_saved, (enum gpr)gpr) || entry[gpr] == exit[gpr])
			continue;
		struct violation violation = new_violation(RULE_CALLEE_SAVED_CLOBBERED, gpr);
		violation.observed = OBSERVED_REGISTER_AT_END;
		set_values(&violation, entry[gpr], exit[gpr]);
		char actual[128], cause[160] = "";
		describe_value(checker, exit[gpr], actual, sizeof(actual));
		const struct model_event *writer = module_writer(checker, (enum gpr)gpr, exit[gpr]);
		if (writer)
			snprintf(cause, sizeof(cause), ", written by %s at its %s and never restored",
				 writer->leaf ? writer->leaf->name : "the module",
				 instruction_name(writer));
		snprintf(violation.detail, sizeof(violation.detail),
			 "%s is callee-saved under %s but holds %s at return%s", gpr_display_name(gpr),
			 abi->name, actual, cause);
		report(checker, &violation);
	}
	check_callee_saved_xmm(checker);
}

/* Whether the call ended fetching at an address a return popped from the
 * stack (the value just below RSP). */
static bool fetched_popped_address(const struct checker *checker)
{
	const struct call_outcome *outcome = checker->context->outcome;
	if (outcome->end != CALL_EMULATION_FAULT || (outcome->fault != EMULATION_UNMAPPED_FETCH &&
						     outcome->fault != EMULATION_PROTECTED_FETCH))
		return false;
	uint64_t popped = 0;
	return machine_read(checker->context->machine, outcome->registers[GPR_RSP] - 8, &popped,
			    sizeof(popped), NULL) == TDXABI_OK &&
	       popped == outcome->fault_address;
}

/* A return that popped its address with the stack at the wrong depth (RSP
 * after it is not entry RSP + 8): pushes and pops did not balance on the
 * path taken, and the return took a saved value for its address. */
static bool returned_at_wrong_depth(const struct checker *checker)
{
	return fetched_popped_address(checker) &&
	       checker->context->outcome->registers[GPR_RSP] != LAYOUT_ENTRY_RSP + 8;
}

static void check_stack(struct checker *checker)
{
	const struct call_outcome *outcome = checker->context->outcome;
	if (returned_at_wrong_depth(checker)) {
		struct violation violation = new_violation(RULE_STACK_IMBALANCE, GPR_RSP);
		violation.observed = OBSERVED_STACK_AT_END;
		int64_t depth = (int64_t)(outcome->registers[GPR_RSP] - 8 - LAYOUT_ENTRY_RSP);
		violation.discriminator = (uint64_t)depth;
		char value[128];
		describe_value(checker, outcome->fault_address, value, sizeof(value));
		snprintf(violation.detail, sizeof(violation.detail),
			 "a return at entry RSP%+lld took %s for its return address: the pushes and "
			 "pops of this path do not balance",
			 (long long)depth, value);
		report(checker, &violation);
		return;
	}
	if (outcome->end == CALL_WRONG_RETURN) {
		struct violation violation = new_violation(RULE_STACK_IMBALANCE, GPR_RSP);
		violation.observed = OBSERVED_STACK_AT_END;
		snprintf(violation.detail, sizeof(violation.detail),
			 "returned through the caller's frame slot at entry RSP+%llu instead of the "
			 "return address at entry RSP",
			 (unsigned long long)outcome->wrong_return_offset);
		report(checker, &violation);
		return;
	}
	uint64_t expected = LAYOUT_ENTRY_RSP + 8;
	if (!returned(checker) || outcome->registers[GPR_RSP] == expected)
		return;
	struct violation violation = new_violation(RULE_STACK_IMBALANCE, GPR_RSP);
	violation.observed = OBSERVED_STACK_AT_END;
	set_values(&violation, expected, outcome->registers[GPR_RSP]);
	snprintf(violation.detail, sizeof(violation.detail),
		 "RSP at return is entry RSP%+lld, not entry RSP+8",
		 (long long)(outcome->registers[GPR_RSP] - LAYOUT_ENTRY_RSP));
	report(checker, &violation);
}

bool checks_named_status(const struct spec_table *spec, const struct fault_outcome *outcome,
			 enum fault_scenario fault, uint64_t *value)
{
	const struct spec_status *status = spec_table_find_status(spec, outcome->status_name);
	if (!status)
		return false;
	*value = status->value;
	if (outcome->or_trap_number)
		*value |= (uint64_t)fault_scenario_trap_number(fault);
	return true;
}

struct expected_status {
	bool panic;
	const char *panic_symbol; /* NULL: a UD2 */
	uint64_t value;
	char what[128];
};

static void expected_status(const struct checker *checker, const struct model_event *event,
			    struct expected_status *expected)
{
	const struct binding *binding = checker->context->binding;
	enum fault_scenario fault = checker->context->check_case->fault;
	memset(expected, 0, sizeof(*expected));
	if (!binding_result_governs(binding, fault)) {
		const struct fault_outcome *outcome = &binding->outcomes[fault];
		switch (outcome->kind) {
		case OUTCOME_PANIC:
			expected->panic = true;
			expected->panic_symbol = outcome->panic_symbol;
			return;
		case OUTCOME_UD2:
			expected->panic = true;
			return;
		case OUTCOME_NAMED_STATUS:
			checks_named_status(checker->context->spec, outcome, fault, &expected->value);
			snprintf(expected->what, sizeof(expected->what), "%s%s", outcome->status_name,
				 outcome->or_trap_number ? " | trap number" : "");
			return;
		case OUTCOME_VALUE:
			expected->value = outcome->value;
			snprintf(expected->what, sizeof(expected->what), "the number binding %s declares",
				 binding->name);
			return;
		case OUTCOME_MODULE_STATUS:
		case OUTCOME_UNDECLARED:
			break;
		}
		expected->value = event->answered ? event->status : event->registers[GPR_RAX];
		snprintf(expected->what, sizeof(expected->what), "the module's status");
		return;
	}
	if (binding->result == RESULT_REGISTER) {
		enum gpr gpr = binding->result_register;
		expected->value = register_set_has(event->written, gpr) ? event->written_values[gpr]
									 : event->registers[gpr];
		snprintf(expected->what, sizeof(expected->what), "%s as the callee left it",
			 gpr_display_name(gpr));
		return;
	}
	expected->value = event->status;
	snprintf(expected->what, sizeof(expected->what), "the module's status");
}

/* status-mismatch: RAX at return, or the panic path, as the scenario requires. */
static void check_status(struct checker *checker)
{
	const struct call_outcome *outcome = checker->context->outcome;
	const struct model_event *event = last_event(checker);
	if (!event || module_rejected(checker))
		return;
	struct expected_status expected;
	expected_status(checker, event, &expected);
	const char *fault = fault_scenario_name(checker->context->check_case->fault);
	struct violation violation =
		new_violation(RULE_STATUS_MISMATCH, checker->context->binding->abi->result_register);
	if (outcome->end == CALL_UD2 && declares_ud2(checker->context->binding)) {
		if (expected.panic && !expected.panic_symbol)
			return;
		set_rip(checker, &violation, outcome->rip);
		snprintf(violation.detail, sizeof(violation.detail),
			 "executed UD2 at %s under fault scenario '%s', which requires %s",
			 violation.location, fault,
			 expected.panic			       ? "the panic path"
			 : checker->context->binding->entry_point ? "reaching its stop"
								  : "a return");
		report(checker, &violation);
		return;
	}
	if (outcome->end == CALL_UNDEFINED_SYMBOL && outcome->undefined) {
		const char *called = outcome->undefined->name;
		if (expected.panic && expected.panic_symbol && strcmp(called, expected.panic_symbol) == 0)
			return;
		if (!is_declared_panic(checker->context->binding, called))
			return; /* an unknown symbol: emulation-fault says so */
		snprintf(violation.detail, sizeof(violation.detail),
			 "called the panic path %s under fault scenario '%s', which requires a return",
			 called, fault);
		report(checker, &violation);
		return;
	}
	if (reached_stop(checker)) {
		if (!expected.panic)
			return;
		snprintf(violation.detail, sizeof(violation.detail),
			 "reached its stop (the address the caller left for it) under fault scenario "
			 "'%s', which requires %s",
			 fault, expected.panic_symbol ? expected.panic_symbol : "UD2");
		report(checker, &violation);
		return;
	}
	if (!returned(checker))
		return;
	violation.observed = OBSERVED_STATUS_AT_END;
	uint64_t actual = outcome->registers[checker->context->binding->abi->result_register];
	if (expected.panic) {
		violation.has_actual = true;
		violation.actual = actual;
		snprintf(violation.detail, sizeof(violation.detail),
			 "the TDCALL failed (RAX 0x%llx), but the stub returned 0x%llx instead of "
			 "%s%s",
			 (unsigned long long)event->status, (unsigned long long)actual,
			 expected.panic_symbol ? "calling " : "executing UD2",
			 expected.panic_symbol ? expected.panic_symbol : "");
		report(checker, &violation);
		return;
	}
	if (actual == expected.value)
		return;
	set_values(&violation, expected.value, actual);
	char actual_text[128];
	describe_value(checker, actual, actual_text, sizeof(actual_text));
	snprintf(violation.detail, sizeof(violation.detail),
		 "under fault scenario '%s' RAX must be %s (0x%llx), but the stub returned %s", fault,
		 expected.what, (unsigned long long)expected.value, actual_text);
	report(checker, &violation);
}

/* vmm-value-leaked: no register may still hold a value an untrusted party
 * wrote (the VMM behind TDG.VP.VMCALL; for a host stub, the TD behind
 * TDH.VP.ENTER), except the result the binding declares (the VMM's R10
 * returned in RAX). */
static void check_vmm_values(struct checker *checker)
{
	if (!returned(checker))
		return;
	const struct binding *binding = checker->context->binding;
	for (int gpr = 0; gpr < GPR_COUNT; gpr++) {
		uint64_t value = checker->context->outcome->registers[gpr];
		enum tag_origin origin;
		unsigned index;
		if (!poison_tag_decode(tag_of(checker, value), checker->context->nonce,
				       &origin, &index) ||
		    (origin != TAG_VMM_VALUE && origin != TAG_TD_VALUE))
			continue;
		if (gpr == GPR_RAX && binding->result == RESULT_REGISTER &&
		    index == (unsigned)binding->result_register)
			continue;
		struct violation violation = new_violation(RULE_VMM_VALUE_LEAKED, gpr);
		violation.observed = OBSERVED_REGISTER_AT_END;
		violation.has_actual = true;
		violation.actual = value;
		snprintf(violation.detail, sizeof(violation.detail),
			 "%s still holds the %s's value for %s (0x%llx) at return", gpr_display_name(gpr),
			 origin == TAG_VMM_VALUE ? "VMM" : "TD", gpr_display_name((enum gpr)index),
			 (unsigned long long)value);
		report(checker, &violation);
	}
}

static bool failure_path(const struct check_context *context)
{
	enum fault_scenario fault = context->check_case->fault;
	return fault == FAULT_VMFAILINVALID || fault == FAULT_UD || fault == FAULT_GP;
}

/* stray-write: the machine logs only writes outside this case's expected
 * ranges (call_plan_expected_writes), the first of each instruction. */
static void check_writes(struct checker *checker)
{
	const struct check_context *context = checker->context;
	const struct call_outcome *outcome = context->outcome;
	for (size_t index = 0; index < outcome->write_count; index++) {
		const struct memory_write *write = &outcome->writes[index];
		struct violation violation = new_violation(RULE_STRAY_WRITE, -1);
		set_rip(checker, &violation, write->rip);
		char where[128];
		describe_location(checker, write->address, where, sizeof(where));
		bool output_field = false;
		for (size_t which = 0; which < context->plan->output_count; which++)
			output_field |= write->address >= context->plan->outputs[which].address &&
					write->address < context->plan->outputs[which].address + 8;
		snprintf(violation.detail, sizeof(violation.detail), "wrote %u bytes at %s (0x%llx)%s",
			 write->size, where, (unsigned long long)write->address,
			 output_field && failure_path(context)
				 ? ": the binding stores no output when the call fails"
				 : ", not an output location of this call");
		report(checker, &violation);
	}
	if (outcome->writes_dropped) {
		struct violation violation = new_violation(RULE_STRAY_WRITE, -1);
		snprintf(violation.detail, sizeof(violation.detail),
			 "%zu more unexpected writes by further instructions, not listed",
			 outcome->writes_dropped);
		report(checker, &violation);
	}
}

static void check_fault_handled(struct checker *checker)
{
	const struct call_outcome *outcome = checker->context->outcome;
	if (outcome->end != CALL_FAULT_UNHANDLED)
		return;
	struct violation violation = new_violation(RULE_FAULT_UNHANDLED, -1);
	set_rip(checker, &violation, outcome->rip);
	const char *trap = outcome->trap_number == 6 ? "#UD" : "#GP";
	const struct stub_environment *environment = checker->context->environment;
	if (outcome->trap_resolution == TRAP_FIXUP_NOT_MODELLED)
		snprintf(violation.detail, sizeof(violation.detail),
			 "%s at %s: its %s entry has type %u, which tdxabi does not model", trap,
			 violation.location, environment->fixups ? environment->fixups : "fixup",
			 outcome->fixup_kind);
	else if (environment->fixups)
		snprintf(violation.detail, sizeof(violation.detail), "%s at %s has no %s entry: %s",
			 trap, violation.location, environment->fixups, environment->unhandled);
	else
		snprintf(violation.detail, sizeof(violation.detail), "%s at %s: %s", trap,
			 violation.location, environment->unhandled);
	report(checker, &violation);
}

static void check_flags(struct checker *checker)
{
	const struct calling_convention *abi = checker->context->binding->abi;
	if (!returned(checker) || !abi->direction_flag_clear ||
	    !(checker->context->outcome->rflags & RFLAGS_DF))
		return;
	struct violation violation = new_violation(RULE_FLAGS_VIOLATION, -1);
	violation.observed = OBSERVED_FLAGS_AT_END;
	snprintf(violation.detail, sizeof(violation.detail),
		 "DF is set at return; %s requires it clear", abi->name);
	report(checker, &violation);
}

/* vmm-value-used: the fault address is (near) a value the VMM, the TD or the
 * module wrote at the TDX instruction: the stub used it as an address. */
static bool used_untrusted_value(struct checker *checker, const struct violation *located)
{
	const struct call_outcome *outcome = checker->context->outcome;
	bool fetch = outcome->fault == EMULATION_UNMAPPED_FETCH ||
		     outcome->fault == EMULATION_PROTECTED_FETCH;
	bool access = fetch || outcome->fault == EMULATION_UNMAPPED_READ ||
		      outcome->fault == EMULATION_UNMAPPED_WRITE ||
		      outcome->fault == EMULATION_PROTECTED_READ ||
		      outcome->fault == EMULATION_PROTECTED_WRITE;
	enum tag_origin origin;
	unsigned index;
	if (!access ||
	    !poison_tag_decode_near(tag_of(checker, outcome->fault_address),
				    checker->context->nonce, &origin, &index) ||
	    (origin != TAG_VMM_VALUE && origin != TAG_TD_VALUE && origin != TAG_MODULE_OUTPUT))
		return false;
	struct violation violation = *located;
	violation.rule = RULE_VMM_VALUE_USED;
	violation.tdx_register = index < GPR_COUNT ? (int)index : -1;
	violation.has_actual = true;
	violation.actual = outcome->fault_address;
	const struct model_event *event = last_event(checker);
	const char *who = origin == TAG_VMM_VALUE ? "the VMM" : origin == TAG_TD_VALUE ? "the TD" : "the module";
	char leaf[RESULT_NAME_SIZE];
	check_case_leaf_name(checker->context->check_case, leaf, sizeof(leaf));
	const char *name = index < GPR_COUNT ? gpr_display_name((enum gpr)index) : "?";
	if (fetch)
		snprintf(violation.detail, sizeof(violation.detail),
			 "jumped to 0x%llx, %s's value for %s after %s",
			 (unsigned long long)outcome->fault_address, who, name, leaf);
	else
		snprintf(violation.detail, sizeof(violation.detail),
			 "%s at 0x%llx by %s: the address is %s's value for %s after %s, kept as a "
			 "pointer across the %s",
			 emulation_fault_name(outcome->fault), (unsigned long long)outcome->fault_address,
			 located->instruction, who, name, leaf,
			 event ? tdx_instruction_name(event->instruction) : "TDX instruction");
	report(checker, &violation);
	return true;
}

/* input-rejected, for a register the leaf requires to be 0. */
static void report_nonzero(struct checker *checker, const struct model_event *event)
{
	enum gpr gpr = GPR_RAX; /* the first, which the module names */
	while (!register_set_has(event->rejected_nonzero, gpr))
		gpr++;
	struct violation violation = new_violation(RULE_INPUT_REJECTED, (int)gpr);
	set_values(&violation, 0, event->registers[gpr]);
	observe_at_event(checker, &violation, event);
	char actual[128], registers[96];
	describe_value(checker, event->registers[gpr], actual, sizeof(actual));
	snprintf(violation.detail, sizeof(violation.detail),
		 "%s requires %s to be 0, but at %s it holds %s: the module refuses the call with "
		 "TDX_OPERAND_INVALID naming it (the leaf's zero-in: %s)",
		 event->leaf->name, gpr_display_name(gpr), instruction_name(event), actual,
		 register_set_format(event->leaf->zero_inputs, registers, sizeof(registers)));
	report(checker, &violation);
}

/* input-rejected: the module refused a TDG.VP.VMCALL mask in this TD, or a
 * register the leaf requires to be 0 was not. */
static void check_rejected(struct checker *checker)
{
	for (size_t index = 0; index < checker->context->model->event_count; index++) {
		const struct model_event *event = &checker->context->model->events[index];
		if (!event->rejected)
			continue;
		if (event->rejected_nonzero) {
			report_nonzero(checker, event);
			continue;
		}
		struct violation violation = new_violation(RULE_INPUT_REJECTED, GPR_RCX);
		violation.has_actual = true;
		violation.actual = event->registers[GPR_RCX];
		observe_at_event(checker, &violation, event);
		char registers[96];
		if (event->rejected_by_td_config)
			snprintf(violation.detail, sizeof(violation.detail),
				 "the TDG.VP.VMCALL mask 0x%llx selects %s, which the module refuses "
				 "with TDX_OPERAND_INVALID in a TD created with NO_RBP_MOD "
				 "(--td-config %s, as KVM creates every TD)",
				 (unsigned long long)event->registers[GPR_RCX],
				 register_set_format(event->rejected_by_td_config, registers,
						     sizeof(registers)),
				 td_config_name(checker->context->check_case->td_config));
		else
			snprintf(violation.detail, sizeof(violation.detail),
				 "the TDG.VP.VMCALL mask 0x%llx sets bits 0x%llx, which the module "
				 "never accepts (RAX, RCX, RSP, bits 63:32)",
				 (unsigned long long)event->registers[GPR_RCX],
				 (unsigned long long)event->rejected_reserved_bits);
		report(checker, &violation);
	}
}

/* What a TD value the stub exposed is, for a report. */
static void describe_exposed(const struct checker *checker, uint64_t value, char *text,
			     size_t size)
{
	char origin[96];
	poison_tag_describe(value, checker->context->nonce, origin, sizeof(origin));
	if (origin[0]) {
		snprintf(text, size, "0x%llx (%s)", (unsigned long long)value, origin);
		return;
	}
	char where[128];
	if (value >= LAYOUT_CALLER_MEMORY && value < LAYOUT_CALLER_MEMORY + LAYOUT_CALLER_MEMORY_SIZE) {
		describe_location(checker, value, where, sizeof(where));
		snprintf(text, size, "0x%llx (the address of %s)", (unsigned long long)value, where);
	} else if (value >= LAYOUT_STACK_BASE && value < LAYOUT_STACK_TOP) {
		snprintf(text, size, "0x%llx (a stack address, entry RSP%+lld)",
			 (unsigned long long)value, (long long)(value - LAYOUT_ENTRY_RSP));
	} else if (object_image_section_at(checker->context->image, value)) {
		object_image_describe_address(checker->context->image, value, where, sizeof(where));
		snprintf(text, size, "0x%llx (the address of %s)", (unsigned long long)value, where);
	} else {
		snprintf(text, size, "0x%llx", (unsigned long long)value);
	}
}

/* td-value-exposed: every register a TDG.VP.VMCALL exposes to the VMM holds
 * an input of the sub-function (input-not-passed judges its value), zero,
 * or what the caller supplied for that register. */
static void check_exposed_values(struct checker *checker)
{
	const struct check_context *context = checker->context;
	const struct check_case *check_case = context->check_case;
	register_set inputs = check_case->vmcall ? spec_vmcall_vmm_inputs(check_case->vmcall) : 0;
	for (size_t index = 0; index < context->model->event_count; index++) {
		const struct model_event *event = &context->model->events[index];
		if (!event->reached_vmm)
			continue;
		for (int gpr = 0; gpr < GPR_COUNT; gpr++) {
			uint64_t value = event->registers[gpr];
			if (!register_set_has(event->exposed, (enum gpr)gpr) ||
			    register_set_has(inputs, (enum gpr)gpr) || value == 0 ||
			    (register_set_has(context->plan->supplied_set, (enum gpr)gpr) &&
			     value == context->plan->supplied[gpr]))
				continue;
			struct violation violation = new_violation(RULE_TD_VALUE_EXPOSED, gpr);
			violation.has_actual = true;
			violation.actual = value;
			observe_at_event(checker, &violation, event);
			char leaf[RESULT_NAME_SIZE], text[192];
			check_case_leaf_name(check_case, leaf, sizeof(leaf));
			describe_exposed(checker, value, text, sizeof(text));
			snprintf(violation.detail, sizeof(violation.detail),
				 "%s exposes %s to the VMM (mask 0x%llx) holding %s, neither an input "
				 "of the sub-function nor zero",
				 leaf, gpr_display_name((enum gpr)gpr),
				 (unsigned long long)event->registers[GPR_RCX], text);
			report(checker, &violation);
		}
	}
}

static void check_emulation(struct checker *checker)
{
	const struct check_context *context = checker->context;
	const struct call_outcome *outcome = context->outcome;
	struct violation violation = new_violation(RULE_EMULATION_FAULT, -1);
	if (outcome->end == CALL_UNDEFINED_SYMBOL) {
		if (!outcome->undefined) {
			set_rip(checker, &violation, outcome->rip);
			snprintf(violation.detail, sizeof(violation.detail),
				 "jumped to 0x%llx, a slot of the undefined-symbol page no symbol uses",
				 (unsigned long long)outcome->rip);
		} else if (is_declared_panic(context->binding, outcome->undefined->name)) {
			return; /* status-mismatch judges panics */
		} else {
			snprintf(violation.detail, sizeof(violation.detail),
				 "called undefined symbol %s, which tdxabi cannot stand in for",
				 outcome->undefined->name);
		}
		report(checker, &violation);
		return;
	}
	if (outcome->end == CALL_UD2 && !declares_ud2(context->binding)) {
		set_rip(checker, &violation, outcome->rip);
		snprintf(violation.detail, sizeof(violation.detail),
			 "invalid instruction at %s: %s (the binding declares no UD2 panic)",
			 violation.location, violation.instruction);
		report(checker, &violation);
		return;
	}
	enum tag_origin origin;
	unsigned index;
	if (outcome->end != CALL_EMULATION_FAULT || returned_at_wrong_depth(checker))
		return; /* stack-imbalance judged that return */
	/* a fetch fault's RIP is the bad address itself, a tag that differs in
	 * every case: the finding is told apart by what the address was */
	bool fetch = outcome->fault == EMULATION_UNMAPPED_FETCH ||
		     outcome->fault == EMULATION_PROTECTED_FETCH;
	violation.discriminator = (uint64_t)outcome->end << 8 | outcome->fault;
	if (!fetch)
		set_rip(checker, &violation, outcome->rip);
	else if (poison_tag_decode_near(tag_of(checker, outcome->fault_address),
					context->nonce, &origin, &index))
		violation.discriminator |= (uint64_t)origin << 24 | (uint64_t)index << 16;
	if (used_untrusted_value(checker, &violation))
		return;
	char address[128];
	describe_value(checker, outcome->fault_address, address, sizeof(address));
	const char *what = emulation_fault_name(outcome->fault);
	switch (outcome->fault) {
	case EMULATION_UNMAPPED_FETCH:
	case EMULATION_PROTECTED_FETCH:
		snprintf(violation.detail, sizeof(violation.detail), "%s at %s%s", what, address,
			 fetched_popped_address(checker)
				 ? ": a return popped it from the stack (corrupted return address?)"
				 : ": the stub jumped there");
		break;
	case EMULATION_UNMAPPED_READ:
	case EMULATION_UNMAPPED_WRITE:
	case EMULATION_PROTECTED_READ:
	case EMULATION_PROTECTED_WRITE:
		snprintf(violation.detail, sizeof(violation.detail), "%s at %s by %s", what, address,
			 violation.instruction);
		break;
	case EMULATION_BUDGET_EXHAUSTED:
		snprintf(violation.detail, sizeof(violation.detail),
			 "%s: %llu instructions ran without returning (stopped at %s)", what,
			 (unsigned long long)context->instruction_budget, violation.location);
		break;
	case EMULATION_INTERRUPT:
		snprintf(violation.detail, sizeof(violation.detail), "%s %u near %s", what,
			 outcome->interrupt_number, violation.location);
		break;
	case EMULATION_ENGINE_ERROR:
		snprintf(violation.detail, sizeof(violation.detail), "%s: %s", what,
			 outcome->engine_error);
		break;
	case EMULATION_INVALID_INSTRUCTION:
	case EMULATION_UNEXPECTED_INSTRUCTION:
	case EMULATION_TOO_MANY_TDX_INSTRUCTIONS:
		snprintf(violation.detail, sizeof(violation.detail), "%s at %s: %s", what,
			 violation.location, violation.instruction);
		break;
	}
	report(checker, &violation);
}

enum tdxabi_status checks_evaluate(const struct check_context *context,
				   struct check_result *result, struct diagnostic *diagnostic)
{
	struct checker checker = {context, result, diagnostic, TDXABI_OK};
	check_inputs(&checker);
	check_outputs(&checker);
	check_callee_saved(&checker);
	check_stack(&checker);
	check_status(&checker);
	check_vmm_values(&checker);
	check_writes(&checker);
	check_fault_handled(&checker);
	check_flags(&checker);
	check_emulation(&checker);
	check_rejected(&checker);
	check_exposed_values(&checker);
	return checker.status;
}
