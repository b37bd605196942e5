/* test_linux_evolution.c - edits the kernel has made, or plausibly will make,
 * to the files around its TDX stubs, each on a scratch copy of Debian's 6.12
 * tree, and what tdxabi must say of each: pass, a function left undecided
 * with its reason while the rest pass, or one clear refusal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux_test_support.h"

#define SEAMCALL_PROTOTYPES                                                                        \
	"u64 __seamcall(u64 fn, struct tdx_module_args *args);\n"                                  \
	"u64 __seamcall_ret(u64 fn, struct tdx_module_args *args);\n"                              \
	"u64 __seamcall_saved_ret(u64 fn, struct tdx_module_args *args);\n"

enum outcome { PASSES, UNDECIDED, REFUSED };

struct evolution {
	const char *name;
	const char *script; /* shell run in the copy's root */
	enum outcome outcome;
	const char *function; /* UNDECIDED: the function left unchecked */
	const char *message;  /* UNDECIDED, REFUSED: part of the reason; PASSES: a stand-in or NULL */
	size_t checked;       /* PASSES, UNDECIDED: how many functions are checked, and pass */
};

static const struct evolution evolutions[] = {
	/* 7.1: asm/tdx.h includes C-only headers outside its __ASSEMBLER__ guard */
	{"c-only-includes",
	 "sed -i 's|#include <asm/shared/tdx.h>|&\\n#include <linux/mmzone.h>\\n#include "
	 "<linux/kvm_types.h>|' arch/x86/include/asm/tdx.h",
	 PASSES, NULL, "linux/mmzone.h", 7},
	/* 7.2: the SEAMCALL prototypes move to virt/vmx/tdx/seamcall_internal.h */
	{"prototypes-move",
	 "sed -i '/^u64 __seamcall/d' arch/x86/include/asm/tdx.h && printf '#include "
	 "<asm/tdx.h>\\n" SEAMCALL_PROTOTYPES "' > arch/x86/virt/vmx/tdx/seamcall_internal.h",
	 PASSES, NULL, NULL, 7},
	{"struct-gains-a-member",
	 "sed -i '0,/\\tu64 rcx;/s//\\tu64 version;\\n\\tu64 rcx;/' arch/x86/include/asm/shared/tdx.h",
	 PASSES, NULL, NULL, 7},
	{"struct-loses-a-member", "sed -i '/^\\tu64 rsi;/d' arch/x86/include/asm/shared/tdx.h",
	 REFUSED, NULL, "compiling the tree's TDX structs (asm-offsets) failed", 0},
	{"macro-renamed",
	 "sed -i 's/TDX_MODULE_CALL/TDX_CALL/g' arch/x86/virt/vmx/tdx/tdxcall.S "
	 "arch/x86/virt/vmx/tdx/seamcall.S arch/x86/coco/tdx/tdcall.S",
	 PASSES, NULL, NULL, 7},
	{"offsets-renamed",
	 "sed -i 's/TDX_MODULE_\\([a-z]\\)/TDX_ARGS_\\1/g' arch/x86/kernel/asm-offsets.c "
	 "arch/x86/virt/vmx/tdx/tdxcall.S",
	 PASSES, NULL, NULL, 7},
	{"tdxcall-split",
	 "mv arch/x86/virt/vmx/tdx/tdxcall.S arch/x86/virt/vmx/tdx/tdxcall_macro.S && printf "
	 "'#include \"tdxcall_macro.S\"\\n' > arch/x86/virt/vmx/tdx/tdxcall.S",
	 PASSES, NULL, NULL, 7},
	/* a new function of a known shape that no binding names yet */
	{"new-exported-function",
	 "printf 'SYM_FUNC_START(__seamcall_again)\\n\\tTDX_MODULE_CALL host=1 ret=1\\n"
	 "SYM_FUNC_END(__seamcall_again)\\n' >> arch/x86/virt/vmx/tdx/seamcall.S && sed -i "
	 "'s|^u64 __seamcall(u64 fn, struct tdx_module_args \\*args);|&\\nu64 "
	 "__seamcall_again(u64 fn, struct tdx_module_args *args);|' arch/x86/include/asm/tdx.h",
	 UNDECIDED, "__seamcall_again", "matches no known binding: none names it", 7},
	{"headers-disagree",
	 "printf 'u64 __tdcall(u64 fn, u64 *args);\\n' > arch/x86/coco/tdx/tdx_internal.h", UNDECIDED,
	 "__tdcall",
	 "arch/x86/include/asm/shared/tdx.h declares u64(u64,struct tdx_module_args*), but "
	 "arch/x86/coco/tdx/tdx_internal.h declares u64(u64,u64*)", 6},
	{"stub-includes-a-missing-stub",
	 "printf '#include \"tdxcall_gone.S\"\\n' >> arch/x86/virt/vmx/tdx/seamcall.S", REFUSED,
	 NULL, "includes tdxcall_gone.S, which neither the tree nor the shims have", 0},
};

static bool has_standin(const struct kernel_build *build, const char *name)
{
	for (size_t index = 0; index < build->standins.count; index++)
		if (strcmp(build->standins.names[index], name) == 0)
			return true;
	return false;
}

static void expect(const struct catalog *catalog, const struct evolution *evolution,
		   const char *tree)
{
	struct linux_run run;
	run_linux(catalog, tree, &run);
	if (evolution->outcome == REFUSED) {
		if (run.status != TDXABI_BAD_INPUT || !strstr(run.diagnostic.text, evolution->message))
			fail_msg("%s: status %d, \"%s\", expected \"%s\"", evolution->name, run.status,
				 run.diagnostic.text, evolution->message);
		free_linux_run(&run);
		return;
	}
	if (run.status != TDXABI_OK)
		fail_msg("%s: %s", evolution->name, run.diagnostic.text);
	size_t checked = 0;
	for (size_t index = 0; index < run.summary->function_count; index++) {
		const struct linux_function_summary *entry = &run.summary->functions[index];
		bool odd = evolution->function && strcmp(entry->function, evolution->function) == 0;
		if (odd && !strstr(entry->undecided, evolution->message))
			fail_msg("%s: %s: \"%s\", expected \"%s\"", evolution->name, entry->function,
				 entry->undecided, evolution->message);
		if (odd)
			continue;
		if (entry->undecided[0])
			fail_msg("%s: %s", evolution->name, entry->undecided);
		if (entry->variants_failed || entry->leaves_passed == 0 ||
		    entry->leaves_passed != entry->leaves_expressible)
			fail_msg("%s: %s fails", evolution->name, entry->function);
		checked++;
	}
	if (checked != evolution->checked)
		fail_msg("%s: %zu functions checked, not %zu", evolution->name, checked,
			 evolution->checked);
	assert_int_equal(check_report_totals(&run.report).fail, 0);
	free_linux_run(&run);
	if (evolution->outcome != PASSES || !evolution->message)
		return;
	/* the stand-ins are listed by the build that made them and by a reuse */
	char cache[600];
	snprintf(cache, sizeof(cache), "%s/scratch/cache-%s", TDXABI_TEST_CACHE, evolution->name);
	shell("rm -rf '%s'", cache);
	for (int pass = 0; pass < 2; pass++) {
		run_linux_in(catalog, tree, cache, catalog_default_spec(catalog), &run);
		if (!has_standin(&run.summary->build, evolution->message))
			fail_msg("%s: no stand-in for %s (%s build)", evolution->name,
				 evolution->message, pass ? "reused" : "new");
		assert_int_equal(run.summary->build.reused, pass == 1);
		free_linux_run(&run);
	}
}

static void test_kernel_evolutions(void **state)
{
	const char *original = tree_or_skip("6.12");
	for (size_t index = 0; index < sizeof(evolutions) / sizeof(evolutions[0]); index++) {
		char name[96];
		snprintf(name, sizeof(name), "evolution-%s", evolutions[index].name);
		const char *tree = scratch_copy(original, name);
		shell("cd '%s' && %s", tree, evolutions[index].script);
		expect(*state, &evolutions[index], tree);
	}
}

/* The member added in front moves every offset: the binding follows. */
static void test_grown_struct_is_followed(void **state)
{
	const char *tree = scratch_copy(tree_or_skip("6.12"), "evolution-grown");
	shell("cd '%s' && %s", tree, evolutions[2].script);
	struct linux_run run;
	run_linux(*state, tree, &run);
	if (run.status != TDXABI_OK)
		fail_msg("%s", run.diagnostic.text);
	const struct binding *binding = &function(&run, "__tdcall_ret")->binding;
	assert_int_equal(binding_input_for(binding, GPR_RCX)->offset, 8);
	free_linux_run(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_evolutions),
		cmocka_unit_test(test_grown_struct_is_followed),
	};
	return cmocka_run_group_tests(tests, set_up_catalog, tear_down_catalog);
}
