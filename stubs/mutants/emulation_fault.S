/* emulation_fault.S - mutants for rule emulation-fault, binding
 * linux-6.7-module-args: one waits forever before its TDCALL, one jumps
 * through R11 after it (caller data, not code), one overwrites its own return
 * address with R10 and returns there. */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_spins
1:	jmp	1b	/* defect: spins forever */
	movq	%rdi, %rax
	TDCALL
	ret
END_FUNCTION tdxabi_mutant_spins

FUNCTION tdxabi_mutant_jumps_wild
	movq	%rdi, %rax
	LOAD_MODULE_ARGS_CORE
	TDCALL
	jmp	*%r11	/* defect: jumps to a caller value */
END_FUNCTION tdxabi_mutant_jumps_wild

FUNCTION tdxabi_mutant_corrupts_return
	movq	%rdi, %rax
	LOAD_MODULE_ARGS_CORE
	TDCALL
	movq	%r10, (%rsp)
	ret	/* defect: returns through a corrupted slot */
END_FUNCTION tdxabi_mutant_corrupts_return
