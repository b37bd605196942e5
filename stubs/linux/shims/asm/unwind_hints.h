/* asm/unwind_hints.h (tdxabi shim) - objtool annotations, which emit no code. */
#ifndef TDXABI_SHIM_ASM_UNWIND_HINTS_H
#define TDXABI_SHIM_ASM_UNWIND_HINTS_H

#ifdef __ASSEMBLY__
.macro REACHABLE
.endm
.macro UNWIND_HINT_EMPTY
.endm
#endif

#endif
