/* disassembler.c - Capstone 4 wrapper (see disassembler.h): text and the
 * registers an instruction writes. Capstone returns nothing for
 * TDCALL/SEAMRET/SEAMOPS and calls SEAMCALL `encls`, so the SEAM byte
 * patterns are matched before Capstone is asked. */
#include "disassembler.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	if (error == CS_ERR_OK)
		error = cs_option(disassembler->handle, CS_OPT_DETAIL, CS_OPT_ON);
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

size_t disassembler_count_instructions(struct disassembler *disassembler, const uint8_t *bytes,
				       size_t size, uint64_t address)
{
	size_t count = 0;
	cs_insn *instruction = cs_malloc(disassembler->handle);
	for (size_t at = 0; at < size; count++) {
		const uint8_t *cursor = bytes + at;
		size_t left = size - at;
		uint64_t here = address + at;
		if (tdx_opcode_at(cursor, left) != TDX_OPCODE_NONE)
			at += TDX_OPCODE_LENGTH;
		else if (instruction && cs_disasm_iter(disassembler->handle, &cursor, &left, &here,
						       instruction))
			at = (size_t)(cursor - bytes);
		else
			at++;
	}
	if (instruction)
		cs_free(instruction, 1);
	return count;
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

/* Capstone's names of each register's 64-, 32-, 16- and 8-bit parts. */
static bool gpr_of(uint16_t capstone_register, enum gpr *gpr)
{
	static const struct {
		enum gpr gpr;
		uint16_t parts[5];
	} names[] = {
		{GPR_RAX, {X86_REG_RAX, X86_REG_EAX, X86_REG_AX, X86_REG_AL, X86_REG_AH}},
		{GPR_RCX, {X86_REG_RCX, X86_REG_ECX, X86_REG_CX, X86_REG_CL, X86_REG_CH}},
		{GPR_RDX, {X86_REG_RDX, X86_REG_EDX, X86_REG_DX, X86_REG_DL, X86_REG_DH}},
		{GPR_RBX, {X86_REG_RBX, X86_REG_EBX, X86_REG_BX, X86_REG_BL, X86_REG_BH}},
		{GPR_RSP, {X86_REG_RSP, X86_REG_ESP, X86_REG_SP, X86_REG_SPL, X86_REG_SPL}},
		{GPR_RBP, {X86_REG_RBP, X86_REG_EBP, X86_REG_BP, X86_REG_BPL, X86_REG_BPL}},
		{GPR_RSI, {X86_REG_RSI, X86_REG_ESI, X86_REG_SI, X86_REG_SIL, X86_REG_SIL}},
		{GPR_RDI, {X86_REG_RDI, X86_REG_EDI, X86_REG_DI, X86_REG_DIL, X86_REG_DIL}},
		{GPR_R8, {X86_REG_R8, X86_REG_R8D, X86_REG_R8W, X86_REG_R8B, X86_REG_R8B}},
		{GPR_R9, {X86_REG_R9, X86_REG_R9D, X86_REG_R9W, X86_REG_R9B, X86_REG_R9B}},
		{GPR_R10, {X86_REG_R10, X86_REG_R10D, X86_REG_R10W, X86_REG_R10B, X86_REG_R10B}},
		{GPR_R11, {X86_REG_R11, X86_REG_R11D, X86_REG_R11W, X86_REG_R11B, X86_REG_R11B}},
		{GPR_R12, {X86_REG_R12, X86_REG_R12D, X86_REG_R12W, X86_REG_R12B, X86_REG_R12B}},
		{GPR_R13, {X86_REG_R13, X86_REG_R13D, X86_REG_R13W, X86_REG_R13B, X86_REG_R13B}},
		{GPR_R14, {X86_REG_R14, X86_REG_R14D, X86_REG_R14W, X86_REG_R14B, X86_REG_R14B}},
		{GPR_R15, {X86_REG_R15, X86_REG_R15D, X86_REG_R15W, X86_REG_R15B, X86_REG_R15B}},
	};
	for (size_t index = 0; index < sizeof(names) / sizeof(names[0]); index++)
		for (size_t part = 0; part < 5; part++)
			if (names[index].parts[part] == capstone_register) {
				*gpr = names[index].gpr;
				return true;
			}
	return false;
}

/* XMMn, YMMn or ZMMn, n < 16. */
static bool vector_of(uint16_t capstone_register, unsigned *number)
{
	static const uint16_t first[] = {X86_REG_XMM0, X86_REG_YMM0, X86_REG_ZMM0};
	for (size_t index = 0; index < sizeof(first) / sizeof(first[0]); index++)
		if (capstone_register >= first[index] && capstone_register < first[index] + 16) {
			*number = (unsigned)(capstone_register - first[index]);
			return true;
		}
	return false;
}

register_set disassembler_written_registers(struct disassembler *disassembler,
					    const uint8_t *bytes, size_t available,
					    uint64_t address, uint16_t *xmm)
{
	*xmm = 0;
	if (tdx_opcode_at(bytes, available) != TDX_OPCODE_NONE)
		return 0; /* what the module wrote, the trace tells */
	cs_insn *instruction = NULL;
	if (cs_disasm(disassembler->handle, bytes, available, address, 1, &instruction) == 0)
		return 0;
	cs_regs read, written;
	uint8_t read_count = 0, written_count = 0;
	register_set set = 0;
	if (cs_regs_access(disassembler->handle, instruction, read, &read_count, written,
			   &written_count) == CS_ERR_OK)
		for (uint8_t index = 0; index < written_count; index++) {
			enum gpr gpr;
			unsigned vector;
			if (gpr_of(written[index], &gpr))
				set |= REGISTER_BIT(gpr);
			else if (vector_of(written[index], &vector))
				*xmm |= (uint16_t)(1u << vector);
		}
	cs_free(instruction, 1);
	return set;
}

static int gpr_or_none(uint16_t capstone_register)
{
	enum gpr gpr;
	return gpr_of(capstone_register, &gpr) ? (int)gpr : -1;
}

static bool in_group(const cs_detail *detail, uint8_t group)
{
	for (uint8_t index = 0; index < detail->groups_count; index++)
		if (detail->groups[index] == group)
			return true;
	return false;
}

static void decode_flow(const cs_insn *instruction, struct decoded_instruction *decoded)
{
	const cs_detail *detail = instruction->detail;
	const cs_x86 *x86 = &detail->x86;
	bool direct = x86->op_count == 1 && x86->operands[0].type == X86_OP_IMM;
	if (direct)
		decoded->target = (uint64_t)x86->operands[0].imm;
	switch (instruction->id) {
	case X86_INS_UD2: case X86_INS_HLT: case X86_INS_INT3: case X86_INS_IRET:
	case X86_INS_IRETD: case X86_INS_IRETQ: case X86_INS_SYSRET: case X86_INS_SYSEXIT:
		decoded->flow = FLOW_STOP;
		return;
	default:
		break;
	}
	if (in_group(detail, CS_GRP_RET)) {
		decoded->flow = FLOW_RETURN;
		if (direct) /* ret $N: N more bytes released */
			decoded->adjustment = x86->operands[0].imm;
	}
	else if (in_group(detail, CS_GRP_CALL))
		decoded->flow = direct ? FLOW_CALL : FLOW_INDIRECT_CALL;
	else if (instruction->id == X86_INS_JMP || instruction->id == X86_INS_LJMP)
		decoded->flow = direct ? FLOW_JUMP : FLOW_INDIRECT_JUMP;
	else if (in_group(detail, CS_GRP_JUMP))
		decoded->flow = direct ? FLOW_BRANCH : FLOW_INDIRECT_JUMP;
}

static void decode_stack(const cs_insn *instruction, struct decoded_instruction *decoded)
{
	const cs_x86 *x86 = &instruction->detail->x86;
	const cs_x86_op *first = &x86->operands[0], *second = &x86->operands[1];
	/* AT&T order in Capstone's detail follows the syntax: source first */
	bool two_registers = x86->op_count == 2 && first->type == X86_OP_REG &&
			     second->type == X86_OP_REG;
	switch (instruction->id) {
	case X86_INS_PUSH:
		decoded->stack = STACK_PUSH;
		decoded->pushed = x86->op_count == 1 && first->type == X86_OP_REG && first->size == 8
					  ? gpr_or_none(first->reg) : -1;
		return;
	case X86_INS_POP:
		decoded->stack = STACK_POP;
		decoded->popped = x86->op_count == 1 && first->type == X86_OP_REG && first->size == 8
					  ? gpr_or_none(first->reg) : -1;
		return;
	case X86_INS_PUSHFQ: decoded->stack = STACK_PUSH; return;
	case X86_INS_POPFQ: decoded->stack = STACK_POP; return;
	case X86_INS_LEAVE: decoded->stack = STACK_LEAVE; return;
	default: break;
	}
	if (two_registers && first->size == 8 && second->size == 8 &&
	    (instruction->id == X86_INS_MOV)) {
		decoded->copy_source = gpr_or_none(first->reg);
		decoded->copy_destination = gpr_or_none(second->reg);
	}
	bool move = instruction->id == X86_INS_MOV && x86->op_count == 2 && first->size == 8 &&
		    second->size == 8;
	const cs_x86_op *memory = move && first->type == X86_OP_MEM ? first
				  : move && second->type == X86_OP_MEM ? second : NULL;
	if (memory && memory->mem.index == X86_REG_INVALID && gpr_or_none(memory->mem.base) >= 0 &&
	    memory->mem.segment == X86_REG_INVALID) {
		const cs_x86_op *other = memory == first ? second : first;
		if (other->type == X86_OP_REG) {
			decoded->memory_base = gpr_or_none(memory->mem.base);
			decoded->memory_displacement = memory->mem.disp;
			*(memory == first ? &decoded->loaded : &decoded->stored) = gpr_or_none(other->reg);
		}
	}
	if (two_registers && first->reg == second->reg &&
	    (instruction->id == X86_INS_XOR || instruction->id == X86_INS_SUB))
		decoded->zeroes = true;
	if (!(decoded->writes & REGISTER_BIT(GPR_RSP)) || decoded->flow != FLOW_NEXT)
		return; /* calls and returns move RSP as their flow says */
	bool to_rsp = x86->op_count == 2 && second->type == X86_OP_REG && second->reg == X86_REG_RSP;
	if (to_rsp && first->type == X86_OP_IMM &&
	    (instruction->id == X86_INS_ADD || instruction->id == X86_INS_SUB)) {
		decoded->stack = STACK_ADJUST;
		decoded->adjustment = instruction->id == X86_INS_ADD ? first->imm : -first->imm;
	} else if (to_rsp && instruction->id == X86_INS_LEA && first->type == X86_OP_MEM &&
		   first->mem.index == X86_REG_INVALID && gpr_or_none(first->mem.base) >= 0) {
		/* lea D(%rsp), %rsp adjusts; lea D(%rbp), %rsp loads RBP + D */
		decoded->stack = first->mem.base == X86_REG_RSP ? STACK_ADJUST : STACK_FROM;
		decoded->source = first->mem.base == X86_REG_RSP ? -1 : gpr_or_none(first->mem.base);
		decoded->adjustment = first->mem.disp;
	} else if (to_rsp && instruction->id == X86_INS_MOV && first->type == X86_OP_REG &&
		   first->size == 8) {
		decoded->stack = STACK_FROM;
		decoded->source = gpr_or_none(first->reg);
	} else {
		decoded->stack = STACK_UNKNOWN;
	}
}

void disassembler_decode(struct disassembler *disassembler, const uint8_t *bytes,
			 size_t available, uint64_t address, struct decoded_instruction *decoded)
{
	memset(decoded, 0, sizeof(*decoded));
	decoded->pushed = decoded->popped = -1;
	decoded->copy_source = decoded->copy_destination = decoded->source = -1;
	decoded->loaded = decoded->stored = decoded->memory_base = -1;
	enum tdx_opcode opcode = tdx_opcode_at(bytes, available);
	if (opcode != TDX_OPCODE_NONE) {
		decoded->length = TDX_OPCODE_LENGTH;
		decoded->flow = FLOW_TDX;
		decoded->tdx = opcode;
		decoded->reads = REGISTER_BIT(GPR_RAX);
		return;
	}
	cs_insn *instruction = NULL;
	if (cs_disasm(disassembler->handle, bytes, available, address, 1, &instruction) == 0)
		return;
	decoded->length = instruction->size;
	cs_regs read, written;
	uint8_t read_count = 0, written_count = 0;
	if (cs_regs_access(disassembler->handle, instruction, read, &read_count, written,
			   &written_count) == CS_ERR_OK) {
		for (uint8_t index = 0; index < read_count; index++) {
			int gpr = gpr_or_none(read[index]);
			if (gpr >= 0)
				decoded->reads |= REGISTER_BIT(gpr);
		}
		for (uint8_t index = 0; index < written_count; index++) {
			int gpr = gpr_or_none(written[index]);
			if (gpr >= 0)
				decoded->writes |= REGISTER_BIT(gpr);
		}
	}
	decode_flow(instruction, decoded);
	decode_stack(instruction, decoded);
	if (decoded->zeroes)
		decoded->reads &= ~decoded->writes;
	cs_free(instruction, 1);
}

/* What a LOCK prefix may stand before (with a memory destination). */
static bool lockable(unsigned id)
{
	static const unsigned ids[] = {
		X86_INS_ADD, X86_INS_ADC, X86_INS_AND, X86_INS_BTC, X86_INS_BTR, X86_INS_BTS,
		X86_INS_CMPXCHG, X86_INS_CMPXCHG8B, X86_INS_CMPXCHG16B, X86_INS_DEC, X86_INS_INC,
		X86_INS_NEG, X86_INS_NOT, X86_INS_OR, X86_INS_SBB, X86_INS_SUB, X86_INS_XOR,
		X86_INS_XADD, X86_INS_XCHG,
	};
	for (size_t index = 0; index < sizeof(ids) / sizeof(ids[0]); index++)
		if (ids[index] == id)
			return true;
	return false;
}

/* Privileged instructions a stub may still execute, each modelled: TD-shim's
 * STI, CLI; HLT (an AP loop's), port I/O (the machine answers it). */
static bool allowed_privileged(unsigned id)
{
	static const unsigned ids[] = {X86_INS_STI, X86_INS_CLI, X86_INS_HLT, X86_INS_IN,
				       X86_INS_OUT, X86_INS_INSB, X86_INS_INSW, X86_INS_INSD,
				       X86_INS_OUTSB, X86_INS_OUTSW, X86_INS_OUTSD};
	for (size_t index = 0; index < sizeof(ids) / sizeof(ids[0]); index++)
		if (ids[index] == id)
			return true;
	return false;
}

static bool far_or_system(unsigned id)
{
	static const unsigned ids[] = {
		X86_INS_LJMP, X86_INS_LCALL, X86_INS_RETF, X86_INS_RETFQ, X86_INS_IRET,
		X86_INS_IRETD, X86_INS_IRETQ, X86_INS_SYSRET, X86_INS_SYSEXIT, X86_INS_SWAPGS,
		X86_INS_LGDT, X86_INS_LIDT, X86_INS_LLDT, X86_INS_LTR, X86_INS_LMSW,
	};
	for (size_t index = 0; index < sizeof(ids) / sizeof(ids[0]); index++)
		if (ids[index] == id)
			return true;
	return false;
}

static bool touches_debug_or_control(const cs_x86 *x86)
{
	for (uint8_t index = 0; index < x86->op_count; index++) {
		const cs_x86_op *operand = &x86->operands[index];
		if (operand->type == X86_OP_REG &&
		    ((operand->reg >= X86_REG_DR0 && operand->reg <= X86_REG_DR15) ||
		     (operand->reg >= X86_REG_CR0 && operand->reg <= X86_REG_CR15)))
			return true;
	}
	return false;
}

static bool misuses_lock(const cs_insn *instruction)
{
	const cs_x86 *x86 = &instruction->detail->x86;
	bool memory = false;
	for (uint8_t index = 0; index < x86->op_count; index++)
		memory |= x86->operands[index].type == X86_OP_MEM;
	return x86->prefix[0] == X86_PREFIX_LOCK && (!lockable(instruction->id) || !memory);
}

static bool is_legacy_prefix(uint8_t byte)
{
	static const uint8_t prefixes[] = {0x66, 0x67, 0xF2, 0xF3, 0x2E, 0x36,
					   0x3E, 0x26, 0x64, 0x65, 0xF0};
	for (size_t index = 0; index < sizeof(prefixes); index++)
		if (prefixes[index] == byte)
			return true;
	return false;
}

bool disassembler_breaks_translator(struct disassembler *disassembler, const uint8_t *bytes,
				    size_t available, uint64_t address)
{
	size_t at = 0;
	bool lock = false;
	/* legacy prefixes and REX bytes in any order (a REX before LOCK is
	 * ignored by the CPU, but LOCK still reaches the translator) */
	while (at < available && at < 15 &&
	       (is_legacy_prefix(bytes[at]) || (bytes[at] & 0xF0) == 0x40))
		lock |= bytes[at++] == 0xF0;
	if (at + 1 < available && bytes[at] == 0xFF && (bytes[at + 1] & 0xC0) == 0xC0) {
		unsigned reg = (bytes[at + 1] >> 3) & 7;
		if (reg == 3 || reg == 5)
			return true; /* a far call or jump through a register */
	}
	if (!lock)
		return false;
	cs_insn *instruction = NULL;
	if (cs_disasm(disassembler->handle, bytes, available, address, 1, &instruction) == 0)
		return true; /* Unicorn's own decoding of a LOCK form is not to be trusted */
	bool breaks = misuses_lock(instruction);
	cs_free(instruction, 1);
	return breaks;
}

enum instruction_vetting disassembler_vet(struct disassembler *disassembler, const uint8_t *bytes,
					  size_t available, uint64_t address)
{
	if (tdx_opcode_at(bytes, available) != TDX_OPCODE_NONE)
		return VETTING_RUNS; /* the module's: caught before it executes */
	cs_insn *instruction = NULL;
	if (cs_disasm(disassembler->handle, bytes, available, address, 1, &instruction) == 0)
		return VETTING_INVALID;
	const cs_detail *detail = instruction->detail;
	const cs_x86 *x86 = &detail->x86;
	enum instruction_vetting verdict = VETTING_RUNS;
	if (misuses_lock(instruction))
		verdict = VETTING_INVALID;
	else if ((in_group(detail, CS_GRP_PRIVILEGE) && !allowed_privileged(instruction->id)) ||
		 far_or_system(instruction->id) || touches_debug_or_control(x86))
		verdict = VETTING_REFUSED;
	cs_free(instruction, 1);
	return verdict;
}
