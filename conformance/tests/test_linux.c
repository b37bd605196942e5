/* test_linux.c - `--linux` on Debian's 6.1 and 6.12 kernels (extracted by the
 * linux_trees_extract fixture; skipped when a package is not installed):
 * every function passes in every variant, its binding found from the tree;
 * breaking a temporary copy of the tree or of the shims fails with the right
 * rule; trees of an unknown shape, without stubs, or no tree at all are
 * refused with one line. The cache is only read, never patched. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux_check.h"
#include "test_support.h"

#define TREES TDXABI_TEST_CACHE "/trees"
#define BUILDS TDXABI_TEST_CACHE "/builds"

static const char *tree_or_skip(const char *version)
{
	static char path[512];
	char marker[600];
	snprintf(path, sizeof(path), "%s/linux-source-%s", TREES, version);
	snprintf(marker, sizeof(marker), "%s/.complete", path);
	if (access(marker, F_OK) != 0) {
		print_message("linux-source-%s is not installed: skipped\n", version);
		skip();
	}
	return path;
}

static void shell(const char *format, ...) __attribute__((format(printf, 1, 2)));

static void shell(const char *format, ...)
{
	char command[2048];
	va_list arguments;
	va_start(arguments, format);
	vsnprintf(command, sizeof(command), format, arguments);
	va_end(arguments);
	if (system(command) != 0)
		fail_msg("'%s' failed", command);
}

/* A scratch copy of a tree (or of the shims) that a test may patch. */
static const char *scratch_copy(const char *source, const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/scratch/%s", TDXABI_TEST_CACHE, name);
	shell("rm -rf '%s' && mkdir -p \"$(dirname '%s')\"", path, path);
	shell("cp -r '%s' '%s'", source, path);
	return path;
}

static void replace_in_file(const char *path, const char *old, const char *new)
{
	size_t size;
	char *text = (char *)read_test_file(path, &size);
	char *found = strstr(text, old);
	if (!found)
		fail_msg("%s does not contain \"%s\"", path, old);
	FILE *file = fopen(path, "wb");
	fwrite(text, 1, (size_t)(found - text), file);
	fputs(new, file);
	fputs(found + strlen(old), file);
	fclose(file);
	free(text);
}

struct linux_run {
	struct check_report report;
	struct linux_summary *summary;
	enum tdxabi_status status;
	struct diagnostic diagnostic;
};

static void run_linux_under(const struct catalog *catalog, const char *tree,
			    const struct spec_table *spec, struct linux_run *run)
{
	struct shim_file *shims;
	size_t shim_count;
	if (catalog_shims(&shims, &shim_count, &run->diagnostic) != TDXABI_OK)
		fail_msg("%s", run->diagnostic.text);
	struct check_options options = {
		.spec = spec,
		.selection = {.leaf_name = NULL, .fault_mask = ALL_FAULTS},
		.seed = 1,
		.instruction_budget = DEFAULT_INSTRUCTION_BUDGET,
	};
	struct linux_check_request request = {tree, BUILDS, shims, shim_count, catalog, &options};
	memset(&run->report, 0, sizeof(run->report));
	run->summary = calloc(1, sizeof(*run->summary));
	run->diagnostic.text[0] = '\0';
	run->status = linux_check_run(&request, &run->report, run->summary, &run->diagnostic);
	free(shims);
}

static void run_linux(const struct catalog *catalog, const char *tree, struct linux_run *run)
{
	run_linux_under(catalog, tree, catalog_default_spec(catalog), run);
}

static void free_linux_run(struct linux_run *run)
{
	check_report_free(&run->report);
	free(run->summary);
}

static const struct linux_function_summary *function(const struct linux_run *run,
						     const char *name)
{
	for (size_t index = 0; index < run->summary->function_count; index++)
		if (strcmp(run->summary->functions[index].function, name) == 0)
			return &run->summary->functions[index];
	fail_msg("no function %s in the summary", name);
	return NULL;
}

static bool has_rule(const struct check_report *report, enum rule rule, const char *stub)
{
	for (size_t index = 0; index < report->result_count; index++)
		for (size_t which = 0; which < report->results[index].violation_count; which++)
			if (report->results[index].violations[which].rule == rule &&
			    strcmp(report->results[index].stub, stub) == 0)
				return true;
	return false;
}

static void expect_functions(const struct linux_run *run, const char *const (*expected)[2],
			     size_t count)
{
	if (run->status != TDXABI_OK)
		fail_msg("%s", run->diagnostic.text);
	assert_int_equal(run->summary->function_count, count);
	for (size_t index = 0; index < count; index++) {
		const struct linux_function_summary *entry = function(run, expected[index][0]);
		assert_string_equal(entry->binding.name, expected[index][1]);
		assert_int_equal(entry->variants, run->summary->build.variant_count);
		assert_int_equal(entry->variants_failed, 0);
		assert_true(entry->leaves_passed > 0);
		assert_int_equal(entry->leaves_passed, entry->leaves_expressible);
	}
	assert_int_equal(check_report_totals(&run->report).fail, 0);
}

static void test_linux_6_12_passes(void **state)
{
	const char *tree = tree_or_skip("6.12");
	static const char *const expected[][2] = {
		{"__tdcall", "linux-6.7-module-args"},
		{"__tdcall_ret", "linux-6.7-module-args-ret"},
		{"__tdcall_saved_ret", "linux-6.7-module-args-saved-ret"},
		{"__tdx_hypercall", "linux-6.7-hypercall"},
		{"__seamcall", "linux-6.7-module-args"},
		{"__seamcall_ret", "linux-6.7-module-args-ret"},
		{"__seamcall_saved_ret", "linux-6.7-module-args-saved-ret"},
	};
	struct linux_run run;
	run_linux(*state, tree, &run);
	expect_functions(&run, expected, 7);
	assert_string_equal(run.summary->version, "6.12.117");
	assert_int_equal(run.summary->build.variant_count, 12);
	/* the host stubs pass every fault scenario, the fixups included */
	assert_int_equal(function(&run, "__seamcall_saved_ret")->faults, 5);
	assert_int_equal(function(&run, "__tdx_hypercall")->faults, 3);
	free_linux_run(&run);
	/* the same tree again: the build is reused */
	run_linux(*state, tree, &run);
	assert_true(run.summary->build.reused);
	free_linux_run(&run);
}

static void test_linux_6_1_passes(void **state)
{
	const char *tree = tree_or_skip("6.1");
	static const char *const expected[][2] = {
		{"__tdx_module_call", "linux-5.19-module-call"},
		{"__tdx_hypercall", "linux-5.19-hypercall"},
	};
	struct linux_run run;
	run_linux(*state, tree, &run);
	expect_functions(&run, expected, 2);
	assert_int_equal(function(&run, "__tdx_hypercall")->faults, 3); /* with the panic path */
	free_linux_run(&run);
	/* and under the revision 6.1 was written for */
	const struct spec_table *tdx_1_0 = catalog_find_spec(*state, "tdx-1.0");
	assert_non_null(tdx_1_0);
	run_linux_under(*state, tree, tdx_1_0, &run);
	expect_functions(&run, expected, 2);
	assert_string_equal(run.report.results[0].spec, "tdx-1.0");
	free_linux_run(&run);
}

/* Each edit of a scratch copy of tdxcall.S trips its rule. */
static void test_broken_copies_fail_with_the_right_rule(void **state)
{
	const char *original = tree_or_skip("6.12");
	static const struct {
		const char *what, *old, *new;
		enum rule rule;
		const char *function;
	} edits[] = {
		{"forget a push", "\tpushq\t%r15\n", "", RULE_STACK_IMBALANCE, "__seamcall_saved_ret"},
		{"drop a scrub", "\txorl %r11d, %r11d\n", "", RULE_VMM_VALUE_LEAKED, "__tdcall_saved_ret"},
		{"swap two offsets", "movq\tTDX_MODULE_r8(%rsi),  %r8", "movq\tTDX_MODULE_r9(%rsi),  %r8",
		 RULE_INPUT_NOT_PASSED, "__seamcall_ret"},
		{"store an output to the wrong field", "movq %r9,  TDX_MODULE_r9(%rsi)",
		 "movq %r9,  TDX_MODULE_r8(%rsi)", RULE_OUTPUT_NOT_STORED, "__tdcall_ret"},
	};
	for (size_t index = 0; index < sizeof(edits) / sizeof(edits[0]); index++) {
		const char *tree = scratch_copy(original, "edited-6.12");
		char path[700];
		snprintf(path, sizeof(path), "%s/arch/x86/virt/vmx/tdx/tdxcall.S", tree);
		replace_in_file(path, edits[index].old, edits[index].new);
		struct linux_run run;
		run_linux(*state, tree, &run);
		if (run.status != TDXABI_OK)
			fail_msg("%s: %s", edits[index].what, run.diagnostic.text);
		if (!has_rule(&run.report, edits[index].rule, edits[index].function))
			fail_msg("%s: %s did not trip %s", edits[index].what, edits[index].function,
				 rule_id(edits[index].rule));
		free_linux_run(&run);
	}
}

/* A struct reordered in a future kernel is followed, not assumed: the tree's
 * asm-offsets and the binding's offsets move together. */
static void test_reordered_struct_is_followed(void **state)
{
	const char *tree = scratch_copy(tree_or_skip("6.12"), "reordered-6.12");
	char path[700];
	snprintf(path, sizeof(path), "%s/arch/x86/include/asm/shared/tdx.h", tree);
	replace_in_file(path, "\tu64 rcx;\n\tu64 rdx;\n", "\tu64 rdx;\n\tu64 rcx;\n");
	struct linux_run run;
	run_linux(*state, tree, &run);
	if (run.status != TDXABI_OK)
		fail_msg("%s", run.diagnostic.text);
	assert_int_equal(check_report_totals(&run.report).fail, 0);
	const struct binding *binding = &function(&run, "__tdcall_ret")->binding;
	assert_int_equal(binding_input_for(binding, GPR_RDX)->offset, 0);
	assert_int_equal(binding_input_for(binding, GPR_RCX)->offset, 8);
	free_linux_run(&run);
}

static void expect_refused(const struct catalog *catalog, const char *tree, const char *expected)
{
	struct linux_run run;
	run_linux(catalog, tree, &run);
	if (run.status != TDXABI_BAD_INPUT || !strstr(run.diagnostic.text, expected))
		fail_msg("status %d, \"%s\", expected \"%s\"", run.status, run.diagnostic.text, expected);
	free_linux_run(&run);
}

static void test_trees_that_are_refused(void **state)
{
	const char *original = tree_or_skip("6.12");
	const char *tree = scratch_copy(original, "renamed-6.12");
	char path[700];
	snprintf(path, sizeof(path), "%s/arch/x86/coco/tdx/tdcall.S", tree);
	replace_in_file(path, "SYM_FUNC_START(__tdcall_ret)", "SYM_FUNC_START(__tdcall_frob)");
	replace_in_file(path, "SYM_FUNC_END(__tdcall_ret)", "SYM_FUNC_END(__tdcall_frob)");
	snprintf(path, sizeof(path), "%s/arch/x86/include/asm/shared/tdx.h", tree);
	replace_in_file(path, "u64 __tdcall_ret(", "u64 __tdcall_frob(");
	expect_refused(*state, tree, "__tdcall_frob (u64(u64,struct tdx_module_args*) in asm/shared/tdx.h) "
			       "matches no known binding");

	tree = scratch_copy(original, "reshaped-6.12");
	snprintf(path, sizeof(path), "%s/arch/x86/include/asm/shared/tdx.h", tree);
	replace_in_file(path, "u64 __tdcall(u64 fn, struct tdx_module_args *args);",
			"u64 __tdcall(u64 fn, struct tdx_module_args *args, int extra);");
	expect_refused(*state, tree, "__tdcall: asm/shared/tdx.h declares u64(u64,struct "
				     "tdx_module_args*,int), which matches no known binding: binding "
				     "linux-6.7-module-args wants u64(u64,struct tdx_module_args*)");

	tree = scratch_copy(original, "unassemblable-6.12");
	snprintf(path, sizeof(path), "%s/arch/x86/virt/vmx/tdx/seamcall.S", tree);
	replace_in_file(path, "TDX_MODULE_CALL host=1\n", "TDX_MODULE_CALL host=1 bogus=1\n");
	expect_refused(*state, tree, "assembling arch/x86/virt/vmx/tdx/seamcall.S (frame-pointer ret) "
				     "failed:");
	expect_refused(*state, tree, "Error:");

	tree = scratch_copy(original, "stubless-6.12");
	shell("rm -f '%s/arch/x86/virt/vmx/tdx/tdxcall.S'", tree);
	expect_refused(*state, tree, "has no TDX stubs");
	expect_refused(*state, "/usr/share", "/usr/share: not a Linux source tree");
	expect_refused(*state, "/nonexistent/tree", "/nonexistent/tree: not a directory");
}

/* The CLI with --shims: a shim whose exception-table macro emits nothing
 * leaves SEAMCALL's #UD and #GP unhandled. */
static void test_broken_shims_fail_with_the_right_rule(void **state)
{
	(void)state;
	const char *tree = tree_or_skip("6.12");
	char tree_path[512];
	snprintf(tree_path, sizeof(tree_path), "%s", tree);
	const char *shims = scratch_copy(TDXABI_SHIM_DIR, "broken-shims");
	char path[700];
	snprintf(path, sizeof(path), "%s/asm/asm.h", shims);
	replace_in_file(path, "#define _ASM_EXTABLE_FAULT(from, to) _ASM_EXTABLE_TYPE(from, to, 2)",
			"#define _ASM_EXTABLE_FAULT(from, to)");
	struct tool_run run = run_tool((const char *[]){"check", "--linux", tree_path, "--shims", shims,
							"--cache", BUILDS, NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "FAIL __seamcall (linux-6.7-module-args) in all 12 of 12 variants");
	assert_contains(run.out, "fault-unhandled: #UD at __seamcall+0x");
	assert_contains(run.out, "has no __ex_table entry: the kernel would oops");
	free_run(&run);

	run = run_tool((const char *[]){"check", "--linux", tree_path, "--cache", BUILDS, NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "Linux 6.12.117: 7 TDX functions, built in 12 variants");
	assert_contains(run.out, "__tdx_hypercall        linux-6.7-hypercall");
	free_run(&run);
	run = run_tool((const char *[]){"check", "--linux", "/usr/share", NULL});
	assert_int_equal(run.exit_code, 2);
	assert_contains(run.err, "/usr/share: not a Linux source tree");
	free_run(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_6_12_passes),
		cmocka_unit_test(test_linux_6_1_passes),
		cmocka_unit_test(test_broken_copies_fail_with_the_right_rule),
		cmocka_unit_test(test_reordered_struct_is_followed),
		cmocka_unit_test(test_trees_that_are_refused),
		cmocka_unit_test(test_broken_shims_fail_with_the_right_rule),
	};
	return cmocka_run_group_tests(tests, set_up_catalog, tear_down_catalog);
}
