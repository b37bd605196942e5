/* output_flag_dropped.S - mutant for rule output-not-stored, binding
 * linux-6.7-module-args-saved-ret: after TDH.VP.ENTER it clears RCX bit 63
 * before storing it, reading the exit information as 1.5.01's, whose bits
 * 63:48 are reserved. From 1.5.28 that bit is the IMM_RESUME_HINT flag
 * (out-flags: rcx:63 in tdx-1.5.34 and tdx-2.0.18): the caller never sees it. */
#include "module_args_6_7.h"

FUNCTION tdxabi_mutant_drops_resume_hint
	MODULE_ARGS_6_7 host=1, store=1, saved=1, after_call="btrq $63, %rcx /* defect: drops IMM_RESUME_HINT */"
END_FUNCTION tdxabi_mutant_drops_resume_hint
