/* test_static_audit.c - the static audit against the dynamic runs: on every
 * bundled reference stub and mutant, every register an instruction changed
 * at run time is in the audit's writes and every instruction run is in its
 * graph; the reference stubs have no static finding; the mutants whose
 * defect the audit can see statically are found at their defect line; and
 * `tdxabi audit` as a user runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void audit_file(const struct catalog *catalog, const char *path, const char *symbol,
		       const char *binding_name, struct audit_result *audit)
{
	const struct binding *binding = catalog_find_binding(catalog, binding_name);
	assert_non_null(binding);
	struct object_image image;
	load_test_object(path, &image);
	audit_agrees_with_runs(catalog_default_spec(catalog), &image, symbol, binding, audit);
	object_image_free(&image);
}

static void test_reference_stubs_agree_and_are_clean(void **state)
{
	const struct catalog *catalog = *state;
	struct audit_result *audit = malloc(sizeof(*audit));
	for (size_t index = 0; index < catalog->stub_count; index++) {
		const struct reference_stub *stub = &catalog->stubs[index];
		char path[512];
		snprintf(path, sizeof(path), "%s/reference/%s", TDXABI_STUB_DIR, stub->object);
		audit_file(catalog, path, stub->symbol, stub->binding, audit);
		if (audit->finding_count)
			fail_msg("%s: the audit finds %s: %s", stub->symbol,
				 rule_id(audit->findings[0].rule), audit->findings[0].detail);
		assert_true(audit->block_count > 0);
		assert_true(audit->return_count > 0 || strstr(stub->binding, "ap-mailbox-loop"));
		assert_true(audit->tdx_count > 0);
	}
	free(audit);
}

/* The rules a static walk decides: whatever path a run takes. */
static bool static_rule(enum rule rule)
{
	return rule == RULE_STACK_IMBALANCE || rule == RULE_CALLEE_SAVED_CLOBBERED ||
	       rule == RULE_FAULT_UNHANDLED;
}

static void test_mutants_agree_and_static_defects_are_found(void **state)
{
	const struct catalog *catalog = *state;
	struct mutant_row rows[64];
	size_t count = read_mutant_rows(rows, 64), found = 0;
	struct audit_result *audit = malloc(sizeof(*audit));
	for (size_t row = 0; row < count; row++) {
		char path[512];
		snprintf(path, sizeof(path), "%s/mutants/%s", TDXABI_STUB_DIR, rows[row].object);
		audit_file(catalog, path, rows[row].symbol, rows[row].binding, audit);
		enum rule rule = RULE_COUNT;
		for (int candidate = 0; candidate < RULE_COUNT; candidate++)
			if (strcmp(rule_id((enum rule)candidate), rows[row].rule) == 0)
				rule = (enum rule)candidate;
		/* the audit follows the GPRs: a defect of the XMM registers is the
		 * dynamic run's to find */
		if (!static_rule(rule) || strstr(rows[row].symbol, "xmm"))
			continue;
		bool seen = false;
		for (size_t index = 0; index < audit->finding_count; index++)
			seen |= audit->findings[index].rule == rule;
		if (!seen)
			fail_msg("%s: the audit misses its %s", rows[row].symbol, rows[row].rule);
		found++;
	}
	assert_true(found >= 5);
	free(audit);
}

static void test_audit_command(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){
		"audit", "--object", TDXABI_STUB_DIR "/mutants/callee_saved_clobbered.o", "--binding",
		"linux-6.7-module-args-ret", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "audit " TDXABI_STUB_DIR "/mutants/callee_saved_clobbered.o:tdxabi_mutant_naive_r12_r14");
	assert_contains(run.out, "  control flow: ");
	assert_contains(run.out, "  reads before writing: RSI RDI\n");
	assert_contains(run.out, "seamcall at +0x");
	/* the finding at the defect line, once per register */
	assert_contains(run.out, "callee_saved_clobbered.S:10: ");
	assert_contains(run.out, ": callee-saved-clobbered: R12: ");
	assert_true(strstr(strstr(run.out, ": R12: ") + 1, ": R12: ") == NULL);
	free_run(&run);
	run = run_tool((const char *[]){"audit", "--object", TDXABI_STUB_DIR "/reference/module_args_6_7.o",
					"--symbol", "tdxabi_seamcall_ret", "--binding",
					"linux-6.7-module-args-ret", "--format", "json", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_json(run.out);
	assert_contains(run.out, "\"function\":\"tdxabi_seamcall_ret\"");
	assert_contains(run.out, "\"instruction\":\"seamcall\",\"ud_fixup\":\"0x");
	assert_contains(run.out, "\"findings\":[]");
	free_run(&run);
	static const struct {
		const char *arguments[10];
		const char *message;
	} bad[] = {
		{{"audit", NULL}, "needs --object"},
		{{"audit", "--object", "/nonexistent.o", NULL}, "/nonexistent.o"},
		{{"audit", "--object", "a.o", "--object", "b.o", NULL}, "--object given twice"},
		{{"audit", "--object", TDXABI_STUB_DIR "/reference/module_args_6_7.o", "--format", "ktap",
		  NULL},
		 "is not text, json or sarif"},
		{{"audit", "--object", TDXABI_STUB_DIR "/reference/module_args_6_7.o", "--symbol", "nope",
		  "--binding", "linux-6.7-module-args", NULL},
		 "no function 'nope'"},
	};
	for (size_t index = 0; index < sizeof(bad) / sizeof(bad[0]); index++)
		expect_bad_input(bad[index].arguments, bad[index].message);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_stubs_agree_and_are_clean),
		cmocka_unit_test(test_mutants_agree_and_static_defects_are_found),
		cmocka_unit_test(test_audit_command),
	};
	return cmocka_run_group_tests(tests, set_up_catalog, tear_down_catalog);
}
