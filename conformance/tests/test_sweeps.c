/* test_sweeps.c - seeded sweeps and worker processes through the CLI: a
 * failure --seeds finds names the seed that reproduces it, JSON is
 * byte-identical whatever -j, and a case past --timeout is killed and
 * reported while the run goes on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define REGRESSIONS TDXABI_FIXTURE_DIR "/regressions.o"
#define BY_CHANCE "--object", REGRESSIONS, "--symbol", "regression_clobbers_by_chance", \
		  "--binding", "linux-6.7-module-args", "--faults", "none"

/* The stub clobbers R12 in one draw of eight: 64 draws of its cases find
 * it, and the seed the report names fails on its own and in its trace. */
static void test_seeds_name_the_failing_draw(void **state)
{
	(void)state;
	struct tool_run sweep = run_tool((const char *[]){"check", BY_CHANCE, "--seeds", "64", NULL});
	assert_int_equal(sweep.exit_code, 1);
	assert_contains(sweep.out, "callee-saved-clobbered: R12");
	char trace_line[2048];
	assert_true(test_first_line(sweep.out, "    trace: tdxabi trace ", trace_line,
				    sizeof(trace_line)));
	const char *seed = strstr(trace_line, " --seed ");
	assert_non_null(seed);
	char seed_text[32];
	assert_int_equal(sscanf(seed + strlen(" --seed "), "%31s", seed_text), 1);
	struct tool_run alone = run_tool((const char *[]){"check", BY_CHANCE, "--seed", seed_text,
							  "--quiet", NULL});
	assert_int_equal(alone.exit_code, 1);
	assert_contains(alone.out, "callee-saved-clobbered: R12");
	char storage[4096];
	const char *words[TEST_MAX_WORDS];
	assert_true(test_split_command(trace_line + strlen("    trace: tdxabi "), storage,
				       sizeof(storage), words) > 4);
	struct tool_run trace = run_tool(words);
	assert_int_equal(trace.exit_code, 1);
	assert_contains(trace.out, "callee-saved-clobbered: R12");
	free_run(&trace);
	free_run(&alone);
	free_run(&sweep);
}

/* The same inputs and seeds: byte-identical JSON in the tool itself and in
 * one or two workers, over the bundled stubs and failing stubs. */
static void test_json_is_the_same_whatever_jobs(void **state)
{
	(void)state;
	static const char *const targets[][12] = {
		{"check", NULL},
		{"check", BY_CHANCE, NULL},
		{"check", "--object", TDXABI_STUB_DIR "/mutants/callee_saved_clobbered.o", "--symbol",
		 "tdxabi_mutant_naive_r12_r14", "--binding", "linux-6.7-module-args-ret", NULL},
		/* writes its own code: no case may see what another case wrote */
		{"check", "--object", REGRESSIONS, "--symbol", "regression_writes_tdcalls_forever",
		 "--binding", "linux-6.7-module-args", NULL},
	};
	for (size_t which = 0; which < sizeof(targets) / sizeof(targets[0]); which++) {
		char *first = NULL;
		int first_code = -1;
		static const char *const jobs[] = {"0", "1", "2"};
		for (size_t job = 0; job < 3; job++) {
			const char *arguments[16];
			size_t count = 0;
			for (; targets[which][count]; count++)
				arguments[count] = targets[which][count];
			const char *extra[] = {"--seeds", "4", "--format", "json", "-j", jobs[job], NULL};
			for (size_t index = 0; extra[index]; index++)
				arguments[count++] = extra[index];
			arguments[count] = NULL;
			struct tool_run run = run_tool(arguments);
			assert_json(run.out);
			if (!first) {
				first = strdup(run.out);
				first_code = run.exit_code;
			} else {
				assert_int_equal(run.exit_code, first_code);
				assert_string_equal(run.out, first);
			}
			free_run(&run);
		}
		free(first);
	}
}

/* A case that runs past --timeout is killed in its worker and named with
 * its last instruction; the tool's own run goes on and ends. */
static void test_timeout_kills_the_case(void **state)
{
	(void)state;
	struct tool_run run = run_tool((const char *[]){
		"check", "--object", REGRESSIONS, "--symbol", "regression_spins", "--binding",
		"linux-6.7-module-args", "--faults", "none", "--budget", "100000000", "--timeout", "0.1",
		NULL});
	assert_int_equal(run.exit_code, 1);
	assert_contains(run.out, "emulation-fault: the worker running this case ran past the "
				 "wall-clock bound of 0.1 s and was killed, at its last instruction "
				 "regression_spins+0x");
	assert_contains(run.out, "regressions.S:");
	free_run(&run);
}

static void test_sweep_flags(void **state)
{
	(void)state;
	expect_bad_input((const char *[]){"check", "--seeds", "0", NULL}, "--seeds '0'");
	expect_bad_input((const char *[]){"check", "-j", "65", NULL}, "--jobs '65'");
	expect_bad_input((const char *[]){"check", "--timeout", "soon", NULL}, "--timeout 'soon'");
	expect_bad_input((const char *[]){"check", "-j", "1", "--jobs", "2", NULL}, "given twice");
	expect_bad_input((const char *[]){"trace", "--symbol", "tdxabi_seamcall_ret", "--leaf",
					  "TDH.SYS.RD", "-j", "2", NULL},
			 "'--jobs' is not an option of tdxabi trace");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeds_name_the_failing_draw),
		cmocka_unit_test(test_json_is_the_same_whatever_jobs),
		cmocka_unit_test(test_timeout_kills_the_case),
		cmocka_unit_test(test_sweep_flags),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
