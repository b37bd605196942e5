/* status_mismatch.S - mutant for rule status-mismatch, binding
 * linux-6.7-module-args: it never tests CF after SEAMCALL, so VMfailInvalid
 * returns the leaf number still in RAX instead of TDX_SEAMCALL_VMFAILINVALID. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_mutant_ignores_cf
	movq	%rdi, %rax
	movq	ARGS_RCX(%rsi), %rcx
	movq	ARGS_RDX(%rsi), %rdx
	movq	ARGS_R8(%rsi), %r8
	movq	ARGS_R9(%rsi), %r9
	movq	ARGS_R10(%rsi), %r10
	movq	ARGS_R11(%rsi), %r11
1:	SEAMCALL
	/* missing: jc to the VMfailInvalid path */
	ret
2:	movabsq	$TDX_SW_ERROR, %rdi
	orq	%rdi, %rax
	ret
	EXCEPTION_FIXUP 1b, 2b
END_FUNCTION tdxabi_mutant_ignores_cf
