/* test_linux.c - `--linux` on Debian's 6.1 and 6.12 trees and the newest
 * kernel source Debian serves (each skipped, saying so, when absent): they
 * pass; broken or hostile copies fail or are refused; the cache is keyed and
 * shared safely; kbuild objects match the predicted variant. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "bundled_shims.h"
#include "kernel_inputs.h"
#include "linux_test_support.h"

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
	assert_string_equal(run.summary->version, tree_release(tree));
	assert_int_equal(run.summary->build.variant_count, 12);
	/* the host stubs pass every fault scenario, the fixups included */
	assert_int_equal(function(&run, "__seamcall_saved_ret")->faults, 5);
	assert_int_equal(function(&run, "__tdx_hypercall")->faults, 5); /* + vmm-retry, vmm-unusual-status */
	free_linux_run(&run);
	/* the same tree again: the build is reused */
	run_linux(*state, tree, &run);
	assert_true(run.summary->build.reused);
	free_linux_run(&run);
}

/* The newest kernel Debian serves, whatever its functions: every one has a
 * binding, and passes, with no stand-in written by hand. */
/* The static audit of every function of every distinct build variant of a
 * tree agrees with the dynamic runs (a register written at run time that
 * its writes lack is a bug in the audit) and finds nothing in Debian's. */
static void audit_tree(const struct catalog *catalog, const char *tree)
{
	struct linux_run run;
	run_linux(catalog, tree, &run);
	if (run.status != TDXABI_OK)
		fail_msg("%s", run.diagnostic.text);
	struct audit_result *audit = malloc(sizeof(*audit));
	size_t audited = 0;
	for (size_t index = 0; index < run.summary->build.object_count; index++) {
		const struct built_object *object = &run.summary->build.objects[index];
		struct object_image image;
		load_test_object(object->path, &image);
		for (size_t which = 0; which < image.symbol_count; which++) {
			const struct image_symbol *symbol = &image.symbols[which];
			if (!symbol->defined || !symbol->global || !symbol->function)
				continue;
			const struct linux_function_summary *entry = function(&run, symbol->name);
			audit_agrees_with_runs(catalog_default_spec(catalog), &image, symbol->name,
					       &entry->binding, audit);
			if (audit->finding_count)
				fail_msg("%s [%s] %s: the audit finds %s at %s: %s", object->source,
					 object->variant, symbol->name, rule_id(audit->findings[0].rule),
					 audit->findings[0].location, audit->findings[0].detail);
			audited++;
		}
		object_image_free(&image);
	}
	assert_true(audited >= 7);
	free(audit);
	free_linux_run(&run);
}

static void test_audit_agrees_on_every_kernel_stub(void **state)
{
	audit_tree(*state, tree_or_skip("6.12"));
	audit_tree(*state, tree_or_skip("6.1"));
}

static void test_audit_agrees_on_the_newest_kernel(void **state)
{
	audit_tree(*state, tree_named_or_skip("linux-newest", "cmake/fetch-newest-linux-source.sh"));
}

static void test_newest_linux_passes(void **state)
{
	const char *tree = tree_named_or_skip("linux-newest", "cmake/fetch-newest-linux-source.sh");
	struct linux_run run;
	run_linux(*state, tree, &run);
	if (run.status != TDXABI_OK)
		fail_msg("%s", run.diagnostic.text);
	print_message("Linux %s: %zu TDX functions, %zu stand-in headers\n", run.summary->version,
		      run.summary->function_count, run.summary->build.standins.count);
	assert_string_equal(run.summary->version, tree_release(tree));
	assert_true(run.summary->function_count > 0);
	for (size_t index = 0; index < run.summary->function_count; index++) {
		const struct linux_function_summary *entry = &run.summary->functions[index];
		if (entry->undecided[0])
			fail_msg("%s", entry->undecided);
		assert_int_equal(entry->variants_failed, 0);
		assert_true(entry->leaves_passed > 0);
		assert_int_equal(entry->leaves_passed, entry->leaves_expressible);
	}
	assert_int_equal(check_report_totals(&run.report).fail, 0);
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
	assert_int_equal(function(&run, "__tdx_hypercall")->faults, 5); /* with the panic path and the VMM statuses */
	free_linux_run(&run);
	/* and under the revision 6.1 was written for */
	const struct spec_table *tdx_1_0 = catalog_find_spec(*state, "tdx-1.0");
	assert_non_null(tdx_1_0);
	run_linux_under(*state, tree, tdx_1_0, &run);
	expect_functions(&run, expected, 2);
	assert_string_equal(run.report.results[0].spec, "tdx-1.0");
	free_linux_run(&run);
	/* 6.1 has no host stub: no function can issue a SEAMCALL leaf */
	struct tool_run cli = run_tool((const char *[]){"check", "--linux", tree, "--cache", BUILDS,
							"--leaf", "TDH.IMPORT.MEM", NULL});
	assert_int_equal(cli.exit_code, 2);
	assert_contains(cli.err, "no TDX function of the tree can issue TDH.IMPORT.MEM");
	free_run(&cli);
}

/* A finding of the rule in the function that points at a line of
 * tdxcall.S's macro body holding `text` (tabs shown as spaces), invoked
 * from `invoked` (the stub's own file), in the tree itself (not a build
 * copy). */
static bool points_at(const struct check_report *report, enum rule rule, const char *stub,
		      const char *tree, const char *text, const char *invoked)
{
	char body[800], invocation[800];
	snprintf(body, sizeof(body), "%s/arch/x86/virt/vmx/tdx/tdxcall.S", tree);
	snprintf(invocation, sizeof(invocation), "%s/%s", tree, invoked);
	for (size_t index = 0; index < report->result_count; index++)
		for (size_t which = 0; which < report->results[index].violation_count; which++) {
			const struct violation *violation = &report->results[index].violations[which];
			if (violation->rule == rule && strcmp(report->results[index].stub, stub) == 0 &&
			    strcmp(violation->source_file, body) == 0 &&
			    strstr(violation->source_text, text) &&
			    strcmp(violation->invoked_file, invocation) == 0 && violation->invoked_line)
				return true;
		}
	return false;
}

/* Each edit of a scratch copy of tdxcall.S trips its rule, and the finding
 * points at the line inside the macro body where the defect shows. */
static void test_broken_copies_fail_with_the_right_rule(void **state)
{
	const char *original = tree_or_skip("6.12");
	static const struct {
		const char *what, *old, *new;
		enum rule rule;
		const char *function, *line, *invoked;
	} edits[] = {
		/* the first pop then takes the slot of the push before it */
		{"forget a push", "\tpushq\t%r15\n", "", RULE_STACK_IMBALANCE, "__seamcall_saved_ret",
		 "popq %r15", "arch/x86/virt/vmx/tdx/seamcall.S"},
		/* R11 still holds what the TDCALL brought */
		{"drop a scrub", "\txorl %r11d, %r11d\n", "", RULE_VMM_VALUE_LEAKED, "__tdcall_saved_ret",
		 "tdcall", "arch/x86/coco/tdx/tdcall.S"},
		{"swap two offsets", "movq\tTDX_MODULE_r8(%rsi),  %r8", "movq\tTDX_MODULE_r9(%rsi),  %r8",
		 RULE_INPUT_NOT_PASSED, "__seamcall_ret", "movq TDX_MODULE_r9(%rsi),  %r8",
		 "arch/x86/virt/vmx/tdx/seamcall.S"},
		{"store an output to the wrong field", "movq %r9,  TDX_MODULE_r9(%rsi)",
		 "movq %r9,  TDX_MODULE_r8(%rsi)", RULE_OUTPUT_NOT_STORED, "__tdcall_ret",
		 "movq %r9,  TDX_MODULE_r8(%rsi)", "arch/x86/coco/tdx/tdcall.S"},
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
		if (!points_at(&run.report, edits[index].rule, edits[index].function, tree,
			       edits[index].line, edits[index].invoked))
			fail_msg("%s: no %s finding of %s points at the tdxcall.S line with \"%s\", "
				 "invoked from %s", edits[index].what, rule_id(edits[index].rule),
				 edits[index].function, edits[index].line, edits[index].invoked);
		free_linux_run(&run);
	}
}

/* The verdict of one function on one leaf and TD configuration (variant
 * "td=NAME") over all build variants: fail if any failed; *leaked_td_rdi
 * when one found the TD's value in RDI. Fails the test if there is none. */
static enum verdict leaf_verdict(const struct linux_run *run, const char *stub, const char *leaf,
				 const char *variant, bool *leaked_td_rdi)
{
	bool found = false, failed = false, passed = false;
	*leaked_td_rdi = false;
	for (size_t index = 0; index < run->report.result_count; index++) {
		const struct check_result *result = &run->report.results[index];
		if (strcmp(result->stub, stub) != 0 || strcmp(result->leaf, leaf) != 0 ||
		    strcmp(result->fault, "none") != 0 || strcmp(result->variant, variant) != 0)
			continue;
		found = true;
		failed |= result->verdict == VERDICT_FAIL;
		passed |= result->verdict == VERDICT_PASS;
		for (size_t which = 0; which < result->violation_count; which++)
			*leaked_td_rdi |= result->violations[which].rule == RULE_VMM_VALUE_LEAKED &&
					  result->violations[which].tdx_register == GPR_RDI &&
					  strstr(result->violations[which].detail, "the TD's value");
	}
	if (!found)
		fail_msg("no result of %s for %s (%s)", stub, leaf, variant);
	return failed ? VERDICT_FAIL : passed ? VERDICT_PASS : VERDICT_SKIP;
}

/* KVM enters a TD through __seamcall_saved_ret(TDH.VP.ENTER), which a
 * NO_RBP_MOD TD makes possible (the module leaves RBP alone); the TD's values
 * come back and the stub must scrub every one it does not restore. */
static void test_host_entry_scrubs_the_td_values(void **state)
{
	const char *original = tree_or_skip("6.12");
	struct linux_run run;
	bool leaked;
	run_linux(*state, original, &run);
	assert_int_equal(leaf_verdict(&run, "__seamcall_saved_ret", "TDH.VP.ENTER", "td=no-rbp-mod",
				      &leaked), VERDICT_PASS);
	free_linux_run(&run);

	const char *tree = scratch_copy(original, "unscrubbed-6.12");
	char path[700];
	snprintf(path, sizeof(path), "%s/arch/x86/virt/vmx/tdx/tdxcall.S", tree);
	replace_in_file(path, "\txorl %edi,  %edi\n", "");
	run_linux(*state, tree, &run);
	if (run.status != TDXABI_OK)
		fail_msg("%s", run.diagnostic.text);
	assert_int_equal(leaf_verdict(&run, "__seamcall_saved_ret", "TDH.VP.ENTER", "td=no-rbp-mod",
				      &leaked), VERDICT_FAIL);
	assert_true(leaked);
	free_linux_run(&run);
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

/* A function whose binding cannot be decided is named, with the reason, and
 * not checked; the tree's other functions still are, and pass. */
static void expect_undecided(const struct catalog *catalog, const char *tree,
			     const char *function_name, const char *expected)
{
	struct linux_run run;
	run_linux(catalog, tree, &run);
	if (run.status != TDXABI_OK)
		fail_msg("%s", run.diagnostic.text);
	const struct linux_function_summary *odd = function(&run, function_name);
	if (!strstr(odd->undecided, expected))
		fail_msg("%s: \"%s\", expected \"%s\"", function_name, odd->undecided, expected);
	size_t checked = 0;
	for (size_t index = 0; index < run.summary->function_count; index++) {
		const struct linux_function_summary *entry = &run.summary->functions[index];
		if (entry == odd)
			continue;
		assert_string_equal(entry->undecided, "");
		assert_true(entry->leaves_passed > 0);
		assert_int_equal(entry->variants_failed, 0);
		checked++;
	}
	assert_int_equal(checked, 6);
	assert_int_equal(check_report_totals(&run.report).fail, 0);
	free_linux_run(&run);
}

static void test_undecided_functions_leave_the_rest_checked(void **state)
{
	const char *original = tree_or_skip("6.12");
	const char *tree = scratch_copy(original, "renamed-6.12");
	char path[700];
	snprintf(path, sizeof(path), "%s/arch/x86/coco/tdx/tdcall.S", tree);
	replace_in_file(path, "SYM_FUNC_START(__tdcall_ret)", "SYM_FUNC_START(__tdcall_frob)");
	replace_in_file(path, "SYM_FUNC_END(__tdcall_ret)", "SYM_FUNC_END(__tdcall_frob)");
	snprintf(path, sizeof(path), "%s/arch/x86/include/asm/shared/tdx.h", tree);
	replace_in_file(path, "u64 __tdcall_ret(", "u64 __tdcall_frob(");
	expect_undecided(*state, tree, "__tdcall_frob",
			 "__tdcall_frob (u64(u64,struct tdx_module_args*) in "
			 "arch/x86/include/asm/shared/tdx.h) matches no known binding");

	tree = scratch_copy(original, "reshaped-6.12");
	snprintf(path, sizeof(path), "%s/arch/x86/include/asm/shared/tdx.h", tree);
	replace_in_file(path, "u64 __tdcall(u64 fn, struct tdx_module_args *args);",
			"u64 __tdcall(u64 fn, struct tdx_module_args *args, int extra);");
	expect_undecided(*state, tree, "__tdcall",
			 "__tdcall: arch/x86/include/asm/shared/tdx.h declares u64(u64,struct "
			 "tdx_module_args*,int), which matches no known binding: binding "
			 "linux-6.7-module-args wants u64(u64,struct tdx_module_args*)");
}

static void test_trees_that_are_refused(void **state)
{
	const char *original = tree_or_skip("6.12");
	const char *tree;
	char path[700];

	tree = scratch_copy(original, "unassemblable-6.12");
	snprintf(path, sizeof(path), "%s/arch/x86/virt/vmx/tdx/seamcall.S", tree);
	replace_in_file(path, "TDX_MODULE_CALL host=1\n", "TDX_MODULE_CALL host=1 bogus=1\n");
	expect_refused(*state, tree, "assembling arch/x86/virt/vmx/tdx/seamcall.S (frame-pointer ret) "
				     "failed:");
	expect_refused(*state, tree, "Error:");
	/* the error names the tree's file, not its copy in the cache */
	char where[700];
	snprintf(where, sizeof(where), "failed: %s/arch/x86/virt/vmx/tdx/seamcall.S:22: Error:", tree);
	expect_refused(*state, tree, where);

	/* an error inside the macro keeps gas's line of the macro's use */
	tree = scratch_copy(original, "bad-register-6.12");
	snprintf(path, sizeof(path), "%s/arch/x86/virt/vmx/tdx/tdxcall.S", tree);
	replace_in_file(path, "\tpushq\t%r15\n", "\tpushq\t%r99\n");
	snprintf(where, sizeof(where), "Error: bad register name `%%r99'; %s/arch/x86/coco/tdx/tdcall.S:", tree);
	expect_refused(*state, tree, where);
	expect_refused(*state, tree, "Info: macro invoked from here (log: ");

	/* a name nothing defines is refused, not assembled into a relocation */
	tree = scratch_copy(original, "undefined-6.12");
	snprintf(path, sizeof(path), "%s/arch/x86/virt/vmx/tdx/tdxcall.S", tree);
	replace_in_file(path, "movq\tTDX_MODULE_r8(%rsi),  %r8", "movq\tTDX_MODULE_bogus(%rsi),  %r8");
	expect_refused(*state, tree, "uses TDX_MODULE_bogus, which nothing defines");

	tree = scratch_copy(original, "stubless-6.12");
	shell("rm -f '%s/arch/x86/virt/vmx/tdx/tdxcall.S'", tree);
	expect_refused(*state, tree, "has no TDX stubs");
	expect_refused(*state, "/usr/share", "/usr/share: not a Linux source tree");
	expect_refused(*state, "/nonexistent/tree", "/nonexistent/tree: not a directory");
}

/* Under a newer module's table, the leaves no function of the tree can
 * carry are named with why (6.1's bindings lack R12 and up). */
static void test_uncarried_leaves_are_named(void **state)
{
	(void)state;
	const char *tree = tree_or_skip("6.1");
	char tree_path[512];
	snprintf(tree_path, sizeof(tree_path), "%s", tree);
	struct tool_run run = run_tool((const char *[]){"check", "--linux", tree_path, "--cache",
							BUILDS, "--spec", "tdx-2.0.18", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "leaves of tdx-2.0.18 no function of the tree can carry:\n");
	assert_contains(run.out, "  TDG.DMAR.ACCEPT: needs R10 R11 R12 R13 R14 R15 as input, which "
				 "binding linux-5.19-module-call does not carry in\n");
	free_run(&run);
	/* one function selected: the others are not looked at, so nothing is said */
	run = run_tool((const char *[]){"check", "--linux", tree_path, "--cache", BUILDS, "--spec",
					"tdx-2.0.18", "--symbol", "__tdx_module_call", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "__tdx_module_call");
	assert_null(strstr(run.out, "no function of the tree can carry"));
	free_run(&run);
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
	/* the same finding in every build variant is printed once, counted */
	assert_contains(run.out, ", in 12 of 12 build variants");
	/* its trace command lists the very case, in the build variant named */
	char finding[2048], trace_line[2048], storage[8192];
	assert_true(test_first_line(strstr(run.out, "\nFAIL __seamcall ") + 1, "  ", finding,
				    sizeof(finding)));
	assert_true(test_first_line(strstr(run.out, "\nFAIL __seamcall ") + 1,
				    "    trace: tdxabi trace --linux ", trace_line, sizeof(trace_line)));
	char *count = strstr(finding, ") and ");
	assert_non_null(count);
	*count = '\0';
	const char *words[TEST_MAX_WORDS];
	assert_true(test_split_command(trace_line + strlen("    trace: tdxabi "), storage,
				       sizeof(storage), words) > 6);
	free_run(&run);
	run = run_tool(words);
	if (run.exit_code != 1 || !strstr(run.out, finding))
		fail_msg("`%s`: exit %d, no \"%s\" in\n%s%s", trace_line, run.exit_code, finding,
			 run.out, run.err);
	assert_contains(run.out, "tdxcall.S:");
	free_run(&run);
	/* JSON: the object's name, its build variant a field of its own */
	run = run_tool((const char *[]){"check", "--linux", tree_path, "--shims", shims, "--cache",
					BUILDS, "--symbol", "__seamcall", "--format", "json", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_json(run.out);
	assert_contains(run.out, "\"object\":\"seamcall.o\",\"build_variant\":\"frame-pointer ret\"");
	assert_true(strstr(run.out, ".o [") == NULL);
	assert_true(strstr(run.out, "\"stub\":\"__seamcall_ret\"") == NULL); /* --symbol selects */
	free_run(&run);

	run = run_tool((const char *[]){"check", "--linux", tree_path, "--cache", BUILDS, NULL});
	assert_int_equal(run.exit_code, 0);
	char headline[128];
	snprintf(headline, sizeof(headline), "Linux %s: 7 TDX functions, built in 12 variants",
		 tree_release(tree_path));
	assert_contains(run.out, headline);
	assert_contains(run.out, "__tdx_hypercall        linux-6.7-hypercall");
	free_run(&run);
	run = run_tool((const char *[]){"check", "--linux", "/usr/share", NULL});
	assert_int_equal(run.exit_code, 2);
	assert_contains(run.err, "/usr/share: not a Linux source tree");
	free_run(&run);
}

/* An empty cache of the test's own under scratch/ (wiped first). */
static const char *fresh_cache(const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/scratch/%s", TDXABI_TEST_CACHE, name);
	shell("rm -rf '%s' && mkdir -p '%s'", path, path);
	return path;
}

static void tree_file(const char *tree, const char *relative, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", tree, relative);
}

/* `tdxabi check --linux tree` exits 2 with one stderr line holding
 * `expected`; an alarm turns a hang into a failure. */
static void expect_cli_refused(const char *tree, const char *expected)
{
	alarm(120);
	struct tool_run run =
		run_tool((const char *[]){"check", "--linux", tree, "--cache", BUILDS, NULL});
	alarm(0);
	size_t newlines = 0;
	for (const char *cursor = run.err; *cursor; cursor++)
		newlines += *cursor == '\n';
	if (run.exit_code != 2 || newlines != 1 || !strstr(run.err, expected))
		fail_msg("%s: exit %d, stderr \"%s\", expected exit 2 and one line with \"%s\"", tree,
			 run.exit_code, run.err, expected);
	free_run(&run);
}

static void expect_all_pass(const struct linux_run *run, size_t functions)
{
	if (run->status != TDXABI_OK)
		fail_msg("%s", run->diagnostic.text);
	assert_int_equal(run->summary->function_count, functions);
	assert_int_equal(check_report_totals(&run->report).fail, 0);
}

/* A kbuild object that cannot be read (here: larger than any object) is one
 * error line, not a free() of an uninitialised pointer. */
static void test_unreadable_kbuild_object_is_one_error(void **state)
{
	(void)state;
	const char *tree = scratch_copy(tree_or_skip("6.12"), "oversized-object-6.12");
	shell("truncate -s 300M '%s/arch/x86/coco/tdx/tdcall.o'", tree);
	expect_cli_refused(tree, "tdcall.o: larger than");
}

/* asm-offsets.c with ~110 more OFFSET(TDX_...) and commented-out lines than
 * any fixed buffer would hold still gives every TDX_MODULE_* constant. */
static void test_long_asm_offsets_still_pass(void **state)
{
	const char *tree = scratch_copy(tree_or_skip("6.12"), "long-offsets-6.12");
	char path[700], padding[16384] = "";
	size_t used = 0;
	for (int line = 0; line < 110; line++)
		used += (size_t)snprintf(padding + used, sizeof(padding) - used,
					 line % 2 ? "\tOFFSET(TDX_PADDING_%d, tdx_module_args, rcx);\n"
						  : "\t/* OFFSET(TDX_COMMENTED_%d, no_such_struct, x); */\n",
					 line);
	snprintf(padding + used, sizeof(padding) - used, "\tOFFSET(TDX_MODULE_rcx, tdx_module_args, rcx);\n");
	tree_file(tree, KERNEL_ASM_OFFSETS, path, sizeof(path));
	replace_in_file(path, "\tOFFSET(TDX_MODULE_rcx, tdx_module_args, rcx);\n", padding);
	struct linux_run run;
	run_linux(*state, tree, &run);
	expect_all_pass(&run, 7);
	free_linux_run(&run);
}

/* A header the build copies (asm/shared/tdx_errno.h, absent from 6.12 but
 * made here) is part of the cache key: changing it rebuilds. */
static void test_copied_header_changes_the_cache_key(void **state)
{
	const char *tree = scratch_copy(tree_or_skip("6.12"), "errno-6.12");
	const char *cache = fresh_cache("errno-cache");
	char path[700];
	tree_file(tree, KERNEL_TDX_HEADER, path, sizeof(path));
	replace_in_file(path, "#define TDX_SEAMCALL_VMFAILINVALID\t(TDX_SW_ERROR | _UL(0xFFFF0000))\n",
			"#include <asm/shared/tdx_errno.h>\n");
	tree_file(tree, "arch/x86/include/asm/shared/tdx_errno.h", path, sizeof(path));
	FILE *file = fopen(path, "w");
	assert_non_null(file);
	fputs("#define TDX_SEAMCALL_VMFAILINVALID\t(TDX_SW_ERROR | _UL(0xFFFF0000))\n", file);
	fclose(file);
	struct linux_run run;
	run_linux_in(*state, tree, cache, catalog_default_spec(*state), &run);
	expect_all_pass(&run, 7);
	assert_false(run.summary->build.reused);
	/* the entry is named by the SHA-256 of the inputs, in hex */
	const char *key = strrchr(run.summary->build.directory, '-') + 1;
	assert_int_equal(strlen(key), 64);
	assert_int_equal(strspn(key, "0123456789abcdef"), 64);
	free_linux_run(&run);
	replace_in_file(path, "0xFFFF0000", "0xFFFE0000");
	run_linux_in(*state, tree, cache, catalog_default_spec(*state), &run);
	if (run.status != TDXABI_OK)
		fail_msg("%s", run.diagnostic.text);
	assert_false(run.summary->build.reused);
	assert_true(function(&run, "__seamcall")->variants_failed > 0);
	free_linux_run(&run);
}

static struct timespec modified(const char *path)
{
	struct stat information;
	if (stat(path, &information) != 0)
		fail_msg("%s is missing", path);
	return information.st_mtim;
}

/* A cache directory given relative, or with a space and a '#' in its name
 * (gcc escapes them in its dependency lists), builds like any other. */
static void test_cache_paths_with_odd_characters(void **state)
{
	(void)state;
	const char *tree = tree_or_skip("6.12");
	shell("rm -rf '%s/scratch/odd' && mkdir -p '%s/scratch/odd' && cd '%s/scratch/odd' && "
	      "'%s' check --linux '%s' --cache 'relative cache' >out.relative 2>&1 && "
	      "'%s' check --linux '%s' --cache '%s/scratch/odd/sp ace#1$x' >out.odd 2>&1",
	      TDXABI_TEST_CACHE, TDXABI_TEST_CACHE, TDXABI_TEST_CACHE, TDXABI_BINARY, tree,
	      TDXABI_BINARY, tree, TDXABI_TEST_CACHE);
	size_t size;
	char *out = (char *)read_test_file(TDXABI_TEST_CACHE "/scratch/odd/out.odd", &size);
	assert_contains(out, "summary: 7 functions");
	free(out);
}

/* Four runs at once on an empty cache all pass and leave one complete
 * entry; a run that reuses it writes nothing into it. */
static void test_concurrent_runs_share_one_entry(void **state)
{
	(void)state;
	const char *tree = tree_or_skip("6.12");
	char tree_path[512], cache[512];
	snprintf(tree_path, sizeof(tree_path), "%s", tree);
	snprintf(cache, sizeof(cache), "%s", fresh_cache("concurrent-cache"));
	char headline[128];
	snprintf(headline, sizeof(headline), "Linux %s: 7 TDX functions", tree_release(tree_path));
	shell("for run in 1 2 3 4; do ('%s' check --linux '%s' --cache '%s' >'%s/out.'$run 2>&1; "
	      "echo $? >'%s/status.'$run) & done; wait",
	      TDXABI_BINARY, tree_path, cache, cache, cache);
	for (int run = 1; run <= 4; run++) {
		char path[600];
		size_t size;
		snprintf(path, sizeof(path), "%s/status.%d", cache, run);
		char *status = (char *)read_test_file(path, &size);
		snprintf(path, sizeof(path), "%s/out.%d", cache, run);
		char *out = (char *)read_test_file(path, &size);
		if (strcmp(status, "0\n") != 0)
			fail_msg("run %d exited %s:\n%s", run, status, out);
		assert_contains(out, headline);
		free(status);
		free(out);
	}
	char entry[600] = "";
	size_t entries = 0;
	DIR *directory = opendir(cache);
	assert_non_null(directory);
	for (struct dirent *found; (found = readdir(directory));) {
		if (strncmp(found->d_name, "linux-", 6) != 0)
			continue;
		entries++;
		snprintf(entry, sizeof(entry), "%s/%s", cache, found->d_name);
	}
	closedir(directory);
	if (entries != 1)
		fail_msg("%zu entries in %s, expected one (no temporary ones left)", entries, cache);
	static const char *const files[] = {"offsets.c", "generated/asm/asm-offsets.h", "hypercall.c",
					    "objects/tdcall-0.o"};
	struct timespec before[4];
	for (size_t index = 0; index < 4; index++) {
		char path[700];
		snprintf(path, sizeof(path), "%s/%s", entry, files[index]);
		before[index] = modified(path);
	}
	struct tool_run run =
		run_tool((const char *[]){"check", "--linux", tree_path, "--cache", cache, NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, ", reused)");
	free_run(&run);
	for (size_t index = 0; index < 4; index++) {
		char path[700];
		snprintf(path, sizeof(path), "%s/%s", entry, files[index]);
		struct timespec after = modified(path);
		if (after.tv_sec != before[index].tv_sec || after.tv_nsec != before[index].tv_nsec)
			fail_msg("a reusing run rewrote %s", path);
	}
}

/* A brace in a comment of __tdx_hypercall does not hide the function; a
 * definition that cannot be cut out is an error, not a skipped function. */
static void test_hypercall_extraction_ignores_comments(void **state)
{
	const char *original = tree_or_skip("6.12");
	const char *tree = scratch_copy(original, "commented-hypercall-6.12");
	char path[700];
	tree_file(tree, KERNEL_TDX_SHARED_C, path, sizeof(path));
	replace_in_file(path, "\t/* TDVMCALL leaf return code is in R10 */\n",
			"\t/* TDVMCALL leaf return code is in R10 { */\n\t// and not in \"}\" {\n");
	struct linux_run run;
	run_linux(*state, tree, &run);
	expect_all_pass(&run, 7);
	assert_true(run.summary->build.has_hypercall_c);
	assert_string_equal(function(&run, "__tdx_hypercall")->binding.name, "linux-6.7-hypercall");
	free_linux_run(&run);

	tree = scratch_copy(original, "unbalanced-hypercall-6.12");
	tree_file(tree, KERNEL_TDX_SHARED_C, path, sizeof(path));
	replace_in_file(path, "\treturn args->r10;\n}", "\treturn args->r10;\n");
	expect_refused(*state, tree, "tdx-shared.c: cannot cut out the definition of __tdx_hypercall");
}

/* Frame-pointer and no-frame-pointer variants built to the same bytes: a
 * kbuild object with that code is the variant .config predicts. */
static void test_kbuild_match_prefers_the_predicted_variant(void **state)
{
	const char *tree = scratch_copy(tree_or_skip("6.12"), "frameless-6.12");
	char path[700];
	tree_file(tree, KERNEL_TDXCALL, path, sizeof(path));
	replace_in_file(path, "\tFRAME_BEGIN\n", "");
	replace_in_file(path, "\tFRAME_END\n", "");
	struct linux_run run;
	run_linux(*state, tree, &run);
	expect_all_pass(&run, 7);
	const struct built_object *built = NULL;
	for (size_t index = 0; index < run.summary->build.object_count; index++) {
		const struct built_object *object = &run.summary->build.objects[index];
		if (strcmp(object->source, KERNEL_SEAMCALL) == 0 &&
		    strcmp(object->variant, "frame-pointer ret") == 0)
			built = object;
	}
	assert_non_null(built);
	bool same_as_no_frame_pointer = false;
	for (size_t index = 0; index < built->same_bytes_count; index++)
		same_as_no_frame_pointer |= strcmp(built->same_bytes_as[index], "no-frame-pointer ret") == 0;
	assert_true(same_as_no_frame_pointer);
	shell("cp '%s' '%s/arch/x86/virt/vmx/tdx/seamcall.o'", built->path, tree);
	free_linux_run(&run);
	tree_file(tree, ".config", path, sizeof(path));
	FILE *file = fopen(path, "w");
	assert_non_null(file);
	fputs("# tdxabi test\nCONFIG_X86_64=y\n# CONFIG_FRAME_POINTER is not set\n", file);
	fclose(file);

	run_linux(*state, tree, &run);
	expect_all_pass(&run, 7);
	assert_string_equal(run.summary->config_variant, "no-frame-pointer ret");
	assert_int_equal(run.summary->kbuild_count, 3);
	for (size_t index = 0; index < run.summary->kbuild_count; index++)
		assert_string_equal(run.summary->kbuild[index].same_code_as, "no-frame-pointer ret");
	char *text = NULL;
	size_t size = 0;
	FILE *stream = open_memstream(&text, &size);
	struct report_digest digest = {0};
	struct diagnostic diagnostic;
	assert_int_equal(report_digest_add(&digest, &run.report, &diagnostic), TDXABI_OK);
	linux_summary_write_text(stream, run.summary, &digest, &(struct report_options){.quiet = false});
	report_digest_free(&digest);
	fclose(stream);
	assert_contains(text, "same code as [no-frame-pointer ret], as .config predicts");
	assert_null(strstr(text, "NOT what .config predicts"));
	assert_contains(text, "objtool not configured");
	free(text);
	free_linux_run(&run);

	/* make O=DIR: the objects and .config are in DIR, not in the tree; with
	 * LTO_CLANG (or X86_KERNEL_IBT) kbuild defers objtool to vmlinux.o */
	char tree_path[512], output[600];
	snprintf(tree_path, sizeof(tree_path), "%s", tree);
	snprintf(output, sizeof(output), "%s-output", tree_path);
	shell("rm -rf '%s' && mkdir -p '%s/arch/x86/virt/vmx/tdx' && "
	      "mv '%s/arch/x86/virt/vmx/tdx/seamcall.o' '%s/arch/x86/virt/vmx/tdx/' && "
	      "mv '%s/.config' '%s/.config' && printf 'CONFIG_OBJTOOL=y\\nCONFIG_LTO_CLANG=y\\n' >> '%s/.config'",
	      output, output, tree_path, output, tree_path, output, output);
	struct tool_run tool = run_tool((const char *[]){"check", "--linux", tree_path, "--kbuild-output",
							 output, "--cache", BUILDS, NULL});
	if (tool.exit_code != 0)
		fail_msg("exit %d: %s%s", tool.exit_code, tool.out, tool.err);
	assert_contains(tool.out, "same code as [no-frame-pointer ret], as .config predicts");
	assert_contains(tool.out, "objtool deferred to vmlinux.o, so not run on these objects");
	free_run(&tool);
	tool = run_tool((const char *[]){"check", "--linux", tree_path, "--kbuild-output",
					 "/nonexistent/output", NULL});
	assert_int_equal(tool.exit_code, 2);
	assert_contains(tool.err, "--kbuild-output /nonexistent/output: not a directory");
	free_run(&tool);
}

/* Hostile struct bodies: more members than before (20 reserved ones ahead
 * of rcx) are followed, and a // comment is not a member. */
static void test_hostile_struct_bodies(void **state)
{
	const char *original = tree_or_skip("6.12");
	const char *tree = scratch_copy(original, "reserved-6.12");
	char path[700], reserved[2048] = "struct tdx_module_args {\n";
	size_t used = strlen(reserved);
	for (int member = 0; member < 20; member++)
		used += (size_t)snprintf(reserved + used, sizeof(reserved) - used, "\tu64 reserved_%d;\n",
					 member);
	tree_file(tree, KERNEL_SHARED_TDX_HEADER, path, sizeof(path));
	replace_in_file(path, "struct tdx_module_args {\n", reserved);
	struct linux_run run;
	run_linux(*state, tree, &run);
	expect_all_pass(&run, 7);
	const struct binding *binding = &function(&run, "__tdcall_ret")->binding;
	assert_int_equal(binding_input_for(binding, GPR_RCX)->offset, 20 * 8);
	free_linux_run(&run);

	tree = scratch_copy(original, "line-comment-6.12");
	tree_file(tree, KERNEL_SHARED_TDX_HEADER, path, sizeof(path));
	replace_in_file(path, "\tu64 rdx;\n", "\tu64 rdx; // was: u64 old_rdx;\n\t// u64 bogus, more;\n");
	run_linux(*state, tree, &run);
	expect_all_pass(&run, 7);
	free_linux_run(&run);
}

/* A tree file that is a device or a FIFO is refused at once (a FIFO would
 * block a plain open), with one line. */
static void test_special_files_are_refused(void **state)
{
	(void)state;
	const char *original = tree_or_skip("6.12");
	const char *tree = scratch_copy(original, "device-6.12");
	shell("rm '%s/%s' && ln -s /dev/zero '%s/%s'", tree, KERNEL_ASM_OFFSETS, tree, KERNEL_ASM_OFFSETS);
	expect_cli_refused(tree, "asm-offsets.c: not a regular file");
	tree = scratch_copy(original, "fifo-6.12");
	shell("rm '%s/%s' && mkfifo '%s/%s'", tree, KERNEL_ASM_OFFSETS, tree, KERNEL_ASM_OFFSETS);
	expect_cli_refused(tree, "asm-offsets.c: not a regular file");
	tree = scratch_copy(original, "fifo-stub-6.12");
	shell("rm '%s/%s' && mkfifo '%s/%s'", tree, KERNEL_SEAMCALL, tree, KERNEL_SEAMCALL);
	expect_cli_refused(tree, "seamcall.S: not a regular file");
}

/* The tree changes after its inputs were hashed (here: tdxcall.S stops
 * assembling, asm/tdx.h goes): the build is still made from the hashed
 * contents, copied into it, and its headers are the hashed ones. */
static void test_build_uses_the_hashed_contents(void **state)
{
	(void)state;
	const char *tree_path = scratch_copy(tree_or_skip("6.12"), "raced-6.12");
	const char *cache = fresh_cache("raced-cache");
	struct diagnostic diagnostic = {""};
	struct kernel_tree tree;
	assert_int_equal(kernel_tree_open(tree_path, &tree, &diagnostic), TDXABI_OK);
	struct kernel_inputs *inputs = calloc(1, sizeof(*inputs));
	assert_int_equal(kernel_inputs_collect(&tree, inputs, &diagnostic), TDXABI_OK);
	char path[700];
	tree_file(tree_path, KERNEL_TDXCALL, path, sizeof(path));
	FILE *file = fopen(path, "w");
	assert_non_null(file);
	fputs("this does not assemble\n", file);
	fclose(file);
	tree_file(tree_path, KERNEL_TDX_HEADER, path, sizeof(path));
	assert_int_equal(unlink(path), 0);
	struct shim_file *shims;
	size_t shim_count;
	assert_int_equal(bundled_shims_load(&shims, &shim_count, &diagnostic), TDXABI_OK);
	struct kernel_build *build = calloc(1, sizeof(*build));
	if (kernel_build_from_inputs(&tree, inputs, shims, shim_count, cache, build, &diagnostic) !=
	    TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	assert_true(build->object_count > 0);
	snprintf(path, sizeof(path), "%s/tree/%s", build->directory, KERNEL_TDXCALL);
	size_t size;
	char *copied = (char *)read_test_file(path, &size);
	assert_string_equal(copied, kernel_inputs_find(inputs, KERNEL_TDXCALL)->text);
	free(copied);
	assert_true(build->header_count >= 2);
	assert_string_equal(build->headers[0].path, KERNEL_TDX_HEADER);
	assert_string_equal(build->headers[0].text, kernel_inputs_find(inputs, KERNEL_TDX_HEADER)->text);
	assert_string_equal(build->headers[1].path, KERNEL_SHARED_TDX_HEADER);
	assert_string_equal(build->headers[1].text,
			    kernel_inputs_find(inputs, KERNEL_SHARED_TDX_HEADER)->text);
	kernel_build_free(build);
	free(build);
	free(shims);
	kernel_inputs_free(inputs);
	free(inputs);
	kernel_tree_free(&tree);
}

/* A FIFO a stub reads, by #include or by .incbin, is refused at once: the
 * compiler opening it would wait for a writer for ever. */
static void test_fifo_includes_cannot_hang(void **state)
{
	(void)state;
	const char *original = tree_or_skip("6.12");
	static const struct {
		const char *name, *directive;
		bool absolute; /* the FIFO by its absolute path, else as "fifo.h" */
		const char *expected;
	} cases[] = {
		{"fifo-include-6.12", "#include", true, "is an absolute path"},
		{"fifo-incbin-6.12", "\t.incbin", true, "gas .incbin directive: refused"},
		{"fifo-relative-6.12", "#include", false, "fifo.h: not a regular file"},
	};
	for (size_t index = 0; index < sizeof(cases) / sizeof(cases[0]); index++) {
		const char *tree = scratch_copy(original, cases[index].name);
		char fifo[700], path[700], line[800], replacement[900];
		tree_file(tree, "arch/x86/coco/tdx/fifo.h", fifo, sizeof(fifo));
		assert_int_equal(mkfifo(fifo, 0600), 0);
		snprintf(line, sizeof(line), "%s \"%s\"\n", cases[index].directive,
			 cases[index].absolute ? fifo : "fifo.h");
		snprintf(replacement, sizeof(replacement), "#include <asm/asm.h>\n%s", line);
		tree_file(tree, KERNEL_TDCALL, path, sizeof(path));
		replace_in_file(path, "#include <asm/asm.h>\n", replacement);
		expect_cli_refused(tree, cases[index].expected);
	}
}

/* asm/shared/tdx.h declares __tdx_hypercall, but tdx-shared.c hides the
 * definition (a brace at file scope, or nothing but noise): one error
 * line, not "6 TDX functions" and exit 0. */
static void test_hidden_hypercall_is_refused(void **state)
{
	(void)state;
	const char *original = tree_or_skip("6.12");
	const char *tree = scratch_copy(original, "brace-hypercall-6.12");
	char path[700];
	tree_file(tree, KERNEL_TDX_SHARED_C, path, sizeof(path));
	replace_in_file(path, "#include <asm/tdx.h>\n", "#define TDXABI_OPEN {\n#include <asm/tdx.h>\n");
	expect_cli_refused(tree, "asm/shared/tdx.h declares __tdx_hypercall, but neither");

	tree = scratch_copy(original, "noise-hypercall-6.12");
	tree_file(tree, KERNEL_TDX_SHARED_C, path, sizeof(path));
	FILE *file = fopen(path, "wb");
	assert_non_null(file);
	uint32_t state_value = 12345;
	for (int index = 0; index < 4096; index++) {
		state_value = state_value * 1103515245u + 12345u;
		fputc((int)(state_value >> 16) % 255 + 1, file); /* no NUL: not refused as binary */
	}
	fclose(file);
	expect_cli_refused(tree, "declares __tdx_hypercall");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_linux_6_12_passes),
		cmocka_unit_test(test_linux_6_1_passes),
		cmocka_unit_test(test_newest_linux_passes),
		cmocka_unit_test(test_audit_agrees_on_every_kernel_stub),
		cmocka_unit_test(test_audit_agrees_on_the_newest_kernel),
		cmocka_unit_test(test_broken_copies_fail_with_the_right_rule),
		cmocka_unit_test(test_host_entry_scrubs_the_td_values),
		cmocka_unit_test(test_reordered_struct_is_followed),
		cmocka_unit_test(test_undecided_functions_leave_the_rest_checked),
		cmocka_unit_test(test_trees_that_are_refused),
		cmocka_unit_test(test_broken_shims_fail_with_the_right_rule),
		cmocka_unit_test(test_uncarried_leaves_are_named),
		cmocka_unit_test(test_unreadable_kbuild_object_is_one_error),
		cmocka_unit_test(test_long_asm_offsets_still_pass),
		cmocka_unit_test(test_copied_header_changes_the_cache_key),
		cmocka_unit_test(test_concurrent_runs_share_one_entry),
		cmocka_unit_test(test_cache_paths_with_odd_characters),
		cmocka_unit_test(test_hypercall_extraction_ignores_comments),
		cmocka_unit_test(test_kbuild_match_prefers_the_predicted_variant),
		cmocka_unit_test(test_hostile_struct_bodies),
		cmocka_unit_test(test_special_files_are_refused),
		cmocka_unit_test(test_build_uses_the_hashed_contents),
		cmocka_unit_test(test_fifo_includes_cannot_hang),
		cmocka_unit_test(test_hidden_hypercall_is_refused),
	};
	return cmocka_run_group_tests(tests, set_up_catalog, tear_down_catalog);
}
