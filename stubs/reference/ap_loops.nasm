; ap_loops.nasm - our reference AP mailbox loops (entry points that never
; return: RBX the ACPI wakeup mailbox, RBP the vCPU index), written from the
; binding facts: the x2APIC ID by TDVMCALL<CPUID 0xB> with a mask that
; exposes neither RBP (NO_RBP_MOD) nor the mailbox pointer in RBX, UD2 when
; the call fails, then the mailbox and the jump to the wakeup vector.
%include "tdxabi_stub.inc"

	DEFAULT REL
	SECTION .text

%define MAILBOX_COMMAND 0
%define MAILBOX_APIC_ID 4
%define MAILBOX_WAKEUP_VECTOR 8
%define COMMAND_NOOP 0
%define COMMAND_WAKEUP 1
%define APIC_ID_BROADCAST 0xfffffffe

; edk2-ap-mailbox-loop: panics when the TDCALL or the VMM fails; keeps the
; mailbox address in its own code, as the relocated loop does
	global tdxabi_edk2_ap_loop
tdxabi_edk2_ap_loop:
	xor	eax, eax
	mov	ecx, EXPOSE_ALL_BUT_RBP_RBX
	xor	r10d, r10d
	mov	r11d, EXIT_REASON_CPUID
	mov	r12d, 0xb
	TDCALL
	test	rax, rax
	jnz	.panic
	test	r10, r10
	jnz	.panic
	mov	r8, r15			; the x2APIC ID
	mov	[rel .mailbox], rbx
.wait:
	cmp	dword [rbx + MAILBOX_COMMAND], COMMAND_NOOP
	je	.wait
	cmp	dword [rbx + MAILBOX_APIC_ID], APIC_ID_BROADCAST
	je	.command
	cmp	dword [rbx + MAILBOX_APIC_ID], r8d
	jne	.wait
.command:
	cmp	dword [rbx + MAILBOX_COMMAND], COMMAND_WAKEUP
	jne	.wait
	mov	rax, [rbx + MAILBOX_WAKEUP_VECTOR]
	mov	qword [rbx + MAILBOX_COMMAND], 0	; acknowledged
	jmp	rax
.panic:
	ud2
	align 8
.mailbox:
	dq	0

; td-shim-ap-mailbox-loop: sub-leaf 0 in R13, panics when the TDCALL fails,
; a 32-bit wakeup vector
	global tdxabi_td_shim_ap_loop
tdxabi_td_shim_ap_loop:
	xor	eax, eax
	mov	ecx, EXPOSE_ALL_BUT_RBP_RBX
	xor	r10d, r10d
	mov	r11d, EXIT_REASON_CPUID
	mov	r12d, 0xb
	xor	r13d, r13d
	TDCALL
	test	rax, rax
	jnz	.panic
	mov	r8, r15
.wait:
	cmp	dword [rbx + MAILBOX_APIC_ID], APIC_ID_BROADCAST
	je	.command
	cmp	dword [rbx + MAILBOX_APIC_ID], r8d
	jne	.wait
.command:
	mov	eax, [rbx + MAILBOX_COMMAND]
	cmp	eax, COMMAND_WAKEUP
	jne	.wait
	mov	eax, [rbx + MAILBOX_WAKEUP_VECTOR]
	mov	qword [rbx + MAILBOX_COMMAND], 0
	jmp	rax
.panic:
	ud2
