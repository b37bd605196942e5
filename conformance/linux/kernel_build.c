/* kernel_build.c - kernel_build_run() of kernel_build.h: a new build is
 * made step by step in a temporary directory of the cache (the inputs copied
 * under tree/, one file per step), marked complete and renamed into place; a
 * complete entry is only read. */
#include "kernel_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assembly_lines.h"
#include "build_cache.h"
#include "build_command.h"
#include "file_access.h"
#include "kernel_inputs.h"
#include "kernel_offsets.h"
#include "object_image.h"
#include "source_text.h"
#include "standin_headers.h"

#define BUILDER_VERSION "tdxabi-kernel-build-7"
#define MAX_ARGUMENTS 48

/* The variants that change a stub's bytes: frame pointer on or off, RET as
 * ret, a return thunk or ret; int3, and a leading ENDBR64 or not. */
enum return_flavour { RETURN_PLAIN, RETURN_THUNK, RETURN_SLS, RETURN_FLAVOURS };
#define VARIANT_COUNT (2 * RETURN_FLAVOURS * 2)
_Static_assert(VARIANT_COUNT <= KERNEL_MAX_VARIANTS, "every variant fits in same_bytes_as");

struct variant {
	bool frame_pointer;
	enum return_flavour return_flavour;
	bool endbr;
};

static struct variant variant_at(size_t index)
{
	struct variant variant = {
		.frame_pointer = index / (RETURN_FLAVOURS * 2) == 0,
		.return_flavour = (enum return_flavour)(index / 2 % RETURN_FLAVOURS),
		.endbr = index % 2 == 1,
	};
	return variant;
}

static void variant_name(size_t index, char *text, size_t size)
{
	static const char *const returns[RETURN_FLAVOURS] = {"ret", "return-thunk", "ret-int3"};
	struct variant variant = variant_at(index);
	snprintf(text, size, "%s %s%s", variant.frame_pointer ? "frame-pointer" : "no-frame-pointer",
		 returns[variant.return_flavour], variant.endbr ? " endbr64" : "");
}

/* -D flags for the assembler (read by the shims), or the matching gcc flags
 * for the C part; appended to argv at *count. */
static void variant_flags(size_t index, bool c_code, const char **argv, size_t *count)
{
	struct variant variant = variant_at(index);
	if (c_code) {
		argv[(*count)++] = variant.frame_pointer ? "-fno-omit-frame-pointer" : "-fomit-frame-pointer";
		argv[(*count)++] = variant.endbr ? "-fcf-protection=branch" : "-fcf-protection=none";
		if (variant.return_flavour == RETURN_THUNK)
			argv[(*count)++] = "-mfunction-return=thunk-extern";
		if (variant.return_flavour == RETURN_SLS)
			argv[(*count)++] = "-mharden-sls=all";
		return;
	}
	if (variant.frame_pointer)
		argv[(*count)++] = "-DCONFIG_FRAME_POINTER";
	if (variant.endbr)
		argv[(*count)++] = "-DTDXABI_ENDBR";
	if (variant.return_flavour == RETURN_THUNK)
		argv[(*count)++] = "-DTDXABI_RET_THUNK";
	if (variant.return_flavour == RETURN_SLS)
		argv[(*count)++] = "-DTDXABI_RET_SLS";
}

struct build_paths {
	char tree[KERNEL_PATH_SIZE];      /* every input, at its tree path */
	char shims[KERNEL_PATH_SIZE];
	char headers[KERNEL_PATH_SIZE];
	char generated[KERNEL_PATH_SIZE];
	char objects[KERNEL_PATH_SIZE];
	char standins[KERNEL_PATH_SIZE]; /* empty headers neither the shims nor the tree have */
};

/* One run over a build directory: `building` makes every file, otherwise
 * the complete build there is only read. */
struct build_step {
	const struct kernel_tree *tree;
	const struct kernel_inputs *inputs;
	struct kernel_build *build;
	struct build_paths paths;
	bool building;
	char hypercall_source[KERNEL_PATH_SIZE]; /* "" without a C __tdx_hypercall */
};

/* Replaces every `from` in text by `to`, within size. */
static void replace_all(char *text, size_t size, const char *from, const char *to)
{
	size_t from_length = strlen(from), to_length = strlen(to);
	for (char *found = strstr(text, from); found; found = strstr(found + to_length, from)) {
		size_t tail = strlen(found + from_length) + 1;
		if ((size_t)(found - text) + to_length + tail > size)
			return;
		memmove(found + to_length, found + from_length, tail);
		memcpy(found, to, to_length);
	}
}

/* Where the build keeps copies of the tree's files: under tree/ at their
 * own path, the TDX headers also under headers/ as arch/x86/include/ has them. */
#define TREE_COPY_PAIRS 2
static void tree_copy_pair(const struct build_step *step, int pair, const char **copies,
			   const char **originals)
{
	*copies = pair == 0 ? step->paths.tree : step->paths.headers;
	*originals = pair == 0 ? "" : "arch/x86/include/";
}

/* A failure of a build command names the tree's own files (not their
 * copies in the cache), the copied headers at their place in the tree. */
static enum tdxabi_status name_tree_files(const struct build_step *step,
					  enum tdxabi_status status, struct diagnostic *diagnostic)
{
	if (status == TDXABI_OK)
		return status;
	char copies[KERNEL_PATH_SIZE + 1], originals[KERNEL_PATH_SIZE + 32];
	for (int pair = 0; pair < TREE_COPY_PAIRS; pair++) {
		const char *copy, *original;
		tree_copy_pair(step, pair, &copy, &original);
		if (snprintf(copies, sizeof(copies), "%s/", copy) < (int)sizeof(copies) &&
		    snprintf(originals, sizeof(originals), "%s/%s", step->tree->root, original) <
			    (int)sizeof(originals))
			replace_all(diagnostic->text, sizeof(diagnostic->text), copies, originals);
	}
	return status;
}

static enum tdxabi_status run_command(const struct build_step *step, const char *const *argv,
				      const char *log, const char *what,
				      struct diagnostic *diagnostic)
{
	return name_tree_files(
		step, build_command_run(argv, log, what, BUILD_COMMAND_TIME_LIMIT, diagnostic),
		diagnostic);
}

/* file_access_join into a KERNEL_PATH_SIZE buffer, failing on truncation. */
static enum tdxabi_status joined(char *path, const char *directory, const char *relative,
				 struct diagnostic *diagnostic)
{
	if (file_access_join(path, KERNEL_PATH_SIZE, directory, relative))
		return TDXABI_OK;
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s: path too long", directory,
			       relative);
}

/* The shims, and every input under tree/ (the copied headers under headers/
 * as well): what the commands read instead of the live tree. */
static enum tdxabi_status write_inputs(const struct build_step *step, const struct shim_file *shims,
				       size_t shim_count, struct diagnostic *diagnostic)
{
	enum tdxabi_status status = build_cache_make_directories(step->paths.objects, diagnostic);
	char path[KERNEL_PATH_SIZE];
	for (size_t index = 0; index < shim_count && status == TDXABI_OK; index++)
		status = joined(path, step->paths.shims, shims[index].path, diagnostic) != TDXABI_OK
				 ? TDXABI_BAD_INPUT
				 : build_cache_write_file(path, shims[index].bytes, shims[index].size,
							  diagnostic);
	for (size_t index = 0; index < step->inputs->count && status == TDXABI_OK; index++) {
		const struct kernel_input *input = &step->inputs->files[index];
		if (!input->present)
			continue;
		status = joined(path, step->paths.tree, input->path, diagnostic);
		if (status == TDXABI_OK)
			status = build_cache_write_file(path, input->text, input->size, diagnostic);
		if (status == TDXABI_OK && input->copy_as[0])
			status = joined(path, step->paths.headers, input->copy_as, diagnostic);
		if (status == TDXABI_OK && input->copy_as[0])
			status = build_cache_write_file(path, input->text, input->size, diagnostic);
	}
	return status;
}

/* The struct layouts; when building, also offsets.c, its assembly and
 * asm-offsets.h. */
static enum tdxabi_status build_offsets(struct build_step *step, struct diagnostic *diagnostic)
{
	const char *directory = step->build->directory;
	char source_path[KERNEL_PATH_SIZE], assembly[KERNEL_PATH_SIZE], log[KERNEL_PATH_SIZE],
		header_path[KERNEL_PATH_SIZE];
	char *source = NULL, *header = NULL;
	size_t size = 0, header_size = 0;
	enum tdxabi_status status = joined(source_path, directory, "offsets.c", diagnostic);
	if (status == TDXABI_OK)
		status = joined(assembly, directory, "offsets.s", diagnostic);
	if (status == TDXABI_OK)
		status = joined(log, directory, "offsets.log", diagnostic);
	if (status == TDXABI_OK)
		status = joined(header_path, step->paths.generated, "asm/asm-offsets.h", diagnostic);
	if (status == TDXABI_OK)
		status = kernel_offsets_source(step->tree, step->inputs, step->build, &source, &size,
					       diagnostic);
	if (status == TDXABI_OK && step->building)
		status = build_cache_write_file(source_path, source, size, diagnostic);
	if (status == TDXABI_OK && step->building) {
		const char *argv[] = {"gcc", "-S", "-O2", "-nostdinc", "-I", step->paths.shims, "-o",
				      assembly, source_path, NULL};
		status = run_command(step, argv, log, "compiling the tree's TDX structs (asm-offsets)",
				     diagnostic);
	}
	if (status == TDXABI_OK)
		status = kernel_offsets_read(step->build, assembly, step->building ? &header : NULL,
					     &header_size, diagnostic);
	if (status == TDXABI_OK && step->building)
		status = build_cache_write_file(header_path, header, header_size, diagnostic);
	free(source);
	free(header);
	return status;
}

/* The C __tdx_hypercall of tdx-shared.c (6.7+), when the tree has one: its
 * source in the build is hypercall.c. A tdx-shared.c that mentions it at
 * file scope but whose definition cannot be cut out is an error, never a
 * function silently left unchecked. */
static enum tdxabi_status prepare_hypercall(struct build_step *step, struct diagnostic *diagnostic)
{
	step->hypercall_source[0] = '\0';
	const struct kernel_input *shared = kernel_inputs_find(step->inputs, KERNEL_TDX_SHARED_C);
	if (!shared || !step->tree->has_tdcall)
		return TDXABI_OK;
	char file[KERNEL_PATH_SIZE], *function = NULL;
	enum tdxabi_status status = joined(file, step->tree->root, KERNEL_TDX_SHARED_C, diagnostic);
	if (status == TDXABI_OK)
		status = source_text_function(shared->text, shared->size, "__tdx_hypercall", file,
					      &function, diagnostic);
	if (status != TDXABI_OK || !function)
		return status;
	step->build->has_hypercall_c = true;
	status = joined(step->hypercall_source, step->build->directory, "hypercall.c", diagnostic);
	if (status == TDXABI_OK && step->building) {
		static const char format[] = "/* __tdx_hypercall of %s */\n#include <asm/shared/tdx.h>\n\n%s";
		size_t size = strlen(function) + strlen(KERNEL_TDX_SHARED_C) + sizeof(format);
		char *source = malloc(size);
		if (!source) {
			status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		} else {
			int length = snprintf(source, size, format, KERNEL_TDX_SHARED_C, function);
			status = build_cache_write_file(step->hypercall_source, source, (size_t)length,
							diagnostic);
			free(source);
		}
	}
	free(function);
	return status;
}

/* Runs `command` (its source last, no output named) as `gcc MODE -o output`
 * (MODE -c, or -E to preprocess only), after giving every header it
 * includes that nothing provides an empty stand-in. */
static enum tdxabi_status compile_with_standins(struct build_step *step, const char **command,
					       const char *mode, const char *output,
					       const char *log, const char *what,
					       struct diagnostic *diagnostic)
{
	size_t count = 0;
	while (command[count])
		count++;
	if (count + 4 > MAX_ARGUMENTS)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: too many arguments", what);
	char dependencies[KERNEL_PATH_SIZE + 16];
	snprintf(dependencies, sizeof(dependencies), "%s.d", output);
	enum tdxabi_status status = name_tree_files(
		step,
		standin_headers_add(command, step->paths.standins, dependencies, what,
				    &step->build->standins, diagnostic),
		diagnostic);
	const char *source = command[count - 1];
	command[count - 1] = mode;
	command[count] = "-o";
	command[count + 1] = output;
	command[count + 2] = source;
	command[count + 3] = NULL;
	return status == TDXABI_OK ? run_command(step, command, log, what, diagnostic) : status;
}

/* The name a build copy is given in the line table: its path in the tree
 * (relative); false for the shims and stand-ins, which are not the tree's. */
static bool name_in_tree(const void *context, const char *path, char *name, size_t size)
{
	const struct build_step *step = context;
	for (int pair = 0; pair < TREE_COPY_PAIRS; pair++) {
		const char *copies, *originals;
		tree_copy_pair(step, pair, &copies, &originals);
		size_t length = strlen(copies);
		if (strncmp(path, copies, length) == 0 && path[length] == '/') {
			snprintf(name, size, "%s%s", originals, path + length + 1);
			file_access_normalize(name);
			return true;
		}
	}
	return false;
}

/* The preprocessed file with a line-table row for every line, macro bodies
 * included (see assembly_lines.h). */
static enum tdxabi_status mark_lines(struct build_step *step, const char *preprocessed,
				     const char *marked, const char *what,
				     struct diagnostic *diagnostic)
{
	char *text, *lines;
	size_t size, lines_size;
	enum tdxabi_status status = file_access_read(preprocessed, BUILD_CACHE_FILE_LIMIT, &text,
						     &size, diagnostic);
	if (status != TDXABI_OK)
		return status;
	status = assembly_lines_mark(text, size, what, name_in_tree, step, &lines, &lines_size,
				     diagnostic);
	free(text);
	if (status != TDXABI_OK)
		return status;
	status = build_cache_write_file(marked, lines, lines_size, diagnostic);
	free(lines);
	return status;
}

static enum tdxabi_status assemble(struct build_step *step, const char *source,
				   size_t variant, const char *output, struct diagnostic *diagnostic)
{
	char input[KERNEL_PATH_SIZE], log[KERNEL_PATH_SIZE + 16], what[256], name[KERNEL_NAME_SIZE];
	enum tdxabi_status status = joined(input, step->paths.tree, source, diagnostic);
	if (status != TDXABI_OK)
		return status;
	snprintf(log, sizeof(log), "%s.log", output);
	variant_name(variant, name, sizeof(name));
	snprintf(what, sizeof(what), "assembling %s (%s)", source, name);
	const char *argv[MAX_ARGUMENTS] = {"gcc", "-D__ASSEMBLY__"};
	size_t count = 2;
	variant_flags(variant, false, argv, &count);
	const char *tail[] = {"-nostdinc", "-I", step->paths.generated, "-I", step->paths.shims, "-I",
			      step->paths.headers, "-I", step->paths.standins, input, NULL};
	memcpy(argv + count, tail, sizeof(tail));
	char preprocessed[KERNEL_PATH_SIZE + 8], marked[KERNEL_PATH_SIZE + 8];
	snprintf(preprocessed, sizeof(preprocessed), "%s.i", output);
	snprintf(marked, sizeof(marked), "%s.s", output);
	status = compile_with_standins(step, argv, "-E", preprocessed, log, what, diagnostic);
	if (status == TDXABI_OK)
		status = mark_lines(step, preprocessed, marked, what, diagnostic);
	const char *assemble_marked[] = {"gcc", "-c", "-o", output, marked, NULL};
	return status == TDXABI_OK ? run_command(step, assemble_marked, log, what, diagnostic)
				   : status;
}

/* The C __tdx_hypercall for one variant, linked with the asm into `output`. */
static enum tdxabi_status link_hypercall(struct build_step *step, size_t variant,
					 const char *assembled, const char *output,
					 struct diagnostic *diagnostic)
{
	char object[KERNEL_PATH_SIZE + 32], log[KERNEL_PATH_SIZE + 32], what[256], name[KERNEL_NAME_SIZE];
	snprintf(object, sizeof(object), "%s.hypercall.o", output);
	snprintf(log, sizeof(log), "%s.hypercall.log", output);
	variant_name(variant, name, sizeof(name));
	snprintf(what, sizeof(what), "compiling __tdx_hypercall of %s (%s)", KERNEL_TDX_SHARED_C, name);
	const char *argv[MAX_ARGUMENTS] = {"gcc", "-O2", "-nostdinc", "-ffreestanding",
					   "-fno-pic", "-mcmodel=kernel", "-mno-red-zone",
					   "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
					   "-mno-sse", "-mno-mmx", "-mno-sse2", "-mno-avx"};
	size_t count = 13;
	variant_flags(variant, true, argv, &count);
	const char *tail[] = {"-I", step->paths.shims, "-I", step->paths.headers, "-I",
			      step->paths.standins, step->hypercall_source, NULL};
	memcpy(argv + count, tail, sizeof(tail));
	enum tdxabi_status status =
		compile_with_standins(step, argv, "-c", object, log, what, diagnostic);
	if (status != TDXABI_OK)
		return status;
	const char *link[] = {"ld", "-r", "-o", output, assembled, object, NULL};
	snprintf(what, sizeof(what), "linking __tdx_hypercall with %s (%s)", KERNEL_TDCALL, name);
	return run_command(step, link, log, what, diagnostic);
}

/* An object of the build, loaded. */
static enum tdxabi_status load_built(const char *path, struct object_image *image,
				     struct diagnostic *diagnostic)
{
	char *bytes;
	size_t size;
	enum tdxabi_status status = file_access_read(path, BUILD_CACHE_FILE_LIMIT, &bytes, &size,
						     diagnostic);
	if (status != TDXABI_OK)
		return status;
	status = object_image_load((const uint8_t *)bytes, size, path, image, diagnostic);
	free(bytes);
	return status;
}

/* Keeps one object per distinct content (code, data, symbols: debug
 * information naming other lines does not count); identical variants are
 * named on it. */
static enum tdxabi_status keep_distinct(struct kernel_build *build, const char *source,
					size_t variant, const char *path,
					struct diagnostic *diagnostic)
{
	char name[KERNEL_NAME_SIZE];
	variant_name(variant, name, sizeof(name));
	struct object_image image, other;
	enum tdxabi_status status = load_built(path, &image, diagnostic);
	if (status != TDXABI_OK)
		return status;
	for (size_t index = 0; index < build->object_count; index++) {
		struct built_object *object = &build->objects[index];
		if (strcmp(object->source, source) != 0)
			continue;
		status = load_built(object->path, &other, diagnostic);
		if (status != TDXABI_OK) {
			object_image_free(&image);
			return status;
		}
		bool same = object_image_same_contents(&image, &other);
		object_image_free(&other);
		if (!same)
			continue;
		if (object->same_bytes_count < KERNEL_MAX_VARIANTS)
			snprintf(object->same_bytes_as[object->same_bytes_count++],
				 sizeof(object->same_bytes_as[0]), "%s", name);
		object_image_free(&image);
		return TDXABI_OK;
	}
	object_image_free(&image);
	if (build->object_count == KERNEL_MAX_OBJECTS)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "too many distinct build variants");
	struct built_object *object = &build->objects[build->object_count++];
	memset(object, 0, sizeof(*object));
	snprintf(object->source, sizeof(object->source), "%s", source);
	snprintf(object->variant, sizeof(object->variant), "%s", name);
	snprintf(object->path, sizeof(object->path), "%s", path);
	return TDXABI_OK;
}

static enum tdxabi_status build_source(struct build_step *step, const char *source,
				       const char *stem, bool with_hypercall,
				       struct diagnostic *diagnostic)
{
	for (size_t variant = 0; variant < VARIANT_COUNT; variant++) {
		char output_name[64], assembled_name[64], output[KERNEL_PATH_SIZE],
			assembled[KERNEL_PATH_SIZE];
		snprintf(output_name, sizeof(output_name), "%s-%zu.o", stem, variant);
		snprintf(assembled_name, sizeof(assembled_name), "%s-%zu.asm.o", stem, variant);
		enum tdxabi_status status = joined(output, step->paths.objects, output_name, diagnostic);
		if (status == TDXABI_OK)
			status = joined(assembled, step->paths.objects, assembled_name, diagnostic);
		if (status == TDXABI_OK && step->building) {
			status = assemble(step, source, variant, with_hypercall ? assembled : output,
					  diagnostic);
			if (status == TDXABI_OK && with_hypercall)
				status = link_hypercall(step, variant, assembled, output, diagnostic);
		}
		if (status == TDXABI_OK)
			status = keep_distinct(step->build, source, variant, output, diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	return TDXABI_OK;
}

/* An empty build, named after directory. */
static void start_build(struct kernel_build *build, const char *directory)
{
	memset(build, 0, sizeof(*build));
	build->variant_count = VARIANT_COUNT;
	snprintf(build->directory, sizeof(build->directory), "%s", directory);
}

/* Builds into (building) or reads the build in `directory`. */
static enum tdxabi_status run_steps(const struct kernel_tree *tree,
				    const struct kernel_inputs *inputs,
				    const struct shim_file *shims, size_t shim_count,
				    const char *directory, bool building, struct kernel_build *build,
				    struct diagnostic *diagnostic)
{
	start_build(build, directory);
	struct build_step *step = calloc(1, sizeof(*step));
	if (!step)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	*step = (struct build_step){.tree = tree, .inputs = inputs, .build = build, .building = building};
	static const char *const names[] = {"tree", "shims", "headers", "generated", "objects",
					    "standins"};
	char *paths[] = {step->paths.tree, step->paths.shims, step->paths.headers,
			 step->paths.generated, step->paths.objects, step->paths.standins};
	enum tdxabi_status status = TDXABI_OK;
	for (size_t index = 0; index < 6 && status == TDXABI_OK; index++)
		status = joined(paths[index], directory, names[index], diagnostic);
	if (status == TDXABI_OK && building)
		status = write_inputs(step, shims, shim_count, diagnostic);
	if (status == TDXABI_OK)
		status = build_offsets(step, diagnostic);
	if (status == TDXABI_OK)
		status = prepare_hypercall(step, diagnostic);
	if (status == TDXABI_OK && tree->has_tdcall)
		status = build_source(step, KERNEL_TDCALL, "tdcall", step->hypercall_source[0] != '\0',
				      diagnostic);
	if (status == TDXABI_OK && tree->has_seamcall)
		status = build_source(step, KERNEL_SEAMCALL, "seamcall", false, diagnostic);
	char standins[KERNEL_PATH_SIZE];
	if (status == TDXABI_OK)
		status = joined(standins, directory, STANDIN_LIST_FILE, diagnostic);
	if (status == TDXABI_OK && building)
		status = standin_headers_write(&build->standins, standins, diagnostic);
	if (status == TDXABI_OK)
		status = standin_headers_read(&build->standins, standins, diagnostic);
	if (status == TDXABI_OK && building) {
		char marker[KERNEL_PATH_SIZE];
		status = joined(marker, directory, BUILD_CACHE_MARKER, diagnostic);
		if (status == TDXABI_OK)
			status = build_cache_write_file(marker, tree->version, strlen(tree->version),
							diagnostic);
	}
	free(step);
	return status;
}

/* Copies of the TDX headers' texts into the build. */
static enum tdxabi_status copy_headers(const struct kernel_inputs *inputs,
				       struct kernel_build *build, struct diagnostic *diagnostic)
{
	for (size_t index = 0; index < inputs->count; index++) {
		const struct kernel_input *input = &inputs->files[index];
		if (!input->declares)
			continue;
		if (build->header_count == KERNEL_MAX_HEADERS)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "%s: more than %d TDX headers", input->path,
					       KERNEL_MAX_HEADERS);
		struct kernel_header *header = &build->headers[build->header_count];
		if ((size_t)snprintf(header->path, sizeof(header->path), "%s", input->path) >=
		    sizeof(header->path))
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: path too long",
					       input->path);
		if (!(header->text = malloc(input->size + 1)))
			return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		memcpy(header->text, input->text, input->size + 1);
		build->header_count++;
	}
	return TDXABI_OK;
}

enum tdxabi_status kernel_build_from_inputs(const struct kernel_tree *tree,
					    const struct kernel_inputs *inputs,
					    const struct shim_file *shims, size_t shim_count,
					    const char *cache_root, struct kernel_build *build,
					    struct diagnostic *diagnostic)
{
	start_build(build, "");
	char entry[KERNEL_PATH_SIZE], key[KERNEL_KEY_SIZE], here[KERNEL_PATH_SIZE] = "";
	enum tdxabi_status status =
		kernel_inputs_key(inputs, BUILDER_VERSION, shims, shim_count, key, diagnostic);
	/* absolute, so that every path the compiler names is (standin_headers.h) */
	if (status == TDXABI_OK && cache_root[0] != '/' && !getcwd(here, sizeof(here)))
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: cannot make the cache path absolute", cache_root);
	if (status == TDXABI_OK &&
	    snprintf(entry, sizeof(entry), "%s%s%s/linux-%s-%s", here, here[0] ? "/" : "", cache_root,
		     tree->version, key) >= (int)sizeof(entry) - 32)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: path too long", cache_root);
	bool reused = status == TDXABI_OK && build_cache_complete(entry);
	if (status == TDXABI_OK && !reused) {
		char temporary[KERNEL_PATH_SIZE];
		status = build_cache_begin(entry, temporary, sizeof(temporary), diagnostic);
		if (status == TDXABI_OK) {
			status = run_steps(tree, inputs, shims, shim_count, temporary, true, build,
					   diagnostic);
			if (status == TDXABI_OK)
				status = build_cache_publish(temporary, entry, diagnostic);
			else
				build_cache_keep_failed(temporary, entry, diagnostic);
		}
	}
	/* what the rest reads is the published entry, whoever made it */
	if (status == TDXABI_OK)
		status = run_steps(tree, inputs, shims, shim_count, entry, false, build, diagnostic);
	build->reused = reused;
	if (status == TDXABI_OK)
		status = copy_headers(inputs, build, diagnostic);
	if (status != TDXABI_OK)
		kernel_build_free(build);
	return status;
}

enum tdxabi_status kernel_build_run(const struct kernel_tree *tree, const struct shim_file *shims,
				    size_t shim_count, const char *cache_root,
				    struct kernel_build *build, struct diagnostic *diagnostic)
{
	start_build(build, "");
	struct kernel_inputs *inputs = calloc(1, sizeof(*inputs));
	if (!inputs)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	enum tdxabi_status status = kernel_inputs_collect(tree, inputs, diagnostic);
	if (status == TDXABI_OK)
		status = kernel_build_from_inputs(tree, inputs, shims, shim_count, cache_root, build,
						  diagnostic);
	kernel_inputs_free(inputs);
	free(inputs);
	return status;
}

void kernel_build_free(struct kernel_build *build)
{
	for (size_t index = 0; index < build->header_count; index++)
		free(build->headers[index].text);
	build->header_count = 0;
}

static bool config_enabled(const char *config, const char *option)
{
	char line[128];
	snprintf(line, sizeof(line), "\n%s=y", option);
	return strstr(config, line) != NULL;
}

void kernel_build_configured_variant(const char *config, char *variant, size_t size,
				     char *settings, size_t settings_size)
{
	bool frame_pointer = config_enabled(config, "CONFIG_FRAME_POINTER");
	bool rethunk = config_enabled(config, "CONFIG_MITIGATION_RETHUNK") ||
		       config_enabled(config, "CONFIG_RETHUNK");
	bool sls = config_enabled(config, "CONFIG_MITIGATION_SLS") || config_enabled(config, "CONFIG_SLS");
	bool ibt = config_enabled(config, "CONFIG_X86_KERNEL_IBT");
	bool objtool = config_enabled(config, "CONFIG_OBJTOOL");
	bool objtool_deferred = ibt || config_enabled(config, "CONFIG_LTO_CLANG");
	/* asm/linkage.h: a return thunk wins over ret; int3 */
	enum return_flavour flavour = rethunk ? RETURN_THUNK : sls ? RETURN_SLS : RETURN_PLAIN;
	size_t index = (frame_pointer ? 0 : RETURN_FLAVOURS * 2) + (size_t)flavour * 2 + (ibt ? 1 : 0);
	variant_name(index, variant, size);
	snprintf(settings, settings_size,
		 "FRAME_POINTER %s, RETHUNK %s, SLS %s, X86_KERNEL_IBT %s; objtool %s",
		 frame_pointer ? "y" : "n", rethunk ? "y" : "n", sls ? "y" : "n", ibt ? "y" : "n",
		 !objtool ? "not configured"
		 : objtool_deferred ? "deferred to vmlinux.o, so not run on these objects"
				    : "run on these objects");
}
