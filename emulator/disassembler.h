/* disassembler.h - one instruction as text (AT&T syntax, like objdump), via
 * Capstone, with the SEAM opcodes Capstone cannot decode recognised first. */
#ifndef TDXABI_DISASSEMBLER_H
#define TDXABI_DISASSEMBLER_H

#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "registers.h"

struct disassembler;

enum tdxabi_status disassembler_open(struct disassembler **disassembler,
				     struct diagnostic *diagnostic);
void disassembler_close(struct disassembler *disassembler);
/* Writes "movq %r12, 0x30(%rsi)", or "(bad: f0 a6 ..)" with the first bytes;
 * returns the instruction length, 0 when the bytes do not decode. */
size_t disassembler_format(struct disassembler *disassembler, const uint8_t *bytes,
			   size_t available, uint64_t address, char *text, size_t size);
/* The general-purpose registers the instruction writes, explicitly or
 * implicitly (EAX, AX and AL count as RAX), and in *xmm (bit n: XMMn, or
 * its YMM/ZMM) the vector registers; 0 when it does not decode. */
register_set disassembler_written_registers(struct disassembler *disassembler,
					    const uint8_t *bytes, size_t available,
					    uint64_t address, uint16_t *xmm);

#endif
