/* spec_diff.c - compares two spec revisions (spec_diff.h). Leaves match by
 * instruction and number (P-SEAMLDR apart), sub-functions by number (the
 * vendor row apart), status codes by name; a binding's expressibility is
 * the case matrix's own. */
#include "spec_diff.h"

#include <stdlib.h>
#include <string.h>

#include "case_matrix.h"

static enum tdxabi_status push(void **items, size_t *count, size_t size, const void *item,
			       struct diagnostic *diagnostic)
{
	char *grown = realloc(*items, (*count + 1) * size);
	if (!grown)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	memcpy(grown + *count * size, item, size);
	*items = grown;
	(*count)++;
	return TDXABI_OK;
}

static const struct spec_leaf *same_leaf(const struct spec_table *table,
					 const struct spec_leaf *leaf)
{
	return leaf->seamldr ? spec_table_find_seamldr(table, leaf->number)
			     : spec_table_find_leaf(table, leaf->instruction, leaf->number);
}

static const struct spec_vmcall *same_vmcall(const struct spec_table *table,
					     const struct spec_vmcall *vmcall)
{
	return vmcall->vendor ? spec_table_vendor_vmcall(table)
			      : spec_table_find_vmcall(table, vmcall->subfunction);
}

static void compare_versions(struct spec_row_change *row, const struct spec_leaf *from,
			     const struct spec_leaf *to)
{
	register_set from_in = from ? from->version_inputs : 0, to_in = to ? to->version_inputs : 0;
	register_set from_out = from ? from->version_outputs : 0,
		     to_out = to ? to->version_outputs : 0;
	row->version_inputs_added = to_in & ~from_in;
	row->version_inputs_removed = from_in & ~to_in;
	row->version_outputs_added = to_out & ~from_out;
	row->version_outputs_removed = from_out & ~to_out;
	row->versions_changed = (from ? from->max_version : 0) != (to ? to->max_version : 0);
}

static void compare_registers(struct spec_row_change *row, register_set from_in,
			      register_set from_out, register_set from_path_out, register_set to_in,
			      register_set to_out, register_set to_path_out)
{
	row->inputs_added = to_in & ~from_in;
	row->inputs_removed = from_in & ~to_in;
	row->outputs_added = to_out & ~from_out;
	row->outputs_removed = from_out & ~to_out;
	row->path_outputs_added = to_path_out & ~from_path_out;
	row->path_outputs_removed = from_path_out & ~to_path_out;
}

static bool row_changed(const struct spec_row_change *row)
{
	return row->inputs_added || row->inputs_removed || row->zero_inputs_added ||
	       row->zero_inputs_removed || row->outputs_added ||
	       row->outputs_removed || row->path_outputs_added || row->path_outputs_removed ||
	       row->version_inputs_added || row->version_inputs_removed ||
	       row->version_outputs_added || row->version_outputs_removed ||
	       row->versions_changed || row->name_changed || row->exits_changed || row->td_changed ||
	       row->returns_changed || row->flags_changed || row->clears_changed;
}

static enum tdxabi_status diff_leaves(struct spec_diff *diff, struct diagnostic *diagnostic)
{
	enum tdxabi_status status = TDXABI_OK;
	for (size_t index = 0; index < diff->to->leaf_count && status == TDXABI_OK; index++) {
		const struct spec_leaf *to = &diff->to->leaves[index];
		const struct spec_leaf *from = same_leaf(diff->from, to);
		struct spec_row_change row = {.change = from ? SPEC_CHANGED : SPEC_ADDED,
					      .from_leaf = from, .to_leaf = to};
		if (from) {
			compare_registers(&row, from->inputs, from->outputs, from->error_outputs,
					  to->inputs, to->outputs, to->error_outputs);
			row.name_changed = strcmp(from->name, to->name) != 0;
			row.exits_changed = from->exits_to_vmm != to->exits_to_vmm;
			row.td_changed = from->outputs_from_td != to->outputs_from_td ||
					 from->kept_under_no_rbp_mod != to->kept_under_no_rbp_mod ||
					 from->zeroed_under_no_rbp_mod != to->zeroed_under_no_rbp_mod;
		} else {
			compare_registers(&row, 0, 0, 0, to->inputs, to->outputs, to->error_outputs);
		}
		compare_versions(&row, from, to);
		row.flags_changed = memcmp(from ? from->output_flags : (uint64_t[GPR_COUNT]){0},
					   to->output_flags, sizeof(to->output_flags)) != 0;
		row.clears_changed = from && from->clears != to->clears;
		row.zero_inputs_added = to->zero_inputs & ~(from ? from->zero_inputs : 0);
		row.zero_inputs_removed = from ? from->zero_inputs & ~to->zero_inputs : 0;
		if (!from || row_changed(&row))
			status = push((void **)&diff->rows, &diff->row_count, sizeof(row), &row,
				      diagnostic);
	}
	for (size_t index = 0; index < diff->from->leaf_count && status == TDXABI_OK; index++) {
		const struct spec_leaf *from = &diff->from->leaves[index];
		if (same_leaf(diff->to, from))
			continue;
		struct spec_row_change row = {.change = SPEC_REMOVED, .from_leaf = from};
		compare_registers(&row, from->inputs, from->outputs, from->error_outputs, 0, 0, 0);
		compare_versions(&row, from, NULL);
		status = push((void **)&diff->rows, &diff->row_count, sizeof(row), &row, diagnostic);
	}
	return status;
}

static enum tdxabi_status diff_vmcalls(struct spec_diff *diff, struct diagnostic *diagnostic)
{
	enum tdxabi_status status = TDXABI_OK;
	for (size_t index = 0; index < diff->to->vmcall_count && status == TDXABI_OK; index++) {
		const struct spec_vmcall *to = &diff->to->vmcalls[index];
		const struct spec_vmcall *from = same_vmcall(diff->from, to);
		struct spec_row_change row = {.change = from ? SPEC_CHANGED : SPEC_ADDED,
					      .from_vmcall = from, .to_vmcall = to};
		compare_registers(&row, from ? from->inputs : 0, from ? from->outputs : 0, 0,
				  to->inputs, to->outputs, 0);
		row.name_changed = from && strcmp(from->name, to->name) != 0;
		row.returns_changed = from && from->never_returns != to->never_returns;
		if (!from || row_changed(&row))
			status = push((void **)&diff->rows, &diff->row_count, sizeof(row), &row,
				      diagnostic);
	}
	for (size_t index = 0; index < diff->from->vmcall_count && status == TDXABI_OK; index++) {
		const struct spec_vmcall *from = &diff->from->vmcalls[index];
		if (same_vmcall(diff->to, from))
			continue;
		struct spec_row_change row = {.change = SPEC_REMOVED, .from_vmcall = from};
		compare_registers(&row, from->inputs, from->outputs, 0, 0, 0, 0);
		status = push((void **)&diff->rows, &diff->row_count, sizeof(row), &row, diagnostic);
	}
	return status;
}

static enum tdxabi_status diff_statuses(struct spec_diff *diff, struct diagnostic *diagnostic)
{
	enum tdxabi_status status = TDXABI_OK;
	for (size_t index = 0; index < diff->to->status_count && status == TDXABI_OK; index++) {
		const struct spec_status *to = &diff->to->statuses[index];
		const struct spec_status *from = spec_table_find_status(diff->from, to->name);
		if (from && from->value == to->value)
			continue;
		struct spec_status_change change = {from ? SPEC_CHANGED : SPEC_ADDED, from, to};
		status = push((void **)&diff->statuses, &diff->status_count, sizeof(change), &change,
			      diagnostic);
	}
	for (size_t index = 0; index < diff->from->status_count && status == TDXABI_OK; index++) {
		const struct spec_status *from = &diff->from->statuses[index];
		if (spec_table_find_status(diff->to, from->name))
			continue;
		struct spec_status_change change = {SPEC_REMOVED, from, NULL};
		status = push((void **)&diff->statuses, &diff->status_count, sizeof(change), &change,
			      diagnostic);
	}
	return status;
}

static const struct spec_status_field *find_field(const struct spec_table *table,
						  const char *name)
{
	for (size_t index = 0; index < table->status_field_count; index++)
		if (strcmp(table->status_fields[index].name, name) == 0)
			return &table->status_fields[index];
	return NULL;
}

static enum tdxabi_status diff_status_fields(struct spec_diff *diff, struct diagnostic *diagnostic)
{
	enum tdxabi_status status = TDXABI_OK;
	for (size_t index = 0; index < diff->to->status_field_count && status == TDXABI_OK; index++) {
		const struct spec_status_field *to = &diff->to->status_fields[index];
		const struct spec_status_field *from = find_field(diff->from, to->name);
		if (from && from->high == to->high && from->low == to->low)
			continue;
		struct spec_status_field_change change = {from ? SPEC_CHANGED : SPEC_ADDED, from, to};
		status = push((void **)&diff->status_fields, &diff->status_field_count, sizeof(change),
			      &change, diagnostic);
	}
	for (size_t index = 0; index < diff->from->status_field_count && status == TDXABI_OK;
	     index++) {
		const struct spec_status_field *from = &diff->from->status_fields[index];
		if (find_field(diff->to, from->name))
			continue;
		struct spec_status_field_change change = {SPEC_REMOVED, from, NULL};
		status = push((void **)&diff->status_fields, &diff->status_field_count, sizeof(change),
			      &change, diagnostic);
	}
	return status;
}

/* Whether stubs of the binding issue the leaf at all. */
static bool binding_issues(const struct binding *binding, const struct spec_leaf *leaf)
{
	return binding->instructions[leaf->instruction] &&
	       (!binding->fixed_leaf[0] || strcmp(binding->fixed_leaf, leaf->name) == 0);
}

/* One leaf (at one version) or sub-function of the second revision: reported
 * when the binding cannot carry it there but could under the first, or it is
 * new (a new leaf, or a version the first revision did not have). */
static enum tdxabi_status judge(struct spec_diff *diff, const struct binding *binding,
				const struct spec_leaf *to_leaf, unsigned version,
				const struct spec_vmcall *to_vmcall, struct diagnostic *diagnostic)
{
	struct spec_binding_loss loss = {.binding = binding, .leaf = to_leaf, .version = version,
					 .vmcall = to_vmcall};
	if (case_matrix_can_express(binding, to_leaf, version, to_vmcall, TD_CONFIG_NO_RBP_MOD,
				    loss.reason,
				    sizeof(loss.reason)))
		return TDXABI_OK;
	const struct spec_leaf *from_leaf = same_leaf(diff->from, to_leaf);
	const struct spec_vmcall *from_vmcall = to_vmcall ? same_vmcall(diff->from, to_vmcall) : NULL;
	bool existed = from_leaf && version <= from_leaf->max_version && (!to_vmcall || from_vmcall);
	if (existed) {
		char unused[192];
		if (!binding_issues(binding, from_leaf) ||
		    !case_matrix_can_express(binding, from_leaf, version, from_vmcall,
					     TD_CONFIG_NO_RBP_MOD, unused,
					     sizeof(unused)))
			return TDXABI_OK; /* it could not carry it before either */
	}
	loss.new_leaf = !existed;
	return push((void **)&diff->losses, &diff->loss_count, sizeof(loss), &loss, diagnostic);
}

static enum tdxabi_status diff_binding(struct spec_diff *diff, const struct binding *binding,
				       struct diagnostic *diagnostic)
{
	enum tdxabi_status status = TDXABI_OK;
	/* a binding that always issues one leaf, which the second revision lacks */
	const struct spec_leaf *fixed = spec_table_find_leaf_by_name(diff->from, binding->fixed_leaf);
	if (binding->fixed_leaf[0] && fixed &&
	    !spec_table_find_leaf_by_name(diff->to, binding->fixed_leaf)) {
		struct spec_binding_loss loss = {.binding = binding, .leaf = fixed, .unusable = true};
		snprintf(loss.reason, sizeof(loss.reason),
			 "%s has no leaf %s, which every stub of the binding issues", diff->to->revision,
			 binding->fixed_leaf);
		return push((void **)&diff->losses, &diff->loss_count, sizeof(loss), &loss, diagnostic);
	}
	for (size_t index = 0; index < diff->to->leaf_count && status == TDXABI_OK; index++) {
		const struct spec_leaf *leaf = &diff->to->leaves[index];
		if (!binding_issues(binding, leaf))
			continue;
		if (!leaf->exits_to_vmm) {
			for (unsigned version = 0; version <= leaf->max_version && status == TDXABI_OK;
			     version++)
				status = judge(diff, binding, leaf, version, NULL, diagnostic);
			continue;
		}
		/* a binding without an exposure mask issues no sub-function at all */
		for (size_t which = 0; binding->has_vmcall_mask && which < diff->to->vmcall_count &&
				       status == TDXABI_OK;
		     which++)
			status = judge(diff, binding, leaf, 0, &diff->to->vmcalls[which], diagnostic);
	}
	return status;
}

enum tdxabi_status spec_diff_build(const struct spec_table *from, const struct spec_table *to,
				   const struct binding *const *bindings, size_t binding_count,
				   struct spec_diff *diff, struct diagnostic *diagnostic)
{
	memset(diff, 0, sizeof(*diff));
	diff->from = from;
	diff->to = to;
	enum tdxabi_status status = diff_leaves(diff, diagnostic);
	if (status == TDXABI_OK)
		status = diff_vmcalls(diff, diagnostic);
	register_set callee_saved = 0;
	for (size_t index = 0; index < binding_count; index++)
		callee_saved |= bindings[index]->abi->callee_saved;
	for (size_t index = 0; index < diff->row_count; index++)
		diff->rows[index].callee_saved = callee_saved;
	if (status == TDXABI_OK)
		status = diff_statuses(diff, diagnostic);
	if (status == TDXABI_OK)
		status = diff_status_fields(diff, diagnostic);
	for (size_t index = 0; index < binding_count && status == TDXABI_OK; index++)
		status = diff_binding(diff, bindings[index], diagnostic);
	if (status != TDXABI_OK)
		spec_diff_free(diff);
	return status;
}

void spec_diff_free(struct spec_diff *diff)
{
	free(diff->rows);
	free(diff->statuses);
	free(diff->status_fields);
	free(diff->losses);
	memset(diff, 0, sizeof(*diff));
}

bool spec_diff_empty(const struct spec_diff *diff)
{
	return diff->row_count == 0 && diff->status_count == 0 && diff->status_field_count == 0 &&
	       diff->loss_count == 0;
}
