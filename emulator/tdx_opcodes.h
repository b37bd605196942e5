/* tdx_opcodes.h - the four SEAM opcodes (66 0F 01 CC..CF), which neither
 * Unicorn nor Capstone 4 decodes, and the byte-pattern scan that finds every
 * place in an object where one could execute. */
#ifndef TDXABI_TDX_OPCODES_H
#define TDXABI_TDX_OPCODES_H

#include <stddef.h>
#include <stdint.h>

#define TDX_OPCODE_LENGTH 4

enum tdx_opcode {
	TDX_OPCODE_NONE,
	TDX_OPCODE_TDCALL,   /* 66 0F 01 CC */
	TDX_OPCODE_SEAMRET,  /* 66 0F 01 CD */
	TDX_OPCODE_SEAMOPS,  /* 66 0F 01 CE */
	TDX_OPCODE_SEAMCALL, /* 66 0F 01 CF */
};

/* The opcode whose bytes start at `bytes`, or TDX_OPCODE_NONE. */
enum tdx_opcode tdx_opcode_at(const uint8_t *bytes, size_t available);
const char *tdx_opcode_mnemonic(enum tdx_opcode opcode);

#endif
