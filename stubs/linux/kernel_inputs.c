/* kernel_inputs.c - the builder's inputs and its cache key (see
 * kernel_inputs.h). */
#include "kernel_inputs.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "source_text.h"

extern char **environ;

/* The fixed part of the list; the stubs' quote includes are added to it. */
static const struct {
	const char *path, *copy_as;
	bool assembled; /* its quote includes are inputs too */
} fixed_inputs[] = {
	{KERNEL_TDCALL, NULL, true},
	{KERNEL_SEAMCALL, NULL, true},
	{KERNEL_TDXCALL, NULL, true},
	{KERNEL_TDX_SHARED_C, NULL, false},
	{KERNEL_ASM_OFFSETS, NULL, false},
	{KERNEL_TDX_HEADER, "asm/tdx.h", false},
	{KERNEL_SHARED_TDX_HEADER, "asm/shared/tdx.h", false},
	{KERNEL_TDX_ERRNO_HEADER, "asm/shared/tdx_errno.h", false},
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
	input->copy_as = copy_as;
	if (!kernel_tree_exists(tree, path))
		return TDXABI_OK;
	input->present = true;
	return kernel_tree_read(tree, path, &input->text, &input->size, diagnostic);
}

struct include_context {
	char directory[KERNEL_INPUT_PATH_SIZE];
	char (*found)[KERNEL_INPUT_PATH_SIZE];
	size_t count, capacity;
};

/* "a/b/../c/./d" -> "a/c/d", in place; a ".." that would leave the tree
 * stays, so that path names what the compiler reads too. */
static void normalise(char *path)
{
	char *segments[KERNEL_INPUT_PATH_SIZE / 2];
	size_t count = 0, kept_up = 0;
	for (char *segment = path, *slash; segment; segment = slash ? slash + 1 : NULL) {
		slash = strchr(segment, '/');
		if (slash)
			*slash = '\0';
		if (strcmp(segment, ".") == 0 || segment[0] == '\0')
			continue;
		if (strcmp(segment, "..") == 0 && count > kept_up)
			count--;
		else if (strcmp(segment, "..") == 0)
			segments[count++] = segment, kept_up++;
		else
			segments[count++] = segment;
	}
	char normal[KERNEL_INPUT_PATH_SIZE] = "";
	size_t used = 0;
	for (size_t index = 0; index < count; index++)
		used += (size_t)snprintf(normal + used, sizeof(normal) - used, "%s%s", index ? "/" : "",
					 segments[index]);
	snprintf(path, KERNEL_INPUT_PATH_SIZE, "%s", normal);
}

static void note_include(const char *include, size_t length, void *context)
{
	struct include_context *includes = context;
	if (includes->count == includes->capacity)
		return; /* more than the list can hold: add_input reports it */
	char *found = includes->found[includes->count++];
	snprintf(found, KERNEL_INPUT_PATH_SIZE, "%s%.*s", includes->directory, (int)length, include);
	normalise(found);
}

/* Adds the quote includes of inputs[index] (relative to it), recursively
 * through the inputs added, up to a depth that no real tree nests. */
static enum tdxabi_status add_includes(const struct kernel_tree *tree, struct kernel_inputs *inputs,
				       size_t index, int depth, struct diagnostic *diagnostic)
{
	const struct kernel_input *input = &inputs->files[index];
	if (!input->present || depth > 8)
		return TDXABI_OK;
	struct include_context includes = {"", NULL, 0, KERNEL_MAX_INPUTS + 1};
	const char *slash = strrchr(input->path, '/');
	if (slash)
		snprintf(includes.directory, sizeof(includes.directory), "%.*s/",
			 (int)(slash - input->path), input->path);
	includes.found = calloc(includes.capacity, sizeof(*includes.found));
	if (!includes.found ||
	    !source_text_quote_includes(input->text, input->size, note_include, &includes)) {
		free(includes.found);
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	enum tdxabi_status status = TDXABI_OK;
	for (size_t which = 0; which < includes.count && status == TDXABI_OK; which++) {
		size_t before = inputs->count;
		status = add_input(tree, inputs, includes.found[which], NULL, diagnostic);
		if (status == TDXABI_OK && inputs->count > before)
			status = add_includes(tree, inputs, before, depth + 1, diagnostic);
	}
	free(includes.found);
	return status;
}

enum tdxabi_status kernel_inputs_collect(const struct kernel_tree *tree,
					 struct kernel_inputs *inputs,
					 struct diagnostic *diagnostic)
{
	inputs->count = 0;
	enum tdxabi_status status = TDXABI_OK;
	size_t count = sizeof(fixed_inputs) / sizeof(fixed_inputs[0]);
	for (size_t index = 0; index < count && status == TDXABI_OK; index++)
		status = add_input(tree, inputs, fixed_inputs[index].path, fixed_inputs[index].copy_as,
				   diagnostic);
	for (size_t index = 0; index < count && status == TDXABI_OK; index++)
		if (fixed_inputs[index].assembled)
			status = add_includes(tree, inputs, index, 0, diagnostic);
	return status;
}

void kernel_inputs_free(struct kernel_inputs *inputs)
{
	for (size_t index = 0; index < inputs->count; index++)
		free(inputs->files[index].text);
	inputs->count = 0;
}

/* What a command prints (stdout and stderr), at most size - 1 bytes of it;
 * "" when it cannot run. */
static void command_output(const char *const *argv, char *text, size_t size)
{
	text[0] = '\0';
	int pipe_ends[2];
	if (pipe(pipe_ends) != 0)
		return;
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 1);
	posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 2);
	posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
	posix_spawn_file_actions_addclose(&actions, pipe_ends[1]);
	pid_t child;
	int error = posix_spawnp(&child, argv[0], &actions, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	close(pipe_ends[1]);
	size_t used = 0;
	for (;;) {
		char chunk[4096];
		ssize_t got = error == 0 ? read(pipe_ends[0], chunk, sizeof(chunk)) : 0;
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		size_t take = (size_t)got < size - 1 - used ? (size_t)got : size - 1 - used;
		memcpy(text + used, chunk, take);
		used += take;
	}
	close(pipe_ends[0]);
	text[used] = '\0';
	int status = 0;
	while (error == 0 && waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
}

uint64_t kernel_inputs_key(const struct kernel_inputs *inputs, const char *builder_version,
			   const struct shim_file *shims, size_t shim_count)
{
	uint64_t key = content_key_add(CONTENT_KEY_START, builder_version, strlen(builder_version) + 1);
	for (size_t index = 0; index < inputs->count; index++) {
		const struct kernel_input *input = &inputs->files[index];
		key = content_key_add(key, input->path, strlen(input->path) + 1);
		key = content_key_add(key, input->present ? "+" : "-", 1);
		if (input->present) {
			uint64_t size = input->size;
			key = content_key_add(key, &size, sizeof(size));
			key = content_key_add(key, input->text, input->size);
		}
	}
	for (size_t index = 0; index < shim_count; index++) {
		uint64_t size = shims[index].size;
		key = content_key_add(key, shims[index].path, strlen(shims[index].path) + 1);
		key = content_key_add(key, &size, sizeof(size));
		key = content_key_add(key, shims[index].bytes, shims[index].size);
	}
	static const char *const tools[][3] = {{"gcc", "--version", NULL}, {"ld", "--version", NULL}};
	for (size_t index = 0; index < sizeof(tools) / sizeof(tools[0]); index++) {
		char version[2048];
		command_output(tools[index], version, sizeof(version));
		key = content_key_add(key, version, strlen(version) + 1);
	}
	return key;
}
