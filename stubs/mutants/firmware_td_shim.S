/* firmware_td_shim.S - known-bad stubs of the td-shim conventions (MS x64,
 * Intel syntax), each our reference asm_td_vmcall of reference/td_shim.S
 * with one change from a bug class the projects fixed. */
#include "tdxabi_stub.h"

	.intel_syntax noprefix
	.text

.macro LOAD_R10_R15
	push	r12
	push	r13
	push	r14
	push	r15
	push	rcx
	mov	r10, [rcx]
	mov	r11, [rcx + 8]
	mov	r12, [rcx + 16]
	mov	r13, [rcx + 24]
	mov	r14, [rcx + 32]
	mov	r15, [rcx + 40]
	xor	eax, eax
.endm

.macro STORE_R10_R15
	pop	rax
	mov	[rax], r10
	mov	[rax + 8], r11
	mov	[rax + 16], r12
	mov	[rax + 24], r13
	mov	[rax + 32], r14
	mov	[rax + 40], r15
	mov	rax, r10
.endm

.macro RESTORE_R12_R15
	pop	r15
	pop	r14
	pop	r13
	pop	r12
.endm

/* vmm-value-leaked: the R10/R11 scrub before the return is gone, so the
 * VMM's R11 (and, when its status is unusual, its R10) reach the caller. */
	.globl tdxabi_mutant_leaves_r10_r11
	.type tdxabi_mutant_leaves_r10_r11, @function
tdxabi_mutant_leaves_r10_r11:
	LOAD_R10_R15
	mov	ecx, EXPOSE_R10_TO_R15
	TDCALL
	test	rax, rax
	jnz	1f
	STORE_R10_R15
	RESTORE_R12_R15
	ret
1:	ud2
	.size tdxabi_mutant_leaves_r10_r11, . - tdxabi_mutant_leaves_r10_r11

/* td-value-exposed: the args pointer sits in RSI, and the mask exposes RSI
 * too (td-shim before PR #307 exposed its own registers to the VMM). */
	.globl tdxabi_mutant_exposes_args
	.type tdxabi_mutant_exposes_args, @function
tdxabi_mutant_exposes_args:
	push	rsi
	mov	rsi, rcx
	LOAD_R10_R15
	mov	ecx, EXPOSE_R10_TO_R15 | 0x40
	TDCALL
	test	rax, rax
	jnz	1f
	STORE_R10_R15
	xor	r10d, r10d
	xor	r11d, r11d
	RESTORE_R12_R15
	pop	rsi
	ret
1:	ud2
	.size tdxabi_mutant_exposes_args, . - tdxabi_mutant_exposes_args

/* status-mismatch: a failed TDCALL returns instead of executing UD2. */
	.globl tdxabi_mutant_returns_on_failure
	.type tdxabi_mutant_returns_on_failure, @function
tdxabi_mutant_returns_on_failure:
	LOAD_R10_R15
	mov	ecx, EXPOSE_R10_TO_R15
	TDCALL
	test	rax, rax
	jnz	1f
	STORE_R10_R15
	xor	r10d, r10d
	xor	r11d, r11d
	RESTORE_R12_R15
	ret
1:	pop	rcx
	RESTORE_R12_R15
	ret
	.size tdxabi_mutant_returns_on_failure, . - tdxabi_mutant_returns_on_failure

	.section .note.GNU-stack, "", @progbits
