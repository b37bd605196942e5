/* kernel_inputs.c - the builder's inputs and its cache key (see
 * kernel_inputs.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "kernel_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_command.h"
#include "file_access.h"
#include "source_text.h"

/* What the build does with an input, and so what is checked in it. */
enum input_role {
	ROLE_ASSEMBLED, /* a stub: its quote includes are inputs (and stubs) too */
	ROLE_COMPILED,  /* in part or whole on a compiler's command line */
	ROLE_READ,      /* only read by tdxabi */
};

/* The fixed part of the list; the stubs' quote includes and the TDX
 * headers are added to it. */
static const struct {
	const char *path, *copy_as;
	enum input_role role;
} fixed_inputs[] = {
	{KERNEL_TDCALL, NULL, ROLE_ASSEMBLED},
	{KERNEL_SEAMCALL, NULL, ROLE_ASSEMBLED},
	{KERNEL_TDXCALL, NULL, ROLE_ASSEMBLED},
	{KERNEL_TDX_SHARED_C, NULL, ROLE_COMPILED},
	{KERNEL_ASM_OFFSETS, NULL, ROLE_READ},
	{KERNEL_TDX_HEADER, "asm/tdx.h", ROLE_COMPILED},
	{KERNEL_SHARED_TDX_HEADER, "asm/shared/tdx.h", ROLE_COMPILED},
	{KERNEL_TDX_ERRNO_HEADER, "asm/shared/tdx_errno.h", ROLE_COMPILED},
};

/* Where the TDX headers are: the headers of a directory whose names start
 * with `prefix`, copied under `include` (when not NULL) for the build. */
static const struct {
	const char *directory, *prefix, *include;
} header_directories[] = {
	{"arch/x86/include/asm", "tdx", "asm/"},
	{"arch/x86/include/asm/shared", "", "asm/shared/"},
	{"arch/x86/virt/vmx/tdx", "", NULL},
	{"arch/x86/coco/tdx", "", NULL},
};

const struct kernel_input *kernel_inputs_find(const struct kernel_inputs *inputs,
					      const char *path)
{
	for (size_t index = 0; index < inputs->count; index++)
		if (strcmp(inputs->files[index].path, path) == 0)
			return inputs->files[index].present ? &inputs->files[index] : NULL;
	return NULL;
}

static enum tdxabi_status add_input(const struct kernel_tree *tree, struct kernel_inputs *inputs,
				    const char *path, const char *copy_as,
				    struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < inputs->count; index++)
		if (strcmp(inputs->files[index].path, path) == 0)
			return TDXABI_OK;
	if (inputs->count == KERNEL_MAX_INPUTS)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s/%s: more than %d files to build the TDX stubs from",
				       tree->root, path, KERNEL_MAX_INPUTS);
	if (strlen(path) >= KERNEL_INPUT_PATH_SIZE)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s: path too long", tree->root,
				       path);
	struct kernel_input *input = &inputs->files[inputs->count++];
	memset(input, 0, sizeof(*input));
	snprintf(input->path, sizeof(input->path), "%s", path);
	snprintf(input->copy_as, sizeof(input->copy_as), "%s", copy_as ? copy_as : "");
	if (!kernel_tree_exists(tree, path))
		return TDXABI_OK;
	input->present = true;
	return kernel_tree_read(tree, path, &input->text, &input->size, diagnostic);
}

/* "a/b/../c/./d" -> "a/c/d", in place; false when a ".." would leave the
 * top (the path is then left as it was). */
static bool normalise(char *path)
{
	char copy[KERNEL_INPUT_PATH_SIZE];
	snprintf(copy, sizeof(copy), "%s", path);
	char *segments[KERNEL_INPUT_PATH_SIZE / 2];
	size_t count = 0;
	for (char *segment = copy, *slash; segment; segment = slash ? slash + 1 : NULL) {
		slash = strchr(segment, '/');
		if (slash)
			*slash = '\0';
		if (strcmp(segment, ".") == 0 || segment[0] == '\0')
			continue;
		if (strcmp(segment, "..") != 0)
			segments[count++] = segment;
		else if (count == 0)
			return false;
		else
			count--;
	}
	size_t used = 0;
	for (size_t index = 0; index < count; index++)
		used += (size_t)snprintf(path + used, KERNEL_INPUT_PATH_SIZE - used, "%s%s",
					 index ? "/" : "", segments[index]);
	return true;
}

static bool has_parent_segment(const char *include, size_t length)
{
	for (size_t index = 0; index + 1 < length; index++)
		if (include[index] == '.' && include[index + 1] == '.' &&
		    (index == 0 || include[index - 1] == '/') &&
		    (index + 2 == length || include[index + 2] == '/'))
			return true;
	return false;
}

/* One input's #include lines: checked, and with `follow`, the files its
 * quote includes name (relative to it, normalised, each once). */
struct include_scan {
	const struct kernel_tree *tree;
	const char *root_real; /* realpath of the tree root */
	const struct kernel_input *input;
	bool follow;
	char directory[KERNEL_INPUT_PATH_SIZE]; /* the input's, with a '/', or "" */
	char (*found)[KERNEL_INPUT_PATH_SIZE];
	size_t count;
	enum tdxabi_status status;
	struct diagnostic *diagnostic;
};

static bool refuse_include(struct include_scan *scan, enum source_include_kind kind,
			   const char *include, size_t length, const char *why)
{
	const char *open = kind == SOURCE_INCLUDE_QUOTED ? "\"" : kind == SOURCE_INCLUDE_ANGLED ? "<" : "";
	const char *close = kind == SOURCE_INCLUDE_QUOTED ? "\"" : kind == SOURCE_INCLUDE_ANGLED ? ">" : "";
	scan->status = diagnostic_fail(scan->diagnostic, TDXABI_BAD_INPUT,
				       "%s/%s: #include %s%.*s%s %s: refused (the build reads only "
				       "listed files of the tree)",
				       scan->tree->root, scan->input->path, open, (int)length, include,
				       close, why);
	return false;
}

/* Whether the tree path resolves, through any symlinks, inside the tree
 * (what does not exist resolves nowhere: it is an absent input). */
static bool path_resolves_inside(const struct kernel_tree *tree, const char *root_real,
				 const char *relative)
{
	char path[2 * KERNEL_INPUT_PATH_SIZE + 4096], *real;
	if (!file_access_join(path, sizeof(path), tree->root, relative))
		return false;
	if (!(real = realpath(path, NULL)))
		return true;
	size_t length = strlen(root_real);
	bool inside = strncmp(real, root_real, length) == 0 &&
		      (real[length] == '/' || strcmp(root_real, "/") == 0);
	free(real);
	return inside;
}


static bool note_include(enum source_include_kind kind, const char *include, size_t length,
			 void *context)
{
	struct include_scan *scan = context;
	if (kind == SOURCE_INCLUDE_COMPUTED)
		return refuse_include(scan, kind, include, length, "names a macro, not a file");
	if (length > 0 && include[0] == '/')
		return refuse_include(scan, kind, include, length, "is an absolute path");
	if (kind == SOURCE_INCLUDE_ANGLED || !scan->follow)
		return has_parent_segment(include, length)
			       ? refuse_include(scan, kind, include, length, "leaves its include directory")
			       : true;
	char path[KERNEL_INPUT_PATH_SIZE];
	if ((size_t)snprintf(path, sizeof(path), "%s%.*s", scan->directory, (int)length, include) >=
	    sizeof(path))
		return refuse_include(scan, kind, include, length, "is too long a path");
	if (!path_resolves_inside(scan->tree, scan->root_real, path) || !normalise(path))
		return refuse_include(scan, kind, include, length, "resolves outside the tree");
	for (size_t index = 0; index < scan->count; index++)
		if (strcmp(scan->found[index], path) == 0)
			return true;
	if (scan->count == KERNEL_MAX_INPUTS) {
		scan->status = diagnostic_fail(scan->diagnostic, TDXABI_BAD_INPUT,
					       "%s/%s: more than %d distinct #include files",
					       scan->tree->root, scan->input->path, KERNEL_MAX_INPUTS);
		return false;
	}
	snprintf(scan->found[scan->count++], KERNEL_INPUT_PATH_SIZE, "%s", path);
	return true;
}

static enum tdxabi_status refuse_gas_file_directives(const struct kernel_tree *tree,
						     const struct kernel_input *input,
						     struct diagnostic *diagnostic)
{
	char directive[16];
	if (!source_text_gas_file_directive(input->text, input->size, directive, sizeof(directive)))
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	if (directive[0])
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s/%s: gas %s directive: refused (it reads a file the build "
				       "does not list)",
				       tree->root, input->path, directive);
	return TDXABI_OK;
}

/* Checks the #include lines of inputs[index] (a stub's gas directives too)
 * and, for a stub, adds its quote includes, recursively. */
static enum tdxabi_status check_input(const struct kernel_tree *tree, const char *root_real,
				      struct kernel_inputs *inputs, size_t index,
				      enum input_role role, int depth,
				      struct diagnostic *diagnostic)
{
	const struct kernel_input *input = &inputs->files[index];
	if (!input->present || role == ROLE_READ)
		return TDXABI_OK;
	if (depth > KERNEL_MAX_INCLUDE_DEPTH)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s/%s: #include nested more than %d deep", tree->root,
				       input->path, KERNEL_MAX_INCLUDE_DEPTH);
	enum tdxabi_status status = TDXABI_OK;
	if (role == ROLE_ASSEMBLED)
		status = refuse_gas_file_directives(tree, input, diagnostic);
	struct include_scan scan = {tree, root_real, input, role == ROLE_ASSEMBLED, "", NULL, 0,
				    TDXABI_OK, diagnostic};
	const char *slash = strrchr(input->path, '/');
	if (slash)
		snprintf(scan.directory, sizeof(scan.directory), "%.*s/", (int)(slash - input->path),
			 input->path);
	if (status == TDXABI_OK && !(scan.found = calloc(KERNEL_MAX_INPUTS, sizeof(*scan.found))))
		status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	if (status == TDXABI_OK &&
	    !source_text_includes(input->text, input->size, note_include, &scan))
		status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	if (status == TDXABI_OK)
		status = scan.status;
	for (size_t which = 0; which < scan.count && status == TDXABI_OK; which++) {
		size_t before = inputs->count;
		status = add_input(tree, inputs, scan.found[which], NULL, diagnostic);
		if (status == TDXABI_OK && inputs->count > before)
			status = check_input(tree, root_real, inputs, before, ROLE_ASSEMBLED, depth + 1,
					     diagnostic);
	}
	free(scan.found);
	return status;
}

static int compare_names(const void *left, const void *right)
{
	return strcmp(*(char *const *)left, *(char *const *)right);
}

/* The names of the headers (*.h) in a tree directory starting with prefix,
 * sorted (the cache key depends on the order); none when it is absent.
 * Dot-files (editor locks, AppleDouble files) and what is not a regular
 * file (a directory, a FIFO, a dangling symlink) are not headers. */
static enum tdxabi_status list_headers(const struct kernel_tree *tree, const char *directory,
				       const char *prefix, char ***names, size_t *count,
				       struct diagnostic *diagnostic)
{
	*names = NULL;
	*count = 0;
	char path[4096];
	DIR *stream = file_access_join(path, sizeof(path), tree->root, directory) ? opendir(path) : NULL;
	if (!stream)
		return TDXABI_OK;
	enum tdxabi_status status = TDXABI_OK;
	char **list = calloc(KERNEL_MAX_INPUTS, sizeof(char *));
	if (!list)
		status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	for (struct dirent *entry; status == TDXABI_OK && (entry = readdir(stream));) {
		size_t length = strlen(entry->d_name);
		char file[4096 + 256];
		if (length < 3 || entry->d_name[0] == '.' ||
		    strcmp(entry->d_name + length - 2, ".h") != 0 ||
		    strncmp(entry->d_name, prefix, strlen(prefix)) != 0 ||
		    !file_access_join(file, sizeof(file), path, entry->d_name) ||
		    !file_access_is_regular(file))
			continue;
		if (*count == KERNEL_MAX_INPUTS)
			status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s: more than %d headers",
						 tree->root, directory, KERNEL_MAX_INPUTS);
		else if (!(list[*count] = strdup(entry->d_name)))
			status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		else
			(*count)++;
	}
	*names = list;
	closedir(stream);
	if (*count)
		qsort(*names, *count, sizeof(char *), compare_names);
	return status;
}

/* Adds the TDX headers (a header a stub includes is already an input) and
 * marks every one of them as declaring. */
static enum tdxabi_status add_tdx_headers(const struct kernel_tree *tree, const char *root_real,
					  struct kernel_inputs *inputs,
					  struct diagnostic *diagnostic)
{
	enum tdxabi_status status = TDXABI_OK;
	size_t directories = sizeof(header_directories) / sizeof(header_directories[0]);
	for (size_t which = 0; which < directories && status == TDXABI_OK; which++) {
		char **names;
		size_t count;
		status = list_headers(tree, header_directories[which].directory,
				      header_directories[which].prefix, &names, &count, diagnostic);
		for (size_t index = 0; index < count; index++) {
			char path[KERNEL_INPUT_PATH_SIZE], include[KERNEL_INPUT_PATH_SIZE];
			const char *copy_as = header_directories[which].include ? include : NULL;
			snprintf(include, sizeof(include), "%s%s",
				 copy_as ? header_directories[which].include : "", names[index]);
			if (status == TDXABI_OK &&
			    (size_t)snprintf(path, sizeof(path), "%s/%s", header_directories[which].directory,
					     names[index]) >= sizeof(path))
				status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s/%s: path too long",
							 tree->root, header_directories[which].directory,
							 names[index]);
			if (status == TDXABI_OK && !path_resolves_inside(tree, root_real, path))
				status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
							 "%s/%s: a symlink out of the tree: refused (the "
							 "build reads only files of the tree)",
							 tree->root, path);
			size_t before = inputs->count;
			if (status == TDXABI_OK)
				status = add_input(tree, inputs, path, copy_as, diagnostic);
			/* copied headers are compiled: their includes are checked */
			if (status == TDXABI_OK && inputs->count > before && copy_as)
				status = check_input(tree, root_real, inputs, before, ROLE_COMPILED, 0,
						     diagnostic);
			for (size_t input = 0; status == TDXABI_OK && input < inputs->count; input++)
				if (strcmp(inputs->files[input].path, path) == 0)
					inputs->files[input].declares = inputs->files[input].present;
			free(names[index]);
		}
		free(names);
	}
	return status;
}

enum tdxabi_status kernel_inputs_collect(const struct kernel_tree *tree,
					 struct kernel_inputs *inputs,
					 struct diagnostic *diagnostic)
{
	inputs->count = 0;
	char *root_real = realpath(tree->root, NULL);
	if (!root_real)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: %s", tree->root,
				       strerror(errno));
	enum tdxabi_status status = TDXABI_OK;
	size_t count = sizeof(fixed_inputs) / sizeof(fixed_inputs[0]);
	for (size_t index = 0; index < count && status == TDXABI_OK; index++)
		status = add_input(tree, inputs, fixed_inputs[index].path, fixed_inputs[index].copy_as,
				   diagnostic);
	for (size_t index = 0; index < count && status == TDXABI_OK; index++)
		status = check_input(tree, root_real, inputs, index, fixed_inputs[index].role, 0,
				     diagnostic);
	if (status == TDXABI_OK)
		status = add_tdx_headers(tree, root_real, inputs, diagnostic);
	free(root_real);
	return status;
}

void kernel_inputs_free(struct kernel_inputs *inputs)
{
	for (size_t index = 0; index < inputs->count; index++)
		free(inputs->files[index].text);
	inputs->count = 0;
}

static void key_add(EVP_MD_CTX *context, bool *ok, const void *bytes, size_t size)
{
	*ok = *ok && EVP_DigestUpdate(context, bytes, size) == 1;
}

enum tdxabi_status kernel_inputs_key(const struct kernel_inputs *inputs, const char *builder_version,
				     const struct shim_file *shims, size_t shim_count,
				     char key[KERNEL_KEY_SIZE], struct diagnostic *diagnostic)
{
	EVP_MD_CTX *context = EVP_MD_CTX_new();
	bool ok = context && EVP_DigestInit_ex(context, EVP_sha256(), NULL) == 1;
	key_add(context, &ok, builder_version, strlen(builder_version) + 1);
	for (size_t index = 0; index < inputs->count; index++) {
		const struct kernel_input *input = &inputs->files[index];
		key_add(context, &ok, input->path, strlen(input->path) + 1);
		key_add(context, &ok, input->present ? "+" : "-", 1);
		if (input->present) {
			uint64_t size = input->size;
			key_add(context, &ok, &size, sizeof(size));
			key_add(context, &ok, input->text, input->size);
		}
	}
	for (size_t index = 0; index < shim_count; index++) {
		uint64_t size = shims[index].size;
		key_add(context, &ok, shims[index].path, strlen(shims[index].path) + 1);
		key_add(context, &ok, &size, sizeof(size));
		key_add(context, &ok, shims[index].bytes, shims[index].size);
	}
	static const char *const tools[][3] = {{"gcc", "--version", NULL}, {"ld", "--version", NULL}};
	for (size_t index = 0; index < sizeof(tools) / sizeof(tools[0]); index++) {
		char version[2048];
		build_command_output(tools[index], version, sizeof(version));
		key_add(context, &ok, version, strlen(version) + 1);
	}
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int length = 0;
	ok = ok && EVP_DigestFinal_ex(context, digest, &length) == 1 && length == 32;
	EVP_MD_CTX_free(context);
	if (!ok)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY,
				       "cannot compute the build's SHA-256 cache key");
	for (unsigned int index = 0; index < length; index++)
		snprintf(key + 2 * index, 3, "%02x", digest[index]);
	return TDXABI_OK;
}
