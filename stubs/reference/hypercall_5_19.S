/* hypercall_5_19.S - reference stub for binding linux-5.19-hypercall:
 *   u64 f(struct { u64 r10, r11, r12, r13, r14, r15; } *args, unsigned long flags)
 * The mask 0xFC00 exposes only R10-R15, so the module gives back RDI (args)
 * and RSI (flags) untouched. A failed TDCALL goes to __tdx_hypercall_failed. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_hypercall_5_19
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	HC519_R10(%rdi), %r10
	movq	HC519_R11(%rdi), %r11
	movq	HC519_R12(%rdi), %r12
	movq	HC519_R13(%rdi), %r13
	movq	HC519_R14(%rdi), %r14
	movq	HC519_R15(%rdi), %r15
	xorl	%eax, %eax		/* TDG.VP.VMCALL */
	movl	$EXPOSE_R10_TO_R15, %ecx
	testq	$HCALL_ISSUE_STI, %rsi
	jz	1f
	sti
1:	TDCALL
	testq	%rax, %rax
	jnz	9f
	movq	%r10, %rax		/* the VMM's TDVMCALL status */
	testq	$HCALL_HAS_OUTPUT, %rsi
	jz	2f
	movq	%r10, HC519_R10(%rdi)
	movq	%r11, HC519_R11(%rdi)
	movq	%r12, HC519_R12(%rdi)
	movq	%r13, HC519_R13(%rdi)
	movq	%r14, HC519_R14(%rdi)
	movq	%r15, HC519_R15(%rdi)
2:	xorl	%r10d, %r10d		/* VMM values must not outlive the call */
	xorl	%r11d, %r11d
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	ret
9:	call	__tdx_hypercall_failed	/* never returns */
	jmp	9b
END_FUNCTION tdxabi_hypercall_5_19
