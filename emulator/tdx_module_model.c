/* tdx_module_model.c - the module model of tdx_module_model.h: only the
 * leaf's outputs and RAX change; RAX[63:24] zero and RAX[23:16] a version the
 * leaf has; SEAMCALL with RAX bit 63 goes to the P-SEAMLDR; TDG.VP.VMCALL
 * refuses masks exposing RAX, RCX, RSP or bits 63:32, and in a NO_RBP_MOD TD
 * the registers its row keeps (1.5.01 tdg_vp_vmcall.c); a zero-in: register
 * that is not 0 is refused with TDX_OPERAND_INVALID naming the first; in a
 * NO_RBP_MOD TD the registers a row zeroes there come back 0; outputs carry
 * the flag bits their row lists; a leaf that clears vector registers
 * zeroes XMM0-15 or YMM0-15 on success. */
#include "tdx_module_model.h"

#include <string.h>

#include "poison_tag.h"
#include "vmm_model.h"

#define RFLAGS_CF (1ull << 0)
#define RFLAGS_PF (1ull << 2)
#define RFLAGS_AF (1ull << 4)
#define RFLAGS_ZF (1ull << 6)
#define RFLAGS_SF (1ull << 7)
#define RFLAGS_OF (1ull << 11)
#define RFLAGS_ARITHMETIC (RFLAGS_CF | RFLAGS_PF | RFLAGS_AF | RFLAGS_ZF | RFLAGS_SF | RFLAGS_OF)
/* Completion-status operand ids are the GPR numbers (tdx_error_codes_defs.h). */
#define OPERAND_ID(gpr) ((uint64_t)(gpr))

static enum tdxabi_status resolve_status(const struct spec_table *spec, const char *name,
					 uint64_t *value, struct diagnostic *diagnostic)
{
	const struct spec_status *status = spec_table_find_status(spec, name);
	if (!status)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: spec %s has no status %s, which the module model answers with",
				       spec->file_name, spec->revision, name);
	*value = status->value;
	return TDXABI_OK;
}

enum tdxabi_status module_model_init(struct module_model *model, const struct spec_table *spec,
				     struct diagnostic *diagnostic)
{
	memset(model, 0, sizeof(*model));
	model->spec = spec;
	enum tdxabi_status status = resolve_status(spec, "TDX_SUCCESS", &model->success, diagnostic);
	if (status == TDXABI_OK)
		status = resolve_status(spec, "TDX_OPERAND_INVALID", &model->operand_invalid,
					diagnostic);
	/* the VMM's statuses, where the table has a leaf that exits to it */
	bool has_vmm = spec_table_vmcall_leaf(spec) != NULL;
	if (status == TDXABI_OK && has_vmm)
		status = resolve_status(spec, "TDVMCALL_STATUS_INVALID_OPERAND",
					&model->tdvmcall_invalid_operand, diagnostic);
	if (status == TDXABI_OK && has_vmm)
		status = resolve_status(spec, "TDVMCALL_STATUS_SUCCESS", &model->tdvmcall_success,
					diagnostic);
	if (status == TDXABI_OK && has_vmm)
		status = resolve_status(spec, "TDVMCALL_STATUS_RETRY", &model->tdvmcall_retry,
					diagnostic);
	for (size_t index = 0; index < spec->leaf_count; index++)
		model->has_seamldr |= spec->leaves[index].seamldr;
	if (status == TDXABI_OK && model->has_seamldr)
		status = resolve_status(spec, "PSEAMLDR_SUCCESS", &model->seamldr_success, diagnostic);
	if (status == TDXABI_OK && model->has_seamldr)
		status = resolve_status(spec, "PSEAMLDR_EBADPARAM", &model->seamldr_bad_parameter,
					diagnostic);
	return status;
}

void module_model_begin_call(struct module_model *model, enum fault_scenario fault,
			     uint64_t nonce, enum td_config td_config)
{
	model->fault = fault;
	model->td_config = td_config;
	model->nonce = nonce;
	model->event_count = 0;
}

static void write_register(struct model_event *logged, struct tdx_instruction_event *event,
			   enum gpr gpr, uint64_t value)
{
	event->registers[gpr] = value;
	logged->written |= REGISTER_BIT(gpr);
	logged->written_values[gpr] = value;
}

static void answer(struct model_event *logged, struct tdx_instruction_event *event,
		   uint64_t status)
{
	logged->answered = true;
	logged->status = status;
	event->registers[GPR_RAX] = status;
	event->rflags &= ~RFLAGS_ARITHMETIC;
}

/* Writes a tag into each output, with the flag bits the leaf may set
 * there (out-flags:; none on the error path). */
static void write_outputs(struct module_model *model, struct model_event *logged,
			  struct tdx_instruction_event *event, register_set outputs,
			  enum tag_origin origin, const uint64_t *flags)
{
	for (int index = 0; index < GPR_COUNT; index++) {
		if (!register_set_has(outputs, (enum gpr)index))
			continue;
		uint64_t flag_bits = flags ? flags[index] : 0;
		logged->flags_set |= flag_bits;
		write_register(logged, event, (enum gpr)index,
			       poison_tag(model->nonce, origin, (unsigned)index) | flag_bits);
	}
}

static uint64_t lowest_operand(register_set inputs)
{
	for (int index = 0; index < GPR_COUNT; index++)
		if (register_set_has(inputs, (enum gpr)index))
			return OPERAND_ID(index);
	return OPERAND_ID(GPR_RAX);
}

/* Whether the module refuses the mask before the VMM sees anything: bits
 * 63:32, RAX, RCX or RSP, or a register the TD's configuration keeps. */
static bool refuse_mask(const struct module_model *model, struct model_event *logged,
			uint64_t mask)
{
	logged->rejected_reserved_bits = (mask & ~0xFFFFFFFFull) | (mask & TDVMCALL_NEVER_EXPOSED);
	if (model->td_config == TD_CONFIG_NO_RBP_MOD)
		logged->rejected_by_td_config = (register_set)(mask & logged->leaf->kept_under_no_rbp_mod);
	logged->rejected = logged->rejected_reserved_bits || logged->rejected_by_td_config;
	return logged->rejected;
}

/* R10 the VMM answers with in this call's scenario; false: a tag of its own. */
static bool vmm_status(const struct module_model *model, uint64_t *status)
{
	switch (model->fault) {
	case FAULT_ERROR_STATUS:
		*status = model->tdvmcall_invalid_operand;
		return true;
	case FAULT_VMM_RETRY:
		*status = model->tdvmcall_retry;
		return true;
	case FAULT_VMM_UNUSUAL_STATUS:
		return false;
	default:
		*status = model->tdvmcall_success;
		return true;
	}
}

static void handle_vmcall(struct module_model *model, struct model_event *logged,
			  struct tdx_instruction_event *event)
{
	uint64_t mask = event->registers[GPR_RCX];
	if (refuse_mask(model, logged, mask) || model->fault == FAULT_TDCALL_FAILURE) {
		answer(logged, event, model->operand_invalid | OPERAND_ID(GPR_RCX));
		return;
	}
	logged->reached_vmm = true;
	logged->exposed = (register_set)(mask & 0xFFFF);
	if (!register_set_has(logged->exposed, GPR_R10))
		;
	else if (event->registers[GPR_R10] != 0)
		logged->vmcall = spec_table_vendor_vmcall(model->spec);
	else if (register_set_has(logged->exposed, GPR_R11))
		logged->vmcall = spec_table_find_vmcall(model->spec, event->registers[GPR_R11]);
	uint64_t status = 0;
	bool has_status = vmm_status(model, &status);
	struct vmm_answer vmm;
	vmm_answer_tdvmcall(event->registers, logged->exposed, model->nonce, has_status, status,
			    &vmm);
	memcpy(logged->vmm_view, vmm.view, sizeof(vmm.view));
	/* a sub-function that never returns: the TD is not resumed (unless the
	 * VMM refuses it, in the error scenarios) */
	if (logged->vmcall && logged->vmcall->never_returns && model->fault == FAULT_NONE) {
		event->action = TDX_ACTION_END_CALL;
		return;
	}
	for (int index = 0; index < GPR_COUNT; index++)
		if (register_set_has(vmm.written, (enum gpr)index))
			write_register(logged, event, (enum gpr)index, vmm.values[index]);
	answer(logged, event, model->success);
}

void module_model_handle(void *context, struct tdx_instruction_event *event)
{
	struct module_model *model = context;
	if (model->event_count == MODEL_MAX_EVENTS) {
		event->action = TDX_ACTION_CONTINUE; /* unreachable: the machine stops first */
		return;
	}
	struct model_event *logged = &model->events[model->event_count++];
	memset(logged, 0, sizeof(*logged));
	logged->instruction = event->opcode == TDX_OPCODE_SEAMCALL ? TDX_SEAMCALL : TDX_TDCALL;
	logged->address = event->address;
	logged->fault = model->fault;
	memcpy(logged->registers, event->registers, sizeof(logged->registers));
	event->action = TDX_ACTION_CONTINUE;

	if (logged->instruction == TDX_SEAMCALL) {
		switch (model->fault) {
		case FAULT_VMFAILINVALID:
			event->rflags = (event->rflags & ~RFLAGS_ARITHMETIC) | RFLAGS_CF;
			return;
		case FAULT_UD:
			event->action = TDX_ACTION_RAISE_UD;
			return;
		case FAULT_GP:
			event->action = TDX_ACTION_RAISE_GP;
			return;
		default:
			break;
		}
	}
	uint64_t rax = event->registers[GPR_RAX];
	bool seamldr = logged->instruction == TDX_SEAMCALL && (rax & SEAMLDR_LEAF_BIT);
	if (seamldr) {
		if ((rax & ~(SEAMLDR_LEAF_BIT | 0xFFFF)) == 0)
			logged->leaf = spec_table_find_seamldr(model->spec, (uint16_t)rax);
		if (!logged->leaf) {
			answer(logged, event, model->has_seamldr ? model->seamldr_bad_parameter
								 : model->operand_invalid | OPERAND_ID(GPR_RAX));
			return;
		}
	} else {
		const struct spec_leaf *leaf =
			spec_table_find_leaf(model->spec, logged->instruction, (uint16_t)rax);
		unsigned version = (unsigned)(rax >> 16) & 0xFF;
		if (rax >> 24 == 0 && leaf && version <= leaf->max_version) {
			logged->leaf = leaf;
			logged->version = version;
		}
		if (!logged->leaf) {
			answer(logged, event, model->operand_invalid | OPERAND_ID(GPR_RAX));
			return;
		}
	}
	if (logged->leaf->exits_to_vmm) {
		handle_vmcall(model, logged, event);
		return;
	}
	register_set must_be_zero =
		logged->leaf->zero_inputs & spec_leaf_inputs(logged->leaf, logged->version);
	for (int index = 0; index < GPR_COUNT; index++)
		if (register_set_has(must_be_zero, (enum gpr)index) && event->registers[index] != 0)
			logged->rejected_nonzero |= REGISTER_BIT(index);
	if (logged->rejected_nonzero) {
		logged->rejected = true;
		answer(logged, event, model->operand_invalid | lowest_operand(logged->rejected_nonzero));
		return;
	}
	if (model->fault == FAULT_ERROR_STATUS) {
		/* on an error the module, not the TD, writes the outputs */
		write_outputs(model, logged, event, logged->leaf->error_outputs, TAG_MODULE_OUTPUT,
			      NULL);
		answer(logged, event,
		       seamldr ? model->seamldr_bad_parameter
			       : model->operand_invalid |
					 lowest_operand(spec_leaf_inputs(logged->leaf, logged->version)));
		return;
	}
	write_outputs(model, logged, event,
		      spec_leaf_outputs(logged->leaf, logged->version, model->td_config),
		      logged->leaf->outputs_from_td ? TAG_TD_VALUE : TAG_MODULE_OUTPUT,
		      logged->leaf->output_flags);
	event->cleared_vector_bytes = logged->leaf->clears == VECTORS_YMM_CLEARED   ? 32
				      : logged->leaf->clears == VECTORS_XMM_CLEARED ? 16
										    : 0;
	logged->cleared_vector_bytes = event->cleared_vector_bytes;
	register_set zeroed = spec_leaf_zeroed(logged->leaf, model->td_config);
	for (int index = 0; index < GPR_COUNT; index++)
		if (register_set_has(zeroed, (enum gpr)index))
			write_register(logged, event, (enum gpr)index, 0);
	answer(logged, event, seamldr ? model->seamldr_success : model->success);
}
