/* fault_scenario.c - names, descriptions and applicability of the fault
 * scenarios (see fault_scenario.h). */
#include "fault_scenario.h"

#include <string.h>

static const char *const instruction_names[TDX_INSTRUCTION_COUNT] = {"tdcall", "seamcall"};

static const struct {
	const char *name;
	const char *description;
} scenarios[FAULT_SCENARIO_COUNT] = {
	[FAULT_NONE] = {"none", "the module answers normally"},
	[FAULT_ERROR_STATUS] = {"error-status",
				"the module returns an error status (for TDG.VP.VMCALL: the VMM "
				"answers TDVMCALL_STATUS_INVALID_OPERAND)"},
	[FAULT_VMFAILINVALID] = {"vmfailinvalid", "SEAMCALL fails with VMfailInvalid: CF=1, RAX untouched"},
	[FAULT_UD] = {"ud", "SEAMCALL raises #UD (trap 6)"},
	[FAULT_GP] = {"gp", "SEAMCALL raises #GP (trap 13)"},
	[FAULT_TDCALL_FAILURE] = {"tdcall-failure",
				  "TDG.VP.VMCALL: the TDCALL itself fails (RAX != 0), the VMM is never reached"},
	[FAULT_VMM_RETRY] = {"vmm-retry",
			     "TDG.VP.VMCALL: the VMM answers TDVMCALL_STATUS_RETRY with the resume "
			     "GPA in R11 (MapGPA)"},
	[FAULT_VMM_UNUSUAL_STATUS] = {"vmm-unusual-status",
				      "TDG.VP.VMCALL: the VMM answers a status no table lists "
				      "(a tagged value in R10)"},
};

const char *tdx_instruction_name(enum tdx_instruction instruction)
{
	return instruction < TDX_INSTRUCTION_COUNT ? instruction_names[instruction] : "?";
}

bool tdx_instruction_parse(const char *text, enum tdx_instruction *instruction)
{
	for (int index = 0; index < TDX_INSTRUCTION_COUNT; index++) {
		if (strcmp(text, instruction_names[index]) == 0) {
			*instruction = (enum tdx_instruction)index;
			return true;
		}
	}
	return false;
}

const char *fault_scenario_name(enum fault_scenario fault)
{
	return fault < FAULT_SCENARIO_COUNT ? scenarios[fault].name : "?";
}

const char *fault_scenario_description(enum fault_scenario fault)
{
	return fault < FAULT_SCENARIO_COUNT ? scenarios[fault].description : "?";
}

bool fault_scenario_parse(const char *text, enum fault_scenario *fault)
{
	for (int index = 0; index < FAULT_SCENARIO_COUNT; index++) {
		if (strcmp(text, scenarios[index].name) == 0) {
			*fault = (enum fault_scenario)index;
			return true;
		}
	}
	return false;
}

bool fault_scenario_applies(enum fault_scenario fault, enum tdx_instruction instruction,
			    bool leaf_exits_to_vmm)
{
	switch (fault) {
	case FAULT_NONE:
	case FAULT_ERROR_STATUS:
		return true;
	case FAULT_VMFAILINVALID:
	case FAULT_UD:
	case FAULT_GP:
		return instruction == TDX_SEAMCALL;
	case FAULT_TDCALL_FAILURE:
	case FAULT_VMM_RETRY:
	case FAULT_VMM_UNUSUAL_STATUS:
		return instruction == TDX_TDCALL && leaf_exits_to_vmm;
	case FAULT_SCENARIO_COUNT:
		break;
	}
	return false;
}

bool fault_scenario_is_vmm_status(enum fault_scenario fault)
{
	return fault == FAULT_VMM_RETRY || fault == FAULT_VMM_UNUSUAL_STATUS;
}

bool fault_scenario_instruction_succeeds(enum fault_scenario fault, bool leaf_exits_to_vmm)
{
	/* for TDG.VP.VMCALL the error status is the VMM's: the TDCALL succeeds */
	return fault == FAULT_NONE || fault_scenario_is_vmm_status(fault) ||
	       (fault == FAULT_ERROR_STATUS && leaf_exits_to_vmm);
}

bool fault_scenario_vmm_succeeds(enum fault_scenario fault)
{
	return fault == FAULT_NONE;
}

int fault_scenario_trap_number(enum fault_scenario fault)
{
	if (fault == FAULT_UD)
		return 6;
	if (fault == FAULT_GP)
		return 13;
	return -1;
}
