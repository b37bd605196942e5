/* tdxabi test tree in the shape of Linux 5.19 to 6.6 (this layer: 5.19 to 6.2),
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

/* R10-R15 go to the VMM; the module gives back RDI (args) and RSI (flags) */
#define TDVMCALL_EXPOSE_REGS_MASK	0xfc00

SYM_FUNC_START(__tdx_hypercall)
	FRAME_BEGIN
	push	%r15
	push	%r14
	push	%r13
	push	%r12
	xor	%eax, %eax
	movq	TDX_HYPERCALL_r10(%rdi), %r10
	movq	TDX_HYPERCALL_r11(%rdi), %r11
	movq	TDX_HYPERCALL_r12(%rdi), %r12
	movq	TDX_HYPERCALL_r13(%rdi), %r13
	movq	TDX_HYPERCALL_r14(%rdi), %r14
	movq	TDX_HYPERCALL_r15(%rdi), %r15
	movl	$TDVMCALL_EXPOSE_REGS_MASK, %ecx
	testq	$TDX_HCALL_ISSUE_STI, %rsi
	jz	.Lskip_sti
	sti
.Lskip_sti:
	tdcall
	testq	%rax, %rax
	jne	.Lpanic
	movq	%r10, %rax
	testq	$TDX_HCALL_HAS_OUTPUT, %rsi
	jz	.Lout_skip
	movq	%r10, TDX_HYPERCALL_r10(%rdi)
	movq	%r11, TDX_HYPERCALL_r11(%rdi)
	movq	%r12, TDX_HYPERCALL_r12(%rdi)
	movq	%r13, TDX_HYPERCALL_r13(%rdi)
	movq	%r14, TDX_HYPERCALL_r14(%rdi)
	movq	%r15, TDX_HYPERCALL_r15(%rdi)
.Lout_skip:
	xor	%r10d, %r10d
	xor	%r11d, %r11d
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
