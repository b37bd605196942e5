/* stack_imbalance.S - mutant for rule stack-imbalance, binding
 * linux-6.7-module-args: it returns with `ret $8`, popping a slot of the
 * caller's frame as if the callee owned its arguments. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_mutant_ret_8
	movq	%rdi, %rax
	movq	ARGS_RCX(%rsi), %rcx
	movq	ARGS_RDX(%rsi), %rdx
	movq	ARGS_R8(%rsi), %r8
	movq	ARGS_R9(%rsi), %r9
	movq	ARGS_R10(%rsi), %r10
	movq	ARGS_R11(%rsi), %r11
	TDCALL
	ret	$8
END_FUNCTION tdxabi_mutant_ret_8
