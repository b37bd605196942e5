/* kernel_build.c - kernel_build_run() of kernel_build.h. Every step writes
 * one file under the build directory; a directory marked complete is reused,
 * so a second run of the same tree only reads. Commands run through
 * posix_spawnp with their output in a log, never on the terminal. */
#include "kernel_build.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BUILDER_VERSION "tdxabi-kernel-build-1"
#define MAX_ARGUMENTS 48

extern char **environ;

/* The variants that change a stub's bytes: frame pointer on or off, RET as
 * ret, a return thunk or ret; int3, and a leading ENDBR64 or not. */
enum return_flavour { RETURN_PLAIN, RETURN_THUNK, RETURN_SLS, RETURN_FLAVOURS };
#define VARIANT_COUNT (2 * RETURN_FLAVOURS * 2)

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

static enum tdxabi_status make_directories(const char *path, struct diagnostic *diagnostic)
{
	char partial[KERNEL_PATH_SIZE];
	snprintf(partial, sizeof(partial), "%s", path);
	for (char *slash = partial + 1;; slash++) {
		bool end = *slash == '\0';
		if (*slash != '/' && !end)
			continue;
		*slash = '\0';
		if (mkdir(partial, 0755) != 0 && errno != EEXIST)
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "cannot create %s: %s",
					       partial, strerror(errno));
		if (end)
			return TDXABI_OK;
		*slash = '/';
	}
}

static enum tdxabi_status write_file(const char *path, const void *bytes, size_t size,
				     struct diagnostic *diagnostic)
{
	char parent[KERNEL_PATH_SIZE];
	snprintf(parent, sizeof(parent), "%s", path);
	char *slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
		enum tdxabi_status status = make_directories(parent, diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	FILE *file = fopen(path, "wb");
	bool failed = !file || fwrite(bytes, 1, size, file) != size;
	if (file)
		failed |= fclose(file) != 0;
	return failed ? diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "cannot write %s", path)
		      : TDXABI_OK;
}

static bool read_whole(const char *path, char **text, size_t *size)
{
	FILE *file = fopen(path, "rb");
	if (!file)
		return false;
	fseek(file, 0, SEEK_END);
	long length = ftell(file);
	fseek(file, 0, SEEK_SET);
	char *buffer = length >= 0 ? malloc((size_t)length + 1) : NULL;
	bool ok = buffer && fread(buffer, 1, (size_t)length, file) == (size_t)length;
	fclose(file);
	if (!ok) {
		free(buffer);
		return false;
	}
	buffer[length] = '\0';
	*text = buffer;
	*size = (size_t)length;
	return true;
}

/* Runs argv with its output in log; on failure the diagnostic names `what`
 * and quotes the first error line of the log. */
static enum tdxabi_status run_command(const char *const *argv, const char *log, const char *what,
				      struct diagnostic *diagnostic)
{
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&actions, 1, 2);
	pid_t child;
	int error = posix_spawnp(&child, argv[0], &actions, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (error != 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s: cannot run %s: %s", what,
				       argv[0], strerror(error));
	int status = 0;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return TDXABI_OK;
	char *output = NULL;
	size_t size = 0;
	char first[256] = "no output";
	if (read_whole(log, &output, &size)) {
		char *line = strstr(output, "rror:"); /* gcc's "error:", gas's "Error:" */
		if (!line)
			line = output;
		while (line > output && line[-1] != '\n')
			line--;
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(line, "\n"), line);
		free(output);
	}
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s failed: %s (log: %s)", what, first,
			       log);
}

static uint64_t tree_key(const struct kernel_tree *tree, const struct shim_file *shims,
			 size_t shim_count)
{
	static const char *const files[] = {
		KERNEL_TDXCALL, KERNEL_TDCALL, KERNEL_SEAMCALL, KERNEL_TDX_SHARED_C,
		KERNEL_ASM_OFFSETS, KERNEL_TDX_HEADER, KERNEL_SHARED_TDX_HEADER,
	};
	uint64_t key = content_key_add(CONTENT_KEY_START, BUILDER_VERSION, sizeof(BUILDER_VERSION));
	for (size_t index = 0; index < sizeof(files) / sizeof(files[0]); index++) {
		char *text = NULL;
		size_t size = 0;
		key = content_key_add(key, files[index], strlen(files[index]) + 1);
		if (kernel_tree_read(tree, files[index], &text, &size, NULL) == TDXABI_OK) {
			key = content_key_add(key, text, size);
			free(text);
		}
	}
	for (size_t index = 0; index < shim_count; index++) {
		key = content_key_add(key, shims[index].path, strlen(shims[index].path) + 1);
		key = content_key_add(key, shims[index].bytes, shims[index].size);
	}
	return key;
}

/* "struct NAME {" ... "};" in text: [start, end) of the whole definition. */
static bool find_struct(const char *text, const char *struct_name, const char **start,
			const char **end)
{
	char opening[KERNEL_NAME_SIZE + 16];
	snprintf(opening, sizeof(opening), "struct %s {", struct_name);
	const char *found = strstr(text, opening);
	if (!found)
		return false;
	const char *close = strstr(found, "\n};");
	if (!close)
		return false;
	*start = found;
	*end = close + 3;
	return true;
}

static bool is_identifier_character(char character)
{
	return character == '_' || (character >= '0' && character <= '9') ||
	       (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z');
}

/* The last identifier of a declarator ("u64 *r10" -> "r10"), as [begin, end). */
static bool last_identifier(const char *text, size_t length, size_t *begin, size_t *end)
{
	while (length > 0 && !is_identifier_character(text[length - 1]))
		length--;
	size_t start = length;
	while (start > 0 && is_identifier_character(text[start - 1]))
		start--;
	*begin = start;
	*end = length;
	return length > start;
}

bool kernel_struct_members(const char *header, const char *struct_name,
			   struct struct_layout *layout)
{
	const char *start, *end;
	memset(layout, 0, sizeof(*layout));
	if (!header || !find_struct(header, struct_name, &start, &end) ||
	    strlen(struct_name) >= sizeof(layout->name))
		return false;
	snprintf(layout->name, sizeof(layout->name), "%s", struct_name);
	/* declarations end in ';', declarators are separated by ',' and share
	 * the type before the first one ("u64 r10, r11;"); comments are skipped */
	char declaration[512];
	size_t used = 0;
	for (const char *cursor = strchr(start, '{') + 1; cursor < end - 2; cursor++) {
		if (cursor[0] == '/' && cursor[1] == '*') {
			const char *close = strstr(cursor + 2, "*/");
			cursor = close ? close + 1 : end;
			continue;
		}
		if (*cursor != ';' && *cursor != ',') {
			if (used + 1 < sizeof(declaration))
				declaration[used++] = *cursor;
			continue;
		}
		size_t begin, finish;
		if (last_identifier(declaration, used, &begin, &finish) && finish - begin < KERNEL_NAME_SIZE &&
		    layout->member_count < KERNEL_MAX_MEMBERS) {
			struct struct_member *member = &layout->members[layout->member_count++];
			memcpy(member->name, declaration + begin, finish - begin);
			member->name[finish - begin] = '\0';
		}
		used = *cursor == ',' ? begin : 0; /* after ',' the type carries over */
	}
	return layout->member_count > 0;
}

struct offsets_source {
	char *text;
	size_t used, capacity;
};

static bool append(struct offsets_source *source, const char *text, size_t length)
{
	if (source->used + length + 1 > source->capacity) {
		size_t capacity = (source->used + length + 1) * 2;
		char *grown = realloc(source->text, capacity);
		if (!grown)
			return false;
		source->text = grown;
		source->capacity = capacity;
	}
	memcpy(source->text + source->used, text, length);
	source->used += length;
	source->text[source->used] = '\0';
	return true;
}

static bool append_text(struct offsets_source *source, const char *text)
{
	return append(source, text, strlen(text));
}

/* Writes offsets.c: the tree's TDX structs and its OFFSET(TDX_...) lines from
 * asm-offsets.c, plus the size and every member offset of each struct, in
 * kbuild's DEFINE/OFFSET form (include/linux/kbuild.h). */
static enum tdxabi_status write_offsets_source(const struct kernel_tree *tree,
					       struct kernel_build *build, const char *path,
					       struct diagnostic *diagnostic)
{
	char *offsets = NULL, *headers[2] = {NULL, NULL};
	size_t size;
	enum tdxabi_status status = kernel_tree_read(tree, KERNEL_ASM_OFFSETS, &offsets, &size, diagnostic);
	if (status == TDXABI_OK)
		status = kernel_tree_read(tree, KERNEL_TDX_HEADER, &headers[0], &size, diagnostic);
	if (status == TDXABI_OK)
		status = kernel_tree_read(tree, KERNEL_SHARED_TDX_HEADER, &headers[1], &size, diagnostic);
	struct offsets_source source = {NULL, 0, 0};
	bool ok = status == TDXABI_OK &&
		  append_text(&source, "/* generated by tdxabi from the tree's own definitions */\n"
				       "#include <linux/types.h>\n"
				       "#define DEFINE(sym, val) asm volatile(\"\\n.ascii \\\"->\" #sym \" %0 \" #val "
				       "\"\\\"\" : : \"i\" (val))\n"
				       "#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(struct str, mem))\n");
	char lines[4096] = "";
	size_t lines_used = 0;
	for (const char *line = offsets; ok && line;) {
		const char *newline = strchr(line, '\n');
		size_t length = newline ? (size_t)(newline - line) : strlen(line);
		const char *offset = strstr(line, "OFFSET(TDX_");
		if (offset && offset < line + length) {
			char struct_name[KERNEL_NAME_SIZE];
			if (sscanf(offset, "OFFSET(%*[^,], %63[A-Za-z0-9_]", struct_name) == 1 &&
			    !kernel_build_layout(build, struct_name) &&
			    build->layout_count < KERNEL_MAX_LAYOUTS) {
				struct struct_layout *layout = &build->layouts[build->layout_count];
				const char *start = NULL, *end = NULL;
				for (int header = 0; header < 2 && !start; header++)
					if (kernel_struct_members(headers[header], struct_name, layout))
						find_struct(headers[header], struct_name, &start, &end);
				if (!start) {
					status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
								 "%s/%s: names struct %s, which neither %s nor %s defines",
								 tree->root, KERNEL_ASM_OFFSETS, struct_name,
								 KERNEL_TDX_HEADER, KERNEL_SHARED_TDX_HEADER);
					ok = false;
					break;
				}
				build->layout_count++;
				ok = append(&source, start, (size_t)(end - start)) && append_text(&source, "\n");
			}
			int written = snprintf(lines + lines_used, sizeof(lines) - lines_used, "\t%.*s\n",
					       (int)(length - (size_t)(offset - line)), offset);
			if (written > 0 && (size_t)written < sizeof(lines) - lines_used)
				lines_used += (size_t)written;
		}
		line = newline ? newline + 1 : NULL;
	}
	if (ok && build->layout_count == 0) {
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "%s/%s has no OFFSET(TDX_...) lines",
					 tree->root, KERNEL_ASM_OFFSETS);
		ok = false;
	}
	ok = ok && append_text(&source, "void tdxabi_offsets(void);\nvoid tdxabi_offsets(void)\n{\n") &&
	     append_text(&source, lines);
	for (size_t index = 0; ok && index < build->layout_count; index++) {
		const struct struct_layout *layout = &build->layouts[index];
		char line[256];
		snprintf(line, sizeof(line), "\tDEFINE(TDXABI_SIZE__%s, sizeof(struct %s));\n", layout->name,
			 layout->name);
		ok = append_text(&source, line);
		for (size_t member = 0; ok && member < layout->member_count; member++) {
			snprintf(line, sizeof(line), "\tOFFSET(TDXABI_MEMBER__%s__%s, %s, %s);\n", layout->name,
				 layout->members[member].name, layout->name, layout->members[member].name);
			ok = append_text(&source, line);
		}
	}
	ok = ok && append_text(&source, "}\n");
	if (status == TDXABI_OK)
		status = ok ? write_file(path, source.text, source.used, diagnostic)
			    : diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	free(source.text);
	free(offsets);
	free(headers[0]);
	free(headers[1]);
	return status;
}

/* Reads the "->NAME $VALUE" markers of the compiled offsets: TDX_* become
 * asm-offsets.h, TDXABI_* fill the struct layouts. */
static enum tdxabi_status read_offsets(struct kernel_build *build, const char *assembly_path,
				       const char *header_path, struct diagnostic *diagnostic)
{
	char *assembly;
	size_t size;
	if (!read_whole(assembly_path, &assembly, &size))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "cannot read %s", assembly_path);
	struct offsets_source header = {NULL, 0, 0};
	bool ok = append_text(&header, "/* generated by tdxabi: the tree's TDX asm-offsets */\n");
	for (const char *marker = strstr(assembly, "->"); ok && marker; marker = strstr(marker + 2, "->")) {
		char name[160];
		unsigned long long value;
		if (sscanf(marker, "->%159s $%llu", name, &value) != 2 &&
		    sscanf(marker, "->%159s %llu", name, &value) != 2)
			continue;
		if (strncmp(name, "TDXABI_SIZE__", 13) == 0) {
			for (size_t index = 0; index < build->layout_count; index++)
				if (strcmp(build->layouts[index].name, name + 13) == 0)
					build->layouts[index].size = value;
		} else if (strncmp(name, "TDXABI_MEMBER__", 15) == 0) {
			char *separator = strstr(name + 15, "__");
			for (size_t index = 0; separator && index < build->layout_count; index++) {
				struct struct_layout *layout = &build->layouts[index];
				if (strlen(layout->name) != (size_t)(separator - (name + 15)) ||
				    strncmp(layout->name, name + 15, strlen(layout->name)) != 0)
					continue;
				for (size_t member = 0; member < layout->member_count; member++)
					if (strcmp(layout->members[member].name, separator + 2) == 0)
						layout->members[member].offset = value;
			}
		} else {
			char line[200];
			snprintf(line, sizeof(line), "#define %s %llu\n", name, value);
			ok = append_text(&header, line);
		}
	}
	free(assembly);
	enum tdxabi_status status = ok ? write_file(header_path, header.text, header.used, diagnostic)
				       : diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	free(header.text);
	return status;
}

/* The body of `noinstr u64 __tdx_hypercall(...) { ... }` in tdx-shared.c
 * (6.7+), or false when the tree has no C __tdx_hypercall. */
static bool extract_hypercall_function(const char *text, char **function)
{
	for (const char *found = strstr(text, "__tdx_hypercall("); found;
	     found = strstr(found + 1, "__tdx_hypercall(")) {
		const char *line = found;
		while (line > text && line[-1] != '\n')
			line--;
		const char *open = strpbrk(found, ";{");
		if (!open || *open != '{' || strncmp(line, "static", 6) == 0)
			continue;
		int depth = 0;
		const char *cursor = open;
		for (; *cursor; cursor++) {
			depth += *cursor == '{';
			depth -= *cursor == '}';
			if (depth == 0)
				break;
		}
		if (!*cursor)
			return false;
		size_t length = (size_t)(cursor + 1 - line);
		if (!(*function = malloc(length + 2)))
			return false;
		memcpy(*function, line, length);
		memcpy(*function + length, "\n", 2);
		return true;
	}
	return false;
}

struct build_paths {
	char shims[KERNEL_PATH_SIZE];
	char headers[KERNEL_PATH_SIZE];
	char generated[KERNEL_PATH_SIZE];
	char objects[KERNEL_PATH_SIZE];
};

static enum tdxabi_status copy_tree_headers(const struct kernel_tree *tree,
					    const struct build_paths *paths,
					    struct diagnostic *diagnostic)
{
	static const char *const headers[][2] = {
		{KERNEL_TDX_HEADER, "asm/tdx.h"},
		{KERNEL_SHARED_TDX_HEADER, "asm/shared/tdx.h"},
		{"arch/x86/include/asm/shared/tdx_errno.h", "asm/shared/tdx_errno.h"},
	};
	for (size_t index = 0; index < sizeof(headers) / sizeof(headers[0]); index++) {
		if (index == 2 && !kernel_tree_has(tree, headers[index][0]))
			continue;
		char *text;
		size_t size;
		enum tdxabi_status status = kernel_tree_read(tree, headers[index][0], &text, &size, diagnostic);
		if (status != TDXABI_OK)
			return status;
		char path[KERNEL_PATH_SIZE + 64];
		snprintf(path, sizeof(path), "%s/%s", paths->headers, headers[index][1]);
		status = write_file(path, text, size, diagnostic);
		free(text);
		if (status != TDXABI_OK)
			return status;
	}
	return TDXABI_OK;
}

static enum tdxabi_status build_offsets(const struct kernel_tree *tree, struct kernel_build *build,
					const struct build_paths *paths,
					struct diagnostic *diagnostic)
{
	char source[KERNEL_PATH_SIZE + 32], assembly[KERNEL_PATH_SIZE + 32], log[KERNEL_PATH_SIZE + 32],
		header[KERNEL_PATH_SIZE + 32];
	snprintf(source, sizeof(source), "%s/offsets.c", build->directory);
	snprintf(assembly, sizeof(assembly), "%s/offsets.s", build->directory);
	snprintf(log, sizeof(log), "%s/offsets.log", build->directory);
	snprintf(header, sizeof(header), "%s/asm/asm-offsets.h", paths->generated);
	enum tdxabi_status status = write_offsets_source(tree, build, source, diagnostic);
	if (status == TDXABI_OK && !build->reused) {
		const char *argv[] = {"gcc", "-S", "-O2", "-nostdinc", "-I", paths->shims, "-o", assembly,
				      source, NULL};
		status = run_command(argv, log, "compiling the tree's TDX structs (asm-offsets)", diagnostic);
	}
	if (status == TDXABI_OK)
		status = read_offsets(build, assembly, header, diagnostic);
	return status;
}

static enum tdxabi_status assemble(const struct kernel_tree *tree, const struct build_paths *paths,
				   const char *source, size_t variant, const char *output,
				   struct diagnostic *diagnostic)
{
	char input[KERNEL_PATH_SIZE + 64], log[KERNEL_PATH_SIZE + 16], what[256], name[KERNEL_NAME_SIZE];
	snprintf(input, sizeof(input), "%s/%s", tree->root, source);
	snprintf(log, sizeof(log), "%s.log", output);
	variant_name(variant, name, sizeof(name));
	snprintf(what, sizeof(what), "assembling %s (%s)", source, name);
	const char *argv[MAX_ARGUMENTS] = {"gcc", "-c", "-D__ASSEMBLY__"};
	size_t count = 3;
	variant_flags(variant, false, argv, &count);
	const char *tail[] = {"-nostdinc", "-I", paths->generated, "-I", paths->shims, "-I",
			      paths->headers, "-o", output, input, NULL};
	memcpy(argv + count, tail, sizeof(tail));
	return run_command(argv, log, what, diagnostic);
}

/* The C __tdx_hypercall for one variant, linked with the asm into `output`. */
static enum tdxabi_status link_hypercall(const struct build_paths *paths, size_t variant,
					 const char *hypercall_source, const char *assembled,
					 const char *output, struct diagnostic *diagnostic)
{
	char object[KERNEL_PATH_SIZE + 32], log[KERNEL_PATH_SIZE + 32], what[256], name[KERNEL_NAME_SIZE];
	snprintf(object, sizeof(object), "%s.hypercall.o", output);
	snprintf(log, sizeof(log), "%s.hypercall.log", output);
	variant_name(variant, name, sizeof(name));
	snprintf(what, sizeof(what), "compiling __tdx_hypercall of %s (%s)", KERNEL_TDX_SHARED_C, name);
	const char *argv[MAX_ARGUMENTS] = {"gcc", "-c", "-O2", "-nostdinc", "-ffreestanding",
					   "-fno-pic", "-mcmodel=kernel", "-mno-red-zone",
					   "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
					   "-mno-sse", "-mno-mmx", "-mno-sse2", "-mno-avx"};
	size_t count = 14;
	variant_flags(variant, true, argv, &count);
	const char *tail[] = {"-I", paths->shims, "-I", paths->headers, "-o", object,
			      hypercall_source, NULL};
	memcpy(argv + count, tail, sizeof(tail));
	enum tdxabi_status status = run_command(argv, log, what, diagnostic);
	if (status != TDXABI_OK)
		return status;
	const char *link[] = {"ld", "-r", "-o", output, assembled, object, NULL};
	snprintf(what, sizeof(what), "linking __tdx_hypercall with %s (%s)", KERNEL_TDCALL, name);
	return run_command(link, log, what, diagnostic);
}

/* Keeps one object per distinct content; identical variants are named on it. */
static enum tdxabi_status keep_distinct(struct kernel_build *build, const char *source,
					size_t variant, const char *path,
					struct diagnostic *diagnostic)
{
	char *bytes, *other;
	size_t size, other_size;
	char name[KERNEL_NAME_SIZE];
	variant_name(variant, name, sizeof(name));
	if (!read_whole(path, &bytes, &size))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "cannot read %s", path);
	for (size_t index = 0; index < build->object_count; index++) {
		struct built_object *object = &build->objects[index];
		if (strcmp(object->source, source) != 0 || !read_whole(object->path, &other, &other_size))
			continue;
		bool same = other_size == size && memcmp(other, bytes, size) == 0;
		free(other);
		if (!same)
			continue;
		size_t used = strlen(object->same_bytes_as);
		snprintf(object->same_bytes_as + used, sizeof(object->same_bytes_as) - used, "%s%s",
			 used ? ", " : "", name);
		free(bytes);
		return TDXABI_OK;
	}
	free(bytes);
	if (build->object_count == KERNEL_MAX_OBJECTS)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT, "too many distinct build variants");
	struct built_object *object = &build->objects[build->object_count++];
	memset(object, 0, sizeof(*object));
	snprintf(object->source, sizeof(object->source), "%s", source);
	snprintf(object->variant, sizeof(object->variant), "%s", name);
	snprintf(object->path, sizeof(object->path), "%s", path);
	return TDXABI_OK;
}

static enum tdxabi_status build_source(const struct kernel_tree *tree, struct kernel_build *build,
				       const struct build_paths *paths, const char *source,
				       const char *stem, const char *hypercall_source,
				       struct diagnostic *diagnostic)
{
	for (size_t variant = 0; variant < VARIANT_COUNT; variant++) {
		char output[KERNEL_PATH_SIZE + 64], assembled[KERNEL_PATH_SIZE + 64];
		snprintf(output, sizeof(output), "%s/%s-%zu.o", paths->objects, stem, variant);
		snprintf(assembled, sizeof(assembled), "%s/%s-%zu.asm.o", paths->objects, stem, variant);
		enum tdxabi_status status = TDXABI_OK;
		if (!build->reused) {
			status = assemble(tree, paths, source, variant,
					  hypercall_source ? assembled : output, diagnostic);
			if (status == TDXABI_OK && hypercall_source)
				status = link_hypercall(paths, variant, hypercall_source, assembled,
							output, diagnostic);
		}
		if (status == TDXABI_OK)
			status = keep_distinct(build, source, variant, output, diagnostic);
		if (status != TDXABI_OK)
			return status;
	}
	return TDXABI_OK;
}

static enum tdxabi_status prepare(const struct kernel_tree *tree, const struct shim_file *shims,
				  size_t shim_count, struct kernel_build *build,
				  const struct build_paths *paths, char **hypercall_source,
				  struct diagnostic *diagnostic)
{
	enum tdxabi_status status = make_directories(paths->objects, diagnostic);
	for (size_t index = 0; index < shim_count && status == TDXABI_OK && !build->reused; index++) {
		char path[KERNEL_PATH_SIZE + 256];
		snprintf(path, sizeof(path), "%s/%s", paths->shims, shims[index].path);
		status = write_file(path, shims[index].bytes, shims[index].size, diagnostic);
	}
	if (status == TDXABI_OK && !build->reused)
		status = copy_tree_headers(tree, paths, diagnostic);
	if (status == TDXABI_OK)
		status = build_offsets(tree, build, paths, diagnostic);
	char *shared = NULL, *function = NULL;
	size_t size;
	if (status == TDXABI_OK && tree->has_tdx_shared_c &&
	    kernel_tree_read(tree, KERNEL_TDX_SHARED_C, &shared, &size, diagnostic) == TDXABI_OK &&
	    extract_hypercall_function(shared, &function)) {
		build->has_hypercall_c = true;
		char path[KERNEL_PATH_SIZE + 32];
		snprintf(path, sizeof(path), "%s/hypercall.c", build->directory);
		char *source = malloc(strlen(function) + 128);
		if (!source) {
			status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
		} else {
			sprintf(source, "/* __tdx_hypercall of %s */\n#include <asm/shared/tdx.h>\n\n%s",
				KERNEL_TDX_SHARED_C, function);
			status = write_file(path, source, strlen(source), diagnostic);
			free(source);
		}
		if (status == TDXABI_OK && !(*hypercall_source = strdup(path)))
			status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	free(shared);
	free(function);
	return status;
}

enum tdxabi_status kernel_build_run(const struct kernel_tree *tree, const struct shim_file *shims,
				    size_t shim_count, const char *cache_root,
				    struct kernel_build *build, struct diagnostic *diagnostic)
{
	memset(build, 0, sizeof(*build));
	build->variant_count = VARIANT_COUNT;
	snprintf(build->directory, sizeof(build->directory), "%s/linux-%s-%016llx", cache_root,
		 tree->version, (unsigned long long)tree_key(tree, shims, shim_count));
	struct build_paths paths;
	snprintf(paths.shims, sizeof(paths.shims), "%s/shims", build->directory);
	snprintf(paths.headers, sizeof(paths.headers), "%s/headers", build->directory);
	snprintf(paths.generated, sizeof(paths.generated), "%s/generated", build->directory);
	snprintf(paths.objects, sizeof(paths.objects), "%s/objects", build->directory);
	char marker[KERNEL_PATH_SIZE + 16];
	snprintf(marker, sizeof(marker), "%s/complete", build->directory);
	build->reused = access(marker, F_OK) == 0;

	char *hypercall_source = NULL;
	enum tdxabi_status status =
		prepare(tree, shims, shim_count, build, &paths, &hypercall_source, diagnostic);
	if (status == TDXABI_OK && tree->has_tdcall)
		status = build_source(tree, build, &paths, KERNEL_TDCALL, "tdcall", hypercall_source,
				      diagnostic);
	if (status == TDXABI_OK && tree->has_seamcall)
		status = build_source(tree, build, &paths, KERNEL_SEAMCALL, "seamcall", NULL, diagnostic);
	if (status == TDXABI_OK && !build->reused)
		status = write_file(marker, tree->version, strlen(tree->version), diagnostic);
	free(hypercall_source);
	return status;
}

static bool config_enabled(const char *config, const char *option)
{
	char line[128];
	snprintf(line, sizeof(line), "\n%s=y", option);
	return strstr(config, line) != NULL;
}

bool kernel_build_configured_variant(const struct kernel_tree *tree, char *variant, size_t size,
				     char *settings, size_t settings_size)
{
	char *config;
	size_t length;
	if (!kernel_tree_has(tree, ".config") ||
	    kernel_tree_read(tree, ".config", &config, &length, NULL) != TDXABI_OK)
		return false;
	bool frame_pointer = config_enabled(config, "CONFIG_FRAME_POINTER");
	bool rethunk = config_enabled(config, "CONFIG_MITIGATION_RETHUNK") ||
		       config_enabled(config, "CONFIG_RETHUNK");
	bool sls = config_enabled(config, "CONFIG_MITIGATION_SLS") || config_enabled(config, "CONFIG_SLS");
	bool ibt = config_enabled(config, "CONFIG_X86_KERNEL_IBT");
	free(config);
	/* asm/linkage.h: a return thunk wins over ret; int3 */
	enum return_flavour flavour = rethunk ? RETURN_THUNK : sls ? RETURN_SLS : RETURN_PLAIN;
	size_t index = (frame_pointer ? 0 : RETURN_FLAVOURS * 2) + (size_t)flavour * 2 + (ibt ? 1 : 0);
	variant_name(index, variant, size);
	snprintf(settings, settings_size,
		 "FRAME_POINTER %s, RETHUNK %s, SLS %s, X86_KERNEL_IBT %s", frame_pointer ? "y" : "n",
		 rethunk ? "y" : "n", sls ? "y" : "n", ibt ? "y" : "n");
	return true;
}

const struct struct_layout *kernel_build_layout(const struct kernel_build *build,
						const char *struct_name)
{
	for (size_t index = 0; index < build->layout_count; index++)
		if (strcmp(build->layouts[index].name, struct_name) == 0)
			return &build->layouts[index];
	return NULL;
}
