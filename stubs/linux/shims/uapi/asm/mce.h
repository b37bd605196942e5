/* uapi/asm/mce.h (tdxabi shim) - included by the TDX headers; nothing in it is
 * used by the stubs. */
#ifndef TDXABI_SHIM_UAPI_ASM_MCE_H
#define TDXABI_SHIM_UAPI_ASM_MCE_H
#endif
