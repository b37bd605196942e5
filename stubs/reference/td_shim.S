/* td_shim.S - our reference stubs of the td-shim conventions (MS x64, Intel
 * syntax as Rust's global_asm! writes them): td-shim-tdcall (and its 2024
 * and 2022 forms), td-shim-tdvmcall and td-shim-tdvmcall-ex, written from
 * the binding facts.
 * The args pointer lives on our own stack across the TDCALL (never in a
 * register the module or the VMM may write), and no value of the VMM stays
 * in a register at return. */
#include "tdxabi_stub.h"

	.intel_syntax noprefix
	.text

/* u64 asm_td_call(TdcallArgs *args = rcx): RAX, RCX, RDX, R8 and up, one
 * field each, in and out; LAST is the last register of the struct (r13 or
 * r14), STORE_ALWAYS 0 skips the stores when the TDCALL failed. What
 * TDG.VP.ENTER returns beyond the struct is dropped: every callee-saved
 * register is pushed and popped. */
.macro TD_SHIM_TDCALL name, last, store_always
	.globl \name
	.type \name, @function
\name:
	push	rbx
	push	rbp
	push	rsi
	push	rdi
	push	r12
	push	r13
	push	r14
	push	r15
	push	rcx
	mov	rax, [rcx]
	mov	rdx, [rcx + 16]
	mov	r8, [rcx + 24]
	mov	r9, [rcx + 32]
	mov	r10, [rcx + 40]
	mov	r11, [rcx + 48]
	mov	r12, [rcx + 56]
	mov	r13, [rcx + 64]
.ifc \last, r14
	mov	r14, [rcx + 72]
.endif
	mov	rcx, [rcx + 8]
	TDCALL
	pop	r15
.if \store_always == 0
	test	rax, rax
	jnz	1f
.endif
	mov	[r15], rax
	mov	[r15 + 8], rcx
	mov	[r15 + 16], rdx
	mov	[r15 + 24], r8
	mov	[r15 + 32], r9
	mov	[r15 + 40], r10
	mov	[r15 + 48], r11
	mov	[r15 + 56], r12
	mov	[r15 + 64], r13
.ifc \last, r14
	mov	[r15 + 72], r14
.endif
1:	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rdi
	pop	rsi
	pop	rbp
	pop	rbx
	ret
	.size \name, . - \name
.endm

	TD_SHIM_TDCALL tdxabi_td_shim_tdcall, r14, 1
	TD_SHIM_TDCALL tdxabi_td_shim_2024_tdcall, r13, 1
	TD_SHIM_TDCALL tdxabi_td_shim_2022_tdcall, r13, 0

/* u64 asm_td_vmcall(TdVmcallArgs *args = rcx, u64 do_sti = rdx): r10-r15 */
	.globl tdxabi_td_shim_tdvmcall
	.type tdxabi_td_shim_tdvmcall, @function
tdxabi_td_shim_tdvmcall:
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
	mov	ecx, EXPOSE_R10_TO_R15
	test	rdx, rdx
	jz	1f
	sti
1:	TDCALL
	test	rax, rax
	jnz	2f
	pop	rax
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
2:	ud2
	.size tdxabi_td_shim_tdvmcall, . - tdxabi_td_shim_tdvmcall

/* u64 asm_td_vmcall_ex(TdVmcallArgsEx *args = rcx, u64 do_sti = rdx):
 * rdx, rbx, rsi, rdi, r8-r15 */
	.globl tdxabi_td_shim_tdvmcall_ex
	.type tdxabi_td_shim_tdvmcall_ex, @function
tdxabi_td_shim_tdvmcall_ex:
	push	rbx
	push	rsi
	push	rdi
	push	r12
	push	r13
	push	r14
	push	r15
	push	rcx
	mov	rax, rdx		/* do_sti, until the flags are set */
	mov	rdx, [rcx]
	mov	rbx, [rcx + 8]
	mov	rsi, [rcx + 16]
	mov	rdi, [rcx + 24]
	mov	r8, [rcx + 32]
	mov	r9, [rcx + 40]
	mov	r10, [rcx + 48]
	mov	r11, [rcx + 56]
	mov	r12, [rcx + 64]
	mov	r13, [rcx + 72]
	mov	r14, [rcx + 80]
	mov	r15, [rcx + 88]
	mov	ecx, EXPOSE_ALL_BUT_RBP
	test	rax, rax
	mov	eax, TDG_VP_VMCALL
	jz	1f
	sti
1:	TDCALL
	test	rax, rax
	jnz	2f
	pop	rax
	mov	[rax], rdx
	mov	[rax + 8], rbx
	mov	[rax + 16], rsi
	mov	[rax + 24], rdi
	mov	[rax + 32], r8
	mov	[rax + 40], r9
	mov	[rax + 48], r10
	mov	[rax + 56], r11
	mov	[rax + 64], r12
	mov	[rax + 72], r13
	mov	[rax + 80], r14
	mov	[rax + 88], r15
	mov	rax, r10
	xor	edx, edx
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	pop	rdi
	pop	rsi
	pop	rbx
	ret
2:	ud2
	.size tdxabi_td_shim_tdvmcall_ex, . - tdxabi_td_shim_tdvmcall_ex

	.section .note.GNU-stack, "", @progbits
