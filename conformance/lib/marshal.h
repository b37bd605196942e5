/* marshal.h - binding_marshal(): turns a binding and a case into the concrete
 * call a caller of the binding's calling convention would make: argument
 * registers and stack words, the caller objects in caller memory (guard bytes
 * around each), a poison tag in every other register (and in the XMM
 * registers the convention makes callee-saved), the callee's shadow space,
 * and the value the caller supplied for each TDX register. */
#ifndef TDXABI_MARSHAL_H
#define TDXABI_MARSHAL_H

#include <stdbool.h>
#include <stdint.h>

#include "binding.h"
#include "case_matrix.h"
#include "machine.h"
#include "memory_layout.h"

struct output_location {
	enum gpr tdx_register;
	uint64_t address;
	unsigned object;
};

struct call_plan {
	uint64_t registers[GPR_COUNT];                  /* at entry */
	struct stack_word stack_words[MACHINE_MAX_STACK_WORDS]; /* stack arguments */
	size_t stack_word_count;
	bool sets_xmm;                                  /* the convention keeps some XMM */
	struct xmm_value xmm[MACHINE_XMM_COUNT];        /* at entry, when sets_xmm */
	uint8_t caller_memory[LAYOUT_CALLER_MEMORY_SIZE];
	/* the bytes of caller_memory the case uses, from its start: the objects
	 * with a guard before and after each (beyond lies the machine's own
	 * pattern, and caller_memory is not written) */
	size_t caller_memory_size;
	uint64_t object_address[BINDING_MAX_OBJECTS];   /* where each object lives */
	bool object_null[BINDING_MAX_OBJECTS];          /* passed as NULL in this case */
	uint64_t supplied[GPR_COUNT];                   /* what the caller supplied per TDX register */
	register_set supplied_set;
	struct output_location outputs[BINDING_MAX_TRANSFERS]; /* enabled in this case */
	size_t output_count;
	/* where the stub may write: the output fields, unless the case is a
	 * failure path the binding keeps untouched */
	/* + the fields it may write + the shadow space */
	struct address_range expected_writes[BINDING_MAX_TRANSFERS + BINDING_MAX_FILLS + 1];
	size_t expected_write_count;
};

void binding_marshal(const struct binding *binding, const struct check_case *check_case,
		     uint64_t nonce, struct call_plan *plan);
/* The enabled output location of a register, or NULL. */
const struct output_location *call_plan_output(const struct call_plan *plan, enum gpr gpr);

#endif
