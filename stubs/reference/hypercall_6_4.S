/* hypercall_6_4.S - reference stubs for bindings linux-6.4-hypercall and
 * linux-6.4-hypercall-ret (the 6.3 struct, no flags):
 *   u64 f(struct tdx_hypercall_args *args)
 * The _ret form stores all twelve registers back. Both scrub every register
 * the VMM could have written, RSI included (CVE-2023-52874). */
#include "hypercall_6_3.h"

FUNCTION tdxabi_hypercall_6_4
	HYPERCALL_6_3 has_flags=0, store=0
END_FUNCTION tdxabi_hypercall_6_4

FUNCTION tdxabi_hypercall_6_4_ret
	HYPERCALL_6_3 has_flags=0, store=1
END_FUNCTION tdxabi_hypercall_6_4_ret
