/* stub_check.h - checks one stub (a symbol of a loaded object, called through
 * a binding) against a spec revision: builds the case matrix, opens one
 * machine, runs every case through the module model and the checks, and
 * appends one result per case to a report. */
#ifndef TDXABI_STUB_CHECK_H
#define TDXABI_STUB_CHECK_H

#include <stdint.h>

#include "binding.h"
#include "call_trace.h"
#include "case_matrix.h"
#include "check_result.h"
#include "environment.h"
#include "finding_source.h"
#include "machine.h"
#include "object_image.h"
#include "spec_table.h"

#define DEFAULT_INSTRUCTION_BUDGET 100000
/* About a second of emulation per case on the machines we measured. */
#define MAX_INSTRUCTION_BUDGET 100000000
/* A draw's run and its traced rerun are bounded by the machine's wall clock. */
#define DEFAULT_CASE_SECONDS 30.0
#define MAX_SEED_COUNT 1000000

struct stub_target {
	const char *object_name; /* as reports name it */
	const struct object_image *image;
	const char *symbol;
	const struct binding *binding;
	const char *build_variant; /* NULL, or the build variant the object is */
	/* how the paths of its line table are shown (NULL: as they are) */
	source_path_mapper map_source_path;
	const void *map_source_context;
};

/* One case run traced, as `tdxabi trace` shows it. */
struct traced_case {
	const struct stub_target *target;
	const struct check_result *result; /* its names, verdict and findings */
	const uint64_t *entry_registers;   /* GPR_COUNT, as the caller set them */
	const struct call_trace *trace;
	const struct call_outcome *outcome;
	uint64_t nonce;                    /* of its poison tags */
	const struct module_model *model;  /* what the module did (flagged outputs) */
	struct machine *machine;           /* to describe its instructions */
	struct finding_source *source;     /* the object's source lines */
};
typedef enum tdxabi_status (*traced_case_writer)(void *context, const struct traced_case *traced,
						  struct diagnostic *diagnostic);

struct check_options {
	/* the environments a binding may name (firmware, linux ...) */
	const struct environment_kind *const *environment_kinds;
	size_t environment_kind_count;
	const struct spec_table *spec;
	struct case_selection selection;
	uint64_t seed;
	/* draws per case (0 counts as 1): seeds seed .. seed + seed_count - 1,
	 * until one fails */
	unsigned seed_count;
	uint64_t instruction_budget;
	/* worker processes that run the cases (0: this process, uncontained;
	 * always so with a trace writer), and the wall-clock bound of a draw */
	unsigned jobs;
	double case_seconds;
	/* NULL; or every case runs traced and goes to it */
	traced_case_writer trace_writer;
	void *trace_context;
};

/* Which TDX instruction the stub issues (what its binding must allow). */
enum tdxabi_status stub_check_instruction(const struct stub_target *target,
					  enum tdx_instruction *instruction,
					  struct diagnostic *diagnostic);

enum tdxabi_status stub_check_run(const struct stub_target *target,
				  const struct check_options *options, struct check_report *report,
				  struct diagnostic *diagnostic);

#endif
