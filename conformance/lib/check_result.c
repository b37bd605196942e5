/* check_result.c - rule ids and the result/report containers (see check_result.h). */
#include "check_result.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char *id;
	const char *summary;
} rules[RULE_COUNT] = {
	[RULE_INPUT_NOT_PASSED] = {"input-not-passed",
				   "at TDCALL/SEAMCALL, a register the leaf reads does not hold what "
				   "the caller supplied"},
	[RULE_OUTPUT_NOT_STORED] = {"output-not-stored",
				    "a register the leaf returns did not reach the caller's memory "
				    "where the binding says it goes"},
	[RULE_CALLEE_SAVED_CLOBBERED] = {"callee-saved-clobbered",
					 "a register the binding's calling convention makes callee-saved "
					 "(its callee-saved and callee-saved-xmm rows) differs at return "
					 "from its value at entry"},
	[RULE_STACK_IMBALANCE] = {"stack-imbalance",
				  "RSP at return is not entry RSP + 8, or the stub returned anywhere "
				  "but the return address"},
	[RULE_STATUS_MISMATCH] = {"status-mismatch",
				  "RAX at return is not what the scenario requires"},
	[RULE_VMM_VALUE_LEAKED] = {"vmm-value-leaked",
				   "a value the untrusted VMM wrote survives in a register at return"},
	[RULE_STRAY_WRITE] = {"stray-write",
			      "memory written outside the binding's output locations and the "
			      "stub's own stack frame"},
	[RULE_FAULT_UNHANDLED] = {"fault-unhandled",
				  "an injected #UD/#GP found no fixup in the stub's environment's "
				  "exception model (firmware has none)"},
	[RULE_FLAGS_VIOLATION] = {"flags-violation",
				  "DF set at return (the calling convention requires it clear)"},
	[RULE_BINDING_CANNOT_EXPRESS] = {"binding-cannot-express",
					 "the leaf needs a register the binding does not carry"},
	[RULE_EMULATION_FAULT] = {"emulation-fault",
				  "unmapped access, invalid or unexpected instruction, or the "
				  "instruction budget exhausted"},
	[RULE_INPUT_REJECTED] = {"input-rejected",
				 "the module would refuse this call in this TD (RBP in the "
				 "TDG.VP.VMCALL mask under NO_RBP_MOD, reserved mask bits)"},
	[RULE_TD_VALUE_EXPOSED] = {"td-value-exposed",
				   "a register the TDG.VP.VMCALL mask exposes holds a TD value that is "
				   "neither an input of the sub-function nor zero"},
	[RULE_VMM_VALUE_USED] = {"vmm-value-used",
				 "after the TDX instruction, a value the VMM (or the module) wrote is "
				 "used as a memory address or a jump target"},
};

const char *rule_id(enum rule rule)
{
	return rule < RULE_COUNT ? rules[rule].id : "?";
}

const char *rule_summary(enum rule rule)
{
	return rule < RULE_COUNT ? rules[rule].summary : "?";
}

const char *verdict_name(enum verdict verdict)
{
	switch (verdict) {
	case VERDICT_PASS: return "pass";
	case VERDICT_FAIL: return "fail";
	case VERDICT_SKIP: return "skip";
	}
	return "?";
}

struct check_result *check_report_add(struct check_report *report)
{
	if (report->result_count == report->capacity) {
		size_t capacity = report->capacity ? report->capacity * 2 : 64;
		struct check_result *results = realloc(report->results, capacity * sizeof(*results));
		if (!results)
			return NULL;
		report->results = results;
		report->capacity = capacity;
	}
	struct check_result *result = &report->results[report->result_count++];
	memset(result, 0, sizeof(*result));
	return result;
}

enum tdxabi_status check_result_add_violation(struct check_result *result,
					      const struct violation *violation,
					      struct diagnostic *diagnostic)
{
	struct violation *violations =
		realloc(result->violations, (result->violation_count + 1) * sizeof(*violations));
	if (!violations)
		return diagnostic_fail(diagnostic, TDXABI_OUT_OF_MEMORY, "out of memory");
	result->violations = violations;
	result->violations[result->violation_count++] = *violation;
	result->verdict = VERDICT_FAIL;
	return TDXABI_OK;
}

void check_report_free(struct check_report *report)
{
	for (size_t index = 0; index < report->result_count; index++)
		free(report->results[index].violations);
	free(report->results);
	memset(report, 0, sizeof(*report));
}

struct report_totals check_report_totals(const struct check_report *report)
{
	struct report_totals totals = {0, 0, 0};
	for (size_t index = 0; index < report->result_count; index++) {
		switch (report->results[index].verdict) {
		case VERDICT_PASS: totals.pass++; break;
		case VERDICT_FAIL: totals.fail++; break;
		case VERDICT_SKIP: totals.skip++; break;
		}
	}
	return totals;
}

size_t check_report_group_end(const struct check_report *report, size_t first)
{
	size_t end = first;
	const struct check_result *head = &report->results[first];
	while (end < report->result_count &&
	       strcmp(report->results[end].object, head->object) == 0 &&
	       strcmp(report->results[end].build_variant, head->build_variant) == 0 &&
	       strcmp(report->results[end].stub, head->stub) == 0 &&
	       strcmp(report->results[end].binding, head->binding) == 0 &&
	       strcmp(report->results[end].spec, head->spec) == 0)
		end++;
	return end;
}

int violation_compare_finding(const struct violation *a, const struct violation *b)
{
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	if (a->tdx_register != b->tdx_register)
		return a->tdx_register < b->tdx_register ? -1 : 1;
	if (a->discriminator != b->discriminator)
		return a->discriminator < b->discriminator ? -1 : 1;
	if ((a->source_line != 0) != (b->source_line != 0))
		return a->source_line ? -1 : 1;
	if (a->source_line) {
		int by_file = strcmp(a->source_file, b->source_file);
		if (by_file)
			return by_file;
		return a->source_line == b->source_line ? 0 : a->source_line < b->source_line ? -1 : 1;
	}
	if (a->has_rip != b->has_rip)
		return a->has_rip ? -1 : 1;
	return a->has_rip ? strcmp(a->location, b->location) : 0;
}
