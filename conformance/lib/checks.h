/* checks.h - evaluates every rule of DESIGN.md on one finished call: what the
 * model saw at the TDX instruction, what the stub left in registers, memory
 * and flags at return, and how the call ended. */
#ifndef TDXABI_CHECKS_H
#define TDXABI_CHECKS_H

#include "binding.h"
#include "case_matrix.h"
#include "check_result.h"
#include "environment.h"
#include "machine.h"
#include "marshal.h"
#include "spec_table.h"
#include "tdx_module_model.h"

struct check_context {
	const struct binding *binding;
	const struct spec_table *spec;
	const struct check_case *check_case;
	const struct call_plan *plan;
	const struct module_model *model;
	const struct call_outcome *outcome;
	const uint8_t *caller_memory; /* after the call, LAYOUT_CALLER_MEMORY_SIZE bytes */
	struct machine *machine;      /* to disassemble and read the stack */
	const struct object_image *image;
	const struct stub_environment *environment;
	uint64_t nonce;
	uint64_t instruction_budget;
};

enum tdxabi_status checks_evaluate(const struct check_context *context,
				   struct check_result *result, struct diagnostic *diagnostic);

/* The status a binding promises for a fault (named status, | trap number);
 * false when the spec lacks the named status. */
bool checks_named_status(const struct spec_table *spec, const struct fault_outcome *outcome,
			 enum fault_scenario fault, uint64_t *value);

#endif
