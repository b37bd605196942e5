/* hypercall_6_3.S - reference stub for binding linux-6.3-hypercall:
 *   u64 f(struct { u64 r8, r9, r10 .. r15, rdi, rsi, rbx, rdx; } *args, unsigned long flags)
 * stores the struct back when flags has HAS_OUTPUT. */
#include "hypercall_6_3.h"

FUNCTION tdxabi_hypercall_6_3
	HYPERCALL_6_3 has_flags=1, store=1
END_FUNCTION tdxabi_hypercall_6_3
