/* binding_cannot_express.S - mutant for rule binding-cannot-express: a host
 * stub correct for linux-6.7-module-args-ret, asked (in mutants.list) to carry
 * TDH.IMPORT.MEM, whose inputs include R12 and R13 that the binding lacks. */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_import_mem_via_ret
	MODULE_ARGS_6_7 host=1, store=1, saved=0
END_FUNCTION tdxabi_mutant_import_mem_via_ret
