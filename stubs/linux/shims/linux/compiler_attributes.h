/* linux/compiler_attributes.h (tdxabi shim) - the attributes the TDX headers use. */
#ifndef TDXABI_SHIM_LINUX_COMPILER_ATTRIBUTES_H
#define TDXABI_SHIM_LINUX_COMPILER_ATTRIBUTES_H

#define __noreturn __attribute__((__noreturn__))
#define __always_inline inline __attribute__((__always_inline__))
#define noinstr

#endif
