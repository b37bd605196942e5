/* emulation_fault.S - mutants for rule emulation-fault, binding
 * linux-6.7-module-args: one waits forever before its TDCALL, one jumps
 * through R11 after it (caller data, not code), one overwrites its own return
 * address with R10 and returns there. */
#include "tdxabi_stub.h"

FUNCTION tdxabi_mutant_spins
1:	jmp	1b
	movq	%rdi, %rax
	TDCALL
	ret
END_FUNCTION tdxabi_mutant_spins

FUNCTION tdxabi_mutant_jumps_wild
	movq	%rdi, %rax
	movq	ARGS_RCX(%rsi), %rcx
	movq	ARGS_RDX(%rsi), %rdx
	movq	ARGS_R8(%rsi), %r8
	movq	ARGS_R9(%rsi), %r9
	movq	ARGS_R10(%rsi), %r10
	movq	ARGS_R11(%rsi), %r11
	TDCALL
	jmp	*%r11
END_FUNCTION tdxabi_mutant_jumps_wild

FUNCTION tdxabi_mutant_corrupts_return
	movq	%rdi, %rax
	movq	ARGS_RCX(%rsi), %rcx
	movq	ARGS_RDX(%rsi), %rdx
	movq	ARGS_R8(%rsi), %r8
	movq	ARGS_R9(%rsi), %r9
	movq	ARGS_R10(%rsi), %r10
	movq	ARGS_R11(%rsi), %r11
	TDCALL
	movq	%r10, (%rsp)
	ret
END_FUNCTION tdxabi_mutant_corrupts_return
