/* output_not_stored.S - mutant for rule output-not-stored, binding
 * linux-6.7-module-args-ret: it stores every output but R8, so TDG.VM.RD's
 * value never reaches args->r8. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_mutant_drops_r8
	movq	%rdi, %rax
	movq	ARGS_RCX(%rsi), %rcx
	movq	ARGS_RDX(%rsi), %rdx
	movq	ARGS_R8(%rsi), %r8
	movq	ARGS_R9(%rsi), %r9
	movq	ARGS_R10(%rsi), %r10
	movq	ARGS_R11(%rsi), %r11
	pushq	%rsi
	TDCALL
	popq	%rsi
	movq	%rcx, ARGS_RCX(%rsi)
	movq	%rdx, ARGS_RDX(%rsi)
	/* missing: movq %r8, ARGS_R8(%rsi) */
	movq	%r9, ARGS_R9(%rsi)
	movq	%r10, ARGS_R10(%rsi)
	movq	%r11, ARGS_R11(%rsi)
	ret	/* defect: returns without storing R8 */
END_FUNCTION tdxabi_mutant_drops_r8
