/* status_mismatch.S - mutant for rule status-mismatch, binding
 * linux-6.7-module-args: it never tests CF after SEAMCALL, so VMfailInvalid
 * returns the leaf number still in RAX instead of TDX_SEAMCALL_VMFAILINVALID. */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_ignores_cf
	movq	%rdi, %rax
	LOAD_MODULE_ARGS_CORE
1:	SEAMCALL	/* defect: no jc after it */
	/* missing: jc to the VMfailInvalid path */
	ret
2:	movabsq	$TDX_SW_ERROR, %rdi
	orq	%rdi, %rax
	ret
	EXCEPTION_FIXUP 1b, 2b
END_FUNCTION tdxabi_mutant_ignores_cf
