/* stray_write.S - mutant for rule stray-write, binding
 * linux-6.7-module-args-ret: besides the outputs it saves the status "for
 * convenience" in args+104, one word past the end of struct tdx_module_args. */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_writes_past_args
	movq	%rdi, %rax
	LOAD_MODULE_ARGS_CORE
	pushq	%rsi
	TDCALL
	popq	%rsi
	STORE_MODULE_ARGS_CORE
	movq	%rax, 104(%rsi)		/* defect: past the 104-byte struct tdx_module_args */
	ret
END_FUNCTION tdxabi_mutant_writes_past_args
