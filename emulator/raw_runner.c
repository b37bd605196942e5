/* raw_runner.c - raw_runner.h: one Unicorn engine with the object's sections,
 * caller memory and a stack mapped, a code hook at each TDX instruction that
 * answers RAX = 0 and moves RIP past it, and a loop of calls: registers
 * written, the stub run to the sentinel return address, registers read. */
#include "raw_runner.h"

#include <string.h>
#include <unicorn/unicorn.h>

#include "memory_layout.h"
#include "monotonic_clock.h"
#include "tdx_opcodes.h"

static const int gpr_ids[GPR_COUNT] = {
	UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
	UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
	UC_X86_REG_R8,  UC_X86_REG_R9,  UC_X86_REG_R10, UC_X86_REG_R11,
	UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15,
};

static void answer(uc_engine *engine, uint64_t address, uint32_t size, void *context)
{
	(void)size;
	(void)context;
	uint64_t zero = 0, next = address + TDX_OPCODE_LENGTH;
	uc_reg_write(engine, UC_X86_REG_RAX, &zero);
	uc_reg_write(engine, UC_X86_REG_RIP, &next);
}

static enum tdxabi_status engine_failure(struct diagnostic *diagnostic, const char *what,
					 uc_err error)
{
	return diagnostic_fail(diagnostic, TDXABI_ENGINE_ERROR, "unicorn: %s: %s", what,
			       uc_strerror(error));
}

static uc_err map_object(uc_engine *engine, const struct object_image *image)
{
	uc_err error = UC_ERR_OK;
	for (size_t index = 0; index < image->section_count && error == UC_ERR_OK; index++) {
		const struct image_section *section = &image->sections[index];
		if (!section->size)
			continue;
		uint64_t size = (section->size + LAYOUT_PAGE_SIZE - 1) & ~(LAYOUT_PAGE_SIZE - 1);
		error = uc_mem_map(engine, section->address, size, UC_PROT_ALL);
		if (error == UC_ERR_OK)
			error = uc_mem_write(engine, section->address, section->bytes, section->size);
		for (uint64_t offset = 0; error == UC_ERR_OK && section->executable &&
					  offset < section->size;
		     offset++) {
			if (tdx_opcode_at(section->bytes + offset, section->size - offset) ==
			    TDX_OPCODE_NONE)
				continue;
			uc_hook hook;
			error = uc_hook_add(engine, &hook, UC_HOOK_CODE, answer, NULL,
					    section->address + offset, section->address + offset);
		}
	}
	return error;
}

enum tdxabi_status raw_runner_measure(const struct object_image *image, uint64_t entry,
				      const uint64_t registers[GPR_COUNT],
				      const uint8_t *caller_memory, size_t caller_memory_size,
				      double seconds,
				      struct call_rate *measurement,
				      struct diagnostic *diagnostic)
{
	memset(measurement, 0, sizeof(*measurement));
	uc_engine *engine = NULL;
	uc_err error = uc_open(UC_ARCH_X86, UC_MODE_64, &engine);
	if (error != UC_ERR_OK)
		return engine_failure(diagnostic, "opening the engine", error);
	error = map_object(engine, image);
	if (error == UC_ERR_OK)
		error = uc_mem_map(engine, LAYOUT_CALLER_MEMORY, LAYOUT_CALLER_MEMORY_SIZE,
				   UC_PROT_READ | UC_PROT_WRITE);
	if (error == UC_ERR_OK)
		error = uc_mem_map(engine, LAYOUT_STACK_BASE, LAYOUT_STACK_SIZE,
				   UC_PROT_READ | UC_PROT_WRITE);
	if (error == UC_ERR_OK)
		error = uc_mem_map(engine, LAYOUT_SENTINEL_ADDRESS, LAYOUT_PAGE_SIZE, UC_PROT_ALL);
	uint64_t values[GPR_COUNT];
	void *pointers[GPR_COUNT];
	for (int index = 0; index < GPR_COUNT; index++)
		pointers[index] = &values[index];
	const uint64_t sentinel = LAYOUT_SENTINEL_ADDRESS;
	double start = monotonic_seconds(), end = start;
	while (error == UC_ERR_OK && (measurement->calls < 100 || end - start < seconds)) {
		memcpy(values, registers, sizeof(values));
		values[GPR_RSP] = LAYOUT_ENTRY_RSP;
		error = uc_mem_write(engine, LAYOUT_CALLER_MEMORY, caller_memory, caller_memory_size);
		if (error == UC_ERR_OK)
			error = uc_mem_write(engine, LAYOUT_ENTRY_RSP, &sentinel, sizeof(sentinel));
		if (error == UC_ERR_OK)
			error = uc_reg_write_batch(engine, (int *)gpr_ids, pointers, GPR_COUNT);
		if (error == UC_ERR_OK)
			error = uc_emu_start(engine, entry, LAYOUT_SENTINEL_ADDRESS, 0, 1000000);
		if (error == UC_ERR_OK)
			error = uc_reg_read_batch(engine, (int *)gpr_ids, pointers, GPR_COUNT);
		measurement->calls++;
		if ((measurement->calls & 63) == 0 || measurement->calls < 100)
			end = monotonic_seconds();
	}
	end = monotonic_seconds();
	measurement->seconds = end - start;
	measurement->measured = error == UC_ERR_OK;
	uc_close(engine);
	return error == UC_ERR_OK ? TDXABI_OK : engine_failure(diagnostic, "running the stub", error);
}
