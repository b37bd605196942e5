/* input_rejected.S - mutant for rule input-rejected, binding
 * linux-6.7-module-args-saved-ret: it carries every register but forgets to
 * load R15, so R15 holds what the caller left there (its own callee-saved
 * value). TDG.DMAR.ACCEPT (tdx-2.0.18) requires R8-R15 to be 0: the module
 * refuses the call, and a leaf that merely reads R15 would hide it. */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_leaves_r15
	movq	%rdi, %rax
	LOAD_MODULE_ARGS_CORE
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	ARGS_R12(%rsi), %r12
	movq	ARGS_R13(%rsi), %r13
	movq	ARGS_R14(%rsi), %r14
	/* missing: movq ARGS_R15(%rsi), %r15 */
	movq	ARGS_RBX(%rsi), %rbx
	pushq	%rsi
	movq	ARGS_RDI(%rsi), %rdi
	movq	ARGS_RSI(%rsi), %rsi
	TDCALL	/* defect: R15 reaches it as the caller left it, not 0 */
	xchgq	%rsi, (%rsp)
	STORE_MODULE_ARGS_CORE
	movq	%r12, ARGS_R12(%rsi)
	movq	%r13, ARGS_R13(%rsi)
	movq	%r14, ARGS_R14(%rsi)
	movq	%r15, ARGS_R15(%rsi)
	movq	%rbx, ARGS_RBX(%rsi)
	movq	%rdi, ARGS_RDI(%rsi)
	popq	ARGS_RSI(%rsi)
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%edi, %edi
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	ret
END_FUNCTION tdxabi_mutant_leaves_r15
