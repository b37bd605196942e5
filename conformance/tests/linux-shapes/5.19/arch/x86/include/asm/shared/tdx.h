/* tdxabi test tree in the shape of Linux 5.19 to 6.6 (this layer: 5.19 to 6.2),
 * written for tdxabi from the facts in shared/reference/linux-stubs-and-tdx-spec-tables.md
 * (no kernel source) */
#ifndef SHAPE_ASM_X86_SHARED_TDX_H
#define SHAPE_ASM_X86_SHARED_TDX_H

#include <linux/bits.h>
#include <linux/types.h>

#define TDX_HCALL_HAS_OUTPUT	BIT(0)
#define TDX_HCALL_ISSUE_STI	BIT(1)

#ifndef __ASSEMBLY__
struct tdx_hypercall_args {
	u64 r10;
	u64 r11;
	u64 r12;
	u64 r13;
	u64 r14;
	u64 r15;
};

u64 __tdx_hypercall(struct tdx_hypercall_args *args, unsigned long flags);
void __tdx_hypercall_failed(void);
#endif
#endif
