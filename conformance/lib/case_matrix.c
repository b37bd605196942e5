/* case_matrix.c - builds the case list of case_matrix.h. */
#include "case_matrix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct case_list {
	struct check_case *cases;
	size_t count, capacity;
};

static enum tdxabi_status append(struct case_list *list, const struct check_case *check_case,
				 struct diagnostic *diagnostic)
{
	if (list->count == CASE_MATRIX_MAX_CASES)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "the selection makes more than %d cases for one stub (leaves x "
				       "versions x faults x variants); narrow it with --leaf or --faults",
				       CASE_MATRIX_MAX_CASES);
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? 2 * list->capacity : 64;
		struct check_case *cases = realloc(list->cases, capacity * sizeof(*cases));
		if (!cases)
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		list->cases = cases;
		list->capacity = capacity;
	}
	list->cases[list->count++] = *check_case;
	return TDXABI_OK;
}

/* The registers the case needs in and out, and which of them the binding lacks. */
struct case_registers {
	register_set inputs;       /* what the callee reads, RAX excluded */
	register_set outputs;      /* what the callee returns, RAX excluded */
	register_set missing_in;
	register_set missing_out;
	register_set not_exposed;  /* TDG.VP.VMCALL: needed but outside the RCX mask */
	bool no_vmcall_mask;       /* TDG.VP.VMCALL under a binding that declares no mask */
	uint64_t vmcall_mask;      /* TDG.VP.VMCALL: the mask the case carries */
};

static void check_case_registers(const struct binding *binding, const struct spec_leaf *leaf,
				 unsigned version, const struct spec_vmcall *vmcall,
				 enum td_config td_config, struct case_registers *registers)
{
	memset(registers, 0, sizeof(*registers));
	register_set carried_in =
		binding_carried_inputs(binding) | binding->constants | binding->ignored_inputs;
	register_set carried_out = binding_carried_outputs(binding) | binding->ignored_outputs;
	if (binding->fixed_leaf[0] || binding->vmcall_mask_has_field)
		carried_in |= REGISTER_BIT(GPR_RCX); /* the stub loads the mask itself */
	if (binding->result == RESULT_REGISTER)
		carried_out |= REGISTER_BIT(binding->result_register);
	if (vmcall) {
		register_set vmm_in = spec_vmcall_vmm_inputs(vmcall);
		register_set vmm_out = spec_vmcall_vmm_outputs(vmcall);
		registers->inputs = leaf->inputs | vmm_in;
		registers->outputs = vmm_out;
		registers->no_vmcall_mask = !binding->has_vmcall_mask;
		registers->vmcall_mask = case_matrix_vmcall_mask(binding, vmcall);
		if (binding->has_vmcall_mask)
			registers->not_exposed = (vmm_in | vmm_out) & ~(register_set)registers->vmcall_mask;
	} else {
		registers->inputs = spec_leaf_inputs(leaf, version);
		registers->outputs = spec_leaf_outputs(leaf, version, td_config) | leaf->error_outputs;
	}
	registers->missing_in = registers->inputs & ~carried_in;
	/* an entry point returns nothing: what it keeps of the outputs is its own */
	registers->missing_out = binding->entry_point ? 0 : registers->outputs & ~carried_out;
}

static bool describe_inexpressible(const struct binding *binding,
				   const struct case_registers *registers, char *text, size_t size)
{
	char in[96], out[96], exposed[96];
	if (registers->no_vmcall_mask) {
		snprintf(text, size, "binding %s declares no TDG.VP.VMCALL exposure mask", binding->name);
		return true;
	}
	if (registers->missing_in) {
		snprintf(text, size, "needs %s as input, which binding %s does not carry in",
			 register_set_format(registers->missing_in, in, sizeof(in)), binding->name);
		return true;
	}
	if (registers->missing_out) {
		snprintf(text, size, "returns %s, which binding %s does not carry out",
			 register_set_format(registers->missing_out, out, sizeof(out)), binding->name);
		return true;
	}
	if (registers->not_exposed) {
		snprintf(text, size, "needs %s, outside the exposure mask 0x%llx of binding %s",
			 register_set_format(registers->not_exposed, exposed, sizeof(exposed)),
			 (unsigned long long)registers->vmcall_mask, binding->name);
		return true;
	}
	return false;
}

bool case_matrix_can_express(const struct binding *binding, const struct spec_leaf *leaf,
			     unsigned version, const struct spec_vmcall *vmcall,
			     enum td_config td_config, char *reason, size_t size)
{
	struct case_registers registers;
	check_case_registers(binding, leaf, version, vmcall, td_config, &registers);
	return !describe_inexpressible(binding, &registers, reason, size);
}

uint64_t case_matrix_vmcall_mask(const struct binding *binding, const struct spec_vmcall *vmcall)
{
	if (!binding->vmcall_mask_has_field || !vmcall)
		return binding->vmcall_mask;
	register_set needed = spec_vmcall_vmm_inputs(vmcall) | spec_vmcall_vmm_outputs(vmcall);
	return binding->vmcall_mask | (needed & (register_set)~TDVMCALL_NEVER_EXPOSED);
}

bool case_matrix_binding_issues(const struct binding *binding, const struct spec_vmcall *vmcall)
{
	bool fixes_r10 = register_set_has(binding->constants, GPR_R10);
	uint64_t r10 = binding->constant_values[GPR_R10];
	if (vmcall->vendor)
		return !fixes_r10 || r10 != 0;
	if (fixes_r10 && r10 != 0)
		return false;
	return !register_set_has(binding->constants, GPR_R11) ||
	       binding->constant_values[GPR_R11] == vmcall->subfunction;
}

register_set spec_vmcall_vmm_inputs(const struct spec_vmcall *vmcall)
{
	return REGISTER_BIT(GPR_R10) | (vmcall->vendor ? 0 : REGISTER_BIT(GPR_R11)) | vmcall->inputs;
}

register_set spec_vmcall_vmm_outputs(const struct spec_vmcall *vmcall)
{
	return REGISTER_BIT(GPR_R10) | vmcall->outputs;
}

uint64_t check_case_rax(const struct check_case *check_case)
{
	return spec_leaf_rax(check_case->leaf, check_case->version);
}

static bool fault_declared(const struct binding *binding, enum fault_scenario fault)
{
	return binding_result_governs(binding, fault) ||
	       binding->outcomes[fault].kind != OUTCOME_UNDECLARED;
}

static enum tdxabi_status add_variants(const struct binding *binding, struct check_case base,
				       struct case_list *list, struct diagnostic *diagnostic)
{
	unsigned nullable = 0;
	for (size_t index = 0; index < binding->object_count; index++)
		if (binding->objects[index].nullable)
			nullable |= 1u << index;
	for (unsigned flag_choice = 0; flag_choice < (1u << binding->flag_count); flag_choice++) {
		base.flags = 0;
		for (size_t index = 0; index < binding->flag_count; index++)
			if (flag_choice & (1u << index))
				base.flags |= 1ull << binding->flags[index].bit;
		/* every subset of the nullable objects, the empty one first */
		unsigned null_choice = 0;
		do {
			base.null_objects = null_choice;
			enum tdxabi_status status = append(list, &base, diagnostic);
			if (status != TDXABI_OK)
				return status;
			null_choice = (null_choice - nullable) & nullable;
		} while (null_choice != 0);
	}
	return TDXABI_OK;
}

static enum tdxabi_status add_version(const struct binding *binding,
				      enum tdx_instruction instruction, struct check_case base,
				      const struct case_selection *selection, bool named,
				      struct case_list *list, struct diagnostic *diagnostic)
{
	struct case_registers registers;
	check_case_registers(binding, base.leaf, base.version, base.vmcall, base.td_config,
			     &registers);
	if (describe_inexpressible(binding, &registers, base.reason, sizeof(base.reason))) {
		base.cannot_express = true;
		base.inexpressible = registers.missing_in | (uint64_t)registers.missing_out << 16 |
				     (uint64_t)registers.not_exposed << 32 |
				     (uint64_t)registers.no_vmcall_mask << 48;
		base.cannot_express_fails = named;
		return append(list, &base, diagnostic);
	}
	for (int fault = 0; fault < FAULT_SCENARIO_COUNT; fault++) {
		if (!(selection->fault_mask & (1u << fault)) ||
		    !fault_scenario_applies((enum fault_scenario)fault, instruction,
					    base.leaf->exits_to_vmm))
			continue;
		base.fault = (enum fault_scenario)fault;
		base.skip = false;
		base.reason[0] = '\0';
		if (!fault_declared(binding, base.fault)) {
			if (!selection->faults_explicit)
				continue;
			base.skip = true;
			snprintf(base.reason, sizeof(base.reason),
				 "binding %s promises no outcome for fault %s", binding->name,
				 fault_scenario_name(base.fault));
			enum tdxabi_status status = append(list, &base, diagnostic);
			if (status != TDXABI_OK)
				return status;
			continue;
		}
		enum tdxabi_status status = add_variants(binding, base, list, diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	return TDXABI_OK;
}

/* Whether the TD configuration changes what the leaf does with registers:
 * outputs it keeps, or for TDG.VP.VMCALL a mask selecting a register the
 * module then refuses to expose. */
static bool depends_on_td_config(const struct spec_leaf *leaf, uint64_t vmcall_mask)
{
	if (leaf->exits_to_vmm)
		return (vmcall_mask & leaf->kept_under_no_rbp_mod) != 0;
	return (leaf->kept_under_no_rbp_mod | leaf->zeroed_under_no_rbp_mod) != 0;
}

/* A leaf at every version it has, under each selected TD configuration
 * that makes a difference to it. */
static enum tdxabi_status add_leaf(const struct binding *binding, enum tdx_instruction instruction,
				   const struct spec_leaf *leaf, const struct spec_vmcall *vmcall,
				   const struct case_selection *selection, bool named,
				   struct case_list *list, struct diagnostic *diagnostic)
{
	enum tdxabi_status status = TDXABI_OK;
	unsigned mask = selection->td_config_mask ? selection->td_config_mask : TD_CONFIG_DEFAULT_MASK;
	bool first = true;
	uint64_t vmcall_mask = case_matrix_vmcall_mask(binding, vmcall);
	for (int config = 0; config < TD_CONFIG_COUNT && status == TDXABI_OK; config++) {
		if (!(mask & (1u << config)) || (!first && !depends_on_td_config(leaf, vmcall_mask)))
			continue;
		first = false;
		for (unsigned version = 0; version <= leaf->max_version && status == TDXABI_OK;
		     version++) {
			struct check_case base = {.leaf = leaf, .vmcall = vmcall, .version = version,
						  .td_config = (enum td_config)config,
						  .fault = FAULT_NONE, .vmcall_mask = vmcall_mask};
			status = add_version(binding, instruction, base, selection, named, list,
					     diagnostic);
		}
	}
	return status;
}

/* A leaf, expanded into its sub-functions when it exits to the VMM. A named
 * TDG.VP.VMCALL fails only if the binding cannot issue it at all (no mask); a
 * sub-function the binding cannot carry is then a skip like in a sweep. */
static enum tdxabi_status add_leaf_or_subfunctions(const struct binding *binding,
						   const struct spec_table *spec,
						   enum tdx_instruction instruction,
						   const struct spec_leaf *leaf,
						   const struct case_selection *selection,
						   bool named, struct case_list *list,
						   struct diagnostic *diagnostic)
{
	if (!leaf->exits_to_vmm)
		return add_leaf(binding, instruction, leaf, NULL, selection, named, list, diagnostic);
	bool named_subfunctions = named && !binding->has_vmcall_mask;
	for (size_t index = 0; index < spec->vmcall_count; index++) {
		if (!case_matrix_binding_issues(binding, &spec->vmcalls[index]))
			continue;
		enum tdxabi_status status = add_leaf(binding, instruction, leaf, &spec->vmcalls[index],
						     selection, named_subfunctions, list, diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	return TDXABI_OK;
}

static enum tdxabi_status add_named(const struct binding *binding, const struct spec_table *spec,
				    enum tdx_instruction instruction,
				    const struct case_selection *selection,
				    const struct spec_leaf *fixed_leaf, struct case_list *list,
				    struct diagnostic *diagnostic)
{
	const char *name = selection->leaf_name;
	const struct spec_leaf *vmcall_leaf = spec_table_vmcall_leaf(spec);
	/* a sub-function also as reports name it: "TDG.VP.VMCALL<Instruction.RDMSR>" */
	char inner[RESULT_NAME_SIZE];
	size_t length = strlen(name);
	if (vmcall_leaf && length > strlen(vmcall_leaf->name) + 2 && name[length - 1] == '>' &&
	    strncmp(name, vmcall_leaf->name, strlen(vmcall_leaf->name)) == 0 &&
	    name[strlen(vmcall_leaf->name)] == '<' && length < sizeof(inner)) {
		snprintf(inner, sizeof(inner), "%.*s", (int)(length - strlen(vmcall_leaf->name) - 2),
			 name + strlen(vmcall_leaf->name) + 1);
		name = inner;
	}
	const struct spec_leaf *leaf = spec_table_find_leaf_by_name(spec, name);
	const struct spec_vmcall *vmcall = spec_table_find_vmcall_by_name(spec, name);
	if (!leaf && !vmcall)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "spec %s has no leaf or sub-function '%s' (see 'tdxabi list leaves')",
				       spec->revision, name);
	if (vmcall && !vmcall_leaf)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "spec %s has sub-function %s but no leaf that exits to the VMM",
				       spec->revision, name);
	if (leaf && fixed_leaf && leaf != fixed_leaf)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "binding %s always issues %s; %s is not one of its sub-functions",
				       binding->name, fixed_leaf->name, name);
	const struct spec_leaf *target = vmcall ? vmcall_leaf : leaf;
	if (target->instruction != instruction)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s is a %s leaf, but the stub issues %s", name,
				       tdx_instruction_name(target->instruction),
				       tdx_instruction_name(instruction));
	if (vmcall && !case_matrix_binding_issues(binding, vmcall))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "binding %s loads R10/R11 itself and never issues %s",
				       binding->name, name);
	if (vmcall)
		return add_leaf(binding, instruction, vmcall_leaf, vmcall, selection, true, list,
				diagnostic);
	return add_leaf_or_subfunctions(binding, spec, instruction, leaf, selection, true, list,
					diagnostic);
}

/* Keeps the cases of one variant ("plain" or "": the call without one),
 * or says which variants there are. */
static enum tdxabi_status keep_variant(const struct binding *binding, const char *wanted,
				       struct case_list *list, struct diagnostic *diagnostic)
{
	if (strcmp(wanted, "plain") == 0)
		wanted = "";
	char name[RESULT_NAME_SIZE], quoted[RESULT_NAME_SIZE + 2], known[DIAGNOSTIC_TEXT_SIZE / 2] = "";
	size_t kept = 0, used = 0;
	for (size_t index = 0; index < list->count; index++) {
		check_case_variant_name(binding, &list->cases[index], name, sizeof(name));
		snprintf(quoted, sizeof(quoted), "'%s'", name[0] ? name : "plain");
		if (strcmp(name, wanted) == 0)
			list->cases[kept++] = list->cases[index];
		else if (used < sizeof(known) && !strstr(known, quoted))
			used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s",
						 used ? ", " : "", quoted);
	}
	list->count = kept;
	if (kept == 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "no selected case has variant '%s' (variants: %s)",
				       wanted[0] ? wanted : "plain", used ? known : "only that one");
	return TDXABI_OK;
}

enum tdxabi_status case_matrix_build(const struct binding *binding,
				     const struct spec_table *spec,
				     enum tdx_instruction instruction,
				     const struct case_selection *selection,
				     struct check_case **cases, size_t *count,
				     struct diagnostic *diagnostic)
{
	struct case_list list = {NULL, 0, 0};
	const struct spec_leaf *fixed_leaf = NULL;
	enum tdxabi_status status = TDXABI_OK;
	bool any_applies = false;
	for (int fault = 0; fault < FAULT_SCENARIO_COUNT; fault++)
		any_applies |= (selection->fault_mask & (1u << fault)) &&
			       (fault_scenario_applies((enum fault_scenario)fault, instruction, false) ||
				fault_scenario_applies((enum fault_scenario)fault, instruction, true));
	if (!any_applies)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "none of the selected faults applies to a %s stub (see 'tdxabi "
				       "list faults')",
				       tdx_instruction_name(instruction));
	if (binding->fixed_leaf[0]) {
		fixed_leaf = spec_table_find_leaf_by_name(spec, binding->fixed_leaf);
		if (!fixed_leaf || !fixed_leaf->exits_to_vmm || fixed_leaf->instruction != instruction)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "binding %s issues %s, which spec %s has no %s leaf "
					       "exiting to the VMM for",
					       binding->name, binding->fixed_leaf, spec->revision,
					       tdx_instruction_name(instruction));
	}
	bool all = !selection->leaf_name || strcmp(selection->leaf_name, "all") == 0;
	if (!all) {
		status = add_named(binding, spec, instruction, selection, fixed_leaf, &list, diagnostic);
	} else if (fixed_leaf) {
		status = add_leaf_or_subfunctions(binding, spec, instruction, fixed_leaf, selection,
						  false, &list, diagnostic);
	} else {
		for (size_t index = 0; index < spec->leaf_count && status == TDXABI_OK; index++)
			if (spec->leaves[index].instruction == instruction)
				status = add_leaf_or_subfunctions(binding, spec, instruction,
								  &spec->leaves[index], selection,
								  false, &list, diagnostic);
	}
	if (status == TDXABI_OK && list.count == 0)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "nothing to run: no selected fault applies to a %s leaf the "
					 "selection names",
					 tdx_instruction_name(instruction));
	if (status == TDXABI_OK && selection->variant_name)
		status = keep_variant(binding, selection->variant_name, &list, diagnostic);
	if (status != TDXABI_OK) {
		free(list.cases);
		return status;
	}
	*cases = list.cases;
	*count = list.count;
	return TDXABI_OK;
}

bool case_matrix_reaches(const struct binding *binding, const struct spec_table *spec,
			 enum tdx_instruction instruction, const char *leaf_name)
{
	if (!leaf_name || strcmp(leaf_name, "all") == 0)
		return true;
	const struct spec_leaf *leaf = spec_table_find_leaf_by_name(spec, leaf_name);
	if (!leaf && spec_table_find_vmcall_by_name(spec, leaf_name)) {
		/* a sub-function needs a binding that can issue TDG.VP.VMCALL at all */
		if (!binding->has_vmcall_mask && !binding->fixed_leaf[0])
			return false;
		leaf = spec_table_vmcall_leaf(spec);
	}
	if (!leaf)
		return true;
	return leaf->instruction == instruction &&
	       (!binding->fixed_leaf[0] || strcmp(binding->fixed_leaf, leaf->name) == 0);
}

void check_case_leaf_name(const struct check_case *check_case, char *text, size_t size)
{
	if (check_case->vmcall)
		snprintf(text, size, "%s<%s>", check_case->leaf->name, check_case->vmcall->name);
	else
		snprintf(text, size, "%s", check_case->leaf->name);
}

void check_case_variant_name(const struct binding *binding, const struct check_case *check_case,
			     char *text, size_t size)
{
	size_t used = 0;
	text[0] = '\0';
	if (check_case->leaf->max_version > 0)
		used += (size_t)snprintf(text, size, "version=%u", check_case->version);
	if (binding->flag_count > 0 && used < size)
		used += (size_t)snprintf(text + used, size - used, "%sflags=0x%llx", used ? " " : "",
					 (unsigned long long)check_case->flags);
	for (size_t index = 0; index < binding->object_count && used < size; index++)
		if (check_case->null_objects & (1u << index))
			used += (size_t)snprintf(text + used, size - used, "%s%s=NULL", used ? " " : "",
						 binding->objects[index].name);
	if (depends_on_td_config(check_case->leaf, check_case->vmcall_mask) && used < size)
		snprintf(text + used, size - used, "%std=%s", used ? " " : "",
			 td_config_name(check_case->td_config));
}
