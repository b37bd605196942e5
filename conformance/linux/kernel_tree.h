/* kernel_tree.h - a Linux source tree as tdxabi needs it: its version, the
 * paths of its TDX files and which stubs it has, and reading those files as
 * text. */
#ifndef TDXABI_KERNEL_TREE_H
#define TDXABI_KERNEL_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"

#define KERNEL_TDXCALL "arch/x86/virt/vmx/tdx/tdxcall.S"
#define KERNEL_TDCALL "arch/x86/coco/tdx/tdcall.S"
#define KERNEL_SEAMCALL "arch/x86/virt/vmx/tdx/seamcall.S"
#define KERNEL_TDX_SHARED_C "arch/x86/coco/tdx/tdx-shared.c"
#define KERNEL_ASM_OFFSETS "arch/x86/kernel/asm-offsets.c"
#define KERNEL_TDX_HEADER "arch/x86/include/asm/tdx.h"
#define KERNEL_SHARED_TDX_HEADER "arch/x86/include/asm/shared/tdx.h"
#define KERNEL_TDX_ERRNO_HEADER "arch/x86/include/asm/shared/tdx_errno.h"

struct kernel_tree {
	char *root;
	char version[32];  /* "6.12.117" */
	bool has_tdcall;   /* guest stubs: tdcall.S */
	bool has_seamcall; /* host stubs: seamcall.S (6.7+) */
};

/* Fails with one line when root is not a Linux tree, or has no TDX stubs. */
enum tdxabi_status kernel_tree_open(const char *root, struct kernel_tree *tree,
				    struct diagnostic *diagnostic);
void kernel_tree_free(struct kernel_tree *tree);

/* Whether the tree has a regular file there (following symlinks) ... */
bool kernel_tree_has(const struct kernel_tree *tree, const char *relative);
/* ... or anything at all there: what must then read as a file or fail. */
bool kernel_tree_exists(const struct kernel_tree *tree, const char *relative);
/* Reads a tree file as text (NUL-terminated); the caller frees *text.
 * Anything but a regular file of at most KERNEL_TREE_FILE_LIMIT bytes, or a
 * file holding a NUL byte (which would cut every text scan short), is
 * refused. */
#define KERNEL_TREE_FILE_LIMIT (8u << 20)
enum tdxabi_status kernel_tree_read(const struct kernel_tree *tree, const char *relative,
				    char **text, size_t *size, struct diagnostic *diagnostic);

#endif
