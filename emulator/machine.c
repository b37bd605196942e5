/* machine.c - the Unicorn engine behind machine.h. TDCALL/SEAMCALL (and HLT)
 * are caught by code hooks at every place their bytes occur, pre-scanned; the
 * invalid-instruction hook and a restart loop are the safety net for Unicorn
 * versions where moving RIP in a hook ends uc_emu_start. */
#include "machine.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "disassembler.h"
#include "memory_layout.h"
#include "monotonic_clock.h"
#include "poison_tag.h"

#define STACK_JUNK_SLOTS 64
#define MAX_RESTARTS MACHINE_MAX_TDX_INSTRUCTIONS
/* Up to this many sites get a hook each; beyond it, one hook per executable
 * section looks every instruction up, so a hostile object cannot make the
 * engine allocate a hook per byte. */
#define SITE_HOOK_LIMIT 256
/* Blocks whose instruction count the budget keeps (direct-mapped). */
#define BLOCK_COUNT_SLOTS 1024

static const int gpr_unicorn_ids[GPR_COUNT] = {
	UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
	UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
	UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
	UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15,
};

struct machine {
	uc_engine *engine;
	uc_context *pristine;     /* the CPU state every call starts from */
	const struct object_image *image;
	const struct machine_environment *environment;
	struct disassembler *disassembler;
	/* bit n: a SEAM opcode or HLT, or a guarded position, starts at
	 * LAYOUT_OBJECT_BASE + n */
	uint8_t *site_bitmap;
	uint64_t site_limit;      /* the bitmap covers [LAYOUT_OBJECT_BASE, site_limit) */
	size_t site_count;
	uint64_t hooked_sites[SITE_HOOK_LIMIT]; /* their addresses, while there are few */
	/* places inside an instruction where one vetting refuses could start,
	 * that Unicorn may translate: a hook stops a jump there before it runs */
	uint64_t *guards;
	size_t guard_count;
	uint64_t *exits;          /* the sentinel, then the places vetting refused */
	uint8_t *exit_verdicts;   /* enum instruction_vetting of each */
	size_t exit_count;
	uint64_t *pristine_exits; /* the exits as the object's own code has them */
	uint8_t *pristine_verdicts;
	size_t pristine_exit_count;
	bool exits_dirty;         /* code written at run time changed them */
	bool sections_dirty;      /* a call wrote to a writable section */
	/* caller memory from its start that may differ from the pattern */
	size_t caller_memory_stale;
	/* the instructions of each block Unicorn runs, for the budget */
	struct block_count {
		uint64_t address;
		uint32_t size, instructions;
	} block_counts[BLOCK_COUNT_SLOTS];
	/* per call */
	const struct call_request *request;
	uint64_t instructions_left; /* of the call's budget */
	struct call_outcome *outcome;
	bool ended;               /* a hook decided how the call ends */
	bool resume;              /* the safety net handled a TDX instruction: restart */
	uint64_t resume_rip;
	/* tracing: the step of the instruction now executing, whichever of the
	 * trace hook and the TDX handler saw it first */
	bool step_open;
	uint64_t step_rip;
};

static bool code_writable(const struct machine *machine)
{
	return machine->environment && machine->environment->code_writable;
}

/* An undefined symbol the environment provides as a plain return. */
static bool returns_at_once(const struct machine *machine, const char *name)
{
	const struct machine_environment *environment = machine->environment;
	return environment && environment->returns_at_once &&
	       environment->returns_at_once(environment->context, name);
}

static void read_registers(uc_engine *engine, uint64_t registers[GPR_COUNT])
{
	void *pointers[GPR_COUNT];
	for (int index = 0; index < GPR_COUNT; index++)
		pointers[index] = &registers[index];
	uc_reg_read_batch(engine, (int *)gpr_unicorn_ids, pointers, GPR_COUNT);
}

static void write_registers(uc_engine *engine, const uint64_t registers[GPR_COUNT])
{
	void *pointers[GPR_COUNT];
	for (int index = 0; index < GPR_COUNT; index++)
		pointers[index] = (void *)&registers[index];
	uc_reg_write_batch(engine, (int *)gpr_unicorn_ids, pointers, GPR_COUNT);
}

static void xmm_registers(uc_engine *engine, struct xmm_value xmm[MACHINE_XMM_COUNT], bool write)
{
	int ids[MACHINE_XMM_COUNT];
	void *pointers[MACHINE_XMM_COUNT];
	for (int index = 0; index < MACHINE_XMM_COUNT; index++) {
		ids[index] = UC_X86_REG_XMM0 + index;
		pointers[index] = &xmm[index];
	}
	if (write)
		uc_reg_write_batch(engine, ids, pointers, MACHINE_XMM_COUNT);
	else
		uc_reg_read_batch(engine, ids, pointers, MACHINE_XMM_COUNT);
}

static uint64_t read_rip(uc_engine *engine)
{
	uint64_t rip = 0;
	uc_reg_read(engine, UC_X86_REG_RIP, &rip);
	return rip;
}

/* Ends the call from inside a hook. */
/* The trace step of the instruction at `address`: the one already opened
 * for it, or a new one holding the registers before it. */
static struct trace_step *trace_step_at(struct machine *machine, uint64_t address)
{
	struct call_trace *trace = machine->request->trace;
	if (machine->step_open && machine->step_rip == address)
		return &trace->steps[(trace->recorded - 1) % trace->capacity];
	struct trace_step *step = call_trace_append(trace);
	step->rip = address;
	read_registers(machine->engine, step->registers);
	uc_reg_read(machine->engine, UC_X86_REG_RFLAGS, &step->rflags);
	machine->step_open = true;
	machine->step_rip = address;
	return step;
}

static void on_traced_instruction(uc_engine *engine, uint64_t address, uint32_t size,
				  void *context)
{
	(void)engine;
	(void)size;
	struct machine *machine = context;
	if (machine->ended)
		return;
	/* a new instruction: close the one before, unless the TDX handler
	 * already opened this one */
	if (!(machine->step_open && machine->step_rip == address))
		machine->step_open = false;
	trace_step_at(machine, address);
}

static bool on_traced_write(uc_engine *engine, uc_mem_type type, uint64_t address, int size,
			    int64_t value, void *context)
{
	(void)engine;
	(void)type;
	struct machine *machine = context;
	struct call_trace *trace = machine->request->trace;
	if (!machine->step_open || trace->recorded == 0)
		return true;
	struct trace_step *step = &trace->steps[(trace->recorded - 1) % trace->capacity];
	if (step->write_size == 0) {
		step->write_address = address;
		step->write_value = (uint64_t)value;
		step->write_size = (uint32_t)size;
	}
	return true;
}

static void end_call(struct machine *machine, enum call_end end)
{
	machine->ended = true;
	machine->outcome->end = end;
	machine->outcome->rip = read_rip(machine->engine);
	uc_emu_stop(machine->engine);
}

static void end_with_fault(struct machine *machine, enum emulation_fault fault, uint64_t address)
{
	machine->outcome->fault = fault;
	machine->outcome->fault_address = address;
	end_call(machine, CALL_EMULATION_FAULT);
}

/* Asks the environment how a trap at `address` is fixed up and applies the
 * answer; ends the call when there is no fixup it models. */
static bool apply_trap_fixup(struct machine *machine, uint64_t address, int trap_number)
{
	struct call_outcome *outcome = machine->outcome;
	struct trap_fixup fixup = {.resolution = TRAP_NO_FIXUP};
	const struct machine_environment *environment = machine->environment;
	if (environment && environment->resolve_trap)
		environment->resolve_trap(environment->context, address, trap_number, &fixup);
	outcome->trap_number = trap_number;
	outcome->trap_resolution = fixup.resolution;
	outcome->fixup_kind = fixup.fixup_kind;
	if (fixup.resolution != TRAP_FIXED) {
		end_call(machine, CALL_FAULT_UNHANDLED);
		machine->outcome->rip = address;
		return false;
	}
	for (int index = 0; index < GPR_COUNT; index++)
		if (register_set_has(fixup.written, (enum gpr)index) && index != GPR_RSP)
			uc_reg_write(machine->engine, gpr_unicorn_ids[index], &fixup.values[index]);
	uc_reg_write(machine->engine, UC_X86_REG_RIP, &fixup.resume_rip);
	return true;
}

/* Zeroes the low `bytes` (16 or 32) of vector registers 0-15: XMM, or YMM. */
static void clear_vectors(uc_engine *engine, unsigned bytes)
{
	static const uint8_t zeros[32];
	for (int index = 0; bytes && index < MACHINE_XMM_COUNT; index++)
		uc_reg_write(engine, (bytes == 32 ? UC_X86_REG_YMM0 : UC_X86_REG_XMM0) + index, zeros);
}

/* Hands a TDCALL/SEAMCALL to the model and applies its answer. Returns false
 * when the call ended instead of continuing. */
static bool handle_tdx_instruction(struct machine *machine, uint64_t address,
				   enum tdx_opcode opcode)
{
	struct call_outcome *outcome = machine->outcome;
	if (opcode == TDX_OPCODE_SEAMRET || opcode == TDX_OPCODE_SEAMOPS) {
		end_with_fault(machine, EMULATION_UNEXPECTED_INSTRUCTION, address);
		return false;
	}
	if (++outcome->tdx_instruction_count > MACHINE_MAX_TDX_INSTRUCTIONS) {
		end_with_fault(machine, EMULATION_TOO_MANY_TDX_INSTRUCTIONS, address);
		return false;
	}
	if (machine->request->trace)
		trace_step_at(machine, address)->tdx = true;
	struct tdx_instruction_event event = {.opcode = opcode, .address = address};
	read_registers(machine->engine, event.registers);
	uc_reg_read(machine->engine, UC_X86_REG_RFLAGS, &event.rflags);
	uint64_t rsp = event.registers[GPR_RSP];
	machine->request->handler(machine->request->handler_context, &event);
	if (event.action == TDX_ACTION_END_CALL) {
		end_call(machine, CALL_NOT_RESUMED);
		return false;
	}
	if (event.action != TDX_ACTION_CONTINUE)
		return apply_trap_fixup(machine, address, event.action == TDX_ACTION_RAISE_UD ? 6 : 13);
	event.registers[GPR_RSP] = rsp;
	write_registers(machine->engine, event.registers);
	clear_vectors(machine->engine, event.cleared_vector_bytes);
	uc_reg_write(machine->engine, UC_X86_REG_RFLAGS, &event.rflags);
	uint64_t next = address + TDX_OPCODE_LENGTH;
	uc_reg_write(machine->engine, UC_X86_REG_RIP, &next);
	return true;
}

static bool is_site(const struct machine *machine, uint64_t address)
{
	if (address < LAYOUT_OBJECT_BASE || address >= machine->site_limit)
		return false;
	uint64_t bit = address - LAYOUT_OBJECT_BASE;
	return (machine->site_bitmap[bit / 8] >> (bit % 8)) & 1;
}

static size_t read_code(struct machine *machine, uint64_t address, uint8_t bytes[16]);

static int compare_addresses(const void *a, const void *b)
{
	uint64_t left = *(const uint64_t *)a, right = *(const uint64_t *)b;
	return left < right ? -1 : left > right;
}

static bool is_guarded(const struct machine *machine, uint64_t address)
{
	return bsearch(&address, machine->guards, machine->guard_count, sizeof(uint64_t),
		       compare_addresses) != NULL;
}

/* A jump into the middle of an instruction reached a guarded position: the
 * bytes there now (code may have rewritten them) are vetted again. */
static void stop_if_refused(struct machine *machine, uint64_t address)
{
	uint8_t bytes[16];
	size_t available = read_code(machine, address, bytes);
	enum instruction_vetting verdict =
		available ? disassembler_vet(machine->disassembler, bytes, available, address)
			  : VETTING_RUNS;
	if (verdict != VETTING_RUNS)
		end_with_fault(machine,
			       verdict == VETTING_INVALID ? EMULATION_INVALID_INSTRUCTION
							  : EMULATION_UNEXPECTED_INSTRUCTION,
			       address);
}

/* A SEAM opcode or HLT may start here. The bytes are read again: code the
 * stub rewrote no longer holds what the scan found. */
static void on_site(uc_engine *engine, uint64_t address, uint32_t size, void *context)
{
	(void)size; /* junk for the SEAM opcodes */
	struct machine *machine = context;
	if (machine->ended || !is_site(machine, address))
		return;
	uint8_t bytes[TDX_OPCODE_LENGTH] = {0};
	if (uc_mem_read(engine, address, bytes, 1) != UC_ERR_OK)
		return;
	uc_mem_read(engine, address + 1, bytes + 1, sizeof(bytes) - 1);
	enum tdx_opcode opcode = tdx_opcode_at(bytes, sizeof(bytes));
	if (opcode != TDX_OPCODE_NONE)
		handle_tdx_instruction(machine, address, opcode);
	else if (bytes[0] == 0xF4)
		end_with_fault(machine, EMULATION_UNEXPECTED_INSTRUCTION, address);
	else if (is_guarded(machine, address))
		stop_if_refused(machine, address);
}

/* The budget, counted a block at a time as it starts (Unicorn's own count
 * is a hook on every instruction): a block that would run past it does not
 * run, and the call ends as the budget exhausted. */
static void on_block(uc_engine *engine, uint64_t address, uint32_t size, void *context)
{
	struct machine *machine = context;
	struct block_count *slot = &machine->block_counts[(address ^ (address >> 10)) %
							  BLOCK_COUNT_SLOTS];
	if (slot->address != address || slot->size != size || !slot->instructions) {
		uint8_t bytes[4096];
		size_t readable = size < sizeof(bytes) ? size : sizeof(bytes);
		slot->address = address;
		slot->size = size;
		slot->instructions = uc_mem_read(engine, address, bytes, readable) == UC_ERR_OK
					     ? (uint32_t)disassembler_count_instructions(
						       machine->disassembler, bytes, readable, address)
					     : 1;
		if (slot->instructions == 0)
			slot->instructions = 1;
	}
	if (slot->instructions > machine->instructions_left) {
		machine->instructions_left = 0;
		uc_emu_stop(engine);
		return;
	}
	machine->instructions_left -= slot->instructions;
}

static void on_wrong_return(uc_engine *engine, uint64_t address, uint32_t size, void *context)
{
	(void)engine;
	(void)size;
	struct machine *machine = context;
	machine->outcome->wrong_return_offset =
		8 + (address - LAYOUT_WRONG_RETURN_PAGE) / LAYOUT_WRONG_RETURN_SLOT * 8;
	end_call(machine, CALL_WRONG_RETURN);
}

static void on_undefined_symbol(uc_engine *engine, uint64_t address, uint32_t size, void *context)
{
	(void)engine;
	(void)size;
	struct machine *machine = context;
	const struct image_undefined_symbol *symbol =
		object_image_undefined_at(machine->image, address);
	if (symbol && returns_at_once(machine, symbol->name))
		return; /* the slot holds a `ret` */
	machine->outcome->undefined = symbol;
	end_call(machine, CALL_UNDEFINED_SYMBOL);
}

static bool on_unmapped(uc_engine *engine, uc_mem_type type, uint64_t address, int size,
			int64_t value, void *context)
{
	(void)engine;
	(void)size;
	(void)value;
	enum emulation_fault fault = type == UC_MEM_FETCH_UNMAPPED  ? EMULATION_UNMAPPED_FETCH
				     : type == UC_MEM_WRITE_UNMAPPED ? EMULATION_UNMAPPED_WRITE
								     : EMULATION_UNMAPPED_READ;
	end_with_fault(context, fault, address);
	return false;
}

static bool on_protected(uc_engine *engine, uc_mem_type type, uint64_t address, int size,
			 int64_t value, void *context)
{
	(void)engine;
	(void)size;
	(void)value;
	enum emulation_fault fault = type == UC_MEM_FETCH_PROT  ? EMULATION_PROTECTED_FETCH
				     : type == UC_MEM_WRITE_PROT ? EMULATION_PROTECTED_WRITE
								 : EMULATION_PROTECTED_READ;
	end_with_fault(context, fault, address);
	return false;
}

static bool on_invalid_instruction(uc_engine *engine, void *context)
{
	struct machine *machine = context;
	uint64_t rip = read_rip(engine);
	uint8_t bytes[TDX_OPCODE_LENGTH] = {0};
	enum tdx_opcode opcode = TDX_OPCODE_NONE;
	if (uc_mem_read(engine, rip, bytes, sizeof(bytes)) == UC_ERR_OK)
		opcode = tdx_opcode_at(bytes, sizeof(bytes));
	else if (uc_mem_read(engine, rip, bytes, 2) != UC_ERR_OK)
		memset(bytes, 0, sizeof(bytes)); /* a UD2 at the very end of a mapping */
	if (opcode == TDX_OPCODE_NONE && bytes[0] == 0x0F && bytes[1] == 0x0B) {
		end_call(machine, CALL_UD2);
		return false;
	}
	if (opcode == TDX_OPCODE_NONE) {
		/* Bytes that decode (VMCALL, VMLAUNCH ...) are instructions a stub must
		 * not use; bytes that do not, or UD0/UD1/UD2, are invalid ones. */
		char text[MACHINE_INSTRUCTION_TEXT_SIZE];
		machine_describe_instruction(machine, rip, text, sizeof(text));
		bool decodes = strncmp(text, "(bad", 4) != 0 && strcmp(text, "(unmapped)") != 0 &&
			       strncmp(text, "ud", 2) != 0;
		end_with_fault(machine,
			       decodes ? EMULATION_UNEXPECTED_INSTRUCTION : EMULATION_INVALID_INSTRUCTION,
			       rip);
		return false;
	}
	if (handle_tdx_instruction(machine, rip, opcode) && !machine->ended) {
		machine->resume = true;
		machine->resume_rip = read_rip(engine);
		uc_emu_stop(engine);
	}
	return true;
}

static void on_interrupt(uc_engine *engine, uint32_t number, void *context)
{
	struct machine *machine = context;
	machine->outcome->interrupt_number = number;
	end_with_fault(machine, EMULATION_INTERRUPT, read_rip(engine));
}

static void on_unexpected_instruction(uc_engine *engine, void *context)
{
	end_with_fault(context, EMULATION_UNEXPECTED_INSTRUCTION, read_rip(engine));
}

static int on_cpuid(uc_engine *engine, void *context)
{
	on_unexpected_instruction(engine, context);
	return 1; /* skip the instruction; the call is over anyway */
}

static uint32_t on_in(uc_engine *engine, uint32_t port, int size, void *context)
{
	(void)port;
	(void)size;
	on_unexpected_instruction(engine, context);
	return 0;
}

static void on_out(uc_engine *engine, uint32_t port, int size, uint32_t value, void *context)
{
	(void)port;
	(void)size;
	(void)value;
	on_unexpected_instruction(engine, context);
}

static bool write_expected(const struct call_request *request, uint64_t address, int size)
{
	for (size_t index = 0; index < request->expected_write_count; index++) {
		const struct address_range *range = &request->expected_writes[index];
		if (address >= range->start && address + (uint64_t)size <= range->end)
			return true;
	}
	return false;
}

/* Code that runs from RAM wrote itself: every position from which an
 * instruction overlapping the write could start is vetted again, with the
 * bytes as they will be, and the exits follow before it can be translated. */
static void vet_written_code(struct machine *machine, const struct image_section *section,
			     uint64_t address, int size, int64_t value)
{
	uint64_t first = address - section->address > 15 ? address - 15 : section->address;
	uint64_t end = address + (uint64_t)size;
	uint64_t limit = section->address + section->size;
	uint8_t bytes[64];
	size_t length = (size_t)((end + 15 < limit ? end + 15 : limit) - first);
	if (length > sizeof(bytes) || uc_mem_read(machine->engine, first, bytes, length) != UC_ERR_OK)
		return;
	for (int index = 0; index < size && address + (uint64_t)index < first + length; index++)
		bytes[address - first + (uint64_t)index] = (uint8_t)((uint64_t)value >> (8 * index));
	size_t kept = 1; /* the sentinel */
	for (size_t index = 1; index < machine->exit_count; index++)
		if (machine->exits[index] < first || machine->exits[index] >= end) {
			machine->exits[kept] = machine->exits[index];
			machine->exit_verdicts[kept++] = machine->exit_verdicts[index];
		}
	machine->exit_count = kept;
	for (uint64_t position = first; position < end && position < limit; position++) {
		enum instruction_vetting verdict = disassembler_vet(
			machine->disassembler, bytes + (position - first),
			length - (size_t)(position - first), position);
		if (verdict != VETTING_RUNS && machine->exit_count <= MACHINE_MAX_VETTED_EXITS) {
			machine->exit_verdicts[machine->exit_count] = verdict;
			machine->exits[machine->exit_count++] = position;
		}
	}
	machine->exits_dirty = true;
	uc_ctl_set_exits(machine->engine, machine->exits, machine->exit_count);
}

static bool on_memory_write(uc_engine *engine, uc_mem_type type, uint64_t address, int size,
			    int64_t value, void *context)
{
	(void)type;
	struct machine *machine = context;
	struct call_outcome *outcome = machine->outcome;
	const struct image_section *section = object_image_section_at(machine->image, address);
	if (section)
		machine->sections_dirty = true;
	if (section && section->executable)
		vet_written_code(machine, section, address, size, value);
	if (section && section->executable && code_writable(machine))
		return true; /* code that runs from RAM writing itself */
	if (address >= LAYOUT_CALLER_MEMORY && address < LAYOUT_CALLER_MEMORY + LAYOUT_CALLER_MEMORY_SIZE) {
		uint64_t end = address + (uint64_t)size - LAYOUT_CALLER_MEMORY;
		end = end < LAYOUT_CALLER_MEMORY_SIZE ? end : LAYOUT_CALLER_MEMORY_SIZE;
		if (end > machine->caller_memory_stale)
			machine->caller_memory_stale = (size_t)end;
	}
	/* the stack hook starts 7 bytes below the caller's frame to see writes
	 * that straddle into it; wholly below it is the stub's own frame */
	bool own_frame = address >= LAYOUT_STACK_BASE && address < LAYOUT_STACK_TOP &&
			 address + (uint64_t)size <= LAYOUT_ENTRY_RSP + 8;
	if (own_frame || write_expected(machine->request, address, size))
		return true;
	uint64_t rip = read_rip(engine);
	for (size_t index = 0; index < outcome->write_count; index++)
		if (outcome->writes[index].rip == rip)
			return true;
	if (outcome->write_count == MACHINE_MAX_WRITES) {
		outcome->writes_dropped++;
		return true;
	}
	struct memory_write *write = &outcome->writes[outcome->write_count++];
	write->address = address;
	write->size = (uint32_t)size;
	write->value = (uint64_t)value;
	write->rip = rip;
	return true;
}

static enum tdxabi_status engine_failure(struct diagnostic *diagnostic, const char *what,
					 uc_err error)
{
	return diagnostic_fail(diagnostic, TDXABI_ENGINE_ERROR, "unicorn: %s: %s", what,
			       uc_strerror(error));
}

static enum tdxabi_status map_filled(struct machine *machine, uint64_t address, uint64_t size,
				     uint32_t permissions, uint8_t fill,
				     struct diagnostic *diagnostic)
{
	uc_err error = uc_mem_map(machine->engine, address, size, permissions);
	if (error != UC_ERR_OK)
		return engine_failure(diagnostic, "mapping memory", error);
	uint8_t *bytes = malloc(size);
	if (!bytes)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	memset(bytes, fill, size);
	if (address == LAYOUT_UNDEFINED_SYMBOL_PAGE)
		for (size_t index = 0; index < machine->image->undefined_count; index++)
			if (returns_at_once(machine, machine->image->undefined[index].name))
				bytes[index * LAYOUT_UNDEFINED_SYMBOL_SLOT] = 0xC3; /* ret */
	error = uc_mem_write(machine->engine, address, bytes, size);
	free(bytes);
	return error == UC_ERR_OK ? TDXABI_OK : engine_failure(diagnostic, "writing memory", error);
}

static enum tdxabi_status add_hook(struct machine *machine, int type, void *callback,
				   uint64_t begin, uint64_t end, struct diagnostic *diagnostic)
{
	uc_hook hook;
	uc_err error = uc_hook_add(machine->engine, &hook, type, callback, machine, begin, end);
	return error == UC_ERR_OK ? TDXABI_OK : engine_failure(diagnostic, "adding a hook", error);
}

static enum tdxabi_status add_instruction_hook(struct machine *machine, void *callback,
					       int instruction, struct diagnostic *diagnostic)
{
	uc_hook hook;
	uc_err error = uc_hook_add(machine->engine, &hook, UC_HOOK_INSN, callback, machine, 1, 0,
				   instruction);
	return error == UC_ERR_OK ? TDXABI_OK : engine_failure(diagnostic, "adding a hook", error);
}

/* Appends an offset to the worklist; false when out of memory. */
static bool push_offset(uint64_t **pending, size_t *count, size_t *capacity, uint64_t offset)
{
	if (*count == *capacity) {
		uint64_t *grown = realloc(*pending, 2 * *capacity * sizeof(**pending));
		if (!grown)
			return false;
		*pending = grown;
		*capacity *= 2;
	}
	(*pending)[(*count)++] = offset;
	return true;
}

/* Bit n of the result: an instruction starts at offset n when the section
 * is decoded from its start, from each symbol in it and from each direct
 * branch target: where execution goes unless a stub jumps into the middle
 * of an instruction. NULL when out of memory. */
static uint8_t *instruction_starts(struct machine *machine, size_t section_index)
{
	const struct image_section *section = &machine->image->sections[section_index];
	uint8_t *starts = calloc(section->size / 8 + 1, 1);
	size_t capacity = 16, count = 0;
	uint64_t *pending = malloc(capacity * sizeof(*pending));
	bool room = starts && pending && push_offset(&pending, &count, &capacity, 0);
	for (size_t index = 0; room && index < machine->image->symbol_count; index++) {
		const struct image_symbol *symbol = &machine->image->symbols[index];
		if (symbol->section == (int)section_index && symbol->defined &&
		    symbol->address - section->address < section->size)
			room = push_offset(&pending, &count, &capacity,
					   symbol->address - section->address);
	}
	while (room && count) {
		for (uint64_t offset = pending[--count];
		     room && offset < section->size && !((starts[offset / 8] >> (offset % 8)) & 1);) {
			starts[offset / 8] |= (uint8_t)(1u << (offset % 8));
			struct decoded_instruction decoded;
			disassembler_decode(machine->disassembler, section->bytes + offset,
					    (size_t)(section->size - offset), section->address + offset,
					    &decoded);
			bool branches = decoded.flow == FLOW_JUMP || decoded.flow == FLOW_BRANCH ||
					decoded.flow == FLOW_CALL;
			if (branches && decoded.target - section->address < section->size)
				room = push_offset(&pending, &count, &capacity,
						   decoded.target - section->address);
			offset += decoded.length ? decoded.length : 1;
		}
	}
	free(pending);
	if (!room) {
		free(starts);
		return NULL;
	}
	return starts;
}

/* Every byte position of a section where an instruction vetting refuses
 * could start becomes an exit, where emulation stops before translating it,
 * when an instruction starts there or Unicorn 2.0 cannot even translate it
 * (it aborts the process on LOCK misuse and on FF /3, /5 with a register);
 * inside another instruction it is guarded by a hook instead, so that the
 * translations around it survive from call to call (Unicorn drops those
 * next to every exit at the end of each run). The sites are left alone. */
static enum tdxabi_status add_vetted_exits(struct machine *machine, size_t section_index,
					   struct diagnostic *diagnostic)
{
	const struct image_section *section = &machine->image->sections[section_index];
	uint8_t *starts = instruction_starts(machine, section_index);
	if (!starts)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	enum tdxabi_status status = TDXABI_OK;
	for (uint64_t offset = 0; offset < section->size && status == TDXABI_OK; offset++) {
		uint64_t address = section->address + offset;
		uint64_t bit = address - LAYOUT_OBJECT_BASE;
		if ((machine->site_bitmap[bit / 8] >> (bit % 8)) & 1)
			continue;
		const uint8_t *bytes = section->bytes + offset;
		size_t available = (size_t)(section->size - offset);
		enum instruction_vetting verdict =
			disassembler_vet(machine->disassembler, bytes, available, address);
		if (verdict == VETTING_RUNS)
			continue;
		if (machine->exit_count + machine->guard_count == MACHINE_MAX_VETTED_EXITS + 1) {
			status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
						 "%s: more than %d places where an instruction the "
						 "emulator will not run could start",
						 machine->image->file_name, MACHINE_MAX_VETTED_EXITS);
		} else if (((starts[offset / 8] >> (offset % 8)) & 1) ||
			   disassembler_breaks_translator(machine->disassembler, bytes, available,
							  address)) {
			machine->exit_verdicts[machine->exit_count] = verdict;
			machine->exits[machine->exit_count++] = address;
		} else {
			machine->guards[machine->guard_count++] = address;
			machine->site_bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
			if (machine->site_count < SITE_HOOK_LIMIT)
				machine->hooked_sites[machine->site_count] = address;
			machine->site_count++;
		}
	}
	free(starts);
	return status;
}

/* Finds every byte position of the executable sections where a SEAM opcode
 * or HLT could start. */
static enum tdxabi_status find_sites(struct machine *machine, struct diagnostic *diagnostic)
{
	const struct object_image *image = machine->image;
	machine->site_limit = LAYOUT_OBJECT_BASE;
	for (size_t index = 0; index < image->section_count; index++) {
		const struct image_section *section = &image->sections[index];
		if (section->executable && section->address + section->size > machine->site_limit)
			machine->site_limit = section->address + section->size;
	}
	machine->site_bitmap = calloc((machine->site_limit - LAYOUT_OBJECT_BASE) / 8 + 1, 1);
	machine->exits = malloc((MACHINE_MAX_VETTED_EXITS + 1) * sizeof(uint64_t));
	machine->exit_verdicts = malloc((MACHINE_MAX_VETTED_EXITS + 1) * sizeof(uint8_t));
	machine->guards = malloc((MACHINE_MAX_VETTED_EXITS + 1) * sizeof(uint64_t));
	if (!machine->site_bitmap || !machine->exits || !machine->exit_verdicts || !machine->guards)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	machine->exits[machine->exit_count++] = LAYOUT_SENTINEL_ADDRESS;
	for (size_t index = 0; index < image->section_count; index++) {
		const struct image_section *section = &image->sections[index];
		if (!section->executable)
			continue;
		for (uint64_t offset = 0; offset < section->size; offset++) {
			if (section->bytes[offset] != 0xF4 &&
			    tdx_opcode_at(section->bytes + offset, section->size - offset) == TDX_OPCODE_NONE)
				continue;
			uint64_t bit = section->address + offset - LAYOUT_OBJECT_BASE;
			if ((machine->site_bitmap[bit / 8] >> (bit % 8)) & 1)
				continue;
			machine->site_bitmap[bit / 8] |= (uint8_t)(1u << (bit % 8));
			if (machine->site_count < SITE_HOOK_LIMIT)
				machine->hooked_sites[machine->site_count] = section->address + offset;
			machine->site_count++;
		}
		enum tdxabi_status status = add_vetted_exits(machine, index, diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	qsort(machine->guards, machine->guard_count, sizeof(uint64_t), compare_addresses);
	return TDXABI_OK;
}

static uint32_t section_permissions(const struct machine *machine,
				    const struct image_section *section)
{
	bool writable = section->writable || (section->executable && code_writable(machine));
	return UC_PROT_READ | (section->executable ? UC_PROT_EXEC : 0) |
	       (writable ? UC_PROT_WRITE : 0);
}

static uint64_t page_end(const struct image_section *section)
{
	return (section->address + section->size + LAYOUT_PAGE_SIZE - 1) & ~(LAYOUT_PAGE_SIZE - 1);
}

/* Maps the object's sections, those of one permission that lie next to each
 * other (the image lays them out so) in one mapping with one hook, and hooks
 * the places found by find_sites. */
static enum tdxabi_status load_sections(struct machine *machine, struct diagnostic *diagnostic)
{
	const struct object_image *image = machine->image;
	enum tdxabi_status status = find_sites(machine, diagnostic);
	for (size_t first = 0; first < image->section_count && status == TDXABI_OK;) {
		const struct image_section *head = &image->sections[first];
		uint32_t permissions = section_permissions(machine, head);
		size_t end = first + 1;
		uint64_t limit = page_end(head);
		for (; end < image->section_count; end++) {
			const struct image_section *next = &image->sections[end];
			if (section_permissions(machine, next) != permissions ||
			    (next->size && next->address != limit))
				break;
			if (next->size)
				limit = page_end(next);
		}
		if (limit > head->address) {
			uc_err error = uc_mem_map(machine->engine, head->address, limit - head->address,
						  permissions);
			for (size_t index = first; error == UC_ERR_OK && index < end; index++)
				if (image->sections[index].size)
					error = uc_mem_write(machine->engine, image->sections[index].address,
							     image->sections[index].bytes,
							     image->sections[index].size);
			if (error != UC_ERR_OK)
				return engine_failure(diagnostic, head->name, error);
			if (permissions & UC_PROT_WRITE)
				status = add_hook(machine, UC_HOOK_MEM_WRITE, on_memory_write, head->address,
						  limit - 1, diagnostic);
			if (status == TDXABI_OK && (permissions & UC_PROT_EXEC) &&
			    machine->site_count > SITE_HOOK_LIMIT)
				status = add_hook(machine, UC_HOOK_CODE, on_site, head->address, limit - 1,
						  diagnostic);
		}
		first = end;
	}
	for (size_t index = 0; machine->site_count <= SITE_HOOK_LIMIT &&
			       index < machine->site_count && status == TDXABI_OK;
	     index++)
		status = add_hook(machine, UC_HOOK_CODE, on_site, machine->hooked_sites[index],
				  machine->hooked_sites[index], diagnostic);
	return status;
}

static enum tdxabi_status set_up(struct machine *machine, struct diagnostic *diagnostic)
{
	const uint32_t code = UC_PROT_READ | UC_PROT_EXEC, data = UC_PROT_READ | UC_PROT_WRITE;
	const struct {
		uint64_t address, size;
		uint32_t permissions;
		uint8_t fill;
	} regions[] = {
		{LAYOUT_SENTINEL_ADDRESS, LAYOUT_PAGE_SIZE, code, 0xCC},
		{LAYOUT_WRONG_RETURN_PAGE, LAYOUT_PAGE_SIZE, code, 0xCC},
		{LAYOUT_UNDEFINED_SYMBOL_PAGE, LAYOUT_PAGE_SIZE, code, 0xCC},
		{LAYOUT_CALLER_MEMORY, LAYOUT_CALLER_MEMORY_SIZE, data, 0},
		{LAYOUT_STACK_BASE, LAYOUT_STACK_SIZE, data, 0},
	};
	const struct {
		int type;
		void *callback;
		uint64_t begin, end;
	} hooks[] = {
		{UC_HOOK_CODE, on_wrong_return, LAYOUT_WRONG_RETURN_PAGE,
		 LAYOUT_WRONG_RETURN_PAGE + LAYOUT_PAGE_SIZE - 1},
		{UC_HOOK_CODE, on_undefined_symbol, LAYOUT_UNDEFINED_SYMBOL_PAGE,
		 LAYOUT_UNDEFINED_SYMBOL_PAGE + LAYOUT_PAGE_SIZE - 1},
		{UC_HOOK_MEM_WRITE, on_memory_write, LAYOUT_CALLER_MEMORY,
		 LAYOUT_CALLER_MEMORY + LAYOUT_CALLER_MEMORY_SIZE - 1},
		{UC_HOOK_MEM_WRITE, on_memory_write, LAYOUT_ENTRY_RSP + 1, LAYOUT_STACK_TOP - 1},
		{UC_HOOK_BLOCK, on_block, 1, 0},
		{UC_HOOK_MEM_UNMAPPED, on_unmapped, 1, 0},
		{UC_HOOK_MEM_PROT, on_protected, 1, 0},
		{UC_HOOK_INSN_INVALID, on_invalid_instruction, 1, 0},
		{UC_HOOK_INTR, on_interrupt, 1, 0},
	};
	const struct {
		int instruction;
		void *callback;
	} instruction_hooks[] = {
		{UC_X86_INS_SYSCALL, on_unexpected_instruction},
		{UC_X86_INS_SYSENTER, on_unexpected_instruction},
		{UC_X86_INS_CPUID, on_cpuid},
		{UC_X86_INS_IN, on_in},
		{UC_X86_INS_OUT, on_out},
	};
	enum tdxabi_status status = TDXABI_OK;
	for (size_t index = 0; index < sizeof(regions) / sizeof(regions[0]) && !status; index++)
		status = map_filled(machine, regions[index].address, regions[index].size,
				    regions[index].permissions, regions[index].fill, diagnostic);
	if (!status)
		status = load_sections(machine, diagnostic);
	for (size_t index = 0; index < sizeof(hooks) / sizeof(hooks[0]) && !status; index++)
		status = add_hook(machine, hooks[index].type, hooks[index].callback, hooks[index].begin,
				  hooks[index].end, diagnostic);
	for (size_t index = 0; index < sizeof(instruction_hooks) / sizeof(instruction_hooks[0]) && !status;
	     index++)
		status = add_instruction_hook(machine, instruction_hooks[index].callback,
					      instruction_hooks[index].instruction, diagnostic);
	if (status)
		return status;
	{ /* code written at run time changes them: keep the object's own */
		machine->pristine_exits = malloc(machine->exit_count * sizeof(uint64_t));
		machine->pristine_verdicts = malloc(machine->exit_count);
		if (!machine->pristine_exits || !machine->pristine_verdicts)
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		memcpy(machine->pristine_exits, machine->exits, machine->exit_count * sizeof(uint64_t));
		memcpy(machine->pristine_verdicts, machine->exit_verdicts, machine->exit_count);
		machine->pristine_exit_count = machine->exit_count;
	}
	uc_err error = uc_ctl_exits_enable(machine->engine);
	if (error == UC_ERR_OK)
		error = uc_ctl_set_exits(machine->engine, machine->exits, machine->exit_count);
	if (error == UC_ERR_OK)
		error = uc_context_alloc(machine->engine, &machine->pristine);
	if (error == UC_ERR_OK)
		error = uc_context_save(machine->engine, machine->pristine);
	return error == UC_ERR_OK ? TDXABI_OK : engine_failure(diagnostic, "setting up", error);
}

enum tdxabi_status machine_open(const struct object_image *image,
				const struct machine_environment *environment, struct machine **out,
				struct diagnostic *diagnostic)
{
	struct machine *machine = calloc(1, sizeof(*machine));
	if (!machine)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	machine->image = image;
	machine->environment = environment;
	enum tdxabi_status status = disassembler_open(&machine->disassembler, diagnostic);
	if (status == TDXABI_OK) {
		uc_err error = uc_open(UC_ARCH_X86, UC_MODE_64, &machine->engine);
		if (error != UC_ERR_OK)
			status = engine_failure(diagnostic, "opening the engine", error);
	}
	if (status == TDXABI_OK)
		status = set_up(machine, diagnostic);
	machine->caller_memory_stale = LAYOUT_CALLER_MEMORY_SIZE; /* the pattern is not there yet */
	if (status != TDXABI_OK) {
		machine_close(machine);
		return status;
	}
	*out = machine;
	return TDXABI_OK;
}

void machine_close(struct machine *machine)
{
	if (!machine)
		return;
	if (machine->pristine)
		uc_context_free(machine->pristine);
	if (machine->engine)
		uc_close(machine->engine);
	disassembler_close(machine->disassembler);
	free(machine->site_bitmap);
	free(machine->guards);
	free(machine->exits);
	free(machine->exit_verdicts);
	free(machine->pristine_exits);
	free(machine->pristine_verdicts);
	free(machine);
}

/* Puts back what an earlier call wrote into the object's writable sections,
 * and drops translations of any code it changed. */
static enum tdxabi_status restore_sections(struct machine *machine, struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < machine->image->section_count; index++) {
		const struct image_section *section = &machine->image->sections[index];
		bool writable = section->writable || (section->executable && code_writable(machine));
		if (!writable || section->size == 0)
			continue;
		uc_err error = uc_mem_write(machine->engine, section->address, section->bytes,
					    section->size);
		if (error != UC_ERR_OK)
			return engine_failure(diagnostic, "restoring a section", error);
		if (section->executable)
			uc_ctl_remove_cache(machine->engine, section->address,
					    section->address + section->size);
	}
	machine->sections_dirty = false;
	if (machine->exits_dirty) {
		machine->exit_count = machine->pristine_exit_count;
		memcpy(machine->exits, machine->pristine_exits, machine->exit_count * sizeof(uint64_t));
		memcpy(machine->exit_verdicts, machine->pristine_verdicts, machine->exit_count);
		machine->exits_dirty = false;
		uc_err error = uc_ctl_set_exits(machine->engine, machine->exits, machine->exit_count);
		if (error != UC_ERR_OK)
			return engine_failure(diagnostic, "restoring the exits", error);
	}
	return TDXABI_OK;
}

static enum tdxabi_status prepare_stack(struct machine *machine,
					const struct call_request *request,
					struct diagnostic *diagnostic)
{
	uint64_t slots[STACK_JUNK_SLOTS + 1 + LAYOUT_CALLER_FRAME_SIZE / 8];
	size_t count = 0;
	for (unsigned slot = STACK_JUNK_SLOTS; slot > 0; slot--)
		slots[count++] = poison_tag(request->nonce, TAG_STACK_JUNK, slot);
	slots[count++] = LAYOUT_SENTINEL_ADDRESS;
	for (unsigned slot = 0; slot < LAYOUT_CALLER_FRAME_SIZE / 8; slot++)
		slots[count++] = LAYOUT_WRONG_RETURN_PAGE + slot * LAYOUT_WRONG_RETURN_SLOT;
	for (size_t index = 0; index < request->stack_word_count; index++) {
		const struct stack_word *word = &request->stack_words[index];
		if (word->offset < 8 || word->offset % 8 || word->offset >= LAYOUT_CALLER_FRAME_SIZE + 8)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "a stack argument at entry RSP+%u lies outside the "
					       "caller's %llu-byte frame",
					       word->offset, (unsigned long long)LAYOUT_CALLER_FRAME_SIZE);
		slots[STACK_JUNK_SLOTS + word->offset / 8] = word->value;
	}
	uc_err error = uc_mem_write(machine->engine, LAYOUT_ENTRY_RSP - STACK_JUNK_SLOTS * 8, slots,
				    sizeof(slots));
	return error == UC_ERR_OK ? TDXABI_OK : engine_failure(diagnostic, "writing the stack", error);
}

/* Drops what Unicorn translated of the object's code (a hook added or
 * removed is seen only by new translations); cheaper than a whole flush. */
static void drop_code_translations(struct machine *machine)
{
	for (size_t index = 0; index < machine->image->section_count; index++) {
		const struct image_section *section = &machine->image->sections[index];
		if (section->executable && section->size)
			uc_ctl_remove_cache(machine->engine, section->address,
					    section->address + section->size);
	}
}

/* The vetting verdict of an exit at address, VETTING_RUNS when there is none. */
static enum instruction_vetting exit_verdict(const struct machine *machine, uint64_t address)
{
	for (size_t index = 1; index < machine->exit_count; index++)
		if (machine->exits[index] == address)
			return (enum instruction_vetting)machine->exit_verdicts[index];
	return VETTING_RUNS;
}

/* Caller memory from `from` up to what earlier calls changed holds the
 * pattern again. */
static uc_err restore_caller_pattern(struct machine *machine, size_t from)
{
	uint64_t words[512];
	for (size_t index = 0; index < sizeof(words) / sizeof(words[0]); index++)
		words[index] = poison_tag(0, TAG_GUARD, 0xFF);
	uc_err error = UC_ERR_OK;
	for (size_t at = from; at < machine->caller_memory_stale && error == UC_ERR_OK;) {
		size_t length = machine->caller_memory_stale - at;
		length = length < sizeof(words) ? length : sizeof(words);
		error = uc_mem_write(machine->engine, LAYOUT_CALLER_MEMORY + at, words, length);
		at += length;
	}
	return error;
}

enum tdxabi_status machine_call(struct machine *machine, const struct call_request *request,
				struct call_outcome *outcome, struct diagnostic *diagnostic)
{
	/* all but the write log, of which only the first write_count count */
	_Static_assert(offsetof(struct call_outcome, tdx_instruction_count) + sizeof(size_t) ==
			       sizeof(struct call_outcome),
		       "the fields after the write log are zeroed one by one");
	memset(outcome, 0, offsetof(struct call_outcome, writes));
	outcome->write_count = 0;
	outcome->writes_dropped = 0;
	outcome->tdx_instruction_count = 0;
	machine->request = request;
	machine->outcome = outcome;
	machine->ended = false;
	machine->resume = false;

	enum tdxabi_status status = TDXABI_OK;
	if (machine->sections_dirty)
		status = restore_sections(machine, diagnostic);
	uc_err error = uc_context_restore(machine->engine, machine->pristine);
	size_t supplied = request->caller_memory_size < LAYOUT_CALLER_MEMORY_SIZE
				  ? request->caller_memory_size
				  : LAYOUT_CALLER_MEMORY_SIZE;
	if (error == UC_ERR_OK && machine->caller_memory_stale > supplied)
		error = restore_caller_pattern(machine, supplied);
	if (error == UC_ERR_OK && supplied)
		error = uc_mem_write(machine->engine, LAYOUT_CALLER_MEMORY, request->caller_memory,
				     supplied);
	machine->caller_memory_stale = supplied;
	if (error != UC_ERR_OK)
		return engine_failure(diagnostic, "preparing the call", error);
	if (status == TDXABI_OK)
		status = prepare_stack(machine, request, diagnostic);
	if (status != TDXABI_OK)
		return status;
	uint64_t registers[GPR_COUNT];
	memcpy(registers, request->registers, sizeof(registers));
	registers[GPR_RSP] = LAYOUT_ENTRY_RSP;
	write_registers(machine->engine, registers);
	if (request->sets_xmm)
		xmm_registers(machine->engine, (struct xmm_value *)request->xmm, true);
	uint64_t rflags = 0x202; /* IF set, DF clear, bit 1 reserved */
	uc_reg_write(machine->engine, UC_X86_REG_RFLAGS, &rflags);

	uc_hook trace_hooks[2] = {0, 0};
	machine->step_open = false;
	if (request->trace) {
		error = uc_hook_add(machine->engine, &trace_hooks[0], UC_HOOK_CODE,
				    on_traced_instruction, machine, LAYOUT_OBJECT_BASE,
				    LAYOUT_OBJECT_LIMIT - 1);
		if (error == UC_ERR_OK)
			error = uc_hook_add(machine->engine, &trace_hooks[1], UC_HOOK_MEM_WRITE,
					    on_traced_write, machine, 1, 0);
		if (error != UC_ERR_OK) {
			for (size_t index = 0; index < 2; index++)
				if (trace_hooks[index])
					uc_hook_del(machine->engine, trace_hooks[index]);
			return engine_failure(diagnostic, "adding the trace hooks", error);
		}
		drop_code_translations(machine); /* made without the hooks */
	}
	uint64_t rip = request->entry;
	/* one budget per call, whatever the restarts, and a wall-clock bound
	 * checked at each restart (Unicorn's own timeout starts a thread per
	 * run: it would triple a check's time) */
	machine->instructions_left = request->instruction_budget;
	double started = monotonic_seconds();
	for (int restarts = 0;; restarts++) {
		double spent = monotonic_seconds() - started;
		if (machine->instructions_left == 0 || spent * 1e6 >= MACHINE_CALL_MICROSECONDS)
			break; /* ends as the budget exhausted */
		/* with exits enabled, `until` is ignored: the sentinel is exit 0 */
		error = uc_emu_start(machine->engine, rip, 0, 0, 0);
		if (!machine->resume || machine->ended)
			break;
		machine->resume = false;
		rip = machine->resume_rip;
		if (restarts == MAX_RESTARTS) {
			outcome->fault = EMULATION_TOO_MANY_TDX_INSTRUCTIONS;
			outcome->fault_address = rip;
			machine->ended = true;
			outcome->end = CALL_EMULATION_FAULT;
			break;
		}
	}
	if (request->trace) {
		for (size_t index = 0; index < 2; index++)
			uc_hook_del(machine->engine, trace_hooks[index]);
		drop_code_translations(machine); /* made with them */
	}
	read_registers(machine->engine, outcome->registers);
	if (request->sets_xmm)
		xmm_registers(machine->engine, outcome->xmm, false);
	uc_reg_read(machine->engine, UC_X86_REG_RFLAGS, &outcome->rflags);
	if (machine->ended)
		return TDXABI_OK;
	outcome->rip = read_rip(machine->engine);
	outcome->end = CALL_EMULATION_FAULT;
	outcome->fault_address = outcome->rip;
	if (error != UC_ERR_OK) {
		outcome->fault = EMULATION_ENGINE_ERROR;
		snprintf(outcome->engine_error, sizeof(outcome->engine_error), "%s", uc_strerror(error));
	} else if (outcome->rip == LAYOUT_SENTINEL_ADDRESS) {
		outcome->end = CALL_RETURNED;
	} else if (exit_verdict(machine, outcome->rip) == VETTING_INVALID) {
		outcome->fault = EMULATION_INVALID_INSTRUCTION; /* #UD on a real CPU */
	} else if (exit_verdict(machine, outcome->rip) == VETTING_REFUSED) {
		outcome->fault = EMULATION_UNEXPECTED_INSTRUCTION;
	} else {
		outcome->fault = EMULATION_BUDGET_EXHAUSTED;
	}
	return TDXABI_OK;
}

enum tdxabi_status machine_read(struct machine *machine, uint64_t address, void *bytes,
				size_t size, struct diagnostic *diagnostic)
{
	uc_err error = uc_mem_read(machine->engine, address, bytes, size);
	return error == UC_ERR_OK ? TDXABI_OK : engine_failure(diagnostic, "reading memory", error);
}

/* Up to 16 bytes of code at `address`, as far as they are mapped. */
static size_t read_code(struct machine *machine, uint64_t address, uint8_t bytes[16])
{
	size_t available = 0;
	while (available < 16 &&
	       uc_mem_read(machine->engine, address + available, bytes + available, 1) == UC_ERR_OK)
		available++;
	return available;
}

void machine_describe_instruction(struct machine *machine, uint64_t address, char *text,
				  size_t size)
{
	uint8_t bytes[16];
	size_t available = read_code(machine, address, bytes);
	if (available == 0) {
		snprintf(text, size, "(unmapped)");
		return;
	}
	disassembler_format(machine->disassembler, bytes, available, address, text, size);
}

register_set machine_instruction_writes(struct machine *machine, uint64_t address, uint16_t *xmm)
{
	uint8_t bytes[16];
	size_t available = read_code(machine, address, bytes);
	*xmm = 0;
	return available ? disassembler_written_registers(machine->disassembler, bytes, available,
							  address, xmm)
			 : 0;
}

const char *call_end_name(enum call_end end)
{
	switch (end) {
	case CALL_RETURNED: return "returned";
	case CALL_WRONG_RETURN: return "returned through a slot of the caller's frame";
	case CALL_UNDEFINED_SYMBOL: return "called an undefined symbol";
	case CALL_FAULT_UNHANDLED: return "took a fault no fixup handles";
	case CALL_NOT_RESUMED: return "was not resumed by the module";
	case CALL_UD2: return "stopped at UD2";
	case CALL_EMULATION_FAULT: return "stopped on an emulation fault";
	}
	return "?";
}

const char *emulation_fault_name(enum emulation_fault fault)
{
	switch (fault) {
	case EMULATION_UNMAPPED_FETCH: return "fetch from unmapped memory";
	case EMULATION_UNMAPPED_READ: return "read of unmapped memory";
	case EMULATION_UNMAPPED_WRITE: return "write to unmapped memory";
	case EMULATION_PROTECTED_FETCH: return "fetch from non-executable memory";
	case EMULATION_PROTECTED_READ: return "read of unreadable memory";
	case EMULATION_PROTECTED_WRITE: return "write to read-only memory";
	case EMULATION_INVALID_INSTRUCTION: return "invalid instruction";
	case EMULATION_UNEXPECTED_INSTRUCTION: return "unexpected instruction";
	case EMULATION_INTERRUPT: return "interrupt or exception";
	case EMULATION_BUDGET_EXHAUSTED: return "instruction budget exhausted";
	case EMULATION_TOO_MANY_TDX_INSTRUCTIONS: return "too many TDCALL/SEAMCALL instructions";
	case EMULATION_ENGINE_ERROR: return "emulator error";
	}
	return "?";
}
