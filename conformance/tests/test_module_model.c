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
	module_model_begin_call(&fixture->model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_SEAMCALL, 11); /* TDH.MNG.RD */
	struct tdx_instruction_event before = event;
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.action, TDX_ACTION_CONTINUE);
	assert_int_equal(event.registers[GPR_RAX], 0); /* TDX_SUCCESS */
	assert_int_equal(event.rflags & RFLAGS_CF, 0);
	for (int gpr = 1; gpr < GPR_COUNT; gpr++) {
		uint64_t expected = gpr == GPR_R8
					    ? poison_tag(NONCE, TAG_MODULE_OUTPUT, (unsigned)gpr)
					    : before.registers[gpr];
		assert_int_equal(event.registers[gpr], expected);
	}
	const struct model_event *logged = &fixture->model.events[0];
	assert_int_equal(fixture->model.event_count, 1);
	assert_string_equal(logged->leaf->name, "TDH.MNG.RD");
	assert_true(logged->answered);
	assert_int_equal(logged->written, REGISTER_BIT(GPR_R8));
	assert_int_equal(logged->registers[GPR_RCX], before.registers[GPR_RCX]);
}

/* A model over a table of the test's own (spec_table_free it after). */
static void model_from_table(const char *text, struct spec_table *table, struct module_model *model)
{
	struct diagnostic diagnostic;
	if (spec_table_parse(text, strlen(text), "fixture.spec", NULL, NULL, table, &diagnostic) !=
		    TDXABI_OK ||
	    module_model_init(model, table, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
}

/* A table of this test's own: a leaf that requires R12 (and, from version
 * 1, R13) to be 0. */
static const char zero_input_table[] =
	"revision zero-fixture | src: test\n"
	"status TDX_SUCCESS 0 | src: t\n"
	"status TDX_OPERAND_INVALID 0xC000010000000000 | src: t\n"
	"seamcall 5 ZEROED in: rcx r12 out: r8 versions: 1 v1-in: r13 zero-in: r12 r13 | src: t\n";

/* zero-in: a register that is not 0 is refused naming it, before any
 * output is written; 0 passes; a version-1 input is required only there. */
static void test_zero_inputs_are_refused(void **state)
{
	(void)state;
	struct spec_table table;
	struct module_model model;
	model_from_table(zero_input_table, &table, &model);
	/* R12 holds a tag: refused with its operand id, no output written */
	module_model_begin_call(&model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_SEAMCALL, 5);
	module_model_handle(&model, &event);
	assert_int_equal(event.registers[GPR_RAX], 0xC000010000000000ull | GPR_R12);
	assert_true(model.events[0].rejected);
	assert_int_equal(model.events[0].rejected_nonzero, REGISTER_BIT(GPR_R12));
	assert_int_equal(model.events[0].written, 0);
	/* R12 = 0 at version 0: R13 is not read, so its tag does not matter */
	module_model_begin_call(&model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
	event = event_for(TDX_OPCODE_SEAMCALL, 5);
	event.registers[GPR_R12] = 0;
	module_model_handle(&model, &event);
	assert_int_equal(event.registers[GPR_RAX], 0);
	assert_false(model.events[0].rejected);
	assert_int_equal(model.events[0].written, REGISTER_BIT(GPR_R8));
	/* version 1 reads R13 too: both named, the lowest in the status */
	module_model_begin_call(&model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
	event = event_for(TDX_OPCODE_SEAMCALL, 5 | 1u << 16);
	module_model_handle(&model, &event);
	assert_int_equal(event.registers[GPR_RAX], 0xC000010000000000ull | GPR_R12);
	assert_int_equal(model.events[0].rejected_nonzero,
			 REGISTER_BIT(GPR_R12) | REGISTER_BIT(GPR_R13));
	spec_table_free(&table);
}

/* no-rbp-mod-zeroes: in a NO_RBP_MOD TD the register comes back 0, written
 * by the module; in a TD without it, it is an output like the others. */
static void test_rbp_zeroed_under_no_rbp_mod(void **state)
{
	(void)state;
	static const char text[] =
		"revision rbp-fixture | src: test\n"
		"status TDX_SUCCESS 0 | src: t\n"
		"status TDX_OPERAND_INVALID 0xC000010000000000 | src: t\n"
		"seamcall 9 ENTERS in: rcx out: rcx rbp no-rbp-mod-zeroes: rbp exits: td | src: t\n";
	struct spec_table table;
	struct module_model model;
	model_from_table(text, &table, &model);
	module_model_begin_call(&model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_SEAMCALL, 9);
	module_model_handle(&model, &event);
	assert_int_equal(event.registers[GPR_RBP], 0);
	assert_int_equal(model.events[0].written, REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RBP));
	assert_int_equal(event.registers[GPR_RCX], poison_tag(NONCE, TAG_TD_VALUE, GPR_RCX));
	module_model_begin_call(&model, FAULT_NONE, NONCE, TD_CONFIG_NONE);
	event = event_for(TDX_OPCODE_SEAMCALL, 9);
	module_model_handle(&model, &event);
	assert_int_equal(event.registers[GPR_RBP], poison_tag(NONCE, TAG_TD_VALUE, GPR_RBP));
	spec_table_free(&table);
}

/* out-flags: the success path's value carries the flag bits, logged; the
 * error path's does not. */
static void test_output_flags_are_set(void **state)
{
	(void)state;
	static const char text[] =
		"revision flag-fixture | src: test\n"
		"status TDX_SUCCESS 0 | src: t\n"
		"status TDX_OPERAND_INVALID 0xC000010000000000 | src: t\n"
		"seamcall 9 FLAGGED in: rcx out: rcx rdx r8? out-flags: rcx:63 rcx:1 | src: t\n";
	struct spec_table table;
	struct module_model model;
	model_from_table(text, &table, &model);
	uint64_t flags = 1ull << 63 | 1ull << 1;
	module_model_begin_call(&model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_SEAMCALL, 9);
	module_model_handle(&model, &event);
	assert_int_equal(event.registers[GPR_RCX], poison_tag(NONCE, TAG_MODULE_OUTPUT, GPR_RCX) | flags);
	assert_int_equal(event.registers[GPR_RDX], poison_tag(NONCE, TAG_MODULE_OUTPUT, GPR_RDX));
	assert_int_equal(model.events[0].flags_set, flags);
	module_model_begin_call(&model, FAULT_ERROR_STATUS, NONCE, TD_CONFIG_NO_RBP_MOD);
	event = event_for(TDX_OPCODE_SEAMCALL, 9);
	uint64_t caller_rcx = event.registers[GPR_RCX];
	module_model_handle(&model, &event);
	assert_int_equal(event.registers[GPR_RCX], caller_rcx);
	assert_int_equal(event.registers[GPR_R8], poison_tag(NONCE, TAG_MODULE_OUTPUT, GPR_R8));
	assert_int_equal(model.events[0].flags_set, 0);
	spec_table_free(&table);
}

static void test_error_status_writes_error_outputs(void **state)
{
	struct fixture *fixture = *state;
	module_model_begin_call(&fixture->model, FAULT_ERROR_STATUS, NONCE, TD_CONFIG_NO_RBP_MOD);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_TDCALL, 18); /* TDG.SERVTD.RD */
	module_model_handle(&fixture->model, &event);
	/* TDX_OPERAND_INVALID with operand id RCX, its first input */
	assert_int_equal(event.registers[GPR_RAX], 0xC000010000000001ull);
	/* R10-R13 ("r10?"...): the new UUID, only on some error paths */
	assert_int_equal(fixture->model.events[0].written,
			 REGISTER_BIT(GPR_R10) | REGISTER_BIT(GPR_R11) | REGISTER_BIT(GPR_R12) |
				 REGISTER_BIT(GPR_R13));
}

static void test_unknown_leaf_and_reserved_rax_bits(void **state)
{
	struct fixture *fixture = *state;
	module_model_begin_call(&fixture->model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
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
	module_model_begin_call(&fixture->model, FAULT_VMFAILINVALID, NONCE, TD_CONFIG_NO_RBP_MOD);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_SEAMCALL, 11);
	event.rflags = 0x202;
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.action, TDX_ACTION_CONTINUE);
	assert_int_equal(event.rflags & RFLAGS_CF, RFLAGS_CF);
	assert_int_equal(event.registers[GPR_RAX], 11); /* untouched */
	assert_false(fixture->model.events[0].answered);
	assert_int_equal(fixture->model.events[0].written, 0);

	module_model_begin_call(&fixture->model, FAULT_UD, NONCE, TD_CONFIG_NO_RBP_MOD);
	event = event_for(TDX_OPCODE_SEAMCALL, 11);
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.action, TDX_ACTION_RAISE_UD);
	module_model_begin_call(&fixture->model, FAULT_GP, NONCE, TD_CONFIG_NO_RBP_MOD);
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.action, TDX_ACTION_RAISE_GP);
}

static void test_vmcall_exposes_only_the_mask(void **state)
{
	struct fixture *fixture = *state;
	module_model_begin_call(&fixture->model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
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
		uint64_t expected = gpr == GPR_R10 ? 0 /* TDVMCALL_STATUS_SUCCESS of the fixture */
				    : register_set_has(0xFC00, (enum gpr)gpr)
					    ? poison_tag(NONCE, TAG_VMM_VALUE, (unsigned)gpr)
					    : before.registers[gpr];
		assert_int_equal(event.registers[gpr], expected);
	}

	module_model_begin_call(&fixture->model, FAULT_ERROR_STATUS, NONCE, TD_CONFIG_NO_RBP_MOD);
	event = before;
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.registers[GPR_R10], 0x8000000000000000ull);
	assert_int_equal(event.registers[GPR_RAX], 0);
}

/* ReportFatalError never returns: the TD is not resumed, unless the VMM
 * refuses the call. */
static void test_vmcall_that_never_returns(void **state)
{
	struct fixture *fixture = *state;
	for (int refused = 0; refused <= 1; refused++) {
		module_model_begin_call(&fixture->model, refused ? FAULT_ERROR_STATUS : FAULT_NONE,
					NONCE, TD_CONFIG_NO_RBP_MOD);
		struct tdx_instruction_event event = event_for(TDX_OPCODE_TDCALL, 0);
		event.registers[GPR_RCX] = 0xFFCC;
		event.registers[GPR_R10] = 0;
		event.registers[GPR_R11] = 0x10003;
		module_model_handle(&fixture->model, &event);
		const struct model_event *logged = &fixture->model.events[0];
		assert_string_equal(logged->vmcall->name, "ReportFatalError");
		assert_true(logged->reached_vmm);
		assert_int_equal(event.action, refused ? TDX_ACTION_CONTINUE : TDX_ACTION_END_CALL);
		assert_int_equal(logged->answered, refused);
	}
}

static void test_vmcall_failures(void **state)
{
	struct fixture *fixture = *state;
	static const uint64_t bad_masks[] = {0xFC01, 0xFC02, 0xFC10, 0x1000000FC00ull};
	for (size_t index = 0; index < sizeof(bad_masks) / sizeof(bad_masks[0]); index++) {
		module_model_begin_call(&fixture->model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
		struct tdx_instruction_event event = event_for(TDX_OPCODE_TDCALL, 0);
		event.registers[GPR_RCX] = bad_masks[index];
		module_model_handle(&fixture->model, &event);
		assert_int_equal(event.registers[GPR_RAX], 0xC000010000000001ull);
		assert_false(fixture->model.events[0].reached_vmm);
	}
	module_model_begin_call(&fixture->model, FAULT_TDCALL_FAILURE, NONCE, TD_CONFIG_NO_RBP_MOD);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_TDCALL, 0);
	event.registers[GPR_RCX] = 0xFFCC;
	struct tdx_instruction_event before = event;
	module_model_handle(&fixture->model, &event);
	assert_int_equal(event.registers[GPR_RAX], 0xC000010000000001ull);
	assert_false(fixture->model.events[0].reached_vmm);
	assert_memory_equal(&event.registers[GPR_RCX], &before.registers[GPR_RCX],
			    (GPR_COUNT - 1) * sizeof(uint64_t));
}

/* Versions, P-SEAMLDR leaves and the vendor TDG.VP.VMCALL, on a small table
 * of their own so the rules do not depend on the bundled rows. */
static void test_versions_seamldr_and_vendor_calls(void **state)
{
	(void)state;
	const char text[] = "revision r | src: s\n"
			    "tdcall 0 TDG.VP.VMCALL in: rcx out: - exits: vmm | src: a\n"
			    "tdcall 7 TDG.VM.RD in: rcx rdx out: r8 versions: 1 v1-out: rdx | src: a\n"
			    "seamcall 11 TDH.MNG.RD in: rcx out: r8 | src: a\n"
			    "seamldr 0 SEAMLDR.INFO in: rcx out: - | src: a\n"
			    "vmcall 0x1f Instruction.RDMSR in: r12 out: r11 | src: a\n"
			    "vmcall vendor KVM.HYPERCALL in: r11 r12 out: - | src: a\n"
			    "status TDX_SUCCESS 0 | src: a\n"
			    "status TDX_OPERAND_INVALID 0xC000010000000000 | src: a\n"
			    "status TDVMCALL_STATUS_INVALID_OPERAND 0x8000000000000000 | src: a\n"
			    "status TDVMCALL_STATUS_SUCCESS 0 | src: a\n"
			    "status TDVMCALL_STATUS_RETRY 1 | src: a\n"
			    "status PSEAMLDR_SUCCESS 0 | src: a\n"
			    "status PSEAMLDR_EBADPARAM 0x8000000000000000 | src: a\n";
	struct spec_table spec;
	struct module_model model;
	struct diagnostic diagnostic;
	assert_int_equal(spec_table_parse(text, strlen(text), "t.spec", NULL, NULL, &spec, &diagnostic),
			 TDXABI_OK);
	assert_int_equal(module_model_init(&model, &spec, &diagnostic), TDXABI_OK);
	static const struct {
		enum tdx_opcode opcode;
		uint64_t rax;
		uint64_t status;
		const char *leaf; /* NULL: refused */
	} calls[] = {
		{TDX_OPCODE_TDCALL, 0x00007, 0, "TDG.VM.RD"},
		{TDX_OPCODE_TDCALL, 0x10007, 0, "TDG.VM.RD"},
		{TDX_OPCODE_TDCALL, 0x20007, 0xC000010000000000ull, NULL},   /* version 2 */
		{TDX_OPCODE_TDCALL, 0x1000007, 0xC000010000000000ull, NULL}, /* RAX[63:24] */
		{TDX_OPCODE_SEAMCALL, 0x1000b, 0xC000010000000000ull, NULL}, /* unversioned leaf */
		{TDX_OPCODE_SEAMCALL, 0x8000000000000000ull, 0, "SEAMLDR.INFO"},
		{TDX_OPCODE_SEAMCALL, 0x8000000000000001ull, 0x8000000000000000ull, NULL},
		{TDX_OPCODE_SEAMCALL, 0x8000000000010000ull, 0x8000000000000000ull, NULL},
		{TDX_OPCODE_TDCALL, 0x8000000000000007ull, 0xC000010000000000ull, NULL}, /* TDCALL: no loader */
	};
	for (size_t index = 0; index < sizeof(calls) / sizeof(calls[0]); index++) {
		module_model_begin_call(&model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
		struct tdx_instruction_event event = event_for(calls[index].opcode, calls[index].rax);
		module_model_handle(&model, &event);
		if (event.registers[GPR_RAX] != calls[index].status ||
		    (calls[index].leaf ? !model.events[0].leaf ||
						 strcmp(model.events[0].leaf->name, calls[index].leaf) != 0
				       : model.events[0].leaf != NULL))
			fail_msg("call %zu (RAX 0x%llx): status 0x%llx, leaf %s", index,
				 (unsigned long long)calls[index].rax,
				 (unsigned long long)event.registers[GPR_RAX],
				 model.events[0].leaf ? model.events[0].leaf->name : "none");
	}
	/* version 1 of TDG.VM.RD writes RDX too, version 0 does not */
	for (unsigned version = 0; version <= 1; version++) {
		module_model_begin_call(&model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
		struct tdx_instruction_event versioned =
			event_for(TDX_OPCODE_TDCALL, (uint64_t)version << 16 | 7);
		module_model_handle(&model, &versioned);
		assert_int_equal(model.events[0].written,
				 REGISTER_BIT(GPR_R8) | (version ? REGISTER_BIT(GPR_RDX) : 0));
	}
	/* the error scenario answers a P-SEAMLDR leaf in its own code space */
	module_model_begin_call(&model, FAULT_ERROR_STATUS, NONCE, TD_CONFIG_NO_RBP_MOD);
	struct tdx_instruction_event event = event_for(TDX_OPCODE_SEAMCALL, 0x8000000000000000ull);
	module_model_handle(&model, &event);
	assert_int_equal(event.registers[GPR_RAX], 0x8000000000000000ull);

	/* R10 != 0 is the vendor's call; R10 = 0 a GHCI sub-function by R11 */
	module_model_begin_call(&model, FAULT_NONE, NONCE, TD_CONFIG_NO_RBP_MOD);
	event = event_for(TDX_OPCODE_TDCALL, 0);
	event.registers[GPR_RCX] = 0xFC00;
	module_model_handle(&model, &event);
	assert_string_equal(model.events[0].vmcall->name, "KVM.HYPERCALL");
	event = event_for(TDX_OPCODE_TDCALL, 0);
	event.registers[GPR_RCX] = 0xFC00;
	event.registers[GPR_R10] = 0;
	event.registers[GPR_R11] = 0x1f;
	module_model_handle(&model, &event);
	assert_string_equal(model.events[1].vmcall->name, "Instruction.RDMSR");
	spec_table_free(&spec);
}

/* A table with P-SEAMLDR leaves must give their status codes. */
static void test_seamldr_statuses_required(void **state)
{
	(void)state;
	const char text[] = "revision r | src: s\n"
			    "seamldr 0 SEAMLDR.INFO in: rcx out: - | src: a\n"
			    "status TDX_SUCCESS 0 | src: a\n"
			    "status TDX_OPERAND_INVALID 0xC000010000000000 | src: a\n"
			    "status TDVMCALL_STATUS_INVALID_OPERAND 0x8000000000000000 | src: a\n";
	struct spec_table spec;
	struct module_model model;
	struct diagnostic diagnostic;
	assert_int_equal(spec_table_parse(text, strlen(text), "t.spec", NULL, NULL, &spec, &diagnostic),
			 TDXABI_OK);
	assert_int_equal(module_model_init(&model, &spec, &diagnostic), TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "t.spec: spec r has no status PSEAMLDR_SUCCESS");
	spec_table_free(&spec);
}

/* A table of the test's own: a TDG.VP.VMCALL that keeps RBP under
 * NO_RBP_MOD, the VMM's statuses at values no real table uses. */
static void test_vmcall_td_configuration_and_vmm_statuses(void **state)
{
	(void)state;
	const char text[] = "revision r | src: s\n"
			    "tdcall 0 TDG.VP.VMCALL in: rcx out: - exits: vmm no-rbp-mod-keeps: rbp | src: a\n"
			    "vmcall 0x77 Test.CALL in: r12 out: r13 | src: a\n"
			    "status TDX_SUCCESS 0 | src: a\n"
			    "status TDX_OPERAND_INVALID 0xC000010000000000 | src: a\n"
			    "status TDVMCALL_STATUS_SUCCESS 0x5 | src: a\n"
			    "status TDVMCALL_STATUS_RETRY 0x6 | src: a\n"
			    "status TDVMCALL_STATUS_INVALID_OPERAND 0x8000000000000007 | src: a\n";
	struct spec_table spec;
	struct module_model model;
	struct diagnostic diagnostic;
	assert_int_equal(spec_table_parse(text, strlen(text), "t.spec", NULL, NULL, &spec, &diagnostic),
			 TDXABI_OK);
	assert_int_equal(module_model_init(&model, &spec, &diagnostic), TDXABI_OK);
	static const struct {
		uint64_t mask;
		enum td_config td_config;
		bool rejected;
		register_set by_td_config;
	} masks[] = {
		{0xFC20, TD_CONFIG_NO_RBP_MOD, true, REGISTER_BIT(GPR_RBP)},
		{0xFC20, TD_CONFIG_NONE, false, 0},
		{0xFC00, TD_CONFIG_NO_RBP_MOD, false, 0},
		{0xFC01, TD_CONFIG_NONE, true, 0},              /* RAX */
		{0x100000000FC00ull, TD_CONFIG_NONE, true, 0},  /* bits 63:32 */
	};
	for (size_t index = 0; index < sizeof(masks) / sizeof(masks[0]); index++) {
		module_model_begin_call(&model, FAULT_NONE, NONCE, masks[index].td_config);
		struct tdx_instruction_event event = {.opcode = TDX_OPCODE_TDCALL};
		event.registers[GPR_RCX] = masks[index].mask;
		event.registers[GPR_R11] = 0x77;
		module_model_handle(&model, &event);
		const struct model_event *logged = &model.events[0];
		if (logged->rejected != masks[index].rejected ||
		    logged->rejected_by_td_config != masks[index].by_td_config ||
		    logged->reached_vmm == masks[index].rejected)
			fail_msg("mask 0x%llx: rejected %d by configuration 0x%x reached %d",
				 (unsigned long long)masks[index].mask, logged->rejected,
				 logged->rejected_by_td_config, logged->reached_vmm);
		if (masks[index].rejected)
			assert_int_equal(event.registers[GPR_RAX], 0xC000010000000000ull | GPR_RCX);
	}
	/* R10 per scenario: the table's statuses, or a tag of the VMM's own */
	static const struct {
		enum fault_scenario fault;
		uint64_t r10;
	} statuses[] = {
		{FAULT_NONE, 0x5},
		{FAULT_VMM_RETRY, 0x6},
		{FAULT_ERROR_STATUS, 0x8000000000000007ull},
		{FAULT_VMM_UNUSUAL_STATUS, 0}, /* checked below */
	};
	for (size_t index = 0; index < sizeof(statuses) / sizeof(statuses[0]); index++) {
		module_model_begin_call(&model, statuses[index].fault, NONCE, TD_CONFIG_NO_RBP_MOD);
		struct tdx_instruction_event event = {.opcode = TDX_OPCODE_TDCALL};
		event.registers[GPR_RCX] = 0xFC00;
		event.registers[GPR_R11] = 0x77;
		module_model_handle(&model, &event);
		uint64_t expected = statuses[index].fault == FAULT_VMM_UNUSUAL_STATUS
					    ? poison_tag(NONCE, TAG_VMM_VALUE, GPR_R10)
					    : statuses[index].r10;
		assert_int_equal(event.registers[GPR_R10], expected);
		assert_int_equal(event.registers[GPR_R11], poison_tag(NONCE, TAG_VMM_VALUE, GPR_R11));
		assert_int_equal(event.registers[GPR_RAX], 0); /* the TDCALL itself succeeded */
	}
	spec_table_free(&spec);
}

/* An address computed from a tag (a field of a VMM-chosen pointer) still
 * names the tag; a value far from every tag does not. */
static void test_tags_near_an_address(void **state)
{
	(void)state;
	enum tag_origin origin;
	unsigned index;
	uint64_t tag = poison_tag(NONCE, TAG_VMM_VALUE, GPR_RBX);
	assert_true(poison_tag_decode_near(tag + 8, NONCE, &origin, &index));
	assert_int_equal(origin, TAG_VMM_VALUE);
	assert_int_equal(index, GPR_RBX);
	assert_true(poison_tag_decode_near(tag - 0x20, NONCE, &origin, &index));
	assert_false(poison_tag_decode_near(tag + 0x10000, NONCE, &origin, &index));
	assert_false(poison_tag_decode_near(0x10000040, NONCE, &origin, &index));
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
		cmocka_unit_test(test_zero_inputs_are_refused),
		cmocka_unit_test(test_rbp_zeroed_under_no_rbp_mod),
		cmocka_unit_test(test_output_flags_are_set),
		cmocka_unit_test(test_error_status_writes_error_outputs),
		cmocka_unit_test(test_unknown_leaf_and_reserved_rax_bits),
		cmocka_unit_test(test_seamcall_faults),
		cmocka_unit_test(test_vmcall_exposes_only_the_mask),
		cmocka_unit_test(test_vmcall_that_never_returns),
		cmocka_unit_test(test_vmcall_failures),
		cmocka_unit_test(test_versions_seamldr_and_vendor_calls),
		cmocka_unit_test(test_seamldr_statuses_required),
		cmocka_unit_test(test_vmcall_td_configuration_and_vmm_statuses),
		cmocka_unit_test(test_tags_near_an_address),
		cmocka_unit_test(test_tags_name_their_origin),
	};
	return cmocka_run_group_tests(tests, set_up, tear_down);
}
