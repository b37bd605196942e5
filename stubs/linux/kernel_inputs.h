/* kernel_inputs.h - every tree file the kernel builder reads, in one list:
 * the stub sources and whatever they include by quotes (relative to
 * themselves), tdx-shared.c, asm-offsets.c and the headers the build copies
 * (asm/tdx.h, asm/shared/tdx.h, asm/shared/tdx_errno.h). The key naming a
 * cache entry hashes this list's contents, the shims and the versions of the
 * tools a build runs; the build then uses these very contents, so nothing it
 * reads can change without changing its key. */
#ifndef TDXABI_KERNEL_INPUTS_H
#define TDXABI_KERNEL_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "kernel_build.h"
#include "kernel_tree.h"

#define KERNEL_TDX_ERRNO_HEADER "arch/x86/include/asm/shared/tdx_errno.h"
#define KERNEL_INPUT_PATH_SIZE 512
#define KERNEL_MAX_INPUTS 64

struct kernel_input {
	char path[KERNEL_INPUT_PATH_SIZE]; /* relative to the tree */
	const char *copy_as;               /* its include path in the build, or NULL */
	bool present;                      /* false: the tree has nothing there */
	char *text;                        /* when present, NUL-terminated */
	size_t size;
};

struct kernel_inputs {
	struct kernel_input files[KERNEL_MAX_INPUTS];
	size_t count;
};

/* Reads every input; a file that is there but cannot be read (not a regular
 * file, too large) fails naming it. */
enum tdxabi_status kernel_inputs_collect(const struct kernel_tree *tree,
					 struct kernel_inputs *inputs,
					 struct diagnostic *diagnostic);
void kernel_inputs_free(struct kernel_inputs *inputs);

/* The input at a tree path, if the tree has it; else NULL. */
const struct kernel_input *kernel_inputs_find(const struct kernel_inputs *inputs,
					      const char *path);

/* The cache key: builder_version, every input (path, presence, contents),
 * every shim, and what `gcc --version` and `ld --version` print. */
uint64_t kernel_inputs_key(const struct kernel_inputs *inputs, const char *builder_version,
			   const struct shim_file *shims, size_t shim_count);

#endif
