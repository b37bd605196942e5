/* asm/trapnr.h (tdxabi shim) - x86 exception vectors. */
#ifndef TDXABI_SHIM_ASM_TRAPNR_H
#define TDXABI_SHIM_ASM_TRAPNR_H

#define X86_TRAP_DE 0
#define X86_TRAP_UD 6
#define X86_TRAP_GP 13

#endif
