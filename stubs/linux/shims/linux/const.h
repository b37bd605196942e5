/* linux/const.h (tdxabi shim) - constants usable from C and assembly. */
#ifndef TDXABI_SHIM_LINUX_CONST_H
#define TDXABI_SHIM_LINUX_CONST_H

#ifdef __ASSEMBLY__
#define _AC(value, suffix) value
#else
#define _AC__(value, suffix) value##suffix
#define _AC(value, suffix) _AC__(value, suffix)
#endif
#define _UL(x) (_AC(x, UL))
#define _ULL(x) (_AC(x, ULL))
#define _BITUL(x) (_UL(1) << (x))
#define _BITULL(x) (_ULL(1) << (x))
#define UL(x) _UL(x)
#define ULL(x) _ULL(x)

#endif
