/* flags_violation.S - mutant for rule flags-violation, binding
 * linux-6.7-module-args: it sets DF for a backwards copy and returns without
 * clearing it. */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_leaves_df
	std	/* defect: never cleared */
	movq	%rdi, %rax
	LOAD_MODULE_ARGS_CORE
	TDCALL
	/* missing: cld */
	ret
END_FUNCTION tdxabi_mutant_leaves_df
