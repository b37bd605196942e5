/* test_spec_table.c - the spec-table parser: the bundled tables parse and
 * hold what the reference research says; every malformed line is refused
 * with file:line and what is wrong. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec_table.h"
#include "test_support.h"

static void parse_bundled(struct spec_table *table)
{
	size_t size;
	uint8_t *text = read_test_file(TDXABI_SOURCE_DIR "/specs/tdx-1.5.spec", &size);
	struct diagnostic diagnostic;
	enum tdxabi_status status =
		spec_table_parse((const char *)text, size, "tdx-1.5.spec", table, &diagnostic);
	free(text);
	if (status != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
}

static void test_bundled_table_parses(void **state)
{
	(void)state;
	struct spec_table table;
	parse_bundled(&table);
	assert_string_equal(table.revision, "tdx-1.5");

	const struct spec_leaf *info = spec_table_find_leaf(&table, TDX_TDCALL, 1);
	assert_non_null(info);
	assert_string_equal(info->name, "TDG.VP.INFO");
	assert_int_equal(info->inputs, 0);
	assert_int_equal(info->outputs, REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RDX) |
						REGISTER_BIT(GPR_R8) | REGISTER_BIT(GPR_R9) |
						REGISTER_BIT(GPR_R10) | REGISTER_BIT(GPR_R11));

	const struct spec_leaf *import = spec_table_find_leaf_by_name(&table, "TDH.IMPORT.MEM");
	assert_non_null(import);
	assert_int_equal(import->instruction, TDX_SEAMCALL);
	assert_int_equal(import->number, 83);
	assert_true(register_set_has(import->inputs, GPR_R12));
	assert_true(register_set_has(import->inputs, GPR_R13));
	assert_false(register_set_has(import->inputs, GPR_R14));

	const struct spec_leaf *page_add = spec_table_find_leaf_by_name(&table, "TDH.MEM.PAGE.ADD");
	assert_non_null(page_add);
	assert_int_equal(page_add->outputs, 0);
	assert_int_equal(page_add->error_outputs, REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RDX));

	const struct spec_leaf *vmcall = spec_table_vmcall_leaf(&table);
	assert_non_null(vmcall);
	assert_int_equal(vmcall->number, 0);
	const struct spec_vmcall *rdmsr = spec_table_find_vmcall(&table, 0x1f);
	assert_non_null(rdmsr);
	assert_string_equal(rdmsr->name, "Instruction.RDMSR");
	assert_int_equal(rdmsr->outputs, REGISTER_BIT(GPR_R11));

	const struct spec_status *vmfail = spec_table_find_status(&table, "TDX_SEAMCALL_VMFAILINVALID");
	assert_non_null(vmfail);
	assert_int_equal(vmfail->value, 0x8000FF00FFFF0000ull);
	assert_int_equal(spec_table_find_status(&table, "TDX_SW_ERROR")->value, 0x8000FF0000000000ull);
	for (size_t index = 0; index < table.leaf_count; index++)
		assert_true(table.leaves[index].citation[0] != '\0');
	spec_table_free(&table);
}

/* tdx-1.0 against tdx-1.5: the revision differences the tables carry. */
static void test_revisions_differ_where_the_module_did(void **state)
{
	(void)state;
	size_t size;
	uint8_t *text = read_test_file(TDXABI_SOURCE_DIR "/specs/tdx-1.0.spec", &size);
	struct spec_table old, new;
	struct diagnostic diagnostic;
	if (spec_table_parse((const char *)text, size, "tdx-1.0.spec", &old, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	free(text);
	parse_bundled(&new);
	assert_string_equal(old.revision, "tdx-1.0");
	/* 1.0 writes only R8 for TDG.VM.RD; 1.5 also returns the field id in RDX */
	assert_int_equal(spec_table_find_leaf_by_name(&old, "TDG.VM.RD")->outputs, REGISTER_BIT(GPR_R8));
	assert_int_equal(spec_table_find_leaf_by_name(&new, "TDG.VM.RD")->outputs,
			 REGISTER_BIT(GPR_RDX) | REGISTER_BIT(GPR_R8));
	/* the migration leaves are 1.5 only */
	assert_null(spec_table_find_leaf_by_name(&old, "TDH.IMPORT.MEM"));
	assert_non_null(spec_table_find_leaf_by_name(&new, "TDH.IMPORT.MEM"));
	assert_int_equal(spec_table_find_status(&old, "TDX_NON_RECOVERABLE_TD")->value,
			 0x4000000200000000ull);
	spec_table_free(&old);
	spec_table_free(&new);
}

static void test_comments_blank_lines_and_citations(void **state)
{
	(void)state;
	const char text[] = "# comment\n\n  revision r1 | src: here\n"
			    "tdcall 7 A.B in: rcx out: rdx r8 | src: file.c line 3\n"
			    "\t# indented comment\r\n"
			    "seamcall 0x10 C.D in: - out: rcx? | src: x\n";
	struct spec_table table;
	struct diagnostic diagnostic;
	assert_int_equal(spec_table_parse(text, strlen(text), "t.spec", &table, &diagnostic), TDXABI_OK);
	assert_int_equal(table.leaf_count, 2);
	assert_string_equal(table.leaves[0].citation, "file.c line 3");
	assert_int_equal(table.leaves[0].line, 4);
	assert_int_equal(table.leaves[1].number, 16);
	assert_int_equal(table.leaves[1].error_outputs, REGISTER_BIT(GPR_RCX));
	spec_table_free(&table);
}

struct malformed_case {
	const char *text;
	const char *expected; /* "file:line: ..." must contain this */
	int source_line;
};

#define HEADER "revision r | src: s\n"
static const struct malformed_case malformed[] = {
	{"tdcall 1 A in: - out: -\n", "t.spec:1: the first row must be 'revision NAME'", __LINE__},
	{HEADER "tdcall 1 A in: - out: -\n", "t.spec:2: row has no source citation", __LINE__},
	{HEADER "tdcall 1 A in: rzz out: - | src: x\n", "t.spec:2: unknown register 'rzz'", __LINE__},
	{HEADER "tdcall 1 A in: rax out: - | src: x\n", "t.spec:2: RAX cannot be listed as an operand", __LINE__},
	{HEADER "tdcall 1 A in: - out: rsp | src: x\n", "t.spec:2: RSP cannot be listed as an operand", __LINE__},
	{HEADER "tdcall 1 A in: - out: - | src: x\ntdcall 1 B in: - out: - | src: x\n",
	 "t.spec:3: duplicate tdcall leaf number 1", __LINE__},
	{HEADER "tdcall 1 A in: - out: - | src: x\nseamcall 2 A in: - out: - | src: x\n",
	 "t.spec:3: duplicate leaf name A", __LINE__},
	{HEADER "frobcall 1 A in: - out: - | src: x\n", "t.spec:2: unknown row kind 'frobcall'", __LINE__},
	{HEADER "tdcall 0x10000 A in: - out: - | src: x\n", "t.spec:2: leaf number '0x10000' is not 0..0xffff", __LINE__},
	{HEADER "tdcall 12x A in: - out: - | src: x\n", "t.spec:2: leaf number '12x'", __LINE__},
	{HEADER "tdcall 1 A in: rcx | src: x\n", "t.spec:2: row needs both 'in:' and 'out:'", __LINE__},
	{HEADER "tdcall 1 A rcx in: - out: - | src: x\n", "t.spec:2: unexpected 'rcx'", __LINE__},
	{HEADER "tdcall 1 A in: rcx? out: - | src: x\n", "t.spec:2: 'rcx?': only outputs can be conditional", __LINE__},
	{HEADER "tdcall 1 A in: rcx rcx out: - | src: x\n", "t.spec:2: register RCX listed twice in in:", __LINE__},
	{HEADER "seamcall 1 A in: - out: - exits: vmm | src: x\n", "t.spec:2: only a TDCALL leaf can exit to the VMM", __LINE__},
	{HEADER "tdcall 1 A in: - out: - exits: host | src: x\n", "t.spec:2: unknown 'exits:' target 'host'", __LINE__},
	{HEADER "vmcall 0x1f R in: r10 out: - | src: x\n", "t.spec:2: RCX (the exposure mask) and R10", __LINE__},
	{HEADER "vmcall 0x1f R in: r11 out: - | src: x\n", "t.spec:2: R11 input is the sub-function number", __LINE__},
	{HEADER "vmcall 1 R in: - out: - | src: x\nvmcall 1 S in: - out: - | src: x\n",
	 "t.spec:3: duplicate sub-function 0x1", __LINE__},
	{HEADER "status S 0x1 0x2 | src: x\n", "t.spec:2: expected 'status NAME VALUE'", __LINE__},
	{HEADER "status S -1 | src: x\n", "t.spec:2: status value '-1' is not a 64-bit number", __LINE__},
	{HEADER "status S 0x10000000000000000 | src: x\n", "t.spec:2: status value", __LINE__},
	{HEADER "status S 1 | src: x\nstatus S 2 | src: y\n", "t.spec:3: duplicate status S", __LINE__},
	{HEADER "revision again | src: x\n", "t.spec:2: a second 'revision' row", __LINE__},
	{HEADER "status S 1 | from: x\n", "t.spec:2: expected 'src:' after '|'", __LINE__},
	{HEADER "status S 1 | src:\n", "t.spec:2: empty citation after 'src:'", __LINE__},
	{HEADER "| src: orphan\n", "t.spec:2: a citation with no row before it", __LINE__},
	{HEADER "status S\0001 | src: x\n", "t.spec:2: control byte 0x00", __LINE__},
	{"# only a comment\n", "t.spec: no 'revision' row", __LINE__},
	{HEADER "status S\xff 1 | src: x\n", "t.spec:2: invalid UTF-8 at byte 9 of the line", __LINE__},
	{HEADER "status S\xc3 1 | src: x\n", "t.spec:2: invalid UTF-8 at byte 9", __LINE__},
	{"", "t.spec: no 'revision' row", __LINE__},
};

static void test_malformed_tables_name_file_and_line(void **state)
{
	(void)state;
	for (size_t index = 0; index < sizeof(malformed) / sizeof(malformed[0]); index++) {
		const struct malformed_case *entry = &malformed[index];
		/* the control-byte case holds a NUL: measure up to the final newline */
		size_t length = strlen(entry->text);
		if (strstr(entry->expected, "control byte"))
			length = strlen(HEADER) + strlen("status S") + 1 + strlen("1 | src: x\n");
		struct spec_table table;
		struct diagnostic diagnostic = {""};
		enum tdxabi_status status =
			spec_table_parse(entry->text, length, "t.spec", &table, &diagnostic);
		if (status != TDXABI_BAD_INPUT || !strstr(diagnostic.text, entry->expected))
			fail_msg("case at %s:%d: status %d, diagnostic \"%s\", expected \"%s\"", __FILE__,
				 entry->source_line, status, diagnostic.text, entry->expected);
	}
}

static void test_overlong_line(void **state)
{
	(void)state;
	char text[2200];
	snprintf(text, sizeof(text), HEADER "status S 1 | src: ");
	size_t used = strlen(text);
	memset(text + used, 'x', 1500);
	text[used + 1500] = '\n';
	struct spec_table table;
	struct diagnostic diagnostic;
	assert_int_equal(spec_table_parse(text, used + 1501, "t.spec", &table, &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "t.spec:2: line longer than 1024 bytes");
}

/* A table cannot grow without bound: parsing stays linear-ish in practice. */
static void test_row_limit(void **state)
{
	(void)state;
	size_t capacity = (SPEC_MAX_ROWS + 2) * 40;
	char *text = malloc(capacity);
	size_t used = (size_t)snprintf(text, capacity, HEADER);
	for (int row = 0; row <= SPEC_MAX_ROWS; row++)
		used += (size_t)snprintf(text + used, capacity - used, "status S%d %d | src: x\n", row, row);
	struct spec_table table;
	struct diagnostic diagnostic;
	assert_int_equal(spec_table_parse(text, used, "t.spec", &table, &diagnostic), TDXABI_BAD_INPUT);
	char expected[64];
	snprintf(expected, sizeof(expected), "t.spec:%d: more than %d status rows", SPEC_MAX_ROWS + 2,
		 SPEC_MAX_ROWS);
	assert_contains(diagnostic.text, expected);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_table_parses),
		cmocka_unit_test(test_revisions_differ_where_the_module_did),
		cmocka_unit_test(test_comments_blank_lines_and_citations),
		cmocka_unit_test(test_malformed_tables_name_file_and_line),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_row_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
