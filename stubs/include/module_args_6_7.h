/* module_args_6_7.h - struct tdx_module_args (ARGS_* in tdxabi_stub.h):
 * loading and storing its core registers, and MODULE_ARGS_6_7, the body of
 * our reference stubs for linux-6.7-module-args{,-ret,-saved-ret}: the args
 * pointer waits on the stack; callee-saved registers pushed only when carried.
 * A mutant may pass one instruction to run on the outputs before they are
 * stored (after_call). */
#ifndef TDXABI_MODULE_ARGS_6_7_H
#define TDXABI_MODULE_ARGS_6_7_H

#include "tdxabi_stub.h"

/* RCX, RDX, R8-R11 from / to the struct at RSI */
.macro LOAD_MODULE_ARGS_CORE
	movq	ARGS_RCX(%rsi), %rcx
	movq	ARGS_RDX(%rsi), %rdx
	movq	ARGS_R8(%rsi), %r8
	movq	ARGS_R9(%rsi), %r9
	movq	ARGS_R10(%rsi), %r10
	movq	ARGS_R11(%rsi), %r11
.endm

.macro STORE_MODULE_ARGS_CORE
	movq	%rcx, ARGS_RCX(%rsi)
	movq	%rdx, ARGS_RDX(%rsi)
	movq	%r8, ARGS_R8(%rsi)
	movq	%r9, ARGS_R9(%rsi)
	movq	%r10, ARGS_R10(%rsi)
	movq	%r11, ARGS_R11(%rsi)
.endm

.macro MODULE_ARGS_6_7 host, store, saved, after_call
	movq	%rdi, %rax		/* leaf */
	LOAD_MODULE_ARGS_CORE
.if \saved
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	ARGS_R12(%rsi), %r12
	movq	ARGS_R13(%rsi), %r13
	movq	ARGS_R14(%rsi), %r14
	movq	ARGS_R15(%rsi), %r15
	movq	ARGS_RBX(%rsi), %rbx
.endif
.if \store
	pushq	%rsi			/* args */
.endif
.if \saved
	movq	ARGS_RDI(%rsi), %rdi
	movq	ARGS_RSI(%rsi), %rsi	/* last: it was the args pointer */
.endif
1:
.if \host
	SEAMCALL
	jc	7f			/* VMfailInvalid */
.else
	TDCALL
.endif
	\after_call
.if \store
	xchgq	%rsi, (%rsp)		/* RSI = args; the slot keeps the leaf's RSI */
	STORE_MODULE_ARGS_CORE
.if \saved
	movq	%r12, ARGS_R12(%rsi)
	movq	%r13, ARGS_R13(%rsi)
	movq	%r14, ARGS_R14(%rsi)
	movq	%r15, ARGS_R15(%rsi)
	movq	%rbx, ARGS_RBX(%rsi)
	movq	%rdi, ARGS_RDI(%rsi)
	popq	ARGS_RSI(%rsi)
	xorl	%ecx, %ecx		/* no module or VMM value outlives the call; */
	xorl	%edx, %edx		/* RBX and R12-R15 come back from the stack */
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%edi, %edi
.else
	addq	$8, %rsp
.endif
.endif
8:
.if \saved
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
.endif
	ret
.if \host
7:	movabsq	$TDX_SEAMCALL_VMFAILINVALID, %rax
6:
.if \store
	popq	%rsi			/* the module never ran: nothing to store */
.endif
	jmp	8b
5:	movabsq	$TDX_SW_ERROR, %rdi	/* RAX holds the trap number */
	orq	%rdi, %rax
	jmp	6b
	EXCEPTION_FIXUP 1b, 5b
.endif
.endm

#endif
