/* linux/bits.h (tdxabi shim) - BIT and GENMASK for C and assembly. GNU as
 * evaluates in 64 bits and shifts right logically, as unsigned C does. */
#ifndef TDXABI_SHIM_LINUX_BITS_H
#define TDXABI_SHIM_LINUX_BITS_H

#include <linux/const.h>

#define BIT(nr) (_UL(1) << (nr))
#define BIT_ULL(nr) (_ULL(1) << (nr))
#define GENMASK(high, low) ((~_UL(0) << (low)) & (~_UL(0) >> (63 - (high))))
#define GENMASK_ULL(high, low) ((~_ULL(0) << (low)) & (~_ULL(0) >> (63 - (high))))

#endif
