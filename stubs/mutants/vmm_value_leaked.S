/* vmm_value_leaked.S - mutant for rule vmm-value-leaked, binding
 * linux-6.4-hypercall-ret: the scrub after TDG.VP.VMCALL forgets RSI, so the
 * VMM's RSI reaches the caller (CVE-2023-52874, Linux 6.4 .. 6.6.1). */
#include "hypercall_6_3.h"

FUNCTION tdxabi_mutant_keeps_vmm_rsi
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi
	movq	%rdi, %rax
	LOAD_HYPERCALL_ARGS %rax
	xorl	%eax, %eax
	movl	$EXPOSE_ALL_BUT_RBP, %ecx
	TDCALL
	testq	%rax, %rax
	jnz	9f
	movq	-48(%rbp), %rax
	STORE_HYPERCALL_ARGS %rax
	movq	%r10, %rax
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%edi, %edi
	/* missing: xorl %esi, %esi */
	xorl	%edx, %edx
	leaq	-40(%rbp), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
9:	call	__tdx_hypercall_failed
	jmp	9b
END_FUNCTION tdxabi_mutant_keeps_vmm_rsi
