/* vmm_model.h - the untrusted VMM behind TDG.VP.VMCALL: it sees only the
 * registers the guest exposed and answers into every one of them with values
 * tagged as VMM-controlled, as a hostile VMM may, with the scenario's status
 * (or a tag of its own) in R10. */
#ifndef TDXABI_VMM_MODEL_H
#define TDXABI_VMM_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "registers.h"

struct vmm_answer {
	uint64_t view[GPR_COUNT];        /* what the VMM saw: exposed registers, others 0 */
	register_set written;            /* every exposed register */
	uint64_t values[GPR_COUNT];      /* what the VMM wrote into them */
};

/* Answers one TDVMCALL: R10 gets `status` when `has_status` is set,
 * otherwise a VMM tag like every other exposed register. */
void vmm_answer_tdvmcall(const uint64_t registers[GPR_COUNT], register_set exposed,
			 uint64_t nonce, bool has_status, uint64_t status,
			 struct vmm_answer *answer);

#endif
