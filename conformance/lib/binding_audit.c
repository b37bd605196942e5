/* binding_audit.c - binding_audit.h: opens the binding's environment for
 * the object, runs the static audit with what the binding says, closes it. */
#include "binding_audit.h"

#include <stdio.h>
#include <string.h>

enum tdxabi_status binding_audit_run(const struct object_image *image, const char *symbol,
				     const struct binding *binding,
				     const struct environment_kind *const *kinds, size_t kind_count,
				     struct audit_result *result, char *fixups, size_t fixups_size,
				     struct diagnostic *diagnostic)
{
	char known[128];
	const struct environment_kind *kind =
		environment_find(kinds, kind_count, binding->environment, known, sizeof(known));
	if (!kind)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: binding %s names unknown environment '%s' (known: %s)",
				       binding->file_name, binding->name, binding->environment, known);
	struct stub_environment environment;
	memset(&environment, 0, sizeof(environment));
	enum tdxabi_status status = kind->open(image, &environment, diagnostic);
	if (status != TDXABI_OK)
		return status;
	if (fixups)
		snprintf(fixups, fixups_size, "%s", environment.fixups ? environment.fixups : "");
	struct audit_request request = {
		.image = image,
		.symbol = symbol,
		.abi_name = binding->abi->name,
		.callee_saved = binding->abi->callee_saved,
		.environment = &environment.machine,
		.fixups = environment.fixups,
		.fixup_promised = {binding->outcomes[FAULT_UD].kind != OUTCOME_UNDECLARED,
				   binding->outcomes[FAULT_GP].kind != OUTCOME_UNDECLARED}};
	status = static_audit_run(&request, result, diagnostic);
	environment_close(&environment);
	return status;
}
