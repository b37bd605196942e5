/* asm/asm.h (tdxabi shim) - the exception-table entry macros: 12 bytes,
 * instruction and fixup as self-relative offsets, then the type word
 * (EX_TYPE_DEFAULT 1, EX_TYPE_FAULT 2). */
#ifndef TDXABI_SHIM_ASM_ASM_H
#define TDXABI_SHIM_ASM_ASM_H

#ifdef __ASSEMBLY__
#define _ASM_EXTABLE_TYPE(from, to, type) \
	.pushsection "__ex_table", "a"; .balign 4; \
	.long (from) - .; .long (to) - .; .long type; .popsection
#define _ASM_EXTABLE(from, to) _ASM_EXTABLE_TYPE(from, to, 1)
#define _ASM_EXTABLE_FAULT(from, to) _ASM_EXTABLE_TYPE(from, to, 2)
#endif

#endif
