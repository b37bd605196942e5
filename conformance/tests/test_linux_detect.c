/* test_linux_detect.c - the parsing behind --linux that needs no kernel
 * tree: prototypes reduced to signatures, struct members (comments skipped,
 * too many refused), a function cut out of C around comments and literals,
 * tree files that are too large, and code compared outside relocated fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel_build.h"
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
}

/* A tree file over the limit is refused, reading at most one byte more. */
static void test_tree_file_limit(void **state)
{
	(void)state;
	char root[] = "/tmp/tdxabi-tree-XXXXXX";
	assert_non_null(mkdtemp(root));
	char path[256];
	snprintf(path, sizeof(path), "%s/big.h", root);
	FILE *file = fopen(path, "w");
	assert_non_null(file);
	assert_int_equal(ftruncate(fileno(file), KERNEL_TREE_FILE_LIMIT + 1), 0);
	fclose(file);
	struct kernel_tree tree = {.root = root};
	char *text = NULL;
	size_t size = 0;
	struct diagnostic diagnostic = {""};
	assert_int_equal(kernel_tree_read(&tree, "big.h", &text, &size, &diagnostic), TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "big.h: too large");
	file = fopen(path, "w");
	assert_int_equal(ftruncate(fileno(file), KERNEL_TREE_FILE_LIMIT), 0);
	fclose(file);
	assert_int_equal(kernel_tree_read(&tree, "big.h", &text, &size, &diagnostic), TDXABI_OK);
	assert_int_equal(size, KERNEL_TREE_FILE_LIMIT);
	free(text);
	unlink(path);
	rmdir(root);
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
		cmocka_unit_test(test_function_extraction),
		cmocka_unit_test(test_tree_file_limit),
		cmocka_unit_test(test_same_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
