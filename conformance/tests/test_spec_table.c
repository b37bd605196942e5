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
		spec_table_parse((const char *)text, size, "tdx-1.5.spec", NULL, NULL, table,
				 &diagnostic);
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

	const struct spec_leaf *sept_rd = spec_table_find_leaf_by_name(&table, "TDH.MEM.SEPT.RD");
	assert_non_null(sept_rd);
	assert_int_equal(sept_rd->outputs, REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RDX));
	assert_int_equal(sept_rd->error_outputs, REGISTER_BIT(GPR_R8));
	/* every TDCALL leaf 0-27 the 1.5.01 dispatcher handles, every SEAMCALL leaf */
	size_t tdcalls = 0, seamcalls = 0, seamldr = 0;
	for (size_t index = 0; index < table.leaf_count; index++) {
		const struct spec_leaf *leaf = &table.leaves[index];
		tdcalls += leaf->instruction == TDX_TDCALL;
		seamcalls += leaf->instruction == TDX_SEAMCALL && !leaf->seamldr;
		seamldr += leaf->seamldr;
	}
	assert_int_equal(tdcalls, 21);
	assert_int_equal(seamcalls, 68);
	assert_int_equal(seamldr, 5);
	assert_non_null(spec_table_vendor_vmcall(&table));
	assert_true(spec_table_find_vmcall_by_name(&table, "ReportFatalError")->never_returns);
	assert_int_equal(spec_table_find_leaf_by_name(&table, "TDH.MNG.RD")->max_version, 1);

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
	if (spec_table_parse((const char *)text, size, "tdx-1.0.spec", NULL, NULL, &old,
			     &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	free(text);
	parse_bundled(&new);
	assert_string_equal(old.revision, "tdx-1.0");
	/* 1.0 has no versions of TDG.VM.RD; 1.5 adds version 1 */
	assert_int_equal(spec_table_find_leaf_by_name(&old, "TDG.VM.RD")->max_version, 0);
	assert_int_equal(spec_table_find_leaf_by_name(&new, "TDG.VM.RD")->max_version, 1);
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
	assert_int_equal(spec_table_parse(text, strlen(text), "t.spec", NULL, NULL, &table, &diagnostic), TDXABI_OK);
	assert_int_equal(table.leaf_count, 2);
	assert_string_equal(table.leaves[0].citation, "file.c line 3");
	assert_int_equal(table.leaves[0].line, 4);
	assert_int_equal(table.leaves[1].number, 16);
	assert_int_equal(table.leaves[1].error_outputs, REGISTER_BIT(GPR_RCX));
	spec_table_free(&table);
}

static void test_versions_seamldr_vendor_and_status_fields(void **state)
{
	(void)state;
	const char text[] = "revision r | src: s\n"
			    "tdcall 0 TDG.VP.VMCALL in: rcx out: - exits: vmm | src: a\n"
			    "tdcall 7 TDG.VM.RD in: rcx out: r8 versions: 1 v1-in: r9 v1-out: rdx | src: a\n"
			    "seamldr 0 SEAMLDR.INFO in: rcx out: - | src: b\n"
			    "seamcall 0 TDH.VP.ENTER in: rcx out: rcx rbp no-rbp-mod-keeps: rbp exits: td | src: c\n"
			    "vmcall vendor KVM.HYPERCALL in: r11 r12 r13 r14 out: - | src: d\n"
			    "vmcall 0x10003 ReportFatalError in: r12 out: - returns: never | src: e\n"
			    "status-field CLASS 47:40 | src: f\n"
			    "status-field NON_RECOVERABLE 62 | src: g\n"
			    "status X 0x4000010500000002 | src: h\n";
	struct spec_table table;
	struct diagnostic diagnostic;
	if (spec_table_parse(text, strlen(text), "t.spec", NULL, NULL, &table, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	const struct spec_leaf *rd = spec_table_find_leaf_by_name(&table, "TDG.VM.RD");
	assert_int_equal(rd->max_version, 1);
	assert_int_equal(spec_leaf_outputs(rd, 0, TD_CONFIG_NO_RBP_MOD), REGISTER_BIT(GPR_R8));
	assert_int_equal(spec_leaf_outputs(rd, 1, TD_CONFIG_NO_RBP_MOD), REGISTER_BIT(GPR_R8) | REGISTER_BIT(GPR_RDX));
	assert_int_equal(spec_leaf_inputs(rd, 1), REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_R9));
	assert_int_equal(spec_leaf_rax(rd, 1), 0x10007);
	/* the TD's configuration decides whether the entry writes RBP */
	const struct spec_leaf *enter = spec_table_find_leaf_by_name(&table, "TDH.VP.ENTER");
	assert_true(enter->outputs_from_td);
	assert_false(rd->outputs_from_td);
	assert_int_equal(spec_leaf_outputs(enter, 0, TD_CONFIG_NO_RBP_MOD), REGISTER_BIT(GPR_RCX));
	assert_int_equal(spec_leaf_outputs(enter, 0, TD_CONFIG_NONE),
			 REGISTER_BIT(GPR_RCX) | REGISTER_BIT(GPR_RBP));
	const struct spec_leaf *info = spec_table_find_seamldr(&table, 0);
	assert_string_equal(info->name, "SEAMLDR.INFO");
	assert_int_equal(spec_leaf_rax(info, 0), 0x8000000000000000ull);
	/* P-SEAMLDR leaf 0 and SEAMCALL leaf 0 are different leaves */
	assert_string_equal(spec_table_find_leaf(&table, TDX_SEAMCALL, 0)->name, "TDH.VP.ENTER");
	const struct spec_vmcall *vendor = spec_table_vendor_vmcall(&table);
	assert_string_equal(vendor->name, "KVM.HYPERCALL");
	assert_null(spec_table_find_vmcall(&table, 0));
	assert_true(spec_table_find_vmcall_by_name(&table, "ReportFatalError")->never_returns);
	char described[128];
	spec_table_describe_status(&table, 0x4000010500000002ull, described, sizeof(described));
	assert_string_equal(described, "CLASS 0x1, NON_RECOVERABLE");
	spec_table_describe_status(&table, 0, described, sizeof(described));
	assert_string_equal(described, "");
	spec_table_free(&table);
}

static const struct spec_table *resolve_one(void *context, const char *revision)
{
	const struct spec_table *base = context;
	return strcmp(base->revision, revision) == 0 ? base : NULL;
}

/* A based-on revision inherits every row and replaces what it restates. */
static void test_based_on_inherits_and_overrides(void **state)
{
	(void)state;
	const char base_text[] = "revision base | src: s\n"
				 "seamcall 83 IMPORT in: rcx r12 r13 out: rcx | src: module\n"
				 "seamcall 9 CREATE in: rcx rdx out: - | src: module\n"
				 "status TDX_SUCCESS 0 | src: module\n";
	const char draft_text[] = "revision draft based-on base | src: thread\n"
				  "seamcall 83 IMPORT in: rcx r12 r14 out: rcx | src: thread\n";
	struct spec_table base, draft;
	struct diagnostic diagnostic;
	assert_int_equal(spec_table_parse(base_text, strlen(base_text), "b.spec", NULL, NULL, &base,
					  &diagnostic),
			 TDXABI_OK);
	if (spec_table_parse(draft_text, strlen(draft_text), "d.spec", resolve_one, &base, &draft,
			     &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	assert_string_equal(draft.based_on, "base");
	assert_int_equal(draft.leaf_count, 2);
	const struct spec_leaf *import = spec_table_find_leaf_by_name(&draft, "IMPORT");
	assert_false(import->inherited);
	assert_true(register_set_has(import->inputs, GPR_R14));
	assert_false(register_set_has(import->inputs, GPR_R13));
	assert_string_equal(import->citation, "thread");
	assert_true(spec_table_find_leaf_by_name(&draft, "CREATE")->inherited);
	assert_non_null(spec_table_find_status(&draft, "TDX_SUCCESS"));
	/* the base is untouched */
	assert_true(register_set_has(spec_table_find_leaf_by_name(&base, "IMPORT")->inputs, GPR_R13));
	spec_table_free(&draft);

	/* a row stated twice in the draft itself is still a duplicate */
	const char twice[] = "revision draft based-on base | src: thread\n"
			     "seamcall 83 IMPORT in: rcx out: - | src: a\n"
			     "seamcall 83 IMPORT in: rdx out: - | src: b\n";
	assert_int_equal(spec_table_parse(twice, strlen(twice), "d.spec", resolve_one, &base, &draft,
					  &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "d.spec:3: duplicate seamcall leaf number 83");
	spec_table_free(&base);
}

struct collected {
	char text[8][256];
	size_t count;
};

static void collect(void *context, const struct diagnostic *problem)
{
	struct collected *collected = context;
	if (collected->count < 8)
		snprintf(collected->text[collected->count], sizeof(collected->text[0]), "%s",
			 problem->text);
	collected->count++;
}

/* Lint goes on past a bad row and reports what the table lacks. */
static void test_lint_reports_every_problem(void **state)
{
	(void)state;
	const char text[] = "revision r | src: s\n"
			    "tdcall 1 A in: rzz out: - | src: x\n"
			    "status S\xff 1 | src: x\n"
			    "tdcall 2 B in: - out: - | src: x\n"
			    "tdcall 2 C in: - out: - | src: x\n"
			    "seamldr 1 L in: - out: - | src: x\n";
	struct collected collected = {0};
	size_t problems = spec_table_lint(text, strlen(text), "t.spec", NULL, NULL, collect, &collected);
	assert_int_equal(problems, collected.count);
	assert_int_equal(problems, 8);
	assert_contains(collected.text[0], "t.spec:2: unknown register 'rzz'");
	assert_contains(collected.text[1], "t.spec:3: invalid UTF-8");
	assert_contains(collected.text[2], "t.spec:5: duplicate tdcall leaf number 2");
	assert_contains(collected.text[3], "no status TDX_SUCCESS");
	assert_contains(collected.text[4], "no status TDX_OPERAND_INVALID");
	assert_contains(collected.text[5], "no status TDVMCALL_STATUS_INVALID_OPERAND");
	assert_contains(collected.text[6], "P-SEAMLDR leaves but no status PSEAMLDR_SUCCESS");
	assert_contains(collected.text[7], "P-SEAMLDR leaves but no status PSEAMLDR_EBADPARAM");
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
	{HEADER "tdcall 1 A in: rcx rcx out: - | src: x\n", "t.spec:2: register RCX listed twice in the inputs", __LINE__},
	{HEADER "seamcall 1 A in: - out: - exits: vmm | src: x\n", "t.spec:2: only a TDCALL leaf can exit to the VMM", __LINE__},
	{HEADER "tdcall 1 A in: - out: - exits: host | src: x\n", "t.spec:2: unexpected 'host' (expected vmm or td)", __LINE__},
	{HEADER "tdcall 1 A in: - out: rcx exits: td | src: x\n", "t.spec:2: only a SEAMCALL leaf enters the TD", __LINE__},
	{HEADER "seamcall 1 A in: - out: rcx exits: td exits: td | src: x\n", "t.spec:2: 'exits:' given twice", __LINE__},
	{HEADER "seamcall 1 A in: - out: rcx no-rbp-mod-keeps: rbp | src: x\n", "t.spec:2: no-rbp-mod-keeps: names a register that out: does not list", __LINE__},
	{HEADER "seamcall 1 A in: - out: rcx no-rbp-mod-keeps: rcx | src: x\n", "t.spec:2: no-rbp-mod-keeps: 'rcx': NO_RBP_MOD is about RBP only", __LINE__},
	{HEADER "vmcall 5 A in: r12 out: r12 rbp no-rbp-mod-keeps: rbp | src: x\n", "t.spec:2: a sub-function row takes only", __LINE__},
	{HEADER "tdcall 0 V in: rcx out: r11 exits: vmm | src: x\n", "t.spec:2: a leaf that exits to the VMM returns what its RCX mask exposes", __LINE__},
	{HEADER "tdcall 0 V in: rcx out: - exits: vmm | src: x\ntdcall 1 W in: rcx out: - exits: vmm | src: x\n",
	 "t.spec:3: a second leaf that exits to the VMM", __LINE__},
	{HEADER "tdcall 1 A in: - out: - versions: 256 | src: x\n", "t.spec:2: versions: '256' is not 0..255", __LINE__},
	{HEADER "tdcall 1 A in: - out: - versions: 1 2 | src: x\n", "t.spec:2: unexpected '2' (expected a number)", __LINE__},
	{HEADER "tdcall 1 A in: - out: - versions: 1 versions: 1 | src: x\n", "t.spec:2: 'versions:' given twice", __LINE__},
	{HEADER "tdcall 1 A in: - out: - returns: never | src: x\n", "t.spec:2: 'returns: never' is for sub-function rows", __LINE__},
	{HEADER "seamldr 1 L in: - out: - versions: 1 | src: x\n", "t.spec:2: P-SEAMLDR leaves have no versions", __LINE__},
	{HEADER "tdcall 1 A in: rcx out: - v1-in: rdx | src: x\n", "t.spec:2: 'v1-in:' and 'v1-out:' need 'versions: 1' or more", __LINE__},
	{HEADER "tdcall 1 A in: rcx out: - versions: 1 v1-in: rcx | src: x\n", "t.spec:2: register RCX listed twice in the inputs", __LINE__},
	{HEADER "tdcall 1 A in: - out: r8 versions: 1 v1-out: r8 | src: x\n", "t.spec:2: register R8 listed twice in the outputs", __LINE__},
	{HEADER "tdcall 1 A in: - out: - versions: 1 v1-out: r8? | src: x\n", "t.spec:2: 'r8?': only outputs can be conditional", __LINE__},
	{HEADER "vmcall 1 R in: - out: - v1-in: r12 | src: x\n", "t.spec:2: 'v1-in:' and 'v1-out:' need 'versions: 1'", __LINE__},
	{HEADER "seamldr 1 L in: - out: - | src: x\nseamldr 1 M in: - out: - | src: x\n",
	 "t.spec:3: duplicate seamldr leaf number 1", __LINE__},
	{HEADER "vmcall vendor K in: - out: r11 | src: x\nvmcall vendor L in: - out: - | src: x\n",
	 "t.spec:3: duplicate vendor sub-function (one per table)", __LINE__},
	{HEADER "vmcall 1 R in: - out: r11 returns: never | src: x\n", "t.spec:2: a sub-function that never returns has no outputs", __LINE__},
	{HEADER "vmcall 1 R in: - out: r11? | src: x\n", "t.spec:2: a sub-function row takes only", __LINE__},
	{HEADER "vmcall 1f R in: - out: - | src: x\n", "t.spec:2: sub-function '1f' is not a number (or 'vendor')", __LINE__},
	{HEADER "status-field CLASS 47:40 | src: x\nstatus-field OPERAND 41:32 | src: x\n",
	 "t.spec:3: status field OPERAND overlaps CLASS (bits 47:40)", __LINE__},
	{HEADER "status-field F 40:47 | src: x\n", "t.spec:2: bits '40:47' are not HIGH[:LOW] within 63..0", __LINE__},
	{HEADER "status-field F 64 | src: x\n", "t.spec:2: bits '64'", __LINE__},
	{HEADER "status-field F 5:0000000000000000000000000000003 | src: x\n", "t.spec:2: bits '5:000", __LINE__},
	{HEADER "tdcall 0 V in: rcx out: - exits: vmm versions: 1 | src: x\n", "t.spec:2: a leaf that exits to the VMM has no versions", __LINE__},
	{HEADER "vmcall 1 A in: - out: - | src: x\ntdcall 1 A in: - out: - | src: x\n", "t.spec:3: A names both a leaf and a sub-function", __LINE__},
	{HEADER "vmcall 1 A in: - out: - | src: x\n", "t.spec:2: sub-functions, but no leaf that exits to the VMM", __LINE__},
	{HEADER "status-field F 3 | src: x\nstatus-field F 4 | src: x\n", "t.spec:3: duplicate status field F", __LINE__},
	{"revision r based-on tdx-9 | src: x\n", "t.spec:1: based on 'tdx-9', which is not a known revision", __LINE__},
	{"revision r on tdx-1.0 | src: x\n", "t.spec:1: expected 'revision NAME [based-on REVISION]'", __LINE__},
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
			spec_table_parse(entry->text, length, "t.spec", NULL, NULL, &table, &diagnostic);
		if (status != TDXABI_BAD_INPUT || !strstr(diagnostic.text, entry->expected))
			fail_msg("case at %s:%d: status %d, diagnostic \"%s\", expected \"%s\"", __FILE__,
				 entry->source_line, status, diagnostic.text, entry->expected);
	}
}

/* One mistake repeated on every line does not print a million lines. */
static void test_lint_caps_what_it_prints(void **state)
{
	(void)state;
	size_t capacity = 200 * 40;
	char *text = malloc(capacity);
	size_t used = (size_t)snprintf(text, capacity, HEADER);
	for (int row = 0; row < 120; row++)
		used += (size_t)snprintf(text + used, capacity - used, "tdcall %d A in: rzz out: -\n", row);
	struct collected collected = {0};
	size_t problems = spec_table_lint(text, used, "t.spec", NULL, NULL, collect, &collected);
	assert_int_equal(problems, 120 + 3); /* each row, and the three statuses missing */
	assert_int_equal(collected.count, 50 + 1);
	free(text);
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
	assert_int_equal(spec_table_parse(text, used + 1501, "t.spec", NULL, NULL, &table, &diagnostic),
			 TDXABI_BAD_INPUT);
	assert_contains(diagnostic.text, "t.spec:2: line longer than 1024 bytes");

	/* exactly 1024 bytes, then CRLF: the CR is the line end, not content */
	snprintf(text, sizeof(text), HEADER "status S 1 | src: ");
	used = strlen(text);
	size_t line = used - strlen(HEADER);
	memset(text + used, 'x', 1024 - line);
	memcpy(text + used + 1024 - line, "\r\n", 2);
	assert_int_equal(spec_table_parse(text, used + 1024 - line + 2, "t.spec", NULL, NULL, &table,
					  &diagnostic),
			 TDXABI_OK);
	spec_table_free(&table);
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
	assert_int_equal(spec_table_parse(text, used, "t.spec", NULL, NULL, &table, &diagnostic), TDXABI_BAD_INPUT);
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
		cmocka_unit_test(test_versions_seamldr_vendor_and_status_fields),
		cmocka_unit_test(test_based_on_inherits_and_overrides),
		cmocka_unit_test(test_lint_reports_every_problem),
		cmocka_unit_test(test_malformed_tables_name_file_and_line),
		cmocka_unit_test(test_overlong_line),
		cmocka_unit_test(test_lint_caps_what_it_prints),
		cmocka_unit_test(test_row_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
