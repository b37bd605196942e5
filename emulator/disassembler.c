/* disassembler.c - Capstone 4 wrapper (see disassembler.h). Capstone returns
 * nothing for TDCALL/SEAMRET/SEAMOPS and calls SEAMCALL `encls`, so the SEAM
 * byte patterns are matched before Capstone is asked. */
#include "disassembler.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>

#include "tdx_opcodes.h"

struct disassembler {
	csh handle;
};

enum tdxabi_status disassembler_open(struct disassembler **out, struct diagnostic *diagnostic)
{
	struct disassembler *disassembler = calloc(1, sizeof(*disassembler));
	if (!disassembler)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	cs_err error = cs_open(CS_ARCH_X86, CS_MODE_64, &disassembler->handle);
	if (error == CS_ERR_OK)
		error = cs_option(disassembler->handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
	if (error != CS_ERR_OK) {
		free(disassembler);
		return diagnostic_fail(diagnostic, TDXABI_ENGINE_ERROR, "capstone: %s",
				       cs_strerror(error));
	}
	*out = disassembler;
	return TDXABI_OK;
}

void disassembler_close(struct disassembler *disassembler)
{
	if (!disassembler)
		return;
	cs_close(&disassembler->handle);
	free(disassembler);
}

size_t disassembler_format(struct disassembler *disassembler, const uint8_t *bytes,
			   size_t available, uint64_t address, char *text, size_t size)
{
	enum tdx_opcode opcode = tdx_opcode_at(bytes, available);
	if (opcode != TDX_OPCODE_NONE) {
		snprintf(text, size, "%s", tdx_opcode_mnemonic(opcode));
		return TDX_OPCODE_LENGTH;
	}
	cs_insn *instruction = NULL;
	size_t count = cs_disasm(disassembler->handle, bytes, available, address, 1, &instruction);
	if (count == 0) {
		/* "(bad: f0 a6 c3)": the bytes say what Capstone could not */
		int used = snprintf(text, size, "(bad:");
		for (size_t index = 0; index < available && index < 4 && used > 0 && (size_t)used < size;
		     index++)
			used += snprintf(text + used, size - (size_t)used, " %02x", bytes[index]);
		if (used > 0 && (size_t)used < size)
			snprintf(text + used, size - (size_t)used, ")");
		return 0;
	}
	size_t length = instruction->size;
	if (instruction->op_str[0])
		snprintf(text, size, "%s %s", instruction->mnemonic, instruction->op_str);
	else
		snprintf(text, size, "%s", instruction->mnemonic);
	cs_free(instruction, count);
	return length;
}
