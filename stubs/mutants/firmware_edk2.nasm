; firmware_edk2.nasm - known-bad stubs of the edk2 conventions (MS x64), one
; per bug class the firmware projects fixed (shared/reference/firmware-abis.md),
; each our reference stub of reference/edk2_tdcall.nasm with one change.
%include "tdxabi_stub.inc"

	DEFAULT REL
	SECTION .text

; the standard prologue and epilogue of our TdVmCall: seven callee-saved pushes
%macro SAVE_ALL 0
	push	r12
	push	r13
	push	r14
	push	r15
	push	rbx
	push	rsi
	push	rdi
%endmacro
%macro RESTORE_ALL 0
	pop	rdi
	pop	rsi
	pop	rbx
	pop	r15
	pop	r14
	pop	r13
	pop	r12
%endmacro
; the arguments into R11-R15 and every exposed register without one zeroed
%macro LOAD_TDVMCALL 1
	mov	r11, rcx
	mov	r12, rdx
	mov	r13, r8
	mov	r14, r9
	mov	r15, [rsp + 0x60]
	xor	eax, eax
	mov	ecx, %1
	xor	r10d, r10d
	xor	edx, edx
	xor	ebx, ebx
	xor	esi, esi
	xor	edi, edi
	xor	r8d, r8d
	xor	r9d, r9d
%endmacro
%macro SCRUB 0
	xor	edx, edx
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
%endmacro

; input-rejected: the mask of edk2 before PR #5479 (0xffec) selects RBP
; (zeroed, so only NO_RBP_MOD objects), which the module refuses in every
; TD KVM creates (edk2 issue #9483).
	global tdxabi_mutant_rbp_in_mask
tdxabi_mutant_rbp_in_mask:
	SAVE_ALL
	push	rbp
	mov	r11, rcx
	mov	r12, rdx
	mov	r13, r8
	mov	r14, r9
	mov	r15, [rsp + 0x68]
	xor	eax, eax
	mov	ecx, 0xffec		; defect: RBP in the mask
	xor	r10d, r10d
	xor	edx, edx
	xor	ebx, ebx
	xor	ebp, ebp
	xor	esi, esi
	xor	edi, edi
	xor	r8d, r8d
	xor	r9d, r9d
	TDCALL
	test	rax, rax
	jnz	.scrub
	mov	rax, r10
	mov	rdx, [rsp + 0x70]
	test	rdx, rdx
	jz	.scrub
	mov	[rdx], r11
.scrub:
	SCRUB
	pop	rbp
	RESTORE_ALL
	ret

; td-value-exposed: RBX is exposed (0xffcc) but not zeroed, so the VMM sees
; the caller's RBX.
	global tdxabi_mutant_exposes_rbx
tdxabi_mutant_exposes_rbx:
	SAVE_ALL
	mov	rbx, [rsp + 16]		; the caller's RBX, saved above
	LOAD_TDVMCALL EXPOSE_ALL_BUT_RBP
	mov	rbx, [rsp + 16]		; ... put back after the zeroing - defect: RBX exposed
	TDCALL
	test	rax, rax
	jnz	.scrub
	mov	rax, r10
	mov	rdx, [rsp + 0x68]
	test	rdx, rdx
	jz	.scrub
	mov	[rdx], r11
.scrub:
	SCRUB
	RESTORE_ALL
	ret

; output-not-stored: R11 stored only when the VMM succeeded, as edk2 did
; before Bugzilla 4572 (a MapGPA RETRY lost its resume GPA).
	global tdxabi_mutant_r11_only_on_success
tdxabi_mutant_r11_only_on_success:
	SAVE_ALL
	LOAD_TDVMCALL EXPOSE_ALL_BUT_RBP
	TDCALL
	test	rax, rax
	jnz	.scrub
	mov	rax, r10
	test	r10, r10
	jnz	.scrub
	mov	rdx, [rsp + 0x68]
	test	rdx, rdx
	jz	.scrub
	mov	[rdx], r11
.scrub:
	SCRUB
	RESTORE_ALL
	ret		; defect: returns without storing R11 on a VMM error

; callee-saved-clobbered: RSI is callee-saved under MS x64 (not SysV), and
; this TdVmCall neither saves nor restores it.
	global tdxabi_mutant_forgets_rsi
tdxabi_mutant_forgets_rsi:
	push	r12
	push	r13
	push	r14
	push	r15
	push	rbx
	push	rdi
	push	rdi			; keeps the frame of the reference stub
	LOAD_TDVMCALL EXPOSE_ALL_BUT_RBP
	TDCALL
	test	rax, rax
	jnz	.scrub
	mov	rax, r10
	mov	rdx, [rsp + 0x68]
	test	rdx, rdx
	jz	.scrub
	mov	[rdx], r11
.scrub:
	SCRUB
	xor	esi, esi		; defect: no VMM value stays: only RSI is lost
	pop	rdi
	pop	rdi
	pop	rbx
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	ret

; stack-imbalance: the failure branch jumps past one pop, so every later pop
; is shifted and RET takes a saved register for the return address.
	global tdxabi_mutant_skips_pop_on_failure
tdxabi_mutant_skips_pop_on_failure:
	SAVE_ALL
	LOAD_TDVMCALL EXPOSE_ALL_BUT_RBP
	TDCALL
	test	rax, rax
	jnz	.failed
	mov	rax, r10
	mov	rdx, [rsp + 0x68]
	test	rdx, rdx
	jz	.scrub
	mov	[rdx], r11
.scrub:
	SCRUB
	pop	rdi
.failed:
	pop	rsi		; defect: takes the slot of the pop the failure branch skipped
	pop	rbx
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	ret

; vmm-value-used: TdCall keeps the Results pointer in R9, which it does not
; pass, across the TDCALL; a leaf that writes R9 makes it store where the
; module's value points (a pointer kept in a register the leaf writes).
	global tdxabi_mutant_results_in_r9
tdxabi_mutant_results_in_r9:
	mov	rax, rcx
	mov	rcx, rdx
	mov	rdx, r8
	mov	r8, r9
	mov	r9, [rsp + 0x28]
	TDCALL
	test	rax, rax
	jnz	.done
	test	r9, r9
	jz	.done
	mov	[r9], rcx		; defect: R9 is the module's output now
	mov	[r9 + 8], rdx
	mov	[r9 + 16], r8
	mov	[r9 + 32], r10
	mov	[r9 + 40], r11
	mov	[r9 + 24], r9
.done:
	ret

; callee-saved-clobbered: XMM6 is callee-saved under MS x64.
	global tdxabi_mutant_clobbers_xmm6
tdxabi_mutant_clobbers_xmm6:
	push	rbx
	pxor	xmm6, xmm6		; defect: XMM6 never saved
	mov	rax, rcx
	mov	rcx, rdx
	mov	rdx, r8
	mov	r8, r9
	TDCALL
	test	rax, rax
	jnz	.done
	mov	rbx, [rsp + 0x30]
	test	rbx, rbx
	jz	.done
	mov	[rbx], rcx
	mov	[rbx + 8], rdx
	mov	[rbx + 16], r8
	mov	[rbx + 24], r9
	mov	[rbx + 32], r10
	mov	[rbx + 40], r11
.done:
	pop	rbx
	ret

; td-value-exposed: an AP loop whose mask (0xffcc, edk2 before PR #6536)
; exposes the mailbox pointer in RBX; it keeps a copy, so only the exposure
; is wrong (the loop as edk2 had it also used the VMM's RBX: vmm-value-used)
	global tdxabi_mutant_ap_loop_exposes_mailbox
tdxabi_mutant_ap_loop_exposes_mailbox:
	mov	rbp, rbx		; RBP (the vCPU index) is not needed, nor exposed
	xor	eax, eax
	mov	ecx, EXPOSE_ALL_BUT_RBP
	xor	r10d, r10d
	mov	r11d, EXIT_REASON_CPUID
	mov	r12d, 0xb
	TDCALL		; defect: exposes the mailbox pointer in RBX
	test	rax, rax
	jnz	.panic
	test	r10, r10
	jnz	.panic
	mov	rbx, rbp
	mov	r8, r15
.wait:
	cmp	dword [rbx], 0
	je	.wait
	cmp	dword [rbx + 4], 0xfffffffe
	je	.command
	cmp	dword [rbx + 4], r8d
	jne	.wait
.command:
	cmp	dword [rbx], 1
	jne	.wait
	mov	rax, [rbx + 8]
	mov	qword [rbx], 0
	jmp	rax
.panic:
	ud2
