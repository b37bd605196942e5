/* test_machine.c - the Unicorn machine: how each kind of call ends (return,
 * trap, fault, budget), the TDX intercept and exception-table fixups, the
 * poisoned entry state and the write log. One engine serves every call. */
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "memory_layout.h"
#include "poison_tag.h"
#include "test_support.h"

#include "linux_environment.h"

struct fixture {
	struct object_image image;
	struct stub_environment environment; /* the fixture's fixups are Linux's __ex_table */
	struct machine *machine;
	uint8_t caller_memory[LAYOUT_CALLER_MEMORY_SIZE];
};

/* A handler that records what it saw and answers with a fixed action. */
struct recording_handler {
	int calls;
	struct tdx_instruction_event seen;
	enum tdx_action action;
	uint64_t rax_answer;
};

static void record(void *context, struct tdx_instruction_event *event)
{
	struct recording_handler *handler = context;
	handler->calls++;
	handler->seen = *event;
	event->action = handler->action;
	event->registers[GPR_RAX] = handler->rax_answer;
	event->registers[GPR_RSP] = 0xDEAD; /* must be ignored */
}

static int set_up(void **state)
{
	struct fixture *fixture = calloc(1, sizeof(*fixture));
	load_test_object(TDXABI_FIXTURE_DIR "/machine.o", &fixture->image);
	struct diagnostic diagnostic;
	if (linux_environment.open(&fixture->image, &fixture->environment, &diagnostic) != TDXABI_OK ||
	    machine_open(&fixture->image, &fixture->environment.machine, &fixture->machine,
			 &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	*state = fixture;
	return 0;
}

static int tear_down(void **state)
{
	struct fixture *fixture = *state;
	machine_close(fixture->machine);
	environment_close(&fixture->environment);
	object_image_free(&fixture->image);
	free(fixture);
	return 0;
}

static void call_supplying(struct fixture *fixture, const char *symbol,
			   struct recording_handler *handler, const struct address_range *expected,
			   size_t expected_count, size_t caller_memory_size,
			   struct call_outcome *outcome)
{
	const struct image_symbol *entry = object_image_find_symbol(&fixture->image, symbol);
	if (!entry)
		fail_msg("no fixture function %s", symbol);
	struct call_request request = {
		.entry = entry->address,
		.caller_memory = fixture->caller_memory,
		.caller_memory_size = caller_memory_size,
		.nonce = 5,
		.instruction_budget = 10000,
		.handler = record,
		.handler_context = handler,
		.expected_writes = expected,
		.expected_write_count = expected_count,
	};
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		request.registers[gpr] = poison_tag(5, TAG_CALLER_POISON, (unsigned)gpr);
	request.registers[GPR_RDI] = LAYOUT_CALLER_MEMORY + 0x100;
	request.registers[GPR_RAX] = 0x1234;
	struct diagnostic diagnostic;
	if (machine_call(fixture->machine, &request, outcome, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
}

static void call_expecting(struct fixture *fixture, const char *symbol,
			   struct recording_handler *handler, const struct address_range *expected,
			   size_t expected_count, struct call_outcome *outcome)
{
	call_supplying(fixture, symbol, handler, expected, expected_count,
		       sizeof(fixture->caller_memory), outcome);
}

static void call(struct fixture *fixture, const char *symbol, struct recording_handler *handler,
		 struct call_outcome *outcome)
{
	call_expecting(fixture, symbol, handler, NULL, 0, outcome);
}

static void test_tdcall_reaches_the_handler_and_returns(void **state)
{
	struct fixture *fixture = *state;
	struct recording_handler handler = {.rax_answer = 0x42};
	struct call_outcome outcome;
	call(fixture, "tdcall_then_return", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_RETURNED);
	assert_int_equal(handler.calls, 1);
	assert_int_equal(handler.seen.opcode, TDX_OPCODE_TDCALL);
	assert_int_equal(handler.seen.registers[GPR_RAX], 7);
	assert_int_equal(handler.seen.registers[GPR_R12], poison_tag(5, TAG_CALLER_POISON, GPR_R12));
	assert_int_equal(handler.seen.address, object_image_find_symbol(&fixture->image,
									"tdcall_then_return")->address + 5);
	assert_int_equal(outcome.registers[GPR_RBX], 0x42); /* execution went on after TDCALL */
	assert_int_equal(outcome.registers[GPR_RSP], LAYOUT_ENTRY_RSP + 8);
	assert_int_equal(outcome.tdx_instruction_count, 1);
	assert_int_equal(outcome.rflags & (1u << 10), 0); /* DF clear at entry */
}

/* A module that does not resume the stub ends the call at the instruction. */
static void test_call_ends_when_the_stub_is_not_resumed(void **state)
{
	struct fixture *fixture = *state;
	struct recording_handler handler = {.action = TDX_ACTION_END_CALL, .rax_answer = 0x42};
	struct call_outcome outcome;
	call(fixture, "tdcall_then_return", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_NOT_RESUMED);
	assert_int_equal(handler.calls, 1);
	assert_int_equal(outcome.rip, handler.seen.address);
	assert_int_not_equal(outcome.registers[GPR_RBX], 0x42); /* nothing ran after TDCALL */
}

static void test_fault_fixups(void **state)
{
	struct fixture *fixture = *state;
	struct recording_handler handler = {.action = TDX_ACTION_RAISE_GP};
	struct call_outcome outcome;
	call(fixture, "seamcall_fault_fixup", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_RETURNED);
	assert_int_equal(outcome.registers[GPR_RAX], 0x10d); /* #GP 13 | 0x100 */

	handler.action = TDX_ACTION_RAISE_UD;
	call(fixture, "seamcall_fault_fixup", &handler, &outcome);
	assert_int_equal(outcome.registers[GPR_RAX], 0x106);

	call(fixture, "seamcall_default_fixup", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_RETURNED);
	assert_int_equal(outcome.registers[GPR_RAX], 0x1234); /* type 1 leaves RAX */
	assert_int_equal(outcome.registers[GPR_RBX], 0x55);

	call(fixture, "seamcall_fault_clears_ax", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_RETURNED);
	assert_int_equal(outcome.registers[GPR_RAX], 0); /* trap number, then cleared */
	call(fixture, "seamcall_default_clears_dx", &handler, &outcome);
	assert_int_equal(outcome.registers[GPR_RAX], 0x1234);
	assert_int_equal(outcome.registers[GPR_RDX], 0);

	call(fixture, "seamcall_unmodelled_fixup", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_FAULT_UNHANDLED);
	assert_int_equal(outcome.trap_resolution, TRAP_FIXUP_NOT_MODELLED);
	assert_int_equal(outcome.fixup_kind, 9);

	call(fixture, "seamcall_without_fixup", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_FAULT_UNHANDLED);
	assert_int_equal(outcome.trap_resolution, TRAP_NO_FIXUP);
	assert_int_equal(outcome.trap_number, 6);
	assert_int_equal(outcome.rip, object_image_find_symbol(&fixture->image,
							       "seamcall_without_fixup")->address);
}

static void expect_fault(struct fixture *fixture, const char *symbol, enum emulation_fault fault)
{
	struct recording_handler handler = {0};
	struct call_outcome outcome;
	call(fixture, symbol, &handler, &outcome);
	if (outcome.end != CALL_EMULATION_FAULT || outcome.fault != fault)
		fail_msg("%s: end %d fault %d, expected emulation fault %d", symbol, outcome.end,
			 outcome.fault, fault);
}

/* Without an environment nothing fixes a trap up, whatever the object's
 * sections hold. */
static void test_no_environment_no_fixups(void **state)
{
	struct fixture *fixture = *state;
	struct machine *bare;
	struct diagnostic diagnostic;
	assert_int_equal(machine_open(&fixture->image, NULL, &bare, &diagnostic), TDXABI_OK);
	struct recording_handler handler = {.action = TDX_ACTION_RAISE_GP};
	const struct image_symbol *entry = object_image_find_symbol(&fixture->image,
								    "seamcall_fault_fixup");
	struct call_request request = {.entry = entry->address,
				       .caller_memory = fixture->caller_memory,
		.caller_memory_size = sizeof(fixture->caller_memory),
				       .instruction_budget = 10000,
				       .handler = record,
				       .handler_context = &handler};
	struct call_outcome outcome;
	assert_int_equal(machine_call(bare, &request, &outcome, &diagnostic), TDXABI_OK);
	assert_int_equal(outcome.end, CALL_FAULT_UNHANDLED);
	assert_int_equal(outcome.trap_resolution, TRAP_NO_FIXUP);
	machine_close(bare);
}

static void test_emulation_faults(void **state)
{
	struct fixture *fixture = *state;
	expect_fault(fixture, "spins", EMULATION_BUDGET_EXHAUSTED);
	expect_fault(fixture, "tdcall_forever", EMULATION_TOO_MANY_TDX_INSTRUCTIONS);
	expect_fault(fixture, "halts", EMULATION_UNEXPECTED_INSTRUCTION);
	expect_fault(fixture, "issues_seamret", EMULATION_UNEXPECTED_INSTRUCTION);
	expect_fault(fixture, "executes_syscall", EMULATION_UNEXPECTED_INSTRUCTION);
	expect_fault(fixture, "executes_cpuid", EMULATION_UNEXPECTED_INSTRUCTION);
	expect_fault(fixture, "executes_vmcall", EMULATION_UNEXPECTED_INSTRUCTION);
	expect_fault(fixture, "hits_breakpoint", EMULATION_INTERRUPT);
	expect_fault(fixture, "writes_code", EMULATION_PROTECTED_WRITE);
	expect_fault(fixture, "reads_through_rax", EMULATION_UNMAPPED_READ);
	expect_fault(fixture, "recurses", EMULATION_UNMAPPED_WRITE);
	expect_fault(fixture, "stores_everywhere", EMULATION_UNMAPPED_WRITE);

	struct recording_handler handler = {0};
	struct call_outcome outcome;
	call(fixture, "hits_breakpoint", &handler, &outcome);
	assert_int_equal(outcome.interrupt_number, 3);
	call(fixture, "reads_through_rax", &handler, &outcome);
	assert_int_equal(outcome.fault_address, 0x1234);
	char text[96];
	machine_describe_instruction(fixture->machine, outcome.rip, text, sizeof(text));
	assert_string_equal(text, "movq (%rax), %rax");
	machine_describe_instruction(fixture->machine,
				     object_image_find_symbol(&fixture->image, "issues_seamret")->address,
				     text, sizeof(text));
	assert_string_equal(text, "seamret");
	call(fixture, "executes_ud2", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_UD2); /* a deliberate stop, told apart from junk */
	assert_int_equal(outcome.rip, object_image_find_symbol(&fixture->image, "executes_ud2")->address);
	machine_describe_instruction(fixture->machine, outcome.rip, text, sizeof(text));
	assert_string_equal(text, "ud2");
	/* the engine is reusable after every kind of ending */
	handler.rax_answer = 9;
	call(fixture, "tdcall_then_return", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_RETURNED);
	assert_int_equal(outcome.registers[GPR_RBX], 9);
}

static void test_traps_and_returns(void **state)
{
	struct fixture *fixture = *state;
	struct recording_handler handler = {0};
	struct call_outcome outcome;
	call(fixture, "calls_panic", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_UNDEFINED_SYMBOL);
	assert_string_equal(outcome.undefined->name, "some_panic");

	call(fixture, "returns_through_thunk", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_RETURNED);
	assert_int_equal(outcome.registers[GPR_RAX], 3);

	call(fixture, "returns_one_slot_high", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_WRONG_RETURN);
	assert_int_equal(outcome.wrong_return_offset, 8);
}

static void test_write_log(void **state)
{
	struct fixture *fixture = *state;
	struct recording_handler handler = {0};
	struct call_outcome outcome;
	call(fixture, "writes_memory", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_RETURNED);
	assert_int_equal(outcome.write_count, 4);
	uint64_t entry = object_image_find_symbol(&fixture->image, "writes_memory")->address;
	assert_int_equal(outcome.writes[0].address, LAYOUT_CALLER_MEMORY + 0x100);
	assert_int_equal(outcome.writes[0].size, 8);
	assert_int_equal(outcome.writes[0].value, 0x1234);
	assert_int_equal(outcome.writes[0].rip, entry);
	assert_int_equal(outcome.writes[1].address, LAYOUT_CALLER_MEMORY + 0x10c);
	assert_int_equal(outcome.writes[1].size, 4);
	assert_int_equal(outcome.writes[2].address, LAYOUT_ENTRY_RSP + 16);
	const struct image_section *data = object_image_section_at(&fixture->image, outcome.writes[3].address);
	assert_non_null(data);
	assert_string_equal(data->name, ".data");
	uint64_t word;
	struct diagnostic diagnostic;
	assert_int_equal(machine_read(fixture->machine, LAYOUT_CALLER_MEMORY + 0x100, &word, 8,
				      &diagnostic), TDXABI_OK);
	assert_int_equal(word, 0x1234);
}

/* Every call starts from the same state: what one call writes into the
 * object's sections or leaves in the CPU does not reach the next. */
static void test_calls_start_from_the_same_state(void **state)
{
	struct fixture *fixture = *state;
	struct recording_handler handler = {0};
	struct call_outcome outcome;
	call(fixture, "writes_memory", &handler, &outcome);
	call(fixture, "reads_scratch", &handler, &outcome);
	assert_int_equal(outcome.end, CALL_RETURNED);
	assert_int_equal(outcome.registers[GPR_RAX], 0);
	call(fixture, "sets_xmm0", &handler, &outcome);
	call(fixture, "reads_xmm0", &handler, &outcome);
	assert_int_equal(outcome.registers[GPR_RAX], 0);
	/* caller memory a call does not supply holds the pattern, whatever an
	 * earlier call supplied or wrote there */
	memset(fixture->caller_memory, 0x11, sizeof(fixture->caller_memory));
	call(fixture, "writes_memory", &handler, &outcome);
	call_supplying(fixture, "reads_caller_memory", &handler, NULL, 0, 0x100, &outcome);
	assert_int_equal(outcome.registers[GPR_RAX], poison_tag(0, TAG_GUARD, 0xFF));
	call_supplying(fixture, "reads_caller_memory", &handler, NULL, 0, 0x108, &outcome);
	assert_int_equal(outcome.registers[GPR_RAX], 0x1111111111111111ull);
	memset(fixture->caller_memory, 0, sizeof(fixture->caller_memory));
}

/* Expected writes are not logged; unexpected ones once per instruction, up
 * to the limit, and the rest counted. */
static void test_write_log_limits(void **state)
{
	struct fixture *fixture = *state;
	struct recording_handler handler = {0};
	struct call_outcome outcome;
	call(fixture, "writes_frame_300_times", &handler, &outcome);
	assert_int_equal(outcome.write_count, 1);
	assert_int_equal(outcome.writes_dropped, 0);
	call(fixture, "writes_frame_from_300_places", &handler, &outcome);
	assert_int_equal(outcome.write_count, MACHINE_MAX_WRITES);
	assert_int_equal(outcome.writes_dropped, 300 - MACHINE_MAX_WRITES);
	struct address_range expected = {LAYOUT_CALLER_MEMORY + 0x100, LAYOUT_CALLER_MEMORY + 0x108};
	call_expecting(fixture, "writes_memory", &handler, &expected, 1, &outcome);
	assert_int_equal(outcome.write_count, 3); /* the 8-byte store at +0x100 was expected */
	assert_int_equal(outcome.writes[0].address, LAYOUT_CALLER_MEMORY + 0x10c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tdcall_reaches_the_handler_and_returns, set_up, tear_down),
		cmocka_unit_test_setup_teardown(test_call_ends_when_the_stub_is_not_resumed, set_up,
						tear_down),
		cmocka_unit_test_setup_teardown(test_fault_fixups, set_up, tear_down),
		cmocka_unit_test_setup_teardown(test_no_environment_no_fixups, set_up, tear_down),
		cmocka_unit_test_setup_teardown(test_emulation_faults, set_up, tear_down),
		cmocka_unit_test_setup_teardown(test_traps_and_returns, set_up, tear_down),
		cmocka_unit_test_setup_teardown(test_write_log, set_up, tear_down),
		cmocka_unit_test_setup_teardown(test_calls_start_from_the_same_state, set_up, tear_down),
		cmocka_unit_test_setup_teardown(test_write_log_limits, set_up, tear_down),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
