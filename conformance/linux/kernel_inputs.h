/* kernel_inputs.h - every tree file the kernel builder reads, in one list
 * (stubs with their quote includes, tdx-shared.c, asm-offsets.c, every header
 * of the TDX directories), its #include lines checked, and the cache key over
 * its contents; a build uses these very contents, never the live tree. */
#ifndef TDXABI_KERNEL_INPUTS_H
#define TDXABI_KERNEL_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "kernel_build.h"
#include "kernel_tree.h"

#define KERNEL_INPUT_PATH_SIZE 512
#define KERNEL_MAX_INPUTS KERNEL_MAX_HEADERS
#define KERNEL_MAX_INCLUDE_DEPTH 8

struct kernel_input {
	char path[KERNEL_INPUT_PATH_SIZE]; /* relative to the tree, normalised */
	char copy_as[KERNEL_INPUT_PATH_SIZE]; /* its include path in the build, or "" */
	bool present;                      /* false: the tree has nothing there */
	bool declares;                     /* a TDX header: searched for prototypes and structs */
	char *text;                        /* when present, NUL-terminated */
	size_t size;
};

struct kernel_inputs {
	struct kernel_input files[KERNEL_MAX_INPUTS];
	size_t count;
};

/* The TDX headers are every header of arch/x86/include/asm named tdx*.h, of
 * asm/shared/, arch/x86/virt/vmx/tdx/ and arch/x86/coco/tdx/, asm/tdx.h and
 * asm/shared/tdx.h first, the rest in name order; those under
 * arch/x86/include are copied for the build at their include paths.
 * Reads every input; a file that is there but cannot be read (not a regular
 * file, too large, binary) fails naming it. So does, naming the file and
 * the include, an #include the build could not keep to the listed files:
 * of a macro, of an absolute path, or outside the tree (by "..", or through
 * a symlink); a gas .include or .incbin in a stub; more than
 * KERNEL_MAX_INPUTS files or includes nested deeper than
 * KERNEL_MAX_INCLUDE_DEPTH. */
enum tdxabi_status kernel_inputs_collect(const struct kernel_tree *tree,
					 struct kernel_inputs *inputs,
					 struct diagnostic *diagnostic);
void kernel_inputs_free(struct kernel_inputs *inputs);

/* The input at a tree path, if the tree has it; else NULL. */
const struct kernel_input *kernel_inputs_find(const struct kernel_inputs *inputs,
					      const char *path);

/* The cache key, SHA-256 in hex: builder_version, every input (path,
 * presence, contents), every shim, and what `gcc --version` and `ld
 * --version` print. */
#define KERNEL_KEY_SIZE 65
enum tdxabi_status kernel_inputs_key(const struct kernel_inputs *inputs, const char *builder_version,
				     const struct shim_file *shims, size_t shim_count,
				     char key[KERNEL_KEY_SIZE], struct diagnostic *diagnostic);

#endif
