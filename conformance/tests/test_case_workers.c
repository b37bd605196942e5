/* test_case_workers.c - containment: a case that kills its worker process
 * (a signal, the memory bound, the wall-clock bound, or loading the object)
 * becomes an emulation-fault naming its last instruction, and the other
 * cases run on. Environments of its own make the worker die on cue. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux_environment.h"
#include "test_support.h"

#define STUB TDXABI_STUB_DIR "/reference/module_args_6_7.o"

static void crash_at_trap(const void *context, uint64_t address, int trap,
			  struct trap_fixup *fixup)
{
	(void)context, (void)address, (void)trap, (void)fixup;
	raise(SIGSEGV);
}

static void hang_at_trap(const void *context, uint64_t address, int trap,
			 struct trap_fixup *fixup)
{
	(void)context, (void)address, (void)trap, (void)fixup;
	for (;;)
		pause();
}

/* Where the blocks escape to, so that no optimiser drops them. */
static char *volatile last_block;

static void exhaust_memory_at_trap(const void *context, uint64_t address, int trap,
				   struct trap_fixup *fixup)
{
	(void)context, (void)address, (void)trap, (void)fixup;
	for (size_t total = 0; total < (4ull << 30); total += 64ull << 20) {
		char *block = malloc(64ull << 20);
		if (!block)
			abort(); /* what a library does when it cannot allocate */
		memset(block, 1, 64ull << 20);
		last_block = block;
	}
}

#define TRAP_ENVIRONMENT(name, callback)                                                       \
	static enum tdxabi_status open_##callback(const struct object_image *image,            \
						   struct stub_environment *environment,         \
						   struct diagnostic *diagnostic)                \
	{                                                                                      \
		(void)image, (void)diagnostic;                                                 \
		environment->machine.resolve_trap = callback;                                  \
		return TDXABI_OK;                                                              \
	}                                                                                      \
	static const struct environment_kind name = {"test", open_##callback};

/* A marker file, so that only the first worker to trap dies: the traced
 * rerun of that case, in a process of its own, runs to its end. */
static char crash_once_marker[] = "/tmp/tdxabi-crash-once-XXXXXX";

static void crash_once_at_trap(const void *context, uint64_t address, int trap,
			       struct trap_fixup *fixup)
{
	(void)context, (void)address, (void)trap, (void)fixup;
	if (unlink(crash_once_marker) == 0)
		raise(SIGSEGV);
}

TRAP_ENVIRONMENT(crashing, crash_at_trap)
TRAP_ENVIRONMENT(crashing_once, crash_once_at_trap)
TRAP_ENVIRONMENT(hanging, hang_at_trap)
TRAP_ENVIRONMENT(exhausting, exhaust_memory_at_trap)

static enum tdxabi_status abort_on_open(const struct object_image *image,
					struct stub_environment *environment,
					struct diagnostic *diagnostic)
{
	(void)image, (void)environment, (void)diagnostic;
	abort();
}
static const struct environment_kind aborting = {"test", abort_on_open};

/* Checks the reference __seamcall_ret on one leaf, its normal answer and
 * #UD, in an environment of kind `kind`, in `jobs` workers. */
static struct check_report run_in(void **state, const struct environment_kind *kind,
				  unsigned jobs, double case_seconds)
{
	const struct catalog *catalog = *state;
	struct binding binding = *catalog_find_binding(catalog, "linux-6.7-module-args-ret");
	snprintf(binding.environment, sizeof(binding.environment), "%s", kind->name);
	struct object_image image;
	load_test_object(STUB, &image);
	struct stub_target target = {.object_name = "module_args_6_7.o",
				     .image = &image,
				     .symbol = "tdxabi_seamcall_ret",
				     .binding = &binding};
	const struct environment_kind *kinds[] = {kind};
	struct check_options options = {
		.environment_kinds = kinds,
		.environment_kind_count = 1,
		.spec = catalog_default_spec(catalog),
		.selection = {.leaf_name = "TDH.SYS.RD",
			      .fault_mask = 1u << FAULT_NONE | 1u << FAULT_UD},
		.seed = 1,
		.seed_count = 3,
		.instruction_budget = DEFAULT_INSTRUCTION_BUDGET,
		.jobs = jobs,
		.case_seconds = case_seconds,
	};
	struct check_report report = {0};
	struct diagnostic diagnostic;
	if (stub_check_run(&target, &options, &report, &diagnostic) != TDXABI_OK)
		fail_msg("%s", diagnostic.text);
	object_image_free(&image);
	return report;
}

/* Every #UD case fails with one emulation-fault whose detail holds `what`;
 * every normal case passes. */
static void expect_deaths(const struct check_report *report, const char *what, bool names_rip)
{
	size_t died = 0, passed = 0;
	for (size_t index = 0; index < report->result_count; index++) {
		const struct check_result *result = &report->results[index];
		if (strcmp(result->fault, "none") == 0) {
			assert_int_equal(result->verdict, VERDICT_PASS);
			passed++;
			continue;
		}
		assert_int_equal(result->verdict, VERDICT_FAIL);
		assert_int_equal(result->violation_count, 1);
		const struct violation *violation = &result->violations[0];
		assert_int_equal(violation->rule, RULE_EMULATION_FAULT);
		assert_contains(violation->detail, what);
		assert_int_equal(result->seed, 1); /* the first draw already died */
		if (names_rip) {
			assert_true(violation->has_rip);
			assert_contains(violation->detail, ", at its last instruction tdxabi_seamcall_ret+");
			assert_string_equal(violation->instruction, "seamcall");
			assert_true(violation->source_line > 0); /* module_args_6_7.S */
		}
		died++;
	}
	assert_true(died > 0 && passed > 0);
}

static void test_signal_kills_only_its_case(void **state)
{
	for (unsigned jobs = 1; jobs <= 2; jobs++) {
		struct check_report report = run_in(state, &crashing, jobs, 30);
		expect_deaths(&report, "was killed by SIGSEGV, at",
			      true);
		check_report_free(&report);
	}
}

/* A tool started with SIGCHLD ignored still sees its workers die, and
 * gets its disposition back. */
static void test_ignored_child_signal(void **state)
{
	struct sigaction ignore = {.sa_handler = SIG_IGN}, before, after;
	sigaction(SIGCHLD, &ignore, &before);
	struct check_report report = run_in(state, &crashing, 2, 30);
	sigaction(SIGCHLD, &before, &after);
	assert_true(after.sa_handler == SIG_IGN);
	expect_deaths(&report, "was killed by SIGSEGV, at", true);
	check_report_free(&report);
}

/* A death that does not come back when the case runs alone names no
 * instruction: the traced rerun reached the end, not where the worker died. */
static void test_death_that_does_not_recur(void **state)
{
	int marker = mkstemp(crash_once_marker);
	assert_true(marker >= 0);
	close(marker);
	struct check_report report = run_in(state, &crashing_once, 1, 30);
	unlink(crash_once_marker);
	size_t died = 0;
	for (size_t index = 0; index < report.result_count; index++) {
		const struct check_result *result = &report.results[index];
		if (result->verdict != VERDICT_FAIL)
			continue;
		assert_int_equal(result->violation_count, 1);
		assert_false(result->violations[0].has_rip);
		assert_contains(result->violations[0].detail,
				"was killed by SIGSEGV; run again alone, traced, the case ended, so "
				"no instruction is named");
		died++;
	}
	assert_int_equal(died, 1);
	check_report_free(&report);
}

static void test_wall_clock_bound(void **state)
{
	struct check_report report = run_in(state, &hanging, 2, 0.2);
	expect_deaths(&report, "ran past the wall-clock bound of 0.2 s", true);
	check_report_free(&report);
}

static void test_memory_bound(void **state)
{
#if defined(__SANITIZE_ADDRESS__)
	skip(); /* a sanitizer's shadow memory leaves no room for a bound */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	skip();
#endif
#endif
	struct check_report report = run_in(state, &exhausting, 2, 30);
	expect_deaths(&report, "killed by SIGABRT (the emulator aborted, or the worker passed its "
			       "memory bound)", false);
	check_report_free(&report);
}

static void test_object_that_kills_loading(void **state)
{
	struct check_report report = run_in(state, &aborting, 2, 30);
	assert_true(report.result_count > 0);
	for (size_t index = 0; index < report.result_count; index++) {
		const struct check_result *result = &report.results[index];
		assert_int_equal(result->verdict, VERDICT_FAIL);
		assert_string_equal(result->violations[0].detail,
				    "the worker loading the object was killed by SIGABRT (the "
				    "emulator aborted, or the worker passed its memory bound)");
	}
	check_report_free(&report);
}

/* The same cases in the tool itself and in workers: the same results. */
static void test_workers_match_in_process(void **state)
{
	struct check_report inside = run_in(state, &linux_environment, 0, 30);
	struct check_report outside = run_in(state, &linux_environment, 2, 30);
	assert_int_equal(inside.result_count, outside.result_count);
	for (size_t index = 0; index < inside.result_count; index++) {
		assert_int_equal(inside.results[index].verdict, outside.results[index].verdict);
		assert_int_equal(inside.results[index].violation_count,
				 outside.results[index].violation_count);
		assert_string_equal(inside.results[index].variant, outside.results[index].variant);
	}
	check_report_free(&inside);
	check_report_free(&outside);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signal_kills_only_its_case),
		cmocka_unit_test(test_ignored_child_signal),
		cmocka_unit_test(test_death_that_does_not_recur),
		cmocka_unit_test(test_wall_clock_bound),
		cmocka_unit_test(test_memory_bound),
		cmocka_unit_test(test_object_that_kills_loading),
		cmocka_unit_test(test_workers_match_in_process),
	};
	return cmocka_run_group_tests(tests, set_up_catalog, tear_down_catalog);
}
