/* tdx_module_model.h - the TDX module as stubs see it: decodes RAX against a
 * spec table, writes tagged values into the leaf's outputs and keeps every
 * other register (TDH.VP.ENTER returns the TD's values, tagged as such),
 * hands TDG.VP.VMCALL to the VMM model, injects the call's fault scenario,
 * and logs it all for the conformance checks. */
#ifndef TDXABI_TDX_MODULE_MODEL_H
#define TDXABI_TDX_MODULE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "fault_scenario.h"
#include "machine.h"
#include "spec_table.h"

/* Every TDX instruction of a call is logged: the machine ends a call that
 * issues more. */
#define MODEL_MAX_EVENTS MACHINE_MAX_TDX_INSTRUCTIONS

struct model_event {
	enum tdx_instruction instruction;
	uint64_t address;
	uint64_t registers[GPR_COUNT];    /* as the stub left them at the instruction */
	const struct spec_leaf *leaf;     /* NULL: RAX named no leaf of the table */
	unsigned version;                 /* RAX[23:16] */
	const struct spec_vmcall *vmcall; /* TDG.VP.VMCALL: the vendor row (R10 != 0), or
					   * the sub-function of R11 (R10 = 0) */
	bool reached_vmm;
	/* A call the module refused for its inputs: TDG.VP.VMCALL mask bits it
	 * never accepts, or registers this TD's configuration keeps (RBP under
	 * NO_RBP_MOD); or, for any leaf, zero-in: registers that were not 0 */
	bool rejected;
	uint64_t rejected_reserved_bits;
	register_set rejected_by_td_config;
	register_set rejected_nonzero;
	register_set exposed;             /* TDG.VP.VMCALL: what the VMM saw ... */
	uint64_t vmm_view[GPR_COUNT];     /* ... and its values (unexposed read as 0) */
	enum fault_scenario fault;        /* the scenario applied to this instruction */
	bool answered;                    /* the module wrote RAX (no VMfailInvalid, no trap) */
	uint64_t status;                  /* RAX after the instruction, when answered */
	register_set written;             /* registers the module or the VMM wrote */
	uint64_t written_values[GPR_COUNT];
	uint64_t flags_set;               /* out-flags: bits set in the values written */
	unsigned cleared_vector_bytes;    /* clears: 16 (XMM0-15) or 32 (YMM0-15) zeroed */
};

struct module_model {
	const struct spec_table *spec;
	uint64_t success;                 /* TDX_SUCCESS */
	uint64_t operand_invalid;         /* TDX_OPERAND_INVALID */
	uint64_t tdvmcall_success;        /* TDVMCALL_STATUS_SUCCESS */
	uint64_t tdvmcall_retry;          /* TDVMCALL_STATUS_RETRY */
	uint64_t tdvmcall_invalid_operand; /* TDVMCALL_STATUS_INVALID_OPERAND */
	bool has_seamldr;                 /* the table has P-SEAMLDR leaves, and so ... */
	uint64_t seamldr_success;         /* ... PSEAMLDR_SUCCESS */
	uint64_t seamldr_bad_parameter;   /* ... PSEAMLDR_EBADPARAM */
	/* per call */
	enum fault_scenario fault;
	enum td_config td_config;
	uint64_t nonce;
	size_t event_count;
	struct model_event events[MODEL_MAX_EVENTS];
};

/* Resolves the status codes the model answers with; fails naming the spec
 * file when the table lacks one. */
enum tdxabi_status module_model_init(struct module_model *model, const struct spec_table *spec,
				     struct diagnostic *diagnostic);
void module_model_begin_call(struct module_model *model, enum fault_scenario fault,
			     uint64_t nonce, enum td_config td_config);
/* The machine's tdx_instruction_handler; context is a struct module_model. */
void module_model_handle(void *context, struct tdx_instruction_event *event);

#endif
