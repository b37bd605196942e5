/* callee_saved_clobbered.S - mutant for rule callee-saved-clobbered, binding
 * linux-6.7-module-args-ret: the naive way to add the TDX 1.5 migration inputs,
 * loading R12-R14 from the struct without saving the caller's values (the 2023
 * SEAMCALL discussion). */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_naive_r12_r14
	movq	%rdi, %rax
	LOAD_MODULE_ARGS_CORE
	movq	ARGS_R12(%rsi), %r12	/* defect: callee-saved, never pushed */
	movq	ARGS_R13(%rsi), %r13	/* defect: R13 never pushed */
	movq	ARGS_R14(%rsi), %r14	/* defect: R14 never pushed */
	pushq	%rsi
.Lnaive_seamcall:
	SEAMCALL
	popq	%rsi			/* keeps CF */
	jc	1f
	STORE_MODULE_ARGS_CORE
	ret
1:	movabsq	$TDX_SEAMCALL_VMFAILINVALID, %rax
	ret
2:	movabsq	$TDX_SW_ERROR, %rdi
	orq	%rdi, %rax
	popq	%rsi
	ret
	EXCEPTION_FIXUP .Lnaive_seamcall, 2b
END_FUNCTION tdxabi_mutant_naive_r12_r14
