/* calling_convention.h - a calling convention as data (specs/abis/NAME.abi):
 * argument registers, where stack arguments start, the callee's shadow space,
 * the callee-saved GPRs and XMM registers, the result register and DF. The
 * marshalling and the checks read it; nothing else knows an ABI. */
#ifndef TDXABI_CALLING_CONVENTION_H
#define TDXABI_CALLING_CONVENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "registers.h"

#define ABI_NAME_SIZE 64
#define ABI_MAX_ARGUMENT_REGISTERS 8
#define XMM_COUNT 16

struct calling_convention {
	char name[ABI_NAME_SIZE];
	char *citation;
	char *file_name;
	enum gpr argument_registers[ABI_MAX_ARGUMENT_REGISTERS];
	size_t argument_register_count;
	uint32_t first_stack_argument; /* offset from entry RSP of the first stack argument */
	uint32_t shadow_space_offset;  /* the callee's home space, from entry RSP ... */
	uint32_t shadow_space_size;    /* ... and its size in bytes (0: none) */
	register_set callee_saved;
	uint16_t callee_saved_xmm;     /* bit n: XMMn is callee-saved */
	enum gpr result_register;
	bool direction_flag_clear;     /* DF clear at entry and at return */
	/* registers that carry no argument hold the caller's values (a function,
	 * poisoned with tags) or zero (an entry point reached from reset code) */
	bool other_registers_zero;
};

enum tdxabi_status calling_convention_parse(const char *text, size_t length,
					    const char *file_name,
					    struct calling_convention *convention,
					    struct diagnostic *diagnostic);
void calling_convention_free(struct calling_convention *convention);

/* Where 0-based argument `index` lives at entry: *in_register set and
 * *gpr filled, or the stack offset from entry RSP. */
void calling_convention_argument(const struct calling_convention *convention, size_t index,
				 bool *in_register, enum gpr *gpr, uint32_t *stack_offset);

typedef const struct calling_convention *(*calling_convention_resolver)(void *context,
									 const char *name);

#endif
