/* test_binding.c - the binding parser: every bundled binding parses and
 * carries the registers DESIGN.md gives it; malformed bindings are refused
 * with file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binding.h"
#include "test_support.h"

static const register_set module_core = REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RDX) |
					REGISTER_BIT(GPR_R8) | REGISTER_BIT(GPR_R9) |
					REGISTER_BIT(GPR_R10) | REGISTER_BIT(GPR_R11);

static void test_bundled_bindings(void **state)
{
	(void)state;
	struct catalog catalog;
	struct diagnostic diagnostic;
	if (catalog_load(&catalog, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	static const char *const names[] = {
		"linux-5.19-module-call", "linux-5.19-hypercall",    "linux-6.3-hypercall",
		"linux-6.4-hypercall",    "linux-6.4-hypercall-ret", "linux-6.7-module-args",
		"linux-6.7-module-args-ret", "linux-6.7-module-args-saved-ret", "linux-6.7-hypercall",
		"edk2-tdcall", "edk2-tdvmcall", "edk2-tdvmcall-cpuid", "td-shim-tdcall",
		"td-shim-2024-tdcall", "td-shim-2022-tdcall",
		"td-shim-tdvmcall", "td-shim-tdvmcall-ex", "tdx-guest-tdcall", "tdx-guest-tdvmcall", "tdx-guest-2024-tdvmcall",
		"edk2-ap-mailbox-loop", "td-shim-ap-mailbox-loop",
	};
	for (size_t index = 0; index < sizeof(names) / sizeof(names[0]); index++)
		assert_non_null(catalog_find_binding(&catalog, names[index]));

	const struct binding *call = catalog_find_binding(&catalog, "linux-5.19-module-call");
	assert_int_equal(binding_carried_inputs(call),
			 REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RDX) | REGISTER_BIT(GPR_R8) |
				 REGISTER_BIT(GPR_R9));
	assert_int_equal(binding_carried_outputs(call), module_core);
	assert_true(call->objects[0].nullable);
	assert_int_equal(call->arguments[5].kind, ARGUMENT_OBJECT);
	assert_int_equal(call->outcomes[FAULT_VMFAILINVALID].kind, OUTCOME_NAMED_STATUS);
	assert_int_equal(call->outcomes[FAULT_UD].kind, OUTCOME_UNDECLARED);
	assert_false(call->failure_outputs_untouched);

	const struct binding *hypercall = catalog_find_binding(&catalog, "linux-5.19-hypercall");
	assert_string_equal(hypercall->fixed_leaf, "TDG.VP.VMCALL");
	assert_int_equal(hypercall->vmcall_mask, 0xFC00);
	assert_int_equal(hypercall->flag_count, 2);
	assert_int_equal(hypercall->result, RESULT_REGISTER);
	assert_int_equal(hypercall->result_register, GPR_R10);
	assert_int_equal(hypercall->outcomes[FAULT_TDCALL_FAILURE].kind, OUTCOME_PANIC);
	assert_string_equal(hypercall->outcomes[FAULT_TDCALL_FAILURE].panic_symbol,
			    "__tdx_hypercall_failed");
	assert_int_equal(hypercall->outputs[0].flag, 0);

	assert_int_equal(catalog_find_binding(&catalog, "linux-6.3-hypercall")->vmcall_mask, 0xFFCC);
	const struct binding *saved = catalog_find_binding(&catalog, "linux-6.7-module-args-saved-ret");
	register_set all13 = module_core | REGISTER_BIT(GPR_R12) | REGISTER_BIT(GPR_R13) |
			     REGISTER_BIT(GPR_R14) | REGISTER_BIT(GPR_R15) | REGISTER_BIT(GPR_RBX) |
			     REGISTER_BIT(GPR_RDI) | REGISTER_BIT(GPR_RSI);
	assert_int_equal(binding_carried_inputs(saved), all13);
	assert_int_equal(binding_carried_outputs(saved), all13);
	assert_int_equal(saved->objects[0].size, 104);
	assert_int_equal(binding_input_for(saved, GPR_RSI)->offset, 96);
	assert_true(saved->outcomes[FAULT_UD].or_trap_number);
	assert_string_equal(saved->outcomes[FAULT_GP].status_name, "TDX_SW_ERROR");
	assert_true(saved->failure_outputs_untouched);
	assert_int_equal(binding_carried_outputs(catalog_find_binding(&catalog, "linux-6.7-module-args")), 0);
	assert_true(binding_names_linux_symbol(saved, "__seamcall_saved_ret"));
	assert_false(binding_names_linux_symbol(saved, "__seamcall_ret"));
	assert_string_equal(saved->objects[0].linux_struct, "tdx_module_args");
	const struct binding *c_hypercall = catalog_find_binding(&catalog, "linux-6.7-hypercall");
	assert_false(register_set_has(binding_carried_inputs(c_hypercall), GPR_RCX));
	assert_true(register_set_has(binding_carried_outputs(c_hypercall), GPR_RCX));
	catalog_free(&catalog);
}

struct malformed_case {
	const char *text;
	const char *expected;
	int source_line;
};

#define HEAD "binding b | src: s\nprototype u64 f(u64 fn, struct a *a)\ninstructions tdcall\nabi fixture-abi\nenvironment firmware\n"
#define ARGS "argument 1 leaf\nargument 2 object a 16\n"
static const struct malformed_case malformed[] = {
	{"prototype x\n", "b.binding:1: the first row must be 'binding NAME'", __LINE__},
	{"binding b\n", "b.binding:1: the binding row must cite its source", __LINE__},
	{HEAD ARGS "in rcx a+16\nresult status\n", "b.binding:8: field a+16 (8 bytes) lies outside the 16-byte object", __LINE__},
	{HEAD ARGS "in rcx b+0\nresult status\n", "b.binding:8: unknown object 'b'", __LINE__},
	{HEAD ARGS "in rcx a+0\nin rcx a+8\nresult status\n", "b.binding:9: register RCX is carried in twice", __LINE__},
	{HEAD ARGS "in rax a+0\nresult status\n", "binding b needs exactly one of 'argument N leaf', 'leaf NAME' and 'in rax OBJECT+OFFSET'", __LINE__},
	{HEAD ARGS "argument 3 register rax\nresult status\n", "b.binding:8: RAX cannot be carried here", __LINE__},
	{HEAD ARGS "result rax\n", "b.binding:8: RAX cannot be carried here", __LINE__},
	{HEAD ARGS "out rcx a+0 if nothing\nresult status\n", "b.binding:8: unknown flag 'nothing'", __LINE__},
	{HEAD ARGS "out rcx a+0 when x\nresult status\n", "b.binding:8: unknown condition 'x'", __LINE__},
	{HEAD ARGS "out rcx a+0 when\nresult status\n", "b.binding:8: expected 'out REG OBJECT+OFFSET [if FLAG] [when", __LINE__},
	{HEAD ARGS "out rcx a+0 when vmm-success\nresult status\n", "binding b stores RCX 'when vmm-success' but issues no TDG.VP.VMCALL", __LINE__},
	{HEAD ARGS "constant r10 0\nin r10 a+0\nresult status\n", "b.binding:9: register R10 is carried in twice", __LINE__},
	{HEAD ARGS "constant rcx 0\nresult status\n", "b.binding:8: RCX of a TDVMCALL is its 'vmcall-mask'", __LINE__},
	{HEAD ARGS "constant r11 x\nresult status\n", "b.binding:8: constant 'x' is not a number", __LINE__},
	{HEAD ARGS "vmcall-mask 0xFC00 plus a+16\nresult status\n", "b.binding:8: field a+16 (8 bytes) lies outside", __LINE__},
	{HEAD ARGS "vmcall-mask 0xFC00 with a+0\nresult status\n", "b.binding:8: expected 'vmcall-mask VALUE [plus OBJECT+OFFSET]'", __LINE__},
	{HEAD ARGS "vmcall-mask 0xFC00\nvmcall-mask 0xFC00\nresult status\n", "b.binding:9: a second 'vmcall-mask' row", __LINE__},
	{HEAD ARGS "symbols\nresult status\n", "b.binding:8: expected 'symbols NAME...'", __LINE__},
	{HEAD ARGS "abi fixture-abi\nresult status\n", "b.binding:8: a second 'abi' row", __LINE__},
	{"binding b | src: s\nabi nowhere\n", "b.binding:2: unknown calling convention 'nowhere'", __LINE__},
	{"binding b | src: s\nprototype p\ninstructions tdcall\nargument 1 leaf\nresult status\n", "binding b has no 'abi' row", __LINE__},
	{HEAD "argument 1 do-sti\nargument 2 flags\n", "b.binding:7: a second flags argument", __LINE__},
	{HEAD "argument 9 leaf\n", "b.binding:6: argument number '9' is not 1..8", __LINE__},
	{HEAD "argument 1 leaf\nargument 1 flags\n", "b.binding:7: argument 1 declared twice", __LINE__},
	{HEAD "argument 1 widget\n", "b.binding:6: expected 'argument N leaf", __LINE__},
	{HEAD "argument 1 object a 0\n", "b.binding:6: object size '0' is not 1..4096", __LINE__},
	{HEAD ARGS "flag f 64\n", "b.binding:8: flag bit '64' is not 0..63", __LINE__},
	{HEAD ARGS "result status\nresult r10\n", "b.binding:9: a second 'result' row", __LINE__},
	{HEAD ARGS "result status\nfault none returns module-status\n", "b.binding:9: fault 'none' is governed by the 'result' row", __LINE__},
	{HEAD ARGS "result status\nfault vmfailinvalid returns S+trap\n", "b.binding:9: fault 'vmfailinvalid' raises no trap", __LINE__},
	{HEAD ARGS "result status\nfault ud returns S+oops\n", "b.binding:9: 'S+oops': only '+trap' may follow", __LINE__},
	{HEAD ARGS "result status\nfault ud returns 0x1g\n", "b.binding:9: bad number '0x1g'", __LINE__},
	{HEAD ARGS "result status\nfault ud returns 18446744073709551616\n", "b.binding:9: bad number", __LINE__},
	{HEAD ARGS "result status\nfault melt returns S\n", "b.binding:9: unknown fault 'melt'", __LINE__},
	{HEAD ARGS "result status\nvmcall-mask 0xFFCF\n", "b.binding:9: vmcall-mask 0xffcf exposes RAX, RCX or RSP", __LINE__},
	{HEAD ARGS "result status\nfailure-outputs maybe\n", "b.binding:9: expected 'failure-outputs untouched|stored'", __LINE__},
	{HEAD ARGS "in rcx a+0\nignore-input rcx\nresult status\n", "binding b both carries and ignores RCX", __LINE__},
	{HEAD ARGS "ignore-output r9\nout r9 a+8\nresult status\n", "binding b both carries and ignores R9", __LINE__},
	{HEAD ARGS "ignore-output r9\nignore-output r9\nresult status\n", "b.binding:9: register R9 is ignored twice", __LINE__},
	{HEAD ARGS "ignore-output\nresult status\n", "b.binding:8: expected 'ignore-output REG'", __LINE__},
	{HEAD ARGS "result status\nwobble\n", "b.binding:9: unknown binding row 'wobble'", __LINE__},
	{HEAD ARGS, "binding b has no 'result' row", __LINE__},
	{HEAD "argument 2 object a 16\nresult status\n", "binding b: argument 1 is not declared", __LINE__},
	{HEAD "argument 1 object a 16\nresult status\n", "binding b needs exactly one of 'argument N leaf', 'leaf NAME' and 'in rax", __LINE__},
	{HEAD "argument 1 object a 16\nleaf TDG.VP.VMCALL\nresult r10\n", "binding b issues TDG.VP.VMCALL itself and needs its 'vmcall-mask'", __LINE__},
	{HEAD ARGS "flag f 0\nresult status\n", "binding b declares flags but no 'argument N flags'", __LINE__},
	{"binding b | src: s\nabi fixture-abi\nenvironment firmware\nprototype p\nargument 1 leaf\nresult status\n", "binding b has no 'instructions' row", __LINE__},
	{"binding b | src: s\nabi fixture-abi\nprototype p\ninstructions tdcall\nargument 1 leaf\nresult status\n", "binding b has no 'environment' row", __LINE__},
	{HEAD ARGS "environment linux\nresult status\n", "b.binding:8: a second 'environment' row", __LINE__},
	{HEAD ARGS "linux-struct b tdx_module_args\n", "b.binding:8: unknown object 'b'", __LINE__},
	{HEAD ARGS "linux-symbols\n", "b.binding:8: expected 'linux-symbols NAME...'", __LINE__},
	{HEAD ARGS "linux-symbols a b c d e\n", "b.binding:8: expected 'linux-symbols NAME...' (1 to 4)", __LINE__},
};

/* The calling convention of the fixtures: the engine's own, not a bundled one. */
static const char fixture_abi_text[] =
	"abi fixture-abi | src: test\n"
	"arguments rdi rsi | src: test\n"
	"stack-arguments 8 | src: test\n"
	"shadow-space 0 0 | src: test\n"
	"callee-saved rbx | src: test\n"
	"callee-saved-xmm - | src: test\n"
	"result rax | src: test\n"
	"direction-flag clear | src: test\n"
	"other-registers caller-values | src: test\n";

static const struct calling_convention *fixture_resolver(void *context, const char *name)
{
	const struct calling_convention *abi = context;
	return strcmp(name, abi->name) == 0 ? abi : NULL;
}

static void test_malformed_bindings_name_file_and_line(void **state)
{
	(void)state;
	struct calling_convention abi;
	struct diagnostic abi_diagnostic;
	if (calling_convention_parse(fixture_abi_text, strlen(fixture_abi_text), "fixture.abi", &abi,
				     &abi_diagnostic) != TDXABI_OK)
		fail_msg("%s", abi_diagnostic.text);
	for (size_t index = 0; index < sizeof(malformed) / sizeof(malformed[0]); index++) {
		const struct malformed_case *entry = &malformed[index];
		struct binding binding;
		struct diagnostic diagnostic = {""};
		enum tdxabi_status status = binding_parse(entry->text, strlen(entry->text),
							  "b.binding", fixture_resolver, &abi,
							  &binding, &diagnostic);
		if (status != TDXABI_BAD_INPUT || !strstr(diagnostic.text, entry->expected))
			fail_msg("case at %s:%d: status %d, diagnostic \"%s\", expected \"%s\"", __FILE__,
				 entry->source_line, status, diagnostic.text, entry->expected);
	}
	calling_convention_free(&abi);
}

/* 'fault F returns NUMBER': a number of the stub's own, kept as a value. */
static void test_fault_returns_number(void **state)
{
	(void)state;
	struct calling_convention abi;
	struct diagnostic diagnostic = {""};
	if (calling_convention_parse(fixture_abi_text, strlen(fixture_abi_text), "fixture.abi", &abi,
				     &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	static const char text[] = HEAD ARGS "result status\nfault ud returns 0xFFFFFFFFFFFFFFFE\n"
					     "fault gp returns 7\n";
	struct binding binding;
	if (binding_parse(text, strlen(text), "b.binding", fixture_resolver, &abi, &binding,
			  &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	assert_int_equal(binding.outcomes[FAULT_UD].kind, OUTCOME_VALUE);
	assert_true(binding.outcomes[FAULT_UD].value == UINT64_C(0xFFFFFFFFFFFFFFFE));
	assert_int_equal(binding.outcomes[FAULT_GP].kind, OUTCOME_VALUE);
	assert_int_equal(binding.outcomes[FAULT_GP].value, 7);
	binding_free(&binding);
	calling_convention_free(&abi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_bindings),
		cmocka_unit_test(test_malformed_bindings_name_file_and_line),
		cmocka_unit_test(test_fault_returns_number),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
