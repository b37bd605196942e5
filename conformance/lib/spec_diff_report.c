/* spec_diff_report.c - writes a spec_diff as text (one line per changed
 * row, callee-saved registers called out, then per binding what it cannot
 * carry) or as JSON (schema "tdxabi-spec-diff/1"). */
#include <string.h>

#include "json_text.h"
#include "spec_diff.h"

static const char *const change_names[] = {"added", "removed", "changed"};
static const char change_marks[] = {'+', '-', '~'};

/* The row as named in the second revision (in the first when removed). */
static void row_title(const struct spec_row_change *row, char *text, size_t size)
{
	const struct spec_leaf *leaf = row->to_leaf ? row->to_leaf : row->from_leaf;
	const struct spec_vmcall *vmcall = row->to_vmcall ? row->to_vmcall : row->from_vmcall;
	if (leaf)
		snprintf(text, size, "%s %u %s",
			 leaf->seamldr ? "seamldr" : tdx_instruction_name(leaf->instruction),
			 leaf->number, leaf->name);
	else if (vmcall->vendor)
		snprintf(text, size, "vmcall vendor %s", vmcall->name);
	else
		snprintf(text, size, "vmcall 0x%llx %s", (unsigned long long)vmcall->subfunction,
			 vmcall->name);
}

static register_set row_callee_saved_inputs(const struct spec_row_change *row)
{
	return (row->inputs_added | row->version_inputs_added) & row->callee_saved;
}

static register_set row_callee_saved_outputs(const struct spec_row_change *row)
{
	return (row->outputs_added | row->path_outputs_added | row->version_outputs_added) &
	       row->callee_saved;
}

static register_set row_callee_saved(const struct spec_row_change *row)
{
	return row_callee_saved_inputs(row) | row_callee_saved_outputs(row);
}

static void write_signed(FILE *stream, char sign, register_set set)
{
	for (int gpr = 0; gpr < GPR_COUNT; gpr++)
		if (register_set_has(set, (enum gpr)gpr))
			fprintf(stream, " %c%s", sign, gpr_display_name((enum gpr)gpr));
}

/* "  in: +R12 -R14" */
static void write_delta(FILE *stream, const char *what, register_set added, register_set removed)
{
	if (!added && !removed)
		return;
	fprintf(stream, "  %s", what);
	write_signed(stream, '+', added);
	write_signed(stream, '-', removed);
}

/* "  out-flags: RCX:63" (the second revision's), where they changed */
static void write_flags(FILE *stream, const struct spec_row_change *row)
{
	if (!row->flags_changed)
		return;
	fputs("  out-flags:", stream);
	unsigned position = 0, bit;
	enum gpr gpr;
	bool any = false;
	while (spec_leaf_next_flag(row->to_leaf, &position, &gpr, &bit)) {
		fprintf(stream, " %s:%u", gpr_display_name(gpr), bit);
		any = true;
	}
	if (!any)
		fputs(" none", stream);
}

static void write_text_row(FILE *stream, const struct spec_row_change *row)
{
	char title[128], text[96];
	row_title(row, title, sizeof(title));
	fprintf(stream, "  %c %s", change_marks[row->change], title);
	if (row->change == SPEC_CHANGED && row->name_changed)
		fprintf(stream, " (was %s)", row->from_leaf ? row->from_leaf->name : row->from_vmcall->name);
	if (row->exits_changed)
		fprintf(stream, "  %s", row->to_leaf->exits_to_vmm ? "now exits to the VMM"
								    : "no longer exits to the VMM");
	if (row->returns_changed)
		fprintf(stream, "  %s", row->to_vmcall->never_returns ? "now never returns"
									: "now returns");
	if (row->td_changed && row->to_leaf->exits_to_vmm)
		fprintf(stream, "  %s", row->to_leaf->kept_under_no_rbp_mod
					       ? "refuses RBP in the mask under NO_RBP_MOD"
					       : "no longer refuses RBP in the mask under NO_RBP_MOD");
	else if (row->td_changed)
		fprintf(stream, "  %s%s", row->to_leaf->outputs_from_td ? "returns the TD's values"
									: "no longer returns the TD's values",
			row->to_leaf->kept_under_no_rbp_mod     ? ", RBP kept under NO_RBP_MOD"
			: row->to_leaf->zeroed_under_no_rbp_mod ? ", RBP zeroed even under NO_RBP_MOD"
								: "");
	if (row->td_changed && !row->to_leaf->exits_to_vmm && row->from_leaf &&
	    row->from_leaf->zeroed_under_no_rbp_mod && !row->to_leaf->zeroed_under_no_rbp_mod)
		fputs(" (was zeroed on some exits)", stream);
	if (row->change == SPEC_REMOVED) {
		fputc('\n', stream);
		return;
	}
	if (row->change == SPEC_ADDED) {
		register_set in = row->inputs_added, out = row->outputs_added;
		fprintf(stream, "  in: %s", register_set_format(in, text, sizeof(text)));
		if (row->zero_inputs_added)
			fprintf(stream, "  zero-in: %s",
				register_set_format(row->zero_inputs_added, text, sizeof(text)));
		fprintf(stream, "  out: %s", register_set_format(out, text, sizeof(text)));
		if (row->path_outputs_added)
			fprintf(stream, "  on some paths: %s",
				register_set_format(row->path_outputs_added, text, sizeof(text)));
		if (row->to_leaf && row->to_leaf->max_version)
			fprintf(stream, "  versions 0..%u", row->to_leaf->max_version);
		if (row->version_inputs_added)
			fprintf(stream, "  v1-in: %s",
				register_set_format(row->version_inputs_added, text, sizeof(text)));
		if (row->version_outputs_added)
			fprintf(stream, "  v1-out: %s",
				register_set_format(row->version_outputs_added, text, sizeof(text)));
	} else {
		write_delta(stream, "in:", row->inputs_added, row->inputs_removed);
		write_delta(stream, "zero-in:", row->zero_inputs_added, row->zero_inputs_removed);
		write_delta(stream, "out:", row->outputs_added, row->outputs_removed);
		write_delta(stream, "on some paths:", row->path_outputs_added,
			    row->path_outputs_removed);
		if (row->versions_changed)
			fprintf(stream, "  versions 0..%u -> 0..%u", row->from_leaf->max_version,
				row->to_leaf->max_version);
		write_delta(stream, "v1-in:", row->version_inputs_added, row->version_inputs_removed);
		write_delta(stream, "v1-out:", row->version_outputs_added,
			    row->version_outputs_removed);
	}
	write_flags(stream, row);
	if (row->clears_changed)
		fprintf(stream, "  clears: %s -> %s", vector_clearing_name(row->from_leaf->clears),
			vector_clearing_name(row->to_leaf->clears));
	else if (row->change == SPEC_ADDED && row->to_leaf && row->to_leaf->clears)
		fprintf(stream, "  clears: %s", vector_clearing_name(row->to_leaf->clears));
	register_set saved_in = row_callee_saved_inputs(row);
	register_set saved_out = row_callee_saved_outputs(row);
	char out_text[96];
	if (saved_in || saved_out)
		fprintf(stream, "  [callee-saved%s%s%s%s%s]", saved_in ? " in: " : "",
			saved_in ? register_set_format(saved_in, text, sizeof(text)) : "",
			saved_in && saved_out ? ";" : "", saved_out ? " out: " : "",
			saved_out ? register_set_format(saved_out, out_text, sizeof(out_text)) : "");
	fputc('\n', stream);
}

static void loss_title(const struct spec_binding_loss *loss, char *text, size_t size)
{
	if (loss->vmcall)
		snprintf(text, size, "%s<%s>", loss->leaf->name, loss->vmcall->name);
	else if (loss->leaf->max_version)
		snprintf(text, size, "%s version %u", loss->leaf->name, loss->version);
	else
		snprintf(text, size, "%s", loss->leaf->name);
}

void spec_diff_write_text(FILE *stream, const struct spec_diff *diff)
{
	fprintf(stream, "spec-diff %s -> %s\n", diff->from->revision, diff->to->revision);
	size_t counts[3] = {0}, callee_saved_rows = 0;
	register_set callee_saved = 0;
	if (diff->row_count)
		fputs("leaves and TDG.VP.VMCALL sub-functions:\n", stream);
	for (size_t index = 0; index < diff->row_count; index++) {
		const struct spec_row_change *row = &diff->rows[index];
		write_text_row(stream, row);
		counts[row->change]++;
		callee_saved |= row_callee_saved(row);
		callee_saved_rows += row_callee_saved(row) != 0;
	}
	if (diff->status_count)
		fputs("status codes:\n", stream);
	for (size_t index = 0; index < diff->status_count; index++) {
		const struct spec_status_change *change = &diff->statuses[index];
		const struct spec_status *status = change->to ? change->to : change->from;
		fprintf(stream, "  %c %s", change_marks[change->change], status->name);
		if (change->change == SPEC_CHANGED)
			fprintf(stream, " 0x%016llx -> 0x%016llx\n",
				(unsigned long long)change->from->value,
				(unsigned long long)change->to->value);
		else
			fprintf(stream, " 0x%016llx\n", (unsigned long long)status->value);
	}
	if (diff->status_field_count)
		fputs("status fields:\n", stream);
	for (size_t index = 0; index < diff->status_field_count; index++) {
		const struct spec_status_field_change *change = &diff->status_fields[index];
		const struct spec_status_field *field = change->to ? change->to : change->from;
		fprintf(stream, "  %c %s", change_marks[change->change], field->name);
		if (change->change == SPEC_CHANGED)
			fprintf(stream, " bits %u:%u -> %u:%u\n", change->from->high, change->from->low,
				change->to->high, change->to->low);
		else
			fprintf(stream, " bits %u:%u\n", field->high, field->low);
	}
	const struct binding *current = NULL;
	for (size_t index = 0; index < diff->loss_count; index++) {
		const struct spec_binding_loss *loss = &diff->losses[index];
		if (loss->binding != current) {
			if (!current)
				fputs("bindings:\n", stream);
			current = loss->binding;
			fprintf(stream, "  %s:\n", current->name);
		}
		char title[160];
		loss_title(loss, title, sizeof(title));
		if (loss->unusable)
			fprintf(stream, "    no longer usable: %s\n", loss->reason);
		else
			fprintf(stream, "    %s %s: %s\n",
				loss->new_leaf ? "cannot carry new" : "no longer carries", title,
				loss->reason);
	}
	char text[96];
	fprintf(stream, "summary: %zu added, %zu removed, %zu changed, %zu status code%s and %zu "
			"status field%s differ; ",
		counts[SPEC_ADDED], counts[SPEC_REMOVED], counts[SPEC_CHANGED], diff->status_count,
		diff->status_count == 1 ? "" : "s", diff->status_field_count,
		diff->status_field_count == 1 ? "" : "s");
	if (callee_saved_rows)
		fprintf(stream, "%zu row%s newly use%s callee-saved %s; ", callee_saved_rows,
			callee_saved_rows == 1 ? "" : "s", callee_saved_rows == 1 ? "s" : "",
			register_set_format(callee_saved, text, sizeof(text)));
	fprintf(stream, "%zu binding finding%s\n", diff->loss_count, diff->loss_count == 1 ? "" : "s");
}

static void write_register_list(FILE *stream, const char *name, register_set set)
{
	fprintf(stream, ",\"%s\":[", name);
	bool first = true;
	for (int gpr = 0; gpr < GPR_COUNT; gpr++) {
		if (!register_set_has(set, (enum gpr)gpr))
			continue;
		fprintf(stream, "%s\"%s\"", first ? "" : ",", gpr_display_name((enum gpr)gpr));
		first = false;
	}
	fputc(']', stream);
}

static void write_version(FILE *stream, const struct spec_leaf *leaf)
{
	if (leaf)
		fprintf(stream, "%u", leaf->max_version);
	else
		fputs("null", stream);
}

static void write_json_row(FILE *stream, const struct spec_row_change *row)
{
	const struct spec_leaf *leaf = row->to_leaf ? row->to_leaf : row->from_leaf;
	const struct spec_vmcall *vmcall = row->to_vmcall ? row->to_vmcall : row->from_vmcall;
	fprintf(stream, "{\"change\":\"%s\",\"kind\":", change_names[row->change]);
	if (leaf) {
		fprintf(stream, "\"%s\",\"number\":%u,\"name\":",
			leaf->seamldr ? "seamldr" : tdx_instruction_name(leaf->instruction),
			leaf->number);
		json_write_string(stream, leaf->name);
	} else {
		fputs("\"vmcall\",\"number\":", stream);
		if (vmcall->vendor)
			fputs("\"vendor\"", stream);
		else
			fprintf(stream, "\"0x%llx\"", (unsigned long long)vmcall->subfunction);
		fputs(",\"name\":", stream);
		json_write_string(stream, vmcall->name);
	}
	if (row->name_changed) {
		fputs(",\"from_name\":", stream);
		json_write_string(stream, row->from_leaf ? row->from_leaf->name : row->from_vmcall->name);
	}
	if (row->exits_changed)
		fprintf(stream, ",\"exits_to_vmm\":%s", row->to_leaf->exits_to_vmm ? "true" : "false");
	if (row->returns_changed)
		fprintf(stream, ",\"never_returns\":%s", row->to_vmcall->never_returns ? "true" : "false");
	if (row->td_changed)
		fprintf(stream,
			",\"returns_td_values\":%s,\"rbp_kept_under_no_rbp_mod\":%s,"
			"\"rbp_zeroed_under_no_rbp_mod\":%s",
			row->to_leaf->outputs_from_td ? "true" : "false",
			row->to_leaf->kept_under_no_rbp_mod ? "true" : "false",
			row->to_leaf->zeroed_under_no_rbp_mod ? "true" : "false");
	write_register_list(stream, "inputs_added", row->inputs_added);
	write_register_list(stream, "inputs_removed", row->inputs_removed);
	write_register_list(stream, "zero_inputs_added", row->zero_inputs_added);
	write_register_list(stream, "zero_inputs_removed", row->zero_inputs_removed);
	write_register_list(stream, "outputs_added", row->outputs_added);
	write_register_list(stream, "outputs_removed", row->outputs_removed);
	write_register_list(stream, "path_outputs_added", row->path_outputs_added);
	write_register_list(stream, "path_outputs_removed", row->path_outputs_removed);
	write_register_list(stream, "v1_inputs_added", row->version_inputs_added);
	write_register_list(stream, "v1_inputs_removed", row->version_inputs_removed);
	write_register_list(stream, "v1_outputs_added", row->version_outputs_added);
	write_register_list(stream, "v1_outputs_removed", row->version_outputs_removed);
	if (row->flags_changed) { /* the second revision's, as "RCX:63" */
		fputs(",\"output_flags\":[", stream);
		unsigned position = 0, bit;
		enum gpr gpr;
		for (const char *separator = "";
		     spec_leaf_next_flag(row->to_leaf, &position, &gpr, &bit); separator = ",")
			fprintf(stream, "%s\"%s:%u\"", separator, gpr_display_name(gpr), bit);
		fputc(']', stream);
	}
	if (row->clears_changed || (row->change == SPEC_ADDED && row->to_leaf && row->to_leaf->clears))
		fprintf(stream, ",\"clears\":[\"%s\",\"%s\"]", /* [first revision, second] */
			row->from_leaf ? vector_clearing_name(row->from_leaf->clears) : "none",
			vector_clearing_name(row->to_leaf->clears));
	write_register_list(stream, "callee_saved_inputs", row_callee_saved_inputs(row));
	write_register_list(stream, "callee_saved_outputs", row_callee_saved_outputs(row));
	if (leaf) { /* [in the first revision, in the second]; null where absent */
		fputs(",\"max_version\":[", stream);
		write_version(stream, row->from_leaf);
		fputc(',', stream);
		write_version(stream, row->to_leaf);
		fputc(']', stream);
	}
	fputc('}', stream);
}

/* {"change","name","from","to"}: from/to "" when absent (null). */
static void write_json_change(FILE *stream, size_t index, enum spec_change change,
			      const char *name, const char *from, const char *to)
{
	fprintf(stream, "%s{\"change\":\"%s\",\"name\":", index ? "," : "",
		change_names[change]);
	json_write_string(stream, name);
	fputs(",\"from\":", stream);
	if (from[0])
		json_write_string(stream, from);
	else
		fputs("null", stream);
	fputs(",\"to\":", stream);
	if (to[0])
		json_write_string(stream, to);
	else
		fputs("null", stream);
	fputc('}', stream);
}

void spec_diff_write_json(FILE *stream, const struct spec_diff *diff)
{
	fputs("{\"tool\":\"tdxabi\",\"schema\":\"tdxabi-spec-diff/1\",\"from\":", stream);
	json_write_string(stream, diff->from->revision);
	fputs(",\"to\":", stream);
	json_write_string(stream, diff->to->revision);
	fputs(",\"rows\":[", stream);
	for (size_t index = 0; index < diff->row_count; index++) {
		if (index)
			fputc(',', stream);
		write_json_row(stream, &diff->rows[index]);
	}
	fputs("],\"statuses\":[", stream);
	for (size_t index = 0; index < diff->status_count; index++) {
		const struct spec_status_change *change = &diff->statuses[index];
		char from[24] = "", to[24] = "";
		if (change->from)
			snprintf(from, sizeof(from), "0x%llx", (unsigned long long)change->from->value);
		if (change->to)
			snprintf(to, sizeof(to), "0x%llx", (unsigned long long)change->to->value);
		write_json_change(stream, index, change->change,
				  (change->to ? change->to : change->from)->name, from, to);
	}
	fputs("],\"status_fields\":[", stream);
	for (size_t index = 0; index < diff->status_field_count; index++) {
		const struct spec_status_field_change *change = &diff->status_fields[index];
		char from[16] = "", to[16] = "";
		if (change->from)
			snprintf(from, sizeof(from), "%u:%u", change->from->high, change->from->low);
		if (change->to)
			snprintf(to, sizeof(to), "%u:%u", change->to->high, change->to->low);
		write_json_change(stream, index, change->change,
				  (change->to ? change->to : change->from)->name, from, to);
	}
	fputs("],\"bindings\":[", stream);
	for (size_t index = 0; index < diff->loss_count; index++) {
		const struct spec_binding_loss *loss = &diff->losses[index];
		char title[160];
		loss_title(loss, title, sizeof(title));
		fprintf(stream, "%s{\"binding\":", index ? "," : "");
		json_write_string(stream, loss->binding->name);
		fputs(",\"leaf\":", stream);
		json_write_string(stream, title);
		fprintf(stream, ",\"new_leaf\":%s,\"unusable\":%s,\"reason\":",
			loss->new_leaf ? "true" : "false", loss->unusable ? "true" : "false");
		json_write_string(stream, loss->reason);
		fputc('}', stream);
	}
	fputs("]}\n", stream);
}
