/* test_spec_commands.c - `tdxabi spec-lint` on the bundled tables and on the
 * corpus of broken ones (each problem named file:line, nothing else), and
 * `tdxabi spec-diff` between bundled revisions and a user's own table. */
#define _DEFAULT_SOURCE /* mkstemps */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

#define CORPUS TDXABI_SOURCE_DIR "/conformance/tests/broken-specs"

static void test_bundled_tables_lint_clean(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"spec-lint", NULL});
	if (run.exit_code != 0)
		fail_msg("spec-lint of the bundled tables: exit %d\n%s%s", run.exit_code, run.out,
			 run.err);
	assert_contains(run.out, "0 problems");
	free_run(&run);
}

static size_t count_lines(const char *text)
{
	size_t lines = 0;
	for (; *text; text++)
		lines += *text == '\n';
	return lines;
}

/* One corpus table: every "# expect: LINE: TEXT" printed, and nothing more. */
static void lint_corpus_file(const char *path)
{
	size_t size;
	char *text = (char *)read_test_file(path, &size);
	struct tool_run run = run_tool((const char *[]){"spec-lint", path, NULL});
	size_t expected = 0;
	for (char *line = strstr(text, "# expect: "); line; line = strstr(line + 1, "# expect: ")) {
		unsigned number;
		char message[256];
		if (sscanf(line, "# expect: %u: %255[^\n]", &number, message) != 2)
			fail_msg("%s: malformed expectation", path);
		char wanted[512];
		if (number)
			snprintf(wanted, sizeof(wanted), "%s:%u: %s", path, number, message);
		else
			snprintf(wanted, sizeof(wanted), "%s: %s", path, message);
		if (!strstr(run.out, wanted))
			fail_msg("spec-lint %s did not print \"%s\"; it printed:\n%s", path, wanted,
				 run.out);
		expected++;
	}
	assert_true(expected > 0);
	if (run.exit_code != 1 || count_lines(run.out) != expected + 1)
		fail_msg("spec-lint %s: exit %d, expected exit 1 and %zu problems; printed:\n%s", path,
			 run.exit_code, expected, run.out);
	free_run(&run);
	free(text);
}

static void test_broken_tables_name_file_and_line(void **state)
{
	(void)state;
	DIR *directory = opendir(CORPUS);
	assert_non_null(directory);
	size_t files = 0;
	for (struct dirent *entry; (entry = readdir(directory));) {
		size_t length = strlen(entry->d_name);
		if (length < 6 || strcmp(entry->d_name + length - 5, ".spec") != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", CORPUS, entry->d_name);
		lint_corpus_file(path);
		files++;
	}
	closedir(directory);
	assert_true(files >= 6);
}

/* A file of one repeated mistake: 50 problems shown, all of them counted. */
static void test_lint_counts_what_it_does_not_show(void **state)
{
	(void)state;
	char path[] = "/tmp/tdxabi-many-XXXXXX.spec";
	int descriptor = mkstemps(path, 5);
	assert_true(descriptor >= 0);
	FILE *file = fdopen(descriptor, "w");
	fputs("revision many | src: test\n", file);
	for (int row = 0; row < 120; row++)
		fprintf(file, "tdcall %d A in: rzz out: - | src: t\n", row);
	fclose(file);
	struct tool_run run = run_tool((const char *[]){"spec-lint", path, NULL});
	assert_int_equal(run.exit_code, 1);
	assert_int_equal(count_lines(run.out), 50 + 2);
	assert_contains(run.out, ": 73 more problems not shown\n");
	assert_contains(run.out, "spec-lint: 1 table, 123 problems\n");
	free_run(&run);
	unlink(path);
}

static void test_lint_usage_errors(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"spec-lint", "/nonexistent/t.spec", NULL});
	assert_int_equal(run.exit_code, 2);
	assert_contains(run.err, "/nonexistent/t.spec");
	assert_int_equal(count_lines(run.err), 1);
	free_run(&run);
	run = run_tool((const char *[]){"spec-lint", "--strict", NULL});
	assert_int_equal(run.exit_code, 2);
	assert_contains(run.err, "unknown option '--strict'");
	free_run(&run);
}

static void test_diff_names_callee_saved_registers(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"spec-diff", "tdx-1.0", "tdx-1.5", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "spec-diff tdx-1.0 -> tdx-1.5");
	assert_contains(run.out, "+ seamcall 83 TDH.IMPORT.MEM  in: RCX RDX R8 R9 R10 R11 R12 R13");
	assert_contains(run.out, "[callee-saved in: R12 R13]");
	assert_contains(run.out, "TDH.SERVTD.BIND  in: RCX RDX R8 R9 R10  out: RCX R10 R11 R12 R13  "
				 "[callee-saved out: R12 R13]");
	assert_contains(run.out, "  linux-6.7-module-args-ret:\n");
	assert_contains(run.out, "cannot carry new TDH.IMPORT.MEM: needs R12 R13 as input, which "
				 "binding linux-6.7-module-args-ret does not carry in");
	/* the status values the revisions disagree on */
	assert_contains(run.out, "~ TDX_NON_RECOVERABLE_TD 0x4000000200000000 -> 0x6000000200000000");
	assert_contains(run.out, "~ TDX_NON_RECOVERABLE_TD_WRONG_APIC_MODE 0xc000000700000000 -> "
				 "0xe000000700000000");
	/* versions: version 1 of TDH.MEM.SEPT.ADD reads R9-R11, which 5.19 cannot carry */
	assert_contains(run.out, "~ seamcall 3 TDH.MEM.SEPT.ADD  versions 0..0 -> 0..1  v1-in: +R9 +R10 "
				 "+R11  v1-out: +R8 +R9 +R10 +R11");
	assert_contains(run.out, "cannot carry new TDH.MEM.SEPT.ADD version 1: needs R10 R11 as input, "
				 "which binding linux-5.19-module-call does not carry in");
	/* the saved-ret binding carries R12-R15 */
	assert_null(strstr(run.out, "TDH.IMPORT.MEM: needs R12 R13 as input, which binding "
				    "linux-6.7-module-args-saved-ret"));
	free_run(&run);

	run = run_tool((const char *[]){"spec-diff", "tdx-1.0", "tdx-1.5", "--binding",
					"linux-6.7-module-args-ret", "--format", "json", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_json(run.out);
	assert_contains(run.out, "\"schema\":\"tdxabi-spec-diff/1\"");
	assert_contains(run.out, "\"name\":\"TDH.IMPORT.MEM\",\"inputs_added\":[\"RCX\",\"RDX\",\"R8\","
				 "\"R9\",\"R10\",\"R11\",\"R12\",\"R13\"]");
	assert_contains(run.out, "\"callee_saved_inputs\":[\"R12\",\"R13\"],\"callee_saved_outputs\":[]");
	assert_contains(run.out, "{\"binding\":\"linux-6.7-module-args-ret\",\"leaf\":\"TDH.IMPORT.MEM\","
				 "\"new_leaf\":true");
	assert_null(strstr(run.out, "\"binding\":\"linux-5.19-module-call\""));
	free_run(&run);

	run = run_tool((const char *[]){"spec-diff", "tdx-1.5", "tdx-1.5", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "summary: 0 added, 0 removed, 0 changed, 0 status codes and 0 status fields differ; 0 binding findings");
	free_run(&run);
}

/* The module releases after 1.5.01 (issue 17): listed, each based on the
 * one before, and the callee-saved inputs they bring again named with the
 * bindings that cannot carry them. */
static void test_module_releases_after_1_5_01(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"list", "specs", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "tdx-1.5.06 based-on tdx-1.5 (default): ");
	assert_contains(run.out, "tdx-1.5.34 based-on tdx-1.5.06: ");
	assert_contains(run.out, "tdx-2.0.18 based-on tdx-1.5.34: ");
	free_run(&run);
	run = run_tool((const char *[]){"spec-diff", "tdx-1.5", "tdx-2.0.18", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "~ seamcall 15 TDH.MEM.PAGE.DEMOTE  in: +R12 +R13  "
				 "[callee-saved in: R12 R13]");
	assert_contains(run.out, "+ seamcall 132 TDH.IDE.STREAM.CREATE  in: RCX RDX R8 R9 R10 R11 R12 "
				 "R13 R14 R15  out: -  [callee-saved in: R12 R13 R14 R15]");
	assert_contains(run.out, "no longer carries TDH.MEM.PAGE.DEMOTE: needs R12 R13 as input, "
				 "which binding linux-6.7-module-args-ret does not carry in");
	assert_null(strstr(run.out, "TDH.MEM.PAGE.DEMOTE: needs R12 R13 as input, which binding "
				    "linux-6.7-module-args-saved-ret"));
	free_run(&run);
	/* along the line: each release against the one before, DEMOTE's change
	 * in the step that brings it; JSON, an array of the steps */
	run = run_tool((const char *[]){"spec-diff", "tdx-1.5", "tdx-1.5.06", "tdx-1.5.34",
					"tdx-2.0.18", NULL});
	assert_int_equal(run.exit_code, 1);
	const char *first = strstr(run.out, "spec-diff tdx-1.5 -> tdx-1.5.06\n");
	const char *second = strstr(run.out, "\nspec-diff tdx-1.5.06 -> tdx-1.5.34\n");
	const char *third = strstr(run.out, "\nspec-diff tdx-1.5.34 -> tdx-2.0.18\n");
	const char *demote = strstr(run.out, "~ seamcall 15 TDH.MEM.PAGE.DEMOTE  in: +R12 +R13");
	assert_true(first && second && third && demote);
	assert_true(first < second && second < demote && demote < third);
	free_run(&run);
	run = run_tool((const char *[]){"spec-diff", "tdx-1.5", "tdx-1.5.06", "tdx-1.5.34",
					"--format", "json", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_json(run.out);
	assert_true(run.out[0] == '[');
	free_run(&run);
	/* a trace names a flagged output for what it is */
	run = run_tool((const char *[]){"trace", "--symbol", "tdxabi_seamcall_saved_ret", "--leaf",
					"TDH.VP.ENTER", "--spec", "tdx-2.0.18", "--variant",
					"td=no-rbp-mod", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, " (the TD's value for RCX, with out-flags 0x8000000000000000)");
	free_run(&run);
	/* asked for by name, DEMOTE is a finding for a -ret stub, a pass for -saved-ret */
	run = run_tool((const char *[]){"check", "--symbol", "tdxabi_seamcall_ret", "--spec",
					"tdx-2.0.18", "--leaf", "TDH.MEM.PAGE.DEMOTE", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "binding-cannot-express: TDH.MEM.PAGE.DEMOTE needs R12 R13 as input, "
				 "which binding linux-6.7-module-args-ret does not carry in");
	free_run(&run);
	run = run_tool((const char *[]){"check", "--symbol", "tdxabi_seamcall_saved_ret", "--spec",
					"tdx-2.0.18", "--leaf", "TDH.MEM.PAGE.DEMOTE", NULL});
	assert_int_equal(run.exit_code, 0);
	free_run(&run);
	/* under 1.5.01's table the -ret stub still carries it */
	run = run_tool((const char *[]){"check", "--symbol", "tdxabi_seamcall_ret", "--spec", "tdx-1.5",
					"--leaf", "TDH.MEM.PAGE.DEMOTE", NULL});
	assert_int_equal(run.exit_code, 0);
	free_run(&run);
}

/* A user's table based on a bundled revision: the diff is exactly its change. */
static void test_diff_of_a_users_table(void **state)
{
	(void)state;
	char path[] = "/tmp/tdxabi-spec-XXXXXX.spec";
	int descriptor = mkstemps(path, 5);
	assert_true(descriptor >= 0);
	static const char text[] =
		"revision mine based-on tdx-1.5 | src: my change\n"
		"seamcall 83 TDH.IMPORT.MEM in: rcx rdx r8 r9 r10 r11 r12 r14 out: rcx clears: xmm | src: mine\n"
		"status TDX_OPERAND_BUSY 0x8000020100000000 | src: mine\n";
	assert_int_equal(write(descriptor, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(descriptor);
	struct tool_run run = run_tool((const char *[]){"spec-diff", "tdx-1.5", path, "--binding",
							"linux-6.7-module-args-saved-ret", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "spec-diff tdx-1.5 -> mine");
	assert_contains(run.out, "~ seamcall 83 TDH.IMPORT.MEM  in: +R14 -R13  [callee-saved in: R14]");
	assert_contains(run.out, "~ TDX_OPERAND_BUSY 0x8000020000000000 -> 0x8000020100000000");
	assert_contains(run.out, "summary: 0 added, 0 removed, 1 changed, 1 status code and 0 status fields differ; 1 row newly uses callee-saved R14");
	free_run(&run);

	run = run_tool((const char *[]){"spec-lint", path, NULL});
	assert_int_equal(run.exit_code, 0);
	free_run(&run);

	/* renaming TDG.VP.VMCALL leaves the hypercall bindings nothing to issue;
	 * dropping 'returns: never' and moving a status field are changes too */
	static const char renamed[] =
		"revision renamed based-on tdx-1.5 | src: my change\n"
		"tdcall 0 TDG.VP.VMCALL2 in: rcx out: - exits: vmm | src: mine\n"
		"vmcall 0x10003 ReportFatalError in: r12 out: - | src: mine\n"
		"status-field class 46:40 | src: mine\n";
	descriptor = open(path, O_WRONLY | O_TRUNC);
	assert_int_equal(write(descriptor, renamed, sizeof(renamed) - 1), (ssize_t)(sizeof(renamed) - 1));
	close(descriptor);
	run = run_tool((const char *[]){"spec-diff", "tdx-1.5", path, "--binding", "linux-6.3-hypercall",
					"--binding", "linux-6.3-hypercall", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "~ tdcall 0 TDG.VP.VMCALL2 (was TDG.VP.VMCALL)  no longer refuses RBP "
				 "in the mask under NO_RBP_MOD\n");
	assert_contains(run.out, "~ vmcall 0x10003 ReportFatalError  now returns  in: -RDX");
	assert_contains(run.out, "~ class bits 47:40 -> 46:40");
	assert_contains(run.out, "  linux-6.3-hypercall:\n    no longer usable: renamed has no leaf "
				 "TDG.VP.VMCALL, which every stub of the binding issues\n");
	assert_contains(run.out, "1 status field differ; 1 binding finding\n"); /* --binding once */
	free_run(&run);
	unlink(path);
}

static void test_diff_usage_errors(void **state)
{
	(void)state;
	const char *const *const cases[] = {
		(const char *[]){"spec-diff", "tdx-1.0", NULL},
		(const char *[]){"spec-diff", "tdx-1.0", "tdx-9", NULL},
		(const char *[]){"spec-diff", "tdx-1.0", "tdx-1.5", "--binding", "linux-9", NULL},
		(const char *[]){"spec-diff", "tdx-1.0", "tdx-1.5", "--format", "junit", NULL},
		(const char *[]){"spec-diff", "tdx-1.0", "tdx-1.5", "tdx-1.0", "tdx-1.5", "tdx-1.0",
				 "tdx-1.5", "tdx-1.0", "tdx-1.5", "tdx-1.0", "tdx-1.5", "tdx-1.0",
				 "tdx-1.5", "tdx-1.0", "tdx-1.5", "tdx-1.0", "tdx-1.5", "tdx-1.0", NULL},
		(const char *[]){"spec-diff", "tdx-1.0", "/nonexistent/x.spec", NULL},
		(const char *[]){"spec-diff", "tdx-1.0", "tdx-1.5", "--bogus", NULL},
		(const char *[]){"spec-diff", "tdx-1.0", "tdx-1.5", "--binding", NULL},
	};
	static const char *const expected[] = {
		"give two revisions", "unknown spec revision 'tdx-9'", "unknown binding 'linux-9'",
		"unknown format 'junit'", "unexpected argument 'tdx-1.0': at most 16 revisions",
		"/nonexistent/x.spec",
		"unknown option '--bogus'", "missing value for '--binding'",
	};
	for (size_t index = 0; index < sizeof(cases) / sizeof(cases[0]); index++) {
		struct tool_run run = run_tool(cases[index]);
		if (run.exit_code != 2 || count_lines(run.err) != 1 || !strstr(run.err, expected[index]))
			fail_msg("case %zu: exit %d, stderr \"%s\", expected \"%s\"", index, run.exit_code,
				 run.err, expected[index]);
		free_run(&run);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_tables_lint_clean),
		cmocka_unit_test(test_broken_tables_name_file_and_line),
		cmocka_unit_test(test_lint_counts_what_it_does_not_show),
		cmocka_unit_test(test_lint_usage_errors),
		cmocka_unit_test(test_diff_names_callee_saved_registers),
		cmocka_unit_test(test_module_releases_after_1_5_01),
		cmocka_unit_test(test_diff_of_a_users_table),
		cmocka_unit_test(test_diff_usage_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
