/* check_result.h - what a check produces: violations (rule id, register,
 * expected and actual values, the instruction involved) grouped into one
 * result per stub x leaf x fault x variant, and a report holding them all. */
#ifndef TDXABI_CHECK_RESULT_H
#define TDXABI_CHECK_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"

/* The stable rule ids of DESIGN.md. */
enum rule {
	RULE_INPUT_NOT_PASSED,
	RULE_OUTPUT_NOT_STORED,
	RULE_CALLEE_SAVED_CLOBBERED,
	RULE_STACK_IMBALANCE,
	RULE_STATUS_MISMATCH,
	RULE_VMM_VALUE_LEAKED,
	RULE_STRAY_WRITE,
	RULE_FAULT_UNHANDLED,
	RULE_FLAGS_VIOLATION,
	RULE_BINDING_CANNOT_EXPRESS,
	RULE_EMULATION_FAULT,
	RULE_INPUT_REJECTED,
	RULE_TD_VALUE_EXPOSED,
	RULE_VMM_VALUE_USED,
	RULE_COUNT
};

const char *rule_id(enum rule rule);
const char *rule_summary(enum rule rule);

#define VIOLATION_TEXT_SIZE 96
#define VIOLATION_DETAIL_SIZE 320
#define VIOLATION_PATH_SIZE 256

/* What a finding saw, so that the instruction behind it can be found. */
enum observation {
	OBSERVED_INSTRUCTION,     /* rip (when set) is the instruction itself */
	OBSERVED_REGISTER_AT_TDX, /* tdx_register as TDX instruction number tdx_event read it */
	OBSERVED_REGISTER_AT_END, /* tdx_register at return */
	OBSERVED_STATUS_AT_END,   /* the result register at return, as the TDX instruction left it */
	OBSERVED_MEMORY_AT_END,   /* the 8 bytes at memory_address at return */
	OBSERVED_STACK_AT_END,    /* the pushes and pops that led to the return */
	OBSERVED_FLAGS_AT_END,    /* DF at return */
	OBSERVED_XMM_AT_END,      /* XMM register number xmm at return */
};

struct violation {
	enum rule rule;
	int tdx_register;          /* enum gpr, or -1 */
	bool has_expected;
	bool has_actual;
	uint64_t expected;
	uint64_t actual;
	bool has_rip;
	uint64_t rip;
	char location[VIOLATION_TEXT_SIZE];    /* "symbol+0x1f" */
	char instruction[VIOLATION_TEXT_SIZE]; /* "movq %r12, 0x30(%rsi)" */
	char detail[VIOLATION_DETAIL_SIZE];
	/* what tells two findings of one rule, register and place apart: the
	 * emulation fault and how the call ended, the registers a binding lacks */
	uint64_t discriminator;
	enum observation observed;
	unsigned tdx_event;        /* OBSERVED_REGISTER_AT_TDX: 0 = the first */
	uint64_t memory_address;   /* OBSERVED_MEMORY_AT_END */
	unsigned xmm;              /* OBSERVED_XMM_AT_END */
	/* where the wrong value was seen (the TDX instruction, the return) when
	 * rip names the instruction that caused it */
	bool has_seen_rip;
	uint64_t seen_rip;
	char seen_location[VIOLATION_TEXT_SIZE];
	/* rip's source line (0: unknown) and its text; for a line of a macro
	 * body, the line that invoked the macro */
	char source_file[VIOLATION_PATH_SIZE];
	unsigned source_line;
	char source_text[VIOLATION_TEXT_SIZE];
	char invoked_file[VIOLATION_PATH_SIZE];
	unsigned invoked_line;
	/* "" or what accepted it: "baseline FILE", "--allow RULE:function" */
	char accepted_by[VIOLATION_PATH_SIZE];
};

enum verdict { VERDICT_PASS, VERDICT_FAIL, VERDICT_SKIP };
/* Why a result was not run. */
enum skip_kind {
	SKIP_NOT_SKIPPED,
	SKIP_FAULT_UNDECLARED,  /* the binding promises nothing for the fault */
	SKIP_CANNOT_EXPRESS,    /* the leaf needs a register the binding lacks */
	SKIP_BINDING_UNDECIDED, /* no binding could be decided for the function */
};
const char *verdict_name(enum verdict verdict);

#define RESULT_NAME_SIZE 128

struct check_result {
	char object[RESULT_NAME_SIZE];
	char stub[RESULT_NAME_SIZE];
	char binding[RESULT_NAME_SIZE];
	char spec[RESULT_NAME_SIZE];
	char leaf[RESULT_NAME_SIZE];    /* "TDG.VM.RD" or "TDG.VP.VMCALL<Instruction.RDMSR>" */
	char fault[32];
	char variant[64];               /* "" or "flags=0x1 out=NULL" */
	char build_variant[64];         /* "" or the object's build variant ("frame-pointer return-thunk") */
	enum verdict verdict;
	uint64_t seed;                  /* of the draw that failed; else the last run */
	double seconds;                 /* how long running and judging it took */
	enum skip_kind skip_kind;
	char skip_reason[VIOLATION_DETAIL_SIZE];
	struct violation *violations;
	size_t violation_count;
};

/* More results in one report are refused (about 1.2 KB each; --seeds adds
 * none): a trace keeps every result, a check each stub's while it runs. */
#define CHECK_REPORT_MAX_RESULTS 250000

struct check_report {
	struct check_result *results;
	size_t result_count;
	size_t capacity;
};

/* Appends a zeroed result and returns it (NULL when out of memory). */
struct check_result *check_report_add(struct check_report *report);
/* Results of one stub x binding x spec are contiguous in a report: [first, end). */
size_t check_report_group_end(const struct check_report *report, size_t first);
/* Orders violations so that the same finding (rule, register,
 * discriminator, and its source line, or without one its symbol+offset)
 * compares equal whatever the case, object or build variant it came from. */
int violation_compare_finding(const struct violation *a, const struct violation *b);
/* Appends a violation to a result and marks it failed. */
enum tdxabi_status check_result_add_violation(struct check_result *result,
					      const struct violation *violation,
					      struct diagnostic *diagnostic);
void check_report_free(struct check_report *report);

struct report_totals {
	size_t pass, fail, skip;
};
struct report_totals check_report_totals(const struct check_report *report);

#endif
