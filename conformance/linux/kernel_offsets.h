/* kernel_offsets.h - the tree's TDX asm-offsets as kbuild makes them, but
 * from the tree's own struct definitions only (offsets.c: those structs, the
 * OFFSET(TDX_...) lines and every size and member offset), and the struct
 * layouts its compiled assembly gives. */
#ifndef TDXABI_KERNEL_OFFSETS_H
#define TDXABI_KERNEL_OFFSETS_H

#include <stdbool.h>
#include <stddef.h>

#include "diagnostic.h"
#include "kernel_build.h"
#include "kernel_inputs.h"

/* Parses "struct NAME { ... };" in header text into member names (offsets
 * are left 0), comments skipped: what a binding's fields are matched
 * against. False past KERNEL_MAX_MEMBERS members (too_many_members set) or
 * at a member name of KERNEL_NAME_SIZE characters or more
 * (member_name_too_long set). */
bool kernel_struct_members(const char *header, const char *struct_name,
			   struct struct_layout *layout);

/* Fills build->layouts (member names; offsets later) from the inputs and
 * returns offsets.c in *source (malloc'ed). Comments are skipped; a struct
 * the OFFSET lines name but no header defines, more than
 * KERNEL_MAX_LAYOUTS structs, more than KERNEL_MAX_MEMBERS members or names
 * too long to follow fail naming the struct. */
enum tdxabi_status kernel_offsets_source(const struct kernel_tree *tree,
					 const struct kernel_inputs *inputs,
					 struct kernel_build *build, char **source, size_t *size,
					 struct diagnostic *diagnostic);

/* Reads the "->NAME $VALUE" markers of the compiled offsets.c: TDXABI_*
 * fill the sizes and member offsets of build->layouts; unless header is
 * NULL, the TDX_* become asm-offsets.h text in *header (malloc'ed). */
enum tdxabi_status kernel_offsets_read(struct kernel_build *build, const char *assembly_path,
				       char **header, size_t *header_size,
				       struct diagnostic *diagnostic);

/* The layout of a struct in build->layouts, or NULL. */
const struct struct_layout *kernel_offsets_layout(const struct kernel_build *build,
						  const char *struct_name);

#endif
