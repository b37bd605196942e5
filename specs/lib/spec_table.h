/* spec_table.h - one TDX ABI spec revision as data: TDCALL, SEAMCALL and
 * P-SEAMLDR leaves with their registers (per version), TDG.VP.VMCALL
 * sub-functions, status codes and their bit fields, each row cited; a
 * revision may be based on another and state only its differences. */
#ifndef TDXABI_SPEC_TABLE_H
#define TDXABI_SPEC_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnostic.h"
#include "fault_scenario.h"
#include "registers.h"
#include "td_config.h"

#define SPEC_NAME_SIZE 64
/* Rows of one kind in a table: real revisions hold a few hundred. */
#define SPEC_MAX_ROWS 4096
#define SEAMLDR_LEAF_BIT (1ull << 63)

/* The VMM's vector registers after a leaf ("clears:"): the migration
 * leaves' AES-GCM code leaves XMM0-15 (1.5.01) or YMM0-15 (1.5.06) zeroed. */
enum vector_clearing { VECTORS_KEPT, VECTORS_XMM_CLEARED, VECTORS_YMM_CLEARED };
/* "none", "XMM0-15" or "YMM0-15" */
const char *vector_clearing_name(enum vector_clearing clearing);

struct spec_leaf {
	enum tdx_instruction instruction;
	bool seamldr;               /* P-SEAMLDR: SEAMCALL with RAX = bit 63 | number */
	uint16_t number;            /* RAX[15:0] */
	uint8_t max_version;        /* RAX[23:16] may be 0 .. max_version */
	char name[SPEC_NAME_SIZE];
	register_set inputs;        /* registers the leaf reads, RAX excluded */
	register_set zero_inputs;   /* inputs it refuses unless 0 ("zero-in:"; TDX_OPERAND_INVALID) */
	register_set outputs;       /* registers written on the success path */
	register_set error_outputs; /* written only on some paths ("rcx?" in the table) */
	register_set version_inputs;  /* read in addition from version 1 on ("v1-in:") */
	register_set version_outputs; /* written in addition from version 1 on ("v1-out:") */
	bool exits_to_vmm;          /* TDG.VP.VMCALL: the exposed registers go to the VMM */
	bool outputs_from_td;       /* TDH.VP.ENTER: the outputs are the TD's values ("exits: td") */
	register_set kept_under_no_rbp_mod; /* outputs left alone in a NO_RBP_MOD TD */
	register_set zeroed_under_no_rbp_mod; /* outputs it zeroes even there (on some exits) */
	uint64_t output_flags[GPR_COUNT]; /* flag bits it may set in an output ("out-flags:") */
	enum vector_clearing clears;      /* vector registers zeroed on success */
	bool inherited;             /* from the based-on revision */
	char *citation;
	unsigned line;
};

/* A TDG.VP.VMCALL sub-function. Standard (GHCI): R10 = 0 and R11 =
 * subfunction on input, the TDVMCALL status in R10 on output. Vendor: R10
 * holds the vendor's call number on input and its result on output. Those
 * registers are implicit in the table. */
struct spec_vmcall {
	bool vendor;
	uint64_t subfunction;
	char name[SPEC_NAME_SIZE];
	register_set inputs;
	register_set outputs;
	bool never_returns;
	bool inherited;
	char *citation;
	unsigned line;
};

struct spec_status {
	char name[SPEC_NAME_SIZE];
	uint64_t value;
	bool inherited;
	char *citation;
	unsigned line;
};

/* A field of a completion status code: bits high..low. */
struct spec_status_field {
	char name[SPEC_NAME_SIZE];
	unsigned high, low;
	bool inherited;
	char *citation;
	unsigned line;
};

struct spec_table {
	char revision[SPEC_NAME_SIZE];
	char based_on[SPEC_NAME_SIZE]; /* "" unless the revision states only differences */
	char *citation;
	char *file_name;
	struct spec_leaf *leaves;
	size_t leaf_count;
	struct spec_vmcall *vmcalls;
	size_t vmcall_count;
	struct spec_status *statuses;
	size_t status_count;
	struct spec_status_field *status_fields;
	size_t status_field_count;
};

/* Finds a revision a table is based on; NULL when there is none by that name. */
typedef const struct spec_table *(*spec_resolver)(void *context, const char *revision);

/* Parses a table; file_name is used in every error ("file:line: ..."). On
 * failure the table is left empty and needs no spec_table_free. */
enum tdxabi_status spec_table_parse(const char *text, size_t length, const char *file_name,
				    spec_resolver resolver, void *resolver_context,
				    struct spec_table *table, struct diagnostic *diagnostic);
void spec_table_free(struct spec_table *table);

/* Reads the whole table, calling report for every problem (each row that
 * does not parse, then what the table lacks); returns how many there were. */
typedef void (*spec_problem_reporter)(void *context, const struct diagnostic *problem);
size_t spec_table_lint(const char *text, size_t length, const char *file_name,
		       spec_resolver resolver, void *resolver_context, spec_problem_reporter report,
		       void *report_context);

const struct spec_leaf *spec_table_find_leaf(const struct spec_table *table,
					     enum tdx_instruction instruction, uint16_t number);
const struct spec_leaf *spec_table_find_seamldr(const struct spec_table *table, uint16_t number);
const struct spec_leaf *spec_table_find_leaf_by_name(const struct spec_table *table,
						     const char *name);
const struct spec_leaf *spec_table_vmcall_leaf(const struct spec_table *table);
const struct spec_vmcall *spec_table_find_vmcall(const struct spec_table *table,
						 uint64_t subfunction);
const struct spec_vmcall *spec_table_vendor_vmcall(const struct spec_table *table);
const struct spec_vmcall *spec_table_find_vmcall_by_name(const struct spec_table *table,
							 const char *name);
const struct spec_status *spec_table_find_status(const struct spec_table *table,
						 const char *name);
/* What a leaf reads, and writes on the success path, at a version. */
register_set spec_leaf_inputs(const struct spec_leaf *leaf, unsigned version);
/* What the leaf writes at a version, in a TD of that configuration ... */
register_set spec_leaf_outputs(const struct spec_leaf *leaf, unsigned version,
			       enum td_config td_config);
/* ... and what it zeroes there besides (no-rbp-mod-zeroes:, NO_RBP_MOD only). */
register_set spec_leaf_zeroed(const struct spec_leaf *leaf, enum td_config td_config);
/* Steps through a leaf's out-flags: bits, register by register from
 * *position (start at 0); false after the last. */
bool spec_leaf_next_flag(const struct spec_leaf *leaf, unsigned *position, enum gpr *gpr,
			 unsigned *bit);
/* The RAX value that issues a leaf at a version. */
uint64_t spec_leaf_rax(const struct spec_leaf *leaf, unsigned version);
/* "class 0x01, operand 0x1, non-recoverable, error" from the table's
 * status-field rows ("" when it has none). */
void spec_table_describe_status(const struct spec_table *table, uint64_t value, char *text,
				size_t size);

#endif
