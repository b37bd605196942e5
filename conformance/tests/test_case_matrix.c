/* test_case_matrix.c - which cases a binding gets: expressibility, fault
 * applicability and declaration, flag and NULL variants, leaf selection and
 * its errors; and binding_marshal() placing what the caller supplies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_matrix.h"
#include "marshal.h"
#include "poison_tag.h"
#include "test_support.h"

static size_t build(const struct catalog *catalog, const char *binding_name,
		    enum tdx_instruction instruction, const char *leaf, unsigned faults,
		    bool explicit_faults, struct check_case **cases)
{
	struct case_selection selection = {leaf, faults, explicit_faults, TD_CONFIG_DEFAULT_MASK, NULL};
	size_t count = 0;
	struct diagnostic diagnostic;
	if (case_matrix_build(catalog_find_binding(catalog, binding_name), catalog_default_spec(catalog),
			      instruction, &selection, cases, &count, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	return count;
}

static size_t count_where(const struct check_case *cases, size_t count, const char *leaf,
			  enum fault_scenario fault)
{
	size_t matches = 0;
	for (size_t index = 0; index < count; index++) {
		char name[128];
		check_case_leaf_name(&cases[index], name, sizeof(name));
		matches += strcmp(name, leaf) == 0 && cases[index].fault == fault &&
			   !cases[index].cannot_express && !cases[index].skip;
	}
	return matches;
}

static const struct check_case *find_case(const struct check_case *cases, size_t count,
					  const char *leaf)
{
	for (size_t index = 0; index < count; index++) {
		char name[128];
		check_case_leaf_name(&cases[index], name, sizeof(name));
		if (strcmp(name, leaf) == 0)
			return &cases[index];
	}
	fail_msg("no case for %s", leaf);
	return NULL;
}

static void test_host_module_call_cases(void **state)
{
	const struct catalog *catalog = *state;
	struct check_case *cases;
	size_t count = build(catalog, "linux-5.19-module-call", TDX_SEAMCALL, NULL, ALL_FAULTS, false,
			     &cases);
	/* versions 0 and 1, out may be NULL: four variants per fault; ud/gp are
	 * not declared by 5.19 */
	assert_int_equal(count_where(cases, count, "TDH.MNG.RD", FAULT_NONE), 4);
	assert_int_equal(count_where(cases, count, "TDH.MNG.RD", FAULT_VMFAILINVALID), 4);
	assert_int_equal(count_where(cases, count, "TDH.MNG.RD", FAULT_UD), 0);
	assert_int_equal(count_where(cases, count, "TDH.MNG.RD", FAULT_TDCALL_FAILURE), 0);
	const struct check_case *bind = find_case(cases, count, "TDH.SERVTD.BIND");
	assert_true(bind->cannot_express);
	assert_false(bind->cannot_express_fails);
	assert_contains(bind->reason, "needs R10 as input");
	free(cases);

	count = build(catalog, "linux-5.19-module-call", TDX_SEAMCALL, "TDH.MNG.RD",
		      1u << FAULT_UD, true, &cases);
	assert_int_equal(count, 2); /* one skip per version */
	assert_true(cases[0].skip && cases[1].skip);
	assert_int_equal(cases[1].version, 1);
	assert_contains(cases[0].reason, "promises no outcome for fault ud");
	free(cases);

	/* version 1 of TDH.MEM.SEPT.ADD also reads R9-R11: 5.19 carries R9 but
	 * not R10/R11, so only that version cannot be expressed */
	count = build(catalog, "linux-5.19-module-call", TDX_SEAMCALL, "TDH.MEM.SEPT.ADD",
		      1u << FAULT_NONE, false, &cases);
	assert_int_equal(count, 3); /* version 0 with out and out=NULL, version 1 */
	assert_false(cases[0].cannot_express || cases[1].cannot_express);
	assert_true(cases[2].cannot_express && cases[2].cannot_express_fails);
	assert_int_equal(cases[2].version, 1);
	assert_contains(cases[2].reason, "needs R10 R11 as input");
	free(cases);
}

static void test_hypercall_variants_and_masks(void **state)
{
	const struct catalog *catalog = *state;
	struct check_case *cases;
	size_t count = build(catalog, "linux-5.19-hypercall", TDX_TDCALL, NULL, ALL_FAULTS, false,
			     &cases);
	/* two flags: four flag values per applicable fault */
	assert_int_equal(count_where(cases, count, "TDG.VP.VMCALL<Instruction.HLT>", FAULT_NONE), 4);
	assert_int_equal(count_where(cases, count, "TDG.VP.VMCALL<Instruction.HLT>",
				     FAULT_TDCALL_FAILURE), 4);
	const struct check_case *fatal = find_case(cases, count, "TDG.VP.VMCALL<ReportFatalError>");
	assert_true(fatal->cannot_express);
	assert_contains(fatal->reason, "needs RDX RBX RSI RDI R8 R9 as input");
	for (size_t index = 0; index < count; index++)
		assert_string_equal(cases[index].leaf->name, "TDG.VP.VMCALL");
	char variant[64];
	struct check_case flagged = {.leaf = cases[0].leaf, .flags = 3};
	check_case_variant_name(catalog_find_binding(catalog, "linux-5.19-hypercall"),
				&flagged, variant, sizeof(variant));
	assert_string_equal(variant, "flags=0x3");
	free(cases);

	count = build(catalog, "linux-6.4-hypercall", TDX_TDCALL, NULL, ALL_FAULTS, false, &cases);
	assert_true(find_case(cases, count, "TDG.VP.VMCALL<Instruction.RDMSR>")->cannot_express);
	assert_contains(find_case(cases, count, "TDG.VP.VMCALL<Instruction.RDMSR>")->reason,
			"returns R11, which binding linux-6.4-hypercall does not carry out");
	assert_false(find_case(cases, count, "TDG.VP.VMCALL<ReportFatalError>")->cannot_express);
	free(cases);

	count = build(catalog, "linux-6.7-module-args-ret", TDX_TDCALL, NULL, ALL_FAULTS, false, &cases);
	assert_contains(find_case(cases, count, "TDG.VP.VMCALL<Instruction.HLT>")->reason,
			"declares no TDG.VP.VMCALL exposure mask");
	free(cases);
}

static void test_named_leaves(void **state)
{
	const struct catalog *catalog = *state;
	const struct spec_table *spec = catalog_default_spec(catalog);
	struct check_case *cases;
	size_t count = build(catalog, "linux-6.7-module-args-ret", TDX_SEAMCALL, "TDH.IMPORT.MEM",
			     ALL_FAULTS, false, &cases);
	assert_int_equal(count, 1);
	assert_true(cases[0].cannot_express && cases[0].cannot_express_fails);
	assert_contains(cases[0].reason, "needs R12 R13 as input");
	free(cases);
	count = build(catalog, "linux-6.7-module-args-saved-ret", TDX_SEAMCALL, "TDH.IMPORT.MEM",
		      ALL_FAULTS, false, &cases);
	assert_int_equal(count, 5); /* none, error-status, vmfailinvalid, ud, gp */
	free(cases);
	count = build(catalog, "linux-6.7-module-args-saved-ret", TDX_TDCALL, "Instruction.CPUID",
		      ALL_FAULTS, false, &cases);
	assert_int_equal(count, 5); /* none, error-status, tdcall-failure, vmm-retry, vmm-unusual-status */
	free(cases);
	count = build(catalog, "linux-6.7-module-args-saved-ret", TDX_TDCALL, "TDG.VP.VMCALL",
		      1u << FAULT_NONE, false, &cases);
	assert_int_equal(count, spec->vmcall_count);
	free(cases);

	struct case_selection selection = {"TDH.NO.SUCH.LEAF", ALL_FAULTS, false,
					  TD_CONFIG_DEFAULT_MASK, NULL};
	struct diagnostic diagnostic;
	const struct binding *binding = catalog_find_binding(catalog, "linux-6.7-module-args");
	assert_int_equal(case_matrix_build(binding, spec, TDX_SEAMCALL, &selection, &cases,
					   &count, &diagnostic), TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, " has no leaf or sub-function 'TDH.NO.SUCH.LEAF'");
	selection.leaf_name = "TDG.VM.RD";
	assert_int_equal(case_matrix_build(binding, spec, TDX_SEAMCALL, &selection, &cases,
					   &count, &diagnostic), TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "TDG.VM.RD is a tdcall leaf, but the stub issues seamcall");
	selection.leaf_name = "TDG.VM.RD";
	assert_int_equal(case_matrix_build(catalog_find_binding(catalog, "linux-6.3-hypercall"),
					   spec, TDX_TDCALL, &selection, &cases, &count,
					   &diagnostic), TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "always issues TDG.VP.VMCALL");
	selection.leaf_name = NULL;
	selection.fault_mask = 1u << FAULT_UD;
	assert_int_equal(case_matrix_build(binding, spec, TDX_TDCALL, &selection, &cases,
					   &count, &diagnostic), TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "none of the selected faults applies to a tdcall stub");
}

static void test_marshal_places_what_the_caller_supplies(void **state)
{
	const struct catalog *catalog = *state;
	const struct spec_table *spec = catalog_default_spec(catalog);
	const struct binding *binding = catalog_find_binding(catalog, "linux-5.19-module-call");
	struct check_case check_case = {
		.leaf = spec_table_find_leaf_by_name(spec, "TDG.VM.WR"),
		.null_objects = 0,
	};
	struct call_plan *plan = malloc(sizeof(*plan));
	binding_marshal(binding, &check_case, 9, plan);
	assert_int_equal(plan->registers[GPR_RDI], 8);                      /* the leaf */
	assert_int_equal(plan->registers[GPR_RSI], poison_tag(9, TAG_CALLER_INPUT, GPR_RCX));
	assert_int_equal(plan->registers[GPR_RCX], poison_tag(9, TAG_CALLER_INPUT, GPR_R8));
	assert_int_equal(plan->registers[GPR_R9], plan->object_address[0]);
	assert_int_equal(plan->registers[GPR_R12], poison_tag(9, TAG_CALLER_POISON, GPR_R12));
	assert_int_equal(plan->supplied[GPR_RAX], 8);
	assert_int_equal(plan->output_count, 6);
	assert_int_equal(call_plan_output(plan, GPR_R11)->address, plan->object_address[0] + 40);
	check_case.null_objects = 1;
	binding_marshal(binding, &check_case, 9, plan);
	assert_int_equal(plan->registers[GPR_R9], 0);
	assert_int_equal(plan->output_count, 0);

	binding = catalog_find_binding(catalog, "linux-6.7-module-args-saved-ret");
	check_case.null_objects = 0;
	check_case.leaf = spec_table_vmcall_leaf(spec);
	check_case.vmcall = spec_table_find_vmcall_by_name(spec, "Instruction.RDMSR");
	check_case.vmcall_mask = case_matrix_vmcall_mask(binding, check_case.vmcall);
	binding_marshal(binding, &check_case, 9, plan);
	uint64_t field;
	uint64_t args = plan->object_address[0] - LAYOUT_CALLER_MEMORY;
	memcpy(&field, plan->caller_memory + args + 0, 8);
	assert_int_equal(field, 0xFFCC);       /* args->rcx = the exposure mask */
	memcpy(&field, plan->caller_memory + args + 32, 8);
	assert_int_equal(field, 0);            /* args->r10 = standard TDVMCALL */
	memcpy(&field, plan->caller_memory + args + 40, 8);
	assert_int_equal(field, 0x1f);         /* args->r11 = RDMSR */
	memcpy(&field, plan->caller_memory + args + 104, 8);
	assert_int_equal(field, poison_tag(9, TAG_GUARD, 0xFF)); /* guard bytes after the struct */
	free(plan);
}

/* Versions, P-SEAMLDR leaves and the vendor sub-function, on a table of
 * their own: which cases they give and what the caller supplies. */
static void test_versions_seamldr_and_vendor_cases(void **state)
{
	const struct catalog *catalog = *state;
	const char text[] = "revision r | src: s\n"
			    "tdcall 0 TDG.VP.VMCALL in: rcx out: - exits: vmm | src: a\n"
			    "seamcall 11 TDH.MNG.RD in: rcx rdx out: rdx r8 versions: 1 | src: a\n"
			    "seamldr 0 SEAMLDR.INFO in: rcx out: - | src: a\n"
			    "vmcall vendor KVM.HYPERCALL in: r11 r12 r13 r14 out: - | src: a\n";
	struct spec_table spec;
	struct diagnostic diagnostic;
	assert_int_equal(spec_table_parse(text, strlen(text), "t.spec", NULL, NULL, &spec, &diagnostic),
			 TDXABI_OK);
	struct case_selection selection = {NULL, 1u << FAULT_NONE, false, TD_CONFIG_DEFAULT_MASK, NULL};
	struct check_case *cases;
	size_t count;
	const struct binding *module_call = catalog_find_binding(catalog, "linux-5.19-module-call");
	assert_int_equal(case_matrix_build(module_call, &spec, TDX_SEAMCALL, &selection, &cases,
					   &count, &diagnostic),
			 TDXABI_OK);
	/* TDH.MNG.RD at versions 0 and 1, each with out and out=NULL; SEAMLDR.INFO twice */
	assert_int_equal(count, 6);
	assert_int_equal(count_where(cases, count, "TDH.MNG.RD", FAULT_NONE), 4);
	assert_int_equal(count_where(cases, count, "SEAMLDR.INFO", FAULT_NONE), 2);
	char variant[128];
	check_case_variant_name(module_call, &cases[2], variant, sizeof(variant));
	assert_string_equal(variant, "version=1");
	assert_int_equal(check_case_rax(&cases[2]), 0x1000b);
	const struct check_case *info = find_case(cases, count, "SEAMLDR.INFO");
	struct call_plan *plan = malloc(sizeof(*plan));
	binding_marshal(module_call, info, 9, plan);
	assert_int_equal(plan->registers[GPR_RDI], 0x8000000000000000ull); /* fn, bit 63 */
	free(cases);

	/* the vendor call: R10 is the caller's (non-zero) call number, R11 its own */
	const struct binding *hypercall = catalog_find_binding(catalog, "linux-6.3-hypercall");
	assert_int_equal(case_matrix_build(hypercall, &spec, TDX_TDCALL, &selection, &cases, &count,
					   &diagnostic),
			 TDXABI_OK);
	const struct check_case *vendor = find_case(cases, count, "TDG.VP.VMCALL<KVM.HYPERCALL>");
	assert_false(vendor->cannot_express);
	binding_marshal(hypercall, vendor, 9, plan);
	assert_int_equal(plan->supplied[GPR_R10], poison_tag(9, TAG_CALLER_INPUT, GPR_R10));
	assert_int_equal(plan->supplied[GPR_R11], poison_tag(9, TAG_CALLER_INPUT, GPR_R11));
	assert_int_equal(spec_vmcall_vmm_inputs(vendor->vmcall),
			 REGISTER_BIT(GPR_R10) | REGISTER_BIT(GPR_R11) | REGISTER_BIT(GPR_R12) |
				 REGISTER_BIT(GPR_R13) | REGISTER_BIT(GPR_R14));
	free(plan);
	free(cases);
	spec_table_free(&spec);
}

/* Sweeps ask only the stubs that can issue the named leaf. */
static void test_which_stubs_a_leaf_reaches(void **state)
{
	const struct catalog *catalog = *state;
	const struct spec_table *spec = catalog_default_spec(catalog);
	static const struct {
		const char *binding;
		enum tdx_instruction instruction;
		const char *leaf;
		bool reaches;
	} cases[] = {
		{"linux-6.7-module-args-ret", TDX_SEAMCALL, "TDH.IMPORT.MEM", true},
		{"linux-6.7-module-args-ret", TDX_TDCALL, "TDH.IMPORT.MEM", false},
		{"linux-6.7-module-args-ret", TDX_TDCALL, "Instruction.RDMSR", false}, /* no mask */
		{"linux-6.7-module-args-saved-ret", TDX_TDCALL, "Instruction.RDMSR", true},
		{"linux-6.3-hypercall", TDX_TDCALL, "KVM.HYPERCALL", true},
		{"linux-6.3-hypercall", TDX_TDCALL, "TDG.VM.RD", false}, /* always TDG.VP.VMCALL */
		{"linux-5.19-module-call", TDX_TDCALL, "all", true},
		{"linux-5.19-module-call", TDX_TDCALL, "NO.SUCH.LEAF", true},
	};
	for (size_t index = 0; index < sizeof(cases) / sizeof(cases[0]); index++)
		if (case_matrix_reaches(catalog_find_binding(catalog, cases[index].binding), spec,
					cases[index].instruction, cases[index].leaf) != cases[index].reaches)
			fail_msg("%s %s: expected %s", cases[index].binding, cases[index].leaf,
				 cases[index].reaches ? "reached" : "not reached");
}

/* 'ignore-output': a leaf whose extra outputs the stub drops by design is a
 * case to run, not one the binding cannot express. */
static const struct calling_convention *only_abi(void *context, const char *name)
{
	(void)name;
	return context;
}

static void test_ignored_outputs_make_a_leaf_expressible(void **state)
{
	(void)state;
	static const char abi_text[] = "abi a | src: t\narguments rdi | src: t\n"
				       "stack-arguments 8 | src: t\nshadow-space 0 0 | src: t\n"
				       "callee-saved rbx | src: t\ncallee-saved-xmm - | src: t\n"
				       "result rax | src: t\ndirection-flag clear | src: t\n"
				       "other-registers caller-values | src: t\n";
	static const char head[] = "binding b | src: t\nabi a\nenvironment firmware\nprototype p\n"
				   "instructions tdcall\nargument 1 object s 16\nin rax s+0\n"
				   "out rcx s+8\nresult status\n";
	struct calling_convention abi;
	struct diagnostic diagnostic = {""};
	if (calling_convention_parse(abi_text, strlen(abi_text), "a.abi", &abi, &diagnostic) !=
	    TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	struct spec_leaf leaf = {.instruction = TDX_TDCALL, .name = "L",
				 .outputs = REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RDI)};
	char reason[160] = "";
	for (int ignoring = 0; ignoring <= 1; ignoring++) {
		char text[512];
		snprintf(text, sizeof(text), "%s%s", head, ignoring ? "ignore-output rdi\n" : "");
		struct binding binding;
		if (binding_parse(text, strlen(text), "b.binding", only_abi, &abi, &binding,
				  &diagnostic) != TDXABI_OK)
			fail_msg("%s", diagnostic.text);
		bool expressible = case_matrix_can_express(&binding, &leaf, 0, NULL, TD_CONFIG_NONE,
							   reason, sizeof(reason));
		assert_int_equal(expressible, ignoring);
		if (!ignoring)
			assert_non_null(strstr(reason, "returns RDI, which binding b does not carry out"));
		binding_free(&binding);
	}
	calling_convention_free(&abi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_module_call_cases),
		cmocka_unit_test(test_hypercall_variants_and_masks),
		cmocka_unit_test(test_named_leaves),
		cmocka_unit_test(test_marshal_places_what_the_caller_supplies),
		cmocka_unit_test(test_versions_seamldr_and_vendor_cases),
		cmocka_unit_test(test_which_stubs_a_leaf_reaches),
		cmocka_unit_test(test_ignored_outputs_make_a_leaf_expressible),
	};
	return cmocka_run_group_tests(tests, set_up_catalog, tear_down_catalog);
}
