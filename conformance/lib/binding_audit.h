/* binding_audit.h - the static audit of a function under its binding: the
 * binding's calling convention (callee-saved registers), its environment
 * (the fixups of each TDX instruction, return thunks) and the traps it
 * promises an outcome for. */
#ifndef TDXABI_BINDING_AUDIT_H
#define TDXABI_BINDING_AUDIT_H

#include "binding.h"
#include "environment.h"
#include "static_audit.h"

/* Fills *result; *fixups (when not NULL) gets where the environment keeps
 * its fixups ("" for none). */
enum tdxabi_status binding_audit_run(const struct object_image *image, const char *symbol,
				     const struct binding *binding,
				     const struct environment_kind *const *kinds, size_t kind_count,
				     struct audit_result *result, char *fixups, size_t fixups_size,
				     struct diagnostic *diagnostic);

#endif
