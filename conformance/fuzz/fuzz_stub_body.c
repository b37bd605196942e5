/* fuzz_stub_body.c - libFuzzer target: any bytes as the code of a stub,
 * wrapped in a relocatable object of our own: loaded, run in the emulator
 * (every TDX instruction answered at once) under a small budget, traced, and
 * audited statically; whatever the code does, each ends as a value. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <elf.h>

#include "call_trace.h"
#include "machine.h"
#include "memory_layout.h"
#include "fuzz_support.h"
#include "object_image.h"
#include "static_audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


#define MAX_BODY 4096

/* An ELF64 relocatable: .text holding the body, one global function at 0. */
static size_t wrap(const uint8_t *body, size_t size, uint8_t *out)
{
	static const char strtab[] = "\0fuzz_stub";
	static const char shstrtab[] = "\0.text\0.symtab\0.strtab\0.shstrtab";
	Elf64_Sym symbols[2];
	memset(symbols, 0, sizeof(symbols));
	symbols[1].st_name = 1;
	symbols[1].st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
	symbols[1].st_shndx = 1;
	symbols[1].st_size = size;
	size_t text = sizeof(Elf64_Ehdr), symtab = (text + size + 7) & ~(size_t)7;
	size_t strings = symtab + sizeof(symbols), names = strings + sizeof(strtab);
	size_t headers = (names + sizeof(shstrtab) + 7) & ~(size_t)7;
	memset(out, 0, headers + 5 * sizeof(Elf64_Shdr));
	Elf64_Ehdr header = {.e_type = ET_REL, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			     .e_shoff = headers, .e_ehsize = sizeof(Elf64_Ehdr),
			     .e_shentsize = sizeof(Elf64_Shdr), .e_shnum = 5, .e_shstrndx = 4};
	memcpy(header.e_ident, ELFMAG, SELFMAG);
	header.e_ident[EI_CLASS] = ELFCLASS64;
	header.e_ident[EI_DATA] = ELFDATA2LSB;
	header.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(out, &header, sizeof(header));
	memcpy(out + text, body, size);
	memcpy(out + symtab, symbols, sizeof(symbols));
	memcpy(out + strings, strtab, sizeof(strtab));
	memcpy(out + names, shstrtab, sizeof(shstrtab));
	Elf64_Shdr sections[5];
	memset(sections, 0, sizeof(sections));
	sections[1] = (Elf64_Shdr){.sh_name = 1, .sh_type = SHT_PROGBITS,
				   .sh_flags = SHF_ALLOC | SHF_EXECINSTR, .sh_offset = text,
				   .sh_size = size, .sh_addralign = 16};
	sections[2] = (Elf64_Shdr){.sh_name = 7, .sh_type = SHT_SYMTAB, .sh_offset = symtab,
				   .sh_size = sizeof(symbols), .sh_link = 3, .sh_info = 1,
				   .sh_entsize = sizeof(Elf64_Sym), .sh_addralign = 8};
	sections[3] = (Elf64_Shdr){.sh_name = 15, .sh_type = SHT_STRTAB, .sh_offset = strings,
				   .sh_size = sizeof(strtab), .sh_addralign = 1};
	sections[4] = (Elf64_Shdr){.sh_name = 23, .sh_type = SHT_STRTAB, .sh_offset = names,
				   .sh_size = sizeof(shstrtab), .sh_addralign = 1};
	memcpy(out + headers, sections, sizeof(sections));
	return headers + sizeof(sections);
}

static void answer(void *context, struct tdx_instruction_event *event)
{
	(void)context;
	event->registers[GPR_RAX] = 0;
	event->action = TDX_ACTION_CONTINUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0 || size > MAX_BODY)
		return 0;
	static uint8_t file[MAX_BODY + 1024];
	static uint8_t caller_memory[LAYOUT_CALLER_MEMORY_SIZE];
	static struct audit_result audit;
	size_t length = wrap(data, size, file);
	struct object_image image;
	struct diagnostic diagnostic;
	if (object_image_load(file, length, "fuzz.o", &image, &diagnostic) != TDXABI_OK)
		abort(); /* our own wrapping must load */
	struct machine *machine = NULL;
	struct call_trace trace = {0};
	if (machine_open(&image, NULL, &machine, &diagnostic) == TDXABI_OK &&
	    call_trace_open(&trace, 4096, &diagnostic) == TDXABI_OK) {
		struct call_request request = {.entry = image.symbols[0].address,
					       .caller_memory = caller_memory,
					       .caller_memory_size = sizeof(caller_memory),
					       .instruction_budget = 20000,
					       .handler = answer};
		for (size_t index = 0; index < image.symbol_count; index++)
			if (image.symbols[index].defined && image.symbols[index].function)
				request.entry = image.symbols[index].address;
		request.registers[GPR_RSI] = LAYOUT_CALLER_MEMORY;
		request.registers[GPR_RDI] = LAYOUT_CALLER_MEMORY;
		struct call_outcome outcome;
		machine_call(machine, &request, &outcome, &diagnostic);
		request.trace = &trace;
		machine_call(machine, &request, &outcome, &diagnostic);
	}
	call_trace_close(&trace);
	machine_close(machine);
	struct audit_request audit_request = {.image = &image, .symbol = "fuzz_stub",
					      .abi_name = fuzz_sysv()->name,
					      .callee_saved = fuzz_sysv()->callee_saved};
	static_audit_run(&audit_request, &audit, &diagnostic);
	object_image_free(&image);
	return 0;
}
