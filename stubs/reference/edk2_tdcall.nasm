; edk2_tdcall.nasm - our reference stubs of the edk2 conventions (MS x64):
; edk2-tdcall, edk2-tdvmcall and edk2-tdvmcall-cpuid, written from the
; binding facts. Each saves what MS x64 makes callee-saved and it uses,
; zeroes every exposed register that carries no argument, and leaves no
; value of the VMM in a register at return.
%include "tdxabi_stub.inc"

	DEFAULT REL
	SECTION .text

; UINT64 TdCall(Leaf rcx, Arg1 rdx, Arg2 r8, Arg3 r9, Results [rsp+0x28])
	global tdxabi_edk2_tdcall
tdxabi_edk2_tdcall:
	push	rbx
	mov	rax, rcx
	mov	rcx, rdx
	mov	rdx, r8
	mov	r8, r9
	TDCALL
	test	rax, rax
	jnz	.done			; outputs only when the TDCALL succeeded
	mov	rbx, [rsp + 0x30]	; Results, above the push
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

; UINT64 TdVmCall(Leaf rcx, Arg1 rdx, Arg2 r8, Arg3 r9, Arg4 [rsp+0x28],
;                 Results [rsp+0x30])
	global tdxabi_edk2_tdvmcall
tdxabi_edk2_tdvmcall:
	push	r12
	push	r13
	push	r14
	push	r15
	push	rbx
	push	rsi
	push	rdi
	; seven pushes: Arg4 at [rsp+0x60], Results at [rsp+0x68]
	mov	r11, rcx
	mov	r12, rdx
	mov	r13, r8
	mov	r14, r9
	mov	r15, [rsp + 0x60]
	xor	eax, eax		; TDG.VP.VMCALL
	mov	ecx, EXPOSE_ALL_BUT_RBP
	xor	r10d, r10d		; a standard TDVMCALL
	xor	edx, edx		; exposed, but no argument
	xor	ebx, ebx
	xor	esi, esi
	xor	edi, edi
	xor	r8d, r8d
	xor	r9d, r9d
	TDCALL
	test	rax, rax
	jnz	.scrub			; the TDCALL failed: return its status
	mov	rax, r10		; the VMM's status
	mov	rdx, [rsp + 0x68]
	test	rdx, rdx
	jz	.scrub
	mov	[rdx], r11		; whatever the VMM's status (MapGPA RETRY)
.scrub:
	xor	edx, edx		; nothing of the VMM's stays behind
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
	pop	rdi
	pop	rsi
	pop	rbx
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	ret

; UINT64 TdVmCallCpuid(EaxIn rcx, EcxIn rdx, Results r8)
	global tdxabi_edk2_tdvmcall_cpuid
tdxabi_edk2_tdvmcall_cpuid:
	push	r12
	push	r13
	push	r14
	push	r15
	push	rbx
	push	rsi
	push	rdi
	push	r8			; Results, kept on our own stack
	mov	r12, rcx
	mov	r13, rdx
	xor	eax, eax
	mov	ecx, EXPOSE_ALL_BUT_RBP
	xor	r10d, r10d
	mov	r11d, EXIT_REASON_CPUID
	xor	edx, edx
	xor	ebx, ebx
	xor	esi, esi
	xor	edi, edi
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r14d, r14d
	xor	r15d, r15d
	TDCALL
	pop	r8
	test	rax, rax
	jnz	.scrub
	mov	rax, r10
	test	r10, r10
	jnz	.scrub			; the VMM refused: no results
	test	r8, r8
	jz	.scrub
	mov	[r8], r12
	mov	[r8 + 8], r13
	mov	[r8 + 16], r14
	mov	[r8 + 24], r15
.scrub:
	xor	edx, edx
	xor	r8d, r8d
	xor	r9d, r9d
	xor	r10d, r10d
	xor	r11d, r11d
	pop	rdi
	pop	rsi
	pop	rbx
	pop	r15
	pop	r14
	pop	r13
	pop	r12
	ret
