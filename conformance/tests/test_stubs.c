/* test_stubs.c - the rules against real stubs: every bundled reference stub
 * passes every case, and every mutant of stubs/mutants/mutants.list trips its
 * rule and only it. Removing any check makes its mutant's test fail. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table_rows.h"
#include "test_support.h"

static void run(const struct catalog *catalog, const char *object, const char *symbol,
		const char *binding, const char *leaf, struct check_report *report)
{
	struct diagnostic diagnostic;
	memset(report, 0, sizeof(*report));
	if (check_test_stub(catalog, object, symbol, binding, leaf, report, &diagnostic) !=
	    TDXABI_OK)
		fail_msg("%s: %s", symbol, diagnostic.text);
}

/* A case that fails only because the module zeroes RBP in a NO_RBP_MOD TD
 * (no-rbp-mod-zeroes:, 1.5.01's async TD exit): a stub that counts on
 * NO_RBP_MOD, as KVM's __seamcall_saved_ret does, cannot survive it. */
static bool is_module_rbp_clobber(const struct spec_table *spec, const struct check_result *result)
{
	const struct spec_leaf *leaf = spec_table_find_leaf_by_name(spec, result->leaf);
	return leaf && leaf->zeroed_under_no_rbp_mod && strstr(result->variant, "td=no-rbp-mod") &&
	       result->violation_count == 1 &&
	       result->violations[0].rule == RULE_CALLEE_SAVED_CLOBBERED &&
	       result->violations[0].tdx_register == GPR_RBP &&
	       strstr(result->violations[0].detail, "holds 0x0 at return, written by ") != NULL;
}

/* Every bundled firmware binding has a reference stub (Linux's C wrapper
 * __tdx_hypercall has none: the kernel trees check it), and every one
 * passes every case its binding can express, under every bundled revision
 * and TD configuration, but for the module's own RBP clobber, which the
 * host stub that carries TDH.VP.ENTER must meet. */
static void test_reference_stubs_pass_everything(void **state)
{
	const struct catalog *catalog = *state;
	for (size_t binding = 0; binding < catalog->binding_count; binding++) {
		if (strcmp(catalog->bindings[binding].environment, "firmware") != 0)
			continue;
		bool has_stub = false;
		for (size_t index = 0; index < catalog->stub_count; index++)
			has_stub |= strcmp(catalog->stubs[index].binding,
					   catalog->bindings[binding].name) == 0;
		if (!has_stub)
			fail_msg("binding %s has no reference stub", catalog->bindings[binding].name);
	}
	assert_true(catalog->spec_count >= 3);
	size_t module_clobbers = 0;
	for (size_t spec = 0; spec < catalog->spec_count; spec++) {
		for (size_t index = 0; index < catalog->stub_count; index++) {
			const struct reference_stub *stub = &catalog->stubs[index];
			char path[512];
			snprintf(path, sizeof(path), "%s/reference/%s", TDXABI_STUB_DIR, stub->object);
			struct check_report report;
			struct diagnostic diagnostic;
			memset(&report, 0, sizeof(report));
			if (check_test_stub_under(catalog, &catalog->specs[spec], path, stub->symbol,
						  stub->binding, NULL, TD_CONFIG_ALL_MASK, &report,
						  &diagnostic) != TDXABI_OK)
				fail_msg("%s: %s", stub->symbol, diagnostic.text);
			struct report_totals totals = check_report_totals(&report);
			for (size_t which = 0; which < report.result_count && totals.fail; which++) {
				const struct check_result *result = &report.results[which];
				if (result->verdict == VERDICT_FAIL &&
				    is_module_rbp_clobber(&catalog->specs[spec], result))
					module_clobbers++;
				else if (result->verdict == VERDICT_FAIL)
					fail_msg("%s under %s: %s fault %s %s: %s: %s", stub->symbol,
						 catalog->specs[spec].revision, result->leaf,
						 result->fault, result->variant,
						 rule_id(result->violations[0].rule),
						 result->violations[0].detail);
			}
			assert_true(totals.pass > 0);
			check_report_free(&report);
		}
	}
	assert_true(module_clobbers > 0); /* tdx-1.5: __seamcall_saved_ret on TDH.VP.ENTER */
}

struct mutant_run {
	const struct catalog *catalog;
	bool covered[RULE_COUNT];
};

/* One row of mutants.list: the row's rule must appear, no other may. */
static enum tdxabi_status check_mutant(void *context, const struct table_row *row,
				       struct diagnostic *diagnostic)
{
	(void)diagnostic;
	struct mutant_run *run_state = context;
	assert_true(row->field_count == 5 || row->field_count == 6);
	const struct spec_table *spec = row->field_count == 6
						? catalog_find_spec(run_state->catalog, row->fields[5])
						: catalog_default_spec(run_state->catalog);
	if (!spec)
		fail_msg("mutants.list:%u: no bundled spec %s", row->line, row->fields[5]);
	enum rule rule = RULE_COUNT;
	for (int candidate = 0; candidate < RULE_COUNT; candidate++)
		if (strcmp(rule_id((enum rule)candidate), row->fields[0]) == 0)
			rule = (enum rule)candidate;
	if (rule == RULE_COUNT)
		fail_msg("mutants.list:%u: unknown rule %s", row->line, row->fields[0]);
	char path[512];
	snprintf(path, sizeof(path), "%s/mutants/%s", TDXABI_STUB_DIR, row->fields[1]);
	struct check_report report = {0};
	struct diagnostic failure;
	if (check_test_stub_under(run_state->catalog, spec, path, row->fields[2], row->fields[3],
				  row->fields[4], 0, &report, &failure) != TDXABI_OK)
		fail_msg("mutants.list:%u: %s", row->line, failure.text);
	size_t failing = 0;
	for (size_t index = 0; index < report.result_count; index++) {
		const struct check_result *result = &report.results[index];
		failing += result->verdict == VERDICT_FAIL;
		for (size_t which = 0; which < result->violation_count; which++) {
			const struct violation *violation = &result->violations[which];
			if (violation->rule != rule)
				fail_msg("mutants.list:%u: %s also tripped %s (%s, fault %s): %s", row->line,
					 row->fields[2], rule_id(violation->rule), result->leaf,
					 result->fault, violation->detail);
			/* the finding names the line the mutant's source marks as its defect
			 * (a binding that cannot carry a leaf names no code at all) */
			if (rule != RULE_BINDING_CANNOT_EXPRESS &&
			    !strstr(violation->source_text, "defect"))
				fail_msg("mutants.list:%u: %s: %s points at %s:%u \"%s\" (%s), not at a "
					 "line marked 'defect' (leaf %s, fault %s)",
					 row->line, row->fields[2], row->fields[0], violation->source_file,
					 violation->source_line, violation->source_text,
					 violation->location, result->leaf, result->fault);
		}
	}
	if (failing == 0)
		fail_msg("mutants.list:%u: %s did not trip %s", row->line, row->fields[2],
			 row->fields[0]);
	run_state->covered[rule] = true;
	check_report_free(&report);
	return TDXABI_OK;
}

static void test_each_mutant_trips_only_its_rule(void **state)
{
	struct mutant_run run_state = {.catalog = *state};
	size_t size;
	uint8_t *list = read_test_file(TDXABI_SOURCE_DIR "/stubs/mutants/mutants.list", &size);
	struct diagnostic diagnostic;
	if (table_rows_each("mutants.list", (const char *)list, size, check_mutant, &run_state,
			    &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	free(list);
	for (int rule = 0; rule < RULE_COUNT; rule++)
		if (!run_state.covered[rule])
			fail_msg("no mutant proves rule %s", rule_id((enum rule)rule));
}

static const struct violation *first_violation(const struct check_report *report, enum rule rule,
					       const struct check_result **where)
{
	for (size_t index = 0; index < report->result_count; index++)
		for (size_t which = 0; which < report->results[index].violation_count; which++)
			if (report->results[index].violations[which].rule == rule) {
				*where = &report->results[index];
				return &report->results[index].violations[which];
			}
	fail_msg("no %s violation", rule_id(rule));
	return NULL;
}

/* The findings carry what a developer needs: register, values, instruction. */
static void test_findings_name_register_values_and_instruction(void **state)
{
	const struct catalog *catalog = *state;
	struct check_report report;
	const struct check_result *result;
	run(catalog, TDXABI_STUB_DIR "/mutants/input_not_passed.o", "tdxabi_mutant_forgets_r9",
	    "linux-6.7-module-args-ret", "TDG.VM.WR", &report);
	const struct violation *violation = first_violation(&report, RULE_INPUT_NOT_PASSED, &result);
	assert_int_equal(violation->tdx_register, GPR_R9);
	assert_true(violation->has_rip && violation->has_expected && violation->has_actual);
	assert_string_equal(violation->instruction, "tdcall");
	assert_string_equal(violation->location, "tdxabi_mutant_forgets_r9+0x17");
	assert_contains(violation->detail, "the caller's R9 at entry");
	assert_contains(violation->detail, "the caller's input for R9");
	check_report_free(&report);

	run(catalog, TDXABI_STUB_DIR "/mutants/status_mismatch.o", "tdxabi_mutant_ignores_cf",
	    "linux-6.7-module-args", "TDH.MNG.CREATE", &report);
	violation = first_violation(&report, RULE_STATUS_MISMATCH, &result);
	assert_string_equal(result->fault, "vmfailinvalid");
	assert_int_equal(violation->expected, 0x8000FF00FFFF0000ull);
	assert_int_equal(violation->actual, 9); /* the leaf number, still in RAX */
	check_report_free(&report);

	run(catalog, TDXABI_STUB_DIR "/mutants/stray_write.o", "tdxabi_mutant_writes_past_args",
	    "linux-6.7-module-args-ret", "TDG.VP.INFO", &report);
	violation = first_violation(&report, RULE_STRAY_WRITE, &result);
	assert_string_equal(violation->instruction, "movq %rax, 0x68(%rsi)");
	assert_contains(violation->detail, "args+104, past the end of the 104-byte args");
	check_report_free(&report);

	run(catalog, TDXABI_STUB_DIR "/mutants/vmm_value_leaked.o", "tdxabi_mutant_keeps_vmm_rsi",
	    "linux-6.4-hypercall-ret", "Instruction.HLT", &report);
	violation = first_violation(&report, RULE_VMM_VALUE_LEAKED, &result);
	assert_int_equal(violation->tdx_register, GPR_RSI);
	check_report_free(&report);

	run(catalog, TDXABI_FIXTURE_DIR "/regressions.o", "regression_lock_cmpsb", "linux-6.7-module-args",
	    "TDG.MR.REPORT", &report);
	violation = first_violation(&report, RULE_EMULATION_FAULT, &result);
	assert_contains(violation->instruction, "(bad: f0 a6 c3");
	check_report_free(&report);

	run(catalog, TDXABI_STUB_DIR "/mutants/fault_unhandled.o", "tdxabi_mutant_no_extable",
	    "linux-6.7-module-args", "TDH.MNG.CREATE", &report);
	violation = first_violation(&report, RULE_FAULT_UNHANDLED, &result);
	assert_string_equal(violation->instruction, "seamcall");
	check_report_free(&report);
}

/* Hypercall bindings: a failed TDCALL must end in the declared panic path. */
static void test_hypercall_panic_path(void **state)
{
	const struct catalog *catalog = *state;
	struct check_report report;
	run(catalog, TDXABI_STUB_DIR "/reference/hypercall_5_19.o", "tdxabi_hypercall_5_19",
	    "linux-5.19-hypercall", "Instruction.HLT", &report);
	size_t failures_tested = 0;
	for (size_t index = 0; index < report.result_count; index++) {
		if (strcmp(report.results[index].fault, "tdcall-failure") != 0)
			continue;
		assert_int_equal(report.results[index].verdict, VERDICT_PASS);
		failures_tested++;
	}
	assert_int_equal(failures_tested, 4); /* one per flags value */
	check_report_free(&report);
	/* 6.7+: the status comes back and the C caller (tdx-shared.c) panics */
	run(catalog, TDXABI_STUB_DIR "/reference/module_args_6_7.o", "tdxabi_tdcall_saved_ret",
	    "linux-6.7-module-args-saved-ret", "Instruction.HLT", &report);
	assert_int_equal(check_report_totals(&report).fail, 0);
	check_report_free(&report);
}

/* A LOCK CMP written over the stub's own code at run time is vetted before
 * it is translated: the write is a stray-write, running it an
 * emulation-fault naming it, and the tool lives on. */
static void test_code_written_at_run_time_is_vetted(void **state)
{
	const struct catalog *catalog = *state;
	struct check_report report;
	run(catalog, TDXABI_FIXTURE_DIR "/regressions.o", "regression_writes_lock_cmp",
	    "linux-6.7-module-args", NULL, &report);
	bool stray = false, vetted = false;
	for (size_t which = 0; which < report.result_count; which++)
		for (size_t k = 0; k < report.results[which].violation_count; k++) {
			const struct violation *violation = &report.results[which].violations[k];
			stray |= violation->rule == RULE_STRAY_WRITE;
			vetted |= violation->rule == RULE_EMULATION_FAULT &&
				  strstr(violation->detail, "invalid instruction") != NULL;
		}
	assert_true(stray);
	assert_true(vetted);
	check_report_free(&report);
	/* TDCALLs written at run time for ever: the restarts share one budget */
	run(catalog, TDXABI_FIXTURE_DIR "/regressions.o", "regression_writes_tdcalls_forever",
	    "linux-6.7-module-args", "TDG.MR.RTMR.EXTEND", &report);
	bool ended = false;
	for (size_t which = 0; which < report.result_count; which++)
		for (size_t k = 0; k < report.results[which].violation_count; k++)
			ended |= report.results[which].violations[k].rule == RULE_EMULATION_FAULT;
	assert_true(ended);
	check_report_free(&report);
}

/* Stubs that once fooled or broke the harness: each must trip its rule in
 * some case and no other rule in any (RULE_COUNT: every case passes). */
static void test_regressions(void **state)
{
	const struct catalog *catalog = *state;
	static const struct {
		const char *symbol, *binding, *leaf;
		enum rule rule;
	} cases[] = {
		{"regression_panics_without_tdcall", "linux-6.4-hypercall", NULL, RULE_INPUT_NOT_PASSED},
		{"regression_saved_ret_skips_rbx_rdi_rsi", "linux-6.7-module-args-saved-ret",
		 "Instruction.HLT", RULE_OUTPUT_NOT_STORED},
		{"regression_straddles_return_slot", "linux-6.7-module-args", NULL, RULE_STRAY_WRITE},
		{"regression_stray_after_many_stores", "linux-6.7-module-args-ret", NULL, RULE_STRAY_WRITE},
		{"regression_fifth_tdcall_loses_inputs", "linux-6.7-module-args", NULL,
		 RULE_INPUT_NOT_PASSED},
		{"regression_lock_cmpsb", "linux-6.7-module-args", NULL, RULE_EMULATION_FAULT},
		{"regression_many_sites", "linux-6.7-module-args", NULL, RULE_COUNT},
		{"regression_many_sites_halts", "linux-6.7-module-args", NULL, RULE_EMULATION_FAULT},
		{"regression_hypercall_zeroes_rdi", "linux-6.4-hypercall-ret", NULL, RULE_OUTPUT_NOT_STORED},
		{"regression_rewrites_its_tdcall", "linux-6.7-module-args", NULL, RULE_STRAY_WRITE},
		{"regression_lock_cmp_immediate", "linux-6.7-module-args", NULL, RULE_EMULATION_FAULT},
		{"regression_far_call_register", "linux-6.7-module-args", NULL, RULE_EMULATION_FAULT},
		{"regression_arms_dr7", "linux-6.7-module-args", NULL, RULE_EMULATION_FAULT},
		{"regression_far_jump", "linux-6.7-module-args", NULL, RULE_EMULATION_FAULT},
		{"regression_jumps_into_iret", "linux-6.7-module-args", NULL, RULE_EMULATION_FAULT},
		{"regression_jumps_into_lock_cmp", "linux-6.7-module-args", NULL,
		 RULE_EMULATION_FAULT},
		{"regression_jumps_into_rex_lock_cmp", "linux-6.7-module-args", NULL,
		 RULE_EMULATION_FAULT},
	};
	for (size_t index = 0; index < sizeof(cases) / sizeof(cases[0]); index++) {
		struct check_report report;
		run(catalog, TDXABI_FIXTURE_DIR "/regressions.o", cases[index].symbol, cases[index].binding,
		    cases[index].leaf, &report);
		size_t ran = 0, failed = 0;
		for (size_t which = 0; which < report.result_count; which++) {
			const struct check_result *result = &report.results[which];
			ran += result->verdict != VERDICT_SKIP;
			failed += result->verdict == VERDICT_FAIL;
			for (size_t k = 0; k < result->violation_count; k++)
				if (result->violations[k].rule != cases[index].rule)
					fail_msg("%s also tripped %s: %s", cases[index].symbol,
						 rule_id(result->violations[k].rule),
						 result->violations[k].detail);
		}
		if (ran == 0 || (failed == 0) != (cases[index].rule == RULE_COUNT))
			fail_msg("%s: %zu cases ran, %zu failed", cases[index].symbol, ran, failed);
		check_report_free(&report);
	}
}

/* A jump into the middle of an instruction: the refused instruction there
 * is stopped before it runs (a guard), or before it is translated (an exit,
 * for what Unicorn's translator cannot take), never executed. */
static void test_jumps_into_instructions_are_vetted(void **state)
{
	const struct catalog *catalog = *state;
	static const char *const expected[][2] = {
		{"regression_jumps_into_iret", "unexpected instruction at regression_jumps_into_iret+"},
		{"regression_jumps_into_lock_cmp",
		 "invalid instruction at regression_jumps_into_lock_cmp+"},
		{"regression_jumps_into_rex_lock_cmp",
		 "invalid instruction at regression_jumps_into_rex_lock_cmp+"},
	};
	for (size_t index = 0; index < sizeof(expected) / sizeof(expected[0]); index++) {
		struct check_report report;
		run(catalog, TDXABI_FIXTURE_DIR "/regressions.o", expected[index][0],
		    "linux-6.7-module-args", "TDG.MR.RTMR.EXTEND", &report);
		assert_true(report.result_count > 0);
		for (size_t which = 0; which < report.result_count; which++) {
			if (report.results[which].verdict == VERDICT_SKIP)
				continue;
			assert_int_equal(report.results[which].violation_count, 1);
			assert_contains(report.results[which].violations[0].detail, expected[index][1]);
		}
		check_report_free(&report);
	}
}

/* Checks a stub against a spec table of the test's own. */
static void run_under_table(const char *object, const char *symbol, const struct binding *binding,
			    const char *table_text, struct check_report *report)
{
	struct spec_table table;
	struct diagnostic diagnostic;
	if (spec_table_parse(table_text, strlen(table_text), "fixture.spec", NULL, NULL, &table,
			     &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	memset(report, 0, sizeof(*report));
	if (check_test_stub_with(binding, &table, object, symbol, NULL, 0, report, &diagnostic) !=
	    TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	spec_table_free(&table);
}

/* out-flags: on any bit, a flagged output left in a register is still
 * known for what it is (here bit 0 in the tag's nonce, bit 40 in its index). */
static void test_flagged_outputs_keep_their_origin(void **state)
{
	const struct catalog *catalog = *state;
	static const char table_text[] =
		"revision flag-fixture | src: test\n"
		"status TDX_SUCCESS 0 | src: t\n"
		"status TDX_OPERAND_INVALID 0xC000010000000000 | src: t\n"
		"status TDX_SW_ERROR 0x8000FF0000000000 | src: t\n"
		"status TDX_SEAMCALL_VMFAILINVALID 0x8000FF00FFFF0000 | src: t\n"
		"seamcall 9 ENTERS in: rcx out: rcx rdx exits: td out-flags: rcx:0 rdx:40 | src: t\n";
	struct check_report report;
	run_under_table(TDXABI_STUB_DIR "/reference/module_args_6_7.o", "tdxabi_seamcall_ret",
			catalog_find_binding(catalog, "linux-6.7-module-args-ret"), table_text,
			&report);
	bool rcx = false, rdx = false;
	for (size_t index = 0; index < report.result_count; index++)
		for (size_t which = 0; which < report.results[index].violation_count; which++) {
			const struct violation *violation = &report.results[index].violations[which];
			assert_int_equal(violation->rule, RULE_VMM_VALUE_LEAKED);
			rcx |= strstr(violation->detail, "RCX still holds the TD's value for RCX") != NULL;
			rdx |= strstr(violation->detail, "RDX still holds the TD's value for RDX") != NULL;
		}
	assert_true(rcx && rdx);
	check_report_free(&report);
}

/* Runs a stub of vector_clearing.S on the one leaf of a table of this
 * test's own whose row ends in `clears` ("" for none); how many of its
 * results have a callee-saved-clobbered XMM finding (every other case must
 * pass). */
static size_t xmm_clobbers(const struct catalog *catalog, const char *symbol, const char *clears)
{
	static const char binding_text[] =
		"binding test-ms-x64-seamcall | src: test\n"
		"abi ms-x64\n"
		"environment firmware\n"
		"prototype UINT64 EFIAPI SeamCall(UINT64 Leaf, UINT64 Rcx, UINT64 Rdx, UINT64 R8)\n"
		"instructions seamcall\n"
		"argument 1 leaf\n"
		"argument 2 register rcx\n"
		"argument 3 register rdx\n"
		"argument 4 register r8\n"
		"result status\n";
	char table_text[512];
	snprintf(table_text, sizeof(table_text),
		 "revision vector-fixture | src: test\n"
		 "status TDX_SUCCESS 0 | src: t\n"
		 "status TDX_OPERAND_INVALID 0xC000010000000000 | src: t\n"
		 "seamcall 68 MIGRATES in: rcx rdx r8 out: - %s | src: t\n",
		 clears);
	struct binding binding;
	struct diagnostic diagnostic;
	if (binding_parse(binding_text, strlen(binding_text), "test.binding", catalog_abi_resolver,
			  (void *)catalog, &binding, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	struct check_report report;
	run_under_table(TDXABI_FIXTURE_DIR "/vector_clearing.o", symbol, &binding, table_text,
			&report);
	size_t clobbered = 0;
	for (size_t index = 0; index < report.result_count; index++) {
		const struct check_result *result = &report.results[index];
		for (size_t which = 0; which < result->violation_count; which++) {
			const struct violation *violation = &result->violations[which];
			if (violation->rule != RULE_CALLEE_SAVED_CLOBBERED ||
			    violation->observed != OBSERVED_XMM_AT_END)
				fail_msg("%s: %s: %s", symbol, rule_id(violation->rule), violation->detail);
			assert_contains(violation->detail, "and MIGRATES zeroes ");
			/* it names the SEAMCALL, after which XMM6-15 were 0 */
			assert_contains(violation->instruction, "seamcall");
		}
		clobbered += result->violation_count == 10; /* XMM6-15 */
	}
	assert_true(report.result_count > 0);
	check_report_free(&report);
	binding_free(&binding);
	return clobbered;
}

/* clears: the module zeroes the VMM's vector registers after a migration
 * leaf: a stub whose convention keeps XMM6-15 must save them around it. */
static void test_cleared_vector_registers(void **state)
{
	const struct catalog *catalog = *state;
	assert_int_equal(xmm_clobbers(catalog, "vector_clearing_keeps_nothing", ""), 0);
	assert_true(xmm_clobbers(catalog, "vector_clearing_keeps_nothing", "clears: xmm") > 0);
	assert_true(xmm_clobbers(catalog, "vector_clearing_keeps_nothing", "clears: ymm") > 0);
	assert_int_equal(xmm_clobbers(catalog, "vector_clearing_saves_xmm", "clears: ymm"), 0);
}

/* A report holds a bounded number of results: past it, one clear refusal. */
static void test_run_wide_case_bound(void **state)
{
	const struct catalog *catalog = *state;
	struct check_report report = {0};
	report.capacity = report.result_count = CHECK_REPORT_MAX_RESULTS - 10;
	report.results = calloc(report.capacity, sizeof(*report.results));
	assert_non_null(report.results);
	struct diagnostic diagnostic;
	assert_int_equal(check_test_stub(catalog, TDXABI_STUB_DIR "/reference/module_args_6_7.o",
					 "tdxabi_seamcall_ret", "linux-6.7-module-args-ret", NULL,
					 &report, &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "tdxabi_seamcall_ret: more than 250000 cases held at once");
	assert_int_equal(report.result_count, CHECK_REPORT_MAX_RESULTS - 10);
	check_report_free(&report);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_stubs_pass_everything),
		cmocka_unit_test(test_each_mutant_trips_only_its_rule),
		cmocka_unit_test(test_findings_name_register_values_and_instruction),
		cmocka_unit_test(test_hypercall_panic_path),
		cmocka_unit_test(test_regressions),
		cmocka_unit_test(test_code_written_at_run_time_is_vetted),
		cmocka_unit_test(test_jumps_into_instructions_are_vetted),
		cmocka_unit_test(test_flagged_outputs_keep_their_origin),
		cmocka_unit_test(test_cleared_vector_registers),
		cmocka_unit_test(test_run_wide_case_bound),
	};
	return cmocka_run_group_tests(tests, set_up_catalog, tear_down_catalog);
}
