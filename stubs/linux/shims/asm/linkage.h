/* asm/linkage.h (tdxabi shim) - RET in the flavour of the build variant (see
 * linux/linkage.h). */
#ifndef TDXABI_SHIM_ASM_LINKAGE_H
#define TDXABI_SHIM_ASM_LINKAGE_H

#ifdef __ASSEMBLY__
#if defined(TDXABI_RET_THUNK)
#define RET jmp __x86_return_thunk
#elif defined(TDXABI_RET_SLS)
#define RET ret; int3
#else
#define RET ret
#endif
#endif

#endif
