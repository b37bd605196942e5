/* tdx_opcodes.c - recognises the SEAM opcodes by their bytes (see tdx_opcodes.h). */
#include "tdx_opcodes.h"

enum tdx_opcode tdx_opcode_at(const uint8_t *bytes, size_t available)
{
	if (available < TDX_OPCODE_LENGTH || bytes[0] != 0x66 || bytes[1] != 0x0F || bytes[2] != 0x01)
		return TDX_OPCODE_NONE;
	switch (bytes[3]) {
	case 0xCC: return TDX_OPCODE_TDCALL;
	case 0xCD: return TDX_OPCODE_SEAMRET;
	case 0xCE: return TDX_OPCODE_SEAMOPS;
	case 0xCF: return TDX_OPCODE_SEAMCALL;
	default: return TDX_OPCODE_NONE;
	}
}

const char *tdx_opcode_mnemonic(enum tdx_opcode opcode)
{
	switch (opcode) {
	case TDX_OPCODE_TDCALL: return "tdcall";
	case TDX_OPCODE_SEAMRET: return "seamret";
	case TDX_OPCODE_SEAMOPS: return "seamops";
	case TDX_OPCODE_SEAMCALL: return "seamcall";
	case TDX_OPCODE_NONE: break;
	}
	return "?";
}
