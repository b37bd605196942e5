/* input_not_passed.S - mutant for rule input-not-passed, binding
 * linux-6.7-module-args-ret: it never loads R9 from the struct, so a leaf that
 * reads R9 (TDG.VM.WR) gets whatever the caller left in R9. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_mutant_forgets_r9
	movq	%rdi, %rax
	movq	ARGS_RCX(%rsi), %rcx
	movq	ARGS_RDX(%rsi), %rdx
	movq	ARGS_R8(%rsi), %r8
	/* missing: movq ARGS_R9(%rsi), %r9 */
	movq	ARGS_R10(%rsi), %r10
	movq	ARGS_R11(%rsi), %r11
	pushq	%rsi
	TDCALL	/* defect: R9 reaches it as the caller left it */
	popq	%rsi
	movq	%rcx, ARGS_RCX(%rsi)
	movq	%rdx, ARGS_RDX(%rsi)
	movq	%r8, ARGS_R8(%rsi)
	movq	%r9, ARGS_R9(%rsi)
	movq	%r10, ARGS_R10(%rsi)
	movq	%r11, ARGS_R11(%rsi)
	ret
END_FUNCTION tdxabi_mutant_forgets_r9
