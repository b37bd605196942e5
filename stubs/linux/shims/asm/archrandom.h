/* asm/archrandom.h (tdxabi shim) - included by the TDX headers; nothing in it is
 * used by the stubs. */
#ifndef TDXABI_SHIM_ASM_ARCHRANDOM_H
#define TDXABI_SHIM_ASM_ARCHRANDOM_H
#endif
