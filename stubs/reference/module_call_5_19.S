/* module_call_5_19.S - reference stubs for binding linux-5.19-module-call,
 * guest (TDCALL) and host (SEAMCALL) forms:
 *   u64 f(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9, struct tdx_module_output *out)
 * The out pointer rides across the call in RDI, which no leaf this binding can
 * express reads or writes, so nothing needs saving. */
#include "tdxabi_stub.h"

.macro MODULE_CALL_5_19 host
	movq	%rdi, %rax		/* leaf */
	movq	%r9, %rdi		/* out, kept in a register the module preserves */
	movq	%r8, %r9
	movq	%rcx, %r8
	movq	%rsi, %rcx		/* RDX is already in place */
.if \host
	SEAMCALL
	jnc	1f
	movabsq	$TDX_SEAMCALL_VMFAILINVALID, %rax
	ret				/* the module never ran: nothing to store */
1:
.else
	TDCALL
.endif
	testq	%rdi, %rdi
	jz	2f
	movq	%rcx, OUT_RCX(%rdi)
	movq	%rdx, OUT_RDX(%rdi)
	movq	%r8, OUT_R8(%rdi)
	movq	%r9, OUT_R9(%rdi)
	movq	%r10, OUT_R10(%rdi)
	movq	%r11, OUT_R11(%rdi)
2:
	ret
.endm

FUNCTION tdxabi_tdcall_module_call
	MODULE_CALL_5_19 host=0
END_FUNCTION tdxabi_tdcall_module_call

FUNCTION tdxabi_seamcall_module_call
	MODULE_CALL_5_19 host=1
END_FUNCTION tdxabi_seamcall_module_call
