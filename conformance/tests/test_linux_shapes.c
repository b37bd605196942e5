/* test_linux_shapes.c - the calling conventions of every release since 5.19,
 * as trees of tdxabi's own written from the facts (linux-shapes/, layered
 * like the kernel's history: Debian no longer serves these releases):
 * 5.19-6.2, 6.3, 6.4-6.6.1 (RSI left to the VMM: CVE-2023-52874, which must
 * fail on RSI and nothing else) and 6.6.2 (fixed). */
#include <stdio.h>
#include <string.h>

#include "linux_test_support.h"

struct expected_function {
	const char *function, *binding;
};

/* Every function found has its binding; all pass unless `leaking`, whose
 * every violation is then vmm-value-leaked on RSI. */
static void expect_shape(const struct catalog *catalog, const char *tree, const char *release,
			 const struct expected_function *functions, size_t count,
			 const char *leaking)
{
	struct linux_run run;
	run_linux(catalog, tree, &run);
	if (run.status != TDXABI_OK)
		fail_msg("%s: %s", release, run.diagnostic.text);
	assert_string_equal(run.summary->version, release);
	assert_int_equal(run.summary->function_count, count);
	for (size_t index = 0; index < count; index++) {
		const struct linux_function_summary *entry = function(&run, functions[index].function);
		assert_string_equal(entry->binding.name, functions[index].binding);
		bool leaks = leaking && strstr(leaking, functions[index].function);
		if (leaks != (entry->variants_failed == entry->variants))
			fail_msg("%s: %s fails in %zu of %zu variants", release, entry->function,
				 entry->variants_failed, entry->variants);
	}
	size_t violations = 0;
	for (size_t index = 0; index < run.report.result_count; index++) {
		const struct check_result *result = &run.report.results[index];
		for (size_t which = 0; which < result->violation_count; which++) {
			const struct violation *violation = &result->violations[which];
			if (violation->rule != RULE_VMM_VALUE_LEAKED ||
			    violation->tdx_register != GPR_RSI || !leaking ||
			    !strstr(leaking, result->stub))
				fail_msg("%s: %s: %s: %s", release, result->stub,
					 rule_id(violation->rule), violation->detail);
			violations++;
		}
	}
	if (leaking)
		assert_true(violations > 0);
	free_linux_run(&run);
}

/* A scratch tree of the layers named, laid in order ("5.19 6.3"). */
static const char *shape_tree(const char *name, const char *layers)
{
	const char *tree = scratch_copy(TDXABI_SHAPES_DIR "/5.19", name);
	char copy[64];
	for (const char *cursor = strchr(layers, ' '); cursor; cursor = strchr(cursor + 1, ' ')) {
		snprintf(copy, sizeof(copy), "%.*s", (int)strcspn(cursor + 1, " "), cursor + 1);
		shell("cp -r '%s/%s/.' '%s/'", TDXABI_SHAPES_DIR, copy, tree);
	}
	return tree;
}

static void test_5_19_to_6_2(void **state)
{
	static const struct expected_function functions[] = {
		{"__tdx_module_call", "linux-5.19-module-call"},
		{"__tdx_hypercall", "linux-5.19-hypercall"},
	};
	expect_shape(*state, shape_tree("shape-6.2", "5.19"), "6.2.0", functions, 2, NULL);
}

static void test_6_3(void **state)
{
	static const struct expected_function functions[] = {
		{"__tdx_module_call", "linux-5.19-module-call"},
		{"__tdx_hypercall", "linux-6.3-hypercall"},
	};
	expect_shape(*state, shape_tree("shape-6.3", "5.19 6.3"), "6.3.0", functions, 2, NULL);
}

static const struct expected_function shape_6_4[] = {
	{"__tdx_module_call", "linux-5.19-module-call"},
	{"__tdx_hypercall", "linux-6.4-hypercall"},
	{"__tdx_hypercall_ret", "linux-6.4-hypercall-ret"},
};

static void test_6_4_to_6_6_1_leaks_rsi(void **state)
{
	expect_shape(*state, shape_tree("shape-6.6.1", "5.19 6.3 6.4"), "6.6.1", shape_6_4, 3,
		     "__tdx_hypercall __tdx_hypercall_ret");
}

/* The fix of 6.6.2 and 6.5.12: RSI zeroed with the others. */
static void test_6_6_2_fixed(void **state)
{
	const char *tree = shape_tree("shape-6.6.2", "5.19 6.3 6.4");
	char path[700];
	snprintf(path, sizeof(path), "%s/arch/x86/coco/tdx/tdcall.S", tree);
	replace_in_file(path, "\txor\t%rdx, %rdx\n", "\txor\t%rdx, %rdx\n\txor\t%esi, %esi\n");
	snprintf(path, sizeof(path), "%s/Makefile", tree);
	replace_in_file(path, "SUBLEVEL = 1", "SUBLEVEL = 2");
	expect_shape(*state, tree, "6.6.2", shape_6_4, 3, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_5_19_to_6_2),
		cmocka_unit_test(test_6_3),
		cmocka_unit_test(test_6_4_to_6_6_1_leaks_rsi),
		cmocka_unit_test(test_6_6_2_fixed),
	};
	return cmocka_run_group_tests(tests, set_up_catalog, tear_down_catalog);
}
