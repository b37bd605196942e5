/* test_linux_detect.c - the parsing behind --linux that needs no kernel tree:
 * prototypes, structs, offsets.c, functions cut out of C, refused files,
 * includes and gas directives a build cannot keep to its inputs, the command
 * time limit, and code compared outside relocated fields. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build_command.h"
#include "kernel_build.h"
#include "kernel_inputs.h"
#include "kernel_offsets.h"
#include "kernel_tree.h"
#include "linux_detect.h"
#include "source_text.h"
#include "test_support.h"

static void expect_signature(const char *text, const char *function, const char *expected)
{
	char signature[256];
	if (!linux_prototype_signature(text, function, signature, sizeof(signature)))
		fail_msg("no declaration of %s in \"%s\"", function, text);
	assert_string_equal(signature, expected);
}

static void test_prototype_signatures(void **state)
{
	(void)state;
	expect_signature("u64 __tdcall_ret(u64 fn, struct tdx_module_args *args);", "__tdcall_ret",
			 "u64(u64,struct tdx_module_args*)");
	expect_signature("/* x */\nu64 __tdx_hypercall(struct tdx_hypercall_args *args, unsigned long flags);",
			 "__tdx_hypercall", "u64(struct tdx_hypercall_args*,unsigned long)");
	expect_signature("noinstr u64 __tdx_hypercall(struct tdx_module_args *args)\n{\n\treturn 0;\n}",
			 "__tdx_hypercall", "u64(struct tdx_module_args*)");
	expect_signature("void __noreturn __tdx_hypercall_failed(void);", "__tdx_hypercall_failed",
			 "void()");
	expect_signature("u64 __tdx_module_call(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,\n\t\t"
			 "      struct tdx_module_output *out);",
			 "__tdx_module_call", "u64(u64,u64,u64,u64,u64,struct tdx_module_output*)");
	/* the binding files' own prototypes */
	expect_signature("u64 __tdcall_saved_ret(u64 fn, struct tdx_module_args *args)",
			 "__tdcall_saved_ret", "u64(u64,struct tdx_module_args*)");
	char signature[256];
	assert_false(linux_prototype_signature("\treturn __tdx_hypercall(&args) + 1;\n", "__tdx_hypercall",
					       signature, sizeof(signature)));
	assert_false(linux_prototype_signature("u64 __tdcall_ret_other(u64 fn);", "__tdcall_ret",
					       signature, sizeof(signature)));
}

static void test_struct_members(void **state)
{
	(void)state;
	const char header[] = "struct other { u64 x; };\n"
			      "struct tdx_module_args {\n\t/* callee-clobbered */\n\tu64 rcx;\n"
			      "\tu64 r10, r11;\n\t/* done */\n};\n";
	struct struct_layout layout;
	assert_true(kernel_struct_members(header, "tdx_module_args", &layout));
	assert_int_equal(layout.member_count, 3);
	assert_string_equal(layout.members[0].name, "rcx");
	assert_string_equal(layout.members[1].name, "r10");
	assert_string_equal(layout.members[2].name, "r11");
	assert_false(kernel_struct_members(header, "tdx_missing", &layout));
	assert_false(kernel_struct_members(NULL, "tdx_module_args", &layout));
	/* // comments are not members, even with a ';' or ',' in them */
	const char commented[] = "struct tdx_module_args {\n\tu64 rcx; // was: u64 old;\n"
				 "\t// u64 bogus, more;\n\tu64 rdx; /* u64 nor; */\n};\n";
	assert_true(kernel_struct_members(commented, "tdx_module_args", &layout));
	assert_int_equal(layout.member_count, 2);
	assert_string_equal(layout.members[0].name, "rcx");
	assert_string_equal(layout.members[1].name, "rdx");
}

/* More members than tdxabi follows are refused, not silently dropped. */
static void test_too_many_struct_members(void **state)
{
	(void)state;
	char header[8192] = "struct tdx_module_args {\n";
	size_t used = strlen(header);
	for (int member = 0; member <= KERNEL_MAX_MEMBERS; member++)
		used += (size_t)snprintf(header + used, sizeof(header) - used, "\tu64 m%d;\n", member);
	snprintf(header + used, sizeof(header) - used, "};\n");
	struct struct_layout layout;
	assert_false(kernel_struct_members(header, "tdx_module_args", &layout));
	assert_true(layout.too_many_members);
	/* one fewer fits */
	char *last = strstr(header, "\tu64 m64;\n");
	assert_non_null(last);
	memmove(last, last + strlen("\tu64 m64;\n"), strlen(last + strlen("\tu64 m64;\n")) + 1);
	assert_true(kernel_struct_members(header, "tdx_module_args", &layout));
	assert_false(layout.too_many_members);
	assert_int_equal(layout.member_count, KERNEL_MAX_MEMBERS);
}

/* A definition is delimited by its matching brace and the ';' after it:
 * attributes may follow, any whitespace may precede the brace, and a struct
 * defined next is not swallowed. */
static void test_struct_definition_bounds(void **state)
{
	(void)state;
	const char header[] = "struct tdx_module_args;\nvoid f(struct tdx_module_args *args);\n"
			      "struct tdx_module_args\n{\n\tu64 rcx;\n\tstruct { u64 x; } inner;\n"
			      "} __attribute__((aligned(8)));\n"
			      "struct tdx_next {\n\tu64 swallowed;\n};\n";
	struct struct_layout layout;
	assert_true(kernel_struct_members(header, "tdx_module_args", &layout));
	assert_int_equal(layout.member_count, 3);
	assert_string_equal(layout.members[2].name, "inner");
}

static char *offsets_source(const char *asm_offsets, const char *shared_header,
				  struct kernel_build *build, struct diagnostic *diagnostic,
				  enum tdxabi_status *status)
{
	static const char *const paths[3] = {KERNEL_ASM_OFFSETS, KERNEL_TDX_HEADER,
					     KERNEL_SHARED_TDX_HEADER};
	const char *texts[3] = {asm_offsets, "/* asm/tdx.h */\n", shared_header};
	struct kernel_inputs *inputs = calloc(1, sizeof(*inputs));
	for (size_t index = 0; index < 3; index++) {
		struct kernel_input *input = &inputs->files[inputs->count++];
		snprintf(input->path, sizeof(input->path), "%s", paths[index]);
		input->present = true;
		input->declares = index > 0;
		input->text = (char *)texts[index];
		input->size = strlen(texts[index]);
	}
	struct kernel_tree tree = {.root = "/tree"};
	char *source = NULL;
	size_t size = 0;
	memset(build, 0, sizeof(*build));
	*status = kernel_offsets_source(&tree, inputs, build, &source, &size, diagnostic);
	free(inputs); /* the texts are the caller's */
	return source;
}

/* offsets.c: the whole definition (attributes, not the next struct), and
 * OFFSET lines of the longest names that are followed, whole. */
static void test_offsets_source(void **state)
{
	(void)state;
	struct kernel_build *build = calloc(1, sizeof(*build));
	struct diagnostic diagnostic = {""};
	enum tdxabi_status status;
	char *source = offsets_source(
		"\tOFFSET(TDX_MODULE_rcx, tdx_module_args, rcx);\n",
		"struct tdx_module_args {\n\tu64 rcx;\n} __attribute__((aligned(8)));\n"
		"struct tdx_next {\n\tu64 swallowed;\n};\n",
		build, &diagnostic, &status);
	if (status != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	assert_contains(source, "struct tdx_module_args {\n\tu64 rcx;\n} __attribute__((aligned(8)));\n");
	assert_null(strstr(source, "swallowed"));
	free(source);

	char struct_name[64], member[64], offsets[256], header[512], expected[512];
	memset(struct_name, 's', 63);
	memset(member, 'm', 63);
	struct_name[63] = member[63] = '\0';
	snprintf(offsets, sizeof(offsets), "\tOFFSET(TDX_LONG, %s, %s);\n", struct_name, member);
	snprintf(header, sizeof(header), "struct %s {\n\tu64 %s;\n};\n", struct_name, member);
	source = offsets_source(offsets, header, build, &diagnostic, &status);
	if (status != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	snprintf(expected, sizeof(expected), "\tOFFSET(TDXABI_MEMBER__%s__%s, %s, %s);\n", struct_name,
		 member, struct_name, member);
	assert_contains(source, expected);
	free(source);
	free(build);
}

/* Names longer than tdxabi follows are errors, not dropped or cut short. */
static void test_offsets_names_too_long(void **state)
{
	(void)state;
	struct kernel_build *build = calloc(1, sizeof(*build));
	struct diagnostic diagnostic = {""};
	enum tdxabi_status status;
	char name[80], offsets[256], header[512];
	memset(name, 'n', 64);
	name[64] = '\0';
	snprintf(header, sizeof(header), "struct tdx_module_args {\n\tu64 rcx;\n\tu64 %s;\n};\n", name);
	struct struct_layout layout;
	assert_false(kernel_struct_members(header, "tdx_module_args", &layout));
	assert_true(layout.member_name_too_long);
	char *source = offsets_source("\tOFFSET(TDX_MODULE_rcx, tdx_module_args, rcx);\n", header,
					      build, &diagnostic, &status);
	assert_null(source);
	assert_int_equal(status, TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "struct tdx_module_args has a member name of 64 characters");

	snprintf(offsets, sizeof(offsets), "\tOFFSET(TDX_LONG, %s, rcx);\n", name);
	snprintf(header, sizeof(header), "struct %s {\n\tu64 rcx;\n};\n", name);
	source = offsets_source(offsets, header, build, &diagnostic, &status);
	assert_null(source);
	assert_int_equal(status, TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "a struct name of 64 characters or more");
	free(build);
}

static void expect_function(const char *text, const char *expected)
{
	char *function = NULL;
	struct diagnostic diagnostic = {""};
	assert_int_equal(source_text_function(text, strlen(text), "__tdx_hypercall", "x.c", &function,
					      &diagnostic),
			 TDXABI_OK);
	if (!expected) {
		assert_null(function);
		return;
	}
	assert_non_null(function);
	assert_string_equal(function, expected);
	free(function);
}

/* Braces in comments and literals do not count; calls and declarations are
 * not definitions; a definition that does not end is an error. */
static void test_function_extraction(void **state)
{
	(void)state;
	const char body[] = "noinstr u64 __tdx_hypercall(struct tdx_module_args *args)\n{\n"
			    "\t/* { */ // }\n\tchar c = '{'; const char *s = \"}\\\"{\";\n"
			    "\treturn args->r10;\n}";
	char text[1024];
	snprintf(text, sizeof(text),
		 "u64 __tdx_hypercall(struct tdx_module_args *args);\n"
		 "static void caller(void)\n{\n\tif (__tdx_hypercall(&a)) {\n\t\tx();\n\t}\n}\n"
		 "/* __tdx_hypercall(x) { */\n%s\nint after(void) { return 0; }\n",
		 body);
	char expected[1024];
	snprintf(expected, sizeof(expected), "%s\n", body);
	expect_function(text, expected);
	/* only calls and a declaration: no C __tdx_hypercall */
	expect_function("u64 __tdx_hypercall(u64 a);\nvoid f(void)\n{\n\t__tdx_hypercall(1);\n}\n", NULL);
	/* a definition whose body does not end */
	char *function = NULL;
	struct diagnostic diagnostic = {""};
	const char broken[] = "u64 __tdx_hypercall(struct tdx_module_args *args)\n{\n\treturn 0;\n";
	assert_int_equal(source_text_function(broken, strlen(broken), "__tdx_hypercall", "x.c",
					      &function, &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_null(function);
	assert_contains(diagnostic.text, "x.c: cannot cut out the definition of __tdx_hypercall");
	/* two definitions (an #if 0 copy before the real one): refused, not guessed */
	const char twice[] = "#if 0\nu64 __tdx_hypercall(struct tdx_module_args *args)\n{\n\treturn 1;\n}\n"
			     "#endif\nu64 __tdx_hypercall(struct tdx_module_args *args)\n{\n\treturn 0;\n}\n";
	assert_int_equal(source_text_function(twice, strlen(twice), "__tdx_hypercall", "x.c",
					      &function, &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "__tdx_hypercall: it is defined twice");
	assert_null(function);
}

/* A tree file over the limit is refused, reading at most one byte more. */
static void test_tree_file_limit(void **state)
{
	(void)state;
	char root[] = "/tmp/tdxabi-tree-XXXXXX";
	assert_non_null(mkdtemp(root));
	char path[256];
	snprintf(path, sizeof(path), "%s/big.h", root);
	char *text = malloc(KERNEL_TREE_FILE_LIMIT + 1);
	assert_non_null(text);
	memset(text, ' ', KERNEL_TREE_FILE_LIMIT + 1);
	FILE *file = fopen(path, "w");
	assert_non_null(file);
	assert_int_equal(fwrite(text, 1, KERNEL_TREE_FILE_LIMIT + 1, file), KERNEL_TREE_FILE_LIMIT + 1);
	fclose(file);
	free(text);
	struct kernel_tree tree = {.root = root};
	size_t size = 0;
	struct diagnostic diagnostic = {""};
	assert_int_equal(kernel_tree_read(&tree, "big.h", &text, &size, &diagnostic), TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "big.h: larger than 8 MiB");
	assert_int_equal(truncate(path, KERNEL_TREE_FILE_LIMIT), 0);
	assert_int_equal(kernel_tree_read(&tree, "big.h", &text, &size, &diagnostic), TDXABI_OK);
	assert_int_equal(size, KERNEL_TREE_FILE_LIMIT);
	free(text);
	unlink(path);
	rmdir(root);
}

static void write_file(const char *root, const char *relative, const char *text, size_t size)
{
	char path[1024], command[1200];
	snprintf(path, sizeof(path), "%s/%s", root, relative);
	snprintf(command, sizeof(command), "mkdir -p \"$(dirname '%s')\"", path);
	assert_int_equal(system(command), 0);
	FILE *file = fopen(path, "wb");
	assert_non_null(file);
	assert_int_equal(fwrite(text, 1, size, file), size);
	fclose(file);
}

static void write_text(const char *root, const char *relative, const char *text)
{
	write_file(root, relative, text, strlen(text));
}

static void remove_tree(const char *root)
{
	char command[600];
	snprintf(command, sizeof(command), "rm -rf '%s'", root);
	assert_int_equal(system(command), 0);
}

/* A NUL byte in a tree file would end every strstr/strchr scan early: the
 * file is refused as binary, not read as the text before it. */
static void test_binary_tree_file_is_refused(void **state)
{
	(void)state;
	char root[] = "/tmp/tdxabi-tree-XXXXXX";
	assert_non_null(mkdtemp(root));
	static const char text[] = "u64 rcx;\0\n.incbin \"/etc/passwd\"\n";
	write_file(root, "nul.S", text, sizeof(text) - 1);
	struct kernel_tree tree = {.root = root};
	char *read = NULL;
	size_t size = 0;
	struct diagnostic diagnostic = {""};
	assert_int_equal(kernel_tree_read(&tree, "nul.S", &read, &size, &diagnostic), TDXABI_BAD_INPUT);
	assert_null(read);
	assert_contains(diagnostic.text, "nul.S: binary file");
	remove_tree(root);
}

/* A tree with tdcall.S as given (and a tdxcall.S it includes), collected. */
static enum tdxabi_status collect_with_tdcall(const char *tdcall, struct kernel_inputs *inputs,
					      char *root, struct diagnostic *diagnostic)
{
	write_text(root, "Makefile", "VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n");
	write_text(root, KERNEL_TDXCALL, "/* tdxcall */\n");
	write_text(root, KERNEL_TDCALL, tdcall);
	struct kernel_tree tree;
	assert_int_equal(kernel_tree_open(root, &tree, diagnostic), TDXABI_OK);
	enum tdxabi_status status = kernel_inputs_collect(&tree, inputs, diagnostic);
	kernel_tree_free(&tree);
	return status;
}

static void expect_collected(const char *tdcall, const char *expected)
{
	char root[] = "/tmp/tdxabi-tree-XXXXXX";
	assert_non_null(mkdtemp(root));
	struct kernel_inputs *inputs = calloc(1, sizeof(*inputs));
	struct diagnostic diagnostic = {""};
	enum tdxabi_status status = collect_with_tdcall(tdcall, inputs, root, &diagnostic);
	if (expected && (status != TDXABI_BAD_INPUT || !strstr(diagnostic.text, expected)))
		fail_msg("status %d, \"%s\", expected \"%s\"", status, diagnostic.text, expected);
	if (!expected && status != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	kernel_inputs_free(inputs);
	free(inputs);
	remove_tree(root);
}

/* Every #include and gas directive that would read a file the key does not
 * hash is refused, naming the stub and the include. */
static void test_includes_that_escape_are_refused(void **state)
{
	(void)state;
	expect_collected("#include \"../../virt/vmx/tdx/tdxcall.S\"\n#include <asm/asm.h>\n"
			 "/* .incbin \"x\" #include \"/etc/passwd\" */\n\t.ascii \".include\"\n",
			 NULL);
	expect_collected("#include \"/etc/passwd\"\n",
			 "arch/x86/coco/tdx/tdcall.S: #include \"/etc/passwd\" is an absolute path");
	expect_collected("#include \"../../../../../../../../etc/passwd\"\n",
			 "tdcall.S: #include \"../../../../../../../../etc/passwd\" resolves outside "
			 "the tree");
	expect_collected("  #  include </etc/passwd>\n", "tdcall.S: #include </etc/passwd> is an "
							  "absolute path");
	expect_collected("#include <../../../etc/passwd>\n", "leaves its include directory");
	expect_collected("#define FILE \"/etc/passwd\"\n#include FILE\n",
			 "tdcall.S: #include FILE names a macro");
	expect_collected("#include_next \"/etc/passwd\"\n", "is an absolute path");
	expect_collected("\t.incbin \"/etc/passwd\"\n", "tdcall.S: gas .incbin directive: refused");
	expect_collected("\tnop; .include \"x.s\"\n", "tdcall.S: gas .include directive: refused");
	/* a symlink in the tree that leads out of it */
	char root[] = "/tmp/tdxabi-tree-XXXXXX";
	assert_non_null(mkdtemp(root));
	char link[600];
	write_text(root, "arch/x86/coco/tdx/placeholder", "");
	snprintf(link, sizeof(link), "%s/arch/x86/coco/tdx/outside.h", root);
	assert_int_equal(symlink("/etc/hostname", link), 0);
	struct kernel_inputs *inputs = calloc(1, sizeof(*inputs));
	struct diagnostic diagnostic = {""};
	assert_int_equal(collect_with_tdcall("#include \"outside.h\"\n", inputs, root, &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "tdcall.S: #include \"outside.h\" resolves outside the tree");
	kernel_inputs_free(inputs);
	remove_tree(root);
	/* nor may a TDX header, which the build reads without any #include */
	snprintf(root, sizeof(root), "/tmp/tdxabi-tree-XXXXXX");
	assert_non_null(mkdtemp(root));
	write_text(root, "arch/x86/include/asm/placeholder", "");
	snprintf(link, sizeof(link), "%s/arch/x86/include/asm/tdx_outside.h", root);
	assert_int_equal(symlink("/etc/hostname", link), 0);
	assert_int_equal(collect_with_tdcall("/* tdcall */\n", inputs, root, &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "arch/x86/include/asm/tdx_outside.h: a symlink out of the tree");
	kernel_inputs_free(inputs);
	free(inputs);
	remove_tree(root);
}

/* Every header of the TDX directories is read and searched, in name order
 * after asm/tdx.h and asm/shared/tdx.h; those of arch/x86/include are copied
 * at their include paths, the others are not, and other headers are not read. */
static void test_tdx_headers_are_collected(void **state)
{
	(void)state;
	char root[] = "/tmp/tdxabi-tree-XXXXXX";
	assert_non_null(mkdtemp(root));
	write_text(root, KERNEL_TDX_HEADER, "/* tdx.h */\n");
	write_text(root, "arch/x86/include/asm/tdx_b.h", "/* b */\n");
	write_text(root, "arch/x86/include/asm/tdx_a.h", "/* a */\n");
	write_text(root, "arch/x86/include/asm/other.h", "/* not TDX */\n");
	write_text(root, "arch/x86/virt/vmx/tdx/seamcall_internal.h", "/* host */\n");
	/* not headers: an editor's lock (a dangling symlink), an AppleDouble
	 * file, a directory and a FIFO with header names */
	char odd[600];
	write_text(root, "arch/x86/include/asm/shared/._tdx.h", "\x05\x16\x07");
	snprintf(odd, sizeof(odd), "%s/arch/x86/include/asm/shared/.#tdx.h", root);
	assert_int_equal(symlink("user@host.1234", odd), 0);
	write_text(root, "arch/x86/coco/tdx/placeholder", "");
	snprintf(odd, sizeof(odd), "%s/arch/x86/coco/tdx/dir.h", root);
	assert_int_equal(mkdir(odd, 0755), 0);
	snprintf(odd, sizeof(odd), "%s/arch/x86/coco/tdx/fifo.h", root);
	assert_int_equal(mkfifo(odd, 0644), 0);
	struct kernel_inputs *inputs = calloc(1, sizeof(*inputs));
	struct diagnostic diagnostic = {""};
	if (collect_with_tdcall("/* tdcall */\n", inputs, root, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	static const char *const expected[][2] = {
		{KERNEL_TDX_HEADER, "asm/tdx.h"},
		{"arch/x86/include/asm/tdx_a.h", "asm/tdx_a.h"},
		{"arch/x86/include/asm/tdx_b.h", "asm/tdx_b.h"},
		{"arch/x86/virt/vmx/tdx/seamcall_internal.h", ""},
	};
	size_t found = 0;
	for (size_t index = 0; index < inputs->count; index++) {
		const struct kernel_input *input = &inputs->files[index];
		assert_true(strcmp(input->path, "arch/x86/include/asm/other.h") != 0);
		if (!input->declares)
			continue;
		assert_true(found < 4);
		assert_string_equal(input->path, expected[found][0]);
		assert_string_equal(input->copy_as, expected[found][1]);
		found++;
	}
	assert_int_equal(found, 4);
	kernel_inputs_free(inputs);
	free(inputs);
	remove_tree(root);
}

/* Includes are counted once each: 70 of one file do not crowd out the one
 * after them; more distinct ones than the list holds, or nesting deeper than
 * KERNEL_MAX_INCLUDE_DEPTH, are errors, not silently dropped. */
static void test_include_limits(void **state)
{
	(void)state;
	char text[8192] = "", root[] = "/tmp/tdxabi-tree-XXXXXX";
	size_t used = 0;
	for (int index = 0; index < 70; index++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "#include \"same.h\"\n");
	snprintf(text + used, sizeof(text) - used, "#include \"late.h\"\n");
	assert_non_null(mkdtemp(root));
	struct kernel_inputs *inputs = calloc(1, sizeof(*inputs));
	struct diagnostic diagnostic = {""};
	if (collect_with_tdcall(text, inputs, root, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	assert_non_null(kernel_inputs_find(inputs, KERNEL_TDXCALL));
	size_t late = 0;
	for (size_t index = 0; index < inputs->count; index++)
		late += strcmp(inputs->files[index].path, "arch/x86/coco/tdx/late.h") == 0;
	assert_int_equal(late, 1);
	kernel_inputs_free(inputs);
	free(inputs);
	remove_tree(root);

	used = 0;
	for (int index = 0; index <= KERNEL_MAX_INPUTS; index++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "#include \"many-%d.h\"\n", index);
	char expected[64];
	snprintf(expected, sizeof(expected), "tdcall.S: more than %d distinct #include files",
		 KERNEL_MAX_INPUTS);
	expect_collected(text, expected);

	/* tdcall.S -> n1.h -> ... -> n10.h */
	strcpy(root, "/tmp/tdxabi-tree-XXXXXX");
	assert_non_null(mkdtemp(root));
	for (int depth = 1; depth <= 10; depth++) {
		char name[64], include[64];
		snprintf(name, sizeof(name), "arch/x86/coco/tdx/n%d.h", depth);
		snprintf(include, sizeof(include), "#include \"n%d.h\"\n", depth + 1);
		write_text(root, name, include);
	}
	inputs = calloc(1, sizeof(*inputs));
	assert_int_equal(collect_with_tdcall("#include \"n1.h\"\n", inputs, root, &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "n9.h: #include nested more than 8 deep");
	kernel_inputs_free(inputs);
	free(inputs);
	remove_tree(root);
}

static double seconds_now(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* A command past its time limit is killed, with what it started, and
 * reported: a compiler blocked on a FIFO cannot hang a run. */
static void test_command_time_limit(void **state)
{
	(void)state;
	char directory[] = "/tmp/tdxabi-command-XXXXXX";
	assert_non_null(mkdtemp(directory));
	char log[128], pid_file[128], script[400];
	snprintf(log, sizeof(log), "%s/log", directory);
	snprintf(pid_file, sizeof(pid_file), "%s/pid", directory);
	snprintf(script, sizeof(script), "sleep 30 & echo $! >'%s'; wait", pid_file);
	const char *argv[] = {"sh", "-c", script, NULL};
	struct diagnostic diagnostic = {""};
	double start = seconds_now();
	assert_int_equal(build_command_run(argv, log, "sleeping", 1, &diagnostic), TDXABI_BAD_INPUT);
	assert_true(seconds_now() - start < 10);
	assert_contains(diagnostic.text, "sleeping: sh did not finish within 1 s, killed");
	size_t size;
	char *pid_text = (char *)read_test_file(pid_file, &size);
	pid_t sleeper = (pid_t)atoi(pid_text);
	free(pid_text);
	bool gone = false;
	for (int attempt = 0; attempt < 200 && !gone; attempt++) {
		gone = kill(sleeper, 0) != 0 && errno == ESRCH;
		if (!gone)
			nanosleep(&(struct timespec){0, 10000000}, NULL);
	}
	assert_true(gone); /* the process group went, not only sh */
	const char *quick[] = {"sh", "-c", "exit 0", NULL};
	assert_int_equal(build_command_run(quick, log, "exiting", 1, &diagnostic), TDXABI_OK);
	remove_tree(directory);
}

static void test_same_code(void **state)
{
	(void)state;
	struct object_image image, again;
	load_test_object(TDXABI_FIXTURE_DIR "/relocations.o", &image);
	load_test_object(TDXABI_FIXTURE_DIR "/relocations.o", &again);
	const struct image_symbol *entry = object_image_find_symbol(&image, "fixture_entry");
	uint64_t difference;
	assert_true(object_image_same_code(&image, entry, &again,
					   object_image_find_symbol(&again, "fixture_entry"), &difference));
	/* a different function differs at its first byte */
	assert_false(object_image_same_code(&image, entry, &again,
					    object_image_find_symbol(&again, "second_function"), &difference));
	assert_int_equal(difference, 0);
	/* the relocated fields do not count: overwrite one and still equal */
	const struct image_section *text = object_image_section_at(&again, entry->address);
	uint64_t end_64 = object_image_find_symbol(&again, "end_64")->address;
	((struct image_section *)text)->bytes[end_64 - 8 - text->address] ^= 0xFF;
	assert_true(object_image_same_code(&image, entry, &again,
					   object_image_find_symbol(&again, "fixture_entry"), &difference));
	((struct image_section *)text)->bytes[0] ^= 0xFF; /* an opcode byte does */
	assert_false(object_image_same_code(&image, entry, &again,
					    object_image_find_symbol(&again, "fixture_entry"), &difference));
	assert_int_equal(difference, 0);
	object_image_free(&image);
	object_image_free(&again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prototype_signatures),
		cmocka_unit_test(test_struct_members),
		cmocka_unit_test(test_too_many_struct_members),
		cmocka_unit_test(test_struct_definition_bounds),
		cmocka_unit_test(test_offsets_source),
		cmocka_unit_test(test_offsets_names_too_long),
		cmocka_unit_test(test_function_extraction),
		cmocka_unit_test(test_tree_file_limit),
		cmocka_unit_test(test_binary_tree_file_is_refused),
		cmocka_unit_test(test_includes_that_escape_are_refused),
		cmocka_unit_test(test_tdx_headers_are_collected),
		cmocka_unit_test(test_include_limits),
		cmocka_unit_test(test_command_time_limit),
		cmocka_unit_test(test_same_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
