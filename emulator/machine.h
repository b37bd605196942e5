/* machine.h - one Unicorn engine holding one loaded object, reused for every
 * call: stack with guard pages, caller memory, sentinel return address,
 * instruction budget, TDX-instruction intercept, the environment's trap
 * fixups and stand-in symbols, and a record of how each call ended and what
 * it wrote. */
#ifndef TDXABI_MACHINE_H
#define TDXABI_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "call_trace.h"
#include "diagnostic.h"
#include "object_image.h"
#include "registers.h"
#include "tdx_opcodes.h"

#define MACHINE_MAX_WRITES 256
#define MACHINE_MAX_TDX_INSTRUCTIONS 64
#define MACHINE_INSTRUCTION_TEXT_SIZE 96
/* Places where an instruction the emulator will not run (invalid, LOCK
 * misused, privileged, far) could start that an object may hold; emulation
 * stops before each. More is refused as bad input. */
#define MACHINE_MAX_VETTED_EXITS 65536
#define MACHINE_MAX_STACK_WORDS 16
/* The wall-clock bound of one call, its restarts included. */
#define MACHINE_CALL_MICROSECONDS 10000000
#define MACHINE_XMM_COUNT 16

/* What the TDX-instruction handler (the module model) decides. */
enum tdx_action {
	TDX_ACTION_CONTINUE, /* registers and flags as left in the event, RIP past the instruction */
	TDX_ACTION_RAISE_UD,
	TDX_ACTION_RAISE_GP,
	TDX_ACTION_END_CALL, /* the stub is not resumed (a sub-function that never returns) */
};

struct tdx_instruction_event {
	enum tdx_opcode opcode; /* TDX_OPCODE_TDCALL or TDX_OPCODE_SEAMCALL */
	uint64_t address;
	uint64_t registers[GPR_COUNT]; /* in: at the instruction; out: after it (RSP ignored) */
	uint64_t rflags;
	enum tdx_action action;
	unsigned cleared_vector_bytes; /* out: 16 zeroes XMM0-15, 32 YMM0-15 (0: none) */
};

typedef void (*tdx_instruction_handler)(void *context, struct tdx_instruction_event *event);

/* How the environment answers a trap (#UD, #GP) at an instruction. */
enum trap_resolution {
	TRAP_NO_FIXUP,            /* nothing handles it */
	TRAP_FIXUP_NOT_MODELLED,  /* a fixup of a kind tdxabi does not model */
	TRAP_FIXED,               /* resume at resume_rip with these registers written */
};

struct trap_fixup {
	enum trap_resolution resolution;
	uint32_t fixup_kind;      /* the environment's own number for the fixup */
	uint64_t resume_rip;
	register_set written;
	uint64_t values[GPR_COUNT];
};

/* What the environment a stub is built for brings to the machine; NULL
 * members (or no environment at all) mean none. */
struct machine_environment {
	void (*resolve_trap)(const void *context, uint64_t address, int trap_number,
			     struct trap_fixup *fixup);
	/* undefined symbols the environment provides as a plain return */
	bool (*returns_at_once)(const void *context, const char *symbol);
	const void *context;
	/* the code runs from RAM and may write itself (its sections are mapped
	 * writable and its own writes there are not logged) */
	bool code_writable;
};

struct address_range {
	uint64_t start;
	uint64_t end; /* exclusive */
};

/* A word the caller leaves in its frame: a stack argument. */
struct stack_word {
	uint32_t offset; /* from entry RSP, past the return address (>= 8) */
	uint64_t value;
};

/* One 128-bit XMM register as two 64-bit halves, low first. */
struct xmm_value {
	uint64_t low, high;
};

struct call_request {
	uint64_t entry;
	uint64_t registers[GPR_COUNT]; /* RSP is set by the machine */
	struct stack_word stack_words[MACHINE_MAX_STACK_WORDS];
	size_t stack_word_count;
	bool sets_xmm;                  /* write xmm at entry, read it back at the end */
	struct xmm_value xmm[MACHINE_XMM_COUNT];
	/* the first caller_memory_size bytes of caller memory; the rest holds,
	 * at every call, a guard tag of no call (poison_tag(0, TAG_GUARD, 0xFF)) */
	const uint8_t *caller_memory;
	size_t caller_memory_size;
	uint64_t nonce;                /* tags the stack junk below RSP */
	uint64_t instruction_budget;
	tdx_instruction_handler handler;
	void *handler_context;
	/* writes wholly inside one of these ranges are expected and not logged */
	const struct address_range *expected_writes;
	size_t expected_write_count;
	/* when set, every instruction the call executes is recorded here */
	struct call_trace *trace;
};

enum call_end {
	CALL_RETURNED,         /* reached the sentinel return address */
	CALL_WRONG_RETURN,     /* returned through a slot of the caller's frame */
	CALL_UNDEFINED_SYMBOL, /* reached the trap slot of an undefined symbol */
	CALL_FAULT_UNHANDLED,  /* an injected #UD/#GP found no fixup the environment models */
	CALL_NOT_RESUMED,      /* the module did not resume the stub (TDX_ACTION_END_CALL) */
	CALL_UD2,              /* the stub executed UD2: a deliberate stop (firmware's panic) */
	CALL_EMULATION_FAULT,
};

enum emulation_fault {
	EMULATION_UNMAPPED_FETCH,
	EMULATION_UNMAPPED_READ,
	EMULATION_UNMAPPED_WRITE,
	EMULATION_PROTECTED_FETCH,
	EMULATION_PROTECTED_READ,
	EMULATION_PROTECTED_WRITE,
	EMULATION_INVALID_INSTRUCTION,
	EMULATION_UNEXPECTED_INSTRUCTION,
	EMULATION_INTERRUPT,
	EMULATION_BUDGET_EXHAUSTED,
	EMULATION_TOO_MANY_TDX_INSTRUCTIONS,
	EMULATION_ENGINE_ERROR,
};

struct memory_write {
	uint64_t address;
	uint32_t size;
	uint64_t value;
	uint64_t rip;
};

struct call_outcome {
	enum call_end end;
	uint64_t registers[GPR_COUNT]; /* at the end of the call */
	struct xmm_value xmm[MACHINE_XMM_COUNT]; /* when the request sets XMM */
	uint64_t rflags;
	uint64_t rip;
	/* CALL_WRONG_RETURN: byte offset of the slot above the return address */
	uint64_t wrong_return_offset;
	/* CALL_UNDEFINED_SYMBOL */
	const struct image_undefined_symbol *undefined;
	/* CALL_FAULT_UNHANDLED: the instruction, its trap, and what the environment had */
	int trap_number;
	enum trap_resolution trap_resolution;
	uint32_t fixup_kind;
	/* CALL_EMULATION_FAULT */
	enum emulation_fault fault;
	uint64_t fault_address;
	uint32_t interrupt_number;
	char engine_error[64];
	/* unexpected writes to caller memory, the caller's frame or the object's
	 * writable sections: the first of each instruction, up to the limit */
	struct memory_write writes[MACHINE_MAX_WRITES];
	size_t write_count;
	size_t writes_dropped; /* unexpected writes of instructions beyond the limit */
	size_t tdx_instruction_count;
};

struct machine;

/* environment may be NULL (no fixups, no stand-ins); it must outlive the machine. */
enum tdxabi_status machine_open(const struct object_image *image,
				const struct machine_environment *environment,
				struct machine **machine, struct diagnostic *diagnostic);
void machine_close(struct machine *machine);

/* Runs one call to completion (or to a fault, a trap or the budget). */
enum tdxabi_status machine_call(struct machine *machine, const struct call_request *request,
				struct call_outcome *outcome, struct diagnostic *diagnostic);
/* Reads emulated memory after a call (caller objects, the stack). */
enum tdxabi_status machine_read(struct machine *machine, uint64_t address, void *bytes,
				size_t size, struct diagnostic *diagnostic);
/* The instruction at `address` as text ("(unmapped)" if there is none). */
void machine_describe_instruction(struct machine *machine, uint64_t address, char *text,
				  size_t size);
/* The registers the instruction at `address` writes, as Capstone decodes it
 * (explicit and implicit operands; a 32-, 16- or 8-bit part counts as its
 * register), and in *xmm the XMM registers (bit n: XMMn); 0 when it does
 * not decode. */
register_set machine_instruction_writes(struct machine *machine, uint64_t address, uint16_t *xmm);
const char *emulation_fault_name(enum emulation_fault fault);
/* "returned", "stopped at UD2" ... */
const char *call_end_name(enum call_end end);

#endif
