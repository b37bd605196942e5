/* case_matrix.h - which calls to make for one stub: every leaf (at each
 * version), P-SEAMLDR leaf or TDG.VP.VMCALL sub-function its instruction and
 * binding allow, times each fault scenario that applies and the binding
 * declares, times each flags value and NULL choice of its arguments. */
#ifndef TDXABI_CASE_MATRIX_H
#define TDXABI_CASE_MATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "binding.h"
#include "check_result.h"
#include "spec_table.h"

struct check_case {
	const struct spec_leaf *leaf;
	const struct spec_vmcall *vmcall; /* set when the leaf exits to the VMM */
	unsigned version;                 /* RAX[23:16], up to leaf->max_version */
	enum td_config td_config;         /* the TD the call runs against */
	enum fault_scenario fault;
	uint64_t flags;                   /* value of the flags argument */
	unsigned null_objects;            /* bit i: object i is passed as NULL */
	uint64_t vmcall_mask;             /* TDG.VP.VMCALL: the RCX the caller means */
	/* cases that are not run */
	bool skip;                        /* the binding promises nothing for this fault */
	bool cannot_express;              /* the leaf needs a register the binding lacks */
	bool cannot_express_fails;        /* ... and the leaf was asked for by name */
	/* what it lacks: inputs | outputs << 16 | unexposed << 32 | no mask << 48 */
	uint64_t inexpressible;
	char reason[VIOLATION_DETAIL_SIZE];
};

struct case_selection {
	const char *leaf_name;  /* NULL or "all": every leaf the binding can reach */
	unsigned fault_mask;    /* bit per enum fault_scenario */
	bool faults_explicit;   /* a requested fault the binding does not declare is a skip */
	/* bit per enum td_config (0: the default); a leaf whose registers do not
	 * depend on it runs under the first one only */
	unsigned td_config_mask;
	/* NULL: every variant; else the cases whose variant name (as
	 * check_case_variant_name writes it; "plain" for "") is this */
	const char *variant_name;
};

#define ALL_FAULTS ((1u << FAULT_SCENARIO_COUNT) - 1)
/* More cases for one stub are refused: each is kept while its stub runs. */
#define CASE_MATRIX_MAX_CASES 100000

enum tdxabi_status case_matrix_build(const struct binding *binding,
				     const struct spec_table *spec,
				     enum tdx_instruction instruction,
				     const struct case_selection *selection,
				     struct check_case **cases, size_t *count,
				     struct diagnostic *diagnostic);

/* Whether a binding can carry a leaf at a version (with vmcall, one of its
 * sub-functions): every register it reads in, returns out, and for
 * TDG.VP.VMCALL, inside the exposure mask. When it cannot, *reason says
 * which registers. */
bool case_matrix_can_express(const struct binding *binding, const struct spec_leaf *leaf,
			     unsigned version, const struct spec_vmcall *vmcall,
			     enum td_config td_config, char *reason, size_t size);

/* What the VMM reads and writes for a sub-function: R10 (0 for standard
 * GHCI, the call number for the vendor's), R11 (the sub-function number)
 * unless vendor, and the row's registers; R10 returns its status. */
register_set spec_vmcall_vmm_inputs(const struct spec_vmcall *vmcall);
register_set spec_vmcall_vmm_outputs(const struct spec_vmcall *vmcall);

/* The RCX mask a TDG.VP.VMCALL of this binding carries for a sub-function:
 * the binding's fixed mask, OR-ed (when it takes a field) with what the
 * sub-function needs beyond it. */
uint64_t case_matrix_vmcall_mask(const struct binding *binding, const struct spec_vmcall *vmcall);
/* Whether a sub-function is one the binding can issue at all (its
 * constants may fix R10 and R11). */
bool case_matrix_binding_issues(const struct binding *binding, const struct spec_vmcall *vmcall);

/* RAX of the case: leaf number, version, P-SEAMLDR bit. */
uint64_t check_case_rax(const struct check_case *check_case);

/* Whether a stub of this binding and instruction can be asked for the
 * selected leaf (a TDG.VP.VMCALL sub-function only where the binding can
 * issue TDG.VP.VMCALL at all); true for "all" and for names the spec lacks
 * (building the matrix then says what is wrong). */
bool case_matrix_reaches(const struct binding *binding, const struct spec_table *spec,
			 enum tdx_instruction instruction, const char *leaf_name);

/* "TDG.VM.RD" or "TDG.VP.VMCALL<Instruction.RDMSR>" */
void check_case_leaf_name(const struct check_case *check_case, char *text, size_t size);
/* "" for the plain call, else e.g. "version=1 flags=0x1 out=NULL td=none"
 * (td= only for leaves whose registers depend on the TD configuration) */
void check_case_variant_name(const struct binding *binding, const struct check_case *check_case,
			     char *text, size_t size);
#endif
