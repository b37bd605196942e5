/* stray_write.S - mutant for rule stray-write, binding
 * linux-6.7-module-args-ret: besides the outputs it saves the status "for
 * convenience" in args+104, one word past the end of struct tdx_module_args. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_mutant_writes_past_args
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
	movq	%r8, ARGS_R8(%rsi)
	movq	%r9, ARGS_R9(%rsi)
	movq	%r10, ARGS_R10(%rsi)
	movq	%r11, ARGS_R11(%rsi)
	movq	%rax, 104(%rsi)		/* sizeof(struct tdx_module_args) == 104 */
	ret
END_FUNCTION tdxabi_mutant_writes_past_args
