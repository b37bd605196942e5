/* stub_bench.c - stub_bench.h: the first case of the matrix that runs is
 * marshalled once and called bare on Unicorn for the floor and natively for
 * the peer; then the whole matrix is checked again and again for the
 * checked rate. */
#include "stub_bench.h"

#include <stdlib.h>
#include <string.h>

#include "marshal.h"
#include "monotonic_clock.h"
#include "poison_tag.h"
#include "raw_runner.h"

static enum tdxabi_status measure_raw(const struct stub_target *target,
				      const struct check_options *options, double seconds,
				      struct stub_bench_result *result, struct diagnostic *diagnostic)
{
	enum tdx_instruction instruction;
	enum tdxabi_status status = stub_check_instruction(target, &instruction, diagnostic);
	struct check_case *cases = NULL;
	size_t count = 0;
	if (status == TDXABI_OK)
		status = case_matrix_build(target->binding, options->spec, instruction,
					   &options->selection, &cases, &count, diagnostic);
	const struct check_case *runs = NULL;
	for (size_t index = 0; status == TDXABI_OK && index < count && !runs; index++)
		if (!cases[index].skip && !cases[index].cannot_express)
			runs = &cases[index];
	if (status == TDXABI_OK && !runs)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: %s: no case of the selection runs", target->object_name,
					 target->symbol);
	struct call_plan *plan = status == TDXABI_OK ? malloc(sizeof(*plan)) : NULL;
	if (status == TDXABI_OK && !plan)
		status = diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	if (status == TDXABI_OK) {
		binding_marshal(target->binding, runs, poison_tag_nonce(options->seed, 0), plan);
		uint64_t entry = object_image_find_symbol(target->image, target->symbol)->address;
		status = raw_runner_measure(target->image, entry, plan->registers, plan->caller_memory,
					    plan->caller_memory_size, seconds, &result->raw,
					    diagnostic);
		if (status == TDXABI_OK)
			status = native_peer_measure(target->image, entry, plan->registers,
						     plan->caller_memory, plan->caller_memory_size,
						     seconds, &result->native, diagnostic);
	}
	free(plan);
	free(cases);
	return status;
}

enum tdxabi_status stub_bench_run(const struct stub_target *target,
				  const struct check_options *options, double seconds,
				  struct stub_bench_result *result, struct diagnostic *diagnostic)
{
	memset(result, 0, sizeof(*result));
	enum tdxabi_status status = measure_raw(target, options, seconds, result, diagnostic);
	/* in this process, one engine for many draws of every case, so that
	 * opening it counts less each round */
	struct check_options draws = *options;
	draws.jobs = 0;
	draws.seed_count = 1;
	double start = monotonic_seconds(), end = start;
	while (status == TDXABI_OK && (result->checked.calls == 0 || end - start < seconds)) {
		struct check_report report = {0};
		double round = monotonic_seconds();
		status = stub_check_run(target, &draws, &report, diagnostic);
		size_t ran = 0;
		for (size_t index = 0; index < report.result_count; index++) {
			const struct check_result *case_result = &report.results[index];
			if (case_result->verdict == VERDICT_SKIP)
				continue;
			ran++;
			result->checked.calls += case_result->verdict == VERDICT_PASS
							 ? draws.seed_count
							 : case_result->seed - draws.seed + 1;
		}
		result->matrix_cases = ran;
		check_report_free(&report);
		if (status == TDXABI_OK && ran == 0)
			status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
						 "%s: %s: no case of the selection runs",
						 target->object_name, target->symbol);
		end = monotonic_seconds();
		if (end - round < seconds / 4 && draws.seed_count < MAX_SEED_COUNT / 2)
			draws.seed_count *= 2;
	}
	result->checked.seconds = end - start;
	result->checked.measured = status == TDXABI_OK;
	return status;
}
