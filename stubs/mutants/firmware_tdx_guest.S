/* firmware_tdx_guest.S - known-bad stubs of the tdx-guest crate's
 * conventions (System V, Intel syntax): our reference asm_td_vmcall of
 * reference/tdx_guest.S with one change each. */
#include "tdxabi_stub.h"

	.intel_syntax noprefix
	.text

/* returns -1 (the NULL-args code) where a failed TDCALL must return -2 */
	.globl tdxabi_mutant_wrong_failure_code
	.type tdxabi_mutant_wrong_failure_code, @function
tdxabi_mutant_wrong_failure_code:
	push	rbx
	push	r12
	push	r13
	push	r14
	push	r15
	push	rdi
	mov	rcx, [rdi + 72]
	or	rcx, EXPOSE_R10_TO_R15
	mov	r8, [rdi]
	mov	r9, [rdi + 8]
	mov	r10, [rdi + 16]
	mov	r11, [rdi + 24]
	mov	r12, [rdi + 32]
	mov	r13, [rdi + 40]
	mov	r14, [rdi + 48]
	mov	r15, [rdi + 56]
	mov	rbx, [rdi + 64]
	mov	rsi, [rdi + 88]
	mov	rdx, [rdi + 96]
	mov	rdi, [rdi + 80]
	xor	eax, eax
	TDCALL
	test	rax, rax
	jnz	1f
	pop	rax
	mov	[rax + 16], r10
	mov	[rax + 24], r11
	mov	[rax + 32], r12
	mov	[rax + 40], r13
	mov	[rax + 48], r14
	mov	[rax + 56], r15
	mov	rax, r10
	jmp	2f
1:	pop	rdi
	mov	rax, -1	/* defect: must be -2 */
2:	xor	edx, edx
	xor	esi, esi
	xor	edi, edi
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbx
	ret
	.size tdxabi_mutant_wrong_failure_code, . - tdxabi_mutant_wrong_failure_code

	.section .note.GNU-stack, "", @progbits
