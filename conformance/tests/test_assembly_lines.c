/* test_assembly_lines.c - the builder's line-table step on a preprocessed
 * file of its own: assembled, every instruction of a macro body has its body
 * line and names the invocation; bytes of a TDX instruction get a row of
 * their own; a shim's lines keep the row of the line invoking them; paths
 * are normalised. */
#define _GNU_SOURCE /* popen, mkdtemp */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "assembly_lines.h"
#include "file_access.h"
#include "source_lines.h"
#include "test_support.h"

/* What gcc -E leaves of a stub that includes its macro from a second file
 * and a shim: build-copy paths in the markers. */
static const char preprocessed[] =
	"# 1 \"/build/tree/stub.S\"\n"
	"# 1 \"/build/tree/sub/../body.S\" 1\n"
	".macro CALLIT reg\n"                 /* body.S:1 */
	"\tpush \\reg\n"                      /* body.S:2 */
	"\tmov %rdi, \\reg\n"                 /* body.S:3 */
	"\tSHIMMED\n"                         /* body.S:4 */
	"\t.byte 0x66, 0x0f, 0x01, 0xcc\n"    /* body.S:5 */
	"\tpop \\reg\n"                       /* body.S:6 */
	".endm\n"                             /* body.S:7 */
	"# 2 \"/build/tree/stub.S\" 2\n"
	"# 1 \"/build/shims/shim.h\" 1\n"
	".macro SHIMMED\n"
	"\tnop\n"
	".endm\n"
	"# 3 \"/build/tree/stub.S\" 2\n"
	"\t.text\n"                           /* stub.S:3 */
	"\t.globl f\n"                        /* stub.S:4 */
	"f:\n"                                /* stub.S:5 */
	"\tCALLIT %r12\n"                     /* stub.S:6 */
	"\tret\n";                            /* stub.S:7 */

static bool name_in_tree(const void *context, const char *path, char *name, size_t size)
{
	const char *tree = context;
	size_t length = strlen(tree);
	if (strncmp(path, tree, length) != 0)
		return false;
	snprintf(name, size, "%s", path + length);
	file_access_normalize(name);
	return true;
}

/* The line table's file:line of the instruction at f+offset. */
static void expect_line(struct source_lines *lines, const struct object_image *image,
			uint64_t offset, const char *file, unsigned line, unsigned invoked_line)
{
	uint64_t address = object_image_find_symbol(image, "f")->address + offset;
	struct source_line found;
	if (!source_lines_find(lines, address, &found))
		fail_msg("f+0x%llx has no line", (unsigned long long)offset);
	if (strcmp(found.file, file) != 0 || found.line != line)
		fail_msg("f+0x%llx: %s:%u, expected %s:%u", (unsigned long long)offset, found.file,
			 found.line, file, line);
	if (!invoked_line) {
		assert_false(found.discriminator & SOURCE_INVOCATION_FLAG);
		return;
	}
	assert_true(found.discriminator & SOURCE_INVOCATION_FLAG);
	assert_int_equal(found.discriminator & ((1u << SOURCE_INVOCATION_LINE_BITS) - 1),
			 invoked_line);
	char invoked[SOURCE_PATH_SIZE];
	unsigned number = (found.discriminator & ~SOURCE_INVOCATION_FLAG) >>
			  SOURCE_INVOCATION_LINE_BITS;
	assert_true(source_lines_file(lines, address, number, invoked, sizeof(invoked)));
	assert_string_equal(invoked, "stub.S");
}

static void test_macro_bodies_get_their_lines(void **state)
{
	(void)state;
	char *marked;
	size_t size;
	struct diagnostic diagnostic;
	if (assembly_lines_mark(preprocessed, strlen(preprocessed), "stub.S", name_in_tree,
				"/build/tree/", &marked, &size, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	/* the bytes became the mnemonic; the shim's body got no row of its own */
	assert_non_null(strstr(marked, "\ttdcall\n"));
	assert_null(strstr(marked, "shim.h\"\n\t.loc"));
	char directory[] = "/tmp/tdxabi-lines-XXXXXX";
	assert_non_null(mkdtemp(directory));
	char source[64], object[64], command[256];
	snprintf(source, sizeof(source), "%s/stub.s", directory);
	snprintf(object, sizeof(object), "%s/stub.o", directory);
	FILE *stream = fopen(source, "w");
	assert_non_null(stream);
	assert_int_equal(fwrite(marked, 1, size, stream), size);
	fclose(stream);
	free(marked);
	snprintf(command, sizeof(command), "gcc -c -o %s %s", object, source);
	assert_int_equal(system(command), 0);

	struct object_image image;
	load_test_object(object, &image);
	struct source_lines *lines;
	assert_int_equal(source_lines_open(&image, &lines, &diagnostic), TDXABI_OK);
	expect_line(lines, &image, 0, "body.S", 2, 6);  /* push %r12 (2 bytes) */
	expect_line(lines, &image, 2, "body.S", 3, 6);  /* mov %rdi, %r12 (3 bytes) */
	expect_line(lines, &image, 5, "body.S", 4, 6);  /* the shim's nop: the SHIMMED line */
	expect_line(lines, &image, 6, "body.S", 5, 6);  /* tdcall (4 bytes) */
	expect_line(lines, &image, 10, "body.S", 6, 6); /* pop %r12 */
	expect_line(lines, &image, 12, "stub.S", 7, 0); /* ret, outside any macro */
	source_lines_close(lines);
	object_image_free(&image);
	unlink(object);
	unlink(source);
	rmdir(directory);
}

/* An error of the assembler still names the line of the original file. */
static void test_assembler_messages_keep_their_lines(void **state)
{
	(void)state;
	static const char broken[] = "# 1 \"/build/tree/stub.S\"\n"
				     "\t.text\n"
				     "\tmovq %rax\n"; /* stub.S:2 */
	char *marked;
	size_t size;
	struct diagnostic diagnostic;
	assert_int_equal(assembly_lines_mark(broken, strlen(broken), "stub.S", name_in_tree,
					     "/build/tree/", &marked, &size, &diagnostic),
			 TDXABI_OK);
	char directory[] = "/tmp/tdxabi-broken-XXXXXX";
	assert_non_null(mkdtemp(directory));
	char path[64];
	snprintf(path, sizeof(path), "%s/stub.s", directory);
	FILE *stream = fopen(path, "w");
	assert_non_null(stream);
	assert_int_equal(fwrite(marked, 1, size, stream), size);
	fclose(stream);
	free(marked);
	char command[128];
	snprintf(command, sizeof(command), "gcc -c -o /dev/null %s 2>&1", path);
	FILE *output = popen(command, "r");
	char text[512] = "";
	size_t read = fread(text, 1, sizeof(text) - 1, output);
	text[read] = '\0';
	pclose(output);
	unlink(path);
	rmdir(directory);
	assert_contains(text, "/build/tree/stub.S:2:");
}

static void test_paths_are_normalised(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{"arch/x86/coco/tdx/../../virt/vmx/tdx/tdxcall.S", "arch/x86/virt/vmx/tdx/tdxcall.S"},
		{"/a/./b//c/", "/a/b/c"},
		{"../x/../y", "../y"},
		{"a/..", ""},
		{"/a/../b", "/b"},
	};
	for (size_t index = 0; index < sizeof(cases) / sizeof(cases[0]); index++) {
		char path[64];
		snprintf(path, sizeof(path), "%s", cases[index][0]);
		file_access_normalize(path);
		if (strcmp(path, cases[index][1]) != 0)
			fail_msg("%s -> %s, expected %s", cases[index][0], path, cases[index][1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_macro_bodies_get_their_lines),
		cmocka_unit_test(test_assembler_messages_keep_their_lines),
		cmocka_unit_test(test_paths_are_normalised),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
