/* registers.h - the sixteen x86-64 general-purpose registers in hardware index
 * order (RAX=0 ... R15=15), which is also the bit order of a TDG.VP.VMCALL
 * exposure mask, and register sets as 16-bit masks in that order. */
#ifndef TDXABI_REGISTERS_H
#define TDXABI_REGISTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gpr {
	GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI, GPR_RDI,
	GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14, GPR_R15,
	GPR_COUNT
};

typedef uint16_t register_set;

#define REGISTER_BIT(gpr) ((register_set)(1u << (gpr)))

/* The registers a TDG.VP.VMCALL mask may never select: the module refuses
 * RAX, RCX and RSP (TDX module ABI, TDG.VP.VMCALL GPR select). */
#define TDVMCALL_NEVER_EXPOSED (REGISTER_BIT(GPR_RAX) | REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RSP))

static inline bool register_set_has(register_set set, enum gpr gpr)
{
	return (set >> gpr) & 1u;
}

/* "RAX" ... "R15", as reports print them */
const char *gpr_display_name(enum gpr gpr);
/* Parses a lower- or upper-case register name of exactly `length` bytes. */
bool gpr_parse(const char *text, size_t length, enum gpr *gpr);
/* Writes "RCX RDX R8" (or "-" when empty) into text; returns text. */
char *register_set_format(register_set set, char *text, size_t size);

#endif
