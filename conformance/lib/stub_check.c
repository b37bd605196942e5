/* stub_check.c - stub_check_run() of stub_check.h. */
#include "stub_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "case_workers.h"
#include "checks.h"
#include "finding_groups.h"
#include "machine.h"
#include "marshal.h"
#include "monotonic_clock.h"
#include "poison_tag.h"
#include "tdx_module_model.h"
#include "worker_death_finding.h"

static enum tdxabi_status missing_symbol(const struct stub_target *target,
					 struct diagnostic *diagnostic)
{
	char names[256] = "";
	size_t used = 0;
	for (size_t index = 0; index < target->image->symbol_count; index++) {
		const struct image_symbol *symbol = &target->image->symbols[index];
		if (!symbol->defined || !symbol->global || symbol->section < 0)
			continue;
		int written = snprintf(names + used, sizeof(names) - used, "%s%s", used ? ", " : "",
				       symbol->name);
		if (written < 0 || (size_t)written >= sizeof(names) - used)
			break;
		used += (size_t)written;
	}
	return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
			       "%s: no symbol '%s' (global symbols: %s)", target->object_name,
			       target->symbol, used ? names : "none");
}

/* Which TDX instruction the stub issues: the ones inside its own range, or,
 * for a wrapper, the only kind the object contains. */
static unsigned instructions_in(const struct object_image *image, uint64_t start, uint64_t end)
{
	unsigned kinds = 0;
	for (size_t index = 0; index < image->section_count; index++) {
		const struct image_section *section = &image->sections[index];
		if (!section->executable)
			continue;
		for (uint64_t offset = 0; offset < section->size; offset++) {
			uint64_t address = section->address + offset;
			if (address < start || address >= end)
				continue;
			enum tdx_opcode opcode = tdx_opcode_at(section->bytes + offset, section->size - offset);
			if (opcode == TDX_OPCODE_TDCALL)
				kinds |= 1u << TDX_TDCALL;
			else if (opcode == TDX_OPCODE_SEAMCALL)
				kinds |= 1u << TDX_SEAMCALL;
		}
	}
	return kinds;
}

enum tdxabi_status stub_check_instruction(const struct stub_target *target,
					  enum tdx_instruction *instruction,
					  struct diagnostic *diagnostic)
{
	const struct image_symbol *symbol = object_image_find_symbol(target->image, target->symbol);
	if (!symbol)
		return missing_symbol(target, diagnostic);
	uint64_t start, end;
	object_image_symbol_range(target->image, symbol, &start, &end);
	unsigned kinds = instructions_in(target->image, start, end);
	if (kinds == 0)
		kinds = instructions_in(target->image, 0, UINT64_MAX);
	if (kinds == 0)
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: %s issues neither TDCALL nor SEAMCALL", target->object_name,
				       target->symbol);
	if (kinds == ((1u << TDX_TDCALL) | (1u << TDX_SEAMCALL)))
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: %s issues both TDCALL and SEAMCALL", target->object_name,
				       target->symbol);
	*instruction = kinds == (1u << TDX_TDCALL) ? TDX_TDCALL : TDX_SEAMCALL;
	if (!target->binding->instructions[*instruction])
		return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
				       "%s: %s issues %s, which binding %s does not use",
				       target->object_name, target->symbol,
				       tdx_instruction_name(*instruction), target->binding->name);
	return TDXABI_OK;
}

static enum tdxabi_status check_promised_statuses(const struct binding *binding,
						  const struct spec_table *spec,
						  struct diagnostic *diagnostic)
{
	for (int fault = 0; fault < FAULT_SCENARIO_COUNT; fault++) {
		const struct fault_outcome *outcome = &binding->outcomes[fault];
		uint64_t value;
		if (outcome->kind == OUTCOME_NAMED_STATUS &&
		    !checks_named_status(spec, outcome, (enum fault_scenario)fault, &value))
			return diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					       "binding %s promises status %s, which spec %s (%s) lacks",
					       binding->name, outcome->status_name, spec->revision,
					       spec->file_name);
	}
	return TDXABI_OK;
}

static void name_result(const struct stub_target *target, const struct check_options *options,
			const struct check_case *check_case, struct check_result *result)
{
	snprintf(result->object, sizeof(result->object), "%s", target->object_name);
	snprintf(result->stub, sizeof(result->stub), "%s", target->symbol);
	snprintf(result->binding, sizeof(result->binding), "%s", target->binding->name);
	snprintf(result->spec, sizeof(result->spec), "%s", options->spec->revision);
	check_case_leaf_name(check_case, result->leaf, sizeof(result->leaf));
	snprintf(result->fault, sizeof(result->fault), "%s", fault_scenario_name(check_case->fault));
	check_case_variant_name(target->binding, check_case, result->variant, sizeof(result->variant));
	snprintf(result->build_variant, sizeof(result->build_variant), "%s",
		 target->build_variant ? target->build_variant : "");
}

static enum tdxabi_status judge_without_running(const struct check_case *check_case,
						struct check_result *result,
						struct diagnostic *diagnostic)
{
	if (check_case->cannot_express && check_case->cannot_express_fails) {
		struct violation violation;
		memset(&violation, 0, sizeof(violation));
		violation.rule = RULE_BINDING_CANNOT_EXPRESS;
		violation.tdx_register = -1;
		violation.discriminator = check_case->inexpressible;
		snprintf(violation.detail, sizeof(violation.detail), "%s %s", result->leaf,
			 check_case->reason);
		return check_result_add_violation(result, &violation, diagnostic);
	}
	result->verdict = VERDICT_SKIP;
	result->skip_kind = check_case->cannot_express ? SKIP_CANNOT_EXPRESS : SKIP_FAULT_UNDECLARED;
	snprintf(result->skip_reason, sizeof(result->skip_reason), "%s%s",
		 check_case->cannot_express ? "binding-cannot-express: " : "", check_case->reason);
	return TDXABI_OK;
}

struct run_state {
	const struct stub_target *target;
	const struct check_options *options;
	uint64_t entry;
	const struct check_case *cases;
	struct check_result *results; /* one per case, named */
	struct machine *machine;
	struct stub_environment environment;
	bool environment_open;
	struct module_model model;
	struct call_plan plan;
	struct call_outcome outcome;
	uint8_t caller_memory[LAYOUT_CALLER_MEMORY_SIZE];
	struct call_trace trace; /* opened at the first failing case */
	struct finding_source source; /* likewise */
	bool source_open;
};

/* The steps a failing case keeps when run again traced: the newest ones. */
#define TRACE_CAPACITY 65536

/* Runs the case (with a trace when given) into state's plan, model,
 * outcome and caller memory. */
static enum tdxabi_status execute_case(struct run_state *state, const struct check_case *check_case,
				       uint64_t nonce, struct call_trace *trace,
				       struct diagnostic *diagnostic)
{
	binding_marshal(state->target->binding, check_case, nonce, &state->plan);
	module_model_begin_call(&state->model, check_case->fault, nonce, check_case->td_config);
	struct call_request request = {
		.entry = state->entry,
		.caller_memory = state->plan.caller_memory,
		.caller_memory_size = state->plan.caller_memory_size,
		.nonce = nonce,
		.instruction_budget = state->options->instruction_budget,
		.handler = module_model_handle,
		.handler_context = &state->model,
		.expected_writes = state->plan.expected_writes,
		.expected_write_count = state->plan.expected_write_count,
		.trace = trace,
	};
	memcpy(request.registers, state->plan.registers, sizeof(request.registers));
	memcpy(request.stack_words, state->plan.stack_words, sizeof(request.stack_words));
	request.stack_word_count = state->plan.stack_word_count;
	request.sets_xmm = state->plan.sets_xmm;
	memcpy(request.xmm, state->plan.xmm, sizeof(request.xmm));
	enum tdxabi_status status = machine_call(state->machine, &request, &state->outcome, diagnostic);
	/* the checks read the output locations back: only as far as the last */
	uint64_t extent = 0;
	for (size_t index = 0; index < state->plan.output_count; index++) {
		uint64_t end = state->plan.outputs[index].address + 8 - LAYOUT_CALLER_MEMORY;
		extent = end > extent ? end : extent;
	}
	if (status == TDXABI_OK && extent)
		status = machine_read(state->machine, LAYOUT_CALLER_MEMORY, state->caller_memory,
				      extent < sizeof(state->caller_memory) ? extent
									 : sizeof(state->caller_memory),
				      diagnostic);
	return status;
}

static enum tdxabi_status open_trace_and_source(struct run_state *state,
						struct diagnostic *diagnostic)
{
	enum tdxabi_status status = TDXABI_OK;
	if (!state->trace.steps)
		status = call_trace_open(&state->trace, TRACE_CAPACITY, diagnostic);
	if (status == TDXABI_OK && !state->source_open) {
		status = finding_source_open(state->target->image, state->target->map_source_path,
					     state->target->map_source_context, &state->source,
					     diagnostic);
		state->source_open = status == TDXABI_OK;
	}
	return status;
}

/* The case's number for its poison tags: from what names it (leaf, fault,
 * variant), so the case has the same tags however the run selects it. */
static uint64_t case_number(const struct check_result *result)
{
	return text_hash(text_hash(text_hash(TEXT_HASH_START, result->leaf), result->fault),
			 result->variant);
}

/* Judges one draw of a case (its seed in result); a failing one runs again
 * traced, and each finding is pointed at the instruction behind it. With a
 * trace writer, every draw runs traced once and goes to the writer. */
static enum tdxabi_status run_draw(struct run_state *state, const struct check_case *check_case,
				   struct check_result *result, struct diagnostic *diagnostic)
{
	uint64_t nonce = poison_tag_nonce(result->seed, case_number(result));
	bool writes_trace = state->options->trace_writer != NULL;
	enum tdxabi_status status = writes_trace ? open_trace_and_source(state, diagnostic)
						 : TDXABI_OK;
	if (status == TDXABI_OK) {
		state->trace.recorded = 0;
		status = execute_case(state, check_case, nonce, writes_trace ? &state->trace : NULL,
				      diagnostic);
	}
	if (status != TDXABI_OK)
		return status;
	struct check_context context = {
		.binding = state->target->binding,
		.spec = state->options->spec,
		.check_case = check_case,
		.plan = &state->plan,
		.model = &state->model,
		.outcome = &state->outcome,
		.caller_memory = state->caller_memory,
		.machine = state->machine,
		.image = state->target->image,
		.environment = &state->environment,
		.nonce = nonce,
		.instruction_budget = state->options->instruction_budget,
	};
	result->verdict = VERDICT_PASS;
	status = checks_evaluate(&context, result, diagnostic);
	/* a call that ran out of budget is named by where it stopped: its
	 * traced rerun (the whole budget again, traced) would tell no more */
	bool spun = state->outcome.end == CALL_EMULATION_FAULT &&
		    state->outcome.fault == EMULATION_BUDGET_EXHAUSTED;
	if (status == TDXABI_OK && result->verdict == VERDICT_FAIL && !writes_trace) {
		status = open_trace_and_source(state, diagnostic);
		state->trace.recorded = 0;
		if (status == TDXABI_OK && !spun)
			status = execute_case(state, check_case, nonce, &state->trace, diagnostic);
	}
	if (status == TDXABI_OK && result->verdict == VERDICT_FAIL) {
		attribution_apply(&state->trace, &context, result);
		finding_source_fill(&state->source, result);
	}
	if (status == TDXABI_OK && writes_trace) {
		struct traced_case traced = {.target = state->target,
					     .result = result,
					     .entry_registers = state->plan.registers,
					     .trace = &state->trace,
					     .outcome = &state->outcome,
					     .nonce = nonce,
					     .model = &state->model,
					     .machine = state->machine,
					     .source = &state->source};
		status = state->options->trace_writer(state->options->trace_context, &traced,
						      diagnostic);
	}
	return status;
}

/* Runs the draws of a case (publishing each through *seed_index) until one fails. */
static enum tdxabi_status run_case(void *context, size_t index, struct check_result *result,
				   volatile unsigned *seed_index, struct diagnostic *diagnostic)
{
	struct run_state *state = context;
	unsigned draws = state->options->seed_count ? state->options->seed_count : 1;
	double start = monotonic_seconds();
	enum tdxabi_status status = TDXABI_OK;
	for (unsigned draw = 0; draw < draws && status == TDXABI_OK; draw++) {
		if (seed_index)
			*seed_index = draw;
		result->seed = state->options->seed + draw;
		status = run_draw(state, &state->cases[index], result, diagnostic);
		if (result->verdict == VERDICT_FAIL)
			break;
	}
	result->seconds = monotonic_seconds() - start;
	return status;
}

/* The module model, the environment and the machine the cases run in. */
static enum tdxabi_status open_engine(void *context, struct diagnostic *diagnostic)
{
	struct run_state *state = context;
	const struct stub_target *target = state->target;
	enum tdxabi_status status = module_model_init(&state->model, state->options->spec,
						      diagnostic);
	char known[128];
	const struct environment_kind *kind =
		environment_find(state->options->environment_kinds,
				 state->options->environment_kind_count, target->binding->environment,
				 known, sizeof(known));
	if (status == TDXABI_OK && !kind)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: binding %s names unknown environment '%s' (known: %s)",
					 target->binding->file_name, target->binding->name,
					 target->binding->environment, known);
	if (status == TDXABI_OK) {
		memset(&state->environment, 0, sizeof(state->environment));
		status = kind->open(target->image, &state->environment, diagnostic);
		state->environment_open = status == TDXABI_OK;
	}
	state->environment.machine.code_writable = target->binding->code_writable;
	if (status == TDXABI_OK)
		status = machine_open(target->image, &state->environment.machine, &state->machine,
				      diagnostic);
	return status;
}

static void close_engine(struct run_state *state)
{
	machine_close(state->machine);
	state->machine = NULL;
	if (state->environment_open)
		environment_close(&state->environment);
	state->environment_open = false;
}

/* A worker's traced rerun of the draw that killed it. */
static void run_traced(void *context, size_t index, unsigned seed_index, struct call_trace *trace)
{
	struct run_state *state = context;
	const struct check_result *result = &state->results[index];
	uint64_t nonce = poison_tag_nonce(state->options->seed + seed_index, case_number(result));
	struct diagnostic ignored;
	execute_case(state, &state->cases[index], nonce, trace, &ignored);
}

static enum tdxabi_status judge_death(void *context, const struct worker_death *death,
				      struct check_result *result, struct diagnostic *diagnostic)
{
	struct run_state *state = context;
	result->seed = state->options->seed + death->seed_index;
	if (!state->source_open)
		state->source_open =
			finding_source_open(state->target->image, state->target->map_source_path,
					    state->target->map_source_context, &state->source,
					    diagnostic) == TDXABI_OK;
	return worker_death_add_finding(state->target->image,
					state->source_open ? &state->source : NULL, death, result,
					diagnostic);
}

/* The runnable cases, in this process or in workers. */
static enum tdxabi_status run_cases(struct run_state *state, const size_t *runnable, size_t count,
				    struct diagnostic *diagnostic)
{
	const struct check_options *options = state->options;
	if (options->jobs && !options->trace_writer) {
		struct case_runner runner = {.context = state,
					     .open = open_engine,
					     .run = run_case,
					     .run_traced = run_traced,
					     .judge_death = judge_death};
		struct worker_limits limits = {options->jobs, options->case_seconds > 0
								      ? options->case_seconds
								      : DEFAULT_CASE_SECONDS};
		return case_workers_run(&runner, &limits, runnable, count, state->results,
					diagnostic);
	}
	enum tdxabi_status status = open_engine(state, diagnostic);
	for (size_t place = 0; place < count && status == TDXABI_OK; place++)
		status = run_case(state, runnable[place], &state->results[runnable[place]], NULL,
				  diagnostic);
	close_engine(state);
	return status;
}

enum tdxabi_status stub_check_run(const struct stub_target *target,
				  const struct check_options *options, struct check_report *report,
				  struct diagnostic *diagnostic)
{
	enum tdx_instruction instruction = TDX_TDCALL;
	enum tdxabi_status status = stub_check_instruction(target, &instruction, diagnostic);
	if (status == TDXABI_OK)
		status = check_promised_statuses(target->binding, options->spec, diagnostic);
	struct check_case *cases = NULL;
	size_t case_count = 0;
	if (status == TDXABI_OK)
		status = case_matrix_build(target->binding, options->spec, instruction,
					   &options->selection, &cases, &case_count, diagnostic);
	if (status == TDXABI_OK && report->result_count + case_count > CHECK_REPORT_MAX_RESULTS)
		status = diagnostic_fail(diagnostic, TDXABI_BAD_INPUT,
					 "%s: %s: more than %d cases held at once (a trace keeps "
					 "each until it ends): narrow it with --leaf, --faults, "
					 "--td-config or --build-variant",
					 target->object_name, target->symbol, CHECK_REPORT_MAX_RESULTS);
	if (status != TDXABI_OK) {
		free(cases);
		return status;
	}

	struct run_state *state = calloc(1, sizeof(*state));
	size_t *runnable = calloc(case_count ? case_count : 1, sizeof(*runnable));
	size_t first = report->result_count, runnable_count = 0;
	for (size_t index = 0; state && runnable && index < case_count; index++) {
		struct check_result *result = check_report_add(report);
		if (!result)
			break;
		name_result(target, options, &cases[index], result);
	}
	if (!state || !runnable || report->result_count != first + case_count) {
		free(state);
		free(runnable);
		free(cases);
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	}
	state->target = target;
	state->options = options;
	state->entry = object_image_find_symbol(target->image, target->symbol)->address;
	state->cases = cases;
	state->results = report->results + first;
	for (size_t index = 0; index < case_count && status == TDXABI_OK; index++) {
		state->results[index].seed = options->seed;
		if (cases[index].skip || cases[index].cannot_express)
			status = judge_without_running(&cases[index], &state->results[index],
						       diagnostic);
		else
			runnable[runnable_count++] = index;
	}
	if (status == TDXABI_OK && runnable_count)
		status = run_cases(state, runnable, runnable_count, diagnostic);
	call_trace_close(&state->trace);
	if (state->source_open)
		finding_source_close(&state->source);
	free(state);
	free(runnable);
	free(cases);
	return status;
}
