/* binding.h - how a stub is called and where each TDX register comes from
 * and goes to: its calling convention, arguments, caller objects with field
 * offsets, flags, constants the stub loads itself, the result, and the
 * outcome the convention promises for each fault. */
#ifndef TDXABI_BINDING_H
#define TDXABI_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calling_convention.h"
#include "diagnostic.h"
#include "fault_scenario.h"
#include "registers.h"

#define BINDING_NAME_SIZE 64
#define BINDING_TEXT_SIZE 256
#define BINDING_MAX_ARGUMENTS 8
#define BINDING_MAX_OBJECTS 4
#define BINDING_MAX_FLAGS 8
#define BINDING_MAX_TRANSFERS 32
#define BINDING_MAX_OBJECT_SIZE 4096
#define BINDING_MAX_LINUX_SYMBOLS 4
#define BINDING_MAX_SYMBOLS 8

enum argument_kind {
	ARGUMENT_UNUSED,
	ARGUMENT_LEAF,     /* the leaf number, loaded into RAX by the stub */
	ARGUMENT_REGISTER, /* the value of one TDX input register */
	ARGUMENT_OBJECT,   /* a pointer to a caller object */
	ARGUMENT_FLAGS,    /* a bit set of the binding's flags */
	ARGUMENT_VALUE,    /* an opaque value the stub only keeps (a vCPU index) */
};

struct binding_argument {
	enum argument_kind kind;
	enum gpr tdx_register; /* ARGUMENT_REGISTER */
	unsigned object;       /* ARGUMENT_OBJECT: index into objects */
};

struct binding_object {
	char name[BINDING_NAME_SIZE];
	uint32_t size;
	bool nullable;
	unsigned argument; /* 0-based argument that points to it */
	char linux_struct[BINDING_NAME_SIZE]; /* the C struct in a Linux tree, or "" */
};

/* Bytes the caller puts into one of its objects before the call (a mailbox
 * command); `stop` puts there the address whose reaching ends an entry point
 * as declared (the wakeup vector). */
#define BINDING_MAX_FILLS 8
struct binding_fill {
	unsigned object;
	uint32_t offset;
	uint32_t size; /* 1, 2, 4 or 8 */
	uint64_t value;
	bool stop;
};

struct binding_flag {
	char name[BINDING_NAME_SIZE];
	unsigned bit;
};

enum transfer_place { PLACE_ARGUMENT, PLACE_OBJECT };

/* When an output is stored: always, only when the TDX instruction succeeded
 * (RAX == 0), or only when the VMM did too (R10 == 0). */
enum output_condition { STORED_ALWAYS, STORED_WHEN_TDX_SUCCESS, STORED_WHEN_VMM_SUCCESS };

/* One register carried in (caller -> TDX register) or out (TDX register ->
 * caller memory). RAX in is the leaf, RAX out the status. Outputs may depend
 * on a flag being set and on the call's outcome. */
struct binding_transfer {
	enum gpr tdx_register;
	enum transfer_place place;
	unsigned argument; /* PLACE_ARGUMENT: 0-based argument */
	unsigned object;   /* PLACE_OBJECT */
	uint32_t offset;   /* PLACE_OBJECT */
	int flag;          /* -1: unconditional, else index into flags */
	enum output_condition condition;
};

enum fault_outcome_kind {
	OUTCOME_UNDECLARED,     /* the convention promises nothing for this fault */
	OUTCOME_MODULE_STATUS,  /* RAX returns what the module answered */
	OUTCOME_NAMED_STATUS,   /* RAX returns a status of the spec table */
	OUTCOME_VALUE,          /* RAX returns a number of the stub's own (-2) */
	OUTCOME_PANIC,          /* the stub calls the panic symbol and never returns */
	OUTCOME_UD2,            /* the stub executes UD2 (firmware's panic) */
};

struct fault_outcome {
	enum fault_outcome_kind kind;
	char status_name[BINDING_NAME_SIZE]; /* OUTCOME_NAMED_STATUS */
	uint64_t value;                      /* OUTCOME_VALUE */
	bool or_trap_number;                 /* "STATUS+trap": status | x86 trap number (#UD 6, #GP 13) */
	char panic_symbol[BINDING_NAME_SIZE];
	char *citation;
};

enum result_kind {
	RESULT_MODULE_STATUS, /* RAX at return is the module's completion status */
	RESULT_REGISTER,      /* RAX at return is a TDX register as the callee left it (R10) */
	RESULT_NONE,          /* an entry point: nothing returns */
};

struct binding {
	char name[BINDING_NAME_SIZE];
	const struct calling_convention *abi;
	char environment[BINDING_NAME_SIZE]; /* "linux", "firmware": its exception model */
	char *citation;
	char *file_name;
	char prototype[BINDING_TEXT_SIZE];
	bool instructions[TDX_INSTRUCTION_COUNT];

	struct binding_argument arguments[BINDING_MAX_ARGUMENTS];
	size_t argument_count; /* highest declared argument */
	struct binding_object objects[BINDING_MAX_OBJECTS];
	size_t object_count;
	struct binding_flag flags[BINDING_MAX_FLAGS];
	size_t flag_count;
	int flags_argument; /* -1 when the binding takes no flags */

	struct binding_transfer inputs[BINDING_MAX_TRANSFERS];
	size_t input_count;
	struct binding_transfer outputs[BINDING_MAX_TRANSFERS];
	size_t output_count;

	char fixed_leaf[BINDING_NAME_SIZE]; /* "" unless the stub always issues this leaf */
	bool has_vmcall_mask;
	uint64_t vmcall_mask;               /* RCX for TDG.VP.VMCALL (its fixed part) */
	bool vmcall_mask_has_field;         /* ... OR-ed with a caller field: */
	struct binding_transfer vmcall_mask_field;
	register_set constants;             /* registers the stub loads with a fixed value */
	uint64_t constant_values[GPR_COUNT];
	register_set ignored_inputs;        /* inputs the stub leaves as it found them, by design */
	register_set ignored_outputs;       /* outputs the stub drops (restores), by design */

	/* an entry point that never returns (an AP loop): it ends by reaching
	 * the stop address a fill placed, or by its declared panic */
	bool entry_point;
	bool code_writable;                 /* it runs from RAM and may write its own code */
	struct binding_fill fills[BINDING_MAX_FILLS];
	size_t fill_count;
	/* bytes of caller objects the stub may write besides its outputs (the
	 * mailbox command an AP resets) */
	struct binding_fill writable_fields[BINDING_MAX_FILLS];
	size_t writable_field_count;

	/* the functions of any environment that follow this convention */
	char symbols[BINDING_MAX_SYMBOLS][BINDING_NAME_SIZE];
	size_t symbol_count;

	/* the Linux functions that follow this convention, by name */
	char linux_symbols[BINDING_MAX_LINUX_SYMBOLS][BINDING_NAME_SIZE];
	size_t linux_symbol_count;

	enum result_kind result;
	enum gpr result_register;
	struct fault_outcome outcomes[FAULT_SCENARIO_COUNT];
	bool failure_outputs_untouched; /* no output stored on VMfailInvalid or a trap */
};

/* resolve_abi finds the calling convention an 'abi NAME' row names. */
enum tdxabi_status binding_parse(const char *text, size_t length, const char *file_name,
				 calling_convention_resolver resolve_abi, void *resolver_context,
				 struct binding *binding, struct diagnostic *diagnostic);
void binding_free(struct binding *binding);
/* Every problem of a binding file, each as "file:line: what" to report;
 * returns how many. */
typedef void (*binding_problem_reporter)(void *context, const struct diagnostic *problem);
size_t binding_lint(const char *text, size_t length, const char *file_name,
		    calling_convention_resolver resolve_abi, void *resolver_context,
		    binding_problem_reporter report, void *report_context);

/* Registers the binding can ever carry in / out (over all flag settings). */
register_set binding_carried_inputs(const struct binding *binding);
register_set binding_carried_outputs(const struct binding *binding);
const struct binding_transfer *binding_input_for(const struct binding *binding, enum gpr gpr);
bool binding_names_linux_symbol(const struct binding *binding, const char *symbol);
/* Whether the 'result' row, not a 'fault' row, says what RAX holds under the
 * fault: the normal answer, the module's error status and the VMM's
 * statuses (an entry point, which has no result, declares them all). */
bool binding_result_governs(const struct binding *binding, enum fault_scenario fault);
/* Whether the binding names the symbol as one of its functions (its
 * 'symbols' row or its Linux functions). */
bool binding_names_symbol(const struct binding *binding, const char *symbol);

#endif
