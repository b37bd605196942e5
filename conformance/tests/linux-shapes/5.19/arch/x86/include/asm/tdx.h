/* tdxabi test tree in the shape of Linux 5.19 to 6.6 (this layer: 5.19 to 6.2),
 * written for tdxabi from the facts in shared/reference/linux-stubs-and-tdx-spec-tables.md
 * (no kernel source) */
#ifndef SHAPE_ASM_X86_TDX_H
#define SHAPE_ASM_X86_TDX_H

#include <linux/bits.h>
#include <asm/shared/tdx.h>

#define TDX_SEAMCALL_VMFAILINVALID	0x8000FF00FFFF0000

#ifndef __ASSEMBLY__
struct tdx_module_output {
	u64 rcx;
	u64 rdx;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
};

u64 __tdx_module_call(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
		      struct tdx_module_output *out);
#endif
#endif
