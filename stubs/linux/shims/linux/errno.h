/* linux/errno.h (tdxabi shim) - included by the TDX headers; nothing in it is
 * used by the stubs. */
#ifndef TDXABI_SHIM_LINUX_ERRNO_H
#define TDXABI_SHIM_LINUX_ERRNO_H
#endif
