/* linux/linkage.h (tdxabi shim) - SYM_FUNC_START/END and RET for assembling
 * a kernel's TDX stubs outside kbuild; the variant picks TDXABI_ENDBR (leading
 * endbr64), TDXABI_RET_THUNK (jmp __x86_return_thunk), TDXABI_RET_SLS
 * (ret; int3), or a plain ret. */
#ifndef TDXABI_SHIM_LINUX_LINKAGE_H
#define TDXABI_SHIM_LINUX_LINKAGE_H

#include <asm/linkage.h>

#ifdef __ASSEMBLY__

#ifdef TDXABI_ENDBR
#define TDXABI_FUNCTION_ENTRY endbr64
#else
#define TDXABI_FUNCTION_ENTRY
#endif

#define SYM_FUNC_START(name) \
	.globl name; .type name, @function; .p2align 4; name: TDXABI_FUNCTION_ENTRY
#define SYM_FUNC_START_NOALIGN(name) \
	.globl name; .type name, @function; name: TDXABI_FUNCTION_ENTRY
#define SYM_FUNC_END(name) .size name, . - name

#endif
#endif
