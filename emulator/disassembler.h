/* disassembler.h - one instruction as text (AT&T syntax, like objdump), via
 * Capstone, with the SEAM opcodes Capstone cannot decode recognised first. */
#ifndef TDXABI_DISASSEMBLER_H
#define TDXABI_DISASSEMBLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "registers.h"
#include "tdx_opcodes.h"

struct disassembler;

enum tdxabi_status disassembler_open(struct disassembler **disassembler,
				     struct diagnostic *diagnostic);
void disassembler_close(struct disassembler *disassembler);
/* Writes "movq %r12, 0x30(%rsi)", or "(bad: f0 a6 ..)" with the first bytes;
 * returns the instruction length, 0 when the bytes do not decode. */
size_t disassembler_format(struct disassembler *disassembler, const uint8_t *bytes,
			   size_t available, uint64_t address, char *text, size_t size);
/* How many instructions the bytes hold, decoded one after another (a byte
 * that does not decode counts as one). */
size_t disassembler_count_instructions(struct disassembler *disassembler, const uint8_t *bytes,
				       size_t size, uint64_t address);
/* The general-purpose registers the instruction writes, explicitly or
 * implicitly (EAX, AX and AL count as RAX), and in *xmm (bit n: XMMn, or
 * its YMM/ZMM) the vector registers; 0 when it does not decode. */
register_set disassembler_written_registers(struct disassembler *disassembler,
					    const uint8_t *bytes, size_t available,
					    uint64_t address, uint16_t *xmm);

/* How an instruction moves control. */
enum instruction_flow {
	FLOW_NEXT,          /* falls through */
	FLOW_JUMP,          /* to target */
	FLOW_BRANCH,        /* to target or falls through */
	FLOW_CALL,          /* calls target, then falls through */
	FLOW_INDIRECT_CALL, /* calls through a register or memory */
	FLOW_INDIRECT_JUMP, /* jumps through a register or memory */
	FLOW_RETURN,
	FLOW_STOP,          /* UD2, HLT, INT3, IRET, SYSRET: no successor within the stub */
	FLOW_TDX,           /* TDCALL, SEAMCALL, SEAMRET, SEAMOPS: the module answers */
};

/* How an instruction changes RSP. */
enum stack_effect {
	STACK_NONE,
	STACK_PUSH,   /* RSP -= 8, the slot gets pushed (a register, or other) */
	STACK_POP,    /* the slot goes to popped (a register, or nowhere), RSP += 8 */
	STACK_ADJUST, /* RSP += adjustment (add/sub/lea with a constant) */
	STACK_FROM,   /* RSP = source + adjustment (mov %rbp, %rsp; lea -8(%rbp), %rsp) */
	STACK_LEAVE,  /* RSP = RBP, then pop RBP */
	STACK_UNKNOWN /* RSP written some other way */
};

/* One instruction decoded for a static walk. */
struct decoded_instruction {
	size_t length;             /* 0: the bytes do not decode */
	enum instruction_flow flow;
	uint64_t target;           /* FLOW_JUMP, FLOW_BRANCH, FLOW_CALL */
	enum tdx_opcode tdx;       /* FLOW_TDX */
	register_set reads, writes; /* GPRs, a 32/16/8-bit part as its register */
	enum stack_effect stack;
	int64_t adjustment;        /* STACK_ADJUST, STACK_FROM; FLOW_RETURN: ret $N's N */
	int pushed, popped;        /* enum gpr, or -1 (PUSH: an immediate or memory) */
	int copy_source, copy_destination; /* a 64-bit register-to-register mov, else -1 */
	int source;                /* STACK_FROM: the register RSP is loaded from */
	/* a 64-bit mov between a register and base + displacement (no index):
	 * loaded (a register) or stored (from a register), else -1 */
	int loaded, stored, memory_base;
	int64_t memory_displacement;
	bool zeroes;               /* xor/sub of a register with itself: written, not read */
};

/* Decodes the instruction at bytes (TDX opcodes included). */
void disassembler_decode(struct disassembler *disassembler, const uint8_t *bytes,
			 size_t available, uint64_t address, struct decoded_instruction *decoded);

/* Whether an instruction may reach the emulator's translator. */
enum instruction_vetting {
	VETTING_RUNS,     /* an instruction a stub may execute */
	VETTING_INVALID,  /* #UD on a real CPU: does not decode, or LOCK where it is not allowed */
	VETTING_REFUSED,  /* privileged, far or debug: nothing a TDX stub executes (and some
			   * of them abort or corrupt Unicorn 2.0's translator) */
};
enum instruction_vetting disassembler_vet(struct disassembler *disassembler, const uint8_t *bytes,
					  size_t available, uint64_t address);
/* Whether Unicorn 2.0's translator breaks on the instruction (aborts the
 * process: LOCK before an instruction that cannot take it, FF /3 or /5 with
 * a register operand), so that it must not even be translated. */
bool disassembler_breaks_translator(struct disassembler *disassembler, const uint8_t *bytes,
				    size_t available, uint64_t address);

#endif
