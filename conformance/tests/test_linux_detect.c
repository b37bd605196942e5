/* test_linux_detect.c - the parsing behind --linux that needs no kernel
 * tree: prototypes reduced to signatures, struct members, and code compared
 * outside relocated fields. */
#include <stdlib.h>
#include <string.h>

#include "kernel_build.h"
#include "linux_detect.h"
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
		cmocka_unit_test(test_same_code),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
