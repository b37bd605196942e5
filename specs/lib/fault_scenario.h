/* fault_scenario.h - what the model does on one call: answer normally, return
 * an error status, or inject a fault. Bindings declare the outcome they promise
 * for each; the case matrix picks the ones that apply to an instruction. */
#ifndef TDXABI_FAULT_SCENARIO_H
#define TDXABI_FAULT_SCENARIO_H

#include <stdbool.h>

enum tdx_instruction {
	TDX_TDCALL,
	TDX_SEAMCALL,
	TDX_INSTRUCTION_COUNT
};

enum fault_scenario {
	FAULT_NONE,           /* the module answers normally */
	FAULT_ERROR_STATUS,   /* the module (or, for TDG.VP.VMCALL, the VMM) returns an error */
	FAULT_VMFAILINVALID,  /* SEAMCALL: CF=1, RAX untouched */
	FAULT_UD,             /* SEAMCALL raises #UD */
	FAULT_GP,             /* SEAMCALL raises #GP */
	FAULT_TDCALL_FAILURE, /* TDG.VP.VMCALL: the TDCALL itself fails, RAX != 0 */
	FAULT_VMM_RETRY,      /* TDG.VP.VMCALL: the VMM answers RETRY, the resume GPA in R11 */
	FAULT_VMM_UNUSUAL_STATUS, /* TDG.VP.VMCALL: the VMM answers a status no table has */
	FAULT_SCENARIO_COUNT
};

const char *tdx_instruction_name(enum tdx_instruction instruction);
bool tdx_instruction_parse(const char *text, enum tdx_instruction *instruction);

const char *fault_scenario_name(enum fault_scenario fault);
const char *fault_scenario_description(enum fault_scenario fault);
bool fault_scenario_parse(const char *text, enum fault_scenario *fault);
/* Whether the scenario can happen at all for this instruction and leaf. */
bool fault_scenario_applies(enum fault_scenario fault, enum tdx_instruction instruction,
			    bool leaf_exits_to_vmm);
/* Whether the scenario is a status of the VMM's (R10), which a binding's
 * 'result' row governs like the normal answer, not a declared fault. */
bool fault_scenario_is_vmm_status(enum fault_scenario fault);
/* Whether RAX after the TDX instruction is 0 (TDX_SUCCESS) in the scenario,
 * and, for TDG.VP.VMCALL, whether R10 is too (TDVMCALL_STATUS_SUCCESS). */
bool fault_scenario_instruction_succeeds(enum fault_scenario fault, bool leaf_exits_to_vmm);
bool fault_scenario_vmm_succeeds(enum fault_scenario fault);
/* The x86 trap number a fault raises (#UD 6, #GP 13), or -1. */
int fault_scenario_trap_number(enum fault_scenario fault);

#endif
