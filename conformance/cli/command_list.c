/* command_list.c - `tdxabi list bindings|abis|specs|leaves|faults|rules`:
 * what the tool carries, with the registers and sources of each. */
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "check_result.h"
#include "commands.h"

static const char list_help[] =
	"Usage: tdxabi list bindings|abis|specs|leaves|faults|rules [--spec REVISION]\n"
	"\n"
	"  bindings   the bundled bindings: prototype, calling convention, environment,\n"
	"             the functions they name, registers\n"
	"  abis       the calling conventions (argument registers, stack arguments,\n"
	"             shadow space, callee-saved registers)\n"
	"  specs      the bundled spec revisions, the default marked\n"
	"  leaves     the leaves, TDG.VP.VMCALL sub-functions and status codes of a\n"
	"             revision or table file (--spec, default the default revision), with\n"
	"             registers and sources\n"
	"  faults     the fault scenarios and what each does\n"
	"  rules      the rule ids findings carry, and when each fires\n";

static void list_bindings(const struct catalog *catalog)
{
	for (size_t index = 0; index < catalog->binding_count; index++) {
		const struct binding *binding = &catalog->bindings[index];
		char in[96], out[96];
		printf("%s\n  %s\n  in: %s  out: %s\n", binding->name, binding->prototype,
		       register_set_format(binding_carried_inputs(binding), in, sizeof(in)),
		       register_set_format(binding_carried_outputs(binding), out, sizeof(out)));
		printf("  abi %s, environment %s", binding->abi->name, binding->environment);
		for (size_t which = 0; which < binding->symbol_count; which++)
			printf("%s%s", which ? " " : ", functions ", binding->symbols[which]);
		for (size_t which = 0; which < binding->linux_symbol_count; which++)
			printf("%s%s", which ? " " : ", Linux functions ", binding->linux_symbols[which]);
		fputc('\n', stdout);
		for (int gpr = 0; gpr < GPR_COUNT; gpr++)
			if (register_set_has(binding->constants, (enum gpr)gpr))
				printf("  the stub loads %s = 0x%llx itself\n",
				       gpr_display_name((enum gpr)gpr),
				       (unsigned long long)binding->constant_values[gpr]);
		if (binding->has_vmcall_mask)
			printf("  TDG.VP.VMCALL exposure mask 0x%04llx%s\n",
			       (unsigned long long)binding->vmcall_mask,
			       binding->vmcall_mask_has_field ? " | the caller's field" : "");
		printf("  src: %s\n", binding->citation);
	}
}

static void list_abis(const struct catalog *catalog)
{
	for (size_t index = 0; index < catalog->abi_count; index++) {
		const struct calling_convention *abi = &catalog->abis[index];
		char saved[96];
		printf("%s\n  arguments", abi->name);
		for (size_t which = 0; which < abi->argument_register_count; which++)
			printf(" %s", gpr_display_name(abi->argument_registers[which]));
		printf(", then the stack from entry RSP+0x%x", abi->first_stack_argument);
		if (abi->shadow_space_size)
			printf("; %u bytes of shadow space at entry RSP+0x%x", abi->shadow_space_size,
			       abi->shadow_space_offset);
		printf("\n  callee-saved %s",
		       register_set_format(abi->callee_saved, saved, sizeof(saved)));
		for (unsigned xmm = 0; xmm < XMM_COUNT; xmm++)
			if (abi->callee_saved_xmm & (1u << xmm))
				printf(" XMM%u", xmm);
		printf("; result %s; DF %s at return\n  src: %s\n",
		       gpr_display_name(abi->result_register),
		       abi->direction_flag_clear ? "clear" : "any", abi->citation);
	}
}

static void list_specs(const struct catalog *catalog)
{
	for (size_t index = 0; index < catalog->spec_count; index++) {
		const struct spec_table *spec = &catalog->specs[index];
		printf("%s%s%s%s: %zu leaves, %zu sub-functions, %zu status codes\n  src: %s\n",
		       spec->revision, spec->based_on[0] ? " based-on " : "", spec->based_on,
		       index == catalog->default_spec ? " (default)" : "", spec->leaf_count,
		       spec->vmcall_count, spec->status_count, spec->citation);
	}
}

static const char *leaf_kind(const struct spec_leaf *leaf)
{
	return leaf->seamldr ? "seamldr" : tdx_instruction_name(leaf->instruction);
}

static void list_leaves(const struct spec_table *spec)
{
	printf("spec %s%s%s\n", spec->revision, spec->based_on[0] ? " based-on " : "",
	       spec->based_on);
	for (size_t index = 0; index < spec->leaf_count; index++) {
		const struct spec_leaf *leaf = &spec->leaves[index];
		char in[96], out[96], error_out[96], versions[160] = "";
		if (leaf->max_version) {
			char version_in[96], version_out[96];
			snprintf(versions, sizeof(versions), "  versions 0..%u%s%s%s%s",
				 leaf->max_version, leaf->version_inputs ? ", v1 also reads " : "",
				 leaf->version_inputs ? register_set_format(leaf->version_inputs,
									    version_in,
									    sizeof(version_in))
						      : "",
				 leaf->version_outputs ? ", v1 also writes " : "",
				 leaf->version_outputs ? register_set_format(leaf->version_outputs,
									     version_out,
									     sizeof(version_out))
						       : "");
		}
		char zero[96], must_be_zero[128] = "", flags[128] = "";
		if (leaf->zero_inputs)
			snprintf(must_be_zero, sizeof(must_be_zero), "  (must be 0: %s)",
				 register_set_format(leaf->zero_inputs, zero, sizeof(zero)));
		unsigned position = 0, bit;
		enum gpr gpr;
		for (size_t used = 0; spec_leaf_next_flag(leaf, &position, &gpr, &bit);
		     used = strlen(flags))
			snprintf(flags + used, sizeof(flags) - used, "%s %s:%u",
				 used ? "" : "  (flag bits:", gpr_display_name(gpr), bit);
		if (flags[0])
			strncat(flags, ")", sizeof(flags) - strlen(flags) - 1);
		char clearing[32] = "";
		if (leaf->clears)
			snprintf(clearing, sizeof(clearing), "  (clears %s)",
				 vector_clearing_name(leaf->clears));
		printf("%-8s %3u %-24s in: %-28s out: %s%s%s%s%s%s%s%s%s\n    src: %s\n", leaf_kind(leaf),
		       leaf->number, leaf->name, register_set_format(leaf->inputs, in, sizeof(in)),
		       register_set_format(leaf->outputs, out, sizeof(out)),
		       leaf->error_outputs ? "  on some paths: " : "",
		       leaf->error_outputs ? register_set_format(leaf->error_outputs, error_out,
								 sizeof(error_out))
					   : "",
		       versions, must_be_zero, flags, clearing,
		       leaf->exits_to_vmm	? "  (exits to the VMM)"
		       : leaf->outputs_from_td ? "  (returns the TD's values)"
					       : "",
		       leaf->zeroed_under_no_rbp_mod ? "  (RBP zeroed on some exits even under NO_RBP_MOD)"
		       : !leaf->kept_under_no_rbp_mod ? ""
		       : leaf->exits_to_vmm	     ? "  (RBP refused in the mask under NO_RBP_MOD)"
						     : "  (RBP kept under NO_RBP_MOD)",
		       leaf->citation);
	}
	for (size_t index = 0; index < spec->vmcall_count; index++) {
		const struct spec_vmcall *vmcall = &spec->vmcalls[index];
		char in[96], out[96], number[24];
		if (vmcall->vendor)
			snprintf(number, sizeof(number), "vendor");
		else
			snprintf(number, sizeof(number), "0x%llx",
				 (unsigned long long)vmcall->subfunction);
		printf("vmcall %-8s %-25s in: %-28s out: %s%s\n    src: %s\n", number, vmcall->name,
		       register_set_format(vmcall->inputs, in, sizeof(in)),
		       register_set_format(vmcall->outputs, out, sizeof(out)),
		       vmcall->never_returns ? "  (never returns)" : "", vmcall->citation);
	}
	for (size_t index = 0; index < spec->status_field_count; index++) {
		const struct spec_status_field *field = &spec->status_fields[index];
		printf("status-field %-25s bits %u:%u\n    src: %s\n", field->name, field->high,
		       field->low, field->citation);
	}
	for (size_t index = 0; index < spec->status_count; index++) {
		const struct spec_status *status = &spec->statuses[index];
		char fields[160];
		spec_table_describe_status(spec, status->value, fields, sizeof(fields));
		printf("status %-32s 0x%016llx%s%s%s\n    src: %s\n", status->name,
		       (unsigned long long)status->value, fields[0] ? "  (" : "", fields,
		       fields[0] ? ")" : "", status->citation);
	}
}

static void list_faults(void)
{
	for (int fault = 0; fault < FAULT_SCENARIO_COUNT; fault++)
		printf("%-15s %s\n", fault_scenario_name((enum fault_scenario)fault),
		       fault_scenario_description((enum fault_scenario)fault));
}

static void list_rules(void)
{
	for (int rule = 0; rule < RULE_COUNT; rule++)
		printf("%-23s %s\n", rule_id((enum rule)rule), rule_summary((enum rule)rule));
}

int command_list(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(list_help, stdout);
		return EXIT_PASS;
	}
	if (argc < 2)
		return cli_error("list what? bindings, abis, specs, leaves, faults or rules");
	const char *what = argv[1];
	const char *revision = NULL;
	if (argc == 4 && strcmp(argv[2], "--spec") == 0)
		revision = argv[3];
	else if (argc != 2)
		return cli_error(
			"usage: tdxabi list bindings|abis|specs|leaves|faults|rules [--spec REVISION]");
	if (strcmp(what, "faults") == 0 || strcmp(what, "rules") == 0) {
		if (strcmp(what, "faults") == 0)
			list_faults();
		else
			list_rules();
		return EXIT_PASS;
	}
	struct catalog catalog;
	struct diagnostic diagnostic;
	if (catalog_load(&catalog, &diagnostic) != TDXABI_OK)
		return cli_error("bundled data: %s", diagnostic.text);
	int code = EXIT_PASS;
	if (strcmp(what, "bindings") == 0) {
		list_bindings(&catalog);
	} else if (strcmp(what, "abis") == 0) {
		list_abis(&catalog);
	} else if (strcmp(what, "specs") == 0) {
		list_specs(&catalog);
	} else if (strcmp(what, "leaves") == 0) {
		struct spec_table user_spec;
		const struct spec_table *spec;
		if (catalog_resolve_spec(&catalog, revision, &user_spec, &spec, &diagnostic) == TDXABI_OK)
			list_leaves(spec);
		else
			code = cli_error("%s", diagnostic.text);
		spec_table_free(&user_spec);
	} else {
		code = cli_error("cannot list '%s': bindings, abis, specs, leaves, faults or rules", what);
	}
	catalog_free(&catalog);
	return code;
}
