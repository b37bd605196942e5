/* test_trace_and_baseline.c - the CLI as a CI job adopts it: every failure's
 * `tdxabi trace` command reproduces its case exactly; trace lists each
 * instruction; baselines and --allow accept old findings and fail on new
 * ones; several reports from one run, --quiet, no colour off a terminal, a
 * single-value flag given twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_support.h"

#define MUTANT(name) TDXABI_STUB_DIR "/mutants/" name

static void reproduce(const char *object, const char *symbol, const char *binding)
{
	struct tool_run check = run_tool((const char *[]){"check", "--object", object, "--symbol",
							  symbol, "--binding", binding, NULL});
	assert_int_equal(check.exit_code, 1);
	char finding[2048], trace_line[2048];
	assert_true(test_first_line(check.out, "  ", finding, sizeof(finding)));
	if (!test_first_line(check.out, "    trace: tdxabi trace ", trace_line, sizeof(trace_line)))
		fail_msg("%s: no trace command under its failure:\n%s", symbol, check.out);
	/* the finding as the trace prints it: without the count of other cases */
	char *tail = strstr(finding, ") and ");
	if (tail)
		tail[1] = '\0';
	char storage[4096];
	const char *words[TEST_MAX_WORDS];
	size_t count = test_split_command(trace_line + strlen("    trace: tdxabi "), storage,
				     sizeof(storage), words);
	assert_true(count > 4);
	struct tool_run trace = run_tool(words);
	if (trace.exit_code != 1 || !strstr(trace.out, finding))
		fail_msg("%s: `%s` exit %d; its listing lacks the finding\n%s\n---\n%s%s", symbol,
			 trace_line + 11, trace.exit_code, finding, trace.out, trace.err);
	assert_contains(trace.out, "end: the call ");
	free_run(&trace);
	free_run(&check);
}

/* Every mutant the case runs for: its first failure's trace command lists the
 * very same finding (same values: the same poison tags, the same case). */
static void test_trace_command_reproduces_every_mutant(void **state)
{
	(void)state;
	struct mutant_row rows[64];
	size_t count = read_mutant_rows(rows, 64), checked = 0;
	for (size_t index = 0; index < count; index++) {
		if (strcmp(rows[index].leaf, "all") != 0)
			continue; /* asked for by name, it is judged without running */
		char path[512];
		snprintf(path, sizeof(path), "%s/mutants/%s", TDXABI_STUB_DIR, rows[index].object);
		reproduce(path, rows[index].symbol, rows[index].binding);
		checked++;
	}
	assert_true(checked >= 10);
}

static void test_trace_lists_each_instruction(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"trace", "--symbol", "tdxabi_seamcall_ret",
							"--leaf", "TDH.MNG.RD", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "trace module_args_6_7.o:tdxabi_seamcall_ret");
	assert_contains(run.out, "entry: RAX=");
	assert_contains(run.out, "tdxabi_seamcall_ret+0x0 ");
	assert_contains(run.out, "module_args_6_7.S:");
	assert_contains(run.out, "seamcall");
	assert_contains(run.out, "module answered:");
	assert_contains(run.out, "end: the call returned after ");
	assert_contains(run.out, "; pass");
	free_run(&run);
	/* a leaf the binding cannot carry is judged without running: said so */
	run = run_tool((const char *[]){"trace", "--symbol", "tdxabi_edk2_tdcall", "--leaf",
					"TDG.VP.VMCALL<Instruction.CPUID>", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "not run: binding-cannot-express: ");
	free_run(&run);
	static const struct {
		const char *arguments[12];
		const char *message;
	} bad[] = {
		{{"trace", "--symbol", "tdxabi_seamcall_ret", NULL}, "needs --symbol and --leaf"},
		{{"trace", "--symbol", "tdxabi_seamcall_ret", "--leaf", "all", NULL}, "naming one leaf"},
		{{"trace", "--symbol", "tdxabi_seamcall_ret", "--leaf", "TDH.MNG.RD", "--faults", "ud",
		  NULL},
		 "'--faults' is not an option of tdxabi trace"},
		{{"trace", "--symbol", "tdxabi_seamcall_ret", "--leaf", "TDH.MNG.RD", "--fault",
		  "ud,gp", NULL},
		 "takes one --fault"},
		{{"trace", "--symbol", "tdxabi_seamcall_ret", "--leaf", "TDH.MNG.RD", "--variant",
		  "flags=0x9", NULL},
		 "no selected case has variant 'flags=0x9'"},
		{{"check", "--fault", "ud", NULL}, "'--fault' is not an option of tdxabi check"},
	};
	for (size_t index = 0; index < sizeof(bad) / sizeof(bad[0]); index++)
		expect_bad_input(bad[index].arguments, bad[index].message);
}

static char *temporary(const char *name)
{
	static const char *const directory = "/tmp";
	char *path = malloc(256);
	snprintf(path, 256, "%s/tdxabi-test-%d-%s", directory, (int)getpid(), name);
	return path;
}

#define CLOBBERS "--object", MUTANT("callee_saved_clobbered.o"), "--symbol", \
		 "tdxabi_mutant_naive_r12_r14", "--binding", "linux-6.7-module-args-ret"

static void write_text(const char *path, const char *text)
{
	FILE *file = fopen(path, "w");
	assert_non_null(file);
	fputs(text, file);
	fclose(file);
}

static void test_baseline_fails_only_on_new_findings(void **state)
{
	(void)state;
	char *baseline = temporary("baseline");
	struct tool_run run = run_tool((const char *[]){"check", CLOBBERS, "--write-baseline",
							baseline, "--quiet", NULL});
	assert_int_equal(run.exit_code, 1);
	free_run(&run);
	size_t size;
	char *recorded = (char *)read_test_file(baseline, &size);
	assert_contains(recorded, " callee-saved-clobbered tdxabi_mutant_naive_r12_r14 R12 ");
	assert_contains(recorded, " R13 ");
	assert_contains(recorded, " R14 ");
	/* today's findings: reported, accepted, the run passes */
	run = run_tool((const char *[]){"check", CLOBBERS, "--baseline", baseline, NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "R12: R12 is callee-saved");
	assert_contains(run.out, "[accepted: baseline ");
	free_run(&run);
	run = run_tool((const char *[]){"check", CLOBBERS, "--baseline", baseline, "--format",
					"json", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "\"accepted_by\":\"baseline ");
	free_run(&run);
	/* a baseline without R14's line: R14 is new, the run fails on it alone */
	char *line = strstr(recorded, " R14 ");
	while (line > recorded && line[-1] != '\n')
		line--;
	char *end = strchr(line, '\n');
	memmove(line, end + 1, strlen(end + 1) + 1);
	write_text(baseline, recorded);
	run = run_tool((const char *[]){"check", CLOBBERS, "--baseline", baseline, "--format",
					"json", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_json(run.out);
	assert_contains(run.out, "\"register\":\"R14\"");
	free_run(&run);
	run = run_tool((const char *[]){"check", CLOBBERS, "--baseline", baseline, NULL});
	assert_int_equal(run.exit_code, 1);
	const char *start = strstr(run.out, "R14: R14 is callee-saved");
	assert_non_null(start);
	while (start > run.out && start[-1] != '\n')
		start--;
	char finding[2048];
	snprintf(finding, sizeof(finding), "%.*s", (int)strcspn(start, "\n"), start);
	if (strstr(finding, "[accepted"))
		fail_msg("the new finding is marked accepted: %s", finding);
	assert_contains(run.out, "R12: R12 is callee-saved");
	free_run(&run);
	/* a malformed line is named by file:line */
	write_text(baseline, "# a comment\n0123456789abcdef fine\nnot-a-fingerprint x\n");
	run = run_tool((const char *[]){"check", CLOBBERS, "--baseline", baseline, NULL});
	assert_int_equal(run.exit_code, 2);
	char where[300];
	snprintf(where, sizeof(where), "%s:3: not a baseline line", baseline);
	assert_contains(run.err, where);
	free_run(&run);
	unlink(baseline);
	free(recorded);
	free(baseline);
}

static void test_allow_accepts_what_it_names(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){
		"check", CLOBBERS, "--allow", "callee-saved-clobbered:tdxabi_mutant_naive_r12_r14", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "[accepted: --allow callee-saved-clobbered:tdxabi_mutant_naive_r12_r14]");
	free_run(&run);
	/* another function, another rule, or one leaf: the rest still fails */
	static const char *const narrower[] = {"callee-saved-clobbered:some_other_function",
					       "stack-imbalance",
					       "callee-saved-clobbered:tdxabi_mutant_naive_r12_r14:TDH.MNG.RD"};
	for (size_t index = 0; index < sizeof(narrower) / sizeof(narrower[0]); index++) {
		run = run_tool((const char *[]){"check", CLOBBERS, "--allow", narrower[index], NULL});
		assert_int_equal(run.exit_code, 1);
		free_run(&run);
	}
	run = run_tool((const char *[]){"check", CLOBBERS, "--allow",
					"callee-saved-clobbered:tdxabi_mutant_naive_r12_r14:TDH.MNG.RD",
					"--leaf", "TDH.MNG.RD", NULL});
	assert_int_equal(run.exit_code, 0);
	free_run(&run);
	run = run_tool((const char *[]){"check", CLOBBERS, "--allow", "no-such-rule", NULL});
	assert_int_equal(run.exit_code, 2);
	assert_contains(run.err, "--allow 'no-such-rule': no rule 'no-such-rule'");
	free_run(&run);
}

static void test_reports_quiet_colour_and_flags(void **state)
{
	(void)state;
	char *json = temporary("report.json"), *junit = temporary("report.xml");
	char json_request[300], junit_request[300];
	snprintf(json_request, sizeof(json_request), "json=%s", json);
	snprintf(junit_request, sizeof(junit_request), "junit=%s", junit);
	struct tool_run run = run_tool((const char *[]){"check", CLOBBERS, "--quiet", "--report",
							json_request, "--report", junit_request,
							NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "FAIL ");
	assert_contains(run.out, "summary: ");
	assert_true(strchr(run.out, '\033') == NULL); /* not a terminal: no colour */
	free_run(&run);
	size_t size;
	char *text = (char *)read_test_file(json, &size);
	assert_json(text);
	assert_contains(text, "\"object\":\"" MUTANT("callee_saved_clobbered.o") "\",\"build_variant\":null");
	assert_contains(text, "\"trace\":\"tdxabi trace --object ");
	free(text);
	text = (char *)read_test_file(junit, &size);
	assert_contains(text, "<failure type=\"callee-saved-clobbered\"");
	assert_contains(text, " time=\"");
	free(text);
	unlink(json);
	unlink(junit);
	free(json);
	free(junit);
	/* quiet: a passing run says only its summary */
	run = run_tool((const char *[]){"check", "--quiet", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_true(strncmp(run.out, "summary: ", 9) == 0);
	free_run(&run);
	static const struct {
		const char *arguments[8];
		const char *message;
	} bad[] = {
		{{"check", "--seed", "1", "--seed", "2", NULL}, "--seed given twice"},
		{{"check", "--format", "json", "--format", "text", NULL}, "--format given twice"},
		{{"check", "--output", "/tmp/a", "--output", "/tmp/b", NULL}, "--output given twice"},
		{{"check", "--report", "json", NULL}, "--report 'json' is not FORMAT=FILE"},
		{{"check", "--report", "yaml=/tmp/x", NULL}, "format 'yaml' is not"},
	};
	for (size_t index = 0; index < sizeof(bad) / sizeof(bad[0]); index++)
		expect_bad_input(bad[index].arguments, bad[index].message);
}

static void test_ktap_exit_codes(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"check", "--symbol", "tdxabi_edk2_tdcall",
							"--faults", "vmm-retry", "--format", "ktap",
							NULL});
	assert_int_equal(run.exit_code, 4); /* kselftest: every case skipped */
	assert_contains(run.out, "KTAP version 1\n1..1\n");
	assert_contains(run.out, " # SKIP ");
	free_run(&run);
	run = run_tool((const char *[]){"check", CLOBBERS, "--format", "ktap", NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "        not ok 2 TDH.MNG.ADDCX\n");
	assert_contains(run.out, "        # ");
	free_run(&run);
	/* the other formats keep exit 0 when everything was skipped */
	run = run_tool((const char *[]){"check", "--symbol", "tdxabi_edk2_tdcall", "--faults",
					"vmm-retry", NULL});
	assert_int_equal(run.exit_code, 0);
	free_run(&run);
}

/* The same inputs and seed give byte-identical JSON, run after run. */
static void test_json_is_deterministic(void **state)
{
	(void)state;
	const char *arguments[] = {"check", "--format", "json", "--seed", "7", NULL};
	struct tool_run first = run_tool(arguments), second = run_tool(arguments);
	assert_int_equal(first.exit_code, 0);
	assert_string_equal(first.out, second.out);
	free_run(&first);
	free_run(&second);
	const char *failing[] = {"check", CLOBBERS, "--format", "json", NULL};
	first = run_tool(failing);
	second = run_tool(failing);
	assert_int_equal(first.exit_code, 1);
	assert_string_equal(first.out, second.out);
	free_run(&first);
	free_run(&second);
}

/* bench: the three rates, in JSON with the documented keys */
static void test_bench_measures_three_rates(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){"bench", "--seconds", "0.05", "--format",
							"json", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_json(run.out);
	static const char *const keys[] = {"\"raw_calls_per_s\":", "\"checked_calls_per_s\":",
					   "\"native_sigill_calls_per_s\":"};
	for (size_t index = 0; index < sizeof(keys) / sizeof(keys[0]); index++) {
		const char *value = strstr(run.out, keys[index]);
		assert_non_null(value);
		double rate = strtod(value + strlen(keys[index]), NULL);
		if (!(rate > 0))
			fail_msg("%s is not a rate: %s", keys[index], run.out);
	}
	free_run(&run);
	run = run_tool((const char *[]){"bench", "--object", MUTANT("callee_saved_clobbered.o"),
					"--symbol", "tdxabi_mutant_naive_r12_r14", "--binding",
					"linux-6.7-module-args-ret", "--seconds", "0.05", NULL});
	assert_int_equal(run.exit_code, 0);
	assert_contains(run.out, "raw floor");
	assert_contains(run.out, "native SIGILL peer");
	free_run(&run);
	expect_bad_input((const char *[]){"bench", "--seconds", "0", NULL}, "--seconds '0'");
	expect_bad_input((const char *[]){"bench", "--symbol", "nope", NULL}, "no bundled stub 'nope'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trace_command_reproduces_every_mutant),
		cmocka_unit_test(test_trace_lists_each_instruction),
		cmocka_unit_test(test_baseline_fails_only_on_new_findings),
		cmocka_unit_test(test_allow_accepts_what_it_names),
		cmocka_unit_test(test_reports_quiet_colour_and_flags),
		cmocka_unit_test(test_ktap_exit_codes),
		cmocka_unit_test(test_json_is_deterministic),
		cmocka_unit_test(test_bench_measures_three_rates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
