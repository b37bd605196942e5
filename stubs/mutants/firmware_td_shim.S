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
	TDCALL	/* defect: R10/R11 never zeroed after it */
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
	mov	rsi, rcx	/* defect: the args pointer goes in an exposed register */
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
	TDCALL	/* defect: a failed TDCALL returns instead of UD2 */
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

/* vmm-value-used: our reference asm_td_call (td-shim-tdcall) with the args
 * pointer kept in RDI across the TDCALL instead of on the stack, as td-shim
 * did before PR #714: TDG.VP.ENTER writes RDI, and the stores go there. */
	.globl tdxabi_mutant_args_in_rdi
	.type tdxabi_mutant_args_in_rdi, @function
tdxabi_mutant_args_in_rdi:
	push	rbx
	push	rbp
	push	rsi
	push	rdi
	push	r12
	push	r13
	push	r14
	push	r15
	mov	rdi, rcx
	mov	rax, [rdi]
	mov	rcx, [rdi + 8]
	mov	rdx, [rdi + 16]
	mov	r8, [rdi + 24]
	mov	r9, [rdi + 32]
	mov	r10, [rdi + 40]
	mov	r11, [rdi + 48]
	mov	r12, [rdi + 56]
	mov	r13, [rdi + 64]
	mov	r14, [rdi + 72]
	TDCALL
	mov	[rdi], rax	/* defect: RDI is what TDG.VP.ENTER returned */
	mov	[rdi + 8], rcx
	mov	[rdi + 16], rdx
	mov	[rdi + 24], r8
	mov	[rdi + 32], r9
	mov	[rdi + 40], r10
	mov	[rdi + 48], r11
	mov	[rdi + 56], r12
	mov	[rdi + 64], r13
	mov	[rdi + 72], r14
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rdi
	pop	rsi
	pop	rbp
	pop	rbx
	ret
	.size tdxabi_mutant_args_in_rdi, . - tdxabi_mutant_args_in_rdi

	.section .note.GNU-stack, "", @progbits
