/* module_args_6_7.S - reference stubs for bindings linux-6.7-module-args,
 * -ret and -saved-ret, guest (TDCALL) and host (SEAMCALL) forms. */
#include "module_args_6_7.h"

FUNCTION tdxabi_tdcall
	MODULE_ARGS_6_7 host=0, store=0, saved=0
END_FUNCTION tdxabi_tdcall

FUNCTION tdxabi_tdcall_ret
	MODULE_ARGS_6_7 host=0, store=1, saved=0
END_FUNCTION tdxabi_tdcall_ret

FUNCTION tdxabi_tdcall_saved_ret
	MODULE_ARGS_6_7 host=0, store=1, saved=1
END_FUNCTION tdxabi_tdcall_saved_ret

FUNCTION tdxabi_seamcall
	MODULE_ARGS_6_7 host=1, store=0, saved=0
END_FUNCTION tdxabi_seamcall

FUNCTION tdxabi_seamcall_ret
	MODULE_ARGS_6_7 host=1, store=1, saved=0
END_FUNCTION tdxabi_seamcall_ret

FUNCTION tdxabi_seamcall_saved_ret
	MODULE_ARGS_6_7 host=1, store=1, saved=1
END_FUNCTION tdxabi_seamcall_saved_ret
