/* stack_imbalance.S - mutant for rule stack-imbalance, binding
 * linux-6.7-module-args: it returns with `ret $8`, popping a slot of the
 * caller's frame as if the callee owned its arguments. */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_ret_8
	movq	%rdi, %rax
	LOAD_MODULE_ARGS_CORE
	TDCALL
	ret	$8	/* defect: pops 8 bytes of the caller's frame */
END_FUNCTION tdxabi_mutant_ret_8
