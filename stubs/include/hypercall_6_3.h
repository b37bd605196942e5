/* hypercall_6_3.h - the twelve-register struct tdx_hypercall_args of Linux
 * 6.3 and 6.4 (offsets HC63_* in tdxabi_stub.h): loading and storing all of
 * it, and HYPERCALL_6_3, the body of the 6.3 and 6.4 reference stubs. */
#ifndef TDXABI_HYPERCALL_6_3_H
#define TDXABI_HYPERCALL_6_3_H

#include "tdxabi_stub.h"

/* All twelve registers from the struct at \base (RAX: not one of them). */
.macro LOAD_HYPERCALL_ARGS base
	movq	HC63_R8(\base), %r8
	movq	HC63_R9(\base), %r9
	movq	HC63_R10(\base), %r10
	movq	HC63_R11(\base), %r11
	movq	HC63_R12(\base), %r12
	movq	HC63_R13(\base), %r13
	movq	HC63_R14(\base), %r14
	movq	HC63_R15(\base), %r15
	movq	HC63_RDI(\base), %rdi
	movq	HC63_RSI(\base), %rsi
	movq	HC63_RBX(\base), %rbx
	movq	HC63_RDX(\base), %rdx
.endm

.macro STORE_HYPERCALL_ARGS base
	movq	%r8, HC63_R8(\base)
	movq	%r9, HC63_R9(\base)
	movq	%r10, HC63_R10(\base)
	movq	%r11, HC63_R11(\base)
	movq	%r12, HC63_R12(\base)
	movq	%r13, HC63_R13(\base)
	movq	%r14, HC63_R14(\base)
	movq	%r15, HC63_R15(\base)
	movq	%rdi, HC63_RDI(\base)
	movq	%rsi, HC63_RSI(\base)
	movq	%rbx, HC63_RBX(\base)
	movq	%rdx, HC63_RDX(\base)
.endm

/* The mask 0xFFCC exposes RDI and RSI too, so the args pointer (and the
 * flags, when \has_flags) live in RBP's frame: RBP is the one register the
 * VMM never sees. Args at -48(%rbp), flags at -56(%rbp). After ENTER the
 * VMM has answered; a failed TDCALL jumps to the panic at the end of RETURN. */
.macro HYPERCALL_6_3_ENTER has_flags
	pushq	%rbp
	movq	%rsp, %rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi
.if \has_flags
	pushq	%rsi
.endif
	movq	%rdi, %rax
	LOAD_HYPERCALL_ARGS %rax
	xorl	%eax, %eax		/* TDG.VP.VMCALL */
	movl	$EXPOSE_ALL_BUT_RBP, %ecx
	TDCALL
	testq	%rax, %rax
	jnz	9f
.endm

/* RAX = the VMM's TDVMCALL status; no other VMM value outlives the call
 * (RBX and R12-R15 come back from the stack in RETURN). */
.macro HYPERCALL_6_3_SCRUB
	movq	%r10, %rax
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%edi, %edi
	xorl	%esi, %esi
	xorl	%edx, %edx
.endm

.macro HYPERCALL_6_3_RETURN
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

/* The 6.3 and 6.4 stubs: with \has_flags the struct is stored back when
 * flags has HAS_OUTPUT, otherwise when \store. */
.macro HYPERCALL_6_3 has_flags, store
	HYPERCALL_6_3_ENTER has_flags=\has_flags
.if \has_flags
	testq	$HCALL_HAS_OUTPUT, -56(%rbp)
	jz	1f
.endif
.if \store
	movq	-48(%rbp), %rax
	STORE_HYPERCALL_ARGS %rax
.endif
1:	HYPERCALL_6_3_SCRUB
	HYPERCALL_6_3_RETURN
.endm

#endif
