/* tdx_guest.S - our reference stubs of the tdx-guest crate's conventions
 * (System V, Intel syntax as Rust's global_asm! writes them):
 * tdx-guest-tdcall, tdx-guest-tdvmcall and tdx-guest-2024-tdvmcall, written
 * from the binding facts. */
#include "tdxabi_stub.h"

	.intel_syntax noprefix
	.text

/* u64 asm_td_call(TdcallArgs *args = rdi): rax, rcx, rdx, r8-r13 in; the
 * outputs only when the TDCALL succeeded; the args pointer on the stack,
 * and every callee-saved register pushed (TDG.VP.ENTER writes them all) */
	.globl tdxabi_tdx_guest_tdcall
	.type tdxabi_tdx_guest_tdcall, @function
tdxabi_tdx_guest_tdcall:
	push	rbx
	push	rbp
	push	r12
	push	r13
	push	r14
	push	r15
	push	rdi
	mov	rax, [rdi]
	mov	rcx, [rdi + 8]
	mov	rdx, [rdi + 16]
	mov	r8, [rdi + 24]
	mov	r9, [rdi + 32]
	mov	r10, [rdi + 40]
	mov	r11, [rdi + 48]
	mov	r12, [rdi + 56]
	mov	r13, [rdi + 64]
	TDCALL
	pop	rdi
	test	rax, rax
	jnz	1f
	mov	[rdi], rax
	mov	[rdi + 8], rcx
	mov	[rdi + 16], rdx
	mov	[rdi + 24], r8
	mov	[rdi + 32], r9
	mov	[rdi + 40], r10
	mov	[rdi + 48], r11
	mov	[rdi + 56], r12
	mov	[rdi + 64], r13
1:	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rbp
	pop	rbx
	ret
	.size tdxabi_tdx_guest_tdcall, . - tdxabi_tdx_guest_tdcall

/* u64 asm_td_vmcall(TdVmcallArgs *args = rdi): r8-r15, rbx, rdi, rsi, rdx
 * in, RCX = args->rcx | R10-R15, R10-R15 stored back; returns the VMM's R10,
 * or -2 when the TDCALL failed */
	.globl tdxabi_tdx_guest_tdvmcall
	.type tdxabi_tdx_guest_tdvmcall, @function
tdxabi_tdx_guest_tdvmcall:
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
	mov	rax, -2
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
	.size tdxabi_tdx_guest_tdvmcall, . - tdxabi_tdx_guest_tdvmcall

/* u64 asm_td_vmcall(TdVmcallArgs *args = rdi), the 2024 form: R10-R15 in
 * and out of a 48-byte struct, mask R10-R15, UD2 when the TDCALL failed,
 * returns R10 */
	.globl tdxabi_tdx_guest_2024_tdvmcall
	.type tdxabi_tdx_guest_2024_tdvmcall, @function
tdxabi_tdx_guest_2024_tdvmcall:
	push	r12
	push	r13
	push	r14
	push	r15
	push	rdi
	mov	r10, [rdi]
	mov	r11, [rdi + 8]
	mov	r12, [rdi + 16]
	mov	r13, [rdi + 24]
	mov	r14, [rdi + 32]
	mov	r15, [rdi + 40]
	xor	eax, eax
	mov	ecx, EXPOSE_R10_TO_R15
	TDCALL
	test	rax, rax
	jz	1f
	ud2
1:	pop	rax
	mov	[rax], r10
	mov	[rax + 8], r11
	mov	[rax + 16], r12
	mov	[rax + 24], r13
	mov	[rax + 32], r14
	mov	[rax + 40], r15
	mov	rax, r10
	xor	r10d, r10d
	xor	r11d, r11d
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	ret
	.size tdxabi_tdx_guest_2024_tdvmcall, . - tdxabi_tdx_guest_2024_tdvmcall

	.section .note.GNU-stack, "", @progbits
