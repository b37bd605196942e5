/* linux/types.h (tdxabi shim) - the kernel's fixed-width types, for the C
 * part of a tree's TDX code (built freestanding, like the kernel). */
#ifndef TDXABI_SHIM_LINUX_TYPES_H
#define TDXABI_SHIM_LINUX_TYPES_H

#ifndef __ASSEMBLY__
typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT64_TYPE__ s64;
typedef u64 phys_addr_t;
typedef _Bool bool;
#define true 1
#define false 0
#endif

#endif
