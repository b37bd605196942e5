/* vmm_value_leaked.S - mutant for rule vmm-value-leaked, binding
 * linux-6.4-hypercall-ret: the scrub after TDG.VP.VMCALL forgets RSI, so the
 * VMM's RSI reaches the caller (CVE-2023-52874, Linux 6.4 .. 6.6.1). */
#include "hypercall_6_3.h"

FUNCTION tdxabi_mutant_keeps_vmm_rsi
	HYPERCALL_6_3_ENTER has_flags=0	/* defect: the VMM's RSI is never zeroed */
	movq	-48(%rbp), %rax
	STORE_HYPERCALL_ARGS %rax
	movq	%r10, %rax
	xorl	%r8d, %r8d
	xorl	%r9d, %r9d
	xorl	%r10d, %r10d
	xorl	%r11d, %r11d
	xorl	%edi, %edi
	/* missing: xorl %esi, %esi */
	xorl	%edx, %edx
	HYPERCALL_6_3_RETURN
END_FUNCTION tdxabi_mutant_keeps_vmm_rsi
