/* test_module_model.c - the TDX module and VMM models, driven directly: what
 * each fault scenario does to registers, flags and the log, leaf decoding,
 * the TDG.VP.VMCALL mask rules and the hostile VMM. */
#include <stdlib.h>
#include <string.h>

#include "poison_tag.h"
#include "tdx_module_model.h"
#include "test_support.h"

#define NONCE 77
#define RFLAGS_CF 1ull

struct fixture {
	void *catalog;
	struct module_model model;
};

static int set_up(void **state)
{
	struct fixture *fixture = calloc(1, sizeof(*fixture));
	set_up_catalog(&fixture->catalog);
	struct diagnostic diagnostic;
	if (module_model_init(&fixture->model, catalog_default_spec(fixture->catalog), &diagnostic) !=
	    TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	*state = fixture;
	return 0;
}

static int tear_down(void **state)
{
	struct fixture *fixture = *state;
	tear_down_catalog(&fixture->catalog);
	free(fixture);
	return 0;
}

static struct tdx_instruction_event event_for(enum tdx_opcode opcode, uint64_t rax)
{
	struct tdx_instruction_event event;
	memset(&event, 0, sizeof(event));
	event.opcode = opcode;
	event.address = 0x401000;
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		event.registers[gpr] = poison_tag(NONCE, TAG_CALLER_INPUT, (unsigned)gpr);
	event.registers[GPR_RAX] = rax;
	event.rflags = 0x202 | RFLAGS_CF;
	return event;
}

static void test_leaf_writes_its_outputs_and_nothing_else(void **state)
{
	struct fixture *fixture = *state;
	module_model_begin_call(&fixture->model, FAULT_NONE, NONCE);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_SEAMCALL, 11); /* TDH.MNG.RD */
	struct tdx_instruction_event before = event;
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.action, TDX_ACTION_CONTINUE);
	assert_int_equal(event.registers[GPR_RAX], 0); /* TDX_SUCCESS */
	assert_int_equal(event.rflags & RFLAGS_CF, 0);
	for (int gpr = 1; gpr < GPR_COUNT; gpr++) {
		uint64_t expected = (gpr == GPR_RDX || gpr == GPR_R8)
					    ? poison_tag(NONCE, TAG_MODULE_OUTPUT, (unsigned)gpr)
					    : before.registers[gpr];
		assert_int_equal(event.registers[gpr], expected);
	}
	const struct model_event *logged = &fixture->model.events[0];
	assert_int_equal(fixture->model.event_count, 1);
	assert_string_equal(logged->leaf->name, "TDH.MNG.RD");
	assert_true(logged->answered);
	assert_int_equal(logged->written, REGISTER_BIT(GPR_RDX) | REGISTER_BIT(GPR_R8));
	assert_int_equal(logged->registers[GPR_RCX], before.registers[GPR_RCX]);
}

static void test_error_status_writes_error_outputs(void **state)
{
	struct fixture *fixture = *state;
	module_model_begin_call(&fixture->model, FAULT_ERROR_STATUS, NONCE);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_SEAMCALL, 2); /* TDH.MEM.PAGE.ADD */
	module_model_handle(&fixture->model, &event);
	/* TDX_OPERAND_INVALID with operand id RCX, its first input */
	assert_int_equal(event.registers[GPR_RAX], 0xC000010000000001ull);
	assert_int_equal(fixture->model.events[0].written,
			 REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RDX));
}

static void test_unknown_leaf_and_reserved_rax_bits(void **state)
{
	struct fixture *fixture = *state;
	module_model_begin_call(&fixture->model, FAULT_NONE, NONCE);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_TDCALL, 999);
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.registers[GPR_RAX], 0xC000010000000000ull); /* operand RAX */
	assert_null(fixture->model.events[0].leaf);
	event = event_for(TDX_OPCODE_TDCALL, 1ull << 40 | 1);
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.registers[GPR_RAX], 0xC000010000000000ull);
	assert_int_equal(fixture->model.event_count, 2);
}

static void test_seamcall_faults(void **state)
{
	struct fixture *fixture = *state;
	module_model_begin_call(&fixture->model, FAULT_VMFAILINVALID, NONCE);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_SEAMCALL, 11);
	event.rflags = 0x202;
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.action, TDX_ACTION_CONTINUE);
	assert_int_equal(event.rflags & RFLAGS_CF, RFLAGS_CF);
	assert_int_equal(event.registers[GPR_RAX], 11); /* untouched */
	assert_false(fixture->model.events[0].answered);
	assert_int_equal(fixture->model.events[0].written, 0);

	module_model_begin_call(&fixture->model, FAULT_UD, NONCE);
	event = event_for(TDX_OPCODE_SEAMCALL, 11);
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.action, TDX_ACTION_RAISE_UD);
	module_model_begin_call(&fixture->model, FAULT_GP, NONCE);
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.action, TDX_ACTION_RAISE_GP);
}

static void test_vmcall_exposes_only_the_mask(void **state)
{
	struct fixture *fixture = *state;
	module_model_begin_call(&fixture->model, FAULT_NONE, NONCE);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_TDCALL, 0);
	event.registers[GPR_RCX] = 0xFC00;
	event.registers[GPR_R10] = 0;
	event.registers[GPR_R11] = 0x1f; /* RDMSR */
	struct tdx_instruction_event before = event;
	module_model_handle(&fixture->model, &event);
	const struct model_event *logged = &fixture->model.events[0];
	assert_true(logged->reached_vmm);
	assert_string_equal(logged->vmcall->name, "Instruction.RDMSR");
	assert_int_equal(logged->exposed, 0xFC00);
	assert_int_equal(logged->vmm_view[GPR_R12], before.registers[GPR_R12]);
	assert_int_equal(logged->vmm_view[GPR_RDI], 0); /* not exposed: the VMM sees 0 */
	assert_int_equal(event.registers[GPR_RAX], 0);
	for (int gpr = 1; gpr < GPR_COUNT; gpr++) {
		uint64_t expected = register_set_has(0xFC00, (enum gpr)gpr)
					    ? poison_tag(NONCE, TAG_VMM_VALUE, (unsigned)gpr)
					    : before.registers[gpr];
		assert_int_equal(event.registers[gpr], expected);
	}

	module_model_begin_call(&fixture->model, FAULT_ERROR_STATUS, NONCE);
	event = before;
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.registers[GPR_R10], 0x8000000000000000ull);
	assert_int_equal(event.registers[GPR_RAX], 0);
}

static void test_vmcall_failures(void **state)
{
	struct fixture *fixture = *state;
	static const uint64_t bad_masks[] = {0xFC01, 0xFC02, 0xFC10, 0x1000000FC00ull};
	for (size_t index = 0; index < sizeof(bad_masks) / sizeof(bad_masks[0]); index++) {
		module_model_begin_call(&fixture->model, FAULT_NONE, NONCE);
		struct tdx_instruction_event event = event_for(TDX_OPCODE_TDCALL, 0);
		event.registers[GPR_RCX] = bad_masks[index];
		module_model_handle(&fixture->model, &event);
		assert_int_equal(event.registers[GPR_RAX], 0xC000010000000001ull);
		assert_false(fixture->model.events[0].reached_vmm);
	}
	module_model_begin_call(&fixture->model, FAULT_TDCALL_FAILURE, NONCE);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_TDCALL, 0);
	event.registers[GPR_RCX] = 0xFFCC;
	struct tdx_instruction_event before = event;
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.registers[GPR_RAX], 0xC000010000000001ull);
	assert_false(fixture->model.events[0].reached_vmm);
	assert_memory_equal(&event.registers[GPR_RCX], &before.registers[GPR_RCX],
			    (GPR_COUNT - 1) * sizeof(uint64_t));
}

static void test_tags_name_their_origin(void **state)
{
	(void)state;
	char text[96];
	poison_tag_describe(poison_tag(NONCE, TAG_CALLER_POISON, GPR_R12), NONCE, text, sizeof(text));
	assert_string_equal(text, "the caller's R12 at entry");
	poison_tag_describe(poison_tag(NONCE, TAG_VMM_VALUE, GPR_RSI), NONCE, text, sizeof(text));
	assert_string_equal(text, "the VMM's value for RSI");
	poison_tag_describe(poison_tag(NONCE + 1, TAG_VMM_VALUE, GPR_RSI), NONCE, text, sizeof(text));
	assert_string_equal(text, ""); /* another call's tag */
	poison_tag_describe(0x1234, NONCE, text, sizeof(text));
	assert_string_equal(text, "");
	assert_int_not_equal(poison_tag_nonce(1, 0), poison_tag_nonce(1, 1));
	assert_int_not_equal(poison_tag_nonce(1, 0), poison_tag_nonce(2, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf_writes_its_outputs_and_nothing_else),
		cmocka_unit_test(test_error_status_writes_error_outputs),
		cmocka_unit_test(test_unknown_leaf_and_reserved_rax_bits),
		cmocka_unit_test(test_seamcall_faults),
		cmocka_unit_test(test_vmcall_exposes_only_the_mask),
		cmocka_unit_test(test_vmcall_failures),
		cmocka_unit_test(test_tags_name_their_origin),
	};
	return cmocka_run_group_tests(tests, set_up, tear_down);
}
