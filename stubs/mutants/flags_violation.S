/* flags_violation.S - mutant for rule flags-violation, binding
 * linux-6.7-module-args: it sets DF for a backwards copy and returns without
 * clearing it. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_mutant_leaves_df
	std
	movq	%rdi, %rax
	movq	ARGS_RCX(%rsi), %rcx
	movq	ARGS_RDX(%rsi), %rdx
	movq	ARGS_R8(%rsi), %r8
	movq	ARGS_R9(%rsi), %r9
	movq	ARGS_R10(%rsi), %r10
	movq	ARGS_R11(%rsi), %r11
	TDCALL
	/* missing: cld */
	ret
END_FUNCTION tdxabi_mutant_leaves_df
