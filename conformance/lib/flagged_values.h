/* flagged_values.h - what a value the module wrote with out-flags: bits set
 * stands for: the plain tag of that output, so that checks and traces can
 * still say where a flagged value (or an address near one) came from. */
#ifndef TDXABI_FLAGGED_VALUES_H
#define TDXABI_FLAGGED_VALUES_H

#include <stdint.h>

#include "tdx_module_model.h"

/* The tag `value` stands for: for an output of this call written with
 * flag bits (or an address up to 4 KiB from one), the output's plain tag
 * at the same distance, with *flags the bits its row sets; else the value
 * itself and *flags 0. */
uint64_t flagged_value_tag(const struct module_model *model, uint64_t nonce, uint64_t value,
			   uint64_t *flags);

/* "0x.. (the TD's value for RCX, with out-flags 0x8000000000000000)", or
 * without the parenthesis for a plain value. */
void flagged_value_describe(const struct module_model *model, uint64_t nonce, uint64_t value,
			    char *text, size_t size);

#endif
