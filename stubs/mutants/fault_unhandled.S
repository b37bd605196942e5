/* fault_unhandled.S - mutant for rule fault-unhandled, binding
 * linux-6.7-module-args: a host stub with the VMfailInvalid check but no
 * __ex_table entry, so #UD or #GP at SEAMCALL would oops the kernel. */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_no_extable
	movq	%rdi, %rax
	LOAD_MODULE_ARGS_CORE
	SEAMCALL	/* defect: no __ex_table entry */
	jnc	1f
	movabsq	$TDX_SEAMCALL_VMFAILINVALID, %rax
1:	ret
	/* missing: EXCEPTION_FIXUP for the SEAMCALL */
END_FUNCTION tdxabi_mutant_no_extable
