/* hypercall_6_4.S - reference stubs for bindings linux-6.4-hypercall and
 * linux-6.4-hypercall-ret (same struct as 6.3, no flags):
 *   u64 f(struct tdx_hypercall_args *args)
 * The _ret form stores all twelve registers back. Both scrub every register
 * the VMM could have written, RSI included (CVE-2023-52874). */
#include "tdxabi_stub.h"

.macro HYPERCALL_6_4 store
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi			/* args: -48(%rbp) */
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
.if \store
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
.endif
	movq	%r10, %rax		/* the VMM's TDVMCALL status */
	xorl	%r8d, %r8d		/* VMM values must not outlive the call */
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%edi, %edi
	xorl	%esi, %esi
	xorl	%edx, %edx
	leaq	-40(%rbp), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
9:	call	__tdx_hypercall_failed	/* never returns */
	jmp	9b
.endm

FUNCTION tdxabi_hypercall_6_4
	HYPERCALL_6_4 store=0
END_FUNCTION tdxabi_hypercall_6_4

FUNCTION tdxabi_hypercall_6_4_ret
	HYPERCALL_6_4 store=1
END_FUNCTION tdxabi_hypercall_6_4_ret
