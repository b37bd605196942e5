/* tdxabi test tree in the shape of Linux 6.3 to 6.6 (this layer: 6.3, over 5.19),
 * written for tdxabi from the facts in shared/reference/linux-stubs-and-tdx-spec-tables.md
 * (no kernel source) */
#include <asm/asm-offsets.h>
#include <asm/asm.h>
#include <asm/frame.h>
#include <linux/linkage.h>
#include <linux/bits.h>
#include <linux/errno.h>

#include "../../virt/vmx/tdx/tdxcall.S"

SYM_FUNC_START(__tdx_module_call)
	FRAME_BEGIN
	TDX_MODULE_CALL host=0
	FRAME_END
	RET
SYM_FUNC_END(__tdx_module_call)

/* every GPR but RAX, RCX, RSP and RBP goes to the VMM */
#define TDVMCALL_EXPOSE_REGS_MASK	0xffcc

SYM_FUNC_START(__tdx_hypercall)
	FRAME_BEGIN
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	push	%rbx
	movq	%rdi, %rax
	push	%rsi
	movq	TDX_HYPERCALL_r8(%rax), %r8
	movq	TDX_HYPERCALL_r9(%rax), %r9
	movq	TDX_HYPERCALL_r10(%rax), %r10
	movq	TDX_HYPERCALL_r11(%rax), %r11
	movq	TDX_HYPERCALL_r12(%rax), %r12
	movq	TDX_HYPERCALL_r13(%rax), %r13
	movq	TDX_HYPERCALL_r14(%rax), %r14
	movq	TDX_HYPERCALL_r15(%rax), %r15
	movq	TDX_HYPERCALL_rdi(%rax), %rdi
	movq	TDX_HYPERCALL_rsi(%rax), %rsi
	movq	TDX_HYPERCALL_rbx(%rax), %rbx
	movq	TDX_HYPERCALL_rdx(%rax), %rdx
	push	%rax
	xor	%eax, %eax
	movl	$TDVMCALL_EXPOSE_REGS_MASK, %ecx
	tdcall
	testq	%rax, %rax
	jne	.Lpanic
	pop	%rax
	testq	$TDX_HCALL_HAS_OUTPUT, (%rsp)
	jz	.Lout_skip
	movq	%r8, TDX_HYPERCALL_r8(%rax)
	movq	%r9, TDX_HYPERCALL_r9(%rax)
	movq	%r10, TDX_HYPERCALL_r10(%rax)
	movq	%r11, TDX_HYPERCALL_r11(%rax)
	movq	%r12, TDX_HYPERCALL_r12(%rax)
	movq	%r13, TDX_HYPERCALL_r13(%rax)
	movq	%r14, TDX_HYPERCALL_r14(%rax)
	movq	%r15, TDX_HYPERCALL_r15(%rax)
	movq	%rdi, TDX_HYPERCALL_rdi(%rax)
	movq	%rsi, TDX_HYPERCALL_rsi(%rax)
	movq	%rbx, TDX_HYPERCALL_rbx(%rax)
	movq	%rdx, TDX_HYPERCALL_rdx(%rax)
.Lout_skip:
	movq	%r10, %rax
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%rdi, %rdi
	xor	%rdx, %rdx
	/* RSI: the flags again, not the VMM's value */
	pop	%rsi
	pop	%rbx
	pop	%r12
	pop	%r13
	pop	%r14
	pop	%r15
	FRAME_END
	RET
.Lpanic:
	call	__tdx_hypercall_failed
	jmp	.Lpanic
SYM_FUNC_END(__tdx_hypercall)
