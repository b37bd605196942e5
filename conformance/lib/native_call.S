/* native_call.S - native_call(registers, entry): calls a stub natively with
 * all sixteen GPRs loaded from registers[] (RSP excepted: the call runs on
 * this stack), and stores all sixteen back after it returns. Saves and
 * restores what the C caller's convention keeps. For `tdxabi bench`'s
 * native SIGILL peer. */
	.text
	.globl	native_call
	.type	native_call, @function
native_call:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi			/* registers[], for after the call */
	pushq	%rsi			/* the entry */
	subq	$8, %rsp		/* RSP + 8 16-byte aligned at the stub's entry */
	movq	0x08(%rdi), %rcx
	movq	0x10(%rdi), %rdx
	movq	0x18(%rdi), %rbx
	movq	0x28(%rdi), %rbp
	movq	0x30(%rdi), %rsi
	movq	0x40(%rdi), %r8
	movq	0x48(%rdi), %r9
	movq	0x50(%rdi), %r10
	movq	0x58(%rdi), %r11
	movq	0x60(%rdi), %r12
	movq	0x68(%rdi), %r13
	movq	0x70(%rdi), %r14
	movq	0x78(%rdi), %r15
	movq	0x00(%rdi), %rax
	movq	0x38(%rdi), %rdi
	call	*8(%rsp)
	addq	$16, %rsp
	xchgq	%rdi, (%rsp)		/* registers[]; the stub's RDI kept on the stack */
	movq	%rax, 0x00(%rdi)
	movq	%rcx, 0x08(%rdi)
	movq	%rdx, 0x10(%rdi)
	movq	%rbx, 0x18(%rdi)
	movq	%rbp, 0x28(%rdi)
	movq	%rsi, 0x30(%rdi)
	popq	%rax
	movq	%rax, 0x38(%rdi)
	movq	%r8, 0x40(%rdi)
	movq	%r9, 0x48(%rdi)
	movq	%r10, 0x50(%rdi)
	movq	%r11, 0x58(%rdi)
	movq	%r12, 0x60(%rdi)
	movq	%r13, 0x68(%rdi)
	movq	%r14, 0x70(%rdi)
	movq	%r15, 0x78(%rdi)
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	cld
	ret
	.size	native_call, . - native_call
	.section .note.GNU-stack, "", @progbits
