/* tdxabi test tree in the shape of Linux 5.19 to 6.6 (this layer: 5.19 to 6.2),
 * written for tdxabi from the facts in shared/reference/linux-stubs-and-tdx-spec-tables.md
 * (no kernel source).
 * Only the TDX part of the kernel's asm-offsets.c. */
#define COMPILE_OFFSETS
#include <asm/tdx.h>

static void __used common(void)
{
	BLANK();
	OFFSET(TDX_MODULE_rcx, tdx_module_output, rcx);
	OFFSET(TDX_MODULE_rdx, tdx_module_output, rdx);
	OFFSET(TDX_MODULE_r8, tdx_module_output, r8);
	OFFSET(TDX_MODULE_r9, tdx_module_output, r9);
	OFFSET(TDX_MODULE_r10, tdx_module_output, r10);
	OFFSET(TDX_MODULE_r11, tdx_module_output, r11);

	OFFSET(TDX_HYPERCALL_r10, tdx_hypercall_args, r10);
	OFFSET(TDX_HYPERCALL_r11, tdx_hypercall_args, r11);
	OFFSET(TDX_HYPERCALL_r12, tdx_hypercall_args, r12);
	OFFSET(TDX_HYPERCALL_r13, tdx_hypercall_args, r13);
	OFFSET(TDX_HYPERCALL_r14, tdx_hypercall_args, r14);
	OFFSET(TDX_HYPERCALL_r15, tdx_hypercall_args, r15);
}
