/* tdxabi test tree in the shape of Linux 6.4 to 6.6.1 (this layer, over 6.3),
 * written for tdxabi from the facts in shared/reference/linux-stubs-and-tdx-spec-tables.md
 * (no kernel source) */
#ifndef SHAPE_ASM_X86_SHARED_TDX_H
#define SHAPE_ASM_X86_SHARED_TDX_H

#include <linux/bits.h>
#include <linux/types.h>


#ifndef __ASSEMBLY__
struct tdx_hypercall_args {
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
	u64 r12;
	u64 r13;
	u64 r14;
	u64 r15;
	u64 rdi;
	u64 rsi;
	u64 rbx;
	u64 rdx;
};

u64 __tdx_hypercall(struct tdx_hypercall_args *args);
u64 __tdx_hypercall_ret(struct tdx_hypercall_args *args);
void __tdx_hypercall_failed(void);
#endif
#endif
