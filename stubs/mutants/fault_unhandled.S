/* fault_unhandled.S - mutant for rule fault-unhandled, binding
 * linux-6.7-module-args: a host stub with the VMfailInvalid check but no
 * __ex_table entry, so #UD or #GP at SEAMCALL would oops the kernel. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_mutant_no_extable
	movq	%rdi, %rax
	movq	ARGS_RCX(%rsi), %rcx
	movq	ARGS_RDX(%rsi), %rdx
	movq	ARGS_R8(%rsi), %r8
	movq	ARGS_R9(%rsi), %r9
	movq	ARGS_R10(%rsi), %r10
	movq	ARGS_R11(%rsi), %r11
	SEAMCALL
	jnc	1f
	movabsq	$TDX_SEAMCALL_VMFAILINVALID, %rax
1:	ret
	/* missing: EXCEPTION_FIXUP for the SEAMCALL */
END_FUNCTION tdxabi_mutant_no_extable
