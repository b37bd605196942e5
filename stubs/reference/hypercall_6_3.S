/* hypercall_6_3.S - reference stub for binding linux-6.3-hypercall:
 *   u64 f(struct { u64 r8, r9, r10 .. r15, rdi, rsi, rbx, rdx; } *args, unsigned long flags)
 * The mask 0xFFCC exposes RDI and RSI too, so args and flags live in RBP's
 * frame, and RBP is the one register the VMM never sees. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_hypercall_6_3
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi			/* args:  -48(%rbp) */
	pushq	%rsi			/* flags: -56(%rbp) */
	movq	%rdi, %rax
	movq	HC63_R8(%rax), %r8
	movq	HC63_R9(%rax), %r9
	movq	HC63_R10(%rax), %r10
	movq	HC63_R11(%rax), %r11
	movq	HC63_R12(%rax), %r12
	movq	HC63_R13(%rax), %r13
	movq	HC63_R14(%rax), %r14
	movq	HC63_R15(%rax), %r15
	movq	HC63_RDI(%rax), %rdi
	movq	HC63_RSI(%rax), %rsi
	movq	HC63_RBX(%rax), %rbx
	movq	HC63_RDX(%rax), %rdx
	xorl	%eax, %eax		/* TDG.VP.VMCALL */
	movl	$EXPOSE_ALL_BUT_RBP, %ecx
	TDCALL
	testq	%rax, %rax
	jnz	9f
	testq	$HCALL_HAS_OUTPUT, -56(%rbp)
	jz	1f
	movq	-48(%rbp), %rax
	movq	%r8, HC63_R8(%rax)
	movq	%r9, HC63_R9(%rax)
	movq	%r10, HC63_R10(%rax)
	movq	%r11, HC63_R11(%rax)
	movq	%r12, HC63_R12(%rax)
	movq	%r13, HC63_R13(%rax)
	movq	%r14, HC63_R14(%rax)
	movq	%r15, HC63_R15(%rax)
	movq	%rdi, HC63_RDI(%rax)
	movq	%rsi, HC63_RSI(%rax)
	movq	%rbx, HC63_RBX(%rax)
	movq	%rdx, HC63_RDX(%rax)
1:	movq	%r10, %rax		/* the VMM's TDVMCALL status */
	xorl	%r8d, %r8d		/* VMM values must not outlive the call */
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%edi, %edi
	xorl	%esi, %esi
	xorl	%edx, %edx
	leaq	-40(%rbp), %rsp
	popq	%r15			/* RBX and R12-R15 come back from the stack */
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
9:	call	__tdx_hypercall_failed	/* never returns */
	jmp	9b
END_FUNCTION tdxabi_hypercall_6_3
