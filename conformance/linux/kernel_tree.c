/* kernel_tree.c - finds and reads a Linux tree's TDX files (see kernel_tree.h). */
#include "kernel_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file_access.h"

bool kernel_tree_has(const struct kernel_tree *tree, const char *relative)
{
	char path[4096];
	return file_access_join(path, sizeof(path), tree->root, relative) && file_access_is_regular(path);
}

bool kernel_tree_exists(const struct kernel_tree *tree, const char *relative)
{
	char path[4096];
	struct stat information;
	return file_access_join(path, sizeof(path), tree->root, relative) &&
	       lstat(path, &information) == 0;
}

enum tdxabi_status kernel_tree_read(const struct kernel_tree *tree, const char *relative,
				    char **text, size_t *size, struct diagnostic *diagnostic)
{
	char path[4096];
	if (!file_access_join(path, sizeof(path), tree->root, relative))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s: path too long", tree->root,
				       relative);
	enum tdxabi_status status =
		file_access_read(path, KERNEL_TREE_FILE_LIMIT, text, size, diagnostic);
	if (status == TDXABI_OK && memchr(*text, '\0', *size)) {
		free(*text);
		*text = NULL;
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: binary file (holds a NUL byte), not source text", path);
	}
	return status;
}

/* "VERSION = 6" style assignments of the top-level Makefile. */
static bool makefile_number(const char *makefile, const char *name, int *value)
{
	size_t length = strlen(name);
	for (const char *line = makefile; line;) {
		if (strncmp(line, name, length) == 0) {
			const char *cursor = line + length;
			while (*cursor == ' ' || *cursor == '\t')
				cursor++;
			if (*cursor == '=')
				return sscanf(cursor + 1, "%d", value) == 1;
		}
		const char *newline = strchr(line, '\n');
		line = newline ? newline + 1 : NULL;
	}
	return false;
}

enum tdxabi_status kernel_tree_open(const char *root, struct kernel_tree *tree,
				    struct diagnostic *diagnostic)
{
	memset(tree, 0, sizeof(*tree));
	if (!file_access_is_directory(root))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: not a directory", root);
	if (!(tree->root = strdup(root)))
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	char *makefile = NULL;
	size_t size;
	int version = 0, patchlevel = 0, sublevel = 0;
	char path[4096];
	bool linux_tree = file_access_join(path, sizeof(path), root, "arch/x86") && file_access_is_directory(path) && kernel_tree_has(tree, "Makefile") &&
			  kernel_tree_read(tree, "Makefile", &makefile, &size, NULL) == TDXABI_OK &&
			  makefile_number(makefile, "VERSION", &version) &&
			  makefile_number(makefile, "PATCHLEVEL", &patchlevel);
	if (makefile)
		makefile_number(makefile, "SUBLEVEL", &sublevel);
	free(makefile);
	if (!linux_tree) {
		kernel_tree_free(tree);
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: not a Linux source tree (no top-level Makefile with VERSION "
				       "and PATCHLEVEL, or no arch/x86)",
				       root);
	}
	snprintf(tree->version, sizeof(tree->version), "%d.%d.%d", version, patchlevel, sublevel);
	/* present as anything: what is not a readable file fails when read */
	tree->has_tdcall = kernel_tree_exists(tree, KERNEL_TDCALL);
	tree->has_seamcall = kernel_tree_exists(tree, KERNEL_SEAMCALL);
	if (!kernel_tree_exists(tree, KERNEL_TDXCALL) || (!tree->has_tdcall && !tree->has_seamcall)) {
		enum tdxabi_status status = diagnostic_fail(
			diagnostic, TDXABI_BAD_INPUT, "%s: Linux %s has no TDX stubs (no %s with %s or %s)",
			root, tree->version, KERNEL_TDXCALL, KERNEL_TDCALL, KERNEL_SEAMCALL);
		kernel_tree_free(tree);
		return status;
	}
	return TDXABI_OK;
}

void kernel_tree_free(struct kernel_tree *tree)
{
	free(tree->root);
	memset(tree, 0, sizeof(*tree));
}
