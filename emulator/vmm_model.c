/* vmm_model.c - the hostile VMM of vmm_model.h. */
#include "vmm_model.h"

#include <string.h>

#include "poison_tag.h"

void vmm_answer_tdvmcall(const uint64_t registers[GPR_COUNT], register_set exposed,
			 uint64_t nonce, bool has_status, uint64_t status,
			 struct vmm_answer *answer)
{
	memset(answer, 0, sizeof(*answer));
	for (int index = 0; index < GPR_COUNT; index++) {
		if (!register_set_has(exposed, (enum gpr)index))
			continue;
		answer->view[index] = registers[index];
		answer->values[index] = poison_tag(nonce, TAG_VMM_VALUE, (unsigned)index);
	}
	answer->written = exposed;
	if (register_set_has(exposed, GPR_R10) && has_status)
		answer->values[GPR_R10] = status;
}
