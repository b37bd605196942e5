/* tdxabi_stub.h - constants and assembler macros for the project's own stubs,
 * written from the ABI facts in specs/ (never from kernel source): the SEAM
 * opcodes as bytes, Linux's software status codes, struct layouts of each
 * binding, and the __ex_table entry format. */
#ifndef TDXABI_STUB_H
#define TDXABI_STUB_H

/* GNU as learnt these mnemonics only in binutils 2.36: emit the bytes. */
#define TDCALL   .byte 0x66, 0x0f, 0x01, 0xcc
#define SEAMCALL .byte 0x66, 0x0f, 0x01, 0xcf

#define TDX_SW_ERROR               0x8000FF0000000000
#define TDX_SEAMCALL_VMFAILINVALID 0x8000FF00FFFF0000

#define TDG_VP_VMCALL 0
/* TDG.VP.VMCALL exposure masks, bit n = GPR n */
#define EXPOSE_R10_TO_R15 0xFC00 /* linux-5.19-hypercall */
#define EXPOSE_ALL_BUT_RBP 0xFFCC /* linux-6.3 and later */

#define HCALL_HAS_OUTPUT 1
#define HCALL_ISSUE_STI 2

/* struct tdx_module_output (linux-5.19-module-call) */
#define OUT_RCX 0
#define OUT_RDX 8
#define OUT_R8 16
#define OUT_R9 24
#define OUT_R10 32
#define OUT_R11 40

/* struct tdx_hypercall_args of linux-5.19-hypercall: r10 .. r15 */
#define HC519_R10 0
#define HC519_R11 8
#define HC519_R12 16
#define HC519_R13 24
#define HC519_R14 32
#define HC519_R15 40

/* struct tdx_hypercall_args of linux-6.3 and 6.4 hypercalls */
#define HC63_R8 0
#define HC63_R9 8
#define HC63_R10 16
#define HC63_R11 24
#define HC63_R12 32
#define HC63_R13 40
#define HC63_R14 48
#define HC63_R15 56
#define HC63_RDI 64
#define HC63_RSI 72
#define HC63_RBX 80
#define HC63_RDX 88

/* struct tdx_module_args (linux-6.7-module-args*) */
#define ARGS_RCX 0
#define ARGS_RDX 8
#define ARGS_R8 16
#define ARGS_R9 24
#define ARGS_R10 32
#define ARGS_R11 40
#define ARGS_R12 48
#define ARGS_R13 56
#define ARGS_R14 64
#define ARGS_R15 72
#define ARGS_RBX 80
#define ARGS_RDI 88
#define ARGS_RSI 96

/* __ex_table entry type: on a fault, RAX = trap number, resume at the fixup */
#define EX_TYPE_FAULT 2

.macro FUNCTION name
	.text
	.globl \name
	.type \name, @function
	.p2align 4
\name:
.endm

.macro END_FUNCTION name
	.size \name, . - \name
.endm

/* A 12-byte __ex_table entry: instruction and fixup as self-relative offsets. */
.macro EXCEPTION_FIXUP instruction, fixup
	.pushsection __ex_table, "a"
	.balign 4
	.long \instruction - .
	.long \fixup - .
	.long EX_TYPE_FAULT
	.popsection
.endm

	.section .note.GNU-stack, "", @progbits

#endif
