/* asm/frame.h (tdxabi shim) - FRAME_BEGIN/FRAME_END: a frame-pointer frame
 * when the variant defines CONFIG_FRAME_POINTER, nothing otherwise. */
#ifndef TDXABI_SHIM_ASM_FRAME_H
#define TDXABI_SHIM_ASM_FRAME_H

#ifdef __ASSEMBLY__
.macro FRAME_BEGIN
#ifdef CONFIG_FRAME_POINTER
	push %rbp
	mov %rsp, %rbp
#endif
.endm
.macro FRAME_END
#ifdef CONFIG_FRAME_POINTER
	pop %rbp
#endif
.endm
#endif

#endif
