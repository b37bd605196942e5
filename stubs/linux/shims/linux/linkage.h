/* linux/linkage.h (tdxabi shim) - function start and end, and RET, for
 * assembling a kernel's TDX stubs outside kbuild. The build variant picks:
 *   TDXABI_ENDBR       a leading endbr64, as X86_KERNEL_IBT / the CET patch emit
 *   TDXABI_RET_THUNK   RET = jmp __x86_return_thunk (MITIGATION_RETHUNK)
 *   TDXABI_RET_SLS     RET = ret; int3 (MITIGATION_SLS)
 *   otherwise          RET = ret */
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
