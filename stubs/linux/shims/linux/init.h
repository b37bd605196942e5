/* linux/init.h (tdxabi shim) - included by the TDX headers; nothing in it is
 * used by the stubs. */
#ifndef TDXABI_SHIM_LINUX_INIT_H
#define TDXABI_SHIM_LINUX_INIT_H
#endif
