/* kernel_offsets.h - the tree's TDX asm-offsets, generated the way kbuild
 * does it but from the tree's own struct definitions only: offsets.c holds
 * those structs, the OFFSET(TDX_...) lines of asm-offsets.c and the size and
 * every member offset of each struct; its compiled assembly gives
 * asm-offsets.h and the struct layouts the bindings are matched against. */
#ifndef TDXABI_KERNEL_OFFSETS_H
#define TDXABI_KERNEL_OFFSETS_H

#include <stddef.h>

#include "diagnostic.h"
#include "kernel_build.h"
#include "kernel_inputs.h"

/* Fills build->layouts (member names; offsets later) from the inputs and
 * returns offsets.c in *source (malloc'ed). Comments are skipped; a struct
 * the OFFSET lines name but no header defines, more than
 * KERNEL_MAX_LAYOUTS structs or more than KERNEL_MAX_MEMBERS members fail
 * naming the struct. */
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

#endif
